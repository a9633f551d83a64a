using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// The loopback redirect target. Google's LocalServerCodeReceiver is not used because it cannot:
    /// listen on a caller-chosen port (-Port, needed by Web clients), bind the port before the URL is built
    /// (it probes a "free" port, then binds, which races), check <c>state</c> and turn away a foreign
    /// callback while still waiting for the right one, refuse a second callback, open the browser through
    /// an injectable callback (tests act as the browser), or report "port in use" as such.
    /// Every connection is served on its own, with its own short deadline for the request head: browsers
    /// open idle speculative connections, and any local program can connect, so no connection may hold
    /// up another. Only requests whose Host header names the redirect URI's host:port count (a page that
    /// reaches 127.0.0.1 under another name by DNS rebinding is refused). Nothing but the valid callback,
    /// the timeout or cancellation ends the wait. The port is released on every way out.
    /// </summary>
    internal sealed class LoopbackCodeReceiver : ICodeReceiver, IDisposable
    {
        public const string ClosePage =
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>FitbitPS</title></head><body style=\"font-family:sans-serif\">" +
            "<h2>FitbitPS is signed in.</h2><p>You can close this tab and return to PowerShell.</p></body></html>";

        /// <summary>How long one connection may take to send its request head; a browser sends it at once.</summary>
        internal static readonly TimeSpan RequestHeadTimeout = TimeSpan.FromSeconds(5);
        private const int MaxRequestHeadBytes = 16 * 1024;
        // Connections served at once; more are closed at once (a browser needs one or two).
        private const int MaxConnections = 64;

        private readonly List<TcpListener> _listeners = new List<TcpListener>();
        private readonly Func<string, CancellationToken, Task> _openBrowser;
        private readonly EngineLogger _log;
        private readonly TimeSpan _timeout;
        private readonly LoopbackRedirect _redirect;
        private readonly ConcurrentDictionary<Task, bool> _serving = new ConcurrentDictionary<Task, bool>();
        private int _used, _answered, _connections;

        /// <param name="port">0 = a free port chosen by the OS.</param>
        public LoopbackCodeReceiver(int port, TimeSpan timeout, Func<string, CancellationToken, Task> openBrowser, EngineLogger log = null)
            : this(LoopbackRedirect.AnyPort(port), timeout, openBrowser, log) { }

        /// <param name="redirect">Where to listen: 127.0.0.1, [::1], or for localhost both (browsers may resolve it to either).</param>
        public LoopbackCodeReceiver(LoopbackRedirect redirect, TimeSpan timeout, Func<string, CancellationToken, Task> openBrowser, EngineLogger log = null)
        {
            _redirect = redirect ?? throw new ArgumentNullException(nameof(redirect));
            _openBrowser = openBrowser;
            _log = log;
            _timeout = timeout <= TimeSpan.Zero ? TimeSpan.FromMinutes(5) : timeout;
            var first = redirect.Host == "[::1]" ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            Port = Listen(first, redirect.Port, required: true);
            if (redirect.Host == "localhost")
                Listen(IPAddress.IPv6Loopback, Port, required: false);
        }

        /// <summary>Starts a listener; returns its port. A second address (::1 for localhost) may be missing or taken.</summary>
        private int Listen(IPAddress address, int port, bool required)
        {
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (SocketException ex) when (required && (ex.SocketErrorCode == SocketError.AddressAlreadyInUse || ex.SocketErrorCode == SocketError.AccessDenied))
            {
                Stop();
                var registered = _redirect.Exact != null;
                throw new FitbitAuthException(AuthErrorIds.PortInUse, FitbitErrorKind.ResourceBusy,
                    $"Port {port} on {_redirect.Host} is already in use (another program, or another Connect-Fitbit still waiting for its browser). " +
                    (registered
                        ? $"The Web-application OAuth client's registered redirect URI {_redirect.Exact} needs exactly this port: close that program and try again."
                        : "Close that program or choose another -Port; without -Port FitbitPS uses any free port " +
                          "(a Web-type OAuth client needs the port registered in its redirect URI, so prefer a Desktop-app client)."), ex)
                {
                    Target = port,
                    RecommendedAction = registered ? "Close the program that uses the port and run Connect-Fitbit again."
                                                   : "Close the program that uses the port, or run Connect-Fitbit with another -Port (or none).",
                };
            }
            catch (SocketException ex) when (!required)
            {
                // No IPv6 here, or ::1 taken by another program: a browser resolving localhost to 127.0.0.1 still finds us.
                _log.Verbose($"Not also listening on [{address}]:{port} ({ex.SocketErrorCode}); localhost answers on 127.0.0.1.");
                return port;
            }
            catch (SocketException) { Stop(); throw; }
            _listeners.Add(listener);
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public int Port { get; }

        /// <summary>The registered URI of a Web client as written, else http://127.0.0.1:PORT/ (with the trailing slash Google compares exactly).</summary>
        public string RedirectUri => _redirect.Exact ?? $"http://{_redirect.Host}:{Port}{_redirect.Path}";

        /// <summary>What a request's Host header must say: the redirect URI's host[:port], as a browser writes it.</summary>
        private string Authority => new Uri(RedirectUri).Authority;

        public async Task<AuthorizationCodeResponseUrl> ReceiveCodeAsync(AuthorizationCodeRequestUrl url, CancellationToken taskCancellationToken)
        {
            if (Interlocked.Exchange(ref _used, 1) != 0) throw new InvalidOperationException("A loopback receiver handles one sign-in.");
            var expectedState = url.State;
            var callback = new TaskCompletionSource<AuthorizationCodeResponseUrl>(TaskCreationOptions.RunContinuationsAsynchronously);
            AuthorizationCodeResponseUrl response;
            using (var timeout = new CancellationTokenSource(_timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, taskCancellationToken))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(linked.Token))
            using (linked.Token.Register(() => callback.TrySetResult(null)))
            {
                // Listen first, then open the browser: a fast browser must find us ready.
                var accepting = _listeners.Select(l => AcceptAsync(l, expectedState, callback, stop.Token)).ToList();
                try
                {
                    _log.Verbose($"Waiting for Google's redirect on {RedirectUri} (up to {_timeout.TotalSeconds:0} s).");
                    if (_openBrowser != null) await _openBrowser(url.Build().AbsoluteUri, linked.Token).ConfigureAwait(false);
                    response = await callback.Task.ConfigureAwait(false);
                }
                finally
                {
                    // Exactly one valid callback: a second one finds nobody listening.
                    stop.Cancel();
                    Stop();
                    await Task.WhenAll(accepting.Concat(_serving.Keys)).ConfigureAwait(false);
                }
            }
            if (response != null) return response;
            if (taskCancellationToken.IsCancellationRequested)
                throw new FitbitAuthException(AuthErrorIds.SignInCancelled, FitbitErrorKind.Cancelled,
                    "Sign-in was cancelled before the browser came back; port released. Run Connect-Fitbit again when ready.")
                { RecommendedAction = "Run Connect-Fitbit again when ready." };
            throw new FitbitAuthException(AuthErrorIds.SignInTimeout, FitbitErrorKind.Timeout,
                $"No answer from the browser within {_timeout.TotalSeconds:0} s; port {Port} released. " +
                "Run Connect-Fitbit again (use -TimeoutSec for more time, or -NoBrowser to paste the address on a machine without a browser).")
            { RecommendedAction = "Run Connect-Fitbit again (-TimeoutSec for more time, or -NoBrowser on a machine without a browser)." };
        }

        /// <summary>Accepts until stopped; each connection is served on its own task. Never throws.</summary>
        private async Task AcceptAsync(TcpListener listener, string expectedState, TaskCompletionSource<AuthorizationCodeResponseUrl> callback, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) when (stop.IsCancellationRequested) { return; }
                catch (ObjectDisposedException) { return; }
                catch (InvalidOperationException) { return; } // listener stopped
                catch (SocketException)
                {
                    // A client that gave up before we accepted it, or a passing shortage: never a reason to stop
                    // waiting, but no reason to spin either.
                    try { await Task.Delay(20, stop).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                    continue;
                }
                if (Interlocked.Increment(ref _connections) > MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    client.Dispose();
                    continue;
                }
                var serving = Task.Run(() => ServeAsync(client, expectedState, callback, stop));
                _serving[serving] = true;
                _ = serving.ContinueWith(t => { _serving.TryRemove(t, out _); Interlocked.Decrement(ref _connections); }, TaskScheduler.Default);
            }
        }

        /// <summary>Answers one connection's request; completes <paramref name="callback"/> when it is the valid callback. Never throws.</summary>
        private async Task ServeAsync(TcpClient client, string expectedState, TaskCompletionSource<AuthorizationCodeResponseUrl> callback, CancellationToken stop)
        {
            using (client)
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                try
                {
                    var stream = client.GetStream();
                    RequestHead head;
                    deadline.CancelAfter(RequestHeadTimeout);
                    // .NET Framework's NetworkStream ignores the token once a read is pending: closing the socket ends it.
                    using (deadline.Token.Register(client.Dispose))
                        head = await ReadRequestHeadAsync(stream, deadline.Token).ConfigureAwait(false);
                    if (head == null) return; // idle, too slow, too long or cut off: drop this connection only

                    var response = Answer(head, expectedState, out var status, out var reason, out var page);
                    // Claim before answering, answer before completing: completing stops the listener and closes connections.
                    var winner = response != null && Interlocked.Exchange(ref _answered, 1) == 0;
                    if (response != null && !winner) { status = 400; reason = "Bad Request"; page = "<h2>This sign-in is already complete.</h2>"; }
                    // The code counts even if the browser goes away before our page reaches it.
                    try { await RespondAsync(stream, status, reason, page, stop).ConfigureAwait(false); }
                    finally { if (winner) callback.TrySetResult(response); }
                }
                catch (Exception)
                {
                    // Whatever went wrong with this connection (it went away, was cut off, sent nonsense),
                    // the others and the wait go on.
                }
            }
        }

        /// <summary>The callback's code response when the request is the valid callback, else null; and the page to answer with.</summary>
        private AuthorizationCodeResponseUrl Answer(RequestHead head, string expectedState, out int status, out string reason, out string page)
        {
            status = 400; reason = "Bad Request";
            if (head.HostHeaders.Count != 1 || !string.Equals(head.HostHeaders[0], Authority, StringComparison.OrdinalIgnoreCase))
            {
                // DNS rebinding: a page under another name whose address was pointed at 127.0.0.1.
                _log.Warning($"The sign-in listener refused a request whose Host header does not name {Authority}; still waiting for the browser.");
                page = "<p>This address is not served under that host name.</p>";
                return null;
            }
            var parts = head.RequestLine.Split(' ');
            if (parts.Length < 2 || parts[0] != "GET")
            {
                status = 405; reason = "Method Not Allowed"; page = "<p>Only GET is expected here.</p>";
                return null;
            }
            var target = parts[1];
            if (target.Split('?')[0] != _redirect.Path)
            {
                status = 404; reason = "Not Found"; page = "<p>Not found.</p>";
                return null;
            }
            var response = AuthorizationResponse.Parse(target.Contains("?") ? target : target + "?");
            if (!string.Equals(response.State, expectedState, StringComparison.Ordinal))
            {
                // Not ours (stale tab, another sign-in, or a forged request): refuse it, keep waiting.
                _log.Warning("The sign-in listener refused a redirect whose 'state' does not match this sign-in; still waiting for the right one.");
                page = "<h2>This sign-in link is not the current one.</h2><p>Use the link from the latest Connect-Fitbit.</p>";
                return null;
            }
            status = 200; reason = "OK";
            page = string.IsNullOrEmpty(response.Error) ? null : "<h2>FitbitPS did not get access.</h2><p>You can close this tab; PowerShell says what to do next.</p>";
            return response;
        }

        private sealed class RequestHead
        {
            public string RequestLine;
            public List<string> HostHeaders = new List<string>();
        }

        /// <summary>The request line and Host headers, or null when the head does not arrive complete and in time.</summary>
        private static async Task<RequestHead> ReadRequestHeadAsync(NetworkStream stream, CancellationToken ct)
        {
            var buffer = new byte[MaxRequestHeadBytes];
            var total = 0;
            while (total < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer, total, buffer.Length - total, ct).ConfigureAwait(false);
                if (n == 0) return null;
                var scanFrom = Math.Max(0, total - 3);
                total += n;
                var end = EndOfHead(buffer, scanFrom, total);
                if (end < 0) continue;
                var lines = Encoding.ASCII.GetString(buffer, 0, end).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
                var head = new RequestHead { RequestLine = lines[0] };
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0 && string.Equals(line.Substring(0, colon).Trim(), "Host", StringComparison.OrdinalIgnoreCase))
                        head.HostHeaders.Add(line.Substring(colon + 1).Trim());
                }
                return head;
            }
            return null;
        }

        /// <summary>Index of the blank line that ends the head (CRLF CRLF, or bare LF LF), or -1.</summary>
        private static int EndOfHead(byte[] b, int from, int to)
        {
            for (var i = from; i < to - 1; i++)
            {
                if (b[i] == '\n' && b[i + 1] == '\n') return i;
                if (i < to - 3 && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
            }
            return -1;
        }

        private static async Task RespondAsync(NetworkStream stream, int status, string reason, string bodyHtml, CancellationToken ct)
        {
            var body = Encoding.UTF8.GetBytes(bodyHtml == null ? ClosePage
                : "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>FitbitPS</title></head><body style=\"font-family:sans-serif\">" + bodyHtml + "</body></html>");
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
                "Cache-Control: no-store\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head, 0, head.Length, ct).ConfigureAwait(false);
            await stream.WriteAsync(body, 0, body.Length, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }

        private void Stop()
        {
            foreach (var listener in _listeners)
            {
                try { listener.Stop(); } catch (SocketException) { } catch (ObjectDisposedException) { }
            }
        }

        public void Dispose() => Stop();
    }
}
