using System.Diagnostics;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Http;
using HealthApiEmulator.Faults;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Readers;

public class ResilienceTests
{
    private static readonly CivilRange Quarter = new(new DateTime(2026, 5, 1), new DateTime(2026, 7, 29)); // 90 days

    [Fact]
    public async Task Recovers_from_429_and_503_honouring_Retry_After_and_reports_each_wait()
    {
        await using var h = await ReaderHarness.StartAsync();
        var expected = h.Reader.ReadActivityDays(Quarter, CancellationToken.None).Records();
        var baseline = h.DataRequests;
        h.Emulator.Requests.Clear();

        h.Emulator.Faults.AddRateLimited(retryAfterSeconds: 1, count: 2, pathContains: "/steps/");
        h.Emulator.Faults.Add(FaultKind.Unavailable, count: 2, pathContains: "/total-calories/");
        var sw = Stopwatch.StartNew();
        var days = h.Reader.ReadActivityDays(Quarter, CancellationToken.None).Records();
        sw.Stop();

        Assert.Equal(expected.Select(d => (d.Date, d.Steps, d.CaloriesTotal)), days.Select(d => (d.Date, d.Steps, d.CaloriesTotal)));
        Assert.Equal(baseline + 4, h.DataRequests); // the minimum plus exactly one retry per fault
        Assert.Equal(2, h.Waits.Count(w => w.Reason.StartsWith("429", StringComparison.Ordinal)));
        Assert.All(h.Waits.Where(w => w.Reason.StartsWith("429", StringComparison.Ordinal)), w => Assert.True(w.Delay >= TimeSpan.FromSeconds(1)));
        Assert.Equal(2, h.Waits.Count(w => w.Reason.StartsWith("503", StringComparison.Ordinal)));
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(2), "Retry-After: 1 was honoured twice in a row");
    }

    [Theory]
    [InlineData(FaultKind.ConnectionReset)]
    [InlineData(FaultKind.TruncatedBody)]
    [InlineData(FaultKind.HtmlErrorPage)]
    [InlineData(FaultKind.MalformedJson)]
    public async Task Transient_transport_faults_on_reads_are_retried(FaultKind kind)
    {
        await using var h = await ReaderHarness.StartAsync();
        h.Emulator.Faults.Add(kind, count: 1, pathContains: "/daily-resting-heart-rate/");
        var days = h.Reader.ReadRestingHeartRate(Quarter, CancellationToken.None).Records();
        Assert.Equal(90, days.Count);
        Assert.Equal(2, h.RequestsFor("daily-resting-heart-rate"));
    }

    // (A body cut short by a connection abort reaches the client as a failed send, like a reset, and is
    // retried like one: see Transient_transport_faults_on_reads_are_retried.)
    [Fact]
    public async Task Malformed_twice_is_a_clear_error_for_those_days()
    {
        const string says = "malformed";
        await using var h = await ReaderHarness.StartAsync();
        h.Emulator.Faults.Add(FaultKind.MalformedJson, count: 2, pathContains: "/daily-resting-heart-rate/");
        var items = h.Reader.ReadRestingHeartRate(Quarter, CancellationToken.None).ToList();
        var error = Assert.Single(items).Error!;
        Assert.Equal((Quarter.From, Quarter.To), (error.From, error.To));
        Assert.Contains(says, error.Message);
        Assert.Contains("2026-05-01 to 2026-07-29", error.Message);
        Assert.Equal(2, h.RequestsFor("daily-resting-heart-rate")); // retried exactly once
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_once_and_the_read_goes_on()
    {
        await using var h = await ReaderHarness.StartAsync();
        h.Emulator.OAuth.ExpireAccessTokens();
        var days = h.Reader.ReadRestingHeartRate(Quarter, CancellationToken.None).Records();
        Assert.Equal(90, days.Count);
        Assert.Equal(1, h.Tokens.Refreshes);
    }

    [Fact]
    public async Task A_failed_chunk_names_its_days_while_the_rest_of_the_range_streams()
    {
        await using var h = await ReaderHarness.StartAsync(throttle: new RequestThrottle(maxInFlight: 1, requestsPerMinute: 0));
        h.Client.MaxRetries = 1;
        h.Reader.Lookahead = 1;
        var range = new CivilRange(new DateTime(2026, 5, 1), new DateTime(2026, 6, 11)); // 42 days: total-calories in 3 chunks
        // every total-calories request after the first fails: chunks 2 and 3 give up after one retry
        var seen = 0;
        h.Emulator.Faults.Add(FaultKind.Unavailable, count: 100, predicate: r =>
            r.Path.Value!.Contains("/total-calories/") && Interlocked.Increment(ref seen) >= 2);
        var items = h.Reader.ReadActivityDays(range, CancellationToken.None).ToList();
        var errors = items.Where(i => i.IsError).Select(i => i.Error!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("total-calories", e.DataType));
        Assert.Equal((new DateTime(2026, 5, 15), new DateTime(2026, 5, 28)), (errors[0].From, errors[0].To));
        Assert.Equal((new DateTime(2026, 5, 29), new DateTime(2026, 6, 11)), (errors[1].From, errors[1].To));
        Assert.Contains("2026-05-15 to 2026-05-28", errors[0].Message);
        Assert.Contains("503", errors[0].Message);
        var days = items.Where(i => !i.IsError).Select(i => i.Record).ToList();
        Assert.Equal(42, days.Count); // every day still arrives: the other types were fine
        Assert.All(days, d => Assert.True(d.Steps > 0));
        Assert.All(days.Where(d => d.Date < new DateTime(2026, 5, 15)), d => Assert.True(d.CaloriesTotal > 0));
        // The days whose total calories could not be read say so: empty, not a made-up 0 (issue 11, item 2).
        Assert.All(days.Where(d => d.Date >= new DateTime(2026, 5, 15)), d => Assert.Null(d.CaloriesTotal));
        Assert.All(days, d => Assert.NotNull(d.CaloriesActive));
    }

    [Fact]
    public async Task Cancellation_stops_at_once_even_during_a_back_off_wait()
    {
        await using var h = await ReaderHarness.StartAsync();
        h.Emulator.Faults.AddRateLimited(retryAfterSeconds: 60, count: 1, pathContains: "/heart-rate/");
        using var cts = new CancellationTokenSource();
        h.Client.Waiting += _ => cts.CancelAfter(200);
        var sw = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            h.Reader.ReadHeartRateSamples(new CivilRange(new DateTime(2026, 6, 1), new DateTime(2026, 6, 30)), cts.Token).Records());
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_mid_range_stops_the_remaining_chunks()
    {
        await using var h = await ReaderHarness.StartAsync();
        h.Reader.Lookahead = 1;
        using var cts = new CancellationTokenSource();
        var range = new CivilRange(new DateTime(2025, 1, 1), new DateTime(2025, 12, 31));
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var item in h.Reader.ReadActivityDays(range, cts.Token))
                if (++seen == 20) cts.Cancel();
        });
        Assert.Equal(20, seen);
        Assert.True(h.DataRequests < 30, $"{h.DataRequests} requests after cancelling (a full year is 57)");
    }

    [Fact]
    public async Task A_missing_scope_names_the_scope_and_the_command_that_grants_it()
    {
        await using var h = await ReaderHarness.StartAsync(scopes: new[] { Scopes.ActivityAndFitness, Scopes.Sleep });
        var item = h.Reader.ReadBodyWeight(Quarter, CancellationToken.None).First();
        var scope = Assert.IsType<MissingScopeException>(item.Error!.InnerException);
        Assert.Equal(HealthScope.HealthMetricsAndMeasurements, scope.Scope);
        Assert.Equal("Connect-Fitbit -Scope HealthMetrics", scope.ConnectCommand);
        Assert.Contains(Scopes.HealthMetrics, scope.Message);
        Assert.Equal(403, scope.HttpStatus);
    }

    [Fact]
    public async Task An_unlinked_account_is_a_clear_error()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.Person.AccountLinked = false);
        // Nothing else can be read either: the read ends with this one error instead of one per chunk.
        var notLinked = Assert.Throws<AccountNotLinkedException>(() => h.Reader.ReadSleep(Quarter, CancellationToken.None).First());
        Assert.Equal(1, h.DataRequests); // 400s are not retried
        // Google's remedy (the sign-up link of its Help detail) is kept in the message and the advice.
        Assert.Contains(HealthApiEmulator.Hosting.GoogleError.AccountSignUpUrl, notLinked.Links);
        Assert.Contains(HealthApiEmulator.Hosting.GoogleError.AccountSignUpUrl, notLinked.Message);
        Assert.Contains(HealthApiEmulator.Hosting.GoogleError.AccountSignUpUrl, notLinked.RecommendedAction);
    }

    [Fact]
    [Trait("Category", "Slow")] // one minute: the quota window is real time
    public async Task A_big_job_stays_under_the_per_minute_quota_without_any_429()
    {
        // The emulator enforces 30/min here; our limiter is told the same and must never trip it.
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 30, throttle: new RequestThrottle(4, 30));
        var range = new CivilRange(new DateTime(2025, 6, 1), new DateTime(2025, 11, 30)); // 183 days → 14 + 6×3 = 32 requests
        var days = h.Reader.ReadActivityDays(range, CancellationToken.None).Records();
        Assert.Equal(183, days.Count);
        Assert.DoesNotContain(h.Emulator.Requests.HealthApi, r => r.Status == 429);
        Assert.Contains(h.Waits, w => w.Attempt == 0); // waited on its own limiter instead
    }

    [Fact]
    [Trait("Category", "Slow")] // up to a minute: Google's quota lifts at the next real minute
    public async Task A_quota_429_without_Retry_After_waits_for_the_next_minute_and_finishes_without_a_storm()
    {
        // The emulator refuses beyond 5 requests a minute and names no time, as Google does (§1.6);
        // FitbitPS's own limiter is told 300, so the server's quota is what it meets.
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 5);
        var range = new CivilRange(new DateTime(2026, 9, 1), new DateTime(2026, 9, 30)); // 6 types × 1 + total-calories × 3 = 9 requests
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var days = h.Reader.ReadActivityDays(range, CancellationToken.None).Records();
        Assert.Equal(30, days.Count);
        var refused = h.Emulator.Requests.HealthApi.Count(r => r.Status == 429);
        Assert.InRange(refused, 1, 4); // the ones in flight when the quota ran out, each retried once after the minute
        Assert.Equal(9 + refused, h.DataRequests);
        var waits = h.Waits.Where(w => w.Reason.StartsWith("429", StringComparison.Ordinal)).ToList();
        Assert.Equal(refused, waits.Count);
        Assert.All(waits, w => Assert.Contains("next minute", w.ToString()));
        // each wait runs to just past the next real minute (never a fixed 30 s, never a tight retry loop)
        Assert.All(waits, w => Assert.InRange(w.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(63)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(75), clock.Elapsed.ToString());
    }
}
