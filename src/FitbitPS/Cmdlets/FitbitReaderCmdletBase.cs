using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Binding;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Core;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Base of the Get-Fitbit* readers: -From/-To (calendar days, inclusive) or -Days N ending today
    /// (this computer's date; default: the last 7 days), one engine read streamed to the pipeline through
    /// the base's pump (a small bounded queue, so memory stays flat when the next command is slow);
    /// back-off waits and request counts become Write-Progress and verbose lines; a failed chunk becomes
    /// a non-terminating error naming its days; Ctrl+C cancels every request and wait at once.
    /// </summary>
    public abstract class FitbitReaderCmdletBase : FitbitCmdletBase
    {
        private static int _nextActivityId = 4100;

        /// <summary>First calendar day (inclusive); the time of day is ignored. ISO 8601 (2026-11-01) works in
        /// every culture; other text only when it cannot be read two ways.</summary>
        /// <value>Default: 6 days before -To (7 days in all), or with -Days, -Days before -To.</value>
        // Named only: Get-FitbitData's -DataType holds position 0.
        [Parameter]
        [Alias("Start", "StartDate")]
        [CivilDate("From")]
        public DateTime? From { get; set; }

        /// <summary>Last calendar day (inclusive), read like -From.</summary>
        /// <value>Default: today (this computer's date), or with -From and -Days, -Days after -From.</value>
        [Parameter]
        [Alias("End", "EndDate")]
        [CivilDate("To")]
        public DateTime? To { get; set; }

        /// <summary>The last N days ending today (or ending -To; or starting -From).</summary>
        /// <value>Default: 7 when neither -From nor -To is given.</value>
        [Parameter]
        [ValidateRange(1, 36500)]
        public int? Days { get; set; }

        /// <summary>What the progress bar says ("Reading sleep").</summary>
        protected abstract string Activity { get; }

        /// <summary>Reads <paramref name="read"/> over the bound range and writes records, errors and progress.</summary>
        protected void Stream<T>(Func<FitbitReader, CivilRange, CancellationToken, IEnumerable<ReadItem<T>>> read)
        {
            var activityId = Interlocked.Increment(ref _nextActivityId);
            void Progress(string status, int seconds = -1)
                => WriteProgress(new ProgressRecord(activityId, Activity, status) { SecondsRemaining = seconds });
            int written = 0;
            var range = default(CivilRange);
            var events = Events(w => Progress(w.ToString(), (int)Math.Ceiling(w.Delay.TotalSeconds)));
            events.RequestCompleted = n => Post(() => Progress($"{range}: {n} request{(n == 1 ? "" : "s")}, {written} records"));
            var reader = GetConnection().OpenReader(events);
            range = RunEngine(_ => Task.FromResult(reader.Resolve(From, To, Days)));
            WriteVerboseMessage($"{Activity}: {range} ({range.Days} day{(range.Days == 1 ? "" : "s")}) for profile '{Profile}'.");
            try
            {
                RunEngine(ct => Task.Run(() =>
                {
                    foreach (var item in read(reader, range, ct))
                    {
                        var current = item;
                        Post(() => Emit(current, ref written));
                    }
                    return true;
                }, ct), range.ToString());
            }
            finally
            {
                if (!CancellationToken.IsCancellationRequested) // a stopping pipeline refuses writes
                {
                    WriteProgress(new ProgressRecord(activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                    WriteVerboseMessage($"{Activity}: {reader.RequestCount} request(s), {written} record(s).");
                }
            }
        }

        private void Emit<T>(ReadItem<T> item, ref int written)
        {
            if (!item.IsError)
            {
                WriteObject(item.Record);
                written++;
                return;
            }
            var inner = item.Error.InnerException;
            // Nothing else in the range can succeed: stop with the real reason (and how to fix it).
            if (inner is MissingScopeException || (inner is FitbitPS.Engine.Core.FitbitEngineException fatal && fatal.EndsCommand))
                ThrowTerminatingError(ToErrorRecord(inner, item.Error.DataType));
            WriteError(ToErrorRecord(item.Error, $"{item.Error.DataType} {item.Error.From:yyyy-MM-dd}..{item.Error.To:yyyy-MM-dd}"));
        }
    }
}
