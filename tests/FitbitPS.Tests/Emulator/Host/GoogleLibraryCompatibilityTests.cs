using System.Net;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>The engine signs in with Google.Apis.Auth: the emulator must satisfy that library, not only our own HttpClient calls.</summary>
public sealed class GoogleLibraryCompatibilityTests
{
    [Fact]
    public async Task Google_Apis_Auth_pkce_flow_signs_in_refreshes_and_revokes_against_the_emulator()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });
        using var secretsStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(emu.OAuth.ClientSecretsJson()));
        var secrets = GoogleClientSecrets.FromStream(secretsStream).Secrets;
        Assert.Equal(OAuthServer.DefaultClientId, secrets.ClientId);

        var flow = new PkceGoogleAuthorizationCodeFlow(new EmulatorInitializer(
            new Uri(emu.BaseUrl, "o/oauth2/v2/auth").AbsoluteUri, new Uri(emu.BaseUrl, "token").AbsoluteUri, new Uri(emu.BaseUrl, "revoke").AbsoluteUri)
        {
            ClientSecrets = secrets,
            Scopes = [Scopes.ActivityAndFitness, Scopes.Sleep],
            Prompt = "consent",
        });
        const string redirect = "http://127.0.0.1:50123/";
        var authUrl = flow.CreateAuthorizationCodeRequest(redirect, out var codeVerifier).Build();

        using var browser = new ConsentBrowser();
        var query = await browser.ConsentAsync(authUrl);

        var token = await flow.ExchangeCodeForTokenAsync("user", query["code"], codeVerifier, redirect, CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(token.RefreshToken));
        Assert.Equal(3599, token.ExpiresInSeconds);
        using var http = new HttpClient();
        await HostTestHelpers.AssertTokenAcceptedAsync(http, emu.BaseUrl, token.AccessToken);

        var refreshed = await flow.RefreshTokenAsync("user", token.RefreshToken, CancellationToken.None);
        Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
        await HostTestHelpers.AssertTokenAcceptedAsync(http, emu.BaseUrl, refreshed.AccessToken);

        await flow.RevokeTokenAsync("user", token.RefreshToken, CancellationToken.None);
        var failure = await Assert.ThrowsAsync<TokenResponseException>(() => flow.RefreshTokenAsync("user", token.RefreshToken, CancellationToken.None));
        Assert.Equal("invalid_grant", failure.Error.Error);
        Assert.Equal(HttpStatusCode.BadRequest, failure.StatusCode);
    }

    /// <summary>The library sets Google's URLs unless a derived initializer passes others (protected constructor).</summary>
    private sealed class EmulatorInitializer(string authorizationServerUrl, string tokenServerUrl, string revokeTokenUrl)
        : GoogleAuthorizationCodeFlow.Initializer(authorizationServerUrl, tokenServerUrl, revokeTokenUrl);
}
