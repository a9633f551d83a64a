using System.Net;
using System.Text.Json;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>pageSize defaults, caps and truncation; page tokens: opaque, bound to their query, gap-free.</summary>
public sealed class PagingTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Start(JsonElement point, string member)
    {
        var v = point.GetProperty(member);
        return v.TryGetProperty("interval", out var i) ? i.GetProperty("startTime").GetString()! : v.GetProperty("sampleTime").GetProperty("physicalTime").GetString()!;
    }

    private static string Identity(JsonElement p, string member)
        => Start(p, member) + "|" + (p.TryGetProperty("dataSource", out var ds) && ds.TryGetProperty("device", out var d) && d.TryGetProperty("formFactor", out var f) ? f.GetString() : "");

    [Fact]
    public async Task Paging_through_a_day_of_steps_has_no_gaps_or_duplicates_and_is_newest_first()
    {
        const string filter = "steps.interval.civil_start_time >= \"2026-11-18\" AND steps.interval.civil_start_time < \"2026-11-19\"";
        var (paged, requests) = await _h.ListAllAsync("steps", filter, pageSize: 97);
        var (single, _) = await _h.ListAllAsync("steps", filter, pageSize: 10000);
        Assert.True(requests >= 3, $"only {requests} pages");
        Assert.Equal(single.Select(p => Identity(p, "steps")), paged.Select(p => Identity(p, "steps")));
        Assert.Equal(paged.Count, paged.Select(p => Identity(p, "steps")).Distinct().Count());
        var starts = paged.Select(p => DateTimeOffset.Parse(Start(p, "steps"))).ToList();
        Assert.Equal(starts.OrderByDescending(t => t), starts);
        // and it is everything: the ground-truth raw count of that civil day
        var dayStart = new DateTimeOffset(2026, 11, 18, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(_h.Person.CountPoints("steps", dayStart, dayStart.AddDays(1)), paged.Count);
        Assert.Equal((int)Math.Ceiling(paged.Count / 97.0), requests);
    }

    [Fact]
    public async Task Heart_rate_pages_of_ten_thousand_cover_the_count_in_the_minimum_number_of_requests()
    {
        var from = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(2);
        var filter = $"heart_rate.sample_time.physical_time >= \"{from:yyyy-MM-dd'T'HH:mm:ss'Z'}\" AND heart_rate.sample_time.physical_time < \"{to:yyyy-MM-dd'T'HH:mm:ss'Z'}\"";
        var (points, requests) = await _h.ListAllAsync("heart-rate", filter, pageSize: 10000);
        var expected = _h.Person.CountPoints("heart-rate", from, to);
        Assert.Equal(expected, points.Count);
        Assert.Equal((int)Math.Ceiling(expected / 10000.0), requests);
        Assert.Equal(expected, points.Select(p => Start(p, "heartRate")).Distinct().Count());
    }

    [Fact]
    public async Task Default_page_is_1440_max_10000_and_larger_sizes_are_truncated()
    {
        var (_, def, _) = await _h.ListAsync("heart-rate");
        Assert.Equal(1440, def.GetProperty("dataPoints").GetArrayLength());
        Assert.True(def.TryGetProperty("nextPageToken", out _));
        var (_, big, _) = await _h.ListAsync("heart-rate", pageSize: 25000);
        Assert.Equal(10000, big.GetProperty("dataPoints").GetArrayLength());
        var (_, snake, _) = await _h.GetAsync("v4/users/me/dataTypes/heart-rate/dataPoints?page_size=7");
        Assert.Equal(7, snake.GetProperty("dataPoints").GetArrayLength());
    }

    [Theory]
    [InlineData("sleep")]
    [InlineData("exercise")]
    public async Task Sleep_and_exercise_pages_default_to_and_cap_at_25(string type)
    {
        var (_, def, _) = await _h.ListAsync(type);
        Assert.Equal(25, def.GetProperty("dataPoints").GetArrayLength());
        var (_, big, _) = await _h.ListAsync(type, pageSize: 100);
        Assert.Equal(25, big.GetProperty("dataPoints").GetArrayLength());
    }

    [Fact]
    public async Task The_last_page_has_no_next_page_token()
    {
        var (_, body, _) = await _h.ListAsync("weight", "weight.sample_time.civil_time >= \"2026-11-01\"", pageSize: 1000);
        Assert.NotEmpty(body.GetProperty("dataPoints").EnumerateArray());
        Assert.False(body.TryGetProperty("nextPageToken", out _));
    }

    [Fact]
    public async Task Page_token_accepts_snake_case_parameter_names()
    {
        var (_, first, _) = await _h.ListAsync("weight", pageSize: 2);
        var token = first.GetProperty("nextPageToken").GetString()!;
        var (status, second, _) = await _h.GetAsync($"v4/users/me/dataTypes/weight/dataPoints?page_size=2&page_token={Uri.EscapeDataString(token)}");
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
