using System.Net;
using System.Text.Json;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>list/reconcile paging as live (evidence §0.4, §1.2, §6.3): pageSize defaults and caps, pages that come
/// back short or empty with a token, "nextPageToken": "" on the last page, {} for nothing, points lost at page
/// boundaries; page tokens opaque and bound to their query. The switches (ShortPages, PageBoundaryLoss) restore
/// exact pages for tests that need them.</summary>
public sealed class PagingTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private const string StepsDay = "steps.interval.civil_start_time >= \"2026-11-18\" AND steps.interval.civil_start_time < \"2026-11-19\"";
    private const string StepsThreeDays = "steps.interval.civil_start_time >= \"2026-11-16\" AND steps.interval.civil_start_time < \"2026-11-19\"";

    private static string Start(JsonElement point, string member)
    {
        var v = point.GetProperty(member);
        return v.TryGetProperty("interval", out var i) ? i.GetProperty("startTime").GetString()! : v.GetProperty("sampleTime").GetProperty("physicalTime").GetString()!;
    }

    private static string Identity(JsonElement p, string member)
        => Start(p, member) + "|" + (p.TryGetProperty("dataSource", out var ds) && ds.TryGetProperty("device", out var d) && d.TryGetProperty("formFactor", out var f) ? f.GetString() : "");

    /// <summary>Every page of a query, each page's body kept.</summary>
    private static async Task<List<JsonElement>> Pages(HealthApiHarness h, string type, string? filter, int? pageSize, bool reconcile = false)
    {
        var pages = new List<JsonElement>();
        string? token = null;
        do
        {
            var (status, body, raw) = await h.ListAsync(type, filter, pageSize, token, reconcile);
            Assert.True(status == HttpStatusCode.OK, raw);
            pages.Add(body);
            token = body.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
            Assert.True(pages.Count < 2000, "runaway paging");
        }
        while (!string.IsNullOrEmpty(token));
        return pages;
    }

    [Fact]
    public async Task With_exact_pages_paging_through_a_day_of_steps_has_no_gaps_or_duplicates_and_is_newest_first()
    {
        await using var h = await HealthApiHarness.StartAsync(configure: HealthApiHarness.ExactPages);
        var (paged, requests) = await h.ListAllAsync("steps", StepsDay, pageSize: 97);
        var (single, _) = await h.ListAllAsync("steps", StepsDay, pageSize: 10000);
        Assert.True(requests >= 3, $"only {requests} pages");
        Assert.Equal(single.Select(p => Identity(p, "steps")), paged.Select(p => Identity(p, "steps")));
        Assert.Equal(paged.Count, paged.Select(p => Identity(p, "steps")).Distinct().Count());
        var starts = paged.Select(p => DateTimeOffset.Parse(Start(p, "steps"))).ToList();
        Assert.Equal(starts.OrderByDescending(t => t), starts);
        // and it is everything: the ground-truth raw count of that civil day
        var dayStart = new DateTimeOffset(2026, 11, 18, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(h.Person.CountPoints("steps", dayStart, dayStart.AddDays(1)), paged.Count);
        Assert.Equal((int)Math.Ceiling(paged.Count / 97.0), requests);
        Assert.Equal(0, h.Emulator.Paging.BoundarySkippedPoints);
        Assert.Equal(0, h.Emulator.Paging.EmptyPages);
    }

    [Fact]
    public async Task A_page_boundary_between_points_sharing_a_timestamp_loses_the_rest_of_them()
    {
        // evidence §1.2 (kkdev92 docs/operations.md): "The service drops records that share a timestamp with the
        // last record of a page". Raw steps list the phone and the watch for the same minute.
        var pages = await Pages(_h, "steps", StepsThreeDays, pageSize: 97);
        var served = pages.SelectMany(HealthApiHarness.Points).ToList();
        Assert.Equal(served.Count, served.Select(p => Identity(p, "steps")).Distinct().Count()); // nothing twice
        var starts = served.Select(p => DateTimeOffset.Parse(Start(p, "steps"))).ToList();
        Assert.Equal(starts.OrderByDescending(t => t), starts);

        await using var exact = await HealthApiHarness.StartAsync(configure: HealthApiHarness.ExactPages);
        var (all, _) = await exact.ListAllAsync("steps", StepsThreeDays, pageSize: 10000);
        var from = new DateTimeOffset(2026, 11, 16, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(_h.Person.CountPoints("steps", from, from.AddDays(3)), all.Count);

        var missing = all.Select(p => Identity(p, "steps")).Except(served.Select(p => Identity(p, "steps"))).ToList();
        var skipped = _h.Emulator.Paging.BoundarySkippedPointsOf("steps");
        Assert.NotEmpty(missing);
        Assert.Equal(missing.Count, skipped);
        Assert.Equal(skipped, _h.Emulator.Paging.BoundarySkippedPoints);
        Assert.Equal(all.Count - skipped, served.Count);
        // each lost point shares its timestamp with the last point of a page, and is the watch's (served second)
        var pageEnds = pages.Where(p => p.TryGetProperty("dataPoints", out _)).Select(p => Start(HealthApiHarness.Points(p).Last(), "steps")).ToHashSet();
        Assert.All(missing, m => Assert.Contains(m.Split('|')[0], pageEnds));
        Assert.All(missing, m => Assert.Equal("WATCH", m.Split('|')[1]));
    }

    [Fact]
    public async Task Without_page_boundary_loss_short_pages_still_lose_nothing()
    {
        await using var h = await HealthApiHarness.StartAsync(configure: o => o.PageBoundaryLoss = false);
        var pages = await Pages(h, "steps", StepsThreeDays, pageSize: 97);
        var served = pages.SelectMany(HealthApiHarness.Points).ToList();
        var from = new DateTimeOffset(2026, 11, 16, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(h.Person.CountPoints("steps", from, from.AddDays(3)), served.Count);
        Assert.Equal(served.Count, served.Select(p => Identity(p, "steps")).Distinct().Count());
        Assert.Equal(0, h.Emulator.Paging.BoundarySkippedPoints);
    }

    [Theory]
    [InlineData("heart-rate")]
    [InlineData("active-energy-burned")]
    public async Task Dense_types_never_return_more_than_5000_points_a_page(string type)
    {
        // evidence §0.4, §1.2 (haelan field-map.md): pageSize=10000 gave 5,000 points with a token
        var (status, body, raw) = await _h.ListAsync(type, pageSize: 10000);
        Assert.True(status == HttpStatusCode.OK, raw);
        Assert.Equal(5000, body.GetProperty("dataPoints").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("nextPageToken").GetString()));
        Assert.Equal(5000, (await _h.ListAsync(type, pageSize: 25000)).Body.GetProperty("dataPoints").GetArrayLength()); // 10,000 accepted, 5,000 served

        await using var exact = await HealthApiHarness.StartAsync(configure: o => o.ShortPages = false);
        Assert.Equal(10000, (await exact.ListAsync(type, pageSize: 10000)).Body.GetProperty("dataPoints").GetArrayLength());
    }

    [Fact]
    public async Task Heart_rate_pages_of_ten_thousand_cover_the_count_in_pages_of_5000()
    {
        var from = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(2);
        var filter = $"heart_rate.sample_time.physical_time >= \"{from:yyyy-MM-dd'T'HH:mm:ss'Z'}\" AND heart_rate.sample_time.physical_time < \"{to:yyyy-MM-dd'T'HH:mm:ss'Z'}\"";
        var (points, requests) = await _h.ListAllAsync("heart-rate", filter, pageSize: 10000);
        var expected = _h.Person.CountPoints("heart-rate", from, to);
        Assert.Equal(expected, points.Count);
        Assert.Equal((int)Math.Ceiling(expected / 5000.0), requests);
        Assert.Equal(expected, points.Select(p => Start(p, "heartRate")).Distinct().Count());
    }

    [Theory]
    [InlineData("steps", 900, 1000)]
    [InlineData("distance", 1500, 1600)]
    [InlineData("active-minutes", 1080, 1150)]
    [InlineData("weight", 1000, 1600)]
    public async Task Other_types_come_back_short_with_a_token_and_now_and_then_empty(string type, int min, int max)
    {
        // evidence §1.2 (haelan): 937 steps, 1,586 distance, 1,114 active-minutes with pageSize=10000, each with a
        // token; prinse84/fit-gauge: a page can come back empty but still carry a nextPageToken
        var pages = new List<JsonElement>();
        string? token = null;
        for (var i = 0; i < 12; i++)
        {
            var (status, body, raw) = await _h.ListAsync(type, pageSize: 10000, pageToken: token);
            Assert.True(status == HttpStatusCode.OK, raw);
            pages.Add(body);
            token = body.GetProperty("nextPageToken").GetString();
            if (token == "") break;
        }
        var full = pages.Where(p => p.TryGetProperty("dataPoints", out _)).ToList();
        var last = pages[^1].GetProperty("nextPageToken").GetString() == "" ? full[^1] : default;
        Assert.All(full.Where(p => !p.Equals(last)), p => Assert.InRange(p.GetProperty("dataPoints").GetArrayLength(), min, max));
        var empty = pages.Where(p => !p.TryGetProperty("dataPoints", out _)).ToList();
        Assert.NotEmpty(empty);
        Assert.All(empty, p =>
        {
            Assert.Single(p.EnumerateObject());
            Assert.False(string.IsNullOrEmpty(p.GetProperty("nextPageToken").GetString()));
        });
        Assert.True(_h.Emulator.Paging.EmptyPages >= empty.Count);
    }

    [Theory]
    [InlineData("sleep")]
    [InlineData("exercise")]
    public async Task Sleep_and_exercise_pages_default_to_and_cap_at_25_and_may_come_back_short(string type)
    {
        var pages = await Pages(_h, type, null, pageSize: 100);
        var sizes = pages.Select(p => HealthApiHarness.Points(p).Count()).ToList();
        Assert.All(sizes, n => Assert.InRange(n, 0, 25));
        Assert.Contains(sizes.SkipLast(1), n => n is > 0 and < 25);

        await using var exact = await HealthApiHarness.StartAsync(configure: HealthApiHarness.ExactPages);
        Assert.Equal(25, (await exact.ListAsync(type)).Body.GetProperty("dataPoints").GetArrayLength());
        Assert.Equal(25, (await exact.ListAsync(type, pageSize: 100)).Body.GetProperty("dataPoints").GetArrayLength());
    }

    [Fact]
    public async Task Default_page_is_1440_and_sizes_above_10000_are_truncated()
    {
        var (_, def, _) = await _h.ListAsync("heart-rate");
        Assert.Equal(1440, def.GetProperty("dataPoints").GetArrayLength());
        Assert.True(def.TryGetProperty("nextPageToken", out _));
        var (_, snake, _) = await _h.GetAsync("v4/users/me/dataTypes/heart-rate/dataPoints?page_size=7");
        Assert.Equal(7, snake.GetProperty("dataPoints").GetArrayLength());
        await using var exact = await HealthApiHarness.StartAsync(configure: HealthApiHarness.ExactPages);
        Assert.Equal(10000, (await exact.ListAsync("heart-rate", pageSize: 25000)).Body.GetProperty("dataPoints").GetArrayLength());
        Assert.Equal(1440, (await exact.ListAsync("steps")).Body.GetProperty("dataPoints").GetArrayLength());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_last_page_carries_an_empty_next_page_token_and_an_empty_result_is_an_empty_object(bool shortPages)
    {
        // evidence §1.2: "nextPageToken": "" on a complete response (codelab, ansanloms capture); {} for no data
        await using var h = await HealthApiHarness.StartAsync(configure: o => o.ShortPages = shortPages);
        var pages = await Pages(h, "weight", "weight.sample_time.civil_time >= \"2026-11-01\"", pageSize: 1000);
        var last = pages[^1];
        Assert.NotEmpty(HealthApiHarness.Points(last));
        Assert.Equal("", last.GetProperty("nextPageToken").GetString());
        Assert.Equal(new[] { "dataPoints", "nextPageToken" }, last.EnumerateObject().Select(p => p.Name));

        foreach (var (type, filter) in new[] { ("weight", "weight.sample_time.civil_time >= \"2030-01-01\""), ("exercise", "exercise.interval.civil_start_time < \"2020-01-01\""), ("steps", "steps.interval.start_time >= \"2027-01-01T00:00:00Z\"") })
        {
            var (status, _, body) = await h.ListAsync(type, filter, pageSize: 100);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("{}", body);
            Assert.Equal("{}", (await h.ListAsync(type, filter, pageSize: 100, reconcile: true)).Raw);
        }
    }

    [Fact]
    public async Task Page_token_accepts_snake_case_parameter_names()
    {
        await using var h = await HealthApiHarness.StartAsync(configure: HealthApiHarness.ExactPages);
        var (_, first, _) = await h.ListAsync("weight", pageSize: 2);
        var token = first.GetProperty("nextPageToken").GetString()!;
        var (status, second, _) = await h.GetAsync($"v4/users/me/dataTypes/weight/dataPoints?page_size=2&page_token={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(first.GetProperty("dataPoints")[0].GetProperty("name").GetString(), second.GetProperty("dataPoints")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_token_from_another_query_or_a_tampered_token_is_refused()
    {
        var (_, first, _) = await _h.ListAsync("steps", "steps.interval.civil_start_time >= \"2026-11-18\"", pageSize: 5);
        var token = first.GetProperty("nextPageToken").GetString()!;

        var otherFilter = await _h.ListAsync("steps", "steps.interval.civil_start_time >= \"2026-11-17\"", pageSize: 5, pageToken: token);
        Assert.Equal(HttpStatusCode.BadRequest, otherFilter.Status);
        Assert.Equal("INVALID_ARGUMENT", HealthApiHarness.Error(otherFilter.Body).GetProperty("status").GetString());

        var otherType = await _h.ListAsync("distance", "steps.interval.civil_start_time >= \"2026-11-18\"".Replace("steps", "distance"), pageSize: 5, pageToken: token);
        Assert.Equal(HttpStatusCode.BadRequest, otherType.Status);

        var reconcile = await _h.ListAsync("steps", "steps.interval.civil_start_time >= \"2026-11-18\"", pageSize: 5, pageToken: token, reconcile: true);
        Assert.Equal(HttpStatusCode.BadRequest, reconcile.Status);

        var chars = token.ToCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        var tampered = await _h.ListAsync("steps", "steps.interval.civil_start_time >= \"2026-11-18\"", pageSize: 5, pageToken: new string(chars));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.Status);

        // a different page size with the same query is fine
        var resized = await _h.ListAsync("steps", "steps.interval.civil_start_time >= \"2026-11-18\"", pageSize: 50, pageToken: token);
        Assert.Equal(HttpStatusCode.OK, resized.Status);
    }

    [Fact]
    public async Task Data_arriving_between_pages_does_not_shift_later_pages()
    {
        await using var h = await HealthApiHarness.StartAsync();
        var (_, first, _) = await h.ListAsync("heart-rate", pageSize: 100);
        var token = first.GetProperty("nextPageToken").GetString();
        var (_, before, _) = await h.ListAsync("heart-rate", pageSize: 100, pageToken: token);
        h.Emulator.Clock.Advance(TimeSpan.FromMinutes(30)); // half an hour of new samples at the newest end
        var (_, after, _) = await h.ListAsync("heart-rate", pageSize: 100, pageToken: token);
        Assert.Equal(before.GetProperty("dataPoints").GetRawText(), after.GetProperty("dataPoints").GetRawText());
        var (_, fresh, _) = await h.ListAsync("heart-rate", pageSize: 1);
        Assert.True(DateTimeOffset.Parse(Start(fresh.GetProperty("dataPoints")[0], "heartRate")) > DateTimeOffset.Parse(Start(first.GetProperty("dataPoints")[0], "heartRate")));
    }

    [Fact]
    public async Task Invalid_page_size_is_refused()
    {
        var (status, _, _) = await _h.GetAsync("v4/users/me/dataTypes/steps/dataPoints?pageSize=abc");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _, _) = await _h.GetAsync("v4/users/me/dataTypes/steps/dataPoints?pageSize=-3");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
