using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily cardio fitness score (VO2 max, ml/kg/min).</summary>
    /// <remarks>
    /// One row per day with a cardio fitness estimate: VO2 max in ml/kg/min, the level Fitbit gives it (Poor to
    /// Excellent) and whether it was estimated without GPS.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitCardioFitness -Days 90 | Format-Table Date, Vo2Max
    /// </code>
    /// <para>Cardio fitness (VO2 max) of the last 90 days.</para>
    /// </example>
    /// <seealso cref="GetFitbitActivityCommand"/>
    /// <seealso cref="GetFitbitExerciseCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitCardioFitness")]
    [OutputType(EngineType.Records + nameof(CardioFitness))]
    public sealed class GetFitbitCardioFitnessCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading cardio fitness";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadCardioFitness(range, ct));
    }
}
