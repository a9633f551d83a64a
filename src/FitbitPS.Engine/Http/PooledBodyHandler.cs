using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// The innermost handler: one attempt on the network, its body read whole into a pooled buffer
    /// (<see cref="PooledContent"/>) under a deadline on progress. Why here and not after the chain: whether a 5xx is
    /// an HTML page, what a 401 says, whether a 2xx was cut short are all in the body, and a body that stalls is a
    /// failed attempt like a refused connection. Network failures leave as <see cref="AttemptFailedException"/>.
    /// </summary>
    internal sealed class PooledBodyHandler : DelegatingHandler
    {
        public PooledBodyHandler(HttpMessageHandler network) : base(network) { }

        /// <summary>How long one attempt may go without progress: until the headers arrive, and then between any two
        /// reads of the body (a body that stalls is given up; a slow link that keeps delivering is not).</summary>
        public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(60);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var timeout = Deadline;
            HttpResponseMessage response = null;
            // A deadline on progress, headers and body alike: a body that stalls after its headers must not hold the
            // read (and an export's folder lock) for as long as the server keeps it open. Each read of the body
            // starts it again, so a slow link that keeps delivering is not cut off.
            using (var deadline = new CancellationTokenSource(timeout))
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
            {
                try
                {
                    response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
                    // A stalled body read does not watch the token on netstandard2.0: disposing the response aborts it.
                    var current = response;
                    (byte[] Buffer, int Length) read;
                    using (attempt.Token.Register(() => current.Dispose()))
                        read = await ReadWholeAsync(response.Content, () => deadline.CancelAfter(timeout), attempt.Token).ConfigureAwait(false);
                    var body = new PooledContent(read.Buffer, read.Length);
                    try
                    {
                        var received = response.Content;
                        response.Content = body;
                        received.Dispose();
                    }
                    catch
                    {
                        body.Dispose();
                        throw;
                    }
                    return response;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { response?.Dispose(); throw; }
                catch (Exception e) when (cancellationToken.IsCancellationRequested)
                {
                    // e.g. ObjectDisposedException from the aborted body read
                    response?.Dispose();
                    throw new OperationCanceledException("The read was cancelled.", e, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException || e is OperationCanceledException || e is WebException
                                          || (deadline.IsCancellationRequested && e is ObjectDisposedException))
                {
                    // Connection refused or reset, truncated body (Content-Length not met), no answer in time. Headers that
                    // said 2xx and a body that broke off or stalled: a truncated answer from a reachable server.
                    var status = response == null ? 0 : (int)response.StatusCode;
                    response?.Dispose();
                    throw new AttemptFailedException(e, timeout, deadline.IsCancellationRequested, bodyCutShort: status >= 200 && status < 300);
                }
            }
        }

        /// <summary>Reads the whole body into a buffer rented from PageSpool.BufferPool (the caller
        /// returns it). Why pooled: a raw heart-rate page is 3.5 MB, and a fresh array per page lands on
        /// the large-object heap, which only a full collection reclaims. Throws IOException when the body
        /// ends before its Content-Length (a truncated answer, retried by the client).</summary>
        private static async Task<(byte[] Buffer, int Length)> ReadWholeAsync(HttpContent content, Action progress, CancellationToken cancellationToken)
        {
            var pool = PageSpool.BufferPool;
            var declared = content.Headers.ContentLength;
            var buffer = pool.Rent(declared.HasValue && declared.Value > 0 && declared.Value < 64 * 1024 * 1024 ? (int)declared.Value : 64 * 1024);
            int total = 0;
            try
            {
                using (var stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (total == buffer.Length)
                        {
                            var larger = pool.Rent(checked(buffer.Length * 2));
                            Buffer.BlockCopy(buffer, 0, larger, 0, total);
                            pool.Return(buffer);
                            buffer = larger;
                        }
                        int n = await stream.ReadAsync(buffer, total, buffer.Length - total, cancellationToken).ConfigureAwait(false);
                        if (n == 0) break;
                        total += n;
                        progress();
                    }
                }
                if (declared.HasValue && total != declared.Value)
                    throw new IOException($"The response ended after {total} of {declared.Value} bytes.");
                return (buffer, total);
            }
            catch
            {
                pool.Return(buffer);
                throw;
            }
        }
    }
}
