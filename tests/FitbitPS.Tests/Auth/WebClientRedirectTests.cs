using System.Net;
using System.Net.Sockets;
using FitbitPS.Engine.Auth;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// A Google "Web application" client accepts only the redirect URIs registered for it, compared exactly.
/// The emulator's authorization endpoint does the same, so a wrong redirect_uri ends the sign-in at
/// Google's error page, as it would live.
/// </summary>
public sealed class WebClientRedirectTests : SignInTestBase
{
    private const string WebClientId = "web-localhost.apps.googleusercontent.com";

    private ConnectOptions WebOptions(params string[] registered)
    {
        _emu.OAuth.RegisterClient(WebClientId, "GOCSPX-web-localhost", OAuthClientKind.Web, registered);
        var file = Path.Combine(_folder.Path, "web.json");
        File.WriteAllText(file, _emu.OAuth.ClientSecretsJson(OAuthClientKind.Web, WebClientId));
        var o = _emu.ConnectTo(_folder, _log, _browser, profile: "web");
        o.ClientId = null; o.ClientSecret = null; o.ClientSecretFile = file;
        o.Timeout = TimeSpan.FromSeconds(10);
        return o;
    }

    [Fact]
    public async Task A_web_client_registered_with_localhost_signs_in_on_exactly_that_redirect_uri_over_ipv6_too()
    {
        var port = FreePortOnBothLoopbacks();
        var registered = $"http://localhost:{port}/";
        var o = WebOptions("https://app.example/oauth2callback", registered);
        HttpStatusCode? viaIpv6 = null;
        o.OpenBrowser = (url, ct) =>
        {
            _browser.Opened++;
            _ = Task.Run(async () =>
            {
                // A browser that resolves localhost to ::1 (most do, when the machine has IPv6).
                var redirect = await _browser.ConsentAsync(url);
                using var ipv6 = new HttpClient(new SocketsHttpHandler
                {
                    UseProxy = false,
                    ConnectCallback = async (context, token) =>
                    {
                        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, context.DnsEndPoint.Port), token);
                        return new NetworkStream(socket, ownsSocket: true);
                    },
                });
                using var answer = await ipv6.GetAsync(redirect);
                viaIpv6 = answer.StatusCode;
            });
            return Task.CompletedTask;
        };

        using (var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None))
            Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);

        Assert.Equal(HttpStatusCode.OK, viaIpv6);

        // The profile remembers the registered URI: a later consent needs no file and no -Port.
        var again = _emu.ConnectTo(_folder, _log, _browser, profile: "web");
        again.ClientId = null; again.ClientSecret = null; again.EndpointUri = null; again.Force = true;
        using (await FitbitAuthenticator.ConnectAsync(again, CancellationToken.None)) { }
        var q = System.Web.HttpUtility.ParseQueryString(new Uri(_browser.LastAuthorizationUrl!).Query);
        Assert.Equal(registered, q["redirect_uri"]);
    }

    [Fact]
    public async Task A_web_client_with_a_loopback_uri_and_a_path_uses_that_uri_exactly()
    {
        var port = SignInFlowTests.FreePort();
        var registered = $"http://127.0.0.1:{port}/oauth2callback";
        var o = WebOptions("https://app.example/", registered);

        using var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);

        var q = System.Web.HttpUtility.ParseQueryString(new Uri(_browser.LastAuthorizationUrl!).Query);
        Assert.Equal(registered, q["redirect_uri"]);
        await _browser.LastFollow!;
        Assert.Equal(HttpStatusCode.OK, _browser.ListenerStatus);
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);
    }

    [Fact]
    public async Task A_port_that_matches_no_registered_uri_fails_before_any_browser_opens_and_names_the_registered_uris()
    {
        var registeredPort = SignInFlowTests.FreePort();
        var registered = $"http://localhost:{registeredPort}/";
        var o = WebOptions(registered);
        o.Port = registeredPort == 65000 ? 65001 : 65000;

        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(o, CancellationToken.None));

        Assert.Equal(AuthErrorIds.RedirectUriNotRegistered, ex.ErrorId);
        Assert.Equal(FitbitErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(registered, ex.Message);
        Assert.Contains($"-Port {o.Port}", ex.Message);
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
        Assert.Equal(0, _browser.Opened);
    }

    /// <summary>A port free on 127.0.0.1 and on ::1.</summary>
    private static int FreePortOnBothLoopbacks()
    {
        for (var i = 0; ; i++)
        {
            var port = SignInFlowTests.FreePort();
            try
            {
                var v6 = new TcpListener(IPAddress.IPv6Loopback, port);
                v6.Start();
                v6.Stop();
                return port;
            }
            catch (SocketException) when (i < 20) { }
        }
    }
}
