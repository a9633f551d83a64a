using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Counts every HTTP exchange (the client's total, the calling flow's <see cref="RequestTally"/>, a completion
    /// callback for progress) and writes one debug line for it: method, path and query, status, time, size. Never a
    /// token: the bearer header is not part of the line, and page tokens are shortened.
    /// </summary>
    internal sealed class TrafficHandler : DelegatingHandler
    {
        private readonly Action<int> _completed;
        private int _count;

        public TrafficHandler(HttpMessageHandler inner, Action<int> completed) : base(inner)
        {
            _completed = completed;
        }

        public EngineLogger Log { get; set; }

        /// <summary>HTTP requests sent (retries included).</summary>
        public int Count => Volatile.Read(ref _count);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            RequestTally.CountOne();
            var started = Stopwatch.StartNew();
            try
            {
                HttpResponseMessage response;
                try { response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false); }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Log?.Debug($"{RequestDescription.Of(request)} -> failed after {started.ElapsedMilliseconds} ms: " + HowItFailed(e));
                    throw;
                }
                if (Log != null)
                    Log.Debug($"{RequestDescription.Of(request)} -> {(int)response.StatusCode} {response.ReasonPhrase} in {started.ElapsedMilliseconds} ms, {((PooledContent)response.Content).Length:N0} bytes.");
                // Cancelled as the answer came: it is not handed on to be parsed.
                if (cancellationToken.IsCancellationRequested)
                {
                    response.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                }
                return response;
            }
            finally
            {
                _completed?.Invoke(Count);
            }
        }

        private static string HowItFailed(Exception e)
        {
            if (e is AttemptFailedException failed)
            {
                if (failed.TimedOut) return $"nothing received for {failed.Deadline.TotalSeconds:0.#} s";
                e = failed.Cause;
            }
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
