using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Base of the Get-Fitbit* readers: -From/-To (calendar days, inclusive) or -Days N ending today
    /// (this computer's date; default: the last 7 days), one engine read streamed to the pipeline.
    /// The engine enumerates on a worker thread and hands records over through a small bounded queue,
    /// so memory stays flat even when the next command in the pipeline is slow; back-off waits and
    /// request counts become Write-Progress; a failed chunk becomes a non-terminating error naming its
    /// days; Ctrl+C cancels every request and wait at once.
    /// </summary>
    public abstract class FitbitReaderCmdletBase : FitbitCmdletBase
    {
        private static int _nextActivityId = 4100;

        /// <summary>First calendar day (inclusive). Time of day is ignored.</summary>
        // Named only: Get-FitbitData's -DataType holds position 0.
        [Parameter]
        [Alias("Start", "StartDate")]
        public DateTime? From { get; set; }

        /// <summary>Last calendar day (inclusive). Default: today.</summary>
        [Parameter]
        [Alias("End", "EndDate")]
        public DateTime? To { get; set; }

        /// <summary>The last N days ending today (or ending -To; or starting -From).</summary>
        [Parameter]
        [ValidateRange(1, 36500)]
        public int? Days { get; set; }

        /// <summary>What the progress bar says ("Reading sleep").</summary>
        protected abstract string Activity { get; }

        /// <summary>Reads <paramref name="read"/> over the bound range and writes records, errors and progress.</summary>
        protected void Stream<T>(Func<FitbitReader, CivilRange, CancellationToken, IEnumerable<ReadItem<T>>> read)
        {
            var session = GetSession();
            var activityId = Interlocked.Increment(ref _nextActivityId);
            using (var client = HealthClientFactory.Create(session))
            {
                var reader = new FitbitReader(client);
                CivilRange range;
                try { range = reader.Resolve(From, To, Days); }
                catch (ArgumentException e)
                {
                    ThrowTerminatingError(new ErrorRecord(e, "FitbitInvalidRange", ErrorCategory.InvalidArgument, new { From, To, Days }));
                    return;
                }
                WriteVerbose($"{Activity}: {range} ({range.Days} day{(range.Days == 1 ? "" : "s")}).");

                var queue = new BlockingCollection<Action>(boundedCapacity: 512);
                // Cancelled by Ctrl+C, and also when this method leaves early (-ErrorAction Stop,
                // a terminating error): the worker must not outlive the cmdlet.
                var stop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
                var ct = stop.Token;
                int written = 0;
                void Progress(string status, int seconds = -1)
                    => WriteProgress(new ProgressRecord(activityId, Activity, status) { SecondsRemaining = seconds });
                client.Waiting += w => queue.TryAdd(() =>
                {
                    WriteVerbose(w.ToString());
                    Progress(w.ToString(), (int)Math.Ceiling(w.Delay.TotalSeconds));
                });
                client.RequestCompleted += n => queue.TryAdd(() => Progress($"{range}: {n} request{(n == 1 ? "" : "s")}, {written} records"));

                var worker = Task.Run(() =>
                {
                    try
                    {
                        foreach (var item in read(reader, range, ct))
                        {
                            var current = item;
                            queue.Add(() => Emit(current, ref written), ct);
                        }
                    }
                    finally { queue.CompleteAdding(); }
                }, ct);

                try
                {
                    foreach (var action in queue.GetConsumingEnumerable(ct)) action();
                    worker.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                catch (Exception e) when (!(e is PipelineStoppedException) && !(e is RuntimeException))
                {
                    ThrowTerminatingError(ToErrorRecord(e, range.ToString()));
                }
                finally
                {
                    stop.Cancel();
                    try { worker.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { /* cancelled or already reported */ }
                    stop.Dispose();
                    if (!CancellationToken.IsCancellationRequested) // a stopping pipeline refuses writes
                    {
                        WriteProgress(new ProgressRecord(activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                        WriteVerbose($"{Activity}: {client.RequestCount} request(s), {written} record(s).");
                    }
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
            if (inner is MissingScopeException || inner is AccountNotLinkedException || inner is AuthenticationFailedException)
                ThrowTerminatingError(ToErrorRecord(inner, item.Error.DataType));
            WriteError(ToErrorRecord(item.Error, $"{item.Error.DataType} {item.Error.From:yyyy-MM-dd}..{item.Error.To:yyyy-MM-dd}"));
        }
    }
}
