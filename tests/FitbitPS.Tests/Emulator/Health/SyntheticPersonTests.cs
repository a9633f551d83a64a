using System.Net;
using HealthApiEmulator.Data;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>The synthetic person: deterministic by seed, plausible, late data and sync lag.</summary>
public sealed class SyntheticPersonTests
{
    private static SyntheticPerson Person(int seed, DateTimeOffset? now = null, Action<PersonOptions>? configure = null)
    {
        var options = new PersonOptions();
        configure?.Invoke(options);
        return new SyntheticPerson(options, seed, new EmulatorClock(now ?? HealthApiHarness.DefaultNow, running: false));
    }

    [Fact]
    public void The_same_seed_gives_the_same_person_and_another_seed_another()
    {
        var a = Person(11);
        var b = Person(11);
        var c = Person(12);
        var day = new DateOnly(2025, 2, 3);
        Assert.Equal(a.Day(day).Steps, b.Day(day).Steps);
        Assert.Equal(a.Day(day).TotalKcal, b.Day(day).TotalKcal);
        Assert.Equal(a.SleepSessions(day, day.AddDays(6)).Select(s => (s.Id, s.Start, s.End, s.Stages.Count)),
                     b.SleepSessions(day, day.AddDays(6)).Select(s => (s.Id, s.Start, s.End, s.Stages.Count)));
        var from = new DateTimeOffset(2025, 2, 3, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(a.HeartRateSamples(from, from.AddHours(3)), b.HeartRateSamples(from, from.AddHours(3)));
        Assert.NotEqual(a.Day(day).Steps, c.Day(day).Steps);
        // order of generation doesn't matter: a day made after others equals one made first
        _ = b.Day(day.AddDays(-30)); _ = b.Day(day.AddDays(30));
        Assert.Equal(Person(11).Day(day.AddDays(1)).Steps, b.Day(day.AddDays(1)).Steps);
    }

    [Fact]
    public async Task The_same_seed_serves_the_same_json()
    {
        await using var a = await HealthApiHarness.StartAsync(seed: 3);
        await using var b = await HealthApiHarness.StartAsync(seed: 3);
        await using var c = await HealthApiHarness.StartAsync(seed: 4);
        const string filter = "steps.interval.civil_start_time >= \"2026-11-17\" AND steps.interval.civil_start_time < \"2026-11-18\"";
        var (_, first, _) = await a.ListAsync("steps", filter, pageSize: 10000);
        var (_, second, _) = await b.ListAsync("steps", filter, pageSize: 10000);
        var (_, other, _) = await c.ListAsync("steps", filter, pageSize: 10000);
        Assert.Equal(first.GetProperty("dataPoints").GetRawText(), second.GetProperty("dataPoints").GetRawText());
        Assert.NotEqual(first.GetProperty("dataPoints").GetRawText(), other.GetProperty("dataPoints").GetRawText());
        Assert.Equal((await a.ListAsync("sleep")).Body.GetProperty("dataPoints").GetRawText(), (await b.ListAsync("sleep")).Body.GetProperty("dataPoints").GetRawText());
    }

    [Fact]
    public void Days_look_like_a_person_wearing_a_watch_and_carrying_a_phone()
    {
        var p = Person(5);
        var days = Enumerable.Range(0, 60).Select(i => p.Day(new DateOnly(2026, 9, 1).AddDays(i))).ToList();
        Assert.InRange(days.Average(d => d.Steps), 6000, 14000);
        Assert.All(days, d => Assert.True(d.RawStepsAllSources > d.Steps));
        Assert.InRange(days.Average(d => d.TotalKcal), 1900, 3200);
        Assert.All(days, d => Assert.NotNull(d.RestingHeartRate));
        Assert.All(days, d => Assert.True(d.SedentaryMinutes > 300));
        Assert.True(days.Sum(d => d.AzmCardio + d.AzmPeak) > 0);

        // the watch charges 1–2 h a day: heart rate has a gap of that size every day
        for (var i = 0; i < 10; i++)
        {
            var day = new DateOnly(2026, 9, 1).AddDays(i);
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(4);
            var samples = p.HeartRateSamples(start, start.AddDays(1)).Select(s => s.At).ToList();
            var longest = samples.Zip(samples.Skip(1), (x, y) => y - x).Max();
            Assert.InRange(longest.TotalMinutes, 55, 125);
        }

        var weighIns = p.WeighIns(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.InRange(weighIns.Count / 13.0, 2, 6); // a few a week
        Assert.Contains(weighIns, w => w.Source == SourceKind.Manual);
        Assert.Contains(weighIns, w => w.Source == SourceKind.Scale && w.BodyFatPercent != null);
        Assert.All(weighIns.Where(w => w.BodyFatPercent != null), w => Assert.Equal(SourceKind.Scale, w.Source));
        Assert.Contains(weighIns.GroupBy(w => DateOnly.FromDateTime(p.CivilTimeAt(w.At))), g => g.Count() == 2);

        var sleeps = p.SleepSessions(new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30));
        Assert.Contains(sleeps, s => s.IsNap);
        Assert.Contains(sleeps, s => s.IsMainSleep && s.Type == "CLASSIC");
        Assert.All(sleeps, s => Assert.Equal(s.MinutesInSleepPeriod, s.Stages.Sum(x => x.Minutes)));
    }

    [Fact]
    public void Nothing_exists_before_membership_or_after_now()
    {
        var p = Person(5);
        Assert.Equal(0, p.Day(new DateOnly(2021, 5, 31)).Steps);
        Assert.True(p.Day(new DateOnly(2021, 6, 1)).Steps > 0);
        Assert.Empty(p.HeartRateSamples(HealthApiHarness.DefaultNow.AddSeconds(1), HealthApiHarness.DefaultNow.AddDays(1)));
        Assert.Equal(0, p.CountPoints("steps", HealthApiHarness.DefaultNow, HealthApiHarness.DefaultNow.AddDays(2)));
        Assert.Equal(0, p.CountPoints("weight", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 5, 31, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Years_of_data_can_be_counted_without_holding_them()
    {
        var p = Person(5);
        var from = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var count = p.CountPoints("heart-rate", from, from.AddDays(730));
        Assert.InRange(count, 730 * 14000, 730 * 24000); // 2–5 s cadence while worn, ~22 h a day (evidence §1.2)
        var legacy = new SyntheticPerson(new PersonOptions(), 5, new EmulatorClock(HealthApiHarness.DefaultNow, running: false), legacyHeartRateCadence: true);
        Assert.InRange(legacy.CountPoints("heart-rate", from, from.AddDays(730)), 730 * 4000, 730 * 6500); // 15 s, 10 s in workouts
        Assert.InRange(p.CountPoints("sleep", from, from.AddDays(730)), 730, 900);
    }

    [Fact]
    public async Task Sync_lag_hides_recent_data_and_a_later_sync_grows_the_day()
    {
        var now = new DateTimeOffset(2026, 11, 20, 22, 0, 0, TimeSpan.Zero); // 17:00 in New York
        await using var h = await HealthApiHarness.StartAsync(now: now, configure: o => o.Person.SyncLag = TimeSpan.FromHours(3));
        var (newest, _) = await h.ListAllAsync("steps", pageSize: 1, maxPoints: 1);
        var end = DateTimeOffset.Parse(newest[0].GetProperty("steps").GetProperty("interval").GetProperty("endTime").GetString()!);
        Assert.True(end <= now.AddHours(-3));

        var today = new DateOnly(2026, 11, 20);
        long Steps(System.Text.Json.JsonElement body) => long.Parse(body.GetProperty("rollupDataPoints")[0].GetProperty("steps").GetProperty("countSum").GetString()!);
        var before = Steps((await h.DailyRollUpAsync("steps", today, today.AddDays(1))).Body);
        Assert.Equal(h.Person.Day(today).Steps, before);

        h.Emulator.Clock.Advance(TimeSpan.FromHours(3)); // the watch syncs the afternoon
        var fresh = h.TokenFor(Scopes.ActivityAndFitness); // the first token expired on the emulator clock
        var after = Steps((await h.DailyRollUpAsync("steps", today, today.AddDays(1), token: fresh)).Body);
        Assert.True(after > before, $"{after} ≤ {before}");
        Assert.Equal(h.Person.Day(today).Steps, after);
    }

    [Fact]
    public async Task A_manually_logged_weight_appears_at_once_even_when_dated_in_the_past()
    {
        await using var h = await HealthApiHarness.StartAsync(configure: o => o.Person.SyncLag = TimeSpan.FromHours(6));
        var at = new DateTimeOffset(2026, 11, 12, 23, 15, 0, TimeSpan.Zero); // 18:15 in New York
        var day = new DateOnly(2026, 11, 12);
        var (_, before, _) = await h.DailyRollUpAsync("weight", day, day.AddDays(1));

        var entry = h.Person.LogWeight(at, 81.3, notes: "after dinner");
        var (list, _) = await h.ListAllAsync("weight", "weight.sample_time.civil_time >= \"2026-11-12\" AND weight.sample_time.civil_time < \"2026-11-13\"");
        var point = list.Single(p => p.GetProperty("name").GetString()!.EndsWith("/" + entry.Id));
        Assert.Equal("MANUAL", point.GetProperty("dataSource").GetProperty("recordingMethod").GetString());
        Assert.Equal(81300, point.GetProperty("weight").GetProperty("weightGrams").GetDouble());
        Assert.Equal("2026-11-12T23:15:00Z", point.GetProperty("weight").GetProperty("sampleTime").GetProperty("physicalTime").GetString());
        Assert.Equal(18, point.GetProperty("weight").GetProperty("sampleTime").GetProperty("civilTime").GetProperty("time").GetProperty("hours").GetInt32());

        var (_, afterRollup, _) = await h.DailyRollUpAsync("weight", day, day.AddDays(1));
        var generated = h.Person.WeighIns(new DateTimeOffset(2026, 11, 12, 5, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 13, 5, 0, 0, TimeSpan.Zero));
        Assert.Contains(generated, w => w.Id == entry.Id);
        Assert.Equal(generated.Average(w => w.WeightKg * 1000), afterRollup.GetProperty("rollupDataPoints")[0].GetProperty("weight").GetProperty("weightGramsAvg").GetDouble(), 2);
        Assert.NotEqual(before.GetRawText(), afterRollup.GetRawText());

        // a weight logged just now, inside the sync lag, is visible too
        var recent = h.Person.LogWeight(HealthApiHarness.DefaultNow.AddMinutes(-10), 80.9);
        var (newest, _) = await h.ListAllAsync("weight", pageSize: 1, maxPoints: 1);
        Assert.EndsWith("/" + recent.Id, newest[0].GetProperty("name").GetString());
        var (status, fetched, _) = await h.GetAsync($"v4/users/me/dataTypes/weight/dataPoints/{recent.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(80900, fetched.GetProperty("weight").GetProperty("weightGrams").GetDouble());
    }
}
