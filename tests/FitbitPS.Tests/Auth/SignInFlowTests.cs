using System.Net;
using System.Net.Sockets;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>Sign-in end to end against the emulator, with an HttpClient as the person's browser.</summary>
public sealed class SignInFlowTests : SignInTestBase
{

    private ConnectOptions Options(string profile = "default", TokenCacheKind cache = TokenCacheKind.Passphrase) =>
        _emu.ConnectTo(_folder, _log, _browser, cache, profile);

    private ProfileRecord Stored(string profile = "default") =>
        new ProfileStore(new PassphraseBlobStore(_folder.Path, "correct horse battery staple")).Read(profile)!;

    [Fact]
    public async Task Browser_flow_signs_in_through_consent_and_the_loopback_listener()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);

        var url = new Uri(_browser.LastAuthorizationUrl!);
        var q = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("offline", q["access_type"]);
        Assert.Equal("consent", q["prompt"]);
        Assert.Equal("S256", q["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(q["code_challenge"]));
        Assert.True(q["state"]!.Length >= 20);
        Assert.StartsWith("http://127.0.0.1:", q["redirect_uri"]);
        await _browser.LastFollow!;
        Assert.Equal(HttpStatusCode.OK, _browser.ListenerStatus);
        Assert.Contains("You can close this tab", _browser.ListenerBody);

        var context = session.Context;
        Assert.Equal(_emu.Person.Options.HealthUserId, context.HealthUserId);
        Assert.Equal(new[] { "Activity", "HealthMetrics", "Sleep", "Profile", "Settings" }, context.GrantedScopes);
        Assert.Empty(context.MissingScopes);
        Assert.Equal(TokenCacheKind.Passphrase, context.TokenCacheKind);
        Assert.True(context.CacheEncrypted);
        Assert.Equal(_folder.Path, context.CacheLocation);
        Assert.Equal(OAuthServer.DefaultClientId, context.ClientId);
        Assert.True(context.AccessTokenExpiresUtc > _emu.Clock.UtcNow.UtcDateTime);
        Assert.True(_emu.OAuth.IsRefreshTokenValid(Stored().Token.RefreshToken));

        // The listener took exactly one callback: the port is closed now.
        using var again = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => again.ConnectAsync(IPAddress.Loopback, new Uri(q["redirect_uri"]!).Port));
    }

    [Fact]
    public async Task Unticked_scope_gives_a_warning_naming_the_readers_that_will_fail()
    {
        _browser.Untick.Add(FitbitScopes.ToGoogleScope("Sleep"));
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        Assert.Equal(new[] { "Sleep" }, session.Context.MissingScopes);
        Assert.Contains(_log.Warnings, w => w.StartsWith("Sleep scope not granted: Get-FitbitSleep, Get-FitbitSleepStage will fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deny_on_the_consent_page_is_access_denied()
    {
        _browser.Allow = false;
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None));
        Assert.Equal(AuthErrorIds.AccessDenied, ex.ErrorId);
        Assert.Contains("Allow", ex.Message);
        await _browser.LastFollow!;
        Assert.Equal(HttpStatusCode.OK, _browser.ListenerStatus); // the tab still gets a page
    }

    [Fact]
    public async Task Second_connect_is_silent_and_survives_a_new_process_view_of_the_cache()
    {
        using (await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None)) { }
        Assert.Equal(1, _browser.Opened);

        // No client parameters: the profile remembers them.
        var again = Options();
        again.ClientId = null; again.ClientSecret = null; again.EndpointUri = null;
        using var session = await FitbitAuthenticator.ConnectAsync(again, CancellationToken.None);
        Assert.Equal(1, _browser.Opened);
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);
        Assert.Contains(_log.Messages, m => m.Message.Contains("without a browser"));

        // -Force asks for consent again.
        var forced = Options(); forced.Force = true;
        using (await FitbitAuthenticator.ConnectAsync(forced, CancellationToken.None)) { }
        Assert.Equal(2, _browser.Opened);
    }

    [Fact]
    public async Task Non_interactive_never_opens_a_browser_and_names_the_command_to_run()
    {
        var o = Options("nightly"); o.NonInteractive = true;
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));
        Assert.Equal(AuthErrorIds.InteractionRequired, ex.ErrorId);
        Assert.Contains("Connect-Fitbit -Profile nightly", ex.Message);
        Assert.Equal(0, _browser.Opened);

        var open = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.OpenAsync(o.Reopen(), CancellationToken.None));
        Assert.Equal(AuthErrorIds.NotSignedIn, open.ErrorId);
        Assert.Contains("Connect-Fitbit -Profile nightly", open.Message);

        // What a reader cmdlet does for a profile that exists nowhere: "not signed in", even where no keyring works.
        var reader = new SessionOptions { Profile = "nightly", CacheFolder = _folder.Path, NonInteractive = true };
        Assert.Equal(AuthErrorIds.NotSignedIn, (await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.OpenAsync(reader, CancellationToken.None))).ErrorId);
        Assert.Equal(AuthErrorIds.NotSignedIn, Assert.Throws<FitbitAuthException>(() => FitbitAuthenticator.ReadContext(reader)).ErrorId);
    }

    [Fact]
    public async Task Expired_access_token_is_refreshed_transparently_and_saved()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        var first = await session.GetAccessTokenAsync(false, CancellationToken.None);

        _emu.Clock.Advance(TimeSpan.FromHours(2)); // past the 1-hour lifetime on both sides
        var second = await session.GetAccessTokenAsync(false, CancellationToken.None);
        Assert.NotEqual(first, second);
        Assert.Equal(second, Stored().Token.AccessToken);
        Assert.Equal(1, _emu.Requests.Count(r => r.Path == "/token" && r.Body != null && r.Body.Contains("refresh_token") && r.Status == 200) is var n && n >= 1 ? 1 : 0);

        // A 401 (server expired the token early) → forceRefresh; concurrent callers share one refresh.
        _emu.OAuth.ExpireAccessTokens();
        var before = _emu.Requests.Count(r => r.Path == "/token");
        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => session.GetAccessTokenAsync(true, CancellationToken.None))));
        Assert.Single(tokens.Distinct());
        Assert.Equal(1, _emu.Requests.Count(r => r.Path == "/token") - before);
        Assert.NotEqual(second, tokens[0]);
    }

    [Fact]
    public async Task Revoked_grant_on_refresh_is_invalid_grant_with_the_testing_hint()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        _emu.OAuth.RevokeAll();
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => session.GetAccessTokenAsync(true, CancellationToken.None));
        Assert.Equal(AuthErrorIds.RefreshTokenRejected, ex.ErrorId);
        Assert.Contains("invalid_grant", ex.Message);
        Assert.Contains("7 days", ex.Message);
        Assert.Contains("Publish app", ex.Message);

        // Later calls say the same thing, not "not signed in".
        var later = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.OpenAsync(Options().Reopen(), CancellationToken.None));
        Assert.Equal(AuthErrorIds.RefreshTokenRejected, later.ErrorId);
    }

    [Fact]
    public async Task Testing_app_refresh_token_dies_after_seven_days_and_the_error_says_how_to_publish()
    {
        await using var testing = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { TestingApp = true, Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });
        using var session = await FitbitAuthenticator.ConnectAsync(testing.ConnectTo(_folder, _log, _browser, profile: "testing"), CancellationToken.None);
        testing.Clock.Advance(TimeSpan.FromDays(6));
        await session.GetAccessTokenAsync(false, CancellationToken.None); // day 6: refresh still works
        testing.Clock.Advance(TimeSpan.FromDays(2));
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => session.GetAccessTokenAsync(false, CancellationToken.None));
        Assert.Equal(AuthErrorIds.RefreshTokenRejected, ex.ErrorId);
        Assert.Contains("\"Testing\"", ex.Message);
        Assert.Contains("In production", ex.Message);
        Assert.Contains("Connect-Fitbit -Profile testing", ex.Message);
    }

    [Fact]
    public async Task Disconnect_with_revoke_kills_the_grant_at_google_and_removes_the_profile()
    {
        using (await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None)) { }
        var refresh = Stored().Token.RefreshToken;
        Assert.True(await FitbitAuthenticator.DisconnectAsync(Options().Reopen(), revoke: true, CancellationToken.None));
        Assert.Equal("POST /revoke 200", string.Join(",", _emu.Requests.All.Where(r => r.Path == "/revoke").Select(r => $"{r.Method} {r.Path} {r.Status}")));
        Assert.False(_emu.OAuth.IsRefreshTokenValid(refresh));
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*" + PassphraseBlobStore.Suffix));
        Assert.DoesNotContain(FitbitAuthenticator.ListProfiles(_folder.Path), c => c.Profile == "default");
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.OpenAsync(Options().Reopen(), CancellationToken.None));
        Assert.Equal(AuthErrorIds.NotSignedIn, ex.ErrorId);
        Assert.False(await FitbitAuthenticator.DisconnectAsync(Options().Reopen(), revoke: false, CancellationToken.None));
    }

    [Fact]
    public async Task No_browser_paste_path_signs_in_and_checks_state()
    {
        var o = Options(); o.NoBrowser = true; o.OpenBrowser = (_, _) => throw new InvalidOperationException("no browser here");
        string? shown = null;
        o.PromptForRedirectUrl = async (url, ct) => { shown = url; return await _browser.ConsentAsync(url, ct); };
        using var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);
        Assert.Contains("access_type=offline", shown);
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);

        // A redirect from another sign-in (wrong state) is refused.
        var stale = await _browser.ConsentAsync(shown!);
        var o2 = Options("second"); o2.NoBrowser = true;
        o2.PromptForRedirectUrl = (_, _) => Task.FromResult(stale);
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o2, CancellationToken.None));
        Assert.Equal(AuthErrorIds.StateMismatch, ex.ErrorId);

        o2.PromptForRedirectUrl = (_, _) => Task.FromResult("I pressed enter");
        Assert.Equal(AuthErrorIds.RedirectUrlInvalid, (await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o2, CancellationToken.None))).ErrorId);
    }

    [Fact]
    public async Task No_browser_sign_in_can_be_finished_later_with_the_redirect_url()
    {
        string? shown = null;
        var o = Options("later"); o.NoBrowser = true;
        o.PromptForRedirectUrl = (url, _) => { shown = url; return Task.FromResult<string>(""); }; // pressed Enter
        var pending = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));
        Assert.Equal(AuthErrorIds.SignInPending, pending.ErrorId);
        Assert.Contains("-RedirectUrl", pending.Message);

        var finish = Options("later"); finish.ClientId = null; finish.ClientSecret = null;
        finish.TokenCache = null; finish.Passphrase = null; // like the cmdlet: only -RedirectUrl
        finish.RedirectUrl = await _browser.ConsentAsync(shown!);
        using var session = await FitbitAuthenticator.ConnectAsync(finish, CancellationToken.None);
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);

        Assert.Equal(TokenCacheKind.Passphrase, session.Context.TokenCacheKind);
        // Used once: the same address again has nothing waiting for it.
        var again = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(finish, CancellationToken.None));
        Assert.Equal(AuthErrorIds.RedirectUrlInvalid, again.ErrorId);
    }

    [Fact]
    public async Task Account_not_linked_is_reported_with_what_to_do()
    {
        await using var unlinked = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Person = new() { AccountLinked = false } });
        var o = unlinked.ConnectTo(_folder, _log, _browser);
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));
        Assert.Equal(AuthErrorIds.AccountNotLinked, ex.ErrorId);
        Assert.Contains("ACCOUNT_NOT_LINKED", ex.Message);
        Assert.Contains("Fitbit", ex.Message);
        Assert.Contains(HealthApiEmulator.Hosting.GoogleError.AccountSignUpUrl, ex.Message); // Google's sign-up link
        Assert.Contains(HealthApiEmulator.Hosting.GoogleError.AccountSignUpUrl, ex.RecommendedAction);
    }

    [Fact]
    public async Task Client_secrets_file_from_the_console_works_and_malformed_files_say_what_is_wrong()
    {
        var file = Path.Combine(_folder.Path, "client_secret.json");
        File.WriteAllText(file, _emu.OAuth.ClientSecretsJson());
        var o = Options(); o.ClientId = null; o.ClientSecret = null; o.EndpointUri = null; o.ClientSecretFile = file;
        using (var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None))
            Assert.Equal(_emu.BaseUrl, session.Endpoints.HealthApiBase); // endpoints taken from the file's token_uri

        (string Json, string Expect)[] bad =
        [
            ("{ \"installed\": { \"client_id\": \"x\", ", "not valid JSON (line"),
            ("{\"type\":\"service_account\",\"private_key\":\"-----BEGIN\"}", "service-account key"),
            ("{\"other\":{}}", "neither an \"installed\""),
            ("{\"installed\":{\"client_id\":\"abc\"}}", "no client_secret"),
            ("{\"web\":{\"client_secret\":\"s3cr3t-value\"}}", "no client_id"),
        ];
        foreach (var (json, expect) in bad)
        {
            File.WriteAllText(file, json);
            var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));
            Assert.Equal(AuthErrorIds.ClientSecretsInvalid, ex.ErrorId);
            Assert.Contains(expect, ex.Message);
            Assert.DoesNotContain("s3cr3t-value", ex.Message);
            Assert.DoesNotContain("BEGIN", ex.Message);
        }
        o.ClientSecretFile = Path.Combine(_folder.Path, "missing.json");
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None))).Message);
    }

    [Fact]
    public async Task Web_client_uses_the_port_of_its_registered_redirect_uri()
    {
        var port = FreePort();
        _emu.OAuth.RegisterClient("web-client.apps.googleusercontent.com", "GOCSPX-web", OAuthClientKind.Web, [$"http://127.0.0.1:{port}/"]);
        var file = Path.Combine(_folder.Path, "web.json");
        File.WriteAllText(file, _emu.OAuth.ClientSecretsJson(OAuthClientKind.Web, "web-client.apps.googleusercontent.com"));
        var o = Options("web"); o.ClientId = null; o.ClientSecret = null; o.ClientSecretFile = file;
        using var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);
        Assert.Contains($"127.0.0.1%3A{port}", _browser.LastAuthorizationUrl);
    }

    [Fact]
    public async Task Port_in_use_is_an_actionable_error()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var o = Options(); o.Port = ((IPEndPoint)busy.LocalEndpoint).Port;
            var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));
            Assert.Equal(AuthErrorIds.PortInUse, ex.ErrorId);
            Assert.Contains($"Port {o.Port}", ex.Message);
            Assert.Contains("-Port", ex.Message);
            Assert.Equal(0, _browser.Opened);
        }
        finally { busy.Stop(); }
    }

    [Fact]
    public async Task Listener_refuses_a_wrong_state_then_takes_the_right_one_and_refuses_a_second_callback()
    {
        var port = FreePort();
        var o = Options(); o.Port = port;
        string? authUrl = null;
        var wrongStatus = HttpStatusCode.OK;
        o.OpenBrowser = (url, ct) =>
        {
            authUrl = url;
            _ = Task.Run(async () =>
            {
                // A forged/stale callback first: refused with 400, the listener keeps waiting.
                using (var forged = await _browser.GetAsync($"http://127.0.0.1:{port}/?state=forged&code=stolen"))
                    wrongStatus = forged.StatusCode;
                await _browser.FollowAsync(url, ct);
            }, ct);
            return Task.CompletedTask;
        };
        using var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Contains(_log.Warnings, w => w.Contains("does not match"));
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);

        // A second (replayed) callback finds nobody listening.
        await Assert.ThrowsAsync<HttpRequestException>(() => _browser.GetAsync(_browser.LastRedirect!));
    }

    [Fact]
    public async Task Timeout_and_cancellation_stop_waiting_and_release_the_port()
    {
        var port = FreePort();
        var o = Options(); o.Port = port; o.Timeout = TimeSpan.FromSeconds(1);
        o.OpenBrowser = (_, _) => Task.CompletedTask; // the person never comes back
        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));
        Assert.Equal(AuthErrorIds.SignInTimeout, ex.ErrorId);
        AssertPortFree(port);

        o.Timeout = TimeSpan.FromMinutes(5);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)); // Ctrl+C
        var cancelled = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, cts.Token));
        Assert.Equal(AuthErrorIds.SignInCancelled, cancelled.ErrorId);
        AssertPortFree(port);
    }

    internal static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static void AssertPortFree(int port)
    {
        var l = new TcpListener(IPAddress.Loopback, port);
        l.Start();
        l.Stop();
    }
}
