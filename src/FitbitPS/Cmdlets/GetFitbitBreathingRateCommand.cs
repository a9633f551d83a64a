using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily breathing (respiratory) rate during sleep.</summary>
    /// <remarks>
    /// One row per night: breaths per minute during sleep, dated by the day the night ended.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitBreathingRate -From 2026-01-01 -To 2026-01-31 | Format-Table Date, BreathsPerMinute
    /// </code>
    /// <para>Breathing rate during sleep for each night of January 2026.</para>
    /// </example>
    /// <seealso cref="GetFitbitOxygenSaturationCommand"/>
    /// <seealso cref="GetFitbitHeartRateVariabilityCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitBreathingRate")]
    [OutputType(EngineType.Records + nameof(BreathingRate))]
    public sealed class GetFitbitBreathingRateCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading breathing rate";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadBreathingRate(range, ct));
    }
}
