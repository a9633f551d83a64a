using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>One row per day (steps, distance, floors, calories, active-zone and intensity minutes);
    /// with -Interval one row per hour, quarter hour or minute.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitActivity")]
    [OutputType(typeof(ActivityDay), typeof(ActivityInterval))]
    public sealed class GetFitbitActivityCommand : FitbitReaderCmdletBase
    {
        /// <summary>Intraday rows instead of daily totals.</summary>
        [Parameter]
        public IntradayInterval? Interval { get; set; }

        protected override string Activity => Interval.HasValue ? $"Reading activity per {Interval}" : "Reading daily activity";

        protected override void ProcessRecord()
        {
            if (Interval is IntradayInterval interval)
                Stream((reader, range, ct) => reader.ReadActivityIntervals(range, interval, ct));
            else
                Stream((reader, range, ct) => reader.ReadActivityDays(range, ct));
        }
    }
}
