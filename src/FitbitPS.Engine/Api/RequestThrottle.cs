using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// Client-side limiter for one user: at most <see cref="MaxInFlight"/> requests at once and at
    /// most <see cref="RequestsPerMinute"/> request starts in any sliding 60-second window (Google's
    /// per-user quota is 300/min, on real time). Staying under the quota ourselves means a long
    /// backfill never triggers 429 in the first place; 429 handling remains for other clients of
    /// the same user. Shared by every HealthClient of one sign-in (see <see cref="For"/>).
    /// </summary>
    public sealed class RequestThrottle
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, RequestThrottle> Shared =
            new System.Runtime.CompilerServices.ConditionalWeakTable<object, RequestThrottle>();

        // A small guard so a request that reaches the server a little late still falls outside the window.
        private static readonly TimeSpan Guard = TimeSpan.FromMilliseconds(500);

        private readonly SemaphoreSlim _inFlight;
        private readonly object _gate = new object();
        private readonly Queue<TimeSpan> _starts = new Queue<TimeSpan>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public RequestThrottle(int maxInFlight = 4, int requestsPerMinute = 300)
        {
            if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight));
            MaxInFlight = maxInFlight;
            RequestsPerMinute = requestsPerMinute;
            _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
        }

        public int MaxInFlight { get; }
        /// <summary>0 turns the per-minute limit off.</summary>
        public int RequestsPerMinute { get; }

        /// <summary>The throttle shared by everything that uses one sign-in (keyed by the token source).</summary>
        public static RequestThrottle For(object signIn) => Shared.GetValue(signIn, _ => new RequestThrottle());

        /// <summary>Waits for a slot; <paramref name="onQuotaWait"/> is told how long when the minute's quota is used up.</summary>
        public async Task<IDisposable> EnterAsync(Action<TimeSpan> onQuotaWait, CancellationToken cancellationToken)
        {
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    TimeSpan wait;
                    lock (_gate)
                    {
                        var now = _clock.Elapsed;
                        while (_starts.Count > 0 && now - _starts.Peek() >= TimeSpan.FromMinutes(1) + Guard) _starts.Dequeue();
                        if (RequestsPerMinute <= 0 || _starts.Count < RequestsPerMinute)
                        {
                            _starts.Enqueue(now);
                            return new Releaser(_inFlight);
                        }
                        wait = _starts.Peek() + TimeSpan.FromMinutes(1) + Guard - now;
                    }
                    onQuotaWait?.Invoke(wait);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                _inFlight.Release();
                throw;
            }
        }

        private sealed class Releaser : IDisposable
        {
            private SemaphoreSlim _semaphore;
            public Releaser(SemaphoreSlim semaphore) { _semaphore = semaphore; }
            public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
        }
    }
}
