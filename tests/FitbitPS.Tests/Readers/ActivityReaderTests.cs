using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Records;
using Xunit;

namespace FitbitPS.Tests.Readers;

public class ActivityReaderTests
{
    [Fact]
    public async Task Two_years_of_daily_activity_match_ground_truth_at_the_minimum_request_count()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2024, 1, 1), new DateTime(2025, 12, 31)); // 731 days
        var days = h.Reader.ReadActivityDays(range, CancellationToken.None).Records();

        // one request per chunk per type: 14-day types split at 14, the rest at 90
        foreach (var type in FitbitReader.ActivityDayTypes)
            Assert.Equal(RequestPlanner.MinimumRequests(type, DataTypeMethods.DailyRollUp, range), h.RequestsFor(type.Id));
        Assert.Equal(53, h.RequestsFor("total-calories"));
        Assert.Equal(9, h.RequestsFor("steps"));

        // ascending, one row per civil day, every day present
        Assert.Equal(731, days.Count);
        Assert.Equal(Enumerable.Range(0, 731).Select(i => range.From.AddDays(i)), days.Select(d => d.Date));

        var duplicatedDays = 0;
        foreach (var day in days)
        {
            var truth = h.Emulator.Person.Day(DateOnly.FromDateTime(day.Date));
            Assert.Equal(truth.Steps, day.Steps);
            Assert.Equal(Units.KmFromMillimeters(truth.DistanceMillimeters), day.DistanceKm);
            Assert.Equal(Units.MilesFromMillimeters(truth.DistanceMillimeters), day.DistanceMiles);
            Assert.Equal(truth.Floors, day.Floors);
            // kcal are rounded to 1 decimal; sums of float minutes may land either side of a .x5 boundary
            Assert.InRange(day.CaloriesTotal!.Value - truth.TotalKcal, -0.0501, 0.0501);
            Assert.InRange(day.CaloriesActive!.Value - truth.ActiveKcal, -0.0501, 0.0501);
            Assert.Equal((truth.AzmFatBurn, truth.AzmCardio, truth.AzmPeak), (day.AzmFatBurn, day.AzmCardio, day.AzmPeak));
            Assert.Equal(truth.AzmFatBurn + truth.AzmCardio + truth.AzmPeak, day.AzmTotal);
            Assert.Equal(truth.SedentaryMinutes, day.SedentaryMinutes);
            Assert.Equal(truth.ActiveMinutesLight, day.LightMinutes);
            Assert.Equal(truth.ActiveMinutesModerate, day.ModerateMinutes);
            Assert.Equal(truth.ActiveMinutesVigorous, day.VigorousMinutes);
            if (truth.RawStepsAllSources > truth.Steps) duplicatedDays++;
        }
        // phone + watch both reported steps on most days: list would double count, the roll-up doesn't
        Assert.True(duplicatedDays > 300, $"only {duplicatedDays} days had phone+watch duplicates");
    }

    [Fact]
    public async Task Days_across_DST_and_a_trip_are_the_persons_own_calendar_days()
    {
        await using var h = await ReaderHarness.StartAsync();
        // US DST starts 2025-03-09; the person flies to Berlin for Mar 20 – Apr 3 (EU DST Mar 30).
        var range = new CivilRange(new DateTime(2025, 3, 5), new DateTime(2025, 4, 8));
        var days = h.Reader.ReadActivityDays(range, CancellationToken.None).Records();
        Assert.Equal(range.Days, days.Count);
        foreach (var day in days)
        {
            var truth = h.Emulator.Person.Day(DateOnly.FromDateTime(day.Date));
            Assert.Equal(truth.Steps, day.Steps);
            Assert.Equal(truth.SedentaryMinutes + truth.ActiveMinutesLight + truth.ActiveMinutesModerate + truth.ActiveMinutesVigorous,
                day.SedentaryMinutes + day.LightMinutes + day.ModerateMinutes + day.VigorousMinutes);
        }
        Assert.Equal("Europe/Berlin", h.Emulator.Person.TimeZoneOn(new DateOnly(2025, 3, 25)));
    }

    [Fact]
    public async Task Hourly_activity_sums_to_the_daily_totals()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2025, 11, 1), new DateTime(2025, 11, 3)); // DST ends Nov 2 in New York
        var hours = h.Reader.ReadActivityIntervals(range, IntradayInterval.Hour, CancellationToken.None).Records();
        Assert.Equal(hours.OrderBy(x => x.Start).Select(x => x.Start), hours.Select(x => x.Start));
        foreach (var group in hours.GroupBy(x => x.Date))
        {
            var truth = h.Emulator.Person.Day(DateOnly.FromDateTime(group.Key));
            Assert.Equal(truth.Steps, group.Sum(x => x.Steps));
            Assert.Equal(truth.Floors, group.Sum(x => x.Floors));
        }
        Assert.Equal(3, hours.Select(x => x.Date).Distinct().Count());
        Assert.Contains(hours, x => x.Start.Offset == TimeSpan.FromHours(-4));
        Assert.Contains(hours, x => x.Start.Offset == TimeSpan.FromHours(-5));
        // settings once (the person's zone), then one rollUp per type (3 days ≪ the range limits)
        Assert.Equal(1, h.Emulator.Requests.HealthApi.Count(r => r.Path.EndsWith("/settings", StringComparison.Ordinal)));
        foreach (var t in new[] { "steps", "distance", "floors", "total-calories" })
            Assert.Equal(1, h.RequestsFor(t));
    }
}
