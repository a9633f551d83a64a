using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Resting heart rate per day; -Interval gives min/avg/max per window; -Raw every sample.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitHeartRate", DefaultParameterSetName = "Resting")]
    [OutputType(typeof(RestingHeartRate), ParameterSetName = new[] { "Resting" })]
    [OutputType(typeof(HeartRateInterval), ParameterSetName = new[] { "Interval" })]
    [OutputType(typeof(HeartRateSample), ParameterSetName = new[] { "Raw" })]
    public sealed class GetFitbitHeartRateCommand : FitbitReaderCmdletBase
    {
        /// <summary>Min/avg/max heart rate per hour, quarter hour or minute.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Interval")]
        public IntradayInterval Interval { get; set; }

        /// <summary>Every raw sample (many per minute: use short ranges).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Raw")]
        public SwitchParameter Raw { get; set; }

        protected override string Activity
            => ParameterSetName == "Raw" ? "Reading heart-rate samples"
             : ParameterSetName == "Interval" ? $"Reading heart rate per {Interval}" : "Reading resting heart rate";

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case "Raw": Stream((reader, range, ct) => reader.ReadHeartRateSamples(range, ct)); break;
                case "Interval":
                    var interval = Interval;
                    Stream((reader, range, ct) => reader.ReadHeartRateIntervals(range, interval, ct));
                    break;
                default: Stream((reader, range, ct) => reader.ReadRestingHeartRate(range, ct)); break;
            }
        }
    }
}
