using System.Net;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>Per-user quota, the turned-off legacy Fitbit API, and Google's answer for paths that don't exist.</summary>
public sealed class QuotaAndRoutingTests
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Quota_refuses_the_request_past_the_per_minute_limit_with_retry_after()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { QuotaPerMinute = 5 });
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        var error = await HostTestHelpers.ReadGoogleErrorAsync(limited);
        Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
        Assert.Equal("RATE_LIMIT_EXCEEDED", error.GetProperty("details")[0].GetProperty("reason").GetString());

        // The quota is per user, not per token: a fresh token of the same person is refused too.
        var other = emu.OAuth.IssueTokens([Scopes.Sleep]);
        using var alsoLimited = await HostTestHelpers.GetV4Async(_http, emu.BaseUrl, other.AccessToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, alsoLimited.StatusCode);
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
