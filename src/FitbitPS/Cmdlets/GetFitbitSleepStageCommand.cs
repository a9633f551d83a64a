using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>The stage segments (deep, light, REM, wake…) of each sleep, dated by wake day, for charts.</summary>
    /// <remarks>
    /// Each segment is one stretch of one stage with its start, end and minutes; SleepStart names the sleep it
    /// belongs to and Date its wake day, as in Get-FitbitSleep. Reads the same sleep list as Get-FitbitSleep, so
    /// the two cost the same requests.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitSleepStage -Days 1 | Format-Table Start, Stage, Minutes
    /// </code>
    /// <para>The stage segments of last night, for a chart.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitSleepStage -Days 30 | Group-Object Stage | Select-Object Name, Count
    /// </code>
    /// <para>How many segments of each stage the last 30 days had.</para>
    /// </example>
    /// <seealso cref="GetFitbitSleepCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitSleepStage")]
    [OutputType(EngineType.Records + nameof(SleepStage))]
    public sealed class GetFitbitSleepStageCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading sleep stages";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadSleepStages(range, ct));
    }
}
