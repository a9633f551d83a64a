using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Report;
using FitbitPS.Engine.Store;

namespace FitbitPS.Engine
{
    /// <summary>What Export-FitbitReport asks for.</summary>
    public sealed class ReportSpec
    {
        /// <summary>The export folder (or its fitbitps.db).</summary>
        public string Path { get; set; }
        /// <summary>The HTML file to write (null: fitbitps-report.html in the store's folder).</summary>
        public string OutFile { get; set; }
        public string Profile { get; set; }
        /// <summary>First and last day shown (null: the first and last day the store holds).</summary>
        public DateTime? From { get; set; }
        public DateTime? To { get; set; }
        /// <summary>The last n days up to To (instead of From).</summary>
        public int? Days { get; set; }
        /// <summary>The day whose minutes are shown (null: the last day of the range that has them).</summary>
        public DateTime? Day { get; set; }
        public ReportUnitSystem Units { get; set; }
    }

    /// <summary>The report written (Export-FitbitReport's output).</summary>
    public sealed class ReportResult
    {
        public string Path { get; set; }
        public string Profile { get; set; }
        public DateTime From { get; set; }
        public DateTime To { get; set; }
        public long Bytes { get; set; }
        /// <summary>The charts drawn, by id, with their points (days, or samples for the day by minute).</summary>
        public IReadOnlyDictionary<string, int> Charts { get; set; }
        /// <summary>The charts the page says have no data.</summary>
        public IReadOnlyList<string> Empty { get; set; }
        public string Units { get; set; }
        public TimeSpan Elapsed { get; set; }
    }

    /// <summary>
    /// The report: one self-contained HTML page of a profile's data, read from an export folder's store (zero requests, no
    /// sign-in). Written atomically (temp file, then rename), readable by its owner only where the OS has modes.
    /// </summary>
    public static class FitbitReport
    {
        public const string DefaultFileName = "fitbitps-report.html";

        /// <summary>Where a report of <paramref name="spec"/> goes (for -WhatIf): -OutFile, else fitbitps-report.html where the
        /// profile's files are (the folder itself; a store's later profiles have a sub-folder each, so two people's reports
        /// never overwrite each other).</summary>
        public static string OutFileOf(ReportSpec spec)
        {
            if (!string.IsNullOrEmpty(spec.OutFile)) return System.IO.Path.GetFullPath(spec.OutFile);
            using (var store = FitbitStore.OpenForRead(spec.Path))
                return DefaultOutFile(store, StoreProfiles.Choose(store, spec.Profile));
        }

        private static string DefaultOutFile(FitbitStore store, string profile)
        {
            var files = store.Run(() => FitbitStore.Scalar(store.Connection, "SELECT files_folder FROM profiles WHERE profile = $p;", null, ("$p", profile)), "read the profile") as string;
            return System.IO.Path.Combine(store.Folder, files ?? "", DefaultFileName);
        }

