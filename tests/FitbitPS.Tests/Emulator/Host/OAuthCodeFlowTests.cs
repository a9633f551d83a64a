using System.Net;
using System.Text.Json;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>Authorization-code flow with PKCE end to end over HTTP: an HttpClient plays the browser on the
/// consent page, another plays the app at /token.</summary>
public sealed class OAuthCodeFlowTests : IAsyncLifetime
{
    private const string Loopback = "http://127.0.0.1:53682/";
    private static readonly string[] TwoScopes = [Scopes.ActivityAndFitness, Scopes.HealthMetrics];

    private HealthApiEmulator.Hosting.Emulator _emu = null!;
    private readonly HttpClient _app = new();
    private readonly ConsentBrowser _browser = new();

    public async Task InitializeAsync() =>
        _emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });

    public async Task DisposeAsync()
    {
        _app.Dispose();
        _browser.Dispose();
        await _emu.DisposeAsync();
    }

    private Uri AuthUrl(Pkce? pkce, IEnumerable<string>? scopes = null, string redirect = Loopback, string clientId = OAuthServer.DefaultClientId)
        => ConsentBrowser.AuthorizationUrl(_emu.BaseUrl, clientId, redirect, scopes ?? TwoScopes, pkce);

    [Fact]
    public async Task Happy_path_consent_then_code_exchange_gives_working_tokens()
    {
        var pkce = new Pkce();
        var form = await _browser.OpenConsentAsync(AuthUrl(pkce));
        Assert.Equal(TwoScopes, form.Scopes);
        var location = await _browser.SubmitAsync(form, "allow");
        Assert.StartsWith(Loopback + "?", location.AbsoluteUri);
        var query = ConsentBrowser.Query(location);
        Assert.Equal("state-123", query["state"]);
        Assert.Equal(string.Join(' ', TwoScopes), query["scope"]);

        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await HostTestHelpers.ReadJsonAsync(response);
        Assert.StartsWith("ya29.", json.GetProperty("access_token").GetString());
        Assert.Equal(3599, json.GetProperty("expires_in").GetInt32());
        Assert.StartsWith("1//", json.GetProperty("refresh_token").GetString());
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(TwoScopes.Order(StringComparer.Ordinal), json.GetProperty("scope").GetString()!.Split(' '));

        await HostTestHelpers.AssertTokenAcceptedAsync(_app, _emu.BaseUrl, json.GetProperty("access_token").GetString()!);
        Assert.True(_emu.OAuth.IsRefreshTokenValid(json.GetProperty("refresh_token").GetString()!));
    }

    [Fact]
    public async Task Codes_verifiers_secrets_and_tokens_never_reach_the_request_log()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce));
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        var json = await HostTestHelpers.ReadJsonAsync(response);
        var refresh = json.GetProperty("refresh_token").GetString()!;
        using (await TokenClient.RefreshAsync(_app, _emu.BaseUrl, refresh)) { }

        var log = JsonSerializer.Serialize(_emu.Requests.All);
        foreach (var secret in new[] { query["code"], pkce.Verifier, OAuthServer.DefaultClientSecret, refresh, json.GetProperty("access_token").GetString()! })
        {
            Assert.DoesNotContain(secret, log);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), log); // as it travels in a form body
        }
        var tokenCalls = _emu.Requests.All.Where(r => r.Path == "/token").ToList();
        Assert.Equal(2, tokenCalls.Count);
        Assert.Contains("grant_type=authorization_code", tokenCalls[0].Body);
        Assert.Contains("code=REDACTED", tokenCalls[0].Body);
    }

    [Fact]
    public async Task Online_access_gives_no_refresh_token()
    {
        var pkce = new Pkce();
        var url = ConsentBrowser.AuthorizationUrl(_emu.BaseUrl, OAuthServer.DefaultClientId, Loopback, TwoScopes, pkce, offline: false);
        var query = await _browser.ConsentAsync(url);
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        var json = await HostTestHelpers.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(json.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task Pkce_verifier_must_match_the_challenge()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce));
        using (var wrong = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, new Pkce().Verifier))
            await TokenClient.AssertErrorAsync(wrong, HttpStatusCode.BadRequest, "invalid_grant", "Invalid code verifier.");
        using (var missing = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, null))
            await TokenClient.AssertErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_grant", "Missing code verifier.");
        // The failed attempts did not use the code up.
        using var right = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task A_verifier_without_a_challenge_is_refused()
    {
        var query = await _browser.ConsentAsync(AuthUrl(pkce: null));
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, new Pkce().Verifier);
        await TokenClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", "code_verifier or verifier is not needed.");
    }

    [Fact]
    public async Task A_code_works_once()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce));
        using (var first = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var again = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        await TokenClient.AssertErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes_on_the_emulator_clock()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce));
        _emu.Clock.Advance(TimeSpan.FromMinutes(11));
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        await TokenClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_request_with_another_redirect_uri_is_redirect_uri_mismatch()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce));
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], "http://127.0.0.1:53683/", pkce.Verifier);
        await TokenClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "redirect_uri_mismatch");
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("http://192.168.1.10:8080/")]
    [InlineData("https://127.0.0.1:8080/")]
    public async Task Desktop_client_refuses_non_loopback_redirects_without_redirecting(string redirect)
    {
        using var response = await _browser.GetAsync(AuthUrl(new Pkce(), redirect: redirect));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Error 400: redirect_uri_mismatch", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://127.0.0.1:49152/")]
    [InlineData("http://127.0.0.1:1234/oauth/callback")]
    [InlineData("http://localhost:8765")]
    public async Task Desktop_client_accepts_any_loopback_port(string redirect)
    {
        var form = await _browser.OpenConsentAsync(AuthUrl(new Pkce(), redirect: redirect));
        Assert.StartsWith(redirect, (await _browser.SubmitAsync(form, "allow")).AbsoluteUri);
    }

    [Fact]
    public async Task Web_client_needs_the_exact_registered_redirect()
    {
        const string registered = "http://localhost:8080/callback/";
        _emu.OAuth.RegisterClient("web-1.apps.googleusercontent.com", "GOCSPX-web", OAuthClientKind.Web, [registered]);
        using (var noSlash = await _browser.GetAsync(AuthUrl(new Pkce(), redirect: "http://localhost:8080/callback", clientId: "web-1.apps.googleusercontent.com")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noSlash.StatusCode);
            Assert.Contains("redirect_uri_mismatch", await noSlash.Content.ReadAsStringAsync());
        }
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce, redirect: registered, clientId: "web-1.apps.googleusercontent.com"));
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], registered, pkce.Verifier,
            "web-1.apps.googleusercontent.com", "GOCSPX-web");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_client_and_unknown_scope_are_error_pages()
    {
        using (var client = await _browser.GetAsync(AuthUrl(new Pkce(), clientId: "nobody.apps.googleusercontent.com")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, client.StatusCode);
            Assert.Contains("Error 401: invalid_client", await client.Content.ReadAsStringAsync());
        }
        using var scope = await _browser.GetAsync(AuthUrl(new Pkce(), scopes: [Scopes.Sleep, "https://www.googleapis.com/auth/fitness.steps.read"]));
        Assert.Equal(HttpStatusCode.BadRequest, scope.StatusCode);
        var html = await scope.Content.ReadAsStringAsync();
        Assert.Contains("Error 400: invalid_scope", html);
        Assert.Contains("fitness.steps.read", html);
    }

    [Fact]
    public async Task Denied_consent_redirects_with_access_denied_and_state()
    {
        var form = await _browser.OpenConsentAsync(AuthUrl(new Pkce()));
        var query = ConsentBrowser.Query(await _browser.SubmitAsync(form, "deny"));
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("state-123", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Consent_form_is_single_use()
    {
        var form = await _browser.OpenConsentAsync(AuthUrl(new Pkce()));
        await _browser.SubmitAsync(form, "allow");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var again = await http.PostAsync(form.Action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["request_id"] = form.RequestId, ["scope"] = form.Scopes[0], ["decision"] = "allow",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Null(again.Headers.Location);
    }

    [Fact]
    public async Task User_may_grant_fewer_scopes_than_asked()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce), ticked: [Scopes.ActivityAndFitness]);
        Assert.Equal(Scopes.ActivityAndFitness, query["scope"]);
        using var response = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier);
        var json = await HostTestHelpers.ReadJsonAsync(response);
        Assert.Equal(Scopes.ActivityAndFitness, json.GetProperty("scope").GetString());

        // The Health API honours the smaller grant: steps (activity) read, weight (health metrics) refused.
        var access = json.GetProperty("access_token").GetString()!;
        using (var steps = await HostTestHelpers.GetV4Async(_app, _emu.BaseUrl, access, "v4/users/me/dataTypes/steps/dataPoints?pageSize=1"))
            Assert.Equal(HttpStatusCode.OK, steps.StatusCode);
        using var weight = await HostTestHelpers.GetV4Async(_app, _emu.BaseUrl, access, "v4/users/me/dataTypes/weight/dataPoints?pageSize=1");
        Assert.Equal(HttpStatusCode.Forbidden, weight.StatusCode);
        Assert.Equal("PERMISSION_DENIED", (await HostTestHelpers.ReadGoogleErrorAsync(weight)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Client_secret_is_required_even_with_pkce()
    {
        var pkce = new Pkce();
        var query = await _browser.ConsentAsync(AuthUrl(pkce));
        using (var missing = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier, clientSecret: null))
            await TokenClient.AssertErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_request", "client_secret is missing.");
        using (var wrong = await TokenClient.ExchangeAsync(_app, _emu.BaseUrl, query["code"], Loopback, pkce.Verifier, clientSecret: "GOCSPX-wrong"))
            await TokenClient.AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client", "Unauthorized");
    }

    [Fact]
    public async Task Refresh_gives_a_new_working_access_token_and_no_refresh_token()
    {
        var tokens = _emu.OAuth.IssueTokens(TwoScopes);
        _emu.Clock.Advance(TimeSpan.FromHours(2));
        await HostTestHelpers.AssertTokenRefusedAsync(_app, _emu.BaseUrl, tokens.AccessToken);

        using var response = await TokenClient.RefreshAsync(_app, _emu.BaseUrl, tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await HostTestHelpers.ReadJsonAsync(response);
        Assert.False(json.TryGetProperty("refresh_token", out _));
        Assert.Equal(3599, json.GetProperty("expires_in").GetInt32());
        var fresh = json.GetProperty("access_token").GetString()!;
        Assert.NotEqual(tokens.AccessToken, fresh);
        await HostTestHelpers.AssertTokenAcceptedAsync(_app, _emu.BaseUrl, fresh);
    }

    [Fact]
    public async Task Unknown_refresh_token_is_invalid_grant()
    {
        using var response = await TokenClient.RefreshAsync(_app, _emu.BaseUrl, "1//0not-a-token");
        await TokenClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked.");
    }

    [Fact]
    public async Task Testing_app_refresh_tokens_die_seven_days_after_consent()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions
        {
            Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), TestingApp = true,
        });
        var tokens = emu.OAuth.IssueTokens([Scopes.Sleep]);
        emu.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        using (var stillOk = await TokenClient.RefreshAsync(_app, emu.BaseUrl, tokens.RefreshToken))
            Assert.Equal(HttpStatusCode.OK, stillOk.StatusCode);
        emu.Clock.Advance(TimeSpan.FromMinutes(1));
        using var dead = await TokenClient.RefreshAsync(_app, emu.BaseUrl, tokens.RefreshToken);
        await TokenClient.AssertErrorAsync(dead, HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked.");
        Assert.False(emu.OAuth.IsRefreshTokenValid(tokens.RefreshToken));
    }

    [Fact]
    public async Task Published_app_refresh_tokens_outlive_seven_days()
    {
        var tokens = _emu.OAuth.IssueTokens([Scopes.Sleep]);
        _emu.Clock.Advance(TimeSpan.FromDays(30));
        using var response = await TokenClient.RefreshAsync(_app, _emu.BaseUrl, tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revoking_the_refresh_token_kills_refresh_and_its_access_tokens()
    {
        var tokens = _emu.OAuth.IssueTokens(TwoScopes);
        var other = _emu.OAuth.IssueTokens(TwoScopes);
        using (var revoke = await _app.PostAsync(new Uri(_emu.BaseUrl, "revoke"),
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.RefreshToken })))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        using (var refresh = await TokenClient.RefreshAsync(_app, _emu.BaseUrl, tokens.RefreshToken))
            await TokenClient.AssertErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked.");
        await HostTestHelpers.AssertTokenRefusedAsync(_app, _emu.BaseUrl, tokens.AccessToken);
        await HostTestHelpers.AssertTokenAcceptedAsync(_app, _emu.BaseUrl, other.AccessToken); // another grant is untouched

        using var again = await _app.PostAsync(new Uri(_emu.BaseUrl, "revoke?token=" + Uri.EscapeDataString(tokens.RefreshToken)), null);
        await TokenClient.AssertErrorAsync(again, HttpStatusCode.BadRequest, "invalid_token", "Token expired or revoked");
    }

    [Fact]
    public async Task Revoking_an_access_token_revokes_its_refresh_token_too()
    {
        var tokens = _emu.OAuth.IssueTokens(TwoScopes);
        using (var revoke = await _app.PostAsync(new Uri(_emu.BaseUrl, "revoke?token=" + Uri.EscapeDataString(tokens.AccessToken)), null))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.False(_emu.OAuth.IsRefreshTokenValid(tokens.RefreshToken));
    }

    [Fact]
    public async Task Auto_approve_redirects_straight_back_with_a_code()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { AutoApprove = true });
        using var response = await _browser.GetAsync(ConsentBrowser.AuthorizationUrl(emu.BaseUrl, OAuthServer.DefaultClientId, Loopback, TwoScopes, new Pkce()));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var query = ConsentBrowser.Query(response.Headers.Location!);
        Assert.StartsWith("4/", query["code"]);
        Assert.Equal(string.Join(' ', TwoScopes), query["scope"]);
    }

    [Fact]
    public void Client_secrets_json_is_what_the_cloud_console_downloads()
    {
        using var doc = JsonDocument.Parse(_emu.OAuth.ClientSecretsJson());
        var installed = doc.RootElement.GetProperty("installed");
        Assert.Equal(["client_id", "project_id", "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_secret", "redirect_uris"],
            installed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(OAuthServer.DefaultClientId, installed.GetProperty("client_id").GetString());
        Assert.Equal(OAuthServer.DefaultClientSecret, installed.GetProperty("client_secret").GetString());
        Assert.Equal(new Uri(_emu.BaseUrl, "o/oauth2/v2/auth").AbsoluteUri, installed.GetProperty("auth_uri").GetString());
        Assert.Equal(new Uri(_emu.BaseUrl, "token").AbsoluteUri, installed.GetProperty("token_uri").GetString());
        Assert.Equal("http://localhost", installed.GetProperty("redirect_uris")[0].GetString());

        _emu.OAuth.RegisterClient("web-2.apps.googleusercontent.com", "GOCSPX-w2", OAuthClientKind.Web, ["https://www.google.com"]);
        using var web = JsonDocument.Parse(_emu.OAuth.ClientSecretsJson(OAuthClientKind.Web, "web-2.apps.googleusercontent.com"));
        Assert.Equal("https://www.google.com", web.RootElement.GetProperty("web").GetProperty("redirect_uris")[0].GetString());
    }
}
