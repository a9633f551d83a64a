using System;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// One attempt got no usable answer from the network: the connection was refused or reset, nothing arrived before
    /// the deadline, or the body of a 2xx broke off (<see cref="BodyCutShort"/>). Raised by <see cref="PooledBodyHandler"/>
    /// so the handlers above tell these from every other failure (a token source's own IOException is not a
    /// connection failure); never leaves the client except as the failure it wraps.
    /// </summary>
    internal sealed class AttemptFailedException : Exception
    {
        public AttemptFailedException(Exception cause, TimeSpan deadline, bool timedOut, bool bodyCutShort)
            : base(cause.Message, timedOut ? new TimeoutException($"Nothing received for {deadline.TotalSeconds:0.#} s.", cause) : cause)
        {
            Cause = cause;
            Deadline = deadline;
            TimedOut = timedOut;
            BodyCutShort = bodyCutShort;
        }

        /// <summary>The failure as reported: a <see cref="TimeoutException"/> when the deadline ended the attempt, else <see cref="Cause"/>.</summary>
        public Exception Transport => InnerException;

        /// <summary>What the network layer threw.</summary>
        public Exception Cause { get; }

        /// <summary>The attempt's deadline on progress.</summary>
        public TimeSpan Deadline { get; }

        public bool TimedOut { get; }

        /// <summary>The headers said 2xx and then the body broke off or stalled: Google answered, the answer is unreadable.</summary>
        public bool BodyCutShort { get; }

        /// <summary>Failed connections in a row over the client, this one included (set by <see cref="ConnectionHealthHandler"/>).</summary>
        public int FailuresInARow { get; set; }
    }
}
