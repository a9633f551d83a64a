using FitbitPS.Engine.Api;
using FitbitPS.Engine.Records;
using HealthApiEmulator.Data;
using Xunit;

namespace FitbitPS.Tests.Readers;

/// <summary>
/// The readers against the emulator at its default, live-API strictness (google-health-live-evidence.md):
/// short and empty list pages with tokens, points dropped at page boundaries, 5,000-point pages for dense
/// types, heart rate every 2–5 s, roll-up pageSize bounds, no civil heart-rate filter. Values must equal the
/// emulator's ground truth on the person's own days, across DST changes and the yearly Berlin trip
/// (Mar 20 – Apr 3: the US springs forward before it, the EU during it), and no request may be refused.
/// </summary>
public class LiveApiRulesTests
{
    // Departure (the day ends at Berlin midnight), EU DST in Berlin, the return day (home midnight), NY fall-back.
    public static readonly TheoryData<string, string> Days = new()
    {
        { "2026-03-20", "2026-03-20" },
        { "2026-03-29", "2026-03-29" },
        { "2026-04-03", "2026-04-03" },
        { "2025-11-02", "2025-11-02" },
        { "2026-03-15", "2026-04-13" }, // 30 days: both DST changes and the whole trip
    };

    private static CivilRange Range(string from, string to) => new(DateTime.Parse(from), DateTime.Parse(to));

    private static void NoRefusals(ReaderHarness h)
        => Assert.Empty(h.Emulator.Requests.HealthApi.Where(r => r.Status is >= 400 and < 500 and not 429).Select(r => $"{r.Status} {r.Path}"));

    [Theory]
    [MemberData(nameof(Days))]
    public async Task Raw_heart_rate_is_every_sample_of_the_persons_own_days(string from, string to)
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = Range(from, to);
        var samples = h.Reader.ReadHeartRateSamples(range, CancellationToken.None).Records();

