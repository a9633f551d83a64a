using FitbitPS.Loading;
using System;
using System.Management.Automation;
using FitbitPS.Binding;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Any Google Health data type as generic flat records: raw points (List), one value per
    /// moment (Reconcile), daily totals (DailyRollUp) or totals per window (RollUp -WindowSize).</summary>
    /// <remarks>
    /// Reaches every data type of the Google Health API v4 by name, as generic HealthDataPoint rows (Type, Date,
    /// Start, End, Value, Values, Source). Use it for types without a dedicated cmdlet, or to see what the API
    /// returns: -Method List (raw points), Reconcile (one value per moment, sources merged), DailyRollUp (one total
    /// per day) or RollUp with -WindowSize. Only the methods a type supports are accepted.
    /// </remarks>
    /// <example>
    /// <code>
    /// Get-FitbitData steps -Days 1 -Method RollUp -WindowSize 01:00:00
    /// </code>
    /// <para>Steps per hour today, as generic HealthDataPoint records (Type, Date, Start, End, Value, Values, Source).</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitData daily-oxygen-saturation -Days 7
    /// </code>
    /// <para>Any Google Health data type by its name; press Tab after Get-FitbitData to complete the names.</para>
    /// </example>
    /// <seealso cref="GetFitbitActivityCommand"/>
    /// <seealso cref="GetFitbitHeartRateCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitData")]
    [OutputType(EngineType.Records + nameof(HealthDataPoint))]
    public sealed class GetFitbitDataCommand : FitbitReaderCmdletBase
    {
        /// <summary>The data type: "steps", "heart-rate", "daily-oxygen-saturation"… (tab completes).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(DataTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string DataType { get; set; }

        /// <summary>How to read it. Default: List when the type has it, else DailyRollUp.</summary>
        /// <value>Default: List when the type supports it, else DailyRollUp; RollUp when -WindowSize is given</value>
        [Parameter]
        [ValidateSet("List", "Reconcile", "DailyRollUp", "RollUp", IgnoreCase = true)]
        public string Method { get; set; }

        /// <summary>RollUp window (default one hour), at least one second.</summary>
        /// <value>Default: 01:00:00 (one hour) with -Method RollUp</value>
        [Parameter]
        public TimeSpan? WindowSize { get; set; }

        protected override string Activity => $"Reading {DataType}";

        protected override void ProcessRecord()
        {
            string type = DataType, method = Method;
            var window = WindowSize;
            Stream((reader, range, ct) => reader.ReadData(type, method, range, window, ct));
        }
    }
}
