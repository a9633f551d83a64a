using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Binding;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Core;
using FitbitPS.Engine;

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

        /// <summary>Read offline from the store of an export folder (Export-FitbitData -Path), or its fitbitps.db: the same
        /// objects for the same days, with no sign-in and no request. PowerShell paths (~, PSDrives, relative) work.</summary>
        /// <value>Default: none (read from Google).</value>
        [Parameter]
        [Alias("StorePath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>What the progress bar says ("Reading sleep").</summary>
        protected abstract string Activity { get; }

        /// <summary>Reads <paramref name="read"/> over the bound range and writes records, errors and progress; with -Path, the
        /// same records from the store (<paramref name="offline"/>: false when this parameter set's records are not kept).</summary>
        protected void Stream<T>(Func<FitbitReader, CivilRange, CancellationToken, IEnumerable<ReadItem<T>>> read, bool offline = true)
        {
            if (Path != null)
            {
                StreamFromStore<T>(offline);
                return;
            }
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

        /// <summary>-Path: the records of the range from the store's snapshot, streamed through the pump like a live read.</summary>
        private void StreamFromStore<T>(bool offline)
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!offline || !FitbitStoreReader.Keeps<T>())
                ThrowTerminatingError(ToErrorRecord(new FitbitInputException(FitbitInputException.NotKeptOffline,
                    $"{MyInvocation.MyCommand.Name} with these parameters reads {typeof(T).Name} records, which Export-FitbitData does not keep in the store; " +
                    "it reads them from Google only.", path, "Leave out -Path to read them online (or use the parameters whose records are kept: see Get-Help -Parameter Path)."), path));
            // -Profile chooses whose data only when it was given: a store of one person needs none.
            string profile = MyInvocation.BoundParameters.ContainsKey(nameof(Profile)) ? Profile : null;
            int written = 0;
            using (var store = RunEngine(_ => Task.FromResult(FitbitStoreReader.Open(path, profile)), path))
            {
                var range = RunEngine(_ => Task.FromResult(store.Resolve(From, To, Days)));
                WriteVerboseMessage($"{Activity}: {range} from the store {store.StorePath} (profile '{store.Profile}'), no requests.");
                var synced = store.Synced<T>();
                if (synced == null)
                    WriteWarning($"The store has no {typeof(T).Name} records of profile '{store.Profile}': neither Export-FitbitData nor Import-FitbitTakeout -Destination has put that kind into it.");
                else if (range.From < synced.Value.From || range.To > synced.Value.To)
                    WriteWarning($"The store holds {typeof(T).Name} records of {synced.Value.From:yyyy-MM-dd}..{synced.Value.To:yyyy-MM-dd} only; days of {range} outside that are missing, not empty. Run Export-FitbitData to bring it up to date (or Import-FitbitTakeout -Destination for older days).");
                RunEngine(ct => Task.Run(() =>
                {
                    foreach (var item in store.Read<T>(range, ct))
                    {
                        var current = item;
                        Post(() => Emit(current, ref written));
                    }
                    return true;
                }, ct), path);
                WriteVerboseMessage($"{Activity}: {written} record(s) from the store.");
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
