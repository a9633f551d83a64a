using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily cardio fitness score (VO2 max, ml/kg/min).</summary>
    /// <example>
    /// <code>
    /// Get-FitbitCardioFitness -Days 90 | Format-Table Date, Vo2Max
    /// </code>
    /// <para>Cardio fitness (VO2 max) of the last 90 days.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "FitbitCardioFitness")]
    [OutputType(typeof(CardioFitness))]
    public sealed class GetFitbitCardioFitnessCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading cardio fitness";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadCardioFitness(range, ct));
    }
}
