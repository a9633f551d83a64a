using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Exercises: type, start, duration, distance (km and miles), calories, average heart rate, steps.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitExercise")]
    [OutputType(typeof(Exercise))]
    public sealed class GetFitbitExerciseCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading exercises";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadExercise(range, ct));
    }
}
