using FitbitPS.Engine.Api;
using FitbitPS.Engine.Records;
using Xunit;

namespace FitbitPS.Tests.Api;

public class RequestPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("heart-rate", 14)]
    [InlineData("total-calories", 14)]
    [InlineData("active-minutes", 14)]
    [InlineData("calories-in-heart-rate-zone", 14)]
    [InlineData("steps", 90)]
    [InlineData("activity-level", 90)]
    [InlineData("weight", 90)]
    public void Daily_roll_ups_split_exactly_at_the_range_limit_over_two_years(string typeId, int limit)
    {
        var type = DataTypeCatalog.Get(typeId);
        var range = new CivilRange(new DateTime(2024, 11, 21), new DateTime(2026, 11, 20)); // 730 days
        var chunks = RequestPlanner.DailyRollUpChunks(type, range);
        Assert.Equal((730 + limit - 1) / limit, chunks.Count);
        Assert.Equal(range.From, chunks[0].From);
        Assert.Equal(range.To, chunks[^1].To);
        for (int i = 0; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].Days <= limit);
            if (i < chunks.Count - 1)
            {
                Assert.Equal(limit, chunks[i].Days); // every chunk but the last is full
                Assert.Equal(chunks[i].To.AddDays(1), chunks[i + 1].From); // no gap, no overlap
            }
        }
        Assert.Equal(chunks.Count, RequestPlanner.MinimumRequests(type, DataTypeMethods.DailyRollUp, range));
    }

    [Fact]
    public void Roll_up_chunks_hold_at_most_floor_cap_over_window_windows()
    {
        var start = new DateTimeOffset(2026, 10, 1, 4, 0, 0, TimeSpan.Zero);
        var end = start.AddDays(30);
        var steps = RequestPlanner.RollUpChunks(DataTypeCatalog.Steps, start, end, TimeSpan.FromMinutes(1));
        Assert.Single(steps); // 43,200 minutes ≤ 129,600 (90 days of minutes): one unpaged request
        var hr = RequestPlanner.RollUpChunks(DataTypeCatalog.HeartRate, start, end, TimeSpan.FromMinutes(1));
        Assert.Equal(3, hr.Count); // 14 days of minutes = 20,160 windows a request
        Assert.All(hr.Take(2), c => Assert.Equal(TimeSpan.FromDays(14), c.End - c.Start));
        Assert.Equal(3, RequestPlanner.MinimumRequests(DataTypeCatalog.HeartRate, DataTypeMethods.RollUp, new CivilRange(new DateTime(2026, 10, 1), new DateTime(2026, 10, 30)), 0, TimeSpan.FromMinutes(1)));
        var hourly = RequestPlanner.RollUpChunks(DataTypeCatalog.HeartRate, start, start.AddDays(365), TimeSpan.FromHours(1));
        Assert.Equal(27, hourly.Count); // ceil(365 / 14)
        // A window that does not divide the cap: floor(14 d ÷ 5 h) = 67 windows (335 h) a request, never 68.
        var fiveHours = RequestPlanner.RollUpChunks(DataTypeCatalog.HeartRate, start, start.AddDays(30), TimeSpan.FromHours(5));
        Assert.All(fiveHours.Take(fiveHours.Count - 1), c => Assert.Equal(TimeSpan.FromHours(335), c.End - c.Start));
        Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() => RequestPlanner.RollUpChunks(DataTypeCatalog.HeartRate, start, end, TimeSpan.FromDays(15)));
    }

    [Fact]
    public void List_costs_one_request_per_full_page()
    {
        var range = new CivilRange(new DateTime(2020, 1, 1), new DateTime(2026, 11, 20));
        Assert.Equal(1, RequestPlanner.MinimumRequests(DataTypeCatalog.DailyRestingHeartRate, DataTypeMethods.List, range, 2516));
        Assert.Equal(1, RequestPlanner.MinimumRequests(DataTypeCatalog.Weight, DataTypeMethods.List, range, 0));
        Assert.Equal(5, RequestPlanner.MinimumRequests(DataTypeCatalog.HeartRate, DataTypeMethods.List, range, 20001)); // dense: 5,000 a page
        Assert.Equal(17, RequestPlanner.MinimumRequests(DataTypeCatalog.Sleep, DataTypeMethods.List, range, 401)); // 25 per page
    }

    [Fact]
    public void Civil_filters_use_google_field_names_half_open()
    {
        var range = new CivilRange(new DateTime(2026, 3, 7), new DateTime(2026, 3, 9));
        Assert.Equal("heart_rate.sample_time.civil_time >= \"2026-03-07\" AND heart_rate.sample_time.civil_time < \"2026-03-10\"", RequestPlanner.ListFilter(DataTypeCatalog.HeartRate, range));
        Assert.Equal("daily_resting_heart_rate.date >= \"2026-03-07\" AND daily_resting_heart_rate.date < \"2026-03-10\"", RequestPlanner.ListFilter(DataTypeCatalog.DailyRestingHeartRate, range));
        Assert.Equal("sleep.interval.civil_end_time >= \"2026-03-07\" AND sleep.interval.civil_end_time < \"2026-03-10\"", RequestPlanner.ListFilter(DataTypeCatalog.Sleep, range));
        Assert.Equal("exercise.interval.civil_start_time >= \"2026-03-07\" AND exercise.interval.civil_start_time < \"2026-03-10\"", RequestPlanner.ListFilter(DataTypeCatalog.Exercise, range));
        // Heart rate is read on physical time (a civil filter on it answers nothing live): RFC 3339 in UTC.
        Assert.False(DataTypeCatalog.HeartRate.CivilFilterWorks);
        Assert.Equal("heart_rate.sample_time.physical_time >= \"2026-03-07T05:00:00Z\" AND heart_rate.sample_time.physical_time < \"2026-03-10T04:00:00Z\"",
            DataTypeCatalog.HeartRate.PhysicalFilter(new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.FromHours(-5)), new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(-4))));
    }

    [Fact]
    public void Ranges_resolve_from_days_and_reject_reversed_or_future()
    {
        var today = Now.ToLocalTime().Date;
        var r = RequestPlanner.Resolve(null, null, 14, Now);
        Assert.Equal((today.AddDays(-13), today), (r.From, r.To));
        r = RequestPlanner.Resolve(null, null, null, Now);
        Assert.Equal(7, r.Days);
        r = RequestPlanner.Resolve(new DateTime(2026, 1, 1), new DateTime(2026, 1, 31), null, Now);
        Assert.Equal(31, r.Days);
        var reversed = Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() => RequestPlanner.Resolve(new DateTime(2026, 2, 1), new DateTime(2026, 1, 1), null, Now));
        Assert.Contains("reversed", reversed.Message);
        Assert.Equal("FitbitInvalidRange", reversed.ErrorId);
        Assert.Equal("-From 2026-02-01 -To 2026-01-01", reversed.Target);
        Assert.Contains("-From 2026-01-01 -To 2026-02-01", reversed.RecommendedAction);
        var future = Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() => RequestPlanner.Resolve(today.AddDays(5), today.AddDays(9), null, Now));
        Assert.Contains("future", future.Message);
        Assert.Equal("FitbitInvalidRange", Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() => RequestPlanner.Resolve(null, null, 0, Now)).ErrorId);
    }

    [Fact]
    public void Conversions_are_exact_to_the_stated_rounding()
    {
        Assert.Equal(100.0, Units.KgFromGrams(100000));
        Assert.Equal(220.46, Units.LbFromGrams(100000)); // 220.462262…
        Assert.Equal(1.0, Units.LbFromGrams(453.59237));
        Assert.Equal(1.0, Units.MilesFromMillimeters(1609344));
        Assert.Equal(1.609, Units.KmFromMillimeters(1609344));
        Assert.Equal(10.0, Units.KmFromMillimeters(10_000_000));
        Assert.Equal(6.214, Units.MilesFromMillimeters(10_000_000)); // 6.2137119…
        Assert.Equal(24.7, Units.Bmi(80000, 1800));
    }

    [Fact]
    public void Every_discovery_data_type_is_in_the_catalog()
    {
        var doc = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "google-health-v4.discovery.json")));
        var members = ((Newtonsoft.Json.Linq.JObject)doc["schemas"]!["DataPoint"]!["properties"]!).Properties().Select(p => p.Name)
            .Where(n => n != "name" && n != "dataSource");
        foreach (var m in members) Assert.NotNull(DataTypeCatalog.Find(m));
        Assert.Equal("heart-rate", DataTypeCatalog.Find("heart_rate")!.Id);
        Assert.Equal(25, DataTypeCatalog.Sleep.MaxPageSize);
        Assert.Equal(14, DataTypeCatalog.TotalCalories.RollUpRangeLimitDays);
    }
}

