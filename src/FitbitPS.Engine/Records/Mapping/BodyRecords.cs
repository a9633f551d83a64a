using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Reading;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Weight, body-fat and height points as <see cref="BodyWeight"/> records.</summary>
    internal static class BodyRecords
    {
        private static readonly TimeSpan SameWeighIn = TimeSpan.FromMinutes(1);

        /// <summary>A weigh-in alone: no body fat, no BMI (those stay null). Null for a point without a sample time.</summary>
        public static BodyWeight ToWeighIn(DataPoint point)
        {
            var w = point.Weight;
            if (w?.SampleTime == null) return null;
            return new BodyWeight
            {
                Date = w.SampleTime.CivilDate,
                LocalTime = w.SampleTime.LocalTime,
                WeightKg = Units.KgFromGrams(w.WeightGrams),
                WeightLb = Units.LbFromGrams(w.WeightGrams),
                Source = point.DataSource?.Describe(),
            };
        }

        /// <summary>Weigh-ins with the body fat of the same weigh-in and BMI from <paramref name="heightMillimeters"/>.
        /// Both point streams ascend; their failed chunks pass through as error items.</summary>
        public static IEnumerable<ReadItem<BodyWeight>> Weights(IEnumerable<ReadItem<DataPoint>> weights, IEnumerable<ReadItem<DataPoint>> fats,
            Task<long?> heightMillimeters, CancellationToken cancellationToken)
        {
            long? heightMm = PointStreams.Await(heightMillimeters, cancellationToken);
            using (var fat = fats.GetEnumerator())
            {
                bool hasFat = fat.MoveNext();
                foreach (var item in weights)
                {
                    if (item.IsError) { yield return ReadItem<BodyWeight>.Failed(item.Error); continue; }
                    var w = item.Record.Weight;
                    if (w?.SampleTime == null) continue;
                    var at = w.SampleTime.PhysicalTime;
                    double? fatPercent = null;
                    // Both streams ascend: skip fat readings older than this weigh-in, take one within a minute of it.
                    while (hasFat && (fat.Current.IsError || fat.Current.Record.BodyFat?.SampleTime == null
                                      || fat.Current.Record.BodyFat.SampleTime.PhysicalTime < at - SameWeighIn))
                    {
                        if (fat.Current.IsError) yield return ReadItem<BodyWeight>.Failed(fat.Current.Error);
                        hasFat = fat.MoveNext();
                    }
                    if (hasFat && fat.Current.Record.BodyFat.SampleTime.PhysicalTime <= at + SameWeighIn)
                    {
                        fatPercent = Units.Round(fat.Current.Record.BodyFat.Percentage, 1);
                        hasFat = fat.MoveNext();
                    }
                    yield return ReadItem<BodyWeight>.Of(new BodyWeight
                    {
                        Date = w.SampleTime.CivilDate,
                        LocalTime = w.SampleTime.LocalTime,
                        WeightKg = Units.KgFromGrams(w.WeightGrams),
                        WeightLb = Units.LbFromGrams(w.WeightGrams),
                        BodyFatPercent = fatPercent,
                        Bmi = Units.Bmi(w.WeightGrams, heightMm),
                        Source = item.Record.DataSource?.Describe(),
                    });
                }
                while (hasFat)
                {
                    if (fat.Current.IsError) yield return ReadItem<BodyWeight>.Failed(fat.Current.Error);
                    hasFat = fat.MoveNext();
                }
            }
        }

        /// <summary>The height of the first height point of <paramref name="newest"/>; null when there is none
        /// or the API refused (no height → no BMI; weights still stream).</summary>
        public static async Task<long?> HeightMillimetersAsync(Task<List<DataPoint>> newest)
        {
            try
            {
                foreach (var p in await newest.ConfigureAwait(false))
                    if (p.Height != null) return p.Height.HeightMillimeters;
                return null;
            }
            catch (HealthApiException) { return null; }
        }
    }
}
