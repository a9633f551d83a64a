using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Weigh-ins: kg and lb, body fat of the same weigh-in, BMI from the latest height, source.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitBodyWeight")]
    [OutputType(typeof(BodyWeight))]
    public sealed class GetFitbitBodyWeightCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading body weight";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadBodyWeight(range, ct));
    }
}
