using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FitbitPS.Engine.Auth;

namespace FitbitPS.Binding
{
    /// <summary>Tab completion of -Profile: the profiles saved on this machine (file names only; nothing is decrypted).</summary>
    public sealed class ProfileCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            IEnumerable<string> profiles;
            try { profiles = FitbitAuthenticator.ListProfileNames(); }
            catch (Exception) { yield break; } // completion never throws at the user
            foreach (var name in profiles.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase))
                if (name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, "FitbitPS profile " + name);
        }

        private static string Quote(string name) => name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',' }) >= 0
            ? "'" + name.Replace("'", "''") + "'" : name;
    }
}
