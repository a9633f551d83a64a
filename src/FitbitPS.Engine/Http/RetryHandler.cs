using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// The outermost handler: sends each attempt and waits between them. Retries what Google says to retry (429,
    /// 500/502/503/504 and HTML error pages from a proxy) with exponential back-off plus jitter that honours Retry-After
    /// (a 429 without one waits for the next quota minute), and failed connections with a short back-off (how many of
    /// those a request may have is <see cref="ConnectionHealthHandler"/>'s to say). Reports each wait through the
    /// client's Waiting event; every wait watches the cancellation token. Other answers go back to the caller as they are.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private static readonly Random JitterSource = new Random();
        private readonly Action<RequestWait> _waiting;

        public RetryHandler(HttpMessageHandler inner, Action<RequestWait> waiting) : base(inner)
        {
            _waiting = waiting;
        }

        /// <summary>Retries after 429/503/5xx answers before giving up (the first try not counted).</summary>
        public int MaxRetries { get; set; } = 6;
        public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(32);
        /// <summary>Longest Retry-After we follow silently; longer ones are still honoured.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>Real time, for waits on Google's per-minute quota.</summary>
        public Func<DateTimeOffset> WallClock { get; set; } = () => DateTimeOffset.UtcNow;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = RequestContext.Of(request);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan wait;
                string reason;
                int attempt;
                try
                {
                    var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (context.ResendAtOnce)
                    {
                        context.ResendAtOnce = false;
                        response.Dispose();
                        continue;
                    }
                    bool again;
                    try { again = ShouldRetry(response, context, out wait, out reason); }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                    if (!again) return response;
                    response.Dispose();
                    attempt = context.Retries;
                }
                catch (AttemptFailedException failed) when (!failed.BodyCutShort)
                {
                    wait = ConnectionBackoff(failed.FailuresInARow);
                    attempt = failed.FailuresInARow;
                    reason = "connection failed (" + failed.Transport.GetType().Name + ": " + failed.Transport.Message + ")";
                }
                if (wait > TimeSpan.Zero)
                {
                    _waiting(new RequestWait(reason, wait, attempt, context.What));
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Whether an answer is retried, and after how long; throws when its retries are used up.</summary>
        private bool ShouldRetry(HttpResponseMessage response, RequestContext context, out TimeSpan wait, out string reason)
        {
            wait = TimeSpan.Zero;
            reason = null;
            var status = (int)response.StatusCode;
            if (status >= 200 && status < 300) return false;
            if (status != 429 && status < 500) return false; // refusals: the caller maps them to their exceptions
            var body = (PooledContent)response.Content;
            var error = GoogleErrors.ParseError(body.Buffer, body.Length);
            bool html = error == null;
            bool transient = status == 429 || status == 503 || status == 500 || status == 502 || status == 504 || (html && status >= 500);
            if (!transient) return false;
            if (context.Retries >= MaxRetries)
                throw new HealthApiException($"Google Health still answered {status} {error?.StatusName} for {context.What} after {context.Retries + 1} attempts: {error?.Message ?? "(no JSON body)"}",
                    status, error?.StatusName, GoogleErrors.ReasonOf(error));
            var retryAfter = RetryAfter(response);
            reason = status + " " + (error?.StatusName ?? (html ? "HTML error page" : ""));
            if (retryAfter.HasValue) wait = retryAfter.Value + TimeSpan.FromMilliseconds(Jitter(250));
            else if (status == 429)
            {
                // Google's quota 429 names no time (google-health-live-evidence.md §1.6): the per-minute
                // quota lifts at the next minute, so wait for it rather than hammer the API with retries.
                wait = UntilNextMinute(WallClock()) + TimeSpan.FromMilliseconds(1000 + Jitter(2000));
                reason += " (per-minute quota; waiting for the next minute)";
            }
            else wait = Backoff(context.Retries);
            context.Retries++;
            return true;
        }

        internal static TimeSpan UntilNextMinute(DateTimeOffset now)
            => TimeSpan.FromTicks(TimeSpan.TicksPerMinute - now.UtcTicks % TimeSpan.TicksPerMinute);

        private static int Jitter(int maxMilliseconds)
        {
            lock (JitterSource) return JitterSource.Next(0, maxMilliseconds);
        }

        /// <summary>After the n-th failed connection in a row: 0.5 s, 1 s, 2 s… (with equal jitter).</summary>
        private static TimeSpan ConnectionBackoff(int streak)
        {
            var ceiling = 500 * Math.Pow(2, Math.Max(0, streak - 1));
            return TimeSpan.FromMilliseconds(ceiling / 2 + Jitter((int)(ceiling / 2)));
        }

        /// <summary>Exponential back-off with "equal jitter": half fixed, half random.</summary>
        private TimeSpan Backoff(int retry)
        {
            var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, InitialBackoff.TotalMilliseconds * Math.Pow(2, retry));
            double random;
            lock (JitterSource) random = JitterSource.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling / 2 + random * ceiling / 2);
        }

        private TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            TimeSpan? value = header.Delta;
            if (!value.HasValue && header.Date.HasValue) value = header.Date.Value - DateTimeOffset.UtcNow;
            if (!value.HasValue) return null;
            if (value.Value < TimeSpan.Zero) return TimeSpan.Zero;
            return value.Value > MaxRetryAfter ? MaxRetryAfter : value.Value;
        }
    }
}
