using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Records.Mapping;
using Newtonsoft.Json;

namespace FitbitPS.Engine.Reading
{
    /// <summary>How to read a page of one record type, and where each record sits in the list's order.</summary>
    internal sealed class PageParser<T>
    {
        public Func<ArraySegment<byte>, List<T>> Parse;
        /// <summary>The person's calendar day of a record (null: unknown).</summary>
        public Func<T, DateTime?> DayOf;
        /// <summary>The time the list is ordered and filtered by, with the person's offset then (null: none).</summary>
        public Func<T, DateTimeOffset?> OrderTime;
        /// <summary>A record's full identity: two records with the same text are the same record.</summary>
        public Func<T, string> Identity;
    }

    /// <summary>The page parsers of list reads, and the order time they replay by.</summary>
    internal static class PageParsers
    {
        /// <summary>Heart-rate samples straight from the bytes (the list's hot path).</summary>
        public static readonly PageParser<HeartRateSample> HeartRate = new PageParser<HeartRateSample>
        {
            Parse = ParseHeartRatePage,
            DayOf = s => s.Date,
            OrderTime = s => s.Time,
            Identity = s => s.Time.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + s.BeatsPerMinute + "|" + s.Source,
        };

        /// <summary>Data points of <paramref name="type"/>, ordered as its list is.</summary>
        public static PageParser<DataPoint> Points(DataTypeInfo type) => new PageParser<DataPoint>
        {
            Parse = ParsePage,
            DayOf = GenericRecords.CivilDay,
            OrderTime = p => OrderTimeOf(type, p),
            Identity = p => JsonConvert.SerializeObject(p, Formatting.None),
        };

        /// <summary>The time a list is ordered by, with the person's offset then: the sample time of a sample,
        /// the start of an interval, the end of a sleep (its filter field), the day of a daily value.</summary>
        public static DateTimeOffset? OrderTimeOf(DataTypeInfo type, DataPoint p)
        {
            if (p.HeartRate?.SampleTime != null) return p.HeartRate.SampleTime.LocalTime;
            if (p.Weight?.SampleTime != null) return p.Weight.SampleTime.LocalTime;
            if (p.BodyFat?.SampleTime != null) return p.BodyFat.SampleTime.LocalTime;
            if (p.Height?.SampleTime != null) return p.Height.SampleTime.LocalTime;
            if (p.Steps?.Interval != null) return p.Steps.Interval.LocalStart;
            if (p.Distance?.Interval != null) return p.Distance.Interval.LocalStart;
            if (p.Sleep?.Interval != null) return p.Sleep.Interval.LocalEnd;
            if (p.Exercise?.Interval != null) return p.Exercise.Interval.LocalStart;
            var day = p.DailyRestingHeartRate?.Date ?? p.DailyHeartRateVariability?.Date ?? p.DailyOxygenSaturation?.Date
                      ?? p.DailyRespiratoryRate?.Date ?? p.DailySleepTemperatureDerivations?.Date ?? p.DailyVo2Max?.Date;
            if (day != null) return new DateTimeOffset(day.ToDateTime(), TimeSpan.Zero);
            if (p.Other == null) return null;
            var record = GenericRecords.From(type, p);
            if (type.Kind == DataTypeKind.Session && type.Id == "sleep") return record.End;
            if (record.Start.HasValue) return record.Start;
            return record.Date.HasValue ? new DateTimeOffset(record.Date.Value, TimeSpan.Zero) : (DateTimeOffset?)null;
        }

        /// <summary>A raw heart-rate list page (newest first, as sent) in a (pooled) buffer into records: the byte
        /// scanner, or Newtonsoft when the page has another shape.</summary>
        public static List<HeartRateSample> ParseHeartRatePage(ArraySegment<byte> body)
        {
            var samples = new List<HeartRateSample>(10000);
            if (body.Offset == 0 && HeartRatePageScanner.TryParse(body.Array, body.Count, samples, out _)) return samples;
            return ParsePage(body).Where(p => p.HeartRate?.SampleTime != null).Select(HeartRecords.ToHeartRateSample).ToList();
        }

        /// <summary>A list page into data points, newest first as sent.</summary>
        public static List<DataPoint> ParsePage(ArraySegment<byte> body)
        {
            var points = new List<DataPoint>(1024);
            using (var ms = new MemoryStream(body.Array, body.Offset, body.Count, false)) DataPointReader.ReadPage(ms, points.Add);
            return points;
        }
    }
}
