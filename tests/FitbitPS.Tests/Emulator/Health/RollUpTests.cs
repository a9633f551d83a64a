using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>rollUp / dailyRollUp: range limits, windows, body validation, and no phone + watch double counting.</summary>
public sealed class RollUpTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;
    private static readonly DateOnly Day = new(2026, 11, 18);

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("heart-rate", 14)]
    [InlineData("total-calories", 14)]
    [InlineData("active-minutes", 14)]
    [InlineData("calories-in-heart-rate-zone", 14)]
    [InlineData("steps", 90)]
    [InlineData("distance", 90)]
    [InlineData("weight", 90)]
    [InlineData("active-zone-minutes", 90)]
    public async Task Range_limits_are_14_or_90_days(string type, int days)
    {
        var end = new DateOnly(2026, 11, 20);
        var ok = await _h.DailyRollUpAsync(type, end.AddDays(-days), end);
        Assert.True(ok.Status == HttpStatusCode.OK, ok.Raw);
        AssertQueryDuration(await _h.DailyRollUpAsync(type, end.AddDays(-days - 1), end), days);

        var endTime = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await _h.RollUpAsync(type, endTime.AddDays(-days), endTime, "86400s")).Status);
        AssertQueryDuration(await _h.RollUpAsync(type, endTime.AddDays(-days - 1), endTime, "86400s"), days);
    }

    /// <summary>Evidence §1.1 "Range cap error": 400 INVALID_ARGUMENT, reason INVALID_ROLLUP_QUERY_DURATION,
    /// metadata.maxDurationDays as a string.</summary>
    private static void AssertQueryDuration((HttpStatusCode Status, JsonElement Body, string Raw) response, int maxDays)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.Raw);
        Assert.Equal("INVALID_ARGUMENT", HealthApiHarness.Error(response.Body).GetProperty("status").GetString());
        var info = HealthApiHarness.ErrorInfo(response.Body);
        Assert.Equal("INVALID_ROLLUP_QUERY_DURATION", info.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, info.GetProperty("metadata").GetProperty("maxDurationDays").ValueKind);
        Assert.Equal(maxDays.ToString(), info.GetProperty("metadata").GetProperty("maxDurationDays").GetString());
    }

    [Fact]
    public async Task RollUp_page_size_is_a_bound_above_cap_over_window_even_for_one_day()
    {
        // heart-rate: 14 days; hourly windows → at most 336 (evidence §0.1)
        var start = new DateTimeOffset(2026, 11, 18, 0, 0, 0, TimeSpan.Zero);
        AssertQueryDuration(await _h.RollUpAsync("heart-rate", start, start.AddDays(1), "3600s", pageSize: 10000), 14);
        AssertQueryDuration(await _h.RollUpAsync("heart-rate", start, start.AddDays(1), "3600s", pageSize: 337), 14);
        var ok = await _h.RollUpAsync("heart-rate", start, start.AddDays(1), "3600s", pageSize: 336);
        Assert.True(ok.Status == HttpStatusCode.OK, ok.Raw);
        Assert.InRange(ok.Body.GetProperty("rollupDataPoints").GetArrayLength(), 20, 24); // the hour the watch charges may be empty
        // steps: 90 days; 15-minute windows → at most 8,640; one-minute windows pass 10,000
        AssertQueryDuration(await _h.RollUpAsync("steps", start, start.AddDays(1), "900s", pageSize: 8641), 90);
        Assert.Equal(HttpStatusCode.OK, (await _h.RollUpAsync("steps", start, start.AddDays(1), "900s", pageSize: 8640)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _h.RollUpAsync("steps", start, start.AddDays(1), "60s", pageSize: 10000)).Status);
    }

    [Fact]
    public async Task RollUp_never_pages_and_refuses_a_page_token()
    {
        // haelan: rollUp over 90 days with pageSize 5 returned all 86 windows and no token.
        var start = new DateTimeOffset(2026, 11, 17, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddDays(2);
        var (status, body, raw) = await _h.RollUpAsync("steps", start, end, "60s", pageSize: 5);
        Assert.True(status == HttpStatusCode.OK, raw);
        Assert.False(body.TryGetProperty("nextPageToken", out _));
        var windows = body.GetProperty("rollupDataPoints").EnumerateArray().ToList();
        Assert.True(windows.Count > 300, $"{windows.Count} windows"); // minutes with steps, far more than pageSize
        var starts = windows.Select(w => DateTimeOffset.Parse(w.GetProperty("startTime").GetString()!)).ToList();
        Assert.Equal(starts.OrderByDescending(t => t), starts);
        Assert.Equal(starts.Count, starts.Distinct().Count());
        var total = windows.Sum(w => long.Parse(w.GetProperty("steps").GetProperty("countSum").GetString()!));
        var (_, whole, _) = await _h.RollUpAsync("steps", start, end, "172800s");
        Assert.Equal(whole.GetProperty("rollupDataPoints")[0].GetProperty("steps").GetProperty("countSum").GetString(), total.ToString());

        var token = await _h.RollUpAsync("steps", start, end, "3600s", pageToken: "CAEQAA");
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Equal("pageToken", HealthApiHarness.Error(token.Body).GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("field").GetString());
        var daily = await _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp", HealthApiHarness.DailyBody(Day, Day.AddDays(1), pageToken: "CAEQAA"));
        Assert.Equal(HttpStatusCode.BadRequest, daily.Status);
    }

    [Fact]
    public async Task DailyRollUp_page_size_has_a_ceiling_and_a_floor()
    {
        var start = new DateOnly(2026, 11, 6);
        // ceiling: 90 days / 1-day windows → 90; 100 on a 7-day range is refused (index id 69553316706)
        AssertQueryDuration(await _h.DailyRollUpAsync("steps", start, start.AddDays(7), pageSize: 100), 90);
        AssertQueryDuration(await _h.DailyRollUpAsync("steps", start, start.AddDays(7), pageSize: 10000), 90);
        AssertQueryDuration(await _h.DailyRollUpAsync("heart-rate", start, start.AddDays(7), pageSize: 15), 14);
        AssertQueryDuration(await _h.DailyRollUpAsync("steps", start, start.AddDays(14), windowSizeDays: 7, pageSize: 13), 90);
        // floor: haelan's exact message, kkdev92's reason
        var (status, body, raw) = await _h.DailyRollUpAsync("steps", start, start.AddDays(14), pageSize: 5);
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        var error = HealthApiHarness.Error(body);
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        Assert.Equal("page_size (5) is too small. Must be at least 14 to cover the requested range with a window_size_days of 1.", error.GetProperty("message").GetString());
        Assert.Equal("INVALID_DATA_POINT_NAME", HealthApiHarness.Reason(body));
        var weekly = await _h.DailyRollUpAsync("steps", start, start.AddDays(14), windowSizeDays: 7, pageSize: 1);
        Assert.Equal("page_size (1) is too small. Must be at least 2 to cover the requested range with a window_size_days of 7.", HealthApiHarness.Error(weekly.Body).GetProperty("message").GetString());
        // between the two it works, in one response without a token; 14 worked live (index id 66854496898)
        foreach (var size in new[] { 14, 90 })
        {
            var ok = await _h.DailyRollUpAsync("steps", start, start.AddDays(14), pageSize: size);
            Assert.True(ok.Status == HttpStatusCode.OK, ok.Raw);
            Assert.Equal(14, ok.Body.GetProperty("rollupDataPoints").GetArrayLength());
            Assert.False(ok.Body.TryGetProperty("nextPageToken", out _));
        }
        Assert.Equal(HttpStatusCode.OK, (await _h.DailyRollUpAsync("heart-rate", start, start.AddDays(7), pageSize: 14)).Status);
    }

    [Fact]
    public async Task A_bare_date_range_is_refused_exactly_as_captured()
    {
        const string body = "{\"range\":{\"start\":{\"year\":2025,\"month\":12,\"day\":31},\"end\":{\"year\":2026,\"month\":1,\"day\":7}},\"windowSizeDays\":1}";
        var (status, response, _) = await _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var captured = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "captured", "arysuri23-mcp-fitbit-air__rollup_steps_civil.json")))!;
        Assert.True(JsonNode.DeepEquals(captured["body"]!["response"], JsonNode.Parse(response.GetRawText())), response.GetRawText());
    }

    [Theory]
    [InlineData("dataPoints:rollUp", "{\"windowSize\":\"3600s\"}", "range")]
    [InlineData("dataPoints:rollUp", "{\"range\":{\"startTime\":\"2026-11-18T00:00:00Z\",\"endTime\":\"2026-11-19T00:00:00Z\"}}", "windowSize")]
    [InlineData("dataPoints:rollUp", "{\"range\":{\"startTime\":\"2026-11-18T00:00:00Z\",\"endTime\":\"2026-11-19T00:00:00Z\"},\"windowSize\":\"1h\"}", "windowSize")]
    [InlineData("dataPoints:rollUp", "{\"range\":{\"startTime\":\"2026-11-18T00:00:00Z\",\"endTime\":\"2026-11-19T00:00:00Z\"},\"windowSize\":\"0.5s\"}", "windowSize")]
    [InlineData("dataPoints:rollUp", "{\"range\":{\"startTime\":\"2026-11-18\",\"endTime\":\"2026-11-19T00:00:00Z\"},\"windowSize\":\"60s\"}", "range.startTime")]
    [InlineData("dataPoints:rollUp", "{\"range\":{\"startTime\":\"2026-11-19T00:00:00Z\",\"endTime\":\"2026-11-18T00:00:00Z\"},\"windowSize\":\"60s\"}", "range")]
    [InlineData("dataPoints:rollUp", "{\"range\":{\"start\":\"2026-11-18T00:00:00Z\"},\"windowSize\":\"60s\"}", "range")]
    [InlineData("dataPoints:dailyRollUp", "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":11,\"day\":18}}}}", "range.end")]
    [InlineData("dataPoints:dailyRollUp", "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":2,\"day\":30}},\"end\":{\"date\":{\"year\":2026,\"month\":3,\"day\":2}}}}", "range.start.date")]
    [InlineData("dataPoints:dailyRollUp", "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":11,\"day\":18}},\"end\":{\"date\":{\"year\":2026,\"month\":11,\"day\":19}}},\"dataSourceFamily\":\"users/me/dataSourceFamilies/phones\"}", "dataSourceFamily")]
    [InlineData("dataPoints:dailyRollUp", "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":11,\"day\":18}},\"end\":{\"date\":{\"year\":2026,\"month\":11,\"day\":19}}},\"windowSize\":\"86400s\"}", "")]
    public async Task Bad_roll_up_bodies_are_refused_naming_the_field(string action, string body, string field)
    {
        var (status, response, raw) = await _h.PostAsync($"v4/users/me/dataTypes/steps/{action}", body);
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        var error = HealthApiHarness.Error(response);
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        var violation = error.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString()!.EndsWith("BadRequest"))
            .GetProperty("fieldViolations")[0];
        Assert.Equal(field, violation.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unknown_data_source_family_is_refused_on_list_too()
    {
        var (status, body, _) = await _h.ListAsync("steps", pageSize: 1, extra: "dataSourceFamily=users/me/dataSourceFamilies/phones");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_DATA_POINT_DATA_SOURCE_FAMILY", HealthApiHarness.Reason(body));
        var (ok, wearables, _) = await _h.ListAsync("steps", pageSize: 500, extra: "data_source_family=users/me/dataSourceFamilies/google-wearables");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.All(HealthApiHarness.Points(wearables), p => Assert.Equal("WATCH", p.GetProperty("dataSource").GetProperty("device").GetProperty("formFactor").GetString()));
    }

    [Fact]
    public async Task A_data_source_family_on_sleep_list_is_refused_and_reconcile_takes_it()
    {
        // evidence §1.8: "For sleep, use ReconcileDataPoints instead"
        foreach (var family in new[] { "users/me/dataSourceFamilies/all-sources", "users/me/dataSourceFamilies/google-wearables" })
        {
            var (status, body, raw) = await _h.ListAsync("sleep", pageSize: 5, extra: "dataSourceFamily=" + family);
            Assert.True(status == HttpStatusCode.BadRequest, raw);
            var error = HealthApiHarness.Error(body);
            Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
            Assert.EndsWith("For sleep, use ReconcileDataPoints instead.", error.GetProperty("message").GetString());
            Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync("sleep", pageSize: 5, reconcile: true, extra: "dataSourceFamily=" + family)).Status);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await _h.ListAsync("sleep", pageSize: 5, extra: "data_source_family=users/me/dataSourceFamilies/all-sources")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync("sleep", pageSize: 5)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync("exercise", pageSize: 5, extra: "dataSourceFamily=users/me/dataSourceFamilies/all-sources")).Status);
    }

    [Fact]
    public async Task Snake_case_body_names_are_accepted_and_leading_zeros_are_invalid_json()
    {
        var ok = await _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp",
            "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":11,\"day\":10}},\"end\":{\"date\":{\"year\":2026,\"month\":11,\"day\":12}}},\"window_size_days\":1}");
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(2, ok.Body.GetProperty("rollupDataPoints").GetArrayLength());
        var octal = await _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp",
            "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":09,\"day\":10}},\"end\":{\"date\":{\"year\":2026,\"month\":11,\"day\":12}}}}");
        Assert.Equal(HttpStatusCode.BadRequest, octal.Status);
        Assert.StartsWith("Invalid JSON payload received.", HealthApiHarness.Error(octal.Body).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Daily_windows_are_civil_days_newest_first_and_the_start_must_be_aligned()
    {
        var (_, body, _) = await _h.DailyRollUpAsync("steps", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), windowSizeDays: 7);
        var windows = body.GetProperty("rollupDataPoints").EnumerateArray().ToList();
        Assert.Equal(2, windows.Count);
        Assert.Equal(8, windows[0].GetProperty("civilStartTime").GetProperty("date").GetProperty("day").GetInt32());
        Assert.Equal(15, windows[0].GetProperty("civilEndTime").GetProperty("date").GetProperty("day").GetInt32());
        Assert.Equal("{}", windows[0].GetProperty("civilStartTime").GetProperty("time").GetRawText());
        var week = Enumerable.Range(8, 7).Sum(d => _h.Person.Day(new DateOnly(2026, 11, d)).Steps);
        Assert.Equal(week.ToString(), windows[0].GetProperty("steps").GetProperty("countSum").GetString());

        var unaligned = await _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp",
            "{\"range\":{\"start\":{\"date\":{\"year\":2026,\"month\":11,\"day\":10},\"time\":{\"hours\":6}},\"end\":{\"date\":{\"year\":2026,\"month\":11,\"day\":12}}}}");
        Assert.Equal(HttpStatusCode.BadRequest, unaligned.Status);
    }

    [Fact]
    public async Task Physical_windows_start_at_the_range_start_and_the_last_one_is_cut_at_the_range_end()
    {
        var start = new DateTimeOffset(2026, 11, 18, 14, 7, 0, TimeSpan.Zero);
        var end = start.AddMinutes(150);
        var (status, body, raw) = await _h.RollUpAsync("heart-rate", start, end, "3600s");
        Assert.True(status == HttpStatusCode.OK, raw);
        var windows = body.GetProperty("rollupDataPoints").EnumerateArray().ToList();
        Assert.Equal(new[] { "2026-11-18T16:07:00Z", "2026-11-18T15:07:00Z", "2026-11-18T14:07:00Z" }, windows.Select(w => w.GetProperty("startTime").GetString()));
        Assert.Equal("2026-11-18T16:37:00Z", windows[0].GetProperty("endTime").GetString());
        var samples = _h.Person.HeartRateSamples(start, start.AddHours(1)).ToList();
        var hr = windows[^1].GetProperty("heartRate");
        Assert.Equal(samples.Max(s => s.BeatsPerMinute), hr.GetProperty("beatsPerMinuteMax").GetDouble());
        Assert.Equal(samples.Min(s => s.BeatsPerMinute), hr.GetProperty("beatsPerMinuteMin").GetDouble());
        Assert.Equal(samples.Average(s => s.BeatsPerMinute), hr.GetProperty("beatsPerMinuteAvg").GetDouble(), 4);
    }

    [Fact]
    public async Task List_double_counts_phone_and_watch_but_dailyRollUp_and_reconcile_do_not()
    {
        var truth = _h.Person.Day(Day);
        Assert.True(truth.RawStepsAllSources > truth.Steps * 1.1, "the phone was carried during walks");

        var filter = $"steps.interval.civil_start_time >= \"{Day:yyyy-MM-dd}\" AND steps.interval.civil_start_time < \"{Day.AddDays(1):yyyy-MM-dd}\"";
        var (listed, _) = await _h.ListAllAsync("steps", filter, pageSize: 10000);
        long Sum(IEnumerable<JsonElement> points) => points.Sum(p => long.Parse(p.GetProperty("steps").GetProperty("count").GetString()!));
        Assert.Equal(truth.RawStepsAllSources, Sum(listed));
        Assert.Contains(listed, p => p.GetProperty("dataSource").GetProperty("device").GetProperty("formFactor").GetString() == "PHONE");
        Assert.Contains(listed, p => p.GetProperty("dataSource").GetProperty("device").GetProperty("formFactor").GetString() == "WATCH");

        var (reconciled, _) = await _h.ListAllAsync("steps", filter, pageSize: 10000, reconcile: true);
        Assert.Equal(truth.Steps, Sum(reconciled));
        Assert.All(reconciled, p => Assert.False(p.TryGetProperty("dataSource", out _)));

        var (_, rollup, _) = await _h.DailyRollUpAsync("steps", Day, Day.AddDays(1));
        Assert.Equal(truth.Steps.ToString(), rollup.GetProperty("rollupDataPoints")[0].GetProperty("steps").GetProperty("countSum").GetString());

        var (_, distance, _) = await _h.DailyRollUpAsync("distance", Day, Day.AddDays(1));
        Assert.Equal(truth.DistanceMillimeters.ToString(), distance.GetProperty("rollupDataPoints")[0].GetProperty("distance").GetProperty("millimetersSum").GetString());

        // google-wearables: the watch alone (phone minutes while it charged are gone)
        var (_, wearables, _) = await _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp",
            HealthApiHarness.DailyBody(Day, Day.AddDays(1), family: "users/me/dataSourceFamilies/google-wearables"));
        Assert.True(long.Parse(wearables.GetProperty("rollupDataPoints")[0].GetProperty("steps").GetProperty("countSum").GetString()!) < truth.Steps);
    }

    [Fact]
    public async Task Daily_roll_ups_match_the_ground_truth_for_calories_zones_and_active_minutes()
    {
        var truth = _h.Person.Day(Day);
        JsonElement Window(string type) => _h.DailyRollUpAsync(type, Day, Day.AddDays(1)).Result.Body.GetProperty("rollupDataPoints")[0];

        Assert.Equal(truth.TotalKcal, Window("total-calories").GetProperty("totalCalories").GetProperty("kcalSum").GetDouble(), 3);
        var azm = Window("active-zone-minutes").GetProperty("activeZoneMinutes");
        Assert.Equal(truth.AzmFatBurn.ToString(), azm.GetProperty("sumInFatBurnHeartZone").GetString());
        Assert.Equal(truth.AzmCardio.ToString(), azm.GetProperty("sumInCardioHeartZone").GetString());
        Assert.Equal(truth.AzmPeak.ToString(), azm.GetProperty("sumInPeakHeartZone").GetString());
        var levels = Window("active-minutes").GetProperty("activeMinutes").GetProperty("activeMinutesRollupByActivityLevel").EnumerateArray()
            .ToDictionary(l => l.GetProperty("activityLevel").GetString()!, l => long.Parse(l.GetProperty("activeMinutesSum").GetString()!));
        Assert.Equal(truth.ActiveMinutesLight, levels.GetValueOrDefault("LIGHT"));
        Assert.Equal(truth.ActiveMinutesModerate, levels.GetValueOrDefault("MODERATE"));
        Assert.Equal(truth.ActiveMinutesVigorous, levels.GetValueOrDefault("VIGOROUS"));
        Assert.Equal($"{truth.SedentaryMinutes * 60}s", Window("sedentary-period").GetProperty("sedentaryPeriod").GetProperty("durationSum").GetString());
        Assert.Equal(truth.Floors.ToString(), Window("floors").GetProperty("floors").GetProperty("countSum").GetString());
    }

    [Fact]
    public async Task Days_without_data_are_not_emitted()
    {
        // membership starts 2021-06-01: the days before have no window
        var (_, body, _) = await _h.DailyRollUpAsync("steps", new DateOnly(2021, 5, 25), new DateOnly(2021, 6, 4));
        var days = body.GetProperty("rollupDataPoints").EnumerateArray().Select(w => w.GetProperty("civilStartTime").GetProperty("date").GetProperty("day").GetInt32()).ToList();
        Assert.Equal(new[] { 3, 2, 1 }, days);
        // and nothing after "now"
        var (_, future, _) = await _h.DailyRollUpAsync("steps", new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 25));
        Assert.Equal(2, future.GetProperty("rollupDataPoints").GetArrayLength());
    }

    [Fact]
    public async Task Ranges_at_the_ends_of_the_calendar_are_simply_empty()
    {
        foreach (var (start, end) in new[] { (new DateOnly(1, 1, 1), new DateOnly(1, 3, 1)), (new DateOnly(9999, 10, 2), new DateOnly(9999, 12, 31)) })
        {
            var daily = await _h.DailyRollUpAsync("steps", start, end);
            Assert.True(daily.Status == HttpStatusCode.OK, daily.Raw);
            Assert.Empty(daily.Body.GetProperty("rollupDataPoints").EnumerateArray());
            var physical = await _h.RollUpAsync("steps", new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "3600s");
            Assert.True(physical.Status == HttpStatusCode.OK, physical.Raw);
            Assert.Empty(physical.Body.GetProperty("rollupDataPoints").EnumerateArray());
        }
    }

    [Theory]
    // evidence §0.2, §1.4: floors has no list
    [InlineData("floors", "list", "List is not supported for data type floors, but the following actions are supported: reconcile, rollup, dailyRollup")]
    // evidence §0.3, §1.4: the daily heart types refuse both roll-ups
    [InlineData("daily-heart-rate-variability", "dailyRollUp", "DailyRollup is not supported for data type daily-heart-rate-variability, but the following actions are supported: list, reconcile")]
    [InlineData("daily-resting-heart-rate", "dailyRollUp", "DailyRollup is not supported for data type daily-resting-heart-rate, but the following actions are supported: list, reconcile")]
    [InlineData("daily-resting-heart-rate", "rollUp", "Rollup is not supported for data type daily-resting-heart-rate, but the following actions are supported: list, reconcile")]
    [InlineData("sleep", "dailyRollUp", "DailyRollup is not supported for data type sleep, but the following actions are supported: list, get, reconcile, create, update, batchDelete")]
    [InlineData("daily-oxygen-saturation", "rollUp", "Rollup is not supported for data type daily-oxygen-saturation, but the following actions are supported: list, reconcile")]
    [InlineData("total-calories", "list", "List is not supported for data type total-calories, but the following actions are supported: rollup, dailyRollup")]
    [InlineData("total-calories", "reconcile", "Reconcile is not supported for data type total-calories, but the following actions are supported: rollup, dailyRollup")]
    [InlineData("steps", "get", "Get is not supported for data type steps, but the following actions are supported: list, reconcile, rollup, dailyRollup")]
    public async Task Unsupported_methods_are_refused_in_the_live_form(string type, string method, string message)
    {
        var (status, body, _) = method switch
        {
            "list" => await _h.ListAsync(type),
            "reconcile" => await _h.ListAsync(type, reconcile: true),
            "get" => await _h.GetAsync($"v4/users/me/dataTypes/{type}/dataPoints/1234567890123456789"),
            "rollUp" => await _h.RollUpAsync(type, new DateTimeOffset(2026, 11, 18, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.Zero), "3600s"),
            _ => await _h.DailyRollUpAsync(type, Day, Day.AddDays(1)),
        };
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = HealthApiHarness.Error(body);
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        var info = HealthApiHarness.ErrorInfo(body);
        Assert.Equal("UNSUPPORTED_DATA_TYPE_ACTION", info.GetProperty("reason").GetString());
        Assert.Equal(message[(message.IndexOf("supported: ", StringComparison.Ordinal) + "supported: ".Length)..],
            info.GetProperty("metadata").GetProperty("allowed_actions").GetString());
    }

    [Fact]
    public async Task Floors_reconciles_and_rolls_up_and_the_daily_heart_types_list_and_reconcile()
    {
        Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync("floors", reconcile: true, pageSize: 10)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _h.DailyRollUpAsync("floors", Day, Day.AddDays(1))).Status);
        foreach (var type in new[] { "daily-resting-heart-rate", "daily-heart-rate-variability" })
        {
            Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync(type, pageSize: 10)).Status);
            Assert.Equal(HttpStatusCode.OK, (await _h.ListAsync(type, pageSize: 10, reconcile: true)).Status);
        }
    }

    [Fact]
    public async Task Unknown_types_and_numeric_user_ids_are_invalid_arguments()
    {
        var unknown = await _h.ListAsync("step-count");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("Request contains an invalid argument.", HealthApiHarness.Error(unknown.Body).GetProperty("message").GetString());

        foreach (var path in new[] { "dataPoints", "dataPoints:reconcile" })
        {
            var numeric = await _h.GetAsync($"v4/users/{_h.Person.Options.HealthUserId}/dataTypes/steps/{path}");
            Assert.Equal(HttpStatusCode.BadRequest, numeric.Status);
            var error = HealthApiHarness.Error(numeric.Body);
            Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
            Assert.False(error.TryGetProperty("details", out _));
        }
        var rollup = await _h.PostAsync($"v4/users/{_h.Person.Options.HealthUserId}/dataTypes/steps/dataPoints:dailyRollUp", HealthApiHarness.DailyBody(Day, Day.AddDays(1)));
        Assert.Equal(HttpStatusCode.BadRequest, rollup.Status);
    }
}
