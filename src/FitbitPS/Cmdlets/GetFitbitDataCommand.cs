using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Records;

namespace FitbitPS.Cmdlets
{
    /// <summary>Any Google Health data type as generic flat records: raw points (List), one value per
    /// moment (Reconcile), daily totals (DailyRollUp) or totals per window (RollUp -WindowSize).</summary>
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
    [Cmdlet(VerbsCommon.Get, "FitbitData")]
    [OutputType(typeof(HealthDataPoint))]
    public sealed class GetFitbitDataCommand : FitbitReaderCmdletBase
    {
        /// <summary>The data type: "steps", "heart-rate", "daily-oxygen-saturation"… (tab completes).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(DataTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string DataType { get; set; }

        /// <summary>How to read it. Default: List when the type has it, else DailyRollUp.</summary>
        [Parameter]
        [ValidateSet("List", "Reconcile", "DailyRollUp", "RollUp", IgnoreCase = true)]
        public string Method { get; set; }

        /// <summary>RollUp window (default one hour), at least one second.</summary>
        [Parameter]
        public TimeSpan? WindowSize { get; set; }

        protected override string Activity => $"Reading {DataType}";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (WindowSize.HasValue && WindowSize.Value < TimeSpan.FromSeconds(1))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-WindowSize must be at least one second."), "FitbitInvalidArgument", ErrorCategory.InvalidArgument, WindowSize));
        }

        protected override void ProcessRecord()
        {
            var type = DataTypeCatalog.Find(DataType);
            if (type == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"'{DataType}' is not a Google Health data type. Known types: {string.Join(", ", DataTypeCatalog.All.Select(t => t.Id))}."),
                    "FitbitUnknownDataType", ErrorCategory.InvalidArgument, DataType));
                return;
            }
            var method = Method == null ? (WindowSize.HasValue ? DataTypeMethods.RollUp : FitbitReader.DefaultMethod(type))
                : (DataTypeMethods)Enum.Parse(typeof(DataTypeMethods), Method, ignoreCase: true);
            if (!type.Supports(method))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"{type.Id} cannot be read with {method}; it supports {type.Methods}."),
                    "FitbitUnsupportedMethod", ErrorCategory.InvalidArgument, method));
                return;
            }
            var window = WindowSize;
            Stream((reader, range, ct) => reader.ReadData(type, method, range, window, ct));
        }
    }

    /// <summary>Tab completion of every data type in the discovery document.</summary>
    public sealed class DataTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            return DataTypeCatalog.All
                .Where(t => t.Id.StartsWith(word, StringComparison.OrdinalIgnoreCase) || t.Member.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(t => new CompletionResult(t.Id, t.Id, CompletionResultType.ParameterValue, $"{t.Id} ({t.Kind}; {t.Methods})"));
        }
    }
}
