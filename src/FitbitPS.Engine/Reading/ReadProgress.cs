using System;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Reading
{
    /// <summary>Progress of a read, for Write-Progress.</summary>
    public sealed class ReadProgress
    {
        public ReadProgress(string activity, string status, int requestsDone, int? requestsPlanned, RequestWait wait = null)
        {
            Activity = activity; Status = status; RequestsDone = requestsDone; RequestsPlanned = requestsPlanned; Wait = wait;
        }

        public string Activity { get; }
        public string Status { get; }
        public int RequestsDone { get; }
        public int? RequestsPlanned { get; }
        /// <summary>Set when the client is waiting (back-off, Retry-After, quota).</summary>
        public RequestWait Wait { get; }
        /// <summary>0–100 when the number of requests is known in advance, else -1.</summary>
        public int PercentComplete => RequestsPlanned is int p && p > 0 ? Math.Min(100, RequestsDone * 100 / p) : -1;
    }
}
