using System.Net;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>Per-user quota, the turned-off legacy Fitbit API, and Google's answer for paths that don't exist.</summary>
public sealed class QuotaAndRoutingTests
{
    private readonly HttpClient _http = new();

    /// <summary>A clock the test moves by hand (the quota runs on EmulatorOptions.QuotaTimeProvider).</summary>
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Quota_refuses_past_the_per_minute_limit_without_retry_after_and_lifts_at_the_minute_boundary()
    {
        // evidence §1.6: 300 requests a minute per user; no Retry-After on quota 429s; quota_limit_value and consumer
        var time = new ManualTime(new DateTimeOffset(2026, 11, 20, 12, 0, 10, TimeSpan.Zero));
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { QuotaPerMinute = 5, QuotaTimeProvider = time });
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var limited = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.False(limited.Headers.Contains("Retry-After"));
            var error = await HostTestHelpers.ReadGoogleErrorAsync(limited);
            Assert.Equal(429, error.GetProperty("code").GetInt32());
            Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
            var info = error.GetProperty("details")[0];
            Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", info.GetProperty("@type").GetString());
            Assert.Equal("RATE_LIMIT_EXCEEDED", info.GetProperty("reason").GetString());
            Assert.Equal("googleapis.com", info.GetProperty("domain").GetString());
            var metadata = info.GetProperty("metadata");
            Assert.Equal("5", metadata.GetProperty("quota_limit_value").GetString());
            Assert.Equal("projects/123456789012", metadata.GetProperty("consumer").GetString());
            Assert.Equal("health.googleapis.com", metadata.GetProperty("service").GetString());
        }

        // The quota is per user, not per token: a fresh token of the same person is refused too.
        var other = emu.OAuth.IssueTokens([Scopes.Sleep]);
        using (var alsoLimited = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, other.AccessToken))
            Assert.Equal(HttpStatusCode.TooManyRequests, alsoLimited.StatusCode);

        // still refused in the last instant of the minute (a rolling window would still refuse at 12:01:00 too)
        time.Now = new DateTimeOffset(2026, 11, 20, 12, 0, 59, 999, TimeSpan.Zero);
        using (var stillLimited = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken))
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);

        // the quota lifts at the wall-clock minute boundary, 50 s after the first request
        time.Now = new DateTimeOffset(2026, 11, 20, 12, 1, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var limitedAgain = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken))
            Assert.Equal(HttpStatusCode.TooManyRequests, limitedAgain.StatusCode);
    }

    [Fact]
    public async Task Quota_retry_after_switch_sends_the_seconds_until_the_minute_boundary()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 20, 12, 0, 10, TimeSpan.Zero));
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { QuotaPerMinute = 1, QuotaRetryAfter = true, QuotaTimeProvider = time });
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        using (var ok = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var limited = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(50), limited.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Requests_refused_by_the_bearer_check_do_not_use_quota()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { QuotaPerMinute = 2 });
        for (var i = 0; i < 5; i++)
            using (await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, "ya29.bogus")) { }
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        using var ok = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Quota_zero_turns_the_limit_off()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { QuotaPerMinute = 0 });
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        for (var i = 0; i < 20; i++)
        {
            using var response = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("GET", "1/user/-/activities/steps/date/today/1d.json")]
    [InlineData("GET", "1.2/user/-/sleep/date/2026-11-01.json")]
    [InlineData("GET", "1/user/-/body/log/weight/date/2026-11-01.json")]
    [InlineData("POST", "oauth2/token")]
    public async Task Legacy_fitbit_api_is_gone(string method, string path)
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync();
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(emu.BaseUrl, path)));
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("2026-11-02", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_path_is_googles_html_404()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync();
        using var response = await _http.GetAsync(new Uri(emu.BaseUrl, "v5/users/me/whatever"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The requested URL <code>/v5/users/me/whatever</code> was not found on this server.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Options_latency_delays_health_api_answers()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Latency = TimeSpan.FromMilliseconds(300) });
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken)) { }
        Assert.True(watch.ElapsedMilliseconds >= 280, $"answered after {watch.ElapsedMilliseconds} ms");
    }
}
