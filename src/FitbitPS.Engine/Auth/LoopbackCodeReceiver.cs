using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// The loopback redirect target. Google's LocalServerCodeReceiver is not used because it cannot:
    /// listen on a caller-chosen port (-Port, needed by Web clients), bind the port before the URL is built
    /// (it probes a "free" port, then binds, which races), check <c>state</c> and turn away a foreign
    /// callback while still waiting for the right one, refuse a second callback, open the browser through
    /// an injectable callback (tests act as the browser), or report "port in use" as such.
    /// Listens on 127.0.0.1 only; the port is released on success, timeout, cancellation and dispose.
    /// </summary>
    public sealed class LoopbackCodeReceiver : ICodeReceiver, IDisposable
    {
        public const string ClosePage =
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>FitbitPS</title></head><body style=\"font-family:sans-serif\">" +
            "<h2>FitbitPS is signed in.</h2><p>You can close this tab and return to PowerShell.</p></body></html>";

        internal static readonly TimeSpan RequestHeadTimeout = TimeSpan.FromSeconds(5);

        private readonly TcpListener _listener;
        private readonly Func<string, CancellationToken, Task> _openBrowser;
        private readonly EngineLogger _log;
        private readonly TimeSpan _timeout;
        private int _used;

        /// <param name="port">0 = a free port chosen by the OS.</param>
        public LoopbackCodeReceiver(int port, TimeSpan timeout, Func<string, CancellationToken, Task> openBrowser, EngineLogger log = null)
        {
            _openBrowser = openBrowser;
            _log = log;
            _timeout = timeout <= TimeSpan.Zero ? TimeSpan.FromMinutes(5) : timeout;
            _listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                _listener.Start();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse || ex.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new FitbitAuthException(AuthErrorIds.PortInUse, FitbitErrorKind.ResourceBusy,
                    $"Port {port} on 127.0.0.1 is already in use (another program, or another Connect-Fitbit still waiting for its browser). " +
                    "Close that program or choose another -Port; without -Port FitbitPS uses any free port " +
                    "(a Web-type OAuth client needs the port registered in its redirect URI, so prefer a Desktop-app client).", ex)
                { Target = port, RecommendedAction = "Close the program that uses the port, or run Connect-Fitbit with another -Port (or none)." };
            }
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        }

        public int Port { get; }

        /// <summary>http://127.0.0.1:PORT/ (with the trailing slash Google compares exactly).</summary>
        public string RedirectUri => $"http://127.0.0.1:{Port}/";

        public async Task<AuthorizationCodeResponseUrl> ReceiveCodeAsync(AuthorizationCodeRequestUrl url, CancellationToken taskCancellationToken)
        {
            if (Interlocked.Exchange(ref _used, 1) != 0) throw new InvalidOperationException("A loopback receiver handles one sign-in.");
            var expectedState = url.State;
            using (var timeout = new CancellationTokenSource(_timeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, taskCancellationToken))
            using (linked.Token.Register(Stop))
            {
                try
                {
                    // Listen first, then open the browser: a fast browser must find us ready.
                    var loop = AcceptUntilValidAsync(expectedState, linked.Token);
                    _log.Verbose($"Waiting for Google's redirect on {RedirectUri} (up to {_timeout.TotalSeconds:0} s).");
                    if (_openBrowser != null) await _openBrowser(url.Build().AbsoluteUri, linked.Token).ConfigureAwait(false);
                    var response = await loop.ConfigureAwait(false);
                    if (response != null) return response;
                }
                finally
                {
                    Stop(); // exactly one valid callback: a second one finds nobody listening
                }
                if (taskCancellationToken.IsCancellationRequested)
                    throw new FitbitAuthException(AuthErrorIds.SignInCancelled, FitbitErrorKind.Cancelled,
                        "Sign-in was cancelled before the browser came back; port released. Run Connect-Fitbit again when ready.")
                    { RecommendedAction = "Run Connect-Fitbit again when ready." };
                throw new FitbitAuthException(AuthErrorIds.SignInTimeout, FitbitErrorKind.Timeout,
                    $"No answer from the browser within {_timeout.TotalSeconds:0} s; port {Port} released. " +
                    "Run Connect-Fitbit again (use -TimeoutSec for more time, or -NoBrowser to paste the address on a machine without a browser).")
                { RecommendedAction = "Run Connect-Fitbit again (-TimeoutSec for more time, or -NoBrowser on a machine without a browser)." };
            }
        }

        private async Task<AuthorizationCodeResponseUrl> AcceptUntilValidAsync(string expectedState, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) when (ct.IsCancellationRequested) { return null; }
                catch (ObjectDisposedException) { return null; }
                using (client)
                {
                    var response = await HandleAsync(client, expectedState, ct).ConfigureAwait(false);
                    if (response != null) return response;
                }
            }
            return null;
        }

        /// <summary>Answers one HTTP request; returns the code response when it is the valid callback.</summary>
        private async Task<AuthorizationCodeResponseUrl> HandleAsync(TcpClient client, string expectedState, CancellationToken ct)
        {
            client.ReceiveTimeout = 10000; client.SendTimeout = 10000;
            var stream = client.GetStream();
            string requestLine;
            try { requestLine = await ReadRequestHeadAsync(stream, ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is OperationCanceledException) { return null; }
            var parts = requestLine?.Split(' ');
            if (parts == null || parts.Length < 2 || parts[0] != "GET")
            {
                await RespondAsync(stream, 405, "Method Not Allowed", "<p>Only GET is expected here.</p>").ConfigureAwait(false);
                return null;
            }
            var target = parts[1];
            var path = target.Split('?')[0];
            if (path != "/")
            {
                await RespondAsync(stream, 404, "Not Found", "<p>Not found.</p>").ConfigureAwait(false);
                return null;
            }
            var response = AuthorizationResponse.Parse(target.Contains("?") ? target : target + "?");
            if (!string.Equals(response.State, expectedState, StringComparison.Ordinal))
            {
                // Not ours (stale tab, another sign-in, or a forged request): refuse it, keep waiting.
                _log.Warning("The sign-in listener refused a redirect whose 'state' does not match this sign-in; still waiting for the right one.");
                await RespondAsync(stream, 400, "Bad Request",
                    "<h2>This sign-in link is not the current one.</h2><p>Use the link from the latest Connect-Fitbit.</p>").ConfigureAwait(false);
                return null;
            }
            if (!string.IsNullOrEmpty(response.Error))
                await RespondAsync(stream, 200, "OK", "<h2>FitbitPS did not get access.</h2><p>You can close this tab; PowerShell says what to do next.</p>").ConfigureAwait(false);
            else
                await RespondAsync(stream, 200, "OK", null).ConfigureAwait(false);
            return response;
        }

        private static async Task<string> ReadRequestHeadAsync(NetworkStream stream, CancellationToken ct)
        {
            var buffer = new byte[16384];
            var total = 0;
            while (total < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer, total, buffer.Length - total, ct).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
                var text = Encoding.ASCII.GetString(buffer, 0, total);
                if (text.Contains("\r\n\r\n") || text.Contains("\n\n"))
                    return text.Substring(0, text.IndexOf('\n')).TrimEnd('\r');
            }
            throw new InvalidDataException("Incomplete HTTP request.");
        }

        private static async Task RespondAsync(NetworkStream stream, int status, string reason, string bodyHtml)
        {
            var body = Encoding.UTF8.GetBytes(bodyHtml == null ? ClosePage
                : "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>FitbitPS</title></head><body style=\"font-family:sans-serif\">" + bodyHtml + "</body></html>");
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
                "Cache-Control: no-store\r\nConnection: close\r\n\r\n");
            try
            {
                await stream.WriteAsync(head, 0, head.Length).ConfigureAwait(false);
                await stream.WriteAsync(body, 0, body.Length).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException) { }
        }

        private void Stop()
        {
            try { _listener.Stop(); } catch (SocketException) { } catch (ObjectDisposedException) { }
        }

        public void Dispose() => Stop();
    }
}
