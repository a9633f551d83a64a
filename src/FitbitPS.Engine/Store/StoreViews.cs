using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// Views for the common questions, so SQL users (sqlite3, Grafana) need not join the kind tables themselves:
    /// <c>daily</c> (one row per person and day: activity, main sleep, resting heart rate, last weight),
    /// <c>weekly</c> (the same as averages per week, Monday to Sunday, named by its Monday), <c>sleep_nightly</c> (the main sleep of each night with its
    /// stage minutes). Dropped and made again on every upgrade, so they always match the tables.
    /// </summary>
    internal static class StoreViews
    {
        private const string Daily = @"
CREATE VIEW daily AS
WITH days AS (
  SELECT profile, Date FROM activity
  UNION SELECT profile, Date FROM sleep_sessions
  UNION SELECT profile, Date FROM resting_heart_rate
  UNION SELECT profile, Date FROM weight)
SELECT d.profile, d.Date,
  a.Steps, a.DistanceKm, a.DistanceMiles, a.Floors, a.CaloriesTotal, a.CaloriesActive, a.AzmTotal,
  (SELECT sum(s.MinutesAsleep) FROM sleep_sessions s WHERE s.profile = d.profile AND s.Date = d.Date AND s.IsMainSleep = 1) AS SleepMinutes,
  (SELECT sum(s.MinutesAsleep) FROM sleep_sessions s WHERE s.profile = d.profile AND s.Date = d.Date AND s.IsMainSleep = 0) AS NapMinutes,
  (SELECT r.BeatsPerMinute FROM resting_heart_rate r WHERE r.profile = d.profile AND r.Date = d.Date ORDER BY r.Source LIMIT 1) AS RestingHeartRate,
  (SELECT w.WeightKg FROM weight w WHERE w.profile = d.profile AND w.Date = d.Date ORDER BY julianday(w.LocalTime) DESC LIMIT 1) AS WeightKg,
  (SELECT w.BodyFatPercent FROM weight w WHERE w.profile = d.profile AND w.Date = d.Date ORDER BY julianday(w.LocalTime) DESC LIMIT 1) AS BodyFatPercent
FROM days d LEFT JOIN activity a ON a.profile = d.profile AND a.Date = d.Date;";

        private const string Weekly = @"
CREATE VIEW weekly AS
SELECT profile, date(Date, '-6 days', 'weekday 1') AS WeekStart, count(*) AS Days,
  avg(Steps) AS AverageSteps, avg(SleepMinutes) AS AverageSleepMinutes, avg(RestingHeartRate) AS AverageRestingHeartRate,
  avg(WeightKg) AS AverageWeightKg, sum(AzmTotal) AS AzmTotal
FROM daily GROUP BY profile, date(Date, '-6 days', 'weekday 1');";

        private const string SleepNightly = @"
CREATE VIEW sleep_nightly AS
SELECT profile, Date, Start, End, MinutesAsleep, MinutesAwake, TimeInBedMinutes, DeepMinutes, LightMinutes, RemMinutes, WakeMinutes,
  round(100.0 * MinutesAsleep / nullif(TimeInBedMinutes, 0), 1) AS EfficiencyPercent
FROM sleep_sessions WHERE IsMainSleep = 1;";

        private static readonly (string Name, string Sql)[] s_views = { ("daily", Daily), ("weekly", Weekly), ("sleep_nightly", SleepNightly) };

        /// <summary>Makes each view that is missing or differs from this version's (in dependency order).</summary>
        public static void Create(SqliteConnection connection, SqliteTransaction transaction)
        {
            bool remake = false;
            foreach (var (name, sql) in s_views)
            {
                var stored = FitbitStore.Scalar(connection, "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = $n;", transaction, ("$n", name)) as string;
                remake |= stored == null || stored.Trim() != sql.Trim().TrimEnd(';');
            }
            if (!remake) return;
            foreach (var (name, _) in s_views.Reverse()) FitbitStore.Execute(connection, $"DROP VIEW IF EXISTS {name};", transaction);
            foreach (var (_, sql) in s_views) FitbitStore.Execute(connection, sql, transaction);
        }
    }
}
