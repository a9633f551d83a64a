using System.Text;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Http;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Records.Mapping;
using Newtonsoft.Json.Linq;
using Xunit;

namespace FitbitPS.Tests.Api;

/// <summary>Real responses of the live API (tests/reference/captured) parse into the values a person expects.</summary>
public class CapturedResponseTests
{
    internal static byte[] Captured(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", "captured", name);
        var json = File.ReadAllText(path);
        var root = JObject.Parse(json);
        // arysuri23 fixtures wrap the body: {"body": …, "status": …}; some nest request/response.
        if (root["body"] is JObject body)
        {
            root = body["response"] as JObject ?? body;
            return Encoding.UTF8.GetBytes(root.ToString());
        }
        return Encoding.UTF8.GetBytes(json);
    }

    internal static (List<DataPoint> Points, string? Next) Page(byte[] body)
    {
        var points = new List<DataPoint>();
        using var ms = new MemoryStream(body);
        var next = DataPointReader.ReadPage(ms, points.Add);
        return (points, next);
    }

    [Fact]
    public void Weight_list_becomes_kilograms_and_pounds_on_the_civil_day()
    {
        var (points, next) = Page(Captured("ansanloms-skills__weight-list.json"));
        Assert.Null(next);
        Assert.Equal(2, points.Count);
        var w = points[0].Weight!;
        Assert.Equal(90200, w.WeightGrams);
        // physical 2026-09-25T22:15:10Z, offset +9 h → the person's day is the 26th
        Assert.Equal(new DateTime(2026, 9, 26), w.SampleTime.CivilDate);
        Assert.Equal(new DateTimeOffset(2026, 9, 26, 7, 15, 10, TimeSpan.FromHours(9)), w.SampleTime.LocalTime);
        Assert.Equal(90.2, Units.KgFromGrams(w.WeightGrams));
        Assert.Equal(198.86, Units.LbFromGrams(w.WeightGrams)); // 90200 / 453.59237 = 198.8568…
        Assert.Equal("jp.healthplanet.healthplanetapp", points[0].DataSource!.Describe());
        Assert.Equal("HEALTH_CONNECT", points[0].DataSource!.Platform);
        Assert.Equal("users/1173016576421350648/dataTypes/weight/dataPoints/8107172512320991248", points[0].Name);
    }

    [Fact]
    public void Body_fat_list_parses_percentage()
    {
        var (points, _) = Page(Captured("ansanloms-skills__body-fat-list.json"));
        Assert.Equal(new[] { 25.8, 26.6 }, points.Select(p => p.BodyFat!.Percentage));
        Assert.Equal(new DateTime(2026, 9, 14), points[1].BodyFat!.SampleTime.CivilDate);
    }

    [Fact]
    public void Heart_rate_int64_strings_become_numbers()
    {
        var (points, _) = Page(Captured("ansanloms-skills__heart-rate-list.trimmed.json"));
        Assert.Equal(new long[] { 49, 50 }, points.Select(p => p.HeartRate!.BeatsPerMinute));
        var sample = FitbitReaderAccess.ToHeartRateSample(points[0]);
        Assert.Equal(49, sample.BeatsPerMinute);
        Assert.Equal(new DateTimeOffset(2026, 9, 25, 19, 4, 59, TimeSpan.FromHours(9)), sample.Time);
        Assert.Equal(new DateTime(2026, 9, 25), sample.Date);
        Assert.Equal("Pixel Watch 4", sample.Source);
        Assert.Equal("PASSIVELY_MEASURED", points[0].DataSource!.RecordingMethod); // enum names kept
    }

    [Fact]
    public void Unfiltered_heart_rate_page_keeps_its_page_token_and_civil_day_from_google()
    {
        var (points, next) = Page(Captured("arysuri23-mcp-fitbit-air__list_heart_rate_nofilter.json"));
        Assert.Equal("redacted-nextPageToken", next);
        Assert.All(points, p => Assert.Equal(60, p.HeartRate!.BeatsPerMinute));
        // physical 2026-01-08T02:25Z with offset -4 h: the person's day is still the 7th
        Assert.Equal(new DateTime(2026, 1, 7), points[0].HeartRate!.SampleTime.CivilDate);
        Assert.Equal(TimeSpan.FromHours(-4), points[0].HeartRate!.SampleTime.UtcOffset);
    }

