using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Weigh-ins: kg and lb, body fat of the same weigh-in, BMI from the latest height, source.</summary>
    /// <remarks>
    /// Reads the weight list and the body-fat list of the range (one request per page each) and the latest height
    /// (one request), and joins them: a body-fat reading taken within a minute of a weigh-in belongs to it. BMI
    /// uses the latest height on record. Date is the person's own calendar day of the weigh-in; LocalTime keeps the
    /// offset they had then.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitBodyWeight -Days 90 | Format-Table Date, WeightKg, BodyFatPercent, Bmi
    /// </code>
    /// <para>Weigh-ins of the last 90 days.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitBodyWeight -From 2026-01-01 | Export-Csv weight-2026.csv
    /// </code>
    /// <para>Every weigh-in since 1 January 2026, as CSV.</para>
    /// </example>
    /// <seealso cref="GetFitbitActivityCommand"/>
    /// <seealso cref="ExportFitbitDataCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitBodyWeight")]
    [OutputType(EngineType.Records + nameof(BodyWeight))]
    public sealed class GetFitbitBodyWeightCommand : FitbitReaderCmdletBase
    {
        protected override string Activity => "Reading body weight";

        protected override void ProcessRecord() => Stream((reader, range, ct) => reader.ReadBodyWeight(range, ct));
    }
}
