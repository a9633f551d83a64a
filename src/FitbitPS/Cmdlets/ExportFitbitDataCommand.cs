using FitbitPS.Loading;
using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using FitbitPS.Binding;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Export;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Keeps a local copy of a person's Fitbit data in a folder: a store (fitbitps.db, SQLite) with every record
    /// and the answers they came from, and one CSV (or JSON lines) file per kind of record, brought up to date by each run.
    /// </summary>
    /// <remarks>
    /// The first run backfills from -From (default: the start of the account); later runs read only what is new
    /// plus a 3-day trailing window (devices sync late and Google recomputes recent days), and each day read replaces
    /// that day's records, so nothing is duplicated. The store is written in transactions, so a run stopped at any
    /// point (Ctrl+C, a reboot, kill -9) loses nothing and the next run picks up from there; each file is written
    /// from the store and replaced atomically. A second export into the same folder waits for the first. Several
    /// profiles can share a folder (the first writes its files into it, later ones into a sub-folder named after
    /// the profile). The store answers offline reads (Get-FitbitSleep -Path) and SQL (Invoke-FitbitQuery). It never
    /// prompts, so it is safe for Task Scheduler and cron: when the profile needs a person it stops with one error
    /// and the script exits with code 1. -WhatIf shows per file what would be read and written. -Reparse derives
    /// the records again from the kept answers, with no sign-in and no request.
    /// </remarks>
    /// <example>
    /// <code>
    /// Export-FitbitData -Path ~/FitbitExport
    /// </code>
    /// <para>Creates or brings up to date the local copy: the store fitbitps.db and one CSV file per kind of record. The first run backfills from the start of the account; later runs read only what is new plus a 3-day trailing window. Writes one result per kind (Kind, File, RowsAdded, RowsUpdated, RowsRemoved, RowsTotal, From, To, Requests).</para>
    /// </example>
    /// <example>
    /// <code>
    /// Export-FitbitData -Path ~/FitbitExport -DataType Weight,Sleep -From 2024-01-01 -Format Json
    /// </code>
    /// <para>Only weight and sleep, from 1 January 2024, as JSON lines (.jsonl).</para>
    /// </example>
    /// <example>
    /// <code>
    /// $ErrorActionPreference = 'Stop'
    /// Export-FitbitData -Path 'D:\FitbitExport' | Format-Table Kind, RowsAdded, RowsUpdated, RowsTotal, Requests
    /// </code>
    /// <para>A scheduled export script (Task Scheduler, cron): it never prompts, and when the profile needs a person it stops with one error, so the script exits with code 1.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Export-FitbitData -Path ~/FitbitExport -Reparse
    /// </code>
    /// <para>Derives every record in the store again from the API answers it keeps (after an update of FitbitPS that reads them better): no sign-in, no request; the files follow.</para>
    /// </example>
    /// <seealso cref="GetFitbitActivityCommand"/>
    /// <seealso cref="GetFitbitSleepCommand"/>
    /// <seealso cref="InvokeFitbitQueryCommand"/>
    /// <seealso cref="ConnectFitbitCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsData.Export, "FitbitData", SupportsShouldProcess = true, DefaultParameterSetName = "Export")]
    [OutputType(EngineType.Export + nameof(ExportResult))]
    public sealed class ExportFitbitDataCommand : FitbitCmdletBase
    {
        private const int ProgressId = 4200;

        /// <summary>The folder (created when missing). PowerShell paths (~, PSDrives, relative) work.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Kinds to export; All (default) is every daily kind, plus the intraday ones with -IncludeIntraday.</summary>
        /// <value>Default: All</value>
        [Parameter]
        [ValidateSet("All", "Weight", "Activity", "Sleep", "SleepStage", "RestingHeartRate", "HeartRateVariability", "OxygenSaturation",
            "BreathingRate", "SkinTemperature", "CardioFitness", "Exercise", "ActivityIntraday", "HeartRateIntraday", IgnoreCase = true)]
        public string[] DataType { get; set; } = { "All" };

        /// <summary>First calendar day, read like the readers' -From (ISO 8601 works in every culture).</summary>
        /// <value>Default: where the folder left off minus 3 days; for a first export the start of the account (profile), else the last 365 days.</value>
        [Parameter(ParameterSetName = "Export")]
        [CivilDate("From")]
        public DateTime? From { get; set; }

        /// <summary>Last calendar day (inclusive).</summary>
        /// <value>Default: today.</value>
        [Parameter(ParameterSetName = "Export")]
        [CivilDate("To")]
        public DateTime? To { get; set; }

        /// <summary>Csv (default) or Json (JSON lines, .jsonl); same columns and value text.</summary>
        /// <value>Default: Csv</value>
        [Parameter(ParameterSetName = "Export")]
        public ExportFormat Format { get; set; } = ExportFormat.Csv;

        /// <summary>Read the whole range again instead of only what is new.</summary>
        [Parameter(ParameterSetName = "Export")]
        public SwitchParameter Full { get; set; }

        /// <summary>With -DataType All, also export minute activity and raw heart-rate samples
        /// (first export default: the last 30 days).</summary>
        [Parameter(ParameterSetName = "Export")]
        public SwitchParameter IncludeIntraday { get; set; }

        /// <summary>Derive the store's records again from the API answers it keeps, with no sign-in and no request, and
        /// bring the files up to date (an export does this by itself after an update that parses answers differently).
        /// -DataType limits it; -Profile names whose records when the folder holds several people.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Reparse")]
        public SwitchParameter Reparse { get; set; }

        protected override void ProcessRecord()
        {
            if (Reparse)
            {
                ReparseStore();
                return;
            }
            var spec = new ExportSpec
            {
                Path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
                DataTypes = DataType, IncludeIntraday = IncludeIntraday, Format = Format, From = From, To = To, Full = Full,
            };
            var connection = GetConnection();
            var events = Events();
            events.Progress = p => Post(() => WriteProgress(new ProgressRecord(ProgressId, "Exporting Fitbit data to " + spec.Path, p.Status)
            {
                PercentComplete = p.OverallPercent,
                CurrentOperation = $"{p.Kind} ({p.KindIndex + 1} of {p.KindCount})",
            }));

            // Plan first: -WhatIf / -Confirm decide per file, before anything is read or written.
            var plan = RunEngine(ct => connection.PlanExportAsync(spec, events, ct), spec.Path);
            var approved = plan.Where(item => ShouldProcess(item.File, item.Action)).Select(item => item.Kind).ToList();
            if (approved.Count == 0) return;
            try
            {
                foreach (var result in RunEngine(ct => connection.ExportAsync(spec.Only(approved), events, ct), spec.Path))
                {
                    if (result.Error != null) WriteError(ToErrorRecord(result.Error, result.Kind));
                    WriteObject(result);
                }
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressId, "Exporting Fitbit data to " + spec.Path, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>-Reparse: offline, so no connection is opened (the profile need not be signed in).</summary>
        private void ReparseStore()
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, $"re-derive the records of {string.Join(", ", DataType)} from the answers the store keeps, and rewrite the files that change")) return;
            string profile = MyInvocation.BoundParameters.ContainsKey(nameof(Profile)) ? Profile : null;
            foreach (var result in RunEngine(ct => Engine.FitbitConnection.ReparseAsync(path, profile, DataType, Events(), ct), path))
                WriteObject(result);
        }
    }
}
