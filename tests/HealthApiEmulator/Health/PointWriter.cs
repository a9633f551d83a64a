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
    public static void Timestamp(Utf8JsonWriter w, string name, long unixSeconds)
    {
        Span<char> buf = stackalloc char[24];
        DateTime.UnixEpoch.AddSeconds(unixSeconds).TryFormat(buf, out var n, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
        w.WriteString(name, buf[..n]);
    }

    public static void Timestamp(Utf8JsonWriter w, string name, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var frac = utc.Ticks % TimeSpan.TicksPerSecond;
        var format = frac == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'"
            : frac % 10_000 == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'"
            : frac % 10 == 0 ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'"
            : "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'00Z'";
        Span<char> buf = stackalloc char[40];
        utc.TryFormat(buf, out var n, format, CultureInfo.InvariantCulture);
        w.WriteString(name, buf[..n]);
    }

    public static void Duration(Utf8JsonWriter w, string name, long seconds)
    {
        Span<char> buf = stackalloc char[24];
        seconds.TryFormat(buf, out var n, default, CultureInfo.InvariantCulture);
        buf[n++] = 's';
        w.WriteString(name, buf[..n]);
    }

    public static void Int64(Utf8JsonWriter w, string name, long value)
    {
        Span<char> buf = stackalloc char[24];
        value.TryFormat(buf, out var n, default, CultureInfo.InvariantCulture);
        w.WriteString(name, buf[..n]);
    }

    public static void Double(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value)) w.WriteString(name, "NaN");
        else if (double.IsPositiveInfinity(value)) w.WriteString(name, "Infinity");
        else if (double.IsNegativeInfinity(value)) w.WriteString(name, "-Infinity");
        else w.WriteNumber(name, value);
    }

    public static void Date(Utf8JsonWriter w, string name, DateOnly d)
    {
        w.WriteStartObject(name);
        w.WriteNumber("year", d.Year);
        w.WriteNumber("month", d.Month);
        w.WriteNumber("day", d.Day);
        w.WriteEndObject();
    }

    /// <summary>CivilDateTime from "civil seconds" (civil date-time read as UTC, Unix-based).</summary>
    public static void Civil(Utf8JsonWriter w, string name, long civilSeconds)
    {
        var dt = DateTime.UnixEpoch.AddSeconds(civilSeconds);
        w.WriteStartObject(name);
        Date(w, "date", DateOnly.FromDateTime(dt));
        w.WriteStartObject("time");
        if (dt.Hour != 0) w.WriteNumber("hours", dt.Hour);
        if (dt.Minute != 0) w.WriteNumber("minutes", dt.Minute);
        if (dt.Second != 0) w.WriteNumber("seconds", dt.Second);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void CivilDate(Utf8JsonWriter w, string name, DateOnly day) => Civil(w, name, (day.DayNumber - 719162L) * 86400);

    private static void IntervalBody(Utf8JsonWriter w, long start, int startOffset, long end, int endOffset, bool civil)
    {
        Timestamp(w, "startTime", start);
        Duration(w, "startUtcOffset", startOffset);
        Timestamp(w, "endTime", end);
        Duration(w, "endUtcOffset", endOffset);
        if (civil)
        {
            Civil(w, "civilStartTime", start + startOffset);
            Civil(w, "civilEndTime", end + endOffset);
        }
    }

    private static void Interval(Utf8JsonWriter w, in RawPoint p, bool civil = true)
    {
        w.WriteStartObject("interval");
        IntervalBody(w, p.Start, p.StartOffset, p.End, p.EndOffset, civil);
        w.WriteEndObject();
    }

    private static void SampleTime(Utf8JsonWriter w, in RawPoint p, DateTimeOffset? exact = null)
    {
        w.WriteStartObject("sampleTime");
        if (exact is { } at) Timestamp(w, "physicalTime", at); else Timestamp(w, "physicalTime", p.Start);
        Duration(w, "utcOffset", p.StartOffset);
        Civil(w, "civilTime", p.Start + p.StartOffset);
        w.WriteEndObject();
    }

    public static void DataSource(Utf8JsonWriter w, SourceKind source, PersonOptions person, bool exercise = false)
    {
        w.WriteStartObject("dataSource");
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
            w.WriteString(reconciled ? "dataPointName" : "name",
                string.Create(CultureInfo.InvariantCulture, $"users/{person.Options.HealthUserId}/dataTypes/{type.Id}/dataPoints/{p.L1}"));
        if (!reconciled) DataSource(w, p.Source, person.Options, exercise: type.Id == "exercise");
        w.WriteStartObject(type.Member);
        Value(w, type, p, person);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter w, DataTypeInfo type, in RawPoint p, SyntheticPerson person)
    {
        switch (type.Id)
        {
            case "steps": Interval(w, p); Int64(w, "count", p.L1); break;
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
            case "heart-rate": SampleTime(w, p); Int64(w, "beatsPerMinute", p.L1); break;
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
            case "height": SampleTime(w, p); Int64(w, "heightMillimeters", p.L1 == 0 ? person.Options.HeightMillimeters : p.L1); break;
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
        Interval(w, p);
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
