using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Api.Wire
{
    /// <summary>What a list page holds besides its points: the next page's token and how many points.</summary>
    public readonly struct PageEnvelope
    {
        public PageEnvelope(string nextPageToken, int points) { NextPageToken = nextPageToken; Points = points; }

        /// <summary>null on the last page.</summary>
        public string NextPageToken { get; }
        public int Points { get; }

        /// <summary>No point and no next page: Google's answer for "nothing" ({}), which a broken proxy or a
        /// truncated chain can also produce.</summary>
        public bool IsEmpty => Points == 0 && NextPageToken == null;
    }

    /// <summary>
    /// Streams a ListDataPointsResponse / ReconcileDataPointsResponse with <see cref="JsonTextReader"/>:
    /// one point at a time, never a DOM of the page. Raw heart-rate pages (10,000 points) are the hot
    /// path, so the envelope, data source, sample time and heart-rate member are read by hand (no
    /// reflection, interned property names); every other member goes through the serializer's cached
    /// contract, which is plenty for pages of at most a few thousand points.
    /// </summary>
    internal static class DataPointReader
    {
        internal static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
            MissingMemberHandling = MissingMemberHandling.Ignore,
            Culture = CultureInfo.InvariantCulture,
        });

        private static readonly Dictionary<string, Type> TypedMembers = new Dictionary<string, Type>(StringComparer.Ordinal)
        {
            ["weight"] = typeof(Weight), ["bodyFat"] = typeof(BodyFat), ["height"] = typeof(Height),
            ["steps"] = typeof(Steps), ["distance"] = typeof(Distance),
            ["dailyRestingHeartRate"] = typeof(DailyRestingHeartRate), ["dailyHeartRateVariability"] = typeof(DailyHeartRateVariability),
            ["dailyOxygenSaturation"] = typeof(DailyOxygenSaturation), ["dailyRespiratoryRate"] = typeof(DailyRespiratoryRate),
            ["dailySleepTemperatureDerivations"] = typeof(DailySleepTemperatureDerivations), ["dailyVo2Max"] = typeof(DailyVO2Max),
            ["sleep"] = typeof(Sleep), ["exercise"] = typeof(Exercise),
        };

        private static readonly string[] KnownNames =
        {
            "dataPoints", "nextPageToken", "name", "dataPointName", "dataSource", "recordingMethod", "device", "application",
            "platform", "formFactor", "manufacturer", "displayName", "packageName", "webClientId", "googleWebClientId",
            "heartRate", "sampleTime", "physicalTime", "utcOffset", "civilTime", "date", "time", "year", "month", "day",
            "hours", "minutes", "seconds", "nanos", "beatsPerMinute", "metadata", "motionContext", "sensorLocation",
            "PASSIVELY_MEASURED", "FITBIT", "MANUAL", "DERIVED", "ACTIVELY_MEASURED", "UNKNOWN", "HEALTH_CONNECT", "WATCH", "PHONE",
        };

        private static JsonTextReader CreateReader(TextReader text)
        {
            var names = new DefaultJsonNameTable();
            foreach (var n in KnownNames) names.Add(n);
            return new JsonTextReader(text)
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Double,
                PropertyNameTable = names,
                CloseInput = false,
            };
        }

        /// <summary>Reads a whole page, calling <paramref name="onPoint"/> for each point in the order
        /// the server sent them. Returns nextPageToken (null when this was the last page). A page of
        /// the wrong shape (dataPoints not a list, a point not an object) is a JsonException, never a
        /// page read as empty.</summary>
        public static string ReadPage(Stream utf8Json, Action<DataPoint> onPoint)
            => ReadEnvelope(utf8Json, onPoint).NextPageToken;

        /// <summary>Checks a page's shape and reads only nextPageToken and the number of points (tokenizes but
        /// does not build points): used while spooling pages that are read back later in reverse.</summary>
        public static PageEnvelope ReadEnvelope(Stream utf8Json) => ReadEnvelope(utf8Json, null);

        private static PageEnvelope ReadEnvelope(Stream utf8Json, Action<DataPoint> onPoint)
        {
            using (var text = new StreamReader(utf8Json, Encoding.UTF8, false, 64 * 1024, leaveOpen: true))
            using (var reader = CreateReader(text))
            {
                string next = null;
                int points = 0;
                ExpectRead(reader);
                Expect(reader, JsonToken.StartObject);
                while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
                {
                    var property = (string)reader.Value;
                    ExpectRead(reader);
                    if (property == "dataPoints")
                    {
                        // proto3 omits an empty list; anything but a list here is a broken answer, not "no points".
                        if (reader.TokenType != JsonToken.StartArray)
                            throw new JsonReaderException($"The answer's dataPoints is {Describe(reader.TokenType)}, not a list.");
                        while (ExpectRead(reader) && reader.TokenType != JsonToken.EndArray)
                        {
                            if (reader.TokenType != JsonToken.StartObject)
                                throw new JsonReaderException($"A data point is {Describe(reader.TokenType)}, not an object (at {reader.Path}).");
                            if (onPoint != null) onPoint(ReadDataPoint(reader));
                            else SkipDataPoint(reader);
                            points++;
                        }
                    }
                    else if (property == "nextPageToken")
                    {
                        if (reader.TokenType != JsonToken.String && reader.TokenType != JsonToken.Null)
                            throw new JsonReaderException($"The answer's nextPageToken is {Describe(reader.TokenType)}, not a string.");
                        next = reader.Value as string;
                    }
                    else reader.Skip();
                }
                Expect(reader, JsonToken.EndObject);
                if (reader.Read()) throw new JsonReaderException("Unexpected content after the end of the response.");
                return new PageEnvelope(string.IsNullOrEmpty(next) ? null : next, points);
            }
        }

        private static string Describe(JsonToken token)
        {
            switch (token)
            {
                case JsonToken.String: return "a string";
                case JsonToken.Integer: case JsonToken.Float: return "a number";
                case JsonToken.Boolean: return "true/false";
                case JsonToken.Null: return "null";
                case JsonToken.StartObject: return "an object";
                case JsonToken.StartArray: return "a list";
                default: return token.ToString();
            }
        }

        /// <summary>Parses one data point object (reader positioned on its StartObject).</summary>
        public static DataPoint ReadDataPoint(JsonReader reader)
        {
            Expect(reader, JsonToken.StartObject);
            var point = new DataPoint();
            while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var property = (string)reader.Value;
                ExpectRead(reader);
                switch (property)
                {
                    case "name":
                    case "dataPointName":
                        point.Name = reader.Value as string; break;
                    case "dataSource":
                        point.DataSource = ReadDataSource(reader); break;
                    case "heartRate":
                        RequireObject(reader, property);
                        point.Member = property; point.HeartRate = ReadHeartRate(reader); break;
                    default:
                        if (reader.TokenType == JsonToken.StartObject) ReadMember(reader, property, point);
                        else if (TypedMembers.ContainsKey(property)) RequireObject(reader, property);
                        else reader.Skip();
                        break;
                }
            }
            Expect(reader, JsonToken.EndObject);
            return point;
        }

        private static void ReadMember(JsonReader reader, string member, DataPoint point)
        {
            point.Member = member;
            if (!TypedMembers.TryGetValue(member, out var type))
            {
                point.Other = JObject.Load(reader);
                return;
            }
            var value = Serializer.Deserialize(reader, type);
            switch (value)
            {
                case Weight v: point.Weight = v; break;
                case BodyFat v: point.BodyFat = v; break;
                case Height v: point.Height = v; break;
                case Steps v: point.Steps = v; break;
                case Distance v: point.Distance = v; break;
                case DailyRestingHeartRate v: point.DailyRestingHeartRate = v; break;
                case DailyHeartRateVariability v: point.DailyHeartRateVariability = v; break;
                case DailyOxygenSaturation v: point.DailyOxygenSaturation = v; break;
                case DailyRespiratoryRate v: point.DailyRespiratoryRate = v; break;
                case DailySleepTemperatureDerivations v: point.DailySleepTemperatureDerivations = v; break;
                case DailyVO2Max v: point.DailyVo2Max = v; break;
                case Sleep v: point.Sleep = v; break;
                case Exercise v: point.Exercise = v; break;
            }
        }

        // Consecutive points nearly always share one source: reuse the previous instance when equal,
        // so a 10,000-point page holds a handful of DataSource objects instead of 10,000.
        [ThreadStatic] private static DataSource _lastSource;

        private static DataSource Dedupe(DataSource source)
        {
            var last = _lastSource;
            if (last != null && source.Application == null && last.Application == null
                && last.RecordingMethod == source.RecordingMethod && last.Platform == source.Platform
                && (last.Device == null) == (source.Device == null)
                && (source.Device == null || (last.Device.DisplayName == source.Device.DisplayName
                    && last.Device.FormFactor == source.Device.FormFactor && last.Device.Manufacturer == source.Device.Manufacturer)))
                return last;
            _lastSource = source;
            return source;
        }

        private static DataSource ReadDataSource(JsonReader reader)
        {
            if (reader.TokenType != JsonToken.StartObject) { reader.Skip(); return null; }
            var source = ReadDataSourceFields(reader);
            return Dedupe(source);
        }

        private static DataSource ReadDataSourceFields(JsonReader reader)
        {
            var source = new DataSource();
            while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var property = (string)reader.Value;
                ExpectRead(reader);
                switch (property)
                {
                    case "recordingMethod": source.RecordingMethod = reader.Value as string; break;
                    case "platform": source.Platform = reader.Value as string; break;
                    case "device":
                        if (reader.TokenType != JsonToken.StartObject) { reader.Skip(); break; }
                        source.Device = new Device();
                        while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
                        {
                            var p = (string)reader.Value;
                            ExpectRead(reader);
                            if (p == "displayName") source.Device.DisplayName = reader.Value as string;
                            else if (p == "formFactor") source.Device.FormFactor = reader.Value as string;
                            else if (p == "manufacturer") source.Device.Manufacturer = reader.Value as string;
                            else reader.Skip();
                        }
                        break;
                    case "application":
                        source.Application = Serializer.Deserialize<Application>(reader); break;
                    default: reader.Skip(); break;
                }
            }
            return source;
        }

        private static HeartRate ReadHeartRate(JsonReader reader)
        {
            if (reader.TokenType != JsonToken.StartObject) { reader.Skip(); return null; }
            var hr = new HeartRate();
            while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var property = (string)reader.Value;
                ExpectRead(reader);
                switch (property)
                {
                    case "sampleTime": hr.SampleTime = ReadSampleTime(reader); break;
                    case "beatsPerMinute": hr.BeatsPerMinute = ReadInt64(reader); break;
                    case "metadata": hr.Metadata = Serializer.Deserialize<HeartRateMetadata>(reader); break;
                    default: reader.Skip(); break;
                }
            }
            return hr;
        }

        internal static ObservationSampleTime ReadSampleTime(JsonReader reader)
        {
            if (reader.TokenType != JsonToken.StartObject) { reader.Skip(); return null; }
            var time = new ObservationSampleTime();
            while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var property = (string)reader.Value;
                ExpectRead(reader);
                switch (property)
                {
                    case "physicalTime": time.PhysicalTime = WireTime.ParseTimestamp((string)reader.Value); break;
                    case "utcOffset": time.UtcOffset = WireTime.ParseDuration((string)reader.Value); break;
                    case "civilTime": time.CivilTime = ReadCivilDateTime(reader); break;
                    default: reader.Skip(); break;
                }
            }
            return time;
        }

        internal static CivilDateTime ReadCivilDateTime(JsonReader reader)
        {
            if (reader.TokenType != JsonToken.StartObject) { reader.Skip(); return null; }
            var civil = new CivilDateTime();
            while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var property = (string)reader.Value;
                ExpectRead(reader);
                if (property == "date" && reader.TokenType == JsonToken.StartObject)
                {
                    var date = new GoogleDate();
                    while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
                    {
                        var p = (string)reader.Value;
                        ExpectRead(reader);
                        if (p == "year") date.Year = (int)ReadInt64(reader);
                        else if (p == "month") date.Month = (int)ReadInt64(reader);
                        else if (p == "day") date.Day = (int)ReadInt64(reader);
                        else reader.Skip();
                    }
                    civil.Date = date;
                }
                else if (property == "time" && reader.TokenType == JsonToken.StartObject)
                {
                    var t = new TimeOfDay();
                    while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
                    {
                        var p = (string)reader.Value;
                        ExpectRead(reader);
                        if (p == "hours") t.Hours = (int)ReadInt64(reader);
                        else if (p == "minutes") t.Minutes = (int)ReadInt64(reader);
                        else if (p == "seconds") t.Seconds = (int)ReadInt64(reader);
                        else if (p == "nanos") t.Nanos = (int)ReadInt64(reader);
                        else reader.Skip();
                    }
                    civil.Time = t;
                }
                else reader.Skip();
            }
            return civil;
        }

        /// <summary>int64 arrives as a JSON string ("60"); int32 as a number.</summary>
        internal static long ReadInt64(JsonReader reader)
        {
            switch (reader.Value)
            {
                case long l: return l;
                case string s: return long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                case double d: return (long)d;
                case null: return 0;
                default: return Convert.ToInt64(reader.Value, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Skips one data point, checking only that the members FitbitPS reads are objects (the page
        /// is checked when it arrives, so a broken one is asked again; its points are built later).</summary>
        private static void SkipDataPoint(JsonReader reader)
        {
            while (ExpectRead(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var property = (string)reader.Value;
                ExpectRead(reader);
                if (property == "heartRate" || TypedMembers.ContainsKey(property)) RequireObject(reader, property);
                reader.Skip();
            }
            Expect(reader, JsonToken.EndObject);
        }

        /// <summary>A data member FitbitPS reads must be an object: "weight": "oops" is a broken answer, not a point without a value.</summary>
        private static void RequireObject(JsonReader reader, string member)
        {
            if (reader.TokenType != JsonToken.StartObject)
                throw new JsonReaderException($"The data point's {member} is {Describe(reader.TokenType)}, not an object (at {reader.Path}).");
        }

        private static bool ExpectRead(JsonReader reader)
        {
            if (!reader.Read()) throw new JsonReaderException("The response ended early (truncated JSON).");
            return true;
        }

        private static void Expect(JsonReader reader, JsonToken token)
        {
            if (reader.TokenType != token)
                throw new JsonReaderException($"Unexpected JSON: expected {token}, found {reader.TokenType} at {reader.Path}.");
        }
    }
}
