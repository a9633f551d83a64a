using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Reading;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Activity roll-ups as <see cref="ActivityDay"/> and <see cref="ActivityInterval"/> records.</summary>
    internal static class ActivityRecords
    {
        /// <summary>The types behind an ActivityDay (activity-level gives all four intensity minutes
        /// in one 90-day roll-up, cheaper than active-minutes (14 days) + sedentary-period).</summary>
        public static IReadOnlyList<DataTypeInfo> DayTypes { get; } = new[]
        {
            DataTypeCatalog.Steps, DataTypeCatalog.Distance, DataTypeCatalog.Floors, DataTypeCatalog.TotalCalories,
            DataTypeCatalog.ActiveEnergyBurned, DataTypeCatalog.ActiveZoneMinutes, DataTypeCatalog.ActivityLevel,
        };

        /// <summary>The types behind an ActivityInterval.</summary>
        public static IReadOnlyList<DataTypeInfo> IntervalTypes { get; } = new[]
        {
            DataTypeCatalog.Steps, DataTypeCatalog.Distance, DataTypeCatalog.Floors, DataTypeCatalog.TotalCalories,
        };

        /// <summary>One day per row of daily roll-ups joined by day (row[i]: the value of <paramref name="types"/>[i]).</summary>
        public static IEnumerable<ReadItem<ActivityDay>> Days(IEnumerable<ReadItem<RollupDataPoint[]>> rows, IReadOnlyList<DataTypeInfo> types)
        {
            var failed = new List<ChunkFailedException>();
            foreach (var row in rows)
            {
                if (row.IsError) { failed.Add(row.Error); yield return ReadItem<ActivityDay>.Failed(row.Error); continue; }
                var day = new ActivityDay { Date = row.Record.First(p => p != null).CivilStartTime.ToDateTime() };
                for (int i = 0; i < types.Count; i++)
                {
                    // A type that answered without this day recorded nothing: 0. A type whose read failed stays null
                    // (its error names it): a missing value, never a made-up one.
                    if (row.Record[i] != null) ApplyActivity(day, row.Record[i]);
                    else if (!Covers(failed, types[i], day.Date)) ZeroActivity(day, types[i]);
                }
                yield return ReadItem<ActivityDay>.Of(day);
            }
        }

        /// <summary>A day with only what <paramref name="p"/> holds (the total-calories probe of an export).</summary>
        public static ActivityDay ToActivityDay(RollupDataPoint p)
        {
            var day = new ActivityDay { Date = p.CivilStartTime.ToDateTime() };
            ApplyActivity(day, p);
            return day;
        }

        /// <summary>One interval per row of physical roll-ups joined by window (row[i]: the value of <paramref name="types"/>[i]).</summary>
        public static IEnumerable<ReadItem<ActivityInterval>> Intervals(IEnumerable<ReadItem<RollupDataPoint[]>> rows, IReadOnlyList<DataTypeInfo> types,
            PersonZone zone, TimeSpan window)
        {
            var failed = new List<ChunkFailedException>();
            foreach (var row in rows)
            {
                if (row.IsError) { failed.Add(row.Error); yield return ReadItem<ActivityInterval>.Failed(row.Error); continue; }
                var any = row.Record.First(p => p != null);
                var start = zone.Local(any.StartTime.Value);
                var record = new ActivityInterval { Date = start.Date, Start = start, End = zone.Local(any.EndTime ?? any.StartTime.Value + window) };
                for (int i = 0; i < types.Count; i++)
                {
                    var p = row.Record[i];
                    if (p == null)
                    {
                        // Nothing in this window from a type that answered: 0; from a type whose read failed: null.
                        if (Covers(failed, types[i], record.Date)) continue;
                        if (types[i] == DataTypeCatalog.Steps) record.Steps = 0;
                        else if (types[i] == DataTypeCatalog.Distance) { record.DistanceKm = 0; record.DistanceMiles = 0; }
                        else if (types[i] == DataTypeCatalog.Floors) record.Floors = 0;
                        else record.CaloriesTotal = 0;
                        continue;
                    }
                    if (p.Steps != null) record.Steps = p.Steps.CountSum;
                    if (p.Distance != null)
                    {
                        record.DistanceKm = Units.KmFromMillimeters(p.Distance.MillimetersSum);
                        record.DistanceMiles = Units.MilesFromMillimeters(p.Distance.MillimetersSum);
                    }
                    if (p.Floors != null) record.Floors = p.Floors.CountSum;
                    if (p.TotalCalories != null) record.CaloriesTotal = Units.Kcal(p.TotalCalories.KcalSum);
                }
                yield return ReadItem<ActivityInterval>.Of(record);
            }
        }

        /// <summary>Whether a failed chunk of <paramref name="type"/> covers <paramref name="day"/>.</summary>
        private static bool Covers(List<ChunkFailedException> failed, DataTypeInfo type, DateTime day)
        {
            foreach (var f in failed)
                if (f.DataType == type.Id && f.From <= day && day <= f.To) return true;
            return false;
        }

        /// <summary>The fields <paramref name="type"/> fills, at 0 (the type answered and had nothing for the day).</summary>
        private static void ZeroActivity(ActivityDay day, DataTypeInfo type)
        {
            if (type == DataTypeCatalog.Steps) day.Steps = 0;
            else if (type == DataTypeCatalog.Distance) { day.DistanceKm = 0; day.DistanceMiles = 0; }
            else if (type == DataTypeCatalog.Floors) day.Floors = 0;
            else if (type == DataTypeCatalog.TotalCalories) day.CaloriesTotal = 0;
            else if (type == DataTypeCatalog.ActiveEnergyBurned) day.CaloriesActive = 0;
            else if (type == DataTypeCatalog.ActiveZoneMinutes) { day.AzmFatBurn = 0; day.AzmCardio = 0; day.AzmPeak = 0; day.AzmTotal = 0; }
            else if (type == DataTypeCatalog.ActivityLevel) { day.SedentaryMinutes = 0; day.LightMinutes = 0; day.ModerateMinutes = 0; day.VigorousMinutes = 0; }
        }

        private static void ApplyActivity(ActivityDay day, RollupDataPoint p)
        {
            if (p.Steps != null) day.Steps = p.Steps.CountSum;
            if (p.Distance != null)
            {
                day.DistanceKm = Units.KmFromMillimeters(p.Distance.MillimetersSum);
                day.DistanceMiles = Units.MilesFromMillimeters(p.Distance.MillimetersSum);
            }
            if (p.Floors != null) day.Floors = p.Floors.CountSum;
            if (p.TotalCalories != null) day.CaloriesTotal = Units.Kcal(p.TotalCalories.KcalSum);
            if (p.ActiveEnergyBurned != null) day.CaloriesActive = Units.Kcal(p.ActiveEnergyBurned.KcalSum);
            if (p.ActiveZoneMinutes != null)
            {
                day.AzmFatBurn = p.ActiveZoneMinutes.SumInFatBurnHeartZone;
                day.AzmCardio = p.ActiveZoneMinutes.SumInCardioHeartZone;
                day.AzmPeak = p.ActiveZoneMinutes.SumInPeakHeartZone;
                // Google's per-minute AZM already credits 2 for cardio/peak minutes, so the zones add up.
                day.AzmTotal = day.AzmFatBurn + day.AzmCardio + day.AzmPeak;
            }
            if (p.ActivityLevel != null)
            {
                // Google leaves a level with no minutes out of the list: that level had 0 minutes.
                day.SedentaryMinutes = day.SedentaryMinutes ?? 0; day.LightMinutes = day.LightMinutes ?? 0;
                day.ModerateMinutes = day.ModerateMinutes ?? 0; day.VigorousMinutes = day.VigorousMinutes ?? 0;
            }
            if (p.ActivityLevel?.ActivityLevelRollupsByActivityLevelType != null)
                foreach (var level in p.ActivityLevel.ActivityLevelRollupsByActivityLevelType)
                {
                    var minutes = Units.Minutes(level.TotalDuration);
                    switch (level.ActivityLevelType)
                    {
                        case "SEDENTARY": day.SedentaryMinutes = minutes; break;
                        case "LIGHTLY_ACTIVE": day.LightMinutes = minutes; break;
                        case "MODERATELY_ACTIVE": day.ModerateMinutes = minutes; break;
                        case "VERY_ACTIVE": day.VigorousMinutes = minutes; break;
                    }
                }
            if (p.ActiveMinutes?.ActiveMinutesRollupByActivityLevel != null)
                foreach (var level in p.ActiveMinutes.ActiveMinutesRollupByActivityLevel)
                {
                    switch (level.ActivityLevel)
                    {
                        case "LIGHT": day.LightMinutes = level.ActiveMinutesSum; break;
                        case "MODERATE": day.ModerateMinutes = level.ActiveMinutesSum; break;
                        case "VIGOROUS": day.VigorousMinutes = level.ActiveMinutesSum; break;
                    }
                }
            if (p.SedentaryPeriod != null) day.SedentaryMinutes = Units.Minutes(p.SedentaryPeriod.DurationSum);
        }
    }
}
