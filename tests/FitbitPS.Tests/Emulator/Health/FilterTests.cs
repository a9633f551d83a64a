using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>The AIP-160 subset Google accepts, and its refusals word for word.</summary>
public sealed class FilterTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static JsonNode Captured(string file)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "captured", file)))!;
        return node["body"] is { } body && node["status"] != null ? body : node;
    }

    [Fact]
    public async Task Sleep_filtered_on_civil_start_time_is_refused_exactly_as_captured()
    {
        // The request behind ansanloms' capture: column 53 is where the second member starts.
        var (status, body, _) = await _h.ListAsync("sleep",
            "sleep.interval.civil_start_time >= \"2026-09-25\" AND sleep.interval.civil_start_time < \"2026-09-26\"");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonNode.DeepEquals(Captured("ansanloms-skills__error-400-invalid-filter.json"), JsonNode.Parse(body.GetRawText())), body.GetRawText());
    }

    [Fact]
    public async Task Daily_type_filtered_on_an_interval_member_is_refused_exactly_as_captured()
    {
        var (status, body, _) = await _h.ListAsync("daily-resting-heart-rate",
            "daily_resting_heart_rate.interval.civil_start_time >= \"2026-01-01\" AND daily_resting_heart_rate.interval.civil_start_time < \"2026-01-08\"");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonNode.DeepEquals(Captured("arysuri23-mcp-fitbit-air__list_daily-resting-heart-rate.json"), JsonNode.Parse(body.GetRawText())), body.GetRawText());
    }

    [Theory]
    [InlineData("steps", "steps.interval.start_time >= \"2026-11-18T00:00:00Z\" AND steps.interval.start_time < \"2026-11-19T00:00:00Z\"")]
    [InlineData("steps", "steps.interval.civil_start_time >= \"2026-11-18\" AND steps.interval.civil_start_time < \"2026-11-18T12:00:00\"")]
    [InlineData("distance", "distance.interval.start_time >= \"2026-11-18T12:34:56Z\"")]
    [InlineData("weight", "weight.sample_time.physical_time >= \"2026-10-01T00:00:00Z\" AND weight.sample_time.physical_time < \"2026-11-01T00:00:00+01:00\"")]
    [InlineData("weight", "weight.sample_time.civil_time >= \"2026-10-01\" AND weight.sample_time.civil_time < \"2026-11-01\"")]
    [InlineData("heart-rate", "heart_rate.sample_time.physical_time >= \"2026-11-18T10:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-11-18T10:05:00Z\"")]
    [InlineData("daily-heart-rate-variability", "daily_heart_rate_variability.date < \"2026-11-15\"")]
    [InlineData("exercise", "exercise.interval.civil_start_time >= \"2026-11-01\" AND exercise.interval.civil_start_time < \"2026-11-08\"")]
    [InlineData("sleep", "sleep.interval.end_time >= \"2026-11-10T00:00:00Z\" AND sleep.interval.end_time < \"2026-11-12T00:00:00Z\"")]
    [InlineData("sleep", "(sleep.interval.civil_end_time >= \"2026-11-10\" AND sleep.interval.civil_end_time < \"2026-11-11\") OR (sleep.interval.civil_end_time >= \"2026-11-14\" AND sleep.interval.civil_end_time < \"2026-11-15\")")]
    public async Task Documented_filters_are_accepted_and_select_data(string type, string filter)
    {
        var (points, _) = await _h.ListAllAsync(type, filter); // asserts 200 on every page
        Assert.NotEmpty(points);
    }

    [Fact]
    public async Task A_heart_rate_filter_on_civil_time_is_accepted_and_returns_nothing()
    {
        // HeartRateCivilFilterWorks = false (default): 200 {} for list and reconcile; physical_time selects points
        const string civil = "heart_rate.sample_time.civil_time >= \"2026-11-18T10:00:00\" AND heart_rate.sample_time.civil_time < \"2026-11-18T11:00:00\"";
        var (status, _, raw) = await _h.ListAsync("heart-rate", civil, pageSize: 1000);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{}", raw);
        Assert.Equal("{}", (await _h.ListAsync("heart-rate", civil, pageSize: 1000, reconcile: true)).Raw);
        Assert.Equal("{}", (await _h.ListAsync("heart-rate", "heart_rate.sample_time.civil_time >= \"2026-11-18\"")).Raw);
        // still validated like any filter
        Assert.Equal(HttpStatusCode.BadRequest, (await _h.ListAsync("heart-rate", "heart_rate.sample_time.civil_time >= \"2026-11-18T10:00:00Z\"")).Status);
        // other sample types filter on civil time as before
        Assert.NotEmpty((await _h.ListAllAsync("weight", "weight.sample_time.civil_time >= \"2026-11-01\"")).Points);
        Assert.NotEmpty(HealthApiHarness.Points((await _h.ListAsync("heart-rate", "heart_rate.sample_time.physical_time >= \"2026-11-18T15:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-11-18T16:00:00Z\"")).Body));

        await using var works = await HealthApiHarness.StartAsync(configure: o => o.HeartRateCivilFilterWorks = true);
        var (points, _) = await works.ListAllAsync("heart-rate", civil, pageSize: 1000);
        var truth = works.Person.HeartRateSamples(new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 18, 16, 0, 0, TimeSpan.Zero)).ToList();
        Assert.Equal(truth.Count, points.Count); // 10:00–11:00 EST
    }

    [Fact]
    public async Task Filters_select_exactly_the_half_open_range()
    {
        var (_, body, _) = await _h.ListAsync("heart-rate",
            "heart_rate.sample_time.physical_time >= \"2026-11-18T10:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-11-18T10:05:00Z\"");
        var times = body.GetProperty("dataPoints").EnumerateArray()
            .Select(p => DateTimeOffset.Parse(p.GetProperty("heartRate").GetProperty("sampleTime").GetProperty("physicalTime").GetString()!)).ToList();
        var truth = _h.Person.HeartRateSamples(new DateTimeOffset(2026, 11, 18, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 18, 10, 5, 0, TimeSpan.Zero)).ToList();
        Assert.Equal(truth.Select(s => s.At).Reverse(), times);
        Assert.Contains(times, t => t == new DateTimeOffset(2026, 11, 18, 10, 0, 0, TimeSpan.Zero));

        var (sleeps, _) = await _h.ListAllAsync("sleep", "sleep.interval.civil_end_time >= \"2026-11-10\" AND sleep.interval.civil_end_time < \"2026-11-11\"");
        var ids = sleeps.Select(p => p.GetProperty("name").GetString()!.Split('/')[^1]).ToList();
        Assert.Equal(_h.Person.SleepSessions(new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 10)).Select(s => s.Id.ToString()).Reverse(), ids);
    }

    private async Task<(JsonElement Error, List<JsonElement> Violations)> Refused(string type, string filter)
    {
        var (status, body, raw) = await _h.ListAsync(type, filter);
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        var error = HealthApiHarness.Error(body);
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        var violations = error.GetProperty("details").EnumerateArray()
            .Where(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest")
            .SelectMany(d => d.GetProperty("fieldViolations").EnumerateArray()).ToList();
        Assert.All(violations, v => Assert.Equal("filter", v.GetProperty("field").GetString()));
        return (error, violations);
    }

    [Theory]
    // hyphenated (path-style) type name in the filter
    [InlineData("daily-resting-heart-rate", "daily-resting-heart-rate.date >= \"2026-11-01\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION", 1)]
    // camelCase union member instead of the snake_case type
    [InlineData("daily-resting-heart-rate", "dailyRestingHeartRate.date >= \"2026-11-01\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION", 1)]
    // another type's member (evidence §1.3, §6.5)
    [InlineData("steps", "distance.interval.start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_COLLECTION_MISMATCH", 1)]
    [InlineData("daily-resting-heart-rate", "daily_heart_rate_variability.date >= \"2026-11-01\"", "INVALID_DATA_POINT_FILTER_COLLECTION_MISMATCH", 1)]
    // a bare member without a type prefix (evidence §1.3: live answer RESTRICTION_COMPARABLE)
    [InlineData("steps", "start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE", 1)]
    [InlineData("steps", "startTime >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE", 1)]
    // a prefix that is no data type (unknown word)
    [InlineData("steps", "step.interval.start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION", 1)]
    // respiratory-rate-sleep-summary has no filterable members (index id 56427746347)
    [InlineData("respiratory-rate-sleep-summary", "respiratory_rate_sleep_summary.sample_time.physical_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", 1)]
    [InlineData("respiratory-rate-sleep-summary", "respiratory_rate_sleep_summary.sample_time.civil_time >= \"2026-11-01\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", 1)]
    [InlineData("exercise", "exercise.interval.start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", 1)]
    [InlineData("weight", "weight.interval.start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", 1)]
    [InlineData("steps", "steps.interval.start_time <= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARATOR", 27)]
    [InlineData("steps", "steps.interval.start_time > \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARATOR", 27)]
    [InlineData("steps", "steps.interval.start_time >= \"2026-11-01\"", "INVALID_DATA_POINT_FILTER_TIMESTAMP_FORMAT", 30)]
    [InlineData("steps", "steps.interval.civil_start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT", 36)]
    [InlineData("daily-resting-heart-rate", "daily_resting_heart_rate.date >= \"2026-08-24T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT", 34)]
    [InlineData("steps", "steps.interval.start_time >= 2026", "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE", 30)]
    // OR and NOT (evidence §1.3: Google's name is EXPRESSION_STRUCTURE)
    [InlineData("steps", "steps.interval.start_time >= \"2026-11-01T00:00:00Z\" OR steps.interval.start_time < \"2026-10-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE", 53)]
    [InlineData("steps", "NOT steps.interval.start_time >= \"2026-11-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE", 1)]
    // physical and civil bounds in one filter (evidence §1.3, §6.5)
    [InlineData("steps", "steps.interval.start_time >= \"2026-09-30T00:00:00Z\" AND steps.interval.civil_start_time < \"2026-10-01\"", "INVALID_DATA_POINT_FILTER_MIXED_TIME_RESTRICTIONS", 57)]
    [InlineData("weight", "weight.sample_time.civil_time >= \"2026-09-30\" AND weight.sample_time.physical_time < \"2026-10-01T00:00:00Z\"", "INVALID_DATA_POINT_FILTER_MIXED_TIME_RESTRICTIONS", 51)]
    [InlineData("sleep", "sleep.interval.end_time >= \"2026-09-30T00:00:00Z\" AND sleep.interval.civil_end_time < \"2026-10-01\"", "INVALID_DATA_POINT_FILTER_MIXED_TIME_RESTRICTIONS", 55)]
    // an upper bound not above the lower bound on the same member (evidence §1.3, §6.5)
    [InlineData("steps", "steps.interval.start_time >= \"2026-10-01T00:00:00Z\" AND steps.interval.start_time < \"2026-10-01T00:00:00Z\"", "INVALID_TIME_RANGE", 57)]
    [InlineData("daily-resting-heart-rate", "daily_resting_heart_rate.date >= \"2026-09-30\" AND daily_resting_heart_rate.date < \"2026-09-29\"", "INVALID_TIME_RANGE", 51)]
    [InlineData("steps", "steps.interval.civil_start_time < \"2026-10-01\" AND steps.interval.civil_start_time >= \"2026-10-02\"", "INVALID_TIME_RANGE", 1)]
    public async Task Unsupported_restrictions_are_refused_with_googles_reason(string type, string filter, string detailedReason, int column)
    {
        var (error, violations) = await Refused(type, filter);
        Assert.Equal($"Invalid data point filter: {detailedReason}.", error.GetProperty("message").GetString());
        var info = error.GetProperty("details")[0];
        Assert.Equal("INVALID_DATA_POINT_FILTER", info.GetProperty("reason").GetString());
        Assert.Equal("health.googleapis.com", info.GetProperty("domain").GetString());
        Assert.Equal(detailedReason, info.GetProperty("metadata").GetProperty("detailedReasons").GetString());
        var violation = Assert.Single(violations);
        Assert.EndsWith($"(at line 1, column {column})", violation.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Mixed_and_reversed_bounds_are_refused_with_the_guides_descriptions()
    {
        var (mixed, mixedViolations) = await Refused("steps", "steps.interval.start_time >= \"2026-09-30T00:00:00Z\" AND steps.interval.civil_start_time < \"2026-10-01\"");
        Assert.Equal("Filter cannot contain both physical and civil time ranges (at line 1, column 57)", Assert.Single(mixedViolations).GetProperty("description").GetString());
        var (reversed, rangeViolations) = await Refused("steps", "steps.interval.start_time >= \"2026-10-02T00:00:00Z\" AND steps.interval.start_time < \"2026-10-01T00:00:00Z\"");
        Assert.Equal("Query end time must be strictly larger than start time (at line 1, column 57)", Assert.Single(rangeViolations).GetProperty("description").GetString());
        Assert.Equal("INVALID_TIME_RANGE", reversed.GetProperty("details")[0].GetProperty("metadata").GetProperty("detailedReasons").GetString());
        // each alternative of a sleep OR is its own range; different members are not compared
        Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync("sleep", "(sleep.interval.end_time >= \"2026-11-14T00:00:00Z\" AND sleep.interval.end_time < \"2026-11-15T00:00:00Z\") OR (sleep.interval.end_time >= \"2026-11-10T00:00:00Z\" AND sleep.interval.end_time < \"2026-11-11T00:00:00Z\")")).Status);
    }

    [Fact]
    public async Task Every_offending_restriction_gets_its_own_violation()
    {
        var (error, violations) = await Refused("sleep",
            "sleep.interval.start_time >= \"2026-11-01T00:00:00Z\" AND sleep.interval.civil_end_time <= \"2026-11-02\"");
        Assert.Equal("Invalid data point filter: INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER, INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARATOR.",
            error.GetProperty("message").GetString());
        Assert.Equal(2, violations.Count);
        Assert.Equal("Member 'sleep.interval.start_time' is not supported for filtering. (at line 1, column 1)", violations[0].GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("steps.interval.start_time >= \"2026-11-01T00:00:00Z", 30)]
    [InlineData("steps.interval.start_time >=", 29)]
    [InlineData("steps.interval.start_time >= \"2026-11-01T00:00:00Z\" AND", 56)]
    [InlineData("(steps.interval.start_time >= \"2026-11-01T00:00:00Z\"", 53)]
    [InlineData("steps.interval.start_time >= \"2026-11-01T00:00:00Z\" steps.interval.start_time < \"2026-11-02T00:00:00Z\"", 53)]
    public async Task Syntax_errors_are_refused_with_the_syntax_reason_and_position(string filter, int column)
    {
        var (error, violations) = await Refused("steps", filter);
        Assert.Equal("INVALID_DATA_POINT_FILTER_SYNTAX", HealthApiHarness.Reason(JsonDocument.Parse($"{{\"error\":{error.GetRawText()}}}").RootElement));
        Assert.EndsWith($"(at line 1, column {column})", Assert.Single(violations).GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("steps", "steps.interval.start_time < \"0001-01-02T00:00:00Z\"")]
    [InlineData("weight", "weight.sample_time.civil_time < \"0001-03-25\"")]
    [InlineData("daily-resting-heart-rate", "daily_resting_heart_rate.date >= \"9999-12-30\"")]
    [InlineData("sleep", "sleep.interval.end_time >= \"2100-01-01T00:00:00Z\"")]
    public async Task Ranges_outside_the_history_are_simply_empty(string type, string filter)
    {
        var (status, _, raw) = await _h.ListAsync(type, filter);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{}", raw); // proto3 omits the empty list (evidence §1.2)
    }

    [Theory]
    [InlineData("AND")]
    [InlineData("steps")]
    [InlineData("steps.interval.start_time")]
    [InlineData(">= \"2026-11-01T00:00:00Z\"")]
    [InlineData("\"")]
    [InlineData("((((")]
    [InlineData(")")]
    [InlineData("steps.interval.start_time >= \"2026-13-45T99:99:99Z\"")]
    [InlineData("steps.interval.civil_start_time >= \"2026-02-30\"")]
    [InlineData("steps.interval.start_time = \"2026-11-01T00:00:00Z\"")]
    [InlineData("steps.interval.start_time : \"2026-11-01T00:00:00Z\"")]
    [InlineData("steps.interval.start_time >= \"2026-11-01T00:00:00Z\" AND AND")]
    [InlineData("NOT steps.interval.start_time >= \"2026-11-01T00:00:00Z\"")]
    [InlineData("steps.interval.start_time >= \"2026-11-01T00:00:00Z\" ; DROP TABLE")]
    [InlineData("schritte.intervall.start >= \"2026-11-01T00:00:00Z\"")]
    [InlineData("steps.interval.start_time >= \"２０２６-11-01T00:00:00Z\"")]
    public async Task Malformed_filters_are_400_never_a_server_error(string filter)
    {
        var (status, body, raw) = await _h.ListAsync("steps", filter);
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        Assert.StartsWith("INVALID_DATA_POINT_FILTER", HealthApiHarness.Reason(body));
        Assert.StartsWith("Invalid data point filter: ", HealthApiHarness.Error(body).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Ecg_accepts_only_start_time_greater_or_equal()
    {
        var ok = await _h.ListAsync("electrocardiogram", "electrocardiogram.interval.start_time >= \"2024-08-14T12:34:56Z\"", token: _h.TokenFor(HealthApiEmulator.Hosting.Scopes.HealthMetrics, HealthApiEmulator.Hosting.Scopes.Ecg));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var (error, violations) = await Refused("electrocardiogram", "electrocardiogram.interval.start_time < \"2024-08-14T12:34:56Z\"");
        Assert.Equal("Invalid data point filter: INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARATOR.", error.GetProperty("message").GetString());
        Assert.Single(violations);
    }
}
