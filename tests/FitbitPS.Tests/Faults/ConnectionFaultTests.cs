using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Auth;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Faults;
using Xunit;

namespace FitbitPS.Tests.Faults;

/// <summary>
/// Nothing stuck: a body that stalls after its headers is given up at the request's deadline (item 9), and a
/// run of failed connections ends the command within seconds with one "Google is unreachable" (item 10), while
/// 429/503 keep their patient back-off.
/// </summary>
public class ConnectionFaultTests
{
    private static readonly CivilRange Week = new(new DateTime(2026, 11, 13), new DateTime(2026, 11, 19));

    [Fact]
    public async Task A_body_that_stalls_after_its_headers_is_given_up_at_the_deadline_and_asked_again()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        h.Client.RequestTimeout = TimeSpan.FromSeconds(2);
        var stall = h.Emulator.Faults.Add(FaultKind.StalledBody, 1, pathContains: "/dataTypes/sleep/");
        stall.StallFor = TimeSpan.FromSeconds(60); // the connection stays open: only a deadline over the body ends it

        var clock = Stopwatch.StartNew();
        var sleeps = h.Reader.ReadSleep(Week, default).Records();
        clock.Stop();

        Assert.Equal(1, stall.Hits);
        Assert.Equal(new FitbitReader(h.Client).ReadSleep(Week, default).Records().Count, sleeps.Count);
        Assert.True(sleeps.Count >= 5);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the stalled body held the read for {clock.Elapsed.TotalSeconds:0.#} s (deadline 2 s)");
    }

    [Fact]
    public async Task A_body_that_stalls_every_time_ends_the_read_with_an_error_not_a_hang()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        h.Client.RequestTimeout = TimeSpan.FromSeconds(1);
        var stall = h.Emulator.Faults.Add(FaultKind.StalledBody, 1000, pathContains: "/dataTypes/sleep/");
        stall.StallFor = TimeSpan.FromSeconds(60);

        var items = h.Reader.ReadSleep(Week, default).ToList();

        var error = Assert.Single(items, i => i.IsError).Error!;
        Assert.Contains("short twice", error.Message);
        Assert.True(stall.Hits <= 2, $"{stall.Hits} attempts");
    }

    /// <summary>A port nothing listens on: every connection is refused, as when the API (or the network) is down.</summary>
    private static Uri DeadEndpoint()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private sealed class FixedToken : IAccessTokenSource
    {
        public Task<string> GetAccessTokenAsync(string? rejected, CancellationToken cancellationToken) => Task.FromResult("token");
    }

    [Fact]
    public async Task With_Google_down_a_one_request_read_fails_after_four_attempts_and_seconds_of_waiting()
    {
        using var client = new HealthClient(new FixedToken(), DeadEndpoint());
        var waits = new List<RequestWait>();
        client.Waiting += w => waits.Add(w);
        var reader = new FitbitReader(client);

        var ex = Assert.Throws<GoogleUnreachableException>(() => reader.ReadSleep(Week, default).ToList());

        Assert.Equal("FitbitGoogleUnreachable", ex.ErrorId);
        Assert.True(ex.EndsCommand);
        Assert.Contains("Google is unreachable", ex.Message);
        Assert.Contains("Check the network", ex.RecommendedAction);
        Assert.Equal(4, client.RequestCount);           // was 7 attempts over ~45 s
        Assert.Equal(3, waits.Count);
        Assert.True(waits.Sum(w => w.Delay.TotalSeconds) <= 3.5, $"waited {waits.Sum(w => w.Delay.TotalSeconds):0.#} s in all");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_ends_the_read_after_four_attempts()
    {
        // A proxy or a half-dead server: the connection opens, nothing ever comes back.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (Exception) { /* stopped */ }
        });
        try
        {
            using var client = new HealthClient(new FixedToken(), new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/"))
            {
                RequestTimeout = TimeSpan.FromSeconds(1),
            };
            var ex = Assert.Throws<GoogleUnreachableException>(() => new FitbitReader(client).ReadSleep(Week, default).ToList());
            Assert.Equal(4, client.RequestCount);
            Assert.Contains("Nothing received for 1 s", ex.Message);
        }
        finally
        {
            silent.Stop();
            foreach (var c in held) c.Dispose();
            await accepting;
        }
    }

    [Fact]
    public async Task One_request_that_always_fails_gives_up_even_while_other_requests_are_answered()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        // Sleep requests are always dropped (a proxy rule against one URL); weight requests are answered, and each
        // answer starts the client's count of failures in a row again.
        var dropped = h.Emulator.Faults.Add(FaultKind.ConnectionReset, 1_000_000, pathContains: "/dataTypes/sleep/");
        var stop = new CancellationTokenSource();
        var answered = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    h.Reader.ReadBodyWeight(Week, default).Records();
                    await Task.Delay(50);
                }
            }
            catch (GoogleUnreachableException) { /* the command ended: the client refuses further requests */ }
        });

        Assert.Throws<GoogleUnreachableException>(() => h.Reader.ReadSleep(Week, default).ToList());
        stop.Cancel();
        await answered;

        Assert.Equal(4, dropped.Hits); // was: retried for as long as other requests kept being answered
    }

    [Fact]
    public async Task When_the_API_dies_during_a_five_year_read_the_read_stops_at_once_with_one_error()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        h.Client.MaxRetries = 6; // the patient back-off stays for answers; refused connections are another matter
        int seen = 0;
        // From the 10th request on, every connection is dropped before an answer (the server died).
        var down = h.Emulator.Faults.Add(FaultKind.ConnectionReset, 1_000_000, predicate: r =>
            r.Path.StartsWithSegments("/v4") && Interlocked.Increment(ref seen) >= 10);
        var range = new CivilRange(new DateTime(2021, 11, 20), new DateTime(2026, 11, 19));

        var items = new List<ReadItem<Engine.Records.ActivityDay>>();
        Assert.Throws<GoogleUnreachableException>(() =>
        {
            foreach (var item in h.Reader.ReadActivityDays(range, default)) items.Add(item);
        });

        Assert.DoesNotContain(items, i => i.IsError); // one error for the command, none per chunk
        // 4 failures in a row end it; requests already in flight (and answers that arrive late, which start the count
        // again) add a few: a handful, not the ~1,800 requests and 24 minutes of retries before.
        Assert.True(down.Hits <= 16, $"{down.Hits} connections were tried after the API died");
    }

    [Fact]
    public async Task A_503_still_gets_the_patient_back_off_and_the_read_finishes()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        h.Emulator.Faults.Add(FaultKind.Unavailable, 5, pathContains: "/dataTypes/sleep/");

        var sleeps = h.Reader.ReadSleep(Week, default).Records();

        Assert.True(sleeps.Count >= 5);
        Assert.Equal(5, h.Waits.Count(w => w.Reason.StartsWith("503", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_few_dropped_connections_are_retried_and_the_read_finishes()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        h.Emulator.Faults.Add(FaultKind.ConnectionReset, 3, pathContains: "/dataTypes/sleep/");

        var sleeps = h.Reader.ReadSleep(Week, default).Records();

        Assert.Equal(new FitbitReader(h.Client).ReadSleep(Week, default).Records().Count, sleeps.Count);
    }
}
