using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Reading;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Exercise points as <see cref="Records.Exercise"/> records.</summary>
    internal static class ExerciseRecords
    {
        /// <summary>An exercise per exercise point that has an interval.</summary>
        public static IEnumerable<ReadItem<Records.Exercise>> Exercises(IEnumerable<ReadItem<DataPoint>> points)
            => points.Where(i => i.IsError || i.Record.Exercise?.Interval != null).Select(i => i.Map(ToExercise));

        /// <summary>An exercise point (it has an interval) as a record, dated by its start day.</summary>
        public static Records.Exercise ToExercise(DataPoint p)
        {
            var e = p.Exercise;
            var m = e.MetricsSummary;
            return new Records.Exercise
            {
                Date = e.Interval.CivilStartDate,
                Type = EnumNames.Pascal(e.ExerciseType),
                Name = e.DisplayName,
                Start = e.Interval.LocalStart,
                End = e.Interval.LocalEnd,
                DurationMinutes = Units.Minutes(e.ActiveDuration ?? (e.Interval.EndTime - e.Interval.StartTime)),
                DistanceKm = m?.DistanceMillimeters is double d1 ? Units.KmFromMillimeters(d1) : (double?)null,
                DistanceMiles = m?.DistanceMillimeters is double d2 ? Units.MilesFromMillimeters(d2) : (double?)null,
                Calories = m?.CaloriesKcal is double k ? Units.Kcal(k) : (double?)null,
                AverageHeartRate = m?.AverageHeartRateBeatsPerMinute,
                Steps = m?.Steps,
                Source = p.DataSource?.Describe(),
            };
        }
    }
}
