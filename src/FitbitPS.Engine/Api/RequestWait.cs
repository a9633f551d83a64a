using System;

namespace FitbitPS.Engine.Api
{
    /// <summary>Why the client is waiting before a request (reported to the cmdlet as progress).</summary>
    public sealed class RequestWait
    {
        public RequestWait(string reason, TimeSpan delay, int attempt, string what)
        {
            Reason = reason; Delay = delay; Attempt = attempt; What = what;
        }

        /// <summary>"429 RESOURCE_EXHAUSTED", "503 UNAVAILABLE", "connection reset", "per-minute quota"…</summary>
        public string Reason { get; }
        public TimeSpan Delay { get; }
        /// <summary>1 for the first retry; 0 for a wait on our own per-minute limiter.</summary>
        public int Attempt { get; }
        /// <summary>What the request was for ("heart-rate list").</summary>
        public string What { get; }

        public override string ToString()
            => Attempt == 0
                ? $"Waiting {Delay.TotalSeconds:0.#} s to stay within Google's per-minute quota ({What})."
                : $"Waiting {Delay.TotalSeconds:0.#} s before retry {Attempt} of {What}: {Reason}.";
    }
}
