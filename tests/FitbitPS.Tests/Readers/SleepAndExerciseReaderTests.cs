using FitbitPS.Engine.Api;
using Xunit;

namespace FitbitPS.Tests.Readers;

public class SleepAndExerciseReaderTests
{
    [Fact]
    public async Task Sleep_is_dated_by_wake_day_with_stage_minutes_summing_to_the_session()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 2, 1), new DateTime(2026, 4, 30)); // 89 days, DST and a trip
        var sessions = h.Reader.ReadSleep(range, CancellationToken.None).Records();
        var truth = h.Emulator.Person.SleepSessions(DateOnly.FromDateTime(range.From), DateOnly.FromDateTime(range.To));

        Assert.Equal(truth.Count, sessions.Count);
        Assert.True(truth.Count > 25, "needs several pages of 25");
        Assert.Equal(RequestPlanner.MinimumRequests(DataTypeCatalog.Sleep, DataTypeMethods.List, range, truth.Count), h.RequestsFor("sleep"));
        for (int i = 0; i < truth.Count; i++)
        {
            var t = truth[i];
            var s = sessions[i];
            Assert.Equal(t.WakeDay.ToDateTime(TimeOnly.MinValue), s.Date);
            Assert.Equal(s.End.Date, s.Date); // woke up on that calendar day, in the zone of the moment
            Assert.Equal(t.Start, s.Start);
            Assert.Equal(t.EndUtcOffset, s.End.Offset);
            Assert.Equal(t.IsMainSleep, s.IsMainSleep);
            Assert.Equal(t.MinutesInSleepPeriod, s.TimeInBedMinutes);
            Assert.Equal(t.MinutesAsleep, s.MinutesAsleep);
            Assert.Equal(t.MinutesAwake, s.MinutesAwake);
            Assert.Equal(t.MinutesToFallAsleep, s.MinutesToFallAsleep);
            Assert.Equal(s.TimeInBedMinutes, s.DeepMinutes + s.LightMinutes + s.RemMinutes + s.WakeMinutes + s.AsleepMinutes + s.RestlessMinutes);
            Assert.Equal(t.StageMinutes("DEEP"), s.DeepMinutes);
            Assert.Equal(t.StageMinutes("REM"), s.RemMinutes);
            Assert.Equal(t.Type == "CLASSIC" ? "Classic" : "Stages", s.Type);
        }
        Assert.Contains(sessions, s => s.Start.Date < s.Date); // nights that began the evening before
    }

    [Fact]
    public async Task Sleep_stage_segments_cover_each_session()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 10, 1), new DateTime(2026, 10, 7));
        var sessions = h.Reader.ReadSleep(range, CancellationToken.None).Records();
        var stages = h.Reader.ReadSleepStages(range, CancellationToken.None).Records();
        foreach (var s in sessions)
        {
            var mine = stages.Where(x => x.SleepStart == s.Start).ToList();
            Assert.NotEmpty(mine);
            Assert.Equal(s.Start, mine[0].Start);
            Assert.Equal(s.End, mine[^1].End);
            Assert.Equal(s.TimeInBedMinutes, mine.Sum(x => x.Minutes));
            Assert.All(mine, x => Assert.Equal(s.Date, x.Date));
        }
        Assert.Equal(stages.OrderBy(x => x.Start).Select(x => x.Start), stages.Select(x => x.Start));
    }

    [Fact]
    public async Task Exercises_match_the_logged_workouts()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 1, 1), new DateTime(2026, 6, 30));
        var exercises = h.Reader.ReadExercise(range, CancellationToken.None).Records();
        var truth = h.Emulator.Person.Exercises(h.HomeMidnight(range.From).AddDays(-1), h.HomeMidnight(range.EndExclusive).AddDays(1))
            .Where(e => { var d = (e.Start + e.StartUtcOffset).UtcDateTime.Date; return d >= range.From && d <= range.To; }).OrderBy(e => e.Start).ToList();
        Assert.True(truth.Count > 25);
        Assert.Equal(truth.Count, exercises.Count);
        var made = h.RequestsFor("exercise");
        Assert.Equal(h.ServedPages("exercise", ReaderHarness.CivilFilter(DataTypeCatalog.Exercise, range)), made);
        for (int i = 0; i < truth.Count; i++)
        {
            var t = truth[i];
            var e = exercises[i];
            Assert.Equal(t.Start, e.Start);
            Assert.Equal(Math.Round(t.ActiveDuration.TotalMinutes, 1), e.DurationMinutes);
            Assert.Equal(Math.Round(t.DistanceMillimeters / 1e6, 3, MidpointRounding.AwayFromZero), e.DistanceKm ?? 0);
            Assert.Equal(Math.Round(t.DistanceMillimeters / 1609344.0, 3, MidpointRounding.AwayFromZero), e.DistanceMiles ?? 0);
            Assert.Equal(Math.Round(t.CaloriesKcal, 1, MidpointRounding.AwayFromZero), e.Calories!.Value, 1);
            Assert.Equal(t.AverageHeartRate, e.AverageHeartRate);
            Assert.False(string.IsNullOrEmpty(e.Type));
        }
    }

    [Fact]
    public async Task Generic_records_for_any_type_and_method()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 9, 1), new DateTime(2026, 9, 2));
        var raw = h.Reader.ReadData(DataTypeCatalog.Steps, DataTypeMethods.List, range, null, CancellationToken.None).Records();
        var reconciled = h.Reader.ReadData(DataTypeCatalog.Steps, DataTypeMethods.Reconcile, range, null, CancellationToken.None).Records();
        var daily = h.Reader.ReadData(DataTypeCatalog.Steps, DataTypeMethods.DailyRollUp, range, null, CancellationToken.None).Records();
        var hourly = h.Reader.ReadData(DataTypeCatalog.Steps, DataTypeMethods.RollUp, range, TimeSpan.FromHours(1), CancellationToken.None).Records();

        Assert.All(raw, r => Assert.Equal("steps", r.Type));
        Assert.Equal(2, daily.Count);
        var truthSteps = h.Emulator.Person.Day(new DateOnly(2026, 9, 1)).Steps + h.Emulator.Person.Day(new DateOnly(2026, 9, 2)).Steps;
        Assert.Equal(truthSteps, (long)daily.Sum(d => d.Value!.Value));
        Assert.Equal(truthSteps, (long)hourly.Sum(d => d.Value!.Value));
        Assert.Equal(truthSteps, (long)reconciled.Sum(d => d.Value!.Value)); // one value per minute
        Assert.True(raw.Sum(d => d.Value!.Value) > truthSteps); // list: phone and watch both counted
        Assert.Contains("countSum=", daily[0].Values);
        Assert.Equal(new DateTime(2026, 9, 1), daily[0].Date);
    }
}