    [Fact]
    public void Sleep_is_dated_by_wake_day_and_stage_minutes_sum_to_the_session()
    {
        var (points, next) = Page(Captured("ansanloms-skills__sleep-list.trimmed.json"));
        Assert.Null(next); // "nextPageToken": "" means the last page
        var s = FitbitReaderAccess.ToSleepSession(points[0]);
        Assert.Equal(new DateTime(2026, 9, 26), s.Date);
        Assert.Equal(new DateTimeOffset(2026, 9, 26, 13, 9, 0, TimeSpan.FromHours(9)), s.Start);
        Assert.Equal(254, s.TimeInBedMinutes);
        Assert.Equal(248, s.MinutesAsleep);
        Assert.Equal(6, s.MinutesAwake);
        Assert.Equal((48L, 146L, 54L, 6L), (s.DeepMinutes, s.LightMinutes, s.RemMinutes, s.WakeMinutes));
        Assert.Equal(s.TimeInBedMinutes, s.DeepMinutes + s.LightMinutes + s.RemMinutes + s.WakeMinutes);
        Assert.True(s.IsMainSleep);
        Assert.Equal("Stages", s.Type);
        Assert.Equal(2, points[0].Sleep!.Stages!.Count);
    }

    [Fact]
    public void Steps_list_and_distance_list_parse_intervals_with_civil_times()
    {
        var (steps, _) = Page(Captured("ansanloms-skills__steps-list.trimmed.json"));
        Assert.Equal(new long[] { 2, 44 }, steps.Select(p => p.Steps!.Count));
        Assert.Equal(new DateTime(2026, 9, 25, 23, 58, 0), steps[0].Steps!.Interval.CivilStartTime.ToDateTime());
        var (distance, _) = Page(Captured("ansanloms-skills__distance-list.trimmed.json"));
        Assert.Equal(1500, distance[0].Distance!.Millimeters);
        Assert.Equal(0.002, Units.KmFromMillimeters(1500)); // 0.0015 km → 0.002 (3 dp, away from zero)
        Assert.Equal(0.001, Units.MilesFromMillimeters(1500));
    }

    [Fact]
    public void Empty_time_object_is_midnight()
    {
        var (points, _) = Page(Captured("ansanloms-skills__active-minutes-list.trimmed.json"));
        var record = GenericRecords.From(DataTypeCatalog.ActiveMinutes, points[0]);
        Assert.Equal(new DateTimeOffset(2026, 9, 26, 0, 0, 0, TimeSpan.FromHours(9)), record.End);
        Assert.Equal(new DateTime(2026, 9, 26), points[0].Other!["interval"]!["civilEndTime"]!.ToObject<CivilDateTime>()!.ToDateTime());
        Assert.Equal(new DateTime(2026, 9, 25), record.Date);
        Assert.Contains("activeMinutesByActivityLevel[0].activityLevel=LIGHT", record.Values);
        Assert.Equal(1, record.Value);
    }

    [Fact]
    public void Daily_roll_ups_parse_int64_and_double_sums()
    {
        var steps = Newtonsoft.Json.JsonConvert.DeserializeObject<RollUpDataPointsResponse>(Encoding.UTF8.GetString(Captured("ansanloms-skills__steps-dailyRollUp.trimmed.json")))!;
        Assert.Equal(new long[] { 9525, 6859 }, steps.RollupDataPoints.Select(p => p.Steps!.CountSum));
        Assert.Equal(new DateTime(2026, 9, 25), steps.RollupDataPoints[0].CivilStartTime.ToDateTime());
        var kcal = Newtonsoft.Json.JsonConvert.DeserializeObject<RollUpDataPointsResponse>(Encoding.UTF8.GetString(Captured("ansanloms-skills__total-calories-dailyRollUp.json")))!;
        Assert.Equal(7, kcal.RollupDataPoints.Count);
        Assert.Equal(3028.784634, kcal.RollupDataPoints[0].TotalCalories!.KcalSum);
        Assert.Equal(3028.8, Units.Kcal(kcal.RollupDataPoints[0].TotalCalories!.KcalSum));
        var azm = Newtonsoft.Json.JsonConvert.DeserializeObject<RollUpDataPointsResponse>(Encoding.UTF8.GetString(Captured("arysuri23-mcp-fitbit-air__rollup_active-zone-minutes__nested_date.json")))!;
        Assert.Equal((5L, 2L, 0L), (azm.RollupDataPoints[0].ActiveZoneMinutes!.SumInFatBurnHeartZone, azm.RollupDataPoints[0].ActiveZoneMinutes!.SumInCardioHeartZone, azm.RollupDataPoints[0].ActiveZoneMinutes!.SumInPeakHeartZone));
    }

