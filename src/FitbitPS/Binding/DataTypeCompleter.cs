using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FitbitPS.Engine.Api;

namespace FitbitPS.Binding
{
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
