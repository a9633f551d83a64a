using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Reading;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Sleep points as <see cref="SleepSession"/> and <see cref="Records.SleepStage"/> records.</summary>
    internal static class SleepRecords
    {
        /// <summary>A session per sleep point that has an interval.</summary>
        public static IEnumerable<ReadItem<SleepSession>> Sessions(IEnumerable<ReadItem<DataPoint>> points)
            => points.Where(i => i.IsError || i.Record.Sleep?.Interval != null).Select(i => i.Map(p => ToSleepSession(p)));

        /// <summary>The stage segments of each sleep, in time order, dated by wake day.</summary>
        public static IEnumerable<ReadItem<Records.SleepStage>> Stages(IEnumerable<ReadItem<DataPoint>> points)
        {
            foreach (var item in points)
            {
                if (item.IsError) { yield return ReadItem<Records.SleepStage>.Failed(item.Error); continue; }
                var sleep = item.Record.Sleep;
                if (sleep?.Interval == null || sleep.Stages == null) continue;
                var wakeDay = sleep.Interval.CivilEndDate;
                foreach (var s in sleep.Stages.OrderBy(s => s.StartTime))
                    yield return ReadItem<Records.SleepStage>.Of(new Records.SleepStage
                    {
                        Date = wakeDay,
                        SleepStart = sleep.Interval.LocalStart,
                        Start = WireTime.WithOffset(s.StartTime, s.StartUtcOffset),
                        End = WireTime.WithOffset(s.EndTime, s.EndUtcOffset),
                        Stage = StageName(s.Type),
                        Minutes = Units.Minutes(s.EndTime - s.StartTime),
                    });
            }
        }

        /// <summary>A sleep point (it has an interval) as a session, dated by wake day.</summary>
        public static SleepSession ToSleepSession(DataPoint point)
        {
            var sleep = point.Sleep;
            var i = sleep.Interval;
            var record = new SleepSession
            {
                Date = i.CivilEndDate,
                Start = i.LocalStart,
                End = i.LocalEnd,
                TimeInBedMinutes = (long)Math.Round((i.EndTime - i.StartTime).TotalMinutes, MidpointRounding.AwayFromZero),
                IsMainSleep = sleep.Metadata?.MainSleep ?? !(sleep.Metadata?.Nap ?? false),
                Type = sleep.Type == "CLASSIC" ? "Classic" : "Stages",
                MinutesAsleep = sleep.Summary?.MinutesAsleep ?? 0,
                MinutesAwake = sleep.Summary?.MinutesAwake ?? 0,
                MinutesToFallAsleep = sleep.Summary?.MinutesToFallAsleep ?? 0,
                MinutesAfterWakeUp = sleep.Summary?.MinutesAfterWakeUp ?? 0,
                Source = point.DataSource?.Describe(),
            };
            // Per-stage minutes: the summary when present (Google has been seen repeating an entry:
            // take each stage once), else the segments themselves.
            var perStage = new Dictionary<string, long>(StringComparer.Ordinal);
            if (sleep.Summary?.StagesSummary != null && sleep.Summary.StagesSummary.Count > 0)
            {
                foreach (var s in sleep.Summary.StagesSummary)
                    if (s.Type != null && !perStage.ContainsKey(s.Type)) perStage[s.Type] = s.Minutes;
            }
            else if (sleep.Stages != null)
            {
                foreach (var s in sleep.Stages)
                {
                    if (s.Type == null) continue;
                    perStage.TryGetValue(s.Type, out var m);
                    perStage[s.Type] = m + (long)Math.Round((s.EndTime - s.StartTime).TotalMinutes, MidpointRounding.AwayFromZero);
                }
            }
            long Get(string k) => perStage.TryGetValue(k, out var v) ? v : 0;
            record.DeepMinutes = Get("DEEP");
            record.LightMinutes = Get("LIGHT");
            record.RemMinutes = Get("REM");
            record.WakeMinutes = Get("AWAKE");
            record.AsleepMinutes = Get("ASLEEP");
            record.RestlessMinutes = Get("RESTLESS");
            if (sleep.Summary?.MinutesAsleep == null && perStage.Count > 0)
                record.MinutesAsleep = record.DeepMinutes + record.LightMinutes + record.RemMinutes + record.AsleepMinutes;
            if (sleep.Summary?.MinutesAwake == null && perStage.Count > 0)
                record.MinutesAwake = record.WakeMinutes + record.RestlessMinutes;
            return record;
        }

        private static string StageName(string type)
        {
            switch (type)
            {
                case "AWAKE": return "Wake";
                case "REM": return "Rem";
                default: return WireTime.Title(type);
            }
        }
    }
}
