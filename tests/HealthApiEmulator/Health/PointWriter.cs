using System.Globalization;
using System.Text.Json;
using HealthApiEmulator.Data;

namespace HealthApiEmulator.Health;

/// <summary>
/// proto3-JSON the way health.googleapis.com writes it: int64 as strings, enums as names, RFC 3339
/// UTC timestamps, durations "Ns", google.type.Date objects, CivilDateTime with "time": {} at midnight
/// and zero fields omitted, doubles as numbers except NaN/Infinity as strings.
/// </summary>
internal static class PointWriter
{
    // Pre-encoded property names: a 10,000-point page writes ~200,000 of them.
    private static readonly JsonEncodedText NStartTime = JsonEncodedText.Encode("startTime"), NEndTime = JsonEncodedText.Encode("endTime"),
        NStartUtcOffset = JsonEncodedText.Encode("startUtcOffset"), NEndUtcOffset = JsonEncodedText.Encode("endUtcOffset"),
        NCivilStartTime = JsonEncodedText.Encode("civilStartTime"), NCivilEndTime = JsonEncodedText.Encode("civilEndTime"),
        NInterval = JsonEncodedText.Encode("interval"), NSampleTime = JsonEncodedText.Encode("sampleTime"),
        NPhysicalTime = JsonEncodedText.Encode("physicalTime"), NUtcOffset = JsonEncodedText.Encode("utcOffset"),
        NCivilTime = JsonEncodedText.Encode("civilTime"), NDate = JsonEncodedText.Encode("date"), NTime = JsonEncodedText.Encode("time"),
        NYear = JsonEncodedText.Encode("year"), NMonth = JsonEncodedText.Encode("month"), NDay = JsonEncodedText.Encode("day"),
        NHours = JsonEncodedText.Encode("hours"), NMinutes = JsonEncodedText.Encode("minutes"), NSeconds = JsonEncodedText.Encode("seconds"),
        NDataSource = JsonEncodedText.Encode("dataSource"), NName = JsonEncodedText.Encode("name"), NDataPointName = JsonEncodedText.Encode("dataPointName"),
        NBeatsPerMinute = JsonEncodedText.Encode("beatsPerMinute"), NCount = JsonEncodedText.Encode("count");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonEncodedText> Names = new();

    private static JsonEncodedText E(string name) => Names.GetOrAdd(name, static n => JsonEncodedText.Encode(n));

    /// <summary>Writes yyyy-MM-ddTHH:mm:ssZ as UTF-8 without going through strings.</summary>
    private static int FormatTimestamp(Span<byte> b, long unixSeconds)
    {
        var dt = DateTime.UnixEpoch.AddSeconds(unixSeconds);
        dt.Deconstruct(out int year, out int month, out int day);
        var tod = (int)(((unixSeconds % 86400) + 86400) % 86400);
        Digits(b, 0, year, 4); b[4] = (byte)'-'; Digits(b, 5, month, 2); b[7] = (byte)'-'; Digits(b, 8, day, 2); b[10] = (byte)'T';
        Digits(b, 11, tod / 3600, 2); b[13] = (byte)':'; Digits(b, 14, tod / 60 % 60, 2); b[16] = (byte)':'; Digits(b, 17, tod % 60, 2); b[19] = (byte)'Z';
        return 20;
    }

