using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily cardio fitness score (VO2 max, ml/kg/min).</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitCardioFitness")]
    [OutputType(typeof(CardioFitness))]
    public sealed class GetFitbitCardioFitnessCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading cardio fitness";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadCardioFitness(range, ct));
    }
}
