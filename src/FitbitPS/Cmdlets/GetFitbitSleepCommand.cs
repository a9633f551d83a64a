using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>One row per sleep, dated by the day the person woke up: start, end, minutes asleep,
    /// awake and to fall asleep, time in bed, main sleep or nap, minutes per stage. -Stages gives the
    /// stage segments instead (same as Get-FitbitSleepStage).</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitSleep")]
    [OutputType(typeof(SleepSession), typeof(SleepStage))]
    public sealed class GetFitbitSleepCommand : FitbitReaderCmdletBase
    {
        /// <summary>Output the stage segments (for charts) instead of sessions.</summary>
        [Parameter]
        public SwitchParameter Stages { get; set; }

        protected override string Activity => Stages ? "Reading sleep stages" : "Reading sleep";

        protected override void ProcessRecord()
        {
            if (Stages) Stream((reader, range, ct) => reader.ReadSleepStages(range, ct));
            else Stream((reader, range, ct) => reader.ReadSleep(range, ct));
        }
    }
}
