using System.Net;
using System.Text;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>The /_emulator control API scripts use: mistakes are 400 with the reason, and it stays out of the log.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private HealthApiEmulator.Hosting.Emulator _emu = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() =>
        _emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emu.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _http.PostAsync(new Uri(_emu.BaseUrl, path), new StringContent(json, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("_emulator/faults", "{\"kind\":\"Unavailable\",\"count\":\"two\"}", "")]
    [InlineData("_emulator/faults", "{\"kind\":\"Unavailable\",\"count\":0}", "count must be 1 or more")]
    [InlineData("_emulator/faults", "not json", "kind")]
    [InlineData("_emulator/clock", "{}", "advanceSeconds")]
    [InlineData("_emulator/clock", "{\"set\":\"next tuesday\"}", "ISO 8601")]
    [InlineData("_emulator/tokens", "{\"scopes\":[]}", "scopes")]
    [InlineData("_emulator/tokens", "{\"scopes\":[\"x\"],\"clientId\":\"nobody\"}", "Unknown OAuth client")]
    public async Task Mistakes_are_400_with_the_reason(string path, string body, string reason)
    {
        using var response = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await HostTestHelpers.ReadJsonAsync(response)).GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Contains(reason, error);
        Assert.Equal(0, _emu.Faults.Pending);
    }

    [Fact]
    public async Task Clock_moves_the_emulator_clock_and_status_reports_it()
    {
        using (var set = await PostAsync("_emulator/clock", "{\"set\":\"2026-12-01T08:00:00Z\"}"))
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), _emu.Clock.UtcNow);
        using var status = await _http.GetAsync(new Uri(_emu.BaseUrl, "_emulator"));
        var json = await HostTestHelpers.ReadJsonAsync(status);
        Assert.Equal("2026-12-01T08:00:00.000Z", json.GetProperty("now").GetString());
        Assert.Equal(_emu.BaseUrl.AbsoluteUri, json.GetProperty("baseUrl").GetString());
        Assert.Empty(_emu.Requests.All);
    }

    [Fact]
    public async Task Status_reports_the_strictness_switches_on_by_default_and_the_paging_counters()
    {
        using (var status = await _http.GetAsync(new Uri(_emu.BaseUrl, "_emulator")))
        {
            var json = await HostTestHelpers.ReadJsonAsync(status);
            Assert.True(json.GetProperty("shortPages").GetBoolean());
            Assert.True(json.GetProperty("pageBoundaryLoss").GetBoolean());
            Assert.False(json.GetProperty("quotaRetryAfter").GetBoolean());
            Assert.False(json.GetProperty("legacyHeartRateCadence").GetBoolean());
            Assert.False(json.GetProperty("heartRateCivilFilterWorks").GetBoolean());
            Assert.Equal(0, json.GetProperty("boundarySkippedPoints").GetInt64());
            Assert.Equal(0, json.GetProperty("emptyPages").GetInt64());
        }
        // read raw steps page by page until a boundary drops a point, then ask the control API
        var token = _emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]).AccessToken;
        var filter = Uri.EscapeDataString("steps.interval.civil_start_time >= \"2026-11-16\" AND steps.interval.civil_start_time < \"2026-11-19\"");
        string? next = null;
        do
        {
            using var page = await HostTestHelpers.GetV4Async(_http, _emu.BaseUrl, token,
                $"v4/users/me/dataTypes/steps/dataPoints?pageSize=97&filter={filter}" + (next == null ? "" : "&pageToken=" + Uri.EscapeDataString(next)));
            next = (await HostTestHelpers.ReadJsonAsync(page)).GetProperty("nextPageToken").GetString();
        }
        while (!string.IsNullOrEmpty(next));
        Assert.True(_emu.Paging.BoundarySkippedPoints > 0);
        using (var paging = await _http.GetAsync(new Uri(_emu.BaseUrl, "_emulator/paging?dataType=steps")))
            Assert.Equal(_emu.Paging.BoundarySkippedPointsOf("steps"), (await HostTestHelpers.ReadJsonAsync(paging)).GetProperty("boundarySkippedPoints").GetInt64());
        using (var none = await _http.GetAsync(new Uri(_emu.BaseUrl, "_emulator/paging?dataType=heart-rate")))
            Assert.Equal(0, (await HostTestHelpers.ReadJsonAsync(none)).GetProperty("boundarySkippedPoints").GetInt64());
        using (await _http.DeleteAsync(new Uri(_emu.BaseUrl, "_emulator/paging"))) { }
        Assert.Equal(0, _emu.Paging.BoundarySkippedPoints);
    }

    [Fact]
    public async Task Expire_and_revoke_all_act_on_issued_tokens()
    {
        var tokens = _emu.OAuth.IssueTokens([Scopes.Sleep]);
        using (var expire = await PostAsync("_emulator/tokens/expire", ""))
            Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        await HostTestHelpers.AssertTokenRefusedAsync(_http, _emu.BaseUrl, tokens.AccessToken);
        Assert.True(_emu.OAuth.IsRefreshTokenValid(tokens.RefreshToken));
        using (var revoke = await PostAsync("_emulator/tokens/revoke-all", ""))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.False(_emu.OAuth.IsRefreshTokenValid(tokens.RefreshToken));
    }
}
