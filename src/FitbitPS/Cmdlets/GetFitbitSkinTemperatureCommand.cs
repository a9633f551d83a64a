using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Nightly skin temperature and its variation from the personal baseline.</summary>
    /// <remarks>
    /// One row per night: the nightly skin temperature, the personal baseline and the variation (nightly minus
    /// baseline, what the Fitbit app shows) in degrees Celsius, dated by the day the night ended.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitSkinTemperature -Days 30 | Format-Table Date, NightlyCelsius, VariationCelsius
    /// </code>
    /// <para>Nightly skin temperature and its variation from your baseline over the last 30 days.</para>
    /// </example>
    /// <seealso cref="GetFitbitOxygenSaturationCommand"/>
    /// <seealso cref="GetFitbitBreathingRateCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitSkinTemperature")]
    [OutputType(EngineType.Records + nameof(SkinTemperature))]
    public sealed class GetFitbitSkinTemperatureCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading skin temperature";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadSkinTemperature(range, ct));
    }
}
