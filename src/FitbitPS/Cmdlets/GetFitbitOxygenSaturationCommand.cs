using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Daily blood oxygen saturation (SpO2) during sleep.</summary>
    /// <remarks>
    /// One row per night: average, lower and upper bound and standard deviation of SpO2 in percent, dated by the
    /// day the night ended.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitOxygenSaturation -Days 14 | Format-Table Date, AveragePercent, LowerBoundPercent, UpperBoundPercent
    /// </code>
    /// <para>Nightly SpO2 of the last 14 days.</para>
    /// </example>
    /// <seealso cref="GetFitbitBreathingRateCommand"/>
    /// <seealso cref="GetFitbitSkinTemperatureCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitOxygenSaturation")]
    [OutputType(EngineType.Records + nameof(OxygenSaturation))]
    public sealed class GetFitbitOxygenSaturationCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading SpO2";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadOxygenSaturation(range, ct));
    }
}
