using System;
using System.Management.Automation;
using System.Threading;
using FitbitPS.Binding;
using FitbitPS.Engine;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Report;
using FitbitPS.Hosting;

namespace FitbitPS.Cmdlets
{
    /// <summary>Writes one self-contained HTML page of a person's Fitbit data from an export folder's store.</summary>
    /// <remarks>
    /// The page shows the last 30 and 90 days against the period before (steps, sleep, resting heart rate, weight), steps as
    /// a calendar heat map and per day with the 7-day average, active zone minutes, sleep per night by stage with bedtimes
    /// and wake times, weight with a trend line and body fat, resting heart rate, HRV, SpO2, breathing rate and skin
    /// temperature over time, and one day's heart rate and steps by minute. Each chart has a title, units, axes and
    /// tooltips, in the person's units (their Fitbit settings as the store kept them, or -Unit).
    ///
    /// It reads the store only: no sign-in and no request. The page is one file: the chart library (Apache ECharts) and the
    /// data are inside it, and it makes no request of any kind when it is opened, so it can be mailed, archived or opened
    /// offline. A kind the store holds nothing of for the range is a sentence on the page, not an empty chart. The file is
    /// replaced atomically and readable by its owner only (on Linux and macOS): it holds health data.
    /// </remarks>
    /// <example>
    /// <code>
    /// Export-FitbitReport ~/FitbitExport -Show
    /// </code>
    /// <para>Everything the store holds, written to ~/FitbitExport/fitbitps-report.html and opened in the default browser.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Export-FitbitData -Path ~/FitbitExport; Export-FitbitReport ~/FitbitExport -Days 365 -OutFile ~/Reports/fitbit.html
    /// </code>
    /// <para>Brings the store up to date, then writes the last year (a scheduled task can run both).</para>
    /// </example>
    /// <example>
    /// <code>
    /// Export-FitbitReport ~/FitbitExport -From 2026-01-01 -To 2026-06-30 -Day 2026-05-14 -Unit Metric
    /// </code>
    /// <para>The first half of 2026 in kg, km and °C, with 14 May by minute.</para>
    /// </example>
    /// <seealso cref="ExportFitbitDataCommand"/>
    /// <seealso cref="InvokeFitbitQueryCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsData.Export, "FitbitReport", SupportsShouldProcess = true)]
    [OutputType(typeof(ReportResult))]
    public sealed class ExportFitbitReportCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cts = new CancellationTokenSource();

        /// <summary>The export folder (or its fitbitps.db). PowerShell paths (~, PSDrives, relative) work.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The HTML file to write; replaced when it exists.</summary>
        /// <value>Default: fitbitps-report.html where the profile's files are (the export folder; a store's later profiles have a sub-folder each).</value>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; }

        /// <summary>Whose data, when the store holds several profiles.</summary>
        /// <value>Default: the store's only profile (or "default").</value>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Profile { get; set; }

        /// <summary>First calendar day shown (yyyy-MM-dd, or a [datetime]).</summary>
        /// <value>Default: the first day the store holds.</value>
        [Parameter]
        [CivilDate("From")]
        public DateTime? From { get; set; }

        /// <summary>Last calendar day shown; the 30/90-day comparisons end here.</summary>
        /// <value>Default: the last day the store holds, up to yesterday (today is not over yet).</value>
        [Parameter]
        [CivilDate("To")]
        public DateTime? To { get; set; }

        /// <summary>The last N days up to -To (instead of -From).</summary>
        [Parameter]
        [ValidateRange(1, 36500)]
        public int? Days { get; set; }

        /// <summary>The day shown by minute (heart rate and steps).</summary>
        /// <value>Default: the last day of the range the store has minutes of.</value>
        [Parameter]
        [CivilDate("Day")]
        public DateTime? Day { get; set; }

        /// <summary>Account: the person's Fitbit settings as the store kept them (else this computer's region); Metric: kg,
        /// km, °C; Imperial: lb, miles, °F.</summary>
        /// <value>Default: Account</value>
        [Parameter]
        public ReportUnitSystem Unit { get; set; } = ReportUnitSystem.Account;

        /// <summary>Opens the report in the default browser once written.</summary>
        [Parameter]
        public SwitchParameter Show { get; set; }

        protected override void ProcessRecord()
        {
            var spec = new ReportSpec
            {
                Path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
                OutFile = OutFile == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile),
                Profile = Profile, From = From, To = To, Days = Days, Day = Day, Units = Unit,
            };
            try
            {
                string target = FitbitReport.OutFileOf(spec);
                if (!ShouldProcess(target, $"write the FitbitPS report of the store '{spec.Path}'")) return;
                var result = FitbitReport.Write(spec, _cts.Token);
                WriteVerbose($"Wrote {result.Path}: {result.Bytes / 1024.0:N0} KB, {result.Charts.Count} charts, {result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}, in {result.Elapsed.TotalMilliseconds:N0} ms.");
                WriteObject(result);
                if (Show) FitbitReport.Show(result.Path, (level, message) => { if (level == EngineLogLevel.Warning) WriteWarning(message); else WriteVerbose(message); });
            }
            catch (OperationCanceledException) when (_cts.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is RuntimeException))
            {
                ThrowTerminatingError(ErrorRecords.From(e, spec.Path));
            }
        }

        protected override void StopProcessing() => _cts.Cancel();

        public void Dispose() => _cts.Dispose();
    }
}
