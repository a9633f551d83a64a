using FitbitPS.Engine;
using FitbitPS.Engine.Api;
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

    /// <summary>Google data types each kind is built from: what a full re-read of the window costs.</summary>
    private static readonly Dictionary<string, int> DataTypesPerKind = new()
    {
        ["Weight"] = 3,   // weight, body-fat, height (for BMI)
        ["Activity"] = 7, // one dailyRollUp per data type (steps, distance, floors, calories, active energy, AZM, activity level)
    };

    /// <summary>The data type (emulator path segment) each kind's no-op run may ask for: one per kind,
    /// the change probe for multi-type kinds; SleepStage shares Sleep's read.</summary>
    private static readonly Dictionary<string, string> NoOpDataType = new()
    {
        ["Weight"] = "weight",
        ["Activity"] = "total-calories",
        ["Sleep"] = "sleep",
        ["RestingHeartRate"] = "daily-resting-heart-rate",
        ["HeartRateVariability"] = "daily-heart-rate-variability",
        ["OxygenSaturation"] = "daily-oxygen-saturation",
        ["BreathingRate"] = "daily-respiratory-rate",
        ["SkinTemperature"] = "daily-sleep-temperature-derivations",
        ["CardioFitness"] = "daily-vo2-max",
        ["Exercise"] = "exercise",
    };

    private static string DataTypeOf(HealthApiEmulator.Hosting.LoggedRequest r)
    {
        int i = r.Path.IndexOf("/dataTypes/", StringComparison.Ordinal) + "/dataTypes/".Length;
        int end = r.Path.IndexOf('/', i);
        string id = end < 0 ? r.Path[i..] : r.Path[i..end];
        int colon = id.IndexOf(':');
        return colon < 0 ? id : id[..colon];
    }

    /// <summary>What one kind's change probe costs at the fewest: the pages Google serves for the probe's list
    /// filter over the window (short and empty pages included), or one daily roll-up.</summary>
    private static int ProbePages(ReaderHarness h, string kind, DateTime from, DateTime to)
    {
        var type = DataTypeCatalog.Get(NoOpDataType[kind == "SleepStage" ? "Sleep" : kind]);
        return type.Supports(DataTypeMethods.List) ? h.ServedPages(type.Id, ReaderHarness.CivilFilter(type, new CivilRange(from, to))) : 1;
    }

    private static List<string> DataTypesRequestedSince(ReaderHarness h, int before, bool answeredOnly = false) =>
        h.Emulator.Requests.HealthApi.Skip(before).Where(r => r.Path.Contains("/dataTypes/") && (!answeredOnly || r.Status != 401)).Select(DataTypeOf).ToList();

    private static async Task<ReaderHarness> Start(Action<EmulatorOptions>? configure = null) =>
        await ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; configure?.Invoke(o); });

    private static async Task<IReadOnlyList<ExportResult>> Export(ReaderHarness h, string folder, DateTime? from = null, string[]? kinds = null, ExportFormat format = ExportFormat.Csv)
    {
        return await h.Connection.ExportAsync(new ExportSpec { Path = folder, DataTypes = kinds ?? new[] { "All" }, Format = format, From = from }, null, default);
    }

    private static int DataRequestsSince(ReaderHarness h, int before) => h.Emulator.Requests.HealthApi.Count(r => r.Path.Contains("/dataTypes/")) - before;

    [Fact]
    public async Task A_second_run_with_nothing_new_costs_at_most_one_request_per_kind_and_changes_nothing()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        var first = await Export(h, dir.Path, From);
        Assert.Equal(ExportKinds.DataTypes.Count - 2, first.Count); // every daily kind, no intraday
        Assert.All(first, r => Assert.Null(r.Error));
        Assert.All(first, r => Assert.True(File.Exists(r.File)));
        foreach (var r in first) _output.WriteLine($"{r.Kind,-22} {r.RowsTotal,6} rows {r.Requests,4} requests {Path.GetFileName(r.File)}");
        Assert.Contains(first, r => r.Kind == "Sleep" && r.RowsTotal >= 45);
        Assert.Equal(51, first.Single(r => r.Kind == "Activity").RowsTotal); // 2026-10-01 .. 2026-11-20
        var before = FolderSnapshot.Take(dir.Path);

        int requestsBefore = h.Emulator.Requests.HealthApi.Count;
        int dataBefore = DataRequestsSince(h, 0);
        var second = await Export(h, dir.Path);
        var asked = DataTypesRequestedSince(h, requestsBefore);
        _output.WriteLine("no-op asked for: " + string.Join(", ", asked));
        foreach (var r in second)
        {
            _output.WriteLine($"no-op {r.Kind,-22} {r.Requests} request(s), {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}");
            // The emulator agrees per kind: only the one data type the kind may ask for. Sleep and SleepStage
            // run at the same time and share one read of the sleep list: whichever starts it pays.
            var probeType = NoOpDataType[r.Kind == "SleepStage" ? "Sleep" : r.Kind];
            if (r.Kind != "SleepStage" && r.Kind != "Sleep") Assert.Equal(r.Requests, asked.Count(t => t == probeType));
            Assert.Equal((0L, 0L, 0L), (r.RowsAdded, r.RowsUpdated, r.RowsRemoved));
            Assert.False(r.Changed);
            Assert.Equal(new DateTime(2026, 11, 17), r.From); // last complete day 11-19, 3-day window
        }
        // Nothing behind the probes was read: no body fat, no height, no other activity type.
        Assert.Equal(asked.Count(t => t == "sleep"), second.Where(r => r.Kind is "Sleep" or "SleepStage").Sum(r => r.Requests));
        Assert.Equal(second.Count - 1, asked.Distinct().Count()); // one data type per kind, Sleep and SleepStage share one
        // The emulator agrees: only data requests, exactly as many as the results say (no profile lookup).
        Assert.Equal(second.Sum(r => r.Requests), DataRequestsSince(h, dataBefore));
        Assert.Equal(second.Sum(r => r.Requests), h.Emulator.Requests.HealthApi.Count - requestsBefore);
        // Each probe costs the pages Google serves for its window and no more: one when Google answers the
        // window in one page (most kinds), two when it sends an empty page with a token first.
        foreach (var r in second.Where(r => r.Kind != "SleepStage"))
        {
            var pages = ProbePages(h, r.Kind, new DateTime(2026, 11, 17), new DateTime(2026, 11, 20));
            if (r.Kind == "Sleep") Assert.Equal(pages, r.Requests + second.Single(x => x.Kind == "SleepStage").Requests);
            else Assert.Equal(pages, r.Requests);
        }
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task A_sync_later_the_same_day_is_seen_by_the_probe_and_the_folder_equals_a_fresh_export()
    {
        // Data reaches Google 3 h after it is recorded (09:00 of 12:00 in New York, after the morning
        // weigh-in and wake-up); 40 minutes later 40 more minutes have synced.
        await using var h = await Start(o => o.Person.SyncLag = TimeSpan.FromHours(3));
        using var dir = new TempFolder();
        string[] kinds = { "Weight", "Activity", "Sleep", "SleepStage" };
        await Export(h, dir.Path, From, kinds);
        var weightBefore = File.ReadAllBytes(Path.Combine(dir.Path, "weight.csv"));

        h.Emulator.Clock.Advance(TimeSpan.FromMinutes(40)); // 12:40 in New York: the same day, the same access token
        int before = h.Emulator.Requests.HealthApi.Count;
        var second = (await Export(h, dir.Path, null, kinds)).ToDictionary(r => r.Kind);
        var asked = DataTypesRequestedSince(h, before);
        foreach (var r in second.Values) _output.WriteLine($"{r.Kind,-10} {r.Requests} requests +{r.RowsAdded} ~{r.RowsUpdated} -{r.RowsRemoved}");

        // Activity: the probe saw the new minutes' calories, so every type was read, and the probe's
        // own request was the total-calories read of that full read (7, not 8).
        Assert.True(second["Activity"].Changed);
        Assert.True(second["Activity"].RowsUpdated >= 1);
        Assert.Equal(DataTypesPerKind["Activity"], second["Activity"].Requests);
        Assert.Equal(1, asked.Count(t => t == "total-calories"));
        // Weight: no weigh-in in that hour: one request, file untouched.
        Assert.Equal(1, second["Weight"].Requests);
        Assert.False(second["Weight"].Changed);
        Assert.DoesNotContain("body-fat", asked);
        Assert.Equal(weightBefore, File.ReadAllBytes(Path.Combine(dir.Path, "weight.csv")));

        using var fresh = new TempFolder();
        await Export(h, fresh.Path, From, kinds);
        var expected = FolderSnapshot.Take(fresh.Path);
        var actual = FolderSnapshot.Take(dir.Path);
        foreach (var r in second.Values)
        {
            string name = Path.GetFileName(r.File);
            Assert.True(expected[name].AsSpan().SequenceEqual(actual[name]), $"{name} differs from a fresh export");
        }
        Assert.True(expected[FolderSnapshot.StoreContent].AsSpan().SequenceEqual(actual[FolderSnapshot.StoreContent]), "the store differs from a fresh export's");

        // And once that is in the folder, the next run is a no-op again.
        int third = h.Emulator.Requests.HealthApi.Count;
        var again = await Export(h, dir.Path, null, kinds);
        Assert.All(again, r => Assert.False(r.Changed));
        Assert.Equal(3, h.Emulator.Requests.HealthApi.Count - third); // weight, total-calories, sleep
    }

    [Fact]
    public async Task The_first_run_of_a_new_day_reads_every_data_type_behind_a_probe()
    {
        // The probe (total calories, the weight list) cannot see a change that adds no minutes, such
        // as a body fat logged on its own or a new height; the emulator cannot make one, so what is
        // tested is the documented bound: the first run of each day re-reads everything.
        await using var h = await Start();
        using var dir = new TempFolder();
        string[] kinds = { "Weight", "Activity" };
        await Export(h, dir.Path, From, kinds);
        h.Emulator.Clock.Advance(TimeSpan.FromDays(1)); // (the access token expires too: 401s and retries are not counted)
        int before = h.Emulator.Requests.HealthApi.Count;
        await Export(h, dir.Path, null, kinds);
        var asked = DataTypesRequestedSince(h, before, answeredOnly: true);
        _output.WriteLine("first run of the day asked for: " + string.Join(", ", asked));
        Assert.Equal(new[] { "active-energy-burned", "active-zone-minutes", "activity-level", "body-fat", "distance", "floors", "height", "steps", "total-calories", "weight" },
            asked.Distinct().OrderBy(t => t, StringComparer.Ordinal));
        var same = await Export(h, dir.Path, null, kinds);
        Assert.All(same, r => Assert.Equal(ProbePages(h, r.Kind, r.From!.Value, r.To!.Value), r.Requests));
    }

    [Fact]
    public async Task The_probe_compares_json_lines_as_it_compares_csv()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        string[] kinds = { "Weight", "Activity" };
        await Export(h, dir.Path, From, kinds, ExportFormat.Json);
        var before = FolderSnapshot.Take(dir.Path);
        var second = await Export(h, dir.Path, null, kinds, ExportFormat.Json);
        Assert.All(second, r => Assert.Equal(1, r.Requests));
        Assert.All(second, r => Assert.False(r.Changed));
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));

        h.Emulator.Person.LogWeight(h.Emulator.Clock.UtcNow.AddDays(-1), 80.5, bodyFatPercent: 21.5);
        var third = (await Export(h, dir.Path, null, kinds, ExportFormat.Json)).ToDictionary(r => r.Kind);
        Assert.Equal((1L, 3L), (third["Weight"].RowsAdded, third["Weight"].Requests));
        Assert.Single(File.ReadAllLines(third["Weight"].File), l => l.Contains("\"WeightKg\":80.5,") && l.Contains("\"BodyFatPercent\":21.5,"));
        Assert.Equal(1, third["Activity"].Requests);
    }

    [Fact]
    public async Task Sleep_and_sleep_stages_together_cost_the_sleep_requests_once()
    {
        await using var h = await Start();
        using var alone = new TempFolder();
        using var both = new TempFolder();
        int before = h.Emulator.Requests.HealthApi.Count;
        await Export(h, alone.Path, From, new[] { "Sleep" });
        int sleepAlone = DataTypesRequestedSince(h, before).Count(t => t == "sleep");

        before = h.Emulator.Requests.HealthApi.Count;
        var results = await Export(h, both.Path, From, new[] { "Sleep", "SleepStage" });
        var asked = DataTypesRequestedSince(h, before);
        Assert.True(sleepAlone >= 1);
        Assert.Equal(sleepAlone, asked.Count(t => t == "sleep"));
        // Kinds are read concurrently, so whichever of the two asks first pays the shared sleep read;
        // the other pays nothing, and together they cost exactly what Sleep alone costs.
        var pair = results.Where(r => r.Kind is "Sleep" or "SleepStage").Select(r => r.Requests).ToArray();
        Assert.Equal(0, pair.Min());
        Assert.Equal(sleepAlone, pair.Sum());
        Assert.True(results.Single(r => r.Kind == "SleepStage").RowsTotal > 0);
        Assert.Equal(File.ReadAllBytes(Path.Combine(alone.Path, "sleep-sessions.csv")), File.ReadAllBytes(Path.Combine(both.Path, "sleep-sessions.csv")));
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
        // The probe (the weight list) saw it; its answer served the full read: weight, body fat, height.
        Assert.Equal(3, second.Requests);
        var after = File.ReadAllLines(file);
        Assert.Equal(before.Length + 1, after.Length);
        Assert.Single(after, l => l.Contains(",81.25,"));

        // Running again finds nothing new: the late weigh-in is not duplicated.
        var third = (await Export(h, dir.Path, null, new[] { "Weight" })).Single();
        Assert.Equal((0L, 0L, 0L), (third.RowsAdded, third.RowsUpdated, third.RowsRemoved));
        Assert.Equal(1, third.Requests);
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
