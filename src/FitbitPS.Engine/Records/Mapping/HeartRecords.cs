using System;
using System.Collections.Generic;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Reading;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Heart-rate points and roll-ups as <see cref="RestingHeartRate"/>, <see cref="HeartRateInterval"/>
    /// and <see cref="HeartRateSample"/> records.</summary>
    internal static class HeartRecords
    {
        /// <summary>Null for a point that is not a dated resting heart rate.</summary>
        public static RestingHeartRate ToRestingHeartRate(DataPoint p) => p.DailyRestingHeartRate?.Date == null ? null : new RestingHeartRate
        {
            Date = p.DailyRestingHeartRate.Date.ToDateTime(),
            BeatsPerMinute = p.DailyRestingHeartRate.BeatsPerMinute,
            CalculationMethod = EnumNames.Pascal(p.DailyRestingHeartRate.DailyRestingHeartRateMetadata?.CalculationMethod),
            Source = p.DataSource?.Describe(),
        };

        /// <summary>Min/avg/max per window in the person's zone; windows without heart rate are left out.</summary>
        public static IEnumerable<ReadItem<HeartRateInterval>> Intervals(IEnumerable<ReadItem<RollupDataPoint>> windows, PersonZone zone, TimeSpan window)
        {
            foreach (var item in windows)
            {
                if (item.IsError) { yield return ReadItem<HeartRateInterval>.Failed(item.Error); continue; }
                var p = item.Record;
                if (p.HeartRate == null) continue;
                var start = zone.Local(p.StartTime.Value);
                yield return ReadItem<HeartRateInterval>.Of(new HeartRateInterval
                {
                    Date = start.Date,
                    Start = start,
                    End = zone.Local(p.EndTime ?? p.StartTime.Value + window),
                    MinBpm = Units.Round(p.HeartRate.BeatsPerMinuteMin, 1),
                    AverageBpm = Units.Round(p.HeartRate.BeatsPerMinuteAvg, 1),
                    MaxBpm = Units.Round(p.HeartRate.BeatsPerMinuteMax, 1),
                });
            }
        }

        /// <summary>A heart-rate point (it has a sample time) as a sample; the byte scanner's fallback.</summary>
        public static HeartRateSample ToHeartRateSample(DataPoint p) => new HeartRateSample
        {
            Date = p.HeartRate.SampleTime.CivilDate,
            Time = p.HeartRate.SampleTime.LocalTime,
            BeatsPerMinute = (int)p.HeartRate.BeatsPerMinute,
            Source = p.DataSource?.Describe(),
        };
    }
}
