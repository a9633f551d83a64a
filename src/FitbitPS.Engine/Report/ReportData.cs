using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FitbitPS.Engine.Store;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Report
{
    /// <summary>
    /// What the report shows, read from the store in one snapshot: one value per day and series (null: nothing that day),
    /// the 30/90-day comparisons, and one day's minutes. Daily values are kept as the store holds them, never aggregated.
    /// </summary>
    internal sealed class ReportData
    {
        public string Profile { get; set; }
        public DateTime From { get; set; }
        public DateTime To { get; set; }
        public int Days => (int)(To - From).TotalDays + 1;
        public ReportUnits Units { get; set; }
        /// <summary>Per series key (see <see cref="Series"/>), one value per day From..To.</summary>
        public Dictionary<string, double?[]> Daily { get; } = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        public List<Comparison> Comparisons { get; } = new List<Comparison>();
        public DayMinutes Intraday { get; set; }

        /// <summary>The daily series a report holds, by key.</summary>
        public static class Series
        {
            public const string Steps = "steps", Distance = "distance", AzmFatBurn = "azmFatBurn", AzmCardio = "azmCardio", AzmPeak = "azmPeak";
            public const string SleepAsleep = "sleepAsleep", SleepDeep = "sleepDeep", SleepLight = "sleepLight", SleepRem = "sleepRem",
                SleepOther = "sleepOther", SleepAwake = "sleepAwake", Bedtime = "bedtime", WakeTime = "wakeTime";
            public const string RestingHeartRate = "restingHeartRate", Weight = "weight", BodyFat = "bodyFat", Hrv = "hrv", Spo2 = "spo2",
                BreathingRate = "breathingRate", SkinTemperature = "skinTemperature";
        }

        /// <summary>Average of a series over the days of a window that have a value, against the window before it.</summary>
        public sealed class Comparison
        {
            public string Series { get; set; }
            public string Label { get; set; }
            public string Unit { get; set; }
            public int Decimals { get; set; }
            public Window[] Windows { get; set; }
        }

        public sealed class Window
        {
            public string Label { get; set; }
            public DateTime From { get; set; }
            public DateTime To { get; set; }
            public double? Average { get; set; }
            public int DaysWithValues { get; set; }
        }

        /// <summary>One day's heart-rate samples (seconds after the person's midnight) and steps per minute.</summary>
        public sealed class DayMinutes
        {
            public DateTime Day { get; set; }
            public List<int> HeartRateSeconds { get; } = new List<int>();
            public List<int> HeartRateBpm { get; } = new List<int>();
            public List<int> StepMinutes { get; } = new List<int>();
            public List<int> Steps { get; } = new List<int>();
        }
    }

    /// <summary>Reads a <see cref="ReportData"/> from a store: plain SQL over the kind tables (the same rules as the daily view:
    /// the main sleep of a night, the first source of a day, the day's last weigh-in).</summary>
    internal static class ReportDataReader
    {
        private const int CompareSpan = 180; // the last 90 days and the 90 before them

        /// <summary>The first and last day any daily kind holds for the profile (null: nothing at all).</summary>
        public static (DateTime From, DateTime To)? HeldDays(FitbitStore store, string profile)
        {
            string union = string.Join(" UNION ALL ", DailyTables.Select(t =>
                $"SELECT min(Date) AS f, max(Date) AS t FROM {t} WHERE profile = $p"));
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = $"SELECT min(f), max(t) FROM ({union});";
                command.Parameters.AddWithValue("$p", profile);
                using (var reader = command.ExecuteReader())
                {
                    if (!reader.Read() || reader.IsDBNull(0)) return null;
                    return (FitbitStore.ParseDay(reader.GetString(0)), FitbitStore.ParseDay(reader.GetString(1)));
                }
            }
        }

        private static readonly string[] DailyTables =
            { "activity", "sleep_sessions", "resting_heart_rate", "weight", "heart_rate_variability", "oxygen_saturation", "breathing_rate", "skin_temperature" };

        /// <summary>The last day of <paramref name="from"/>..<paramref name="to"/> with heart-rate samples or steps by minute.</summary>
        public static DateTime? LastMinutesDay(FitbitStore store, string profile, DateTime from, DateTime to)
        {
            var last = FitbitStore.Scalar(store.Connection,
                "SELECT max(d) FROM (SELECT max(Date) AS d FROM heart_rate_samples WHERE profile = $p AND Date BETWEEN $f AND $t " +
                "UNION ALL SELECT max(Date) FROM activity_minutes WHERE profile = $p AND Date BETWEEN $f AND $t);", null,
                ("$p", profile), ("$f", FitbitStore.Day(from)), ("$t", FitbitStore.Day(to))) as string;
            return last == null ? (DateTime?)null : FitbitStore.ParseDay(last);
        }

        public static ReportData Read(FitbitStore store, string profile, DateTime from, DateTime to, DateTime? minutesDay, ReportUnits units,
            CancellationToken cancellationToken)
        {
            var data = new ReportData { Profile = profile, From = from, To = to, Units = units };
            // The comparisons reach back 180 days from the last day, whatever the range shows.
            var spanFrom = from < to.AddDays(-(CompareSpan - 1)) ? from : to.AddDays(-(CompareSpan - 1));
            var span = new SpanReader(store.Connection, profile, spanFrom, to);

            span.Read("SELECT Date, Steps, DistanceKm, DistanceMiles, AzmFatBurn, AzmCardio, AzmPeak FROM activity WHERE {0} ORDER BY Date;", (r, day) =>
            {
                span.First(ReportData.Series.Steps, day, Number(r, 1));
                span.First(ReportData.Series.Distance, day, Number(r, units.Miles ? 3 : 2));
                span.First(ReportData.Series.AzmFatBurn, day, Number(r, 4));
                span.First(ReportData.Series.AzmCardio, day, Number(r, 5));
                span.First(ReportData.Series.AzmPeak, day, Number(r, 6));
            });
            cancellationToken.ThrowIfCancellationRequested();

            // The night's main sleep (a night split in two counts as one: minutes add up, bed is the first start, wake the last end).
            span.Read("SELECT Date, Start, End, MinutesAsleep, DeepMinutes, LightMinutes, RemMinutes, WakeMinutes, MinutesAwake, Type " +
                      "FROM sleep_sessions WHERE {0} AND IsMainSleep = 1 ORDER BY Date, Start;", (r, day) =>
            {
                long asleep = r.GetInt64(3), deep = r.GetInt64(4), light = r.GetInt64(5), rem = r.GetInt64(6);
                bool stages = string.Equals(r.GetString(9), "Stages", StringComparison.OrdinalIgnoreCase);
                long awake = stages ? r.GetInt64(7) : r.GetInt64(8);
                span.Add(ReportData.Series.SleepAsleep, day, asleep);
                span.Add(ReportData.Series.SleepDeep, day, deep);
                span.Add(ReportData.Series.SleepLight, day, light);
                span.Add(ReportData.Series.SleepRem, day, rem);
                span.Add(ReportData.Series.SleepOther, day, Math.Max(0, asleep - deep - light - rem));
                span.Add(ReportData.Series.SleepAwake, day, awake);
                double bed = MinutesAfterNoon(r.GetString(1)), wake = MinutesAfterNoon(r.GetString(2));
                span.First(ReportData.Series.Bedtime, day, bed);
                // A wake time past noon is still after the bedtime: the next day's clock (the page labels it modulo a day).
                span.Last(ReportData.Series.WakeTime, day, wake < bed ? wake + 1440 : wake);
            });
            cancellationToken.ThrowIfCancellationRequested();

            span.Read("SELECT Date, BeatsPerMinute FROM resting_heart_rate WHERE {0} ORDER BY Date, Source;",
                (r, day) => span.First(ReportData.Series.RestingHeartRate, day, Number(r, 1)));
            // The day's last weigh-in (as the daily view), and its last body-fat reading (a later weigh-in without one keeps it).
            span.Read("SELECT Date, WeightKg, WeightLb, BodyFatPercent FROM weight WHERE {0} ORDER BY Date, julianday(LocalTime);", (r, day) =>
            {
                span.Last(ReportData.Series.Weight, day, Number(r, units.Pounds ? 2 : 1));
                span.Last(ReportData.Series.BodyFat, day, Number(r, 3));
            });
            span.Read("SELECT Date, RmssdMilliseconds FROM heart_rate_variability WHERE {0} ORDER BY Date, Source;",
                (r, day) => span.First(ReportData.Series.Hrv, day, Number(r, 1)));
            span.Read("SELECT Date, AveragePercent FROM oxygen_saturation WHERE {0} ORDER BY Date, Source;",
                (r, day) => span.First(ReportData.Series.Spo2, day, Number(r, 1)));
            span.Read("SELECT Date, BreathsPerMinute FROM breathing_rate WHERE {0} ORDER BY Date, Source;",
                (r, day) => span.First(ReportData.Series.BreathingRate, day, Number(r, 1)));
            // Skin temperature is a difference from the person's baseline: in °F it is 1.8 times the °C difference.
            span.Read("SELECT Date, VariationCelsius FROM skin_temperature WHERE {0} ORDER BY Date, Source;",
                (r, day) => span.First(ReportData.Series.SkinTemperature, day, Number(r, 1) is double c ? (units.Fahrenheit ? Math.Round(c * 1.8, 2) : c) : (double?)null));
            cancellationToken.ThrowIfCancellationRequested();

            foreach (var pair in span.Values)
            {
                var values = new double?[data.Days];
                Array.Copy(pair.Value, (int)(from - spanFrom).TotalDays, values, 0, values.Length);
                data.Daily[pair.Key] = values;
            }
            Compare(data, span, ReportData.Series.Steps, "Steps", "steps a day", 0);
            Compare(data, span, ReportData.Series.Distance, "Distance", units.Distance + " a day", 2);
            Compare(data, span, ReportData.Series.SleepAsleep, "Sleep", "asleep a night (main sleep)", 0);
            Compare(data, span, ReportData.Series.RestingHeartRate, "Resting heart rate", "bpm", 1);
            Compare(data, span, ReportData.Series.Weight, "Weight", units.Weight, 1);

            if (minutesDay.HasValue) data.Intraday = ReadMinutes(store.Connection, profile, minutesDay.Value);
            return data;
        }

        private static void Compare(ReportData data, SpanReader span, string series, string label, string unit, int decimals)
        {
            var to = data.To;
            data.Comparisons.Add(new ReportData.Comparison
            {
                Series = series, Label = label, Unit = unit, Decimals = decimals,
                Windows = new[]
                {
                    span.Average(series, "Last 30 days", to.AddDays(-29), to, decimals),
                    span.Average(series, "30 days before", to.AddDays(-59), to.AddDays(-30), decimals),
                    span.Average(series, "Last 90 days", to.AddDays(-89), to, decimals),
                    span.Average(series, "90 days before", to.AddDays(-179), to.AddDays(-90), decimals),
                },
            });
        }

        private static ReportData.DayMinutes ReadMinutes(SqliteConnection connection, string profile, DateTime day)
        {
            var minutes = new ReportData.DayMinutes { Day = day };
            var heartRate = new List<(DateTimeOffset Time, int Bpm)>();
            var steps = new List<(DateTimeOffset Start, int Steps)>();
            using (var command = connection.CreateCommand())
            {
                command.Parameters.AddWithValue("$p", profile);
                command.Parameters.AddWithValue("$d", FitbitStore.Day(day));
                command.CommandText = "SELECT Time, BeatsPerMinute FROM heart_rate_samples WHERE profile = $p AND Date = $d;";
                using (var r = command.ExecuteReader())
                    while (r.Read()) heartRate.Add((Parse(r.GetString(0)), r.GetInt32(1)));
                command.CommandText = "SELECT Start, Steps FROM activity_minutes WHERE profile = $p AND Date = $d AND Steps IS NOT NULL;";
                using (var r = command.ExecuteReader())
                    while (r.Read()) steps.Add((Parse(r.GetString(0)), r.GetInt32(1)));
            }
            // In time order (the text sorts by clock reading, which goes back an hour when the clocks do).
            heartRate.Sort((a, b) => a.Time.CompareTo(b.Time));
            steps.Sort((a, b) => a.Start.CompareTo(b.Start));
            var offset = heartRate.Count > 0 ? heartRate[0].Time.Offset : steps.Count > 0 ? steps[0].Start.Offset : TimeSpan.Zero;
            var midnight = new DateTimeOffset(DateTime.SpecifyKind(day, DateTimeKind.Unspecified), offset);
            foreach (var (time, bpm) in heartRate)
            {
                minutes.HeartRateSeconds.Add(SecondsAfter(midnight, time));
                minutes.HeartRateBpm.Add(bpm);
            }
            foreach (var (start, count) in steps)
            {
                minutes.StepMinutes.Add(SecondsAfter(midnight, start) / 60);
                minutes.Steps.Add(count);
            }
            return minutes;
        }

        /// <summary>Seconds from the person's midnight (in the UTC offset the day began with) to <paramref name="time"/>: real
        /// elapsed time, so a day the clocks change on stays one line in time order (its axis shows the day's first offset
        /// throughout, an hour off after the change).</summary>
        internal static int SecondsAfter(DateTimeOffset midnight, DateTimeOffset time) => (int)(time - midnight).TotalSeconds;

        private static DateTimeOffset Parse(string localTime) => DateTimeOffset.Parse(localTime, CultureInfo.InvariantCulture);

        /// <summary>A clock time as minutes after noon (0..1439): bedtimes around midnight stay one line (22:30 = 630, 00:30 = 750).</summary>
        internal static double MinutesAfterNoon(string localTime)
        {
            var clock = Parse(localTime).DateTime.TimeOfDay;
            int minutes = (int)clock.TotalMinutes;
            return (minutes + 720) % 1440;
        }

        private static double? Number(SqliteDataReader r, int i) => r.IsDBNull(i) ? (double?)null : r.GetDouble(i);

        /// <summary>One value per day over a span of days, per series key.</summary>
        private sealed class SpanReader
        {
            private readonly SqliteConnection _connection;
            private readonly string _profile;
            private readonly DateTime _from, _to;
            public Dictionary<string, double?[]> Values { get; } = new Dictionary<string, double?[]>(StringComparer.Ordinal);

            public SpanReader(SqliteConnection connection, string profile, DateTime from, DateTime to)
            {
                _connection = connection;
                _profile = profile;
                _from = from;
                _to = to;
            }

            /// <summary>Runs a query whose first column is Date; {0} is the profile and day filter.</summary>
            public void Read(string sql, Action<SqliteDataReader, int> row)
            {
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = string.Format(CultureInfo.InvariantCulture, sql, "profile = $p AND Date BETWEEN $f AND $t");
                    command.Parameters.AddWithValue("$p", _profile);
                    command.Parameters.AddWithValue("$f", FitbitStore.Day(_from));
                    command.Parameters.AddWithValue("$t", FitbitStore.Day(_to));
                    using (var reader = command.ExecuteReader())
                        while (reader.Read()) row(reader, (int)(FitbitStore.ParseDay(reader.GetString(0)) - _from).TotalDays);
                }
            }

            private double?[] Of(string series)
            {
                if (!Values.TryGetValue(series, out var values)) Values[series] = values = new double?[(int)(_to - _from).TotalDays + 1];
                return values;
            }

            public void First(string series, int day, double? value) { var v = Of(series); if (!v[day].HasValue) v[day] = value; }
            public void Last(string series, int day, double? value) { var v = Of(series); if (value.HasValue) v[day] = value; }
            public void Add(string series, int day, double value) { var v = Of(series); v[day] = (v[day] ?? 0) + value; }

            public ReportData.Window Average(string series, string label, DateTime from, DateTime to, int decimals)
            {
                var window = new ReportData.Window { Label = label, From = from, To = to };
                if (!Values.TryGetValue(series, out var v)) return window;
                var days = Enumerable.Range((int)(from - _from).TotalDays, (int)(to - from).TotalDays + 1)
                    .Where(i => i >= 0 && i < v.Length && v[i].HasValue).Select(i => v[i].Value).ToList();
                window.DaysWithValues = days.Count;
                if (days.Count > 0) window.Average = Math.Round(days.Average(), decimals, MidpointRounding.AwayFromZero);
                return window;
            }
        }
    }
}
