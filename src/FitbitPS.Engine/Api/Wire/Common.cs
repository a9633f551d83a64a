using System;
using System.Globalization;
using Newtonsoft.Json;

// Wire models keep Google's names (discovery doc health:v4 rev 20260805) so a diff against the
// discovery document is easy. proto3 JSON: int64 arrive as strings (Newtonsoft coerces them to
// long), doubles may arrive as the strings "NaN"/"Infinity" (Newtonsoft parses those with the
// invariant culture), enums arrive as names (kept as strings: Google adds values; an unknown name
// must not fail a whole page), durations as "3.5s" (DurationConverter).
namespace FitbitPS.Engine.Api.Wire
{
    /// <summary>google.type.Date.</summary>
    internal sealed class GoogleDate
    {
        [JsonProperty("year")] public int Year { get; set; }
        [JsonProperty("month")] public int Month { get; set; }
        [JsonProperty("day")] public int Day { get; set; }

        public DateTime ToDateTime() => new DateTime(Year, Month, Day, 0, 0, 0, DateTimeKind.Unspecified);

        public static GoogleDate From(DateTime day) => new GoogleDate { Year = day.Year, Month = day.Month, Day = day.Day };
    }

    /// <summary>google.type.TimeOfDay. An empty object <c>{}</c> is midnight.</summary>
    internal sealed class TimeOfDay
    {
        [JsonProperty("hours", DefaultValueHandling = DefaultValueHandling.Include)] public int Hours { get; set; }
        [JsonProperty("minutes", DefaultValueHandling = DefaultValueHandling.Include)] public int Minutes { get; set; }
        [JsonProperty("seconds", DefaultValueHandling = DefaultValueHandling.Include)] public int Seconds { get; set; }
        [JsonProperty("nanos", DefaultValueHandling = DefaultValueHandling.Include)] public int Nanos { get; set; }

        public TimeSpan ToTimeSpan() => new TimeSpan(0, Hours, Minutes, Seconds) + TimeSpan.FromTicks(Nanos / 100);
    }