public class RollUpAcrossDstTests
{
    [Fact]
    public void Fourteen_civil_days_across_a_fall_back_change_need_two_heart_rate_roll_ups()
    {
        // 2025-10-27..2025-11-09 in New York: 14 civil days but 14 days + 1 hour of physical time.
        var zone = FitbitPS.Engine.Reading.PersonZone.Of(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var range = new CivilRange(new DateTime(2025, 10, 27), new DateTime(2025, 11, 9));
        var start = zone.StartOfDay(range.From);
        var end = zone.StartOfDay(range.EndExclusive);
        Assert.Equal(TimeSpan.FromDays(14) + TimeSpan.FromHours(1), end - start);
        var chunks = RequestPlanner.RollUpChunks(DataTypeCatalog.HeartRate, start, end, TimeSpan.FromHours(1));
        Assert.Equal(2, chunks.Count);
        Assert.Equal(2, RequestPlanner.MinimumRequests(DataTypeCatalog.HeartRate, DataTypeMethods.RollUp, range, 0, TimeSpan.FromHours(1), end - start));
        Assert.Equal(1, RequestPlanner.MinimumRequests(DataTypeCatalog.HeartRate, DataTypeMethods.RollUp, new CivilRange(new DateTime(2025, 11, 10), new DateTime(2025, 11, 23)), 0, TimeSpan.FromHours(1)));
    }
}
