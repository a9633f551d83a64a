using System;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Export;

namespace FitbitPS.Engine
{
    /// <summary>
    /// Where one engine call reports what it does, passed per call (the cmdlets route each to a PowerShell stream):
    /// log lines, waits (back-off, quota), finished requests and export progress. Any of them may be null.
    /// </summary>
    public sealed class EngineEvents
    {
        /// <summary>Verbose, debug, warning and information lines (the session's token refreshes included).</summary>
        public EngineLogger Log { get; set; }

        /// <summary>A request waits before its next attempt: the reason, how long, which attempt.</summary>
        public Action<RequestWait> Waiting { get; set; }

        /// <summary>A request finished; the argument is how many this call has made so far.</summary>
        public Action<int> RequestCompleted { get; set; }

        /// <summary>Export-FitbitData's progress per kind and overall.</summary>
        public Action<ExportProgress> Progress { get; set; }
    }
}
