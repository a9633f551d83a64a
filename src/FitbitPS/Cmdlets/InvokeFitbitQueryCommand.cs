using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using FitbitPS.Engine;
using FitbitPS.Hosting;

namespace FitbitPS.Cmdlets
{
    /// <summary>Runs a read-only SQL query on the store of an export folder and returns one object per row.</summary>
    /// <remarks>
    /// Export-FitbitData keeps everything in fitbitps.db, an SQLite file in the export folder: one table per kind of record
    /// (weight, activity, sleep_sessions, sleep_stages, resting_heart_rate, heart_rate_samples, …) with the CSV files'
    /// columns and a profile column, and views for common questions: daily (one row per person and day: steps, sleep,
    /// resting heart rate, weight), weekly and sleep_nightly. The query runs on a read-only connection: it cannot change
    /// the store, and it may run while an export writes (it sees the store as of its start). Values are bound with
    /// -Parameter, never pasted into the text. No sign-in is needed and no request is made.
    /// </remarks>
    /// <example>
    /// <code>
    /// Invoke-FitbitQuery ~/FitbitExport 'SELECT Date, Steps, SleepMinutes, RestingHeartRate, WeightKg FROM daily ORDER BY Date DESC LIMIT 7' | Format-Table
    /// </code>
    /// <para>The last seven days, one row per day.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Invoke-FitbitQuery ~/FitbitExport 'SELECT strftime(''%Y'', Date) AS Year, avg(Steps) AS Steps FROM activity WHERE Date >= @from GROUP BY Year' -Parameter @{ from = [datetime]'2022-01-01' }
    /// </code>
    /// <para>Average steps per year since 2022; a date parameter binds as the store's yyyy-MM-dd.</para>
    /// </example>
    /// <seealso cref="ExportFitbitDataCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsLifecycle.Invoke, "FitbitQuery")]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeFitbitQueryCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cts = new CancellationTokenSource();

        /// <summary>The export folder (or its fitbitps.db). PowerShell paths (~, PSDrives, relative) work.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The SQL (SQLite's dialect): a SELECT, or WITH … SELECT.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; }

        /// <summary>Values for the query's parameters by name: @{ day = '2026-11-01' } binds @day (or $day, :day).</summary>
        [Parameter]
        public Hashtable Parameter { get; set; }

        protected override void ProcessRecord()
        {
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            if (Parameter != null)
                foreach (DictionaryEntry entry in Parameter)
                    values[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)] = entry.Value is PSObject o ? o.BaseObject : entry.Value;
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                foreach (var row in FitbitStoreQuery.Run(path, Query, values, _cts.Token))
                {
                    var item = new PSObject();
                    foreach (var column in row)
                    {
                        // SELECT a.Date, b.Date: the second becomes Date_2 (an object has one property per name).
                        string name = column.Key;
                        for (int n = 2; item.Properties[name] != null; n++) name = column.Key + "_" + n;
                        item.Properties.Add(new PSNoteProperty(name, column.Value));
                    }
                    WriteObject(item);
                }
            }
            catch (OperationCanceledException) when (_cts.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is RuntimeException))
            {
                ThrowTerminatingError(ErrorRecords.From(e, Query));
            }
        }

        protected override void StopProcessing() => _cts.Cancel();

        public void Dispose() => _cts.Dispose();
    }
}