    /// <summary>CivilDateTime: a date and an optional time of day (midnight when absent), no zone.</summary>
    internal sealed class CivilDateTime
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("time", NullValueHandling = NullValueHandling.Ignore)] public TimeOfDay Time { get; set; }

        public DateTime ToDateTime() => Date.ToDateTime() + (Time?.ToTimeSpan() ?? TimeSpan.Zero);

        /// <summary>Midnight starting <paramref name="day"/>, written the way Google's own clients do.</summary>
        public static CivilDateTime StartOfDay(DateTime day) => new CivilDateTime { Date = GoogleDate.From(day), Time = new TimeOfDay() };
    }

    /// <summary>ObservationSampleTime (samples: weight, heart rate…).</summary>
    internal sealed class ObservationSampleTime
    {
        [JsonProperty("physicalTime")] public DateTimeOffset PhysicalTime { get; set; }
        [JsonProperty("utcOffset"), JsonConverter(typeof(DurationConverter))] public TimeSpan UtcOffset { get; set; }
        [JsonProperty("civilTime")] public CivilDateTime CivilTime { get; set; }

        /// <summary>The moment with the offset the person's device had then.</summary>
        public DateTimeOffset LocalTime => WireTime.WithOffset(PhysicalTime, UtcOffset);

        /// <summary>The person's calendar day: Google's civil field, else physical time + offset.</summary>
        public DateTime CivilDate => CivilTime?.Date != null ? CivilTime.Date.ToDateTime() : LocalTime.Date;
    }

    /// <summary>ObservationTimeInterval / SessionTimeInterval (same six fields).</summary>
    internal sealed class ObservationTimeInterval
    {
        [JsonProperty("startTime")] public DateTimeOffset StartTime { get; set; }
        [JsonProperty("startUtcOffset"), JsonConverter(typeof(DurationConverter))] public TimeSpan StartUtcOffset { get; set; }
        [JsonProperty("endTime")] public DateTimeOffset EndTime { get; set; }
        [JsonProperty("endUtcOffset"), JsonConverter(typeof(DurationConverter))] public TimeSpan EndUtcOffset { get; set; }
        [JsonProperty("civilStartTime")] public CivilDateTime CivilStartTime { get; set; }
        [JsonProperty("civilEndTime")] public CivilDateTime CivilEndTime { get; set; }

        public DateTimeOffset LocalStart => WireTime.WithOffset(StartTime, StartUtcOffset);
        public DateTimeOffset LocalEnd => WireTime.WithOffset(EndTime, EndUtcOffset);
        public DateTime CivilStartDate => CivilStartTime?.Date != null ? CivilStartTime.Date.ToDateTime() : LocalStart.Date;
        public DateTime CivilEndDate => CivilEndTime?.Date != null ? CivilEndTime.Date.ToDateTime() : LocalEnd.Date;
    }

    /// <summary>DataSource: who recorded a point.</summary>
    internal sealed class DataSource
    {
        [JsonProperty("recordingMethod")] public string RecordingMethod { get; set; }
        [JsonProperty("device")] public Device Device { get; set; }
        [JsonProperty("application")] public Application Application { get; set; }
        [JsonProperty("platform")] public string Platform { get; set; }

        /// <summary>A short human label: "Pixel Watch 4", "manual", "jp.healthplanet.healthplanetapp", "SCALE"…</summary>
        public string Describe()
        {
            if (RecordingMethod == "MANUAL") return "Manual";
            if (!string.IsNullOrEmpty(Device?.DisplayName)) return Device.DisplayName;
            if (!string.IsNullOrEmpty(Device?.FormFactor)) return WireTime.Title(Device.FormFactor);
            if (!string.IsNullOrEmpty(Application?.PackageName)) return Application.PackageName;
            if (!string.IsNullOrEmpty(Platform)) return WireTime.Title(Platform);
            return RecordingMethod != null ? WireTime.Title(RecordingMethod) : null;
        }
    }

    internal sealed class Device
    {
        [JsonProperty("formFactor")] public string FormFactor { get; set; }
        [JsonProperty("manufacturer")] public string Manufacturer { get; set; }
        [JsonProperty("displayName")] public string DisplayName { get; set; }
    }

    internal sealed class Application
    {
        [JsonProperty("packageName")] public string PackageName { get; set; }
        [JsonProperty("webClientId")] public string WebClientId { get; set; }
        [JsonProperty("googleWebClientId")] public string GoogleWebClientId { get; set; }
    }

    /// <summary>proto3 JSON Duration: "-18000s", "3.5s", "0.000000001s".</summary>
    internal sealed class DurationConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType) => objectType == typeof(TimeSpan) || objectType == typeof(TimeSpan?);

        public override object ReadJson(JsonReader reader, Type objectType, object existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null) return objectType == typeof(TimeSpan) ? (object)TimeSpan.Zero : null;
            return WireTime.ParseDuration(Convert.ToString(reader.Value, CultureInfo.InvariantCulture));
        }

        public override void WriteJson(JsonWriter writer, object value, JsonSerializer serializer)
        {
            if (value == null) { writer.WriteNull(); return; }
            writer.WriteValue(WireTime.FormatDuration((TimeSpan)value));
        }
    }

    /// <summary>Fast, allocation-light parsing of Google's time literals.</summary>
    internal static class WireTime
    {
        public static DateTimeOffset WithOffset(DateTimeOffset utc, TimeSpan offset)
        {
            // DateTimeOffset allows whole minutes within ±14 h; Google's offsets always are.
            if (offset.Ticks % TimeSpan.TicksPerMinute != 0 || offset > TimeSpan.FromHours(14) || offset < TimeSpan.FromHours(-14))
                return utc.ToUniversalTime();
            return utc.ToOffset(offset);
        }

        public static TimeSpan ParseDuration(string text)
        {
            if (string.IsNullOrEmpty(text)) return TimeSpan.Zero;
            var s = text.EndsWith("s", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                return TimeSpan.FromTicks(whole * TimeSpan.TicksPerSecond);
            var seconds = decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        }

        public static string FormatDuration(TimeSpan value)
        {
            if (value.Ticks % TimeSpan.TicksPerSecond == 0)
                return (value.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "s";
            return ((decimal)value.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture) + "s";
        }

        /// <summary>Parses RFC 3339 "yyyy-MM-ddTHH:mm:ss[.f…]Z" without culture machinery; falls back to
        /// DateTimeOffset.Parse for anything else (an explicit offset).</summary>
        public static DateTimeOffset ParseTimestamp(string s)
        {
            if (s != null && s.Length >= 20 && s[s.Length - 1] == 'Z' && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':')
            {
                int year = D4(s, 0), month = D2(s, 5), day = D2(s, 8), hour = D2(s, 11), minute = D2(s, 14), second = D2(s, 17);
                long fraction = 0;
                if (s.Length > 20 && s[19] == '.')
                {
                    int scale = 0;
                    for (int i = 20; i < s.Length - 1; i++)
                    {
                        char c = s[i];
                        if (c < '0' || c > '9') goto Slow;
                        if (scale < 7) { fraction = fraction * 10 + (c - '0'); scale++; }
                    }
                    for (; scale < 7; scale++) fraction *= 10;
                }
                else if (s.Length != 20) goto Slow;
                if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) goto Slow;
                return new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction, TimeSpan.Zero);
            }
        Slow:
            return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        private static int D2(string s, int i) => (s[i] - '0') * 10 + (s[i + 1] - '0');
        private static int D4(string s, int i) => D2(s, i) * 100 + D2(s, i + 2);

        /// <summary>"PASSIVELY_MEASURED" → "Passively measured" for display.</summary>
        public static string Title(string enumName)
        {
            if (string.IsNullOrEmpty(enumName)) return enumName;
            var lower = enumName.Replace('_', ' ').ToLowerInvariant();
            return char.ToUpperInvariant(lower[0]) + lower.Substring(1);
        }
    }
}
