using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>The stage segments (deep, light, REM, wake…) of each sleep, dated by wake day, for charts.</summary>
    [Cmdlet(VerbsCommon.Get, "FitbitSleepStage")]
    [OutputType(typeof(SleepStage))]
    public sealed class GetFitbitSleepStageCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading sleep stages";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadSleepStages(range, ct));
    }
}
