using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily heart-rate variability (RMSSD during sleep).</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitHeartRateVariability")]
    [OutputType(typeof(HeartRateVariability))]
    public sealed class GetFitbitHeartRateVariabilityCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading heart-rate variability";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadHeartRateVariability(range, ct));
    }
}
