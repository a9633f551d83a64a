using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Exercises: type, start, duration, distance (km and miles), calories, average heart rate, steps.</summary>
    /// <remarks>
    /// One row per exercise recorded or logged in the range, dated by its start day: type and name, start and end,
    /// duration, distance, calories, average heart rate and steps.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitExercise -Days 30 | Format-Table Date, Type, DurationMinutes, DistanceKm, AverageHeartRate
    /// </code>
    /// <para>The exercises of the last 30 days.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitExercise -From 2026-01-01 | Group-Object Type | Select-Object Name, Count
    /// </code>
    /// <para>How many exercises of each type since 1 January 2026.</para>
    /// </example>
    /// <seealso cref="GetFitbitActivityCommand"/>
    /// <seealso cref="GetFitbitHeartRateCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitExercise")]
    [OutputType(EngineType.Records + nameof(Exercise))]
    public sealed class GetFitbitExerciseCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading exercises";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadExercise(range, ct));
    }
}
