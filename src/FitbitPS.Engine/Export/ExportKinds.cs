using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Records;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// The export kinds of a person's Fitbit data, read through <see cref="FitbitReader"/>: which
    /// record, which file, which key. Daily kinds are keyed by Date (+ Source where several sources
    /// may report a day); sessions and samples by their start time. Every kind is dated by the
    /// person's own calendar day, the same day the reader filters on, so a re-read range replaces
    /// exactly the rows it covers.
    /// </summary>
    internal static class ExportKinds
    {
        /// <summary>The -DataType names, in export order (intraday kinds last).</summary>
        public static IReadOnlyList<string> DataTypes { get; } = new[]
        {
            "Weight", "Activity", "Sleep", "SleepStage", "RestingHeartRate", "HeartRateVariability", "OxygenSaturation",
            "BreathingRate", "SkinTemperature", "CardioFitness", "Exercise", "ActivityIntraday", "HeartRateIntraday",
        };

        /// <summary>Every kind, intraday ones included (they are only exported when asked for).</summary>
        /// <param name="reader">Where the kinds read; null for their shape only (the store's tables, offline reads).</param>
        public static IReadOnlyList<ExportKind> Kinds(FitbitReader reader)
        {
            const string Date = nameof(ActivityDay.Date);
            return new ExportKind[]
            {
                // Change probes (incremental runs, see docs/export.md "Requests"): one request each
                // instead of 3 and 7. Weight: the weight list itself; body fat is logged by the same
                // weigh-in and the height only feeds BMI, both re-read whenever weights change and on
                // the first run of every day. Activity: total calories, because every synced minute
                // carries at least its basal calories (~0.8-1.5 kcal, far above the file's 0.1 kcal),
                // worn or not, asleep or awake; steps would miss a sync of a night or a desk hour.
                Kind<BodyWeight>("Weight", "weight", (range, ct) => reader.ReadBodyWeight(range, ct), Date, nameof(BodyWeight.LocalTime), nameof(BodyWeight.Source))
                    .WithChangeProbe(Fetch<BodyWeight>((range, ct) => reader.ReadWeighIns(range, ct)), nameof(BodyWeight.WeightKg), nameof(BodyWeight.WeightLb)),
                Kind<ActivityDay>("Activity", "activity", (range, ct) => reader.ReadActivityDays(range, ct), Date, Date)
                    .WithChangeProbe(Fetch<ActivityDay>((range, ct) => reader.ReadDailyTotalCalories(range, ct)), nameof(ActivityDay.CaloriesTotal)),
                Kind<SleepSession>("Sleep", "sleep-sessions", (range, ct) => reader.ReadSleep(range, ct), Date, nameof(SleepSession.Start)),
                Kind<SleepStage>("SleepStage", "sleep-stages", (range, ct) => reader.ReadSleepStages(range, ct), Date, nameof(SleepStage.Start)),
                Kind<RestingHeartRate>("RestingHeartRate", "resting-heart-rate", (range, ct) => reader.ReadRestingHeartRate(range, ct), Date, Date, "Source"),
                Kind<HeartRateVariability>("HeartRateVariability", "heart-rate-variability", (range, ct) => reader.ReadHeartRateVariability(range, ct), Date, Date, "Source"),
                Kind<OxygenSaturation>("OxygenSaturation", "oxygen-saturation", (range, ct) => reader.ReadOxygenSaturation(range, ct), Date, Date, "Source"),
                Kind<BreathingRate>("BreathingRate", "breathing-rate", (range, ct) => reader.ReadBreathingRate(range, ct), Date, Date, "Source"),
                Kind<SkinTemperature>("SkinTemperature", "skin-temperature", (range, ct) => reader.ReadSkinTemperature(range, ct), Date, Date, "Source"),
                Kind<CardioFitness>("CardioFitness", "cardio-fitness", (range, ct) => reader.ReadCardioFitness(range, ct), Date, Date, "Source"),
                Kind<Exercise>("Exercise", "exercises", (range, ct) => reader.ReadExercise(range, ct), Date, nameof(Exercise.Start)),
                // Intraday: a week per chunk keeps memory at one week of minutes however long the range.
                Intraday(Kind<ActivityInterval>("ActivityIntraday", "activity-minutes",
                    (range, ct) => reader.ReadActivityIntervals(range, IntradayInterval.Minute, ct), Date, nameof(ActivityInterval.Start))),
                Intraday(Kind<HeartRateSample>("HeartRateIntraday", "heart-rate-samples", (range, ct) => reader.ReadHeartRateSamples(range, ct), Date,
                    nameof(HeartRateSample.Time), nameof(HeartRateSample.Source))),
            };
        }

        /// <summary>The kinds for -DataType (names or "All"); intraday kinds come with "All" only
        /// when <paramref name="includeIntraday"/>, and always when named.</summary>
        public static IReadOnlyList<ExportKind> Select(FitbitReader reader, IEnumerable<string> dataTypes, bool includeIntraday)
        {
            var all = Kinds(reader);
            var names = (dataTypes ?? new[] { "All" }).ToList();
            if (names.Count == 0) names.Add("All");
            var chosen = new List<ExportKind>();
            foreach (var kind in all)
            {
                bool named = names.Any(n => string.Equals(n, kind.Name, StringComparison.OrdinalIgnoreCase));
                bool byAll = names.Any(n => string.Equals(n, "All", StringComparison.OrdinalIgnoreCase)) && (!kind.Intraday || includeIntraday);
                if (named || byAll) chosen.Add(kind);
            }
            var unknown = names.Where(n => !string.Equals(n, "All", StringComparison.OrdinalIgnoreCase)
                                           && !all.Any(k => string.Equals(k.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
                throw new Core.FitbitInputException(Core.FitbitInputException.InvalidArgument,
                    $"Unknown -DataType {string.Join(", ", unknown)}.", string.Join(",", unknown), $"Use All or any of: {string.Join(", ", DataTypes)}.");
            return chosen;
        }

        /// <summary>Where a first export starts: the account's membershipStartDate (null without the profile scope).</summary>
        internal static async Task<DateTime?> AccountStartAsync(HealthClient client, CancellationToken cancellationToken)
        {
            try
            {
                var profile = await client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
                return profile?.MembershipStartDate?.ToDateTime();
            }
            catch (MissingScopeException)
            {
                return null; // documented default: ExportOptions.DefaultHistoryDays
            }
        }

        private static ExportKind Intraday(ExportKind kind)
        {
            kind.Intraday = true;
            kind.ChunkDays = 7;
            return kind;
        }

        private static ExportKind<T> Kind<T>(string name, string fileStem,
            Func<CivilRange, CancellationToken, IEnumerable<ReadItem<T>>> read, string dayProperty, params string[] key) where T : class
            => new ExportKind<T>(name, fileStem, Fetch(read), dayProperty, key);

        private static Func<DateTime, DateTime, CancellationToken, Task<IEnumerable<T>>> Fetch<T>(
            Func<CivilRange, CancellationToken, IEnumerable<ReadItem<T>>> read) where T : class
            => (from, to, ct) => Task.FromResult(Records(read(new CivilRange(from, to), ct)));

        /// <summary>Records of a read; a chunk that failed stops the kind (a gap would otherwise
        /// look like deleted data and remove rows from the file).</summary>
        private static IEnumerable<T> Records<T>(IEnumerable<ReadItem<T>> items)
        {
            foreach (var item in items)
            {
                if (item.IsError)
                {
                    var inner = item.Error.InnerException;
                    if (inner is HealthApiException || inner is ExportException) throw inner; // missing scope, not linked, signed out, a re-parse without its answers: say so plainly
                    throw item.Error;
                }
                yield return item.Record;
            }
        }
    }
}
