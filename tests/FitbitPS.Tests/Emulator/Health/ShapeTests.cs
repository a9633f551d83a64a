using System.Net;
using System.Text.Json;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>The emulator's JSON has the same key paths (same nesting) as real captured responses.
/// dataSource is compared only for presence: the captures disagree among themselves (a Pixel Watch
/// sends device.displayName, a Fitbit Air an empty device) and ours adds device.formFactor.</summary>
public sealed class ShapeTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    public static JsonElement Captured(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "captured", file)));
        var root = doc.RootElement;
        if (root.TryGetProperty("body", out var body) && root.TryGetProperty("status", out _)) root = body;
        return root.Clone();
    }

    /// <summary>Key paths of the items of <paramref name="array"/> (or of the whole object when null).</summary>
    public static SortedSet<string> KeyPaths(JsonElement root, string? array)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        var child = path.Length == 0 ? p.Name : path + "." + p.Name;
                        set.Add(child);
                        if (p.Name != "dataSource") Walk(p.Value, child);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) Walk(item, path + "[]");
                    break;
            }
        }
        if (array == null) Walk(root, "");
        else foreach (var item in root.GetProperty(array).EnumerateArray()) Walk(item, "");
        return set;
    }

    private static void SameShape(JsonElement captured, JsonElement ours, string? array, bool ignoreTimeOfDayFields = false)
    {
        var expected = KeyPaths(captured, array);
        var actual = KeyPaths(ours, array);
        if (ignoreTimeOfDayFields)
        {
            // which of hours/minutes/seconds appear depends on the value (zeros are omitted), not the shape
            expected.RemoveWhere(p => p.Contains(".time."));
            actual.RemoveWhere(p => p.Contains(".time."));
        }
        Assert.True(expected.SetEquals(actual),
            $"missing: {string.Join(", ", expected.Except(actual))}\nextra: {string.Join(", ", actual.Except(expected))}");
    }

    private async Task<JsonElement> List(string type, string filter, int pageSize = 10000)
    {
        // every page (pages may be short or empty), as one body
        var (points, _) = await _h.ListAllAsync(type, filter, pageSize);
        Assert.NotEmpty(points);
        using var doc = JsonDocument.Parse("{\"dataPoints\":[" + string.Join(",", points.Select(p => p.GetRawText())) + "]}");
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Weight_and_body_fat()
    {
        // a scale weigh-in with body fat (sample seconds are non-zero like the capture's)
        var scale = _h.Person.WeighIns(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), HealthApiHarness.DefaultNow)
            .Last(w => w.BodyFatPercent != null && w.At.Second != 0);
        var at = scale.At.UtcDateTime;
        var filter = $"{{0}}.sample_time.physical_time >= \"{at:yyyy-MM-dd'T'HH:mm:ss'Z'}\" AND {{0}}.sample_time.physical_time < \"{at.AddSeconds(1):yyyy-MM-dd'T'HH:mm:ss'Z'}\"";
        SameShape(Captured("ansanloms-skills__weight-list.json"), await List("weight", string.Format(filter, "weight")), "dataPoints");
        SameShape(Captured("ansanloms-skills__body-fat-list.json"), await List("body-fat", string.Format(filter, "body_fat")), "dataPoints");
    }

    [Fact]
    public async Task Steps_distance_active_minutes_and_heart_rate()
    {
        // the captures are from a late evening (hours and minutes set, never midnight)
        const string evening = "{0}.interval.civil_start_time >= \"2026-11-18T20:00:00\" AND {0}.interval.civil_start_time < \"2026-11-18T23:59:00\"";
        SameShape(Captured("ansanloms-skills__steps-list.trimmed.json"), await List("steps", string.Format(evening, "steps")), "dataPoints");
        SameShape(Captured("arysuri23-mcp-fitbit-air__list_steps_nofilter.json"), await List("steps", string.Format(evening, "steps")), "dataPoints");
        SameShape(Captured("ansanloms-skills__distance-list.trimmed.json"), await List("distance", string.Format(evening, "distance")), "dataPoints");
        // the trimmed capture's only point ends at midnight ("time": {}), so compare time-of-day fields loosely
        SameShape(Captured("ansanloms-skills__active-minutes-list.trimmed.json"), await List("active-minutes", string.Format(evening, "active_minutes")), "dataPoints", ignoreTimeOfDayFields: true);
        var hr = await List("heart-rate", "heart_rate.sample_time.physical_time >= \"2026-11-18T15:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-11-18T15:05:00Z\"");
        SameShape(Captured("ansanloms-skills__heart-rate-list.trimmed.json"), hr, "dataPoints");
        SameShape(Captured("arysuri23-mcp-fitbit-air__list_heart_rate_nofilter.json"), hr, "dataPoints");
    }

    [Fact]
    public async Task Sleep()
    {
        // a night with one main STAGES sleep and short awakenings, as captured
        var night = _h.Person.SleepSessions(new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 19))
            .GroupBy(s => s.WakeDay).Last(g => g.Count() == 1 && g.Single().Type == "STAGES" && g.Single().ShortAwakenings.Count > 0).Key;
        var body = await List("sleep", $"sleep.interval.civil_end_time >= \"{night:yyyy-MM-dd}\" AND sleep.interval.civil_end_time < \"{night.AddDays(1):yyyy-MM-dd}\"", 25);
        SameShape(Captured("ansanloms-skills__sleep-list.trimmed.json"), body, "dataPoints");
    }

    [Fact]
    public async Task Daily_resting_heart_rate_and_hrv()
    {
        SameShape(Captured("arysuri23-mcp-fitbit-air__filter_daily-resting-heart-rate__date.json"),
            await List("daily-resting-heart-rate", "daily_resting_heart_rate.date >= \"2026-11-01\" AND daily_resting_heart_rate.date < \"2026-11-08\""), "dataPoints");
        SameShape(Captured("arysuri23-mcp-fitbit-air__filter_daily-heart-rate-variability__date.json"),
            await List("daily-heart-rate-variability", "daily_heart_rate_variability.date >= \"2026-11-01\" AND daily_heart_rate_variability.date < \"2026-11-08\""), "dataPoints");
    }

    [Fact]
    public async Task Daily_roll_ups()
    {
        var (_, steps, _) = await _h.DailyRollUpAsync("steps", new DateOnly(2026, 11, 13), new DateOnly(2026, 11, 20));
        SameShape(Captured("ansanloms-skills__steps-dailyRollUp.trimmed.json"), steps, "rollupDataPoints");
        var captured = Captured("arysuri23-mcp-fitbit-air__rollup_steps__nested_date.json").GetProperty("response");
        SameShape(captured, steps, "rollupDataPoints");
        var (_, kcal, _) = await _h.DailyRollUpAsync("total-calories", new DateOnly(2026, 11, 13), new DateOnly(2026, 11, 20));
        SameShape(Captured("ansanloms-skills__total-calories-dailyRollUp.json"), kcal, "rollupDataPoints");
        var (_, azm, _) = await _h.DailyRollUpAsync("active-zone-minutes", new DateOnly(2026, 11, 13), new DateOnly(2026, 11, 20));
        SameShape(Captured("arysuri23-mcp-fitbit-air__rollup_active-zone-minutes__nested_date.json").GetProperty("response"), azm, "rollupDataPoints");
    }

    [Fact]
    public async Task Profile_and_settings()
    {
        SameShape(Captured("arysuri23-mcp-fitbit-air__profile.json"), (await _h.GetAsync("v4/users/me/profile")).Body, null);
        SameShape(Captured("arysuri23-mcp-fitbit-air__settings.json"), (await _h.GetAsync("v4/users/me/settings")).Body, null);
    }
}
