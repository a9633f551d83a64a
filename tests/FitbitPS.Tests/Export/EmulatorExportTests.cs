using FitbitPS.Engine.Export;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace FitbitPS.Tests.Export;

/// <summary>
/// Export-FitbitData's engine end to end: the real reader over HTTP to the emulator, real files.
/// Request counts come from the emulator's own log.
/// </summary>
public class EmulatorExportTests
{
    private static readonly DateTime From = new(2026, 10, 1);
    private readonly ITestOutputHelper _output;

    public EmulatorExportTests(ITestOutputHelper output) { _output = output; }

    /// <summary>Google data types each kind is built from: the fewest requests a re-read can cost.</summary>
    private static readonly Dictionary<string, int> DataTypesPerKind = new()
    {
        ["Weight"] = 3,   // weight, body-fat, height (for BMI)
        ["Activity"] = 7, // one dailyRollUp per data type (steps, distance, floors, calories, active energy, AZM, activity level)
    };

    private static async Task<ReaderHarness> Start(Action<EmulatorOptions>? configure = null) =>
        await ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; configure?.Invoke(o); });

    private static async Task<IReadOnlyList<ExportResult>> Export(ReaderHarness h, string folder, DateTime? from = null, string[]? kinds = null, ExportFormat format = ExportFormat.Csv)
    {
        var request = HealthExport.Request(h.Reader, folder, kinds ?? new[] { "All" }, false, format, from, null, false);
        return await Exporter.RunAsync(request, HealthExport.Options(h.Reader));
    }

    private static int DataRequestsSince(ReaderHarness h, int before) => h.Emulator.Requests.HealthApi.Count(r => r.Path.Contains("/dataTypes/")) - before;

    [Fact]
    public async Task A_second_run_with_nothing_new_costs_one_request_per_data_type_and_changes_nothing()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        var first = await Export(h, dir.Path, From);
        Assert.Equal(HealthExport.DataTypes.Count - 2, first.Count); // every daily kind, no intraday
        Assert.All(first, r => Assert.Null(r.Error));
        Assert.All(first, r => Assert.True(File.Exists(r.File)));
        foreach (var r in first) _output.WriteLine($"{r.Kind,-22} {r.RowsTotal,6} rows {r.Requests,4} requests {Path.GetFileName(r.File)}");
        Assert.Contains(first, r => r.Kind == "Sleep" && r.RowsTotal >= 45);
        Assert.Equal(51, first.Single(r => r.Kind == "Activity").RowsTotal); // 2026-10-01 .. 2026-11-20
        var before = FolderSnapshot.Take(dir.Path);

        int requestsBefore = h.Emulator.Requests.HealthApi.Count;
        int dataBefore = DataRequestsSince(h, 0);
        var second = await Export(h, dir.Path);
        foreach (var r in second)
        {
            _output.WriteLine($"no-op {r.Kind,-22} {r.Requests} request(s), {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}");
            Assert.Equal(DataTypesPerKind.GetValueOrDefault(r.Kind, 1), r.Requests);
            Assert.Equal((0L, 0L, 0L), (r.RowsAdded, r.RowsUpdated, r.RowsRemoved));
            Assert.False(r.Changed);
            Assert.Equal(new DateTime(2026, 11, 17), r.From); // last complete day 11-19, 3-day window
        }
        // The emulator agrees: only data requests, exactly as many as the results say (no profile lookup).
        Assert.Equal(second.Sum(r => r.Requests), DataRequestsSince(h, dataBefore));
        Assert.Equal(second.Sum(r => r.Requests), h.Emulator.Requests.HealthApi.Count - requestsBefore);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task New_days_are_appended_and_late_synced_days_are_corrected_not_duplicated()
    {
        // Data reaches Google 6 h after it is recorded, so the first export sees a partial yesterday.
        await using var h = await Start(o => o.Person.SyncLag = TimeSpan.FromHours(6));
        using var dir = new TempFolder();
        string[] kinds = { "Activity", "Sleep", "SleepStage", "RestingHeartRate" };
        var first = await Export(h, dir.Path, From, kinds);
        var firstRows = first.ToDictionary(r => r.Kind, r => r.RowsTotal);

        h.Emulator.Clock.Advance(TimeSpan.FromDays(2));
        var second = await Export(h, dir.Path, null, kinds);

        // A fresh export at the new time is the truth: the incremental folder must hold exactly it.
        using var fresh = new TempFolder();
        await Export(h, fresh.Path, From, kinds);
        var expected = FolderSnapshot.Take(fresh.Path);
        var actual = FolderSnapshot.Take(dir.Path);
        foreach (var r in second)
        {
            string name = Path.GetFileName(r.File);
            Assert.True(expected[name].AsSpan().SequenceEqual(actual[name]), $"{name} differs from a fresh export");
            _output.WriteLine($"{r.Kind,-18} +{r.RowsAdded} ~{r.RowsUpdated} -{r.RowsRemoved} = {r.RowsTotal}");
            Assert.Equal(r.RowsTotal, firstRows[r.Kind] + r.RowsAdded - r.RowsRemoved);
        }
        var activity = second.Single(r => r.Kind == "Activity");
        Assert.Equal(2, activity.RowsAdded);           // exactly the two new days
        Assert.True(activity.RowsUpdated >= 1);         // yesterday's late minutes corrected in place
        var dates = File.ReadAllLines(activity.File).Skip(1).Select(l => l[..10]).ToList();
        Assert.Equal(dates.Count, dates.Distinct().Count());
        Assert.Equal("2026-11-22", dates[^1]);
    }

    [Fact]
    public async Task A_weight_logged_late_for_an_earlier_day_is_added_once()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        await Export(h, dir.Path, From, new[] { "Weight" });
        string file = Path.Combine(dir.Path, "weight.csv");
        var before = File.ReadAllLines(file);

        // Typed into the app now, dated two days ago (inside the trailing window).
        var at = h.Emulator.Clock.UtcNow.AddDays(-2).AddHours(-3);
        h.Emulator.Person.LogWeight(at, 81.25);
        var second = (await Export(h, dir.Path, null, new[] { "Weight" })).Single();
        Assert.Equal((1L, 0L, 0L), (second.RowsAdded, second.RowsUpdated, second.RowsRemoved));
        var after = File.ReadAllLines(file);
        Assert.Equal(before.Length + 1, after.Length);
        Assert.Single(after, l => l.Contains(",81.25,"));

        // Running again finds nothing new: the late weigh-in is not duplicated.
        var third = (await Export(h, dir.Path, null, new[] { "Weight" })).Single();
        Assert.Equal((0L, 0L, 0L), (third.RowsAdded, third.RowsUpdated, third.RowsRemoved));
        Assert.Equal(after, File.ReadAllLines(file));
    }

    [Fact]
    public async Task A_first_export_without_From_starts_at_the_account_start_from_the_profile()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        var r = (await Export(h, dir.Path, null, new[] { "RestingHeartRate" })).Single();
        Assert.Equal(new DateTime(2021, 6, 1), r.From); // PersonOptions.MembershipStart
        Assert.StartsWith("2021-06-0", File.ReadAllLines(r.File)[1]); // the first resting rate needs a night of data
        Assert.Equal(1, h.Emulator.Requests.HealthApi.Count(q => q.Path.EndsWith("/profile")));
    }

    [Fact]
    public async Task Json_lines_hold_the_same_rows_as_csv()
    {
        await using var h = await Start();
        using var csv = new TempFolder();
        using var json = new TempFolder();
        var c = (await Export(h, csv.Path, From, new[] { "Sleep" })).Single();
        var j = (await Export(h, json.Path, From, new[] { "Sleep" }, ExportFormat.Json)).Single();
        Assert.Equal(c.RowsTotal, j.RowsTotal);
        Assert.EndsWith("sleep-sessions.jsonl", j.File);
        Assert.Equal(j.RowsTotal, File.ReadAllLines(j.File).Length);
    }

    [Fact]
    public async Task Intraday_kinds_export_minutes_and_samples_and_rerun_without_duplicates()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        string[] kinds = { "ActivityIntraday", "HeartRateIntraday" };
        var first = await Export(h, dir.Path, new DateTime(2026, 11, 16), kinds);
        var minutes = first.Single(r => r.Kind == "ActivityIntraday");
        var samples = first.Single(r => r.Kind == "HeartRateIntraday");
        _output.WriteLine($"minutes {minutes.RowsTotal} ({minutes.Requests} requests), samples {samples.RowsTotal} ({samples.Requests} requests)");
        Assert.True(minutes.RowsTotal >= 4 * 1440, $"{minutes.RowsTotal} minute rows");
        Assert.True(samples.RowsTotal > minutes.RowsTotal);

        var second = await Export(h, dir.Path, null, kinds);
        Assert.All(second, r => Assert.Equal((0L, 0L, 0L), (r.RowsAdded, r.RowsUpdated, r.RowsRemoved)));
        var lines = File.ReadAllLines(minutes.File).Skip(1).Select(l => l.Split(',')[1]).ToList();
        Assert.Equal(lines.Count, lines.Distinct().Count());
    }
}
