using System.Threading;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// Counts the requests made by one logical flow (an export kind) while several flows share one
    /// <see cref="HealthClient"/> at the same time. Why: the client's total no longer tells a kind's
    /// own requests once kinds are read concurrently; an AsyncLocal follows the kind into the
    /// prefetch tasks it starts, so every request it causes is counted to it and to nobody else.
    /// </summary>
    internal sealed class RequestTally
    {
        private static readonly AsyncLocal<RequestTally> CurrentTally = new AsyncLocal<RequestTally>();
        private long _count;

        /// <summary>The tally of the calling flow, or null.</summary>
        public static RequestTally Current => CurrentTally.Value;

        /// <summary>Starts a new tally for the calling flow and what it starts from now on.</summary>
        public static RequestTally Begin()
        {
            var tally = new RequestTally();
            CurrentTally.Value = tally;
            return tally;
        }

        public long Count => Interlocked.Read(ref _count);

        internal static void CountOne()
        {
            var tally = CurrentTally.Value;
            if (tally != null) Interlocked.Increment(ref tally._count);
        }
    }
}
