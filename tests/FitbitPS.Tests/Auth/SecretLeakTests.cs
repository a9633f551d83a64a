using System.Net;
using System.Net.Sockets;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Xunit;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// Runs every sign-in path (success and failure) with one log capture, collects every exception's full
/// text, and searches all of it for any access token, refresh token or client secret that existed.
/// </summary>
public sealed class SecretLeakTests
{
    [Fact]
    public async Task No_path_writes_a_token_or_the_client_secret_into_messages_or_errors()
    {
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });
        using var folder = new TempFolder();
        using var browser = new TestBrowser();
        var log = new CapturedLog();
        var errors = new List<string>();
        var secrets = new HashSet<string> { OAuthServer.DefaultClientSecret };
        var store = new ProfileStore(new PassphraseBlobStore(folder.Path, "correct horse battery staple"));
        void Collect(string profile)
        {
            var r = store.Read(profile);
            if (r?.Token?.AccessToken != null) secrets.Add(r.Token.AccessToken);
            if (r?.Token?.RefreshToken != null) secrets.Add(r.Token.RefreshToken);
        }
        async Task Expect(Func<Task> action)
        {
            try { await action(); errors.Add("(no error)"); }
            catch (Exception ex) { errors.Add(ex.ToString()); }
        }
        ConnectOptions O(string profile = "default") { var o = emu.ConnectTo(folder, log, browser, TokenCacheKind.Passphrase, profile); return o; }

        // Browser sign-in, silent re-use, refresh (timed and forced), a 401 round.
        using (var s = await FitbitAuthenticator.ConnectAsync(O(), CancellationToken.None))
        {
            Collect("default");
            emu.Clock.Advance(TimeSpan.FromHours(2));
            await s.GetAccessTokenAsync(false, CancellationToken.None); Collect("default");
            await s.GetAccessTokenAsync(true, CancellationToken.None); Collect("default");
        }
        var silent = O(); silent.ClientId = null; silent.ClientSecret = null;
        using (await FitbitAuthenticator.ConnectAsync(silent, CancellationToken.None)) Collect("default");

        // -NoBrowser, state mismatch, garbage paste.
        var nb = O("paste"); nb.NoBrowser = true; nb.PromptForRedirectUrl = (url, ct) => browser.ConsentAsync(url, ct);
        using (await FitbitAuthenticator.ConnectAsync(nb, CancellationToken.None)) Collect("paste");
        var stale = await browser.ConsentAsync(browser.LastAuthorizationUrl ?? (await CaptureUrl(O("x"))));
        var mismatch = O("mismatch"); mismatch.NoBrowser = true; mismatch.PromptForRedirectUrl = (_, _) => Task.FromResult(stale);
        await Expect(() => FitbitAuthenticator.ConnectAsync(mismatch, CancellationToken.None));

        // Wrong client secret (token endpoint 401 invalid_client), access_denied, port in use, timeout.
        var wrong = O("wrongsecret"); wrong.ClientSecret = "GOCSPX-wrong-" + Guid.NewGuid().ToString("N"); secrets.Add(wrong.ClientSecret);
        await Expect(() => FitbitAuthenticator.ConnectAsync(wrong, CancellationToken.None));
        browser.Allow = false;
        await Expect(() => FitbitAuthenticator.ConnectAsync(O("denied"), CancellationToken.None));
        browser.Allow = true;
        var busy = new TcpListener(IPAddress.Loopback, 0); busy.Start();
        var port = O("port"); port.Port = ((IPEndPoint)busy.LocalEndpoint).Port;
        await Expect(() => FitbitAuthenticator.ConnectAsync(port, CancellationToken.None));
        busy.Stop();
        var slow = O("slow"); slow.Timeout = TimeSpan.FromMilliseconds(300); slow.OpenBrowser = (_, _) => Task.CompletedTask;
        await Expect(() => FitbitAuthenticator.ConnectAsync(slow, CancellationToken.None));

        // A client file with its secret but broken JSON.
        var file = Path.Combine(folder.Path, "broken.json");
        File.WriteAllText(file, "{\"installed\":{\"client_id\":\"id\",\"client_secret\":\"" + OAuthServer.DefaultClientSecret + "\"");
        var broken = O("broken"); broken.ClientId = null; broken.ClientSecret = null; broken.ClientSecretFile = file;
        await Expect(() => FitbitAuthenticator.ConnectAsync(broken, CancellationToken.None));

        // Revoked grant on refresh (invalid_grant), then revoke + disconnect.
        using (var s = await FitbitAuthenticator.OpenAsync(O().Reopen(), CancellationToken.None))
        {
            emu.OAuth.RevokeAll();
            await Expect(() => s.GetAccessTokenAsync(true, CancellationToken.None));
        }
        using (await FitbitAuthenticator.ConnectAsync(O("revoke"), CancellationToken.None)) Collect("revoke");
        await FitbitAuthenticator.DisconnectAsync(O("revoke").Reopen(), revoke: true, CancellationToken.None);

        var text = log.All + "\n" + string.Join("\n", errors);
        Assert.True(secrets.Count >= 6, "the scan must have real tokens to look for");
        Assert.True(log.Messages.Count > 10 && errors.Count >= 7);
        foreach (var secret in secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), "a token or client secret appeared in a message or error");
    }

    private static async Task<string> CaptureUrl(ConnectOptions o)
    {
        string? url = null;
        o.NoBrowser = true;
        o.PromptForRedirectUrl = (u, _) => { url = u; throw new OperationCanceledException(); };
        try { await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None); } catch (OperationCanceledException) { }
        return url!;
    }
}
