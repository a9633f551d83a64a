using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Client-side limiter for one user: at most <see cref="MaxInFlight"/> requests at once and at
    /// most <see cref="RequestsPerMinute"/> request starts in any sliding 60-second window (Google's
    /// per-user quota is 300/min, on real time). Staying under the quota ourselves means a long
    /// backfill never triggers 429 in the first place; 429 handling remains for other clients of
    /// the same user. One per signed-in profile: FitbitConnection gives it to every client it makes.
    /// </summary>
    public sealed class RequestThrottle
    {
        // A small guard so a request that reaches the server a little late still falls outside the window.
        private static readonly TimeSpan Guard = TimeSpan.FromMilliseconds(500);

        private readonly object _slotGate = new object();
        private int _freeSlots;
        // Waiters for a slot: a page chain's requests are served before prefetched chunks (see EnterAsync).
        private readonly LinkedList<TaskCompletionSource<bool>> _chainWaiters = new LinkedList<TaskCompletionSource<bool>>();
        private readonly LinkedList<TaskCompletionSource<bool>> _otherWaiters = new LinkedList<TaskCompletionSource<bool>>();
        private readonly object _gate = new object();
        private readonly Queue<TimeSpan> _starts = new Queue<TimeSpan>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public RequestThrottle(int maxInFlight = 4, int requestsPerMinute = 300)
        {
            if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight));
            MaxInFlight = maxInFlight;
            RequestsPerMinute = requestsPerMinute;
            _freeSlots = maxInFlight;
        }

        public int MaxInFlight { get; }
        /// <summary>0 turns the per-minute limit off.</summary>
        public int RequestsPerMinute { get; }

        /// <summary>Waits for a slot; <paramref name="onQuotaWait"/> is told how long when the minute's quota is used up.</summary>
        /// <param name="chain">The request is a step of a sequential page chain (a list page: each needs the
        /// previous page's token). Why it goes first: a chain can use only one slot at a time, so it is the
        /// critical path of a read of several data types, while roll-up chunks fetched ahead have slack;
        /// first come first served would queue every page of the chain behind a lookahead's worth of chunks.</param>
        public async Task<IDisposable> EnterAsync(Action<TimeSpan> onQuotaWait, CancellationToken cancellationToken, bool chain = false)
        {
            await AcquireSlotAsync(chain, cancellationToken).ConfigureAwait(false);
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
                            return new Releaser(this, chain);
                        }
                        wait = _starts.Peek() + TimeSpan.FromMinutes(1) + Guard - now;
                    }
                    onQuotaWait?.Invoke(wait);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                ReleaseSlot(false);
                throw;
            }
        }

        // A chain's next page is sent a moment after its previous page is answered (the page is checked
        // and spooled first). Handing the freed slot to a queued chunk in that moment would make every
        // page of the chain wait for another slot to free up (≈ a quarter of a round trip each, 40 ms
        // of 150 here): the slot is kept for a chain for this long before it goes to the others.
        private static readonly TimeSpan ChainGrace = TimeSpan.FromMilliseconds(30);
        private int _keptForChains;

        private Task AcquireSlotAsync(bool chain, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TaskCompletionSource<bool> waiter;
            LinkedListNode<TaskCompletionSource<bool>> node;
            var queue = chain ? _chainWaiters : _otherWaiters;
            lock (_slotGate)
            {
                if (chain && _keptForChains > 0) { _keptForChains--; return Task.CompletedTask; }
                if (_freeSlots > 0) { _freeSlots--; return Task.CompletedTask; }
                waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                node = queue.AddLast(waiter);
            }
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() =>
                {
                    bool removed;
                    lock (_slotGate)
                    {
                        // Still queued: withdraw. Already handed a slot: ReleaseSlot set the result first.
                        removed = node.List != null;
                        if (removed) queue.Remove(node);
                    }
                    if (removed) waiter.TrySetCanceled(cancellationToken);
                });
                waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }
            return waiter.Task;
        }

        private void ReleaseSlot(bool fromChain)
        {
            TaskCompletionSource<bool> next = null;
            lock (_slotGate)
            {
                if (fromChain && _chainWaiters.Count == 0 && _otherWaiters.Count > 0)
                {
                    // Keep it for the chain's next page a moment; give it to the others if none comes.
                    _keptForChains++;
                    Task.Delay(ChainGrace).ContinueWith(_ => ReturnKeptSlot(), TaskScheduler.Default);
                    return;
                }
                var queue = _chainWaiters.Count > 0 ? _chainWaiters : _otherWaiters.Count > 0 ? _otherWaiters : null;
                if (queue == null) _freeSlots++;
                else
                {
                    next = queue.First.Value;
                    queue.RemoveFirst();
                }
            }
            next?.TrySetResult(true);
        }

        /// <summary>The grace of one kept slot ended: if no chain took it (or another kept one), it goes to the others.</summary>
        private void ReturnKeptSlot()
        {
            lock (_slotGate)
            {
                if (_keptForChains == 0) return; // taken by a chain page: that page releases it in its turn
                _keptForChains--;
            }
            ReleaseSlot(false);
        }

        private sealed class Releaser : IDisposable
        {
            private RequestThrottle _throttle;
            private readonly bool _chain;
            public Releaser(RequestThrottle throttle, bool chain) { _throttle = throttle; _chain = chain; }
            public void Dispose() => Interlocked.Exchange(ref _throttle, null)?.ReleaseSlot(_chain);
        }
    }
}
