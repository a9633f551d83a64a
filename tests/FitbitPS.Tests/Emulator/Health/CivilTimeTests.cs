using System.Text.Json;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>Civil times follow the person: New York with its DST changes, and a yearly trip to
/// Berlin (Mar 20 – Apr 3) that spans the EU DST change. Sleep is dated by the day of waking.</summary>
public sealed class CivilTimeTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static (DateTimeOffset Physical, string Offset, DateTime Civil) Sample(JsonElement point)
    {
        var st = point.GetProperty("heartRate").GetProperty("sampleTime");
        var civil = st.GetProperty("civilTime");
        var date = civil.GetProperty("date");
        var time = civil.GetProperty("time");
        int Part(string n) => time.TryGetProperty(n, out var v) ? v.GetInt32() : 0;
        return (DateTimeOffset.Parse(st.GetProperty("physicalTime").GetString()!), st.GetProperty("utcOffset").GetString()!,
            new DateTime(date.GetProperty("year").GetInt32(), date.GetProperty("month").GetInt32(), date.GetProperty("day").GetInt32(), Part("hours"), Part("minutes"), Part("seconds")));
    }

    private static void AssertCivilIsPhysicalPlusOffset((DateTimeOffset Physical, string Offset, DateTime Civil) s)
        => Assert.Equal(s.Physical.UtcDateTime.AddSeconds(int.Parse(s.Offset.TrimEnd('s'))), s.Civil);

    private async Task<List<(DateTimeOffset Physical, string Offset, DateTime Civil)>> HeartRate(string filter)
    {
        var (points, _) = await _h.ListAllAsync("heart-rate", filter, pageSize: 10000);
        var samples = points.Select(Sample).ToList();
        Assert.All(samples, AssertCivilIsPhysicalPlusOffset);
        return samples;
    }

    // Heart rate is selected by physical time: a civil_time filter answers {} by default (HeartRateCivilFilterWorks).

    [Fact]
    public async Task The_repeated_hour_of_the_fall_back_holds_both_offsets()
    {
        // 01:00 EDT = 05:00Z … 02:00 EST = 07:00Z: two physical hours, one civil hour
        var samples = await HeartRate("heart_rate.sample_time.physical_time >= \"2026-11-01T05:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-11-01T07:00:00Z\"");
        Assert.All(samples, s => Assert.Equal(1, s.Civil.Hour));
        Assert.Contains(samples, s => s.Offset == "-14400s");
        Assert.Contains(samples, s => s.Offset == "-18000s");
        Assert.True(samples.Max(s => s.Physical) - samples.Min(s => s.Physical) > TimeSpan.FromMinutes(100)); // two physical hours
        Assert.Equal(1500, _h.Person.Day(new DateOnly(2026, 11, 1)).VisibleMinutes);
    }

    [Fact]
    public async Task The_skipped_hour_of_the_spring_change_has_no_data()
    {
        // 01:00 EST = 06:00Z, 03:00 EDT = 07:00Z, 04:00 EDT = 08:00Z
        var samples = await HeartRate("heart_rate.sample_time.physical_time >= \"2026-03-08T06:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-03-08T08:00:00Z\"");
        Assert.DoesNotContain(samples, s => s.Civil.Hour == 2);
        var before = samples.Where(s => s.Civil.Hour == 1).ToList();
        var after = samples.Where(s => s.Civil.Hour == 3).ToList();
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.Equal(samples.Count, before.Count + after.Count);
        Assert.All(before, s => Assert.Equal("-18000s", s.Offset));
        Assert.All(after, s => Assert.Equal("-14400s", s.Offset));
        Assert.Equal(1380, _h.Person.Day(new DateOnly(2026, 3, 8)).VisibleMinutes);
    }

    [Theory]
    [InlineData("2026-03-10T16:00:00Z", "-14400s")] // home, after the US change
    [InlineData("2026-03-19T22:30:00Z", "-14400s")] // departure evening, still New York time
    [InlineData("2026-03-19T23:30:00Z", "3600s")]   // past Berlin midnight: the trip has begun
    [InlineData("2026-03-25T12:00:00Z", "3600s")]   // Berlin, CET
    [InlineData("2026-03-30T12:00:00Z", "7200s")]   // Berlin, after the EU change (Mar 29)
    [InlineData("2026-04-04T02:00:00Z", "7200s")]   // last trip night still on Berlin time
    [InlineData("2026-04-04T05:00:00Z", "-14400s")] // home again
    public async Task Offsets_follow_the_trip_and_both_dst_changes(string instant, string offset)
    {
        var at = DateTimeOffset.Parse(instant);
        var samples = await HeartRate($"heart_rate.sample_time.physical_time >= \"{instant}\" AND heart_rate.sample_time.physical_time < \"{at.AddMinutes(20):yyyy-MM-dd'T'HH:mm:ss'Z'}\"");
        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.Equal(offset, s.Offset));
        Assert.Equal(TimeSpan.FromSeconds(int.Parse(offset.TrimEnd('s'))), _h.Person.UtcOffsetAt(at));
    }

    [Fact]
    public async Task Civil_days_abroad_are_rolled_up_on_local_time()
    {
        var day = new DateOnly(2026, 3, 25);
        var (_, body, _) = await _h.DailyRollUpAsync("steps", day, day.AddDays(1));
        Assert.Equal(_h.Person.Day(day).Steps.ToString(), body.GetProperty("rollupDataPoints")[0].GetProperty("steps").GetProperty("countSum").GetString());
        Assert.Equal(1140, _h.Person.Day(new DateOnly(2026, 3, 19)).VisibleMinutes); // the evening flight east shortens the day
        Assert.Equal(1800, _h.Person.Day(new DateOnly(2026, 4, 4)).VisibleMinutes);  // flying west repeats six hours
        Assert.Equal("Europe/Berlin", _h.Person.TimeZoneOn(day));
        var (_, settings, _) = await _h.GetAsync("v4/users/me/settings");
        Assert.Equal("America/New_York", settings.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task Steps_interval_civil_times_are_start_and_end_plus_their_offsets()
    {
        var (points, _) = await _h.ListAllAsync("steps", "steps.interval.start_time >= \"2026-03-29T00:00:00Z\" AND steps.interval.start_time < \"2026-03-29T03:00:00Z\"", pageSize: 10000);
        var days = (await _h.ListAllAsync("steps", "steps.interval.civil_start_time >= \"2026-03-29T14:00:00\" AND steps.interval.civil_start_time < \"2026-03-29T15:00:00\"", pageSize: 10000)).Points;
        Assert.NotEmpty(days);
        foreach (var p in days)
        {
            var i = p.GetProperty("steps").GetProperty("interval");
            Assert.Equal("7200s", i.GetProperty("startUtcOffset").GetString());
            Assert.Equal(14, i.GetProperty("civilStartTime").GetProperty("time").GetProperty("hours").GetInt32());
            Assert.Equal(DateTimeOffset.Parse(i.GetProperty("startTime").GetString()!).AddMinutes(1), DateTimeOffset.Parse(i.GetProperty("endTime").GetString()!));
        }
        Assert.All(points, p => Assert.Contains(p.GetProperty("steps").GetProperty("interval").GetProperty("startUtcOffset").GetString(), new[] { "3600s", "7200s" }));
    }

    [Fact]
    public async Task Exercise_and_sleep_intervals_carry_no_civil_times_but_other_intervals_do()
    {
        // evidence §1.5: exercise interval has only startTime/endTime/*UtcOffset (haelan field map, Google codelab)
        var (exercises, _) = await _h.ListAllAsync("exercise", "exercise.interval.civil_start_time >= \"2026-11-01\" AND exercise.interval.civil_start_time < \"2026-11-15\"");
        Assert.NotEmpty(exercises);
        foreach (var p in exercises)
        {
            var interval = p.GetProperty("exercise").GetProperty("interval");
            Assert.Equal(new[] { "endTime", "endUtcOffset", "startTime", "startUtcOffset" }, interval.EnumerateObject().Select(x => x.Name).Order());
        }
        var (sleeps, _) = await _h.ListAllAsync("sleep", "sleep.interval.civil_end_time >= \"2026-11-10\" AND sleep.interval.civil_end_time < \"2026-11-12\"");
        Assert.All(sleeps, p => Assert.False(p.GetProperty("sleep").GetProperty("interval").TryGetProperty("civilStartTime", out _)));
        var (steps, _) = await _h.ListAllAsync("steps", "steps.interval.civil_start_time >= \"2026-11-10T12:00:00\" AND steps.interval.civil_start_time < \"2026-11-10T13:00:00\"");
        Assert.All(steps, p => Assert.True(p.GetProperty("steps").GetProperty("interval").TryGetProperty("civilStartTime", out _)));
    }

    [Fact]
    public async Task Midnight_is_written_as_an_empty_time_object()
    {
        var (_, body, _) = await _h.ListAsync("steps", "steps.interval.civil_start_time >= \"2026-11-01\" AND steps.interval.civil_start_time < \"2026-11-19\"", pageSize: 10000);
        var raw = body.GetRawText();
        Assert.DoesNotContain("\"hours\":0", raw);
        Assert.DoesNotContain("\"minutes\":0", raw);
        var (_, rollup, _) = await _h.DailyRollUpAsync("steps", new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 11));
        Assert.Equal("{}", rollup.GetProperty("rollupDataPoints")[0].GetProperty("civilStartTime").GetProperty("time").GetRawText());
    }

    [Fact]
    public async Task Sleep_belongs_to_the_day_of_waking_and_its_stage_minutes_add_up()
    {
        for (var day = new DateOnly(2026, 11, 2); day <= new DateOnly(2026, 11, 16); day = day.AddDays(1))
        {
            var (points, _) = await _h.ListAllAsync("sleep", $"sleep.interval.civil_end_time >= \"{day:yyyy-MM-dd}\" AND sleep.interval.civil_end_time < \"{day.AddDays(1):yyyy-MM-dd}\"");
            var truth = _h.Person.SleepSessions(day, day);
            Assert.Equal(truth.Count, points.Count);
            foreach (var p in points)
            {
                var s = p.GetProperty("sleep");
                var interval = s.GetProperty("interval");
                var start = DateTimeOffset.Parse(interval.GetProperty("startTime").GetString()!);
                var end = DateTimeOffset.Parse(interval.GetProperty("endTime").GetString()!);
                var endCivil = end.UtcDateTime.AddSeconds(int.Parse(interval.GetProperty("endUtcOffset").GetString()!.TrimEnd('s')));
                Assert.Equal(day, DateOnly.FromDateTime(endCivil));
                var summary = s.GetProperty("summary");
                long Field(string n) => long.Parse(summary.GetProperty(n).GetString()!);
                var period = Field("minutesInSleepPeriod");
                Assert.Equal((long)(end - start).TotalMinutes, period);
                Assert.Equal(period, Field("minutesAsleep") + Field("minutesAwake"));
                Assert.Equal(period, summary.GetProperty("stagesSummary").EnumerateArray().Sum(x => long.Parse(x.GetProperty("minutes").GetString()!)));
                var stages = s.GetProperty("stages").EnumerateArray().ToList();
                Assert.Equal(start, DateTimeOffset.Parse(stages[0].GetProperty("startTime").GetString()!));
                Assert.Equal(end, DateTimeOffset.Parse(stages[^1].GetProperty("endTime").GetString()!));
                for (var i = 1; i < stages.Count; i++)
                    Assert.Equal(stages[i - 1].GetProperty("endTime").GetString(), stages[i].GetProperty("startTime").GetString());
                var allowed = s.GetProperty("type").GetString() == "STAGES" ? new[] { "AWAKE", "LIGHT", "DEEP", "REM" } : new[] { "ASLEEP", "RESTLESS", "AWAKE" };
                Assert.All(stages, st => Assert.Contains(st.GetProperty("type").GetString(), allowed));
                var metadata = s.GetProperty("metadata");
                Assert.True(metadata.TryGetProperty("mainSleep", out _) ^ metadata.TryGetProperty("nap", out _));
            }
            var main = truth.Single(t => t.IsMainSleep);
            Assert.True(main.End - main.Start > TimeSpan.FromHours(5));
        }
    }
}
