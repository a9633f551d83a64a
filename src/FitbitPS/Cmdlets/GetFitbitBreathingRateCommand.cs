using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily breathing (respiratory) rate during sleep.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitBreathingRate")]
    [OutputType(typeof(BreathingRate))]
    public sealed class GetFitbitBreathingRateCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading breathing rate";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadBreathingRate(range, ct));
    }
}
