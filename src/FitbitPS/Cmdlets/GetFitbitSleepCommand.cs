using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>One row per sleep, dated by the day the person woke up: start, end, minutes asleep,
    /// awake and to fall asleep, time in bed, main sleep or nap, minutes per stage. -Stages gives the
    /// stage segments instead (same as Get-FitbitSleepStage).</summary>
    /// <remarks>
    /// Reads the sleep list of the range (25 sleeps per request, Google's page limit) and writes one SleepSession
    /// per sleep, naps included (IsMainSleep tells the night). The minutes per stage come from the stage segments
    /// of the sleep; Classic sleeps (older devices) have Asleep/Restless/Wake instead of Deep/Light/REM.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitSleep -Days 14 | Export-Csv sleep.csv
    /// </code>
    /// <para>The sleeps of the last 14 days, dated by the day you woke up, as CSV.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitSleep -Days 7 | Where-Object IsMainSleep | Format-Table Date, MinutesAsleep, DeepMinutes, RemMinutes
    /// </code>
    /// <para>Only the main sleep of each night of the last week.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitSleep -Days 1 -Stages
    /// </code>
    /// <para>The stage segments of last night (same as Get-FitbitSleepStage).</para>
    /// </example>
    /// <seealso cref="GetFitbitSleepStageCommand"/>
    /// <seealso cref="ExportFitbitDataCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitSleep")]
    [OutputType(EngineType.Records + nameof(SleepSession), EngineType.Records + nameof(SleepStage))]
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
