using FitbitPS.Loading;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Binding;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Takeout;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Reads a Google Takeout archive of Fitbit / Google Health data (no sign-in, no Cloud project): the same record objects
    /// as the Get-Fitbit* readers, or, with -Destination, merged into the store of an export folder.
    /// </summary>
    /// <remarks>
    /// The archive is read as it was downloaded: a zip read in place (never extracted), every part of a multi-part download
    /// (give -001.zip; its sibling parts come with it), or the folder it was extracted to. Both layouts are read: the 2026
    /// Google Health one (Physical Activity_GoogleData, Health Fitness Data_GoogleData) and the legacy Fitbit one
    /// (Takeout/Fitbit/Global Export Data). Days are the person's calendar days in the zone of Your Profile/Profile.csv
    /// (else this computer's); placeholder future days, zeros that mean "not measured", values given twice and mirrored
    /// sources (Fit Health Connect) are dropped, naps are told from the night. A damaged file or one that cannot be read
    /// becomes a warning naming it, and the rest is read. With -Destination the records go into the folder's store
    /// (fitbitps.db, created when missing) and its files: only the days the API has not synced for the profile are filled
    /// (the API wins where both have a day, never doubled), so importing the same archive again changes nothing.
    /// Offline reads (Get-FitbitSleep -Path) and Invoke-FitbitQuery then see the Takeout years beside the API days.
    /// </remarks>
    /// <example>
    /// <code>
    /// Import-FitbitTakeout ~/Downloads/takeout-20261101T090000Z-001.zip | Group-Object Date
    /// </code>
    /// <para>Every record of the archive (every part of the download), grouped by day: activity days, weights, sleep sessions and stages, resting heart rate, HRV and SpO2.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Import-FitbitTakeout ./takeout.zip -DataType Sleep -From 2024-01-01 | Export-Csv sleep.csv
    /// </code>
    /// <para>Only the sleep sessions of 2024 onwards, as a CSV file.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Import-FitbitTakeout ./Takeout -Destination ~/FitbitExport
    /// Get-FitbitSleep -Path ~/FitbitExport -From 2019-01-01 -To 2019-12-31
    /// </code>
    /// <para>Merges an extracted archive into the export folder's store (one result per kind: RowsAdded, RowsUpdated, RowsRemoved, RowsTotal, From, To), then reads 2019 offline. Days the API has already synced are left as they are.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Import-FitbitTakeout ./takeout.zip -Destination ~/FitbitExport -WhatIf
    /// </code>
    /// <para>Says what would be merged into the store and writes nothing.</para>
    /// </example>
    /// <seealso cref="ExportFitbitDataCommand"/>
    /// <seealso cref="GetFitbitSleepCommand"/>
    /// <seealso cref="InvokeFitbitQueryCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsData.Import, "FitbitTakeout", SupportsShouldProcess = true, DefaultParameterSetName = "Read")]
    [OutputType(EngineType.Records + nameof(ActivityDay), EngineType.Records + nameof(BodyWeight), EngineType.Records + nameof(SleepSession),
        EngineType.Records + nameof(SleepStage), EngineType.Records + nameof(RestingHeartRate), EngineType.Records + nameof(HeartRateVariability),
        EngineType.Records + nameof(OxygenSaturation), ParameterSetName = new[] { "Read" })]
    [OutputType(EngineType.Export + nameof(ExportResult), ParameterSetName = new[] { "Destination" })]
    public sealed class ImportFitbitTakeoutCommand : FitbitCmdletBase
    {
        private const int ProgressId = 4300;
        private readonly List<string> _paths = new List<string>();

        /// <summary>The Takeout zip (any part of a multi-part download brings the others), several zips, or the folder it
        /// was extracted to. PowerShell paths (~, PSDrives, relative) and wildcards work; files piped from Get-ChildItem bind.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Kinds of record to read; All (default) is every kind an archive gives.</summary>
        /// <value>Default: All</value>
        [Parameter]
        [ValidateSet("All", "Weight", "Activity", "Sleep", "SleepStage", "RestingHeartRate", "HeartRateVariability", "OxygenSaturation", IgnoreCase = true)]
        public string[] DataType { get; set; } = { "All" };

        /// <summary>First calendar day (inclusive), read like the readers' -From (ISO 8601 works in every culture).</summary>
        /// <value>Default: the archive's first day.</value>
        [Parameter]
        [CivilDate("From")]
        public DateTime? From { get; set; }

        /// <summary>Last calendar day (inclusive).</summary>
        /// <value>Default: the archive's last day up to today (later days are placeholders and dropped).</value>
        [Parameter]
        [CivilDate("To")]
        public DateTime? To { get; set; }

        /// <summary>An export folder (created when missing): the records are merged into its store (fitbitps.db) and files
        /// instead of written to the pipeline, filling only the days the API has not synced. -Profile names whose records
        /// when the folder holds several people. PowerShell paths work.</summary>
        /// <value>Default: none (the records go to the pipeline).</value>
        [Parameter(Mandatory = true, ParameterSetName = "Destination")]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var path in Path)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(path))
                {
                    _paths.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                    continue;
                }
                var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
                if (resolved.Count == 0)
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No file or folder matches '{path}'."), "TakeoutPathNotFound", ErrorCategory.ObjectNotFound, path));
                _paths.AddRange(resolved);
            }
        }

        /// <summary>Every path is read together (the parts of one download, piped one by one, are one archive).</summary>
        protected override void EndProcessing()
        {
            var paths = _paths.Distinct(StringComparer.Ordinal).ToList();
            if (paths.Count == 0) return;
            string target = string.Join(", ", paths);
            string activity = "Reading Google Takeout " + target;
            var options = new TakeoutReadOptions
            {
                From = From, To = To, Log = EngineLog,
                Progress = p => Post(() => WriteProgress(new ProgressRecord(ProgressId, activity,
                    $"{p.Files} of {p.FileCount} files, {p.Bytes / 1048576.0:0.0} of {p.TotalBytes / 1048576.0:0.0} MB")
                {
                    PercentComplete = p.Percent, CurrentOperation = p.File,
                })),
            };
            try
            {
                if (Destination == null) Stream(paths, options, target);
                else Import(paths, options);
            }
            finally
            {
                if (!CancellationToken.IsCancellationRequested) // a stopping pipeline refuses writes
                    WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>No -Destination: the records, streamed through the pump like a reader's.</summary>
        private void Stream(List<string> paths, TakeoutReadOptions options, string target)
        {
            int written = 0;
            RunEngine(ct => Task.Run(() =>
            {
                foreach (var record in FitbitTakeout.Read(paths, DataType, options, ct))
                {
                    ct.ThrowIfCancellationRequested();
                    var current = record;
                    Post(() => { WriteObject(current); written++; });
                }
                return true;
            }, ct), target);
            WriteVerboseMessage($"Google Takeout: {written} record(s).");
        }

        /// <summary>-Destination: one merge into the folder's store; one result per kind.</summary>
        private void Import(List<string> paths, TakeoutReadOptions options)
        {
            string folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
            if (!ShouldProcess(folder, $"merge the {string.Join(", ", DataType)} records of the Takeout {string.Join(", ", paths)} into the store and files of the folder, on the days the API has not synced")) return;
            // -Profile chooses whose data only when it was given: a store of one person needs none.
            string profile = MyInvocation.BoundParameters.ContainsKey(nameof(Profile)) ? Profile : null;
            foreach (var result in RunEngine(ct => FitbitTakeout.ImportAsync(paths, folder, profile, DataType, options, ct), folder))
            {
                if (result.Error != null) WriteError(ToErrorRecord(result.Error, result.Kind));
                WriteObject(result);
            }
        }
    }
}
