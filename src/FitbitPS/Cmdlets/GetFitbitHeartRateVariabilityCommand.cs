using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily heart-rate variability (RMSSD during sleep).</summary>
    /// <remarks>
    /// One row per night: RMSSD over the night and during deep sleep, entropy and non-REM heart rate, dated by the
    /// day the night ended.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitHeartRateVariability -Days 30 | Format-Table Date, RmssdMilliseconds, DeepSleepRmssdMilliseconds
    /// </code>
    /// <para>Nightly heart-rate variability (RMSSD) of the last 30 days.</para>
    /// </example>
    /// <seealso cref="GetFitbitHeartRateCommand"/>
    /// <seealso cref="GetFitbitBreathingRateCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitHeartRateVariability")]
    [OutputType(EngineType.Records + nameof(HeartRateVariability))]
    public sealed class GetFitbitHeartRateVariabilityCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading heart-rate variability";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadHeartRateVariability(range, ct));
    }
}
