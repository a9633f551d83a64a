using System;
using System.Linq;

namespace FitbitPS.Engine.Export
{
    /// <summary>What the kinds of one run share: serialized callbacks, each kind's progress, the state-file lock.</summary>
    internal sealed class RunShared
    {
        private readonly ExportOptions _options;
        private readonly object _callbackGate = new object();
        private readonly int[] _percents;
        public readonly object StateGate = new object();

        public RunShared(ExportOptions options, int count) { _options = options; _percents = new int[count]; }

        public void Verbose(string message)
        {
            if (_options.Verbose == null) return;
            lock (_callbackGate) _options.Verbose(message);
        }

        /// <summary>Reports one kind's progress; the overall percentage is the mean over all kinds.</summary>
        public void Progress(ExportProgress progress)
        {
            if (_options.Progress == null) return;
            lock (_callbackGate)
            {
                // Never backwards, whatever order the kinds' reports interleave in.
                _percents[progress.KindIndex] = Math.Max(_percents[progress.KindIndex], progress.KindPercent);
                progress.OverallPercent = _percents.Sum() / _percents.Length;
                _options.Progress(progress);
            }
        }
    }
}
