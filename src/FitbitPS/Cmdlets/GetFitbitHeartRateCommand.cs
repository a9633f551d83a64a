using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Resting heart rate per day; -Interval gives min/avg/max per window; -Raw every sample.</summary>
    /// <remarks>
    /// Without a switch: the resting heart rate Fitbit computes per day (one request for up to 10,000 days).
    /// -Interval: minimum, average and maximum per hour, quarter hour or minute from Google's roll-ups. -Raw: every
    /// sample as recorded (a watch records one every few seconds, tens of thousands a day), streamed oldest first
    /// with flat memory.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitHeartRate -Days 30
    /// </code>
    /// <para>Resting heart rate per day for the last 30 days.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitHeartRate -From 2026-03-01 -To 2026-03-01 -Interval FifteenMinutes | Format-Table Start, MinBpm, AverageBpm, MaxBpm
    /// </code>
    /// <para>Minimum, average and maximum heart rate per quarter hour on one day.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitHeartRate -Days 1 -Raw | Export-Csv heart-rate-samples.csv
    /// </code>
    /// <para>Every heart-rate sample of today (many per minute: keep raw ranges short).</para>
    /// </example>
    /// <seealso cref="GetFitbitHeartRateVariabilityCommand"/>
    /// <seealso cref="GetFitbitActivityCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitHeartRate", DefaultParameterSetName = "Resting")]
    [OutputType(EngineType.Records + nameof(RestingHeartRate), ParameterSetName = new[] { "Resting" })]
    [OutputType(EngineType.Records + nameof(HeartRateInterval), ParameterSetName = new[] { "Interval" })]
    [OutputType(EngineType.Records + nameof(HeartRateSample), ParameterSetName = new[] { "Raw" })]
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
