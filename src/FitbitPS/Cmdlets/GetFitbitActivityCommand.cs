using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>One row per day (steps, distance, floors, calories, active-zone and intensity minutes);
    /// with -Interval one row per hour, quarter hour or minute.</summary>
    /// <remarks>
    /// Daily rows come from Google's daily roll-ups, which merge every source (phone and watch) without double
    /// counting: steps, distance (km and miles), floors, total and active calories, active zone minutes and minutes
    /// per intensity. With -Interval the rows are windows of an hour, a quarter hour or a minute over physical
    /// time, labelled in the person's home time zone. A chunk of days that cannot be read becomes a non-terminating
    /// error naming its days; the other days still come.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitActivity -From 2026-01-01 | Export-Csv activity-2026.csv
    /// </code>
    /// <para>One row per day since 1 January 2026 (steps, distance, floors, calories, minutes per intensity), as CSV.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitActivity -From 2026-01-01 -To 2026-01-01 -Interval Hour | Format-Table Start, Steps
    /// </code>
    /// <para>Steps per hour on one day.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitActivity -Days 30 | Measure-Object Steps -Average -Maximum
    /// </code>
    /// <para>Average and best daily step count of the last 30 days.</para>
    /// </example>
    /// <seealso cref="GetFitbitHeartRateCommand"/>
    /// <seealso cref="GetFitbitDataCommand"/>
    /// <seealso cref="ExportFitbitDataCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitActivity")]
    [OutputType(EngineType.Records + nameof(ActivityDay), EngineType.Records + nameof(ActivityInterval))]
    public sealed class GetFitbitActivityCommand : FitbitReaderCmdletBase
    {
        /// <summary>Intraday rows instead of daily totals.</summary>
        /// <value>Default: none (one row per day)</value>
        [Parameter]
        public IntradayInterval? Interval { get; set; }

        protected override string Activity => Interval.HasValue ? $"Reading activity per {Interval}" : "Reading daily activity";

        protected override void ProcessRecord()
        {
            if (Interval is IntradayInterval interval)
                Stream((reader, range, ct) => reader.ReadActivityIntervals(range, interval, ct), offline: interval == IntradayInterval.Minute);
            else
                Stream((reader, range, ct) => reader.ReadActivityDays(range, ct));
        }
    }
}