public class IntradayRollUpTests
{
    [Fact]
    public async Task Two_months_of_minute_steps_come_in_one_unpaged_roll_up()
    {
        await using var h = await ReaderHarness.StartAsync();
        // 60 days = 86,400 minute windows ≤ floor(90 days ÷ 1 minute) = 129,600: one request, never paged;
        // minutes without steps are not sent
        var range = new CivilRange(new DateTime(2026, 7, 1), new DateTime(2026, 8, 29));
        var minutes = h.Reader.ReadData(DataTypeCatalog.Steps, DataTypeMethods.RollUp, range, TimeSpan.FromMinutes(1), CancellationToken.None).Records();
        Assert.True(minutes.Count > 10000, $"{minutes.Count} minutes with steps");
        Assert.Equal(1, h.RequestsFor("steps"));
        Assert.Equal(RequestPlanner.MinimumRequests(DataTypeCatalog.Steps, DataTypeMethods.RollUp, range, minutes.Count, TimeSpan.FromMinutes(1)), h.RequestsFor("steps"));
        Assert.Equal(minutes.OrderBy(m => m.Start).Select(m => m.Start), minutes.Select(m => m.Start));
        Assert.Equal(minutes.Count, minutes.Select(m => m.Start).Distinct().Count());
        var truth = Enumerable.Range(0, 60).Sum(i => h.Emulator.Person.Day(new DateOnly(2026, 7, 1).AddDays(i)).Steps);
        Assert.Equal(truth, (long)minutes.Sum(m => m.Value!.Value));
    }

    [Fact]
    public async Task Reader_level_minimums_match_what_the_readers_cost()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2025, 11, 20), new DateTime(2026, 11, 19)); // 365 days
        h.Reader.ReadActivityDays(range, CancellationToken.None).Records();
        Assert.Equal(57, RequestPlanner.MinimumRequestsForActivityDays(range));
        Assert.Equal(RequestPlanner.MinimumRequestsForActivityDays(range), h.DataRequests);
        h.Emulator.Requests.Clear();
        var sleeps = h.Reader.ReadSleep(range, CancellationToken.None).Records();
        var made = h.DataRequests;
        // at least the full-page minimum; exactly the pages Google serves (they come back short)
        Assert.True(made >= RequestPlanner.MinimumRequestsForSleep(range, sleeps.Count));
        Assert.Equal(h.ServedPages("sleep", ReaderHarness.CivilFilter(DataTypeCatalog.Sleep, range)), made);
        h.Emulator.Requests.Clear();
        var rhr = h.Reader.ReadRestingHeartRate(range, CancellationToken.None).Records();
        made = h.DataRequests;
        Assert.True(made >= RequestPlanner.MinimumRequestsForRestingHeartRate(range, rhr.Count));
        Assert.Equal(h.ServedPages("daily-resting-heart-rate", ReaderHarness.CivilFilter(DataTypeCatalog.DailyRestingHeartRate, range)), made);
    }
}