    [Fact]
    public void Daily_measurements_filtered_by_date_parse()
    {
        var (rhr, _) = Page(Captured("arysuri23-mcp-fitbit-air__filter_daily-resting-heart-rate__date.json"));
        Assert.Equal(4, rhr.Count);
        Assert.Equal(60, rhr[0].DailyRestingHeartRate!.BeatsPerMinute);
        Assert.Equal("WITH_SLEEP", rhr[0].DailyRestingHeartRate!.DailyRestingHeartRateMetadata.CalculationMethod);
        Assert.Equal(new DateTime(2026, 1, 6), rhr[0].DailyRestingHeartRate!.Date.ToDateTime());
        var (hrv, _) = Page(Captured("arysuri23-mcp-fitbit-air__filter_daily-heart-rate-variability__date.json"));
        Assert.Equal(45.0, hrv[0].DailyHeartRateVariability!.AverageHeartRateVariabilityMilliseconds);
        Assert.Equal(59, hrv[0].DailyHeartRateVariability!.NonRemHeartRateBeatsPerMinute);
    }

    [Fact]
    public void A_double_that_arrives_as_the_string_NaN_becomes_an_empty_value()
    {
        // SOURCES.md: the live API sent "NaN" for a sleep-temperature double (the fixture itself was
        // not kept, so the shape is rebuilt from the discovery schema DailySleepTemperatureDerivations).
        var json = """{"dataPoints":[{"dataSource":{"platform":"FITBIT","recordingMethod":"DERIVED","device":{}},"dailySleepTemperatureDerivations":{"baselineTemperatureCelsius":34.0,"date":{"day":6,"month":1,"year":2026},"nightlyTemperatureCelsius":"NaN","relativeNightlyStddev30dCelsius":"Infinity"}}]}""";
        var (points, _) = Page(Encoding.UTF8.GetBytes(json));
        Assert.True(double.IsNaN(points[0].DailySleepTemperatureDerivations!.NightlyTemperatureCelsius!.Value));
        var record = FitbitReaderAccess.ToSkinTemperature(points[0]);
        Assert.Null(record.NightlyCelsius);
        Assert.Null(record.VariationCelsius);
        Assert.Null(record.Stddev30DayCelsius);
        Assert.Equal(34.0, record.BaselineCelsius);
    }

    [Fact]
    public void Reconcile_names_its_id_field_dataPointName()
    {
        // ReconciledDataPoint (discovery): no dataSource, id in "dataPointName".
        var json = """{"dataPoints":[{"dataPointName":"users/1173016576421350648/dataTypes/steps/dataPoints/123","steps":{"interval":{"startTime":"2026-09-25T14:58:00Z","startUtcOffset":"32400s","endTime":"2026-09-25T14:59:00Z","endUtcOffset":"32400s"},"count":"2"}}],"nextPageToken":"abc"}""";
        var (points, next) = Page(Encoding.UTF8.GetBytes(json));
        Assert.Equal("abc", next);
        Assert.Equal("users/1173016576421350648/dataTypes/steps/dataPoints/123", points[0].Name);
        Assert.Null(points[0].DataSource);
        Assert.Equal(2, points[0].Steps!.Count);
        Assert.Equal(new DateTime(2026, 9, 25), points[0].Steps!.Interval.CivilStartDate); // 23:58 local (+9)
    }

