using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// Friendly scope names (what Connect-Fitbit -Scope takes) and the Google Health read-only scopes
    /// behind them, plus which readers need each one (for the "scope not granted" warning).
    /// </summary>
    internal static class FitbitScopes
    {
        public const string Prefix = "https://www.googleapis.com/auth/googlehealth.";

        private static readonly Dictionary<string, string> ByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Activity"] = Prefix + "activity_and_fitness.readonly",
            ["HealthMetrics"] = Prefix + "health_metrics_and_measurements.readonly",
            ["Sleep"] = Prefix + "sleep.readonly",
            ["Profile"] = Prefix + "profile.readonly",
            ["Settings"] = Prefix + "settings.readonly",
            ["Location"] = Prefix + "location.readonly",
            ["Ecg"] = Prefix + "ecg.readonly",
            ["Irn"] = Prefix + "irn.readonly",
            ["Nutrition"] = Prefix + "nutrition.readonly",
        };

        // The readers that stop working without a scope (names of the cmdlets the readers branch ships).
        private static readonly Dictionary<string, string[]> ReadersByName = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Activity"] = new[] { "Get-FitbitActivity", "Get-FitbitExercise", "Get-FitbitCardioFitness" },
            ["HealthMetrics"] = new[] { "Get-FitbitBodyWeight", "Get-FitbitHeartRate", "Get-FitbitHeartRateVariability", "Get-FitbitOxygenSaturation", "Get-FitbitBreathingRate", "Get-FitbitSkinTemperature" },
            ["Sleep"] = new[] { "Get-FitbitSleep", "Get-FitbitSleepStage" },
            ["Profile"] = new[] { "Get-FitbitData -DataType profile" },
            ["Settings"] = new[] { "Get-FitbitData -DataType settings (time zone, units)" },
            ["Location"] = new[] { "Get-FitbitExercise routes (TCX)" },
            ["Ecg"] = new string[0],
            ["Irn"] = new string[0],
            ["Nutrition"] = new string[0],
        };

        /// <summary>All friendly names, in a stable order.</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { "Activity", "HealthMetrics", "Sleep", "Profile", "Settings", "Location", "Ecg", "Irn", "Nutrition" };

        /// <summary>Weight, activity, sleep and heart rate plus profile/settings.</summary>
        public static IReadOnlyList<string> DefaultNames { get; } = new[] { "Activity", "HealthMetrics", "Sleep", "Profile", "Settings" };

        /// <summary>Google scope for a friendly name (or a full Google scope URL, passed through).</summary>
        public static string ToGoogleScope(string nameOrScope)
        {
            if (string.IsNullOrWhiteSpace(nameOrScope))
                throw new ArgumentException("A scope name is empty.", nameof(nameOrScope));
            var s = nameOrScope.Trim();
            if (ByName.TryGetValue(s, out var scope)) return scope;
            if (s.StartsWith(Prefix, StringComparison.Ordinal)) return s;
            throw new FitbitAuthException(AuthErrorIds.ConsentError, FitbitErrorKind.InvalidArgument,
                $"Unknown scope '{s}'.")
            { Target = s, RecommendedAction = $"Use one of: {string.Join(", ", Names)}." };
        }

        public static IReadOnlyList<string> ToGoogleScopes(IEnumerable<string> namesOrScopes)
        {
            var list = (namesOrScopes ?? DefaultNames).ToList();
            if (list.Count == 0) list = DefaultNames.ToList();
            return list.Select(ToGoogleScope).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>Friendly name of a Google scope, or the scope itself when it has none.</summary>
        public static string ToFriendlyName(string googleScope)
        {
            foreach (var kv in ByName)
                if (string.Equals(kv.Value, googleScope, StringComparison.Ordinal)) return kv.Key;
            return googleScope;
        }

        /// <summary>
        /// One sentence per requested-but-not-granted scope, naming the readers that will fail,
        /// e.g. "Sleep scope not granted: Get-FitbitSleep, Get-FitbitSleepStage will fail."
        /// </summary>
        public static IReadOnlyList<string> DescribeMissing(IEnumerable<string> requestedGoogleScopes, IEnumerable<string> grantedGoogleScopes)
        {
            var granted = new HashSet<string>(grantedGoogleScopes ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            var result = new List<string>();
            foreach (var scope in requestedGoogleScopes ?? Enumerable.Empty<string>())
            {
                if (granted.Contains(scope)) continue;
                var name = ToFriendlyName(scope);
                var readers = ReadersByName.TryGetValue(name, out var r) && r.Length > 0
                    ? $": {string.Join(", ", r)} will fail"
                    : "";
                result.Add($"{name} scope not granted{readers}. Run Connect-Fitbit -Force and tick it on the consent page to fix this.");
            }
            return result;
        }

        /// <summary>Splits Google's space-separated "scope" field of a token response.</summary>
        public static IReadOnlyList<string> Parse(string scopeField) =>
            string.IsNullOrWhiteSpace(scopeField)
                ? (IReadOnlyList<string>)new string[0]
                : scopeField.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
    }
}