    private static void Digits(Span<byte> b, int at, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--) { b[at + i] = (byte)('0' + value % 10); value /= 10; }
    }

    public static void Timestamp(Utf8JsonWriter w, string name, long unixSeconds) => Timestamp(w, E(name), unixSeconds);

    public static void Timestamp(Utf8JsonWriter w, JsonEncodedText name, long unixSeconds)
    {
        Span<byte> buf = stackalloc byte[20];
        FormatTimestamp(buf, unixSeconds);
        w.WriteString(name, buf);
    }

    public static void Timestamp(Utf8JsonWriter w, string name, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var frac = utc.Ticks % TimeSpan.TicksPerSecond;
        if (frac == 0) { Timestamp(w, name, at.ToUnixTimeSeconds()); return; }
        var format = frac % 10_000 == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'"
            : frac % 10 == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'"
            : "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'00Z'";
        Span<char> buf = stackalloc char[40];
        utc.TryFormat(buf, out var n, format, CultureInfo.InvariantCulture);
        w.WriteString(E(name), buf[..n]);
    }

    public static void Duration(Utf8JsonWriter w, string name, long seconds) => Duration(w, E(name), seconds);

    public static void Duration(Utf8JsonWriter w, JsonEncodedText name, long seconds)
    {
        Span<byte> buf = stackalloc byte[24];
        seconds.TryFormat(buf, out var n, default, CultureInfo.InvariantCulture);
        buf[n++] = (byte)'s';
        w.WriteString(name, buf[..n]);
    }

    public static void Int64(Utf8JsonWriter w, string name, long value) => Int64(w, E(name), value);

    public static void Int64(Utf8JsonWriter w, JsonEncodedText name, long value)
    {
        Span<byte> buf = stackalloc byte[24];
        value.TryFormat(buf, out var n, default, CultureInfo.InvariantCulture);
        w.WriteString(name, buf[..n]);
    }

    public static void Double(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value)) w.WriteString(E(name), "NaN");
        else if (double.IsPositiveInfinity(value)) w.WriteString(E(name), "Infinity");
        else if (double.IsNegativeInfinity(value)) w.WriteString(E(name), "-Infinity");
        else w.WriteNumber(E(name), value);
    }

    public static void Date(Utf8JsonWriter w, string name, DateOnly d) => Date(w, E(name), d);

    public static void Date(Utf8JsonWriter w, JsonEncodedText name, DateOnly d)
    {
        d.Deconstruct(out var year, out var month, out var day);
        w.WriteStartObject(name);
        w.WriteNumber(NYear, year);
        w.WriteNumber(NMonth, month);
        w.WriteNumber(NDay, day);
        w.WriteEndObject();
    }

    public static void Civil(Utf8JsonWriter w, string name, long civilSeconds) => Civil(w, E(name), civilSeconds);

    /// <summary>CivilDateTime from "civil seconds" (civil date-time read as UTC, Unix-based).</summary>
    public static void Civil(Utf8JsonWriter w, JsonEncodedText name, long civilSeconds)
    {
        var days = civilSeconds >= 0 ? civilSeconds / 86400 : (civilSeconds - 86399) / 86400;
        var tod = (int)(civilSeconds - days * 86400);
        w.WriteStartObject(name);
        Date(w, NDate, DateOnly.FromDayNumber((int)(days + 719162)));
        w.WriteStartObject(NTime);
        if (tod >= 3600) w.WriteNumber(NHours, tod / 3600);
        if (tod / 60 % 60 != 0) w.WriteNumber(NMinutes, tod / 60 % 60);
        if (tod % 60 != 0) w.WriteNumber(NSeconds, tod % 60);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void CivilDate(Utf8JsonWriter w, string name, DateOnly day) => Civil(w, name, (day.DayNumber - 719162L) * 86400);

    private static void IntervalBody(Utf8JsonWriter w, long start, int startOffset, long end, int endOffset, bool civil)
    {
        Timestamp(w, NStartTime, start);
        Duration(w, NStartUtcOffset, startOffset);
        Timestamp(w, NEndTime, end);
        Duration(w, NEndUtcOffset, endOffset);
        if (civil)
        {
            Civil(w, NCivilStartTime, start + startOffset);
            Civil(w, NCivilEndTime, end + endOffset);
        }
    }

    private static void Interval(Utf8JsonWriter w, in RawPoint p, bool civil = true)
    {
        w.WriteStartObject(NInterval);
        IntervalBody(w, p.Start, p.StartOffset, p.End, p.EndOffset, civil);
        w.WriteEndObject();
    }

    private static void SampleTime(Utf8JsonWriter w, in RawPoint p, DateTimeOffset? exact = null)
    {
        w.WriteStartObject(NSampleTime);
        if (exact is { } at && at.UtcDateTime.Ticks % TimeSpan.TicksPerSecond != 0) Timestamp(w, "physicalTime", at); else Timestamp(w, NPhysicalTime, p.Start);
        Duration(w, NUtcOffset, p.StartOffset);
        Civil(w, NCivilTime, p.Start + p.StartOffset);
        w.WriteEndObject();
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PersonOptions, byte[][]> SourceBlobs = new();

    /// <summary>"dataSource": {…} from a pre-serialised blob per (source, exercise): it is the same for every point.</summary>
    public static void DataSource(Utf8JsonWriter w, SourceKind source, PersonOptions person, bool exercise = false)
    {
        var blobs = SourceBlobs.GetValue(person, static p =>
        {
            var all = new byte[10][];
            for (var i = 0; i < all.Length; i++)
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var jw = new Utf8JsonWriter(buffer)) DataSourceValue(jw, (SourceKind)(i / 2), p, i % 2 == 1);
                all[i] = buffer.WrittenSpan.ToArray();
            }
            return all;
        });
        w.WritePropertyName(NDataSource);
        w.WriteRawValue(blobs[(int)source * 2 + (exercise ? 1 : 0)], skipInputValidation: true);
    }

    private static void DataSourceValue(Utf8JsonWriter w, SourceKind source, PersonOptions person, bool exercise)
    {
        w.WriteStartObject();
        switch (source)
        {
            case SourceKind.Watch:
            case SourceKind.Derived:
                w.WriteString("recordingMethod", exercise ? "ACTIVELY_MEASURED" : source == SourceKind.Watch ? "PASSIVELY_MEASURED" : "DERIVED");
                w.WriteStartObject("device");
                w.WriteString("formFactor", "WATCH");
                w.WriteString("displayName", person.WatchName);
                w.WriteEndObject();
                w.WriteString("platform", "FITBIT");
                break;
            case SourceKind.Phone:
                w.WriteString("recordingMethod", "PASSIVELY_MEASURED");
                w.WriteStartObject("device");
                w.WriteString("formFactor", "PHONE");
                w.WriteString("displayName", person.PhoneName);
                w.WriteEndObject();
                w.WriteString("platform", "FITBIT");
                break;
            case SourceKind.Scale:
                // as a Health Connect scale app writes it (captured: recordingMethod UNKNOWN, empty device)
                w.WriteString("recordingMethod", "UNKNOWN");
                w.WriteStartObject("device");
                w.WriteEndObject();
                w.WriteStartObject("application");
                w.WriteString("packageName", "com.withings.wiscale2");
                w.WriteEndObject();
                w.WriteString("platform", "HEALTH_CONNECT");
                break;
            case SourceKind.Manual:
                w.WriteString("recordingMethod", "MANUAL");
                w.WriteString("platform", "FITBIT");
                break;
        }
        w.WriteEndObject();
    }

    private static readonly string[] ZoneNames = { "HEART_RATE_ZONE_TYPE_UNSPECIFIED", "LIGHT", "MODERATE", "VIGOROUS", "PEAK" };
    private static readonly string[] AzmZoneNames = { "HEART_RATE_ZONE_UNSPECIFIED", "HEART_RATE_ZONE_UNSPECIFIED", "FAT_BURN", "CARDIO", "PEAK" };
    private static readonly string[] LevelNames = { "ACTIVITY_LEVEL_UNSPECIFIED", "LIGHT", "MODERATE", "VIGOROUS" };
    private static readonly string[] LevelTypeNames = { "SEDENTARY", "LIGHTLY_ACTIVE", "MODERATELY_ACTIVE", "VERY_ACTIVE" };

    public static string ZoneName(int zone) => ZoneNames[zone];
    public static string LevelName(int level) => LevelNames[level];
    public static string LevelTypeName(int level) => LevelTypeNames[level];

    /// <summary>One DataPoint (list) or ReconciledDataPoint (reconcile: no dataSource, dataPointName).</summary>
    public static void Point(Utf8JsonWriter w, DataTypeInfo type, in RawPoint p, SyntheticPerson person, bool reconciled)
    {
        w.WriteStartObject();
        if (type.Identifiable)
            w.WriteString(reconciled ? NDataPointName : NName,
                string.Create(CultureInfo.InvariantCulture, $"users/{person.Options.HealthUserId}/dataTypes/{type.Id}/dataPoints/{p.L1}"));
        if (!reconciled) DataSource(w, p.Source, person.Options, exercise: type.Id == "exercise");
        w.WriteStartObject(E(type.Member));
        Value(w, type, p, person);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter w, DataTypeInfo type, in RawPoint p, SyntheticPerson person)
    {
        switch (type.Id)
        {
            case "steps": Interval(w, p); Int64(w, NCount, p.L1); break;
            case "distance": Interval(w, p); Int64(w, "millimeters", p.L1); break;
            case "floors": Interval(w, p); Int64(w, "count", p.L1); break;
            case "altitude": Interval(w, p); Int64(w, "gainMillimeters", p.L1); break;
            case "active-zone-minutes":
                Interval(w, p);
                w.WriteString("heartRateZone", AzmZoneNames[p.B1]);
                Int64(w, "activeZoneMinutes", p.L1);
                break;
            case "active-minutes":
                Interval(w, p);
                w.WriteStartArray("activeMinutesByActivityLevel");
                w.WriteStartObject();
                w.WriteString("activityLevel", LevelNames[p.B1]);
                Int64(w, "activeMinutes", p.L1);
                w.WriteEndObject();
                w.WriteEndArray();
                break;
            case "activity-level": Interval(w, p); w.WriteString("activityLevelType", LevelTypeNames[p.B1]); break;
            case "sedentary-period": Interval(w, p); break;
            case "active-energy-burned": Interval(w, p); Double(w, "kcal", Math.Round(p.D1, 3)); break;
            case "time-in-heart-rate-zone": Interval(w, p); w.WriteString("heartRateZoneType", ZoneNames[p.B1]); break;
            case "heart-rate": SampleTime(w, p); Int64(w, NBeatsPerMinute, p.L1); break;
            case "heart-rate-variability":
                SampleTime(w, p);
                Double(w, "rootMeanSquareOfSuccessiveDifferencesMilliseconds", p.D1);
                Double(w, "standardDeviationMilliseconds", p.D2);
                break;
            case "oxygen-saturation": SampleTime(w, p); Double(w, "percentage", p.D1); break;
            case "respiratory-rate-sleep-summary":
            {
                SampleTime(w, p);
                var full = p.D1;
                void Stats(string name, double bpm, double sd, double snr)
                {
                    w.WriteStartObject(name);
                    Double(w, "breathsPerMinute", Math.Round(bpm, 1));
                    Double(w, "standardDeviation", Math.Round(sd, 2));
                    Double(w, "signalToNoise", Math.Round(snr, 2));
                    w.WriteEndObject();
                }
                Stats("deepSleepStats", full - 0.8, 0.6, 9.5);
                Stats("lightSleepStats", full, 0.9, 7.8);
                Stats("remSleepStats", full + 0.9, 1.3, 6.1);
                Stats("fullSleepStats", full, 1.0, 7.4);
                break;
            }
            case "vo2-max": SampleTime(w, p); Double(w, "vo2Max", p.D1); w.WriteString("measurementMethod", "FITBIT_RUN"); break;
            case "weight":
            {
                var wi = (WeighIn)p.Obj!;
                SampleTime(w, p, wi.At);
                Double(w, "weightGrams", Math.Round(p.D1, 1));
                if (wi.Notes != null) w.WriteString("notes", wi.Notes);
                break;
            }
            case "body-fat": SampleTime(w, p, ((WeighIn)p.Obj!).At); Double(w, "percentage", p.D1); break;
            case "height": SampleTime(w, p); Int64(w, "heightMillimeters", (long)p.D1); break;
            case "daily-resting-heart-rate":
            {
                var d = (DailyValues)p.Obj!;
                Date(w, "date", p.Date);
                Int64(w, "beatsPerMinute", d.RestingHeartRate);
                w.WriteStartObject("dailyRestingHeartRateMetadata");
                w.WriteString("calculationMethod", d.RestingWithSleep ? "WITH_SLEEP" : "ONLY_WITH_AWAKE_DATA");
                w.WriteEndObject();
                break;
            }
            case "daily-heart-rate-variability":
            {
                var d = (DailyValues)p.Obj!;
                Date(w, "date", p.Date);
                Double(w, "averageHeartRateVariabilityMilliseconds", d.HrvAverage);
                Int64(w, "nonRemHeartRateBeatsPerMinute", d.NonRemHeartRate);
                Double(w, "entropy", d.HrvEntropy);
                Double(w, "deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds", d.HrvDeepRmssd);
                break;
            }
            case "daily-oxygen-saturation":
            {
                var d = (DailyValues)p.Obj!;
                Date(w, "date", p.Date);
                Double(w, "averagePercentage", d.SpO2Average);
                Double(w, "lowerBoundPercentage", d.SpO2Lower);
                Double(w, "upperBoundPercentage", d.SpO2Upper);
                Double(w, "standardDeviationPercentage", d.SpO2StdDev);
                break;
            }
            case "daily-respiratory-rate": Date(w, "date", p.Date); Double(w, "breathsPerMinute", ((DailyValues)p.Obj!).BreathsPerMinute); break;
            case "daily-sleep-temperature-derivations":
            {
                var d = (DailyValues)p.Obj!;
                Date(w, "date", p.Date);
                Double(w, "nightlyTemperatureCelsius", d.NightlyTemperature);
                Double(w, "baselineTemperatureCelsius", d.BaselineTemperature);
                Double(w, "relativeNightlyStddev30dCelsius", d.RelativeNightlyStdDev30d);
                break;
            }
            case "daily-vo2-max":
            {
                var d = (DailyValues)p.Obj!;
                Date(w, "date", p.Date);
                Double(w, "vo2Max", d.Vo2Max);
                if (d.Vo2Estimated) w.WriteBoolean("estimated", true);
                w.WriteString("cardioFitnessLevel", d.CardioFitnessLevel);
                Double(w, "vo2MaxCovariance", d.Vo2MaxCovariance);
                break;
            }
            case "daily-heart-rate-zones":
            {
                Date(w, "date", p.Date);
                var max = p.L1;
                w.WriteStartArray("heartRateZones");
                var bounds = new[] { (long)(max * 0.5), (long)(max * 0.6), (long)(max * 0.7), (long)(max * 0.85), max };
                for (var z = 1; z <= 4; z++)
                {
                    w.WriteStartObject();
                    w.WriteString("heartRateZoneType", ZoneNames[z]);
                    Int64(w, "minBeatsPerMinute", bounds[z - 1]);
                    Int64(w, "maxBeatsPerMinute", z == 4 ? max : bounds[z] - 1);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            }
            case "exercise": Exercise(w, p); break;
            case "sleep": Sleep(w, (SleepSession)p.Obj!); break;
        }
    }

    private static void Exercise(Utf8JsonWriter w, in RawPoint p)
    {
        var e = (ExerciseSession)p.Obj!;
        // Evidence §1.5: exercise intervals carry only startTime/endTime and their offsets, no civil times (haelan
        // field map, 2026-08-19; Google codelab list example, index id 56611031312).
        Interval(w, p, civil: false);
        w.WriteString("exerciseType", e.ExerciseType);
        w.WriteString("displayName", e.DisplayName);
        Duration(w, "activeDuration", (long)e.ActiveDuration.TotalSeconds);
        w.WriteStartObject("metricsSummary");
        Double(w, "caloriesKcal", e.CaloriesKcal);
        if (e.DistanceMillimeters > 0) Double(w, "distanceMillimeters", e.DistanceMillimeters);
        if (e.Steps > 0) Int64(w, "steps", e.Steps);
        if (e.AverageHeartRate > 0) Int64(w, "averageHeartRateBeatsPerMinute", e.AverageHeartRate);
        if (e.ActiveZoneMinutes > 0) Int64(w, "activeZoneMinutes", e.ActiveZoneMinutes);
        w.WriteEndObject();
        Timestamp(w, "createTime", e.End.AddSeconds(97).AddTicks(e.Id % 1_000_000 * 10));
        Timestamp(w, "updateTime", e.End.AddSeconds(97).AddTicks(e.Id % 1_000_000 * 10));
    }

    private static void Stage(Utf8JsonWriter w, SleepStageSegment s, SleepSession session, bool times)
    {
        w.WriteStartObject();
        Timestamp(w, "startTime", s.Start.ToUnixTimeSeconds());
        Duration(w, "startUtcOffset", (long)s.StartUtcOffset.TotalSeconds);
        Timestamp(w, "endTime", s.End.ToUnixTimeSeconds());
        Duration(w, "endUtcOffset", (long)s.EndUtcOffset.TotalSeconds);
        w.WriteString("type", s.Type);
        if (times)
        {
            Timestamp(w, "createTime", session.CreateTime);
            Timestamp(w, "updateTime", session.CreateTime);
        }
        w.WriteEndObject();
    }

    private static void Sleep(Utf8JsonWriter w, SleepSession s)
    {
        // Captured sleep points carry no civil times in the interval.
        w.WriteStartObject("interval");
        IntervalBody(w, s.Start.ToUnixTimeSeconds(), (int)s.StartUtcOffset.TotalSeconds, s.End.ToUnixTimeSeconds(), (int)s.EndUtcOffset.TotalSeconds, civil: false);
        w.WriteEndObject();
        w.WriteString("type", s.Type);
        w.WriteStartArray("stages");
        foreach (var st in s.Stages) Stage(w, st, s, times: true);
        w.WriteEndArray();
        w.WriteStartObject("metadata");
        w.WriteString("stagesStatus", s.Type == "STAGES" ? "SUCCEEDED" : s.IsNap ? "REJECTED_NAP" : "REJECTED_COVERAGE");
        w.WriteBoolean("processed", true);
        if (s.IsNap) w.WriteBoolean("nap", true);
        if (s.IsMainSleep) w.WriteBoolean("mainSleep", true);
        w.WriteEndObject();
        w.WriteStartObject("summary");
        Int64(w, "minutesInSleepPeriod", s.MinutesInSleepPeriod);
        Int64(w, "minutesAfterWakeUp", 0);
        Int64(w, "minutesToFallAsleep", s.MinutesToFallAsleep);
        Int64(w, "minutesAsleep", s.MinutesAsleep);
        Int64(w, "minutesAwake", s.MinutesAwake);
        w.WriteStartArray("stagesSummary");
        foreach (var type in s.Type == "STAGES" ? new[] { "AWAKE", "LIGHT", "DEEP", "REM" } : new[] { "ASLEEP", "RESTLESS", "AWAKE" })
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            Int64(w, "minutes", s.StageMinutes(type));
            Int64(w, "count", s.StageCount(type));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        Timestamp(w, "createTime", s.CreateTime);
        Timestamp(w, "updateTime", s.UpdateTime);
        if (s.ShortAwakenings.Count > 0)
        {
            w.WriteStartArray("shortAwakenings");
            foreach (var a in s.ShortAwakenings) Stage(w, a, s, times: false);
            w.WriteEndArray();
        }
    }
}