        var truth = h.Emulator.Person.HeartRateSamples(h.HomeMidnight(range.From).AddDays(-1), h.HomeMidnight(range.EndExclusive).AddDays(1))
            .Where(s => (s.At + s.UtcOffset).UtcDateTime.Date >= range.From && (s.At + s.UtcOffset).UtcDateTime.Date <= range.To)
            .ToList();
        Assert.Equal(truth.Count, samples.Count);
        Assert.Equal(truth.Select(s => (s.At.UtcTicks, s.UtcOffset, s.BeatsPerMinute)), samples.Select(s => (s.Time.UtcTicks, s.Time.Offset, s.BeatsPerMinute)));
        Assert.All(samples, s => Assert.Equal(s.Time.DateTime.Date, s.Date));
        // Dense: a sample every 2–5 s while worn, pages of at most 5,000.
        Assert.True(truth.Count > 12_000 * range.Days, $"{truth.Count} samples in {range.Days} days");
        var pages = h.RequestsFor("heart-rate");
        Assert.True(pages >= (truth.Count + 4999) / 5000, $"{pages} requests for {truth.Count} samples");
        // Filtered on physical time, never on the civil field Google answers empty.
        Assert.DoesNotContain(h.Emulator.Requests.HealthApi, r => r.Path.Contains("/heart-rate/") && (r.Query ?? "").Contains("civil_time"));
        NoRefusals(h);
    }

    [Fact]
    public async Task A_trip_day_costs_one_request_per_edge_at_most_and_a_home_day_none()
    {
        await using var h = await ReaderHarness.StartAsync();
        // A settled home day: the home zone's midnights are the person's: one filter, its pages.
        var home = Range("2026-02-10", "2026-02-10");
        var homeRead = h.Reader.ReadHeartRateSamples(home, CancellationToken.None).Records();
        Assert.Equal(h.Emulator.Person.HeartRateSamples(h.HomeMidnight(home.From), h.HomeMidnight(home.EndExclusive)).Count(), homeRead.Count);
        Assert.Equal(1, h.Emulator.Requests.HealthApi.Where(r => r.Path.Contains("/heart-rate/")).Select(r => FilterOf(r.Query)).Distinct().Count());

        // Berlin: the day starts six hours before New York's midnight: the missing hours are one more filter.
        h.Emulator.Requests.Clear();
        var trip = Range("2026-03-25", "2026-03-25");
        var samples = h.Reader.ReadHeartRateSamples(trip, CancellationToken.None).Records();
        Assert.Equal(new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.FromHours(1)).UtcTicks / TimeSpan.TicksPerDay,
            samples.Min(s => s.Time).UtcTicks / TimeSpan.TicksPerDay);
        Assert.All(samples, s => Assert.Equal(TimeSpan.FromHours(1), s.Time.Offset));
        var filters = h.Emulator.Requests.HealthApi.Where(r => r.Path.Contains("/heart-rate/")).Select(r => FilterOf(r.Query)).Distinct().Count();
        Assert.Equal(2, filters); // the home-zone day, then the six hours before it
    }

    [Theory]
    [InlineData(IntradayInterval.Hour, "2026-03-15", "2026-04-13")]
    [InlineData(IntradayInterval.FifteenMinutes, "2026-03-28", "2026-03-30")]
    [InlineData(IntradayInterval.Minute, "2025-11-02", "2025-11-02")]
    [InlineData(IntradayInterval.Hour, "2025-11-20", "2026-11-19")]
    public async Task Activity_windows_equal_the_truth_of_each_physical_window(IntradayInterval interval, string from, string to)
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = Range(from, to);
        var windows = h.Reader.ReadActivityIntervals(range, interval, CancellationToken.None).Records();
        var size = RequestPlanner.WindowOf(interval);
        Assert.NotEmpty(windows);
        Assert.Equal(windows.OrderBy(w => w.Start).Select(w => w.Start), windows.Select(w => w.Start));
        foreach (var w in windows)
        {
            Assert.Equal(size, w.End - w.Start);
            var truth = h.Emulator.Person.Totals(w.Start, w.End);
            Assert.Equal(truth.Steps, w.Steps);
            Assert.Equal(truth.Floors, w.Floors);
            Assert.Equal(Units.KmFromMillimeters(truth.DistanceMillimeters), w.DistanceKm);
            Assert.InRange(w.CaloriesTotal!.Value - truth.TotalKcal, -0.0501, 0.0501);
        }
        // Nothing in the span is missing: the windows add up to the span's truth.
        var span = h.Emulator.Person.Totals(h.HomeMidnight(range.From), h.HomeMidnight(range.EndExclusive));
        Assert.Equal(span.Steps, windows.Sum(w => w.Steps));
        // One request covers at most floor(cap ÷ window) windows and is never paged.
        foreach (var type in new[] { DataTypeCatalog.Steps, DataTypeCatalog.Distance, DataTypeCatalog.Floors, DataTypeCatalog.TotalCalories })
            Assert.Equal(RequestPlanner.MinimumRequests(type, DataTypeMethods.RollUp, range, window: size,
                physicalSpan: h.HomeMidnight(range.EndExclusive) - h.HomeMidnight(range.From)), h.RequestsFor(type.Id));
        Assert.DoesNotContain(h.Emulator.Requests.HealthApi, r => (r.Body ?? "").Contains("pageSize"));
        NoRefusals(h);
    }

    [Theory]
    [InlineData(IntradayInterval.Hour, "2026-03-15", "2026-04-13")]
    [InlineData(IntradayInterval.FifteenMinutes, "2026-03-29", "2026-03-29")]
    [InlineData(IntradayInterval.Minute, "2026-04-03", "2026-04-03")]
    public async Task Heart_rate_windows_equal_min_avg_max_of_their_samples(IntradayInterval interval, string from, string to)
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = Range(from, to);
        var windows = h.Reader.ReadHeartRateIntervals(range, interval, CancellationToken.None).Records();
        Assert.NotEmpty(windows);
        foreach (var w in windows)
        {
            var truth = h.Emulator.Person.Totals(w.Start, w.End);
            Assert.Equal(truth.MinBpm, (int?)w.MinBpm);
            Assert.Equal(truth.MaxBpm, (int?)w.MaxBpm);
            Assert.InRange(w.AverageBpm!.Value - truth.AverageBpm!.Value, -0.0501, 0.0501); // rounded to 1 decimal
        }
        var worn = h.Emulator.Person.HeartRateSamples(h.HomeMidnight(range.From), h.HomeMidnight(range.EndExclusive))
            .Select(s => s.At.UtcTicks / RequestPlanner.WindowOf(interval).Ticks).Distinct().Count();
        Assert.Equal(worn, windows.Count);
        NoRefusals(h);
    }

    [Theory]
    [InlineData("steps", 3600, "2026-03-15", "2026-04-13")]
    [InlineData("steps", 6 * 3600, "2025-11-20", "2026-11-19")]
    [InlineData("distance", 1800, "2026-03-28", "2026-03-30")]
    [InlineData("total-calories", 2 * 3600, "2026-03-15", "2026-04-13")]
    [InlineData("heart-rate", 900, "2026-03-29", "2026-03-29")]
    [InlineData("steps", 86400, "2026-03-15", "2026-04-13")]
    public async Task Get_FitbitData_windows_cover_the_span_with_the_fewest_unpaged_roll_ups(string typeId, int windowSeconds, string from, string to)
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = Range(from, to);
        var window = TimeSpan.FromSeconds(windowSeconds);
        var rows = h.Reader.ReadData(typeId, "RollUp", range, window, CancellationToken.None).Records();
        var type = DataTypeCatalog.Get(typeId);
        var start = h.HomeMidnight(range.From);
        var end = h.HomeMidnight(range.EndExclusive);
        var span = h.Emulator.Person.Totals(start, end);
        switch (typeId)
        {
            case "steps": Assert.Equal(span.Steps, (long)rows.Sum(r => r.Value!.Value)); break;
            case "distance": Assert.Equal(span.DistanceMillimeters, (long)rows.Sum(r => r.Value!.Value)); break;
            case "total-calories": Assert.InRange(rows.Sum(r => r.Value!.Value) - span.TotalKcal, -0.01, 0.01); break;
            case "heart-rate": Assert.Equal(span.HeartRateSamples > 0, rows.Count > 0); break;
        }
        Assert.All(rows, r => Assert.True(r.End - r.Start <= window));
        Assert.Equal(RequestPlanner.MinimumRequests(type, DataTypeMethods.RollUp, range, window: window, physicalSpan: end - start), h.RequestsFor(typeId));
        NoRefusals(h);
    }

    [Fact]
    public async Task A_window_longer_than_the_cap_is_refused_before_any_request()
    {
        await using var h = await ReaderHarness.StartAsync();
        var e = Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() =>
            h.Reader.ReadData("heart-rate", "RollUp", Range("2026-01-01", "2026-02-28"), TimeSpan.FromDays(20), CancellationToken.None).Records());
        Assert.Contains("14-day", e.Message);
        Assert.Equal(0, h.DataRequests);
    }

    [Fact]
    public async Task Floors_are_never_listed_and_daily_resting_heart_rate_never_rolled_up()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = Range("2026-10-01", "2026-10-14");
        var floors = h.Reader.ReadData("floors", null, range, null, CancellationToken.None).Records();
        // one row per day that has floors (the daily roll-up leaves out days without data)
        var truthDays = Enumerable.Range(0, range.Days).Select(i => h.Emulator.Person.Day(DateOnly.FromDateTime(range.From.AddDays(i)))).Where(d => d.Floors > 0).ToList();
        Assert.Equal(truthDays.Select(d => (d.Date.ToDateTime(TimeOnly.MinValue), (double)d.Floors)), floors.Select(f => (f.Date!.Value, f.Value!.Value)));
        Assert.Contains(h.Emulator.Requests.HealthApi, r => r.Path.EndsWith("/floors/dataPoints:dailyRollUp"));
        h.Reader.ReadRestingHeartRate(range, CancellationToken.None).Records();
        Assert.DoesNotContain(h.Emulator.Requests.HealthApi, r => r.Path.Contains("daily-resting-heart-rate/dataPoints:"));
        var e = Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() => h.Reader.ReadData("floors", "List", range, null, CancellationToken.None).Records());
        Assert.Equal("FitbitUnsupportedMethod", e.ErrorId);
        NoRefusals(h);
    }

    [Fact]
    public async Task Raw_steps_list_gets_back_the_points_Google_drops_at_page_boundaries()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = Range("2026-10-01", "2026-10-03"); // a boundary here falls between the phone and the watch of one minute
        var points = h.Reader.ReadData("steps", "List", range, null, CancellationToken.None).Records();
        var truth = Enumerable.Range(0, range.Days).Sum(i => h.Emulator.Person.Day(DateOnly.FromDateTime(range.From.AddDays(i))).RawStepsAllSources);
        Assert.Equal(truth, (long)points.Sum(p => p.Value!.Value));
        // phone and watch points share each minute's timestamp, so the boundaries did drop some
        Assert.True(h.Emulator.Paging.BoundarySkippedPointsOf("steps") > 0, "the emulator dropped nothing at its page boundaries");
        var listPages = h.Emulator.Requests.HealthApi.Count(r => r.Path.EndsWith("/steps/dataPoints") && (r.Query ?? "").Contains("pageToken"));
        var boundaryChecks = h.Emulator.Requests.HealthApi.Count(r => r.Path.EndsWith("/steps/dataPoints") && !(r.Query ?? "").Contains("pageToken")) - 1;
        Assert.InRange(boundaryChecks, 1, listPages); // at most one per page boundary
        NoRefusals(h);
    }

    [Fact]
    public async Task With_exact_pages_nothing_is_asked_twice()
    {
        await using var h = await ReaderHarness.StartAsync(o => { o.ShortPages = false; o.PageBoundaryLoss = false; });
        var range = Range("2026-10-05", "2026-10-07");
        var points = h.Reader.ReadData("steps", "List", range, null, CancellationToken.None).Records();
        var truth = Enumerable.Range(0, range.Days).Sum(i => h.Emulator.Person.Day(DateOnly.FromDateTime(range.From.AddDays(i))).RawStepsAllSources);
        Assert.Equal(truth, (long)points.Sum(p => p.Value!.Value));
        Assert.Equal(1, h.Emulator.Requests.HealthApi.Count(r => r.Path.EndsWith("/steps/dataPoints") && !(r.Query ?? "").Contains("pageToken")));
    }

    private static string FilterOf(string? query)
    {
        var q = System.Web.HttpUtility.ParseQueryString(query ?? "");
        return q["filter"] ?? "";
    }
}
