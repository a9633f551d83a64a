using FitbitPS.Engine.Export;
using Xunit;

namespace FitbitPS.Tests.Export;

/// <summary>The exporter's store, sync state, incremental ranges and derived files, with records from an in-memory
/// source (the end-to-end versions against the emulator are in EmulatorExportTests).</summary>
public class MergeTests
{
    private static readonly DateTime Today = new(2026, 11, 20);

    private static ExportRequest Request(string path, TestData data, DateTime? from = null, ExportFormat format = ExportFormat.Csv, params ExportKind[] kinds) => new()
    {
        Path = path,
        Kinds = kinds.Length > 0 ? kinds : new ExportKind[] { data.DayKind() },
        Format = format,
        From = from,
        Today = Today,
        AccountStart = _ => Task.FromResult<DateTime?>(new DateTime(2026, 9, 1)),
    };

    private static string[] Lines(string file) => File.ReadAllText(file).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task First_run_backfills_from_the_account_start_and_a_second_run_rereads_only_the_trailing_window()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 9, 1), Today);

        var first = (await Exporter.RunAsync(Request(dir.Path, data)))[0];
        Assert.Equal(new DateTime(2026, 9, 1), first.From);
        Assert.Equal(Today, first.To);
        Assert.Equal(81, first.RowsAdded);
        Assert.Equal(81, first.RowsTotal);
        var lines = Lines(first.File);
        Assert.Equal(82, lines.Length);
        Assert.StartsWith("Date,Steps,", lines[0]);
        Assert.StartsWith("2026-09-01,", lines[1]);
        Assert.StartsWith("2026-11-20,", lines[^1]);
        var before = FolderSnapshot.Take(dir.Path);

        data.FetchedRanges.Clear();
        var second = (await Exporter.RunAsync(Request(dir.Path, data)))[0];
        // Last complete day was 11-19; 3-day trailing window → 11-17 .. today.
        Assert.Equal((new DateTime(2026, 11, 17), Today), Assert.Single(data.FetchedRanges));
        Assert.Equal(0, second.RowsAdded + second.RowsUpdated + second.RowsRemoved);
        Assert.False(second.Changed);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task New_days_are_appended_and_late_corrections_inside_the_window_replace_their_row()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 11, 1), Today);
        await Exporter.RunAsync(Request(dir.Path, data, from: new DateTime(2026, 11, 1)));
        string file = Path.Combine(dir.Path, "days.csv");
        var before = Lines(file);

        // Two days later: two new days, a late sync changes yesterday's steps, a day inside the window vanished.
        var later = Today.AddDays(2);
        data.AddDays(Today.AddDays(1), later);
        data.Days[Today] = TestData.Day(Today, 11111);
        data.Days.Remove(Today.AddDays(-2));
        data.Days[Today.AddDays(-10)] = TestData.Day(Today.AddDays(-10), 22222); // outside the window: not re-read
        var request = Request(dir.Path, data);
        request.Today = later;
        var result = (await Exporter.RunAsync(request))[0];

        Assert.Equal(new DateTime(2026, 11, 17), result.From); // last complete day 11-19 minus the window
        Assert.Equal(2, result.RowsAdded);
        Assert.Equal(1, result.RowsUpdated);
        Assert.Equal(1, result.RowsRemoved);
        var after = Lines(file);
        Assert.Equal(before.Length + 2 - 1, after.Length);
        Assert.Equal(after.Length - 1, result.RowsTotal);
        Assert.Single(after, l => l.StartsWith("2026-11-20,11111,"));
        Assert.DoesNotContain(after, l => l.StartsWith("2026-11-18,"));
        Assert.Contains(before.First(l => l.StartsWith("2026-11-10,")), after); // old row kept as it was
        Assert.Equal(after.Skip(1).OrderBy(l => l, StringComparer.Ordinal), after.Skip(1)); // still sorted, no duplicates
        Assert.Equal(after.Length - 1, after.Skip(1).Select(l => l[..10]).Distinct().Count());
    }

    [Fact]
    public async Task The_store_records_per_kind_what_is_complete()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 11, 1), Today);
        data.AddSamples(new DateTime(2026, 11, 15), Today, 4);
        await Exporter.RunAsync(Request(dir.Path, data, null, ExportFormat.Json, data.DayKind(), data.SampleKind()));
        Assert.Equal(new[]
            {
                new[] { "default", "Days", "Json", "2026-09-01", "2026-11-19", "20" },
                new[] { "default", "Samples", "Json", "2026-10-22", "2026-11-19", "24" },
            },
            StoreDump.Rows(dir.Path, "SELECT profile, kind, format, from_day, last_complete_day, row_count FROM sync_state ORDER BY kind"));
        // The typed tables hold the files' columns, numbers as numbers.
        Assert.Equal(new[] { "profile" }.Concat(ExportWriter.Columns<TestDay>()),
            StoreDump.Rows(dir.Path, "SELECT name FROM pragma_table_info('days')").Select(r => r[0]));
        Assert.Equal("integer", StoreDump.Rows(dir.Path, "SELECT typeof(Steps) FROM days LIMIT 1").Single()[0]);
        Assert.False(File.Exists(Path.Combine(dir.Path, "fitbitps-export.json")));
    }

    [Fact]
    public async Task Intraday_rows_are_read_in_chunks_and_merged_in_json_lines()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddSamples(new DateTime(2026, 11, 1), Today, 48);
        var kind = data.SampleKind(chunkDays: 3);
        var first = (await Exporter.RunAsync(Request(dir.Path, data, new DateTime(2026, 11, 1), ExportFormat.Json, kind)))[0];
        Assert.Equal(20 * 48, first.RowsTotal);
        Assert.Equal(7, data.Fetches); // 20 days in 3-day chunks

        data.Samples.Remove(data.Samples.Keys.Last());
        var corrected = data.Samples.Keys.First(k => k.Date == Today.AddDays(-1));
        data.Samples[corrected] = new TestSample { Time = corrected, BeatsPerMinute = 199 };
        var second = (await Exporter.RunAsync(Request(dir.Path, data, null, ExportFormat.Json, kind)))[0];
        Assert.Equal((0L, 1L, 1L), (second.RowsAdded, second.RowsUpdated, second.RowsRemoved));
        var lines = File.ReadAllLines(first.File);
        Assert.Equal(20 * 48 - 1, lines.Length);
        Assert.Single(lines, l => l.Contains("\"BeatsPerMinute\":199"));
    }

    [Fact]
    public async Task Full_rereads_everything_and_a_deleted_store_is_rebuilt_without_duplicates()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 10, 1), Today);
        await Exporter.RunAsync(Request(dir.Path, data, new DateTime(2026, 10, 1)));
        var before = FolderSnapshot.Take(dir.Path);

        File.Delete(Path.Combine(dir.Path, "fitbitps.db"));
        var again = (await Exporter.RunAsync(Request(dir.Path, data, new DateTime(2026, 10, 1))))[0];
        Assert.Equal(51, again.RowsAdded);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));

        data.FetchedRanges.Clear();
        var request = Request(dir.Path, data);
        request.Full = true;
        var full = (await Exporter.RunAsync(request))[0];
        Assert.Equal((new DateTime(2026, 10, 1), Today), Assert.Single(data.FetchedRanges));
        Assert.False(full.Changed);
    }

    [Theory]
    [InlineData("Date,Steps\r\n2026-11-01,5\r\n")]  // e.g. written by an older version
    [InlineData(null)]                               // deleted
    public async Task A_file_edited_by_hand_or_deleted_is_written_again_from_the_store_with_no_reads(string? content)
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 11, 1), Today);
        await Exporter.RunAsync(Request(dir.Path, data, new DateTime(2026, 11, 1)));
        string file = Path.Combine(dir.Path, "days.csv");
        var original = File.ReadAllBytes(file);
        if (content == null) File.Delete(file); else File.WriteAllText(file, content);

        var result = (await Exporter.RunAsync(Request(dir.Path, data)))[0];
        Assert.True(result.Changed);
        Assert.Equal(20, result.RowsTotal);
        Assert.Equal(original, File.ReadAllBytes(file));
    }

    [Fact]
    public async Task WhatIf_plan_names_the_files_and_ranges_and_writes_nothing()
    {
        using var dir = new TempFolder();
        string target = dir.Sub("not-yet");
        var data = new TestData();
        data.AddDays(new DateTime(2026, 11, 1), Today);
        var plan = await Exporter.PlanAsync(Request(target, data));
        var item = Assert.Single(plan);
        Assert.Equal(Path.Combine(target, "days.csv"), item.File);
        Assert.Equal(new DateTime(2026, 9, 1), item.From);
        Assert.Equal("read 2026-09-01..2026-11-20 into the store and write days.csv", item.Action);
        Assert.False(Directory.Exists(target));
        Assert.Equal(0, data.Fetches);
    }

    [Fact]
    public async Task Progress_is_reported_per_kind_and_overall()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 11, 1), Today);
        data.AddSamples(new DateTime(2026, 11, 1), Today, 2);
        var reports = new List<ExportProgress>();
        await Exporter.RunAsync(Request(dir.Path, data, new DateTime(2026, 11, 1), ExportFormat.Csv, data.DayKind(), data.SampleKind(5)),
            new ExportOptions { Progress = reports.Add });
        // The kinds are read at the same time: both report, in whichever order their reads go.
        Assert.Equal(new[] { "Days", "Samples" }, reports.Select(r => r.Kind).Distinct().OrderBy(k => k));
        Assert.Equal(2, reports.Count(r => r.Completed));
        Assert.Equal(100, reports.Last().OverallPercent);
        Assert.True(reports.Select(r => r.OverallPercent).SequenceEqual(reports.Select(r => r.OverallPercent).OrderBy(p => p)));
        Assert.Contains(reports, r => r.Kind == "Samples" && !r.Completed && r.KindPercent is > 0 and < 100);
    }
}
