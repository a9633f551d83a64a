using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Reading;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Flattens any data point or roll-up into a <see cref="HealthDataPoint"/>: times to
    /// Start/End/Date, every other leaf to "path=value" in Values, the first number to Value.</summary>
    internal static class GenericRecords
    {
        private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            Converters = { new DurationConverter() },
        });

        private static readonly HashSet<string> TimeFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "sampleTime", "interval", "date", "createTime", "updateTime", "startTime", "endTime",
            "civilStartTime", "civilEndTime", "startUtcOffset", "endUtcOffset",
        };

        public static HealthDataPoint From(DataTypeInfo type, DataPoint point)
        {
            var member = MemberJson(point);
            var record = new HealthDataPoint { Type = type.Id, Source = point.DataSource?.Describe() };
            if (member != null)
            {
                if (member["sampleTime"] is JObject st)
                {
                    var t = st.ToObject<ObservationSampleTime>(DataPointReader.Serializer);
                    record.Start = record.End = t.LocalTime;
                    record.Date = t.CivilDate;
                }
                else if (member["interval"] is JObject iv)
                {
                    var t = iv.ToObject<ObservationTimeInterval>(DataPointReader.Serializer);
                    record.Start = t.LocalStart;
                    record.End = t.LocalEnd;
                    record.Date = type.Id == "sleep" ? t.CivilEndDate : t.CivilStartDate;
                }
                else if (member["date"] is JObject d)
                {
                    record.Date = d.ToObject<GoogleDate>().ToDateTime();
                }
                Flatten(member, record);
            }
            return record;
        }

        public static HealthDataPoint From(DataTypeInfo type, RollupDataPoint point, PersonZone zone)
        {
            var json = JObject.FromObject(point, Serializer);
            var record = new HealthDataPoint { Type = type.Id, Source = "Roll-up (all sources)" };
            if (point.CivilStartTime?.Date != null)
            {
                record.Date = point.CivilStartTime.Date.ToDateTime();
            }
            if (point.StartTime.HasValue)
            {
                record.Start = zone != null ? zone.Local(point.StartTime.Value) : point.StartTime;
                record.End = point.EndTime.HasValue ? (zone != null ? zone.Local(point.EndTime.Value) : point.EndTime) : null;
                record.Date = record.Start.Value.Date;
            }
            Flatten(json, record);
            return record;
        }

        /// <summary>The person's calendar day of a point (null when it has no time).</summary>
        public static DateTime? CivilDay(DataPoint point)
        {
            if (point.HeartRate?.SampleTime != null) return point.HeartRate.SampleTime.CivilDate;
            if (point.Weight?.SampleTime != null) return point.Weight.SampleTime.CivilDate;
            if (point.Sleep?.Interval != null) return point.Sleep.Interval.CivilEndDate;
            if (point.Exercise?.Interval != null) return point.Exercise.Interval.CivilStartDate;
            return From(DataTypeCatalog.Find(point.Member) ?? DataTypeCatalog.Steps, point).Date;
        }

        private static JObject MemberJson(DataPoint point)
        {
            if (point.Other != null) return point.Other;
            object typed = (object)point.HeartRate ?? point.Weight ?? point.BodyFat ?? point.Height ?? (object)point.Steps ?? point.Distance
                ?? point.DailyRestingHeartRate ?? (object)point.DailyHeartRateVariability ?? point.DailyOxygenSaturation
                ?? point.DailyRespiratoryRate ?? (object)point.DailySleepTemperatureDerivations ?? point.DailyVo2Max
                ?? (object)point.Sleep ?? point.Exercise;
            return typed == null ? null : JObject.FromObject(typed, Serializer);
        }

        private static void Flatten(JObject member, HealthDataPoint record)
        {
            var parts = new StringBuilder();
            foreach (var p in member.Properties())
            {
                if (TimeFields.Contains(p.Name)) continue;
                Walk(p.Value, p.Name, parts, record);
            }
            record.Values = parts.ToString();
        }

        private static void Walk(JToken token, string path, StringBuilder parts, HealthDataPoint record)
        {
            switch (token)
            {
                case JObject o:
                    foreach (var p in o.Properties())
                        if (!TimeFields.Contains(p.Name)) Walk(p.Value, path + "." + p.Name, parts, record);
                    break;
                case JArray a:
                    if (a.Count > 50) { Append(parts, path, a.Count + " items"); break; }
                    for (int i = 0; i < a.Count; i++) Walk(a[i], path + "[" + i + "]", parts, record);
                    break;
                case JValue v:
                    var text = Convert.ToString(v.Value, CultureInfo.InvariantCulture);
                    Append(parts, path, text);
                    if (record.Value == null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                        && !double.IsNaN(number) && !double.IsInfinity(number) && v.Type != JTokenType.Boolean)
                        record.Value = number;
                    break;
            }
        }

        private static void Append(StringBuilder parts, string path, string value)
        {
            if (parts.Length > 0) parts.Append("; ");
            parts.Append(path).Append('=').Append(value);
        }
    }
}