        public static ReportResult Write(ReportSpec spec, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            string outFile = string.IsNullOrEmpty(spec.OutFile) ? null : CheckOutFile(System.IO.Path.GetFullPath(spec.OutFile));
            ReportData data;
            IReadOnlyList<ReportChart> charts;
            using (var store = FitbitStore.OpenForRead(spec.Path))
            {
                string profile = StoreProfiles.Choose(store, spec.Profile);
                if (outFile == null)
                {
                    outFile = DefaultOutFile(store, profile);
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(outFile)); // a profile's sub-folder someone removed
                }
                var held = store.Run(() => ReportDataReader.HeldDays(store, profile), "read the store's days");
                var range = Range(spec, held, LastCompleteDay(store, profile), store.FilePath, profile);
                var units = ReportUnits.Resolve(store, profile, spec.Units);
                var day = spec.Day?.Date ?? store.Run(() => ReportDataReader.LastMinutesDay(store, profile, range.From, range.To), "read the store's days");
                data = store.Run(() => ReportDataReader.Read(store, profile, range.From, range.To, day, units, cancellationToken), "read the report's data");
                charts = ReportCharts.All(units);
            }
            string folder = System.IO.Path.GetDirectoryName(outFile);
            cancellationToken.ThrowIfCancellationRequested();
            string html = ReportPage.Render(data, charts, DateTimeOffset.Now);
            ExportFolder.CheckNoLinks(folder, new[] { System.IO.Path.GetFileName(outFile) }, "Export-FitbitReport", "-OutFile");
            try
            {
                ExportFolder.WriteAllText(folder, System.IO.Path.GetFileName(outFile), html, null);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ExportException(e is IOException io && ExportFolder.IsDiskFull(io) ? ExportErrorKind.DiskFull : ExportErrorKind.FolderNotWritable,
                    $"The report could not be written to '{outFile}': {e.Message} Nothing was changed there.", outFile, e)
                { RecommendedAction = "Give -OutFile in a folder you can write, with space left." };
            }
            var drawn = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var chart in charts.Where(c => ReportCharts.HasData(c, data))) drawn[chart.Id] = ReportCharts.Points(chart, data);
            return new ReportResult
            {
                Path = outFile, Profile = data.Profile, From = data.From, To = data.To, Bytes = new FileInfo(outFile).Length,
                Charts = drawn, Empty = charts.Where(c => !drawn.ContainsKey(c.Id)).Select(c => c.Id).ToList(),
                Units = $"{data.Units.Weight}, {data.Units.Distance}, {data.Units.Temperature}", Elapsed = clock.Elapsed,
            };
        }

        /// <summary>-OutFile must name a file in a folder that exists (checked before the store is read).</summary>
        private static string CheckOutFile(string outFile)
        {
            if (Directory.Exists(outFile))
                throw new FitbitInputException(FitbitInputException.InvalidArgument, $"'{outFile}' is a folder; -OutFile names the HTML file to write.", outFile,
                    $"Give a file name, e.g. -OutFile {System.IO.Path.Combine(outFile, DefaultFileName)}.");
            string folder = System.IO.Path.GetDirectoryName(outFile);
            if (!Directory.Exists(folder))
                throw new ExportException(ExportErrorKind.InvalidPath, $"The folder '{folder}' of -OutFile does not exist. Nothing was written.", folder)
                { RecommendedAction = "Create the folder, or give -OutFile in an existing one." };
            return outFile;
        }

        /// <summary>The days shown: what was asked, else everything the store holds (a store with nothing says so).</summary>
        private static CivilRange Range(ReportSpec spec, (DateTime From, DateTime To)? held, DateTime? lastComplete, string storePath, string profile)
        {
            RequestPlanner.CheckDays(spec.From, spec.To, spec.Days);
            if (held == null && !(spec.From.HasValue && spec.To.HasValue))
                throw new ExportException(ExportErrorKind.NoData,
                    $"The store '{storePath}' holds no daily data of the profile '{profile}' yet: there is nothing to draw.", storePath)
                { RecommendedAction = "Run Export-FitbitData -Path <folder> (or Import-FitbitTakeout -Destination <folder>) first." };
            DateTime to = (spec.To ?? (spec.From.HasValue && spec.Days.HasValue ? spec.From.Value.AddDays(spec.Days.Value - 1) : LastShown(held.Value, lastComplete))).Date;
            DateTime from = (spec.From ?? (spec.Days.HasValue ? to.AddDays(-(spec.Days.Value - 1)) : held.Value.From)).Date;
            return new CivilRange(from, to); // a reversed range is refused there, with both days named
        }

        /// <summary>Opens a written report in the default browser (FITBITPS_BROWSER replaces it, as for sign-in); a browser that
        /// cannot be started is a warning naming the file.</summary>
        public static void Show(string path, EngineLogger log) =>
            Auth.BrowserLauncher.Default(log, "the report")(new Uri(path).AbsoluteUri, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>The last day the store holds, but not one that was not over yet when it was read (the person's today at the
        /// export: its few steps so far would pull the 30-day average down). The exports' sync state says which days were
        /// complete, in the person's own calendar; a store with none (a Takeout) holds complete days only.</summary>
        private static DateTime LastShown((DateTime From, DateTime To) held, DateTime? lastComplete) =>
            lastComplete.HasValue && lastComplete.Value < held.To && lastComplete.Value >= held.From ? lastComplete.Value : held.To;

        /// <summary>The last day an export of the profile read when it was already over (the latest over its kinds), or null.</summary>
        private static DateTime? LastCompleteDay(FitbitStore store, string profile)
        {
            var entries = SyncStates.Load(store, profile).Values;
            return entries.Count == 0 ? (DateTime?)null : entries.Max(e => e.LastCompleteDay);
        }
    }
}
