using System;
using System.Globalization;
using System.Management.Automation;
using FitbitPS.Engine.Core;

namespace FitbitPS.Binding
{
    /// <summary>
    /// Binds -From/-To as a calendar day whatever the session's culture: ISO 8601 always, other text only
    /// when its invariant and culture readings agree (see <see cref="DateInput"/>). A [datetime] passes
    /// through unchanged. Why: PowerShell's own binding reads strings with the current culture, so the
    /// same script meant a different day on a de-DE machine.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CivilDateAttribute : ArgumentTransformationAttribute
    {
        /// <param name="parameter">The parameter's name, for messages ("From").</param>
        public CivilDateAttribute(string parameter) { Parameter = parameter; }

        public string Parameter { get; }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (!(value is string text)) return inputData;
            try
            {
                return DateInput.ParseDay(text, CultureInfo.CurrentCulture, Parameter);
            }
            catch (FitbitInputException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message + " " + e.RecommendedAction, e);
            }
        }
    }
}
