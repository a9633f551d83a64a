using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FitbitPS.Engine.Auth;
using HealthApiEmulator.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// The loopback sign-in listener under the connections a real machine sends it besides the browser's
/// callback: a browser's idle pre-connection, a connection that trickles bytes, and a request that
/// reaches 127.0.0.1 under another host name (DNS rebinding). Real sockets against the real listener.
/// </summary>
public sealed class LoopbackListenerTests(ITestOutputHelper output) : SignInTestBase
{

    private ConnectOptions Options(int port)
    {
        var o = _emu.ConnectTo(_folder, _log, _browser);
        o.Port = port;
        o.Timeout = TimeSpan.FromSeconds(20);
        return o;
    }

    [Fact]
    public async Task An_idle_connection_opened_before_the_browser_does_not_delay_the_sign_in()
    {
        var port = SignInFlowTests.FreePort();
        using var idle = new TcpClient();
        var o = Options(port);
        o.OpenBrowser = async (url, ct) =>
        {
            // A browser's speculative pre-connection: connected first, never sends a byte.
            await idle.ConnectAsync(IPAddress.Loopback, port, ct);
            await _browser.Open(url, ct);
        };

        var took = await SignInAsync(o);

        output.WriteLine($"sign-in with an idle connection open: {took.TotalMilliseconds:0} ms");
        await _browser.LastFollow!;
        Assert.Equal(HttpStatusCode.OK, _browser.ListenerStatus);
        Assert.True(took < LoopbackCodeReceiver.RequestHeadTimeout, $"the sign-in waited {took} for the idle connection");
    }

    [Fact]
    public async Task A_connection_trickling_one_byte_per_second_does_not_delay_the_sign_in()
    {
        var port = SignInFlowTests.FreePort();
        using var slow = new TcpClient();
        using var stop = new CancellationTokenSource();
        Task? trickle = null;
        var o = Options(port);
        o.OpenBrowser = async (url, ct) =>
        {
            await slow.ConnectAsync(IPAddress.Loopback, port, ct);
            trickle = TrickleAsync(slow.GetStream(), stop.Token);
            await Task.Delay(300, ct); // the listener has read the first byte before the browser comes
            await _browser.Open(url, ct);
        };

        TimeSpan took;
        try { took = await SignInAsync(o); }
        finally { stop.Cancel(); }
        await trickle!;

        output.WriteLine($"sign-in with a trickling connection open: {took.TotalMilliseconds:0} ms");
        await _browser.LastFollow!;
        Assert.Equal(HttpStatusCode.OK, _browser.ListenerStatus);
        Assert.True(took < LoopbackCodeReceiver.RequestHeadTimeout, $"the sign-in waited {took} for the trickling connection");
    }

    [Fact]
    public async Task A_callback_under_another_host_name_is_refused_and_the_real_one_still_signs_in()
    {
        var port = SignInFlowTests.FreePort();
        var o = Options(port);
        string? refused = null;
        o.OpenBrowser = (url, ct) =>
        {
            var state = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["state"];
            _ = Task.Run(async () =>
            {
                // A page on attacker.example whose name was re-pointed at 127.0.0.1 (DNS rebinding) knows
                // the port and, here, even the state: only the Host header gives it away.
                refused = await RawGetAsync(port, $"/?state={Uri.EscapeDataString(state!)}&code=forged-code", $"attacker.example:{port}");
                await _browser.FollowAsync(url, ct);
            }, ct);
            return Task.CompletedTask;
        };

        using var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);

        Assert.StartsWith("HTTP/1.1 400", refused);
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);
        Assert.Equal(HttpStatusCode.OK, _browser.ListenerStatus);
        Assert.Contains(_log.Warnings, w => w.Contains("Host"));
    }

    private async Task<TimeSpan> SignInAsync(ConnectOptions o)
    {
        var clock = Stopwatch.StartNew();
        using var session = await FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);
        clock.Stop();
        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);
        return clock.Elapsed;
    }

    /// <summary>The start of a request, one byte a second, until stopped or the listener hangs up.</summary>
    private static async Task TrickleAsync(NetworkStream stream, CancellationToken stop)
    {
        var bytes = Encoding.ASCII.GetBytes("GET /?state=slow&code=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + new string('a', 200));
        try
        {
            foreach (var b in bytes)
            {
                await stream.WriteAsync(new[] { b }, stop);
                await Task.Delay(1000, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || e is IOException || e is ObjectDisposedException) { }
    }

    /// <summary>One GET over a raw socket with exactly this Host header; returns the status line.</summary>
    internal static async Task<string> RawGetAsync(int port, string target, string host)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
    }
}
