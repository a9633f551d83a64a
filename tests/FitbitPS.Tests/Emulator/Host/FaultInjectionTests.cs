using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HealthApiEmulator.Faults;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>Each injected fault as an HttpClient (the engine's transport) experiences it.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private HealthApiEmulator.Hosting.Emulator _emu = null!;
    private readonly HttpClient _http = new();
    private IssuedTokensShim _tokens = null!;

    private sealed record IssuedTokensShim(string AccessToken, string RefreshToken);

    public async Task InitializeAsync()
    {
        _emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });
        var issued = _emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        _tokens = new IssuedTokensShim(issued.AccessToken, issued.RefreshToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emu.DisposeAsync();
    }

    private Task<HttpResponseMessage> GetAsync(string? token = null) => HostTestHelpers.GetV4Async(_http, _emu.BaseUrl, token ?? _tokens.AccessToken);

    [Fact]
    public async Task Latency_delays_the_answer_then_the_request_proceeds()
    {
        _emu.Faults.AddLatency(TimeSpan.FromMilliseconds(400));
        var watch = Stopwatch.StartNew();
        using var response = await GetAsync();
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(380), $"answered after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _emu.Faults.Pending);
    }

    [Fact]
    public async Task Rate_limited_is_429_with_retry_after_then_clears()
    {
        var fault = _emu.Faults.AddRateLimited(retryAfterSeconds: 7);
        using (var limited = await GetAsync())
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
            var error = await HostTestHelpers.ReadGoogleErrorAsync(limited);
            Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
            Assert.Equal(429, error.GetProperty("code").GetInt32());
        }
        using var next = await GetAsync();
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, fault.Hits);
    }

    [Fact]
    public async Task Unavailable_hits_the_next_n_requests()
    {
        _emu.Faults.Add(FaultKind.Unavailable, count: 2);
        for (var i = 0; i < 2; i++)
        {
            using var response = await GetAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("UNAVAILABLE", (await HostTestHelpers.ReadGoogleErrorAsync(response)).GetProperty("status").GetString());
        }
        using var third = await GetAsync();
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal([503, 503, (int)third.StatusCode], _emu.Requests.HealthApi.Select(r => r.Status));
    }

    [Fact]
    public async Task Connection_reset_throws_HttpRequestException()
    {
        _emu.Faults.Add(FaultKind.ConnectionReset);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync());
        Assert.NotNull(ex);
        Assert.Equal(0, (await HostTestHelpers.WaitForLoggedAsync(_emu.Requests, 1))[0].Status);
    }

    [Fact]
    public async Task Truncated_body_fails_while_reading_the_content()
    {
        _emu.Faults.Add(FaultKind.TruncatedBody);
        // HttpClient reads the whole body by default: the short body surfaces as HttpRequestException(IOException).
        var ex = await Record.ExceptionAsync(async () =>
        {
            using var response = await GetAsync();
            JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        });
        Assert.True(ex is HttpRequestException or IOException or JsonException, $"unexpected {ex?.GetType().Name ?? "success"}: {ex?.Message}");
        Assert.Equal(0, (await HostTestHelpers.WaitForLoggedAsync(_emu.Requests, 1))[0].Status);
    }

    [Fact]
    public async Task Html_error_page_is_a_502_that_is_not_json()
    {
        _emu.Faults.Add(FaultKind.HtmlErrorPage);
        using var response = await GetAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Error 502 (Server Error)!!1</title>", body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Malformed_json_is_a_200_that_does_not_parse()
    {
        _emu.Faults.Add(FaultKind.MalformedJson);
        using var response = await GetAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Expired_access_token_is_401_and_refresh_recovers()
    {
        _emu.Faults.Add(FaultKind.ExpiredAccessToken);
        using (var response = await GetAsync())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Request had invalid authentication credentials.", (await HostTestHelpers.ReadGoogleErrorAsync(response)).GetProperty("message").GetString());
        }
        // The token really is dead now, not just for one answer.
        await HostTestHelpers.AssertTokenRefusedAsync(_http, _emu.BaseUrl, _tokens.AccessToken);
        using var refresh = await TokenClient.RefreshAsync(_http, _emu.BaseUrl, _tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var fresh = (await HostTestHelpers.ReadJsonAsync(refresh)).GetProperty("access_token").GetString()!;
        await HostTestHelpers.AssertTokenAcceptedAsync(_http, _emu.BaseUrl, fresh);
    }

    [Fact]
    public async Task Revoked_token_is_401_and_refresh_fails_invalid_grant()
    {
        _emu.Faults.Add(FaultKind.RevokedToken);
        using (var response = await GetAsync())
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var refresh = await TokenClient.RefreshAsync(_http, _emu.BaseUrl, _tokens.RefreshToken);
        await TokenClient.AssertErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked.");
        Assert.False(_emu.OAuth.IsRefreshTokenValid(_tokens.RefreshToken));
    }

    [Fact]
    public async Task Path_filter_targets_the_token_endpoint_and_spares_v4()
    {
        _emu.Faults.Add(FaultKind.Unavailable, pathContains: "/token");
        using (var v4 = await GetAsync())
            Assert.Equal(HttpStatusCode.OK, v4.StatusCode);
        using (var token = await TokenClient.RefreshAsync(_http, _emu.BaseUrl, _tokens.RefreshToken))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, token.StatusCode);
        using var again = await TokenClient.RefreshAsync(_http, _emu.BaseUrl, _tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Faults_without_a_filter_leave_oauth_alone()
    {
        _emu.Faults.Add(FaultKind.Unavailable);
        using (var token = await TokenClient.RefreshAsync(_http, _emu.BaseUrl, _tokens.RefreshToken))
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(1, _emu.Faults.Pending);
    }
}