    [Fact]
    public void Settings_and_profile_parse()
    {
        var settings = Newtonsoft.Json.JsonConvert.DeserializeObject<Settings>(Encoding.UTF8.GetString(Captured("arysuri23-mcp-fitbit-air__settings.json")))!;
        Assert.Equal("America/New_York", settings.TimeZone);
        Assert.Equal(TimeSpan.FromHours(-4), settings.UtcOffset);
        var profile = Newtonsoft.Json.JsonConvert.DeserializeObject<Profile>(Encoding.UTF8.GetString(Captured("arysuri23-mcp-fitbit-air__profile.json")))!;
        Assert.Equal(30, profile.Age);
        Assert.Equal(new DateTime(2026, 1, 2), profile.MembershipStartDate.ToDateTime());
    }

    [Fact]
    public void Google_errors_map_to_typed_exceptions_with_the_reason()
    {
        var body = Captured("ansanloms-skills__error-400-invalid-filter.json");
        var error = GoogleErrors.ParseError(body);
        var asked = "GET /v4/users/me/dataTypes/sleep/dataPoints?filter=sleep.interval.civil_start_time >= \"2026-09-01\"&pageSize=25";
        var ex = GoogleErrors.MapError(400, error, body, DataTypeCatalog.Sleep, "sleep.interval.civil_start_time >= \"2026-09-01\"", "sleep list", asked);
        // A refused filter is FitbitPS's own mistake: the error says so and names the request.
        var refused = Assert.IsType<RequestRefusedException>(ex);
        Assert.Equal("INVALID_DATA_POINT_FILTER", refused.Reason);
        Assert.Equal("FitbitRequestRefused", refused.ErrorId);
        Assert.Contains(asked, refused.Message);
        Assert.Contains("bug in FitbitPS", refused.Message);
        Assert.Equal("sleep.interval.civil_start_time >= \"2026-09-01\"", refused.Filter);

        var scopeBody = Encoding.UTF8.GetBytes("""{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com"}]}}""");
        var scope = Assert.IsType<MissingScopeException>(GoogleErrors.MapError(403, GoogleErrors.ParseError(scopeBody), scopeBody, DataTypeCatalog.Weight, null, "weight list"));
        Assert.Equal("https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly", scope.ScopeUrl);
        Assert.Contains("Connect-Fitbit -Scope", scope.Message);
        Assert.Contains("health_metrics_and_measurements", scope.Message);

        Assert.Null(GoogleErrors.ParseError(Encoding.UTF8.GetBytes("<html><body>Error 502</body></html>")));
    }

    [Fact]
    public void Truncated_json_is_an_error_not_a_short_page()
    {
        var body = Captured("ansanloms-skills__weight-list.json");
        var cut = body.Take(body.Length / 2).ToArray();
        Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => Page(cut));
        Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => DataPointReader.ReadEnvelope(new MemoryStream(cut)));
    }

    [Theory]
    [InlineData("3.5s", 3.5)]
    [InlineData("-18000s", -18000)]
    [InlineData("32400s", 32400)]
    [InlineData("0.000000100s", 0.0000001)]
    public void Durations_parse(string text, double seconds)
        => Assert.Equal(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)), WireTime.ParseDuration(text));

    [Theory]
    [InlineData("2026-09-09T01:24:33.390135Z")]
    [InlineData("2026-09-09T01:24:33Z")]
    [InlineData("2026-02-28T23:59:59.1Z")]
    [InlineData("2026-09-09T01:24:33+09:00")]
    public void Timestamps_parse_like_the_framework(string text)
        => Assert.Equal(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), WireTime.ParseTimestamp(text));
}

/// <summary>Reaches the reader's internal mappers.</summary>
internal static class FitbitReaderAccess
{
    public static HeartRateSample ToHeartRateSample(DataPoint p) => HeartRecords.ToHeartRateSample(p);
    public static SleepSession ToSleepSession(DataPoint p) => SleepRecords.ToSleepSession(p);
    public static SkinTemperature ToSkinTemperature(DataPoint p) => DailyMetricRecords.ToSkinTemperature(p);
    public static List<HeartRateSample> ParseHeartRatePage(byte[] body) => FitbitReader.ParseHeartRatePage(body);
}
