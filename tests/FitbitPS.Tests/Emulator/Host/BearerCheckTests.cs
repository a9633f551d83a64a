using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>The /v4 bearer check: what a client sees without, with a bad, and with a good access token.</summary>
public sealed class BearerCheckTests : IAsyncLifetime
{
    private const string CapturedInvalidCredentials =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    private HealthApiEmulator.Hosting.Emulator _emu = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() =>
        _emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emu.DisposeAsync();
    }

    private Task<HttpResponseMessage> GetIdentityAsync(string? accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_emu.BaseUrl, "v4/users/me/identity"));
        if (accessToken != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return _http.SendAsync(request);
    }

    [Fact]
    public async Task Missing_header_is_401_missing_credential()
    {
        using var response = await GetIdentityAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await HostTestHelpers.ReadGoogleErrorAsync(response);
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("status").GetString());
        Assert.StartsWith("Request is missing required authentication credential.", error.GetProperty("message").GetString());
        Assert.Equal("CREDENTIALS_MISSING", error.GetProperty("details")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Unknown_token_is_401_with_the_captured_message()
    {
        using var response = await GetIdentityAsync("ya29.not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await HostTestHelpers.ReadGoogleErrorAsync(response);
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        Assert.Equal(CapturedInvalidCredentials, error.GetProperty("message").GetString());
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Issued_token_passes_until_it_expires_on_the_emulator_clock()
    {
        var tokens = _emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        Assert.Equal(3599, tokens.ExpiresInSeconds);
        Assert.StartsWith("ya29.", tokens.AccessToken);
        Assert.StartsWith("1//", tokens.RefreshToken);

        using (var ok = await GetIdentityAsync(tokens.AccessToken))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        _emu.Clock.Advance(TimeSpan.FromSeconds(3599));
        using var expired = await GetIdentityAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(CapturedInvalidCredentials, (await HostTestHelpers.ReadGoogleErrorAsync(expired)).GetProperty("message").GetString());
        Assert.True(_emu.OAuth.IsRefreshTokenValid(tokens.RefreshToken));
    }

    [Fact]
    public async Task ExpireAccessTokens_and_RevokeAll_refuse_the_token()
    {
        var tokens = _emu.OAuth.IssueTokens([Scopes.Sleep]);
        _emu.OAuth.ExpireAccessTokens();
        using (var expired = await GetIdentityAsync(tokens.AccessToken))
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.True(_emu.OAuth.IsRefreshTokenValid(tokens.RefreshToken));

        var second = _emu.OAuth.IssueTokens([Scopes.Sleep]);
        _emu.OAuth.RevokeAll();
        using (var revoked = await GetIdentityAsync(second.AccessToken))
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.False(_emu.OAuth.IsRefreshTokenValid(second.RefreshToken));
    }

    [Fact]
    public async Task Grant_with_cloud_platform_is_403_disallowed_scopes()
    {
        var tokens = _emu.OAuth.IssueTokens([Scopes.ActivityAndFitness, Scopes.CloudPlatform]);
        using var response = await GetIdentityAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await HostTestHelpers.ReadGoogleErrorAsync(response);
        Assert.Equal("PERMISSION_DENIED", error.GetProperty("status").GetString());
        Assert.Equal("DISALLOWED_OAUTH_SCOPES", error.GetProperty("details")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Unlinked_account_is_400_account_not_linked()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions
        {
            Person = new HealthApiEmulator.Data.PersonOptions { AccountLinked = false },
        });
        var tokens = emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emu.BaseUrl, "v4/users/me/identity"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HostTestHelpers.ReadGoogleErrorAsync(response);
        Assert.Equal("FAILED_PRECONDITION", error.GetProperty("status").GetString());
        Assert.Equal("The account is not linked to Google Health", error.GetProperty("message").GetString());
        var details = error.GetProperty("details");
        Assert.Equal(2, details.GetArrayLength());
        var info = details[0];
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", info.GetProperty("@type").GetString());
        Assert.Equal("ACCOUNT_NOT_LINKED", info.GetProperty("reason").GetString());
        Assert.Equal(GoogleError.AccountSignUpUrl, info.GetProperty("metadata").GetProperty("signUpUrl").GetString());
        // AIP-193 google.rpc.Help with the sign-up link
        var help = details[1];
        Assert.Equal("type.googleapis.com/google.rpc.Help", help.GetProperty("@type").GetString());
        var link = Assert.Single(help.GetProperty("links").EnumerateArray());
        Assert.Equal("https://www.fitbit.com/setup", link.GetProperty("url").GetString());
        Assert.False(string.IsNullOrWhiteSpace(link.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Token_is_never_written_to_the_request_log()
    {
        var tokens = _emu.OAuth.IssueTokens([Scopes.ActivityAndFitness]);
        using (await GetIdentityAsync(tokens.AccessToken)) { }
        using (await _http.PostAsync(new Uri(_emu.BaseUrl, "revoke"), new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.RefreshToken }))) { }
        var all = JsonSerializer.Serialize(_emu.Requests.All);
        Assert.DoesNotContain(tokens.AccessToken, all);
        Assert.DoesNotContain(tokens.RefreshToken, all);
        Assert.Equal(2, _emu.Requests.All.Count);
    }
}
