using FitbitPS.Engine.Export;
using FitbitPS.Engine.Records;
using FitbitPS.Tests.Export;
using FitbitPS.Tests.Readers;
using Xunit;

namespace FitbitPS.Tests.Store;

/// <summary>What the store holds after an export, read with plain SQL; and what a reader sees while an export writes.</summary>
public class StoreTests
{
    [Fact]
    public async Task A_first_export_fills_the_tables_with_the_emulators_ground_truth()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var dir = new TempFolder();
        var from = new DateTime(2026, 9, 1);
        await h.Connection.ExportAsync(new ExportSpec { Path = dir.Path, DataTypes = new[] { "Activity", "RestingHeartRate", "Weight" }, From = from }, null, default);

        var activity = StoreDump.Rows(dir.Path, "SELECT Date, Steps, DistanceKm, Floors, AzmTotal, typeof(Steps), typeof(DistanceKm) FROM activity WHERE profile = 'default' ORDER BY Date");
        Assert.Equal(81, activity.Count); // 2026-09-01 .. 2026-11-20
        foreach (var row in activity)
        {
            var truth = h.Emulator.Person.Day(DateOnly.ParseExact(row[0], "yyyy-MM-dd"));
            Assert.Equal(truth.Steps.ToString(), row[1]);
            Assert.Equal(Units.KmFromMillimeters(truth.DistanceMillimeters), double.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(truth.Floors.ToString(), row[3]);
            Assert.Equal((truth.AzmFatBurn + truth.AzmCardio + truth.AzmPeak).ToString(), row[4]);
            Assert.Equal(("integer", "real"), (row[5], row[6])); // numbers as numbers: SQL sums and averages work
        }
        var resting = StoreDump.Rows(dir.Path, "SELECT Date, BeatsPerMinute FROM resting_heart_rate ORDER BY Date");
        Assert.Equal(81, resting.Count);
        foreach (var row in resting)
            Assert.Equal(h.Emulator.Person.Day(DateOnly.ParseExact(row[0], "yyyy-MM-dd")).RestingHeartRate.ToString(), row[1]);

        // The daily view joins them: one row per day.
        var daily = StoreDump.Rows(dir.Path, "SELECT Date, Steps, RestingHeartRate FROM daily ORDER BY Date");
        Assert.Equal(activity.Select(a => (a[0], a[1])), daily.Select(d => (d[0], d[1])));
        Assert.Equal(resting.Select(r => r[1]), daily.Select(d => d[2]));
        // The raw answers they came from are kept, compressed.
        var raw = StoreDump.Rows(dir.Path, "SELECT count(*), sum(size) > sum(length(content)) FROM raw_answers WHERE data_type = 'daily-resting-heart-rate'").Single();
        Assert.NotEqual("0", raw[0]);
        Assert.Equal("1", raw[1]);
    }

    [Fact]
    public async Task A_reader_while_an_export_writes_sees_whole_chunks_only_and_never_less_than_before()
    {
        using var dir = new TempFolder();
        // A real export process, slow chunks of samples (a day of 144 samples, 2 days per chunk, 20 ms per chunk).
        var export = TestHostProcess.Export(dir.Path, "2026-11-20", "--from", "2026-05-01", "--chunk-delay-ms", "30");
        var seen = new List<long>();
        int polls = 0;
        while (!export.IsCompleted)
        {
            await Task.Delay(5);
            if (!File.Exists(Path.Combine(dir.Path, "fitbitps.db"))) continue;
            List<string[]> perDay;
            try { perDay = StoreDump.Rows(dir.Path, "SELECT _day, count(*) FROM samples WHERE profile = 'default' GROUP BY _day"); }
            catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 1 or 5) { continue; } // the table is not there yet / being created
            polls++;
            // One statement is one snapshot: every day it holds is whole (a chunk commits whole or not at all).
            Assert.All(perDay, d => Assert.Equal("144", d[1]));
            long total = perDay.Sum(d => long.Parse(d[1]));
            if (seen.Count > 0) Assert.True(total >= seen[^1], "a later read saw fewer rows");
            seen.Add(total);
        }
        var result = await export;
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(polls >= 5, $"only {polls} reads happened during the export");
        Assert.True(seen.Distinct().Count() >= 2, "no read happened while rows were being added");
    }

    [Fact]
    public async Task An_export_runs_while_a_reader_holds_the_store_open()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 10, 1), new DateTime(2026, 11, 20));
        var request = new ExportRequest { Path = dir.Path, Kinds = new ExportKind[] { data.DayKind() }, Today = new DateTime(2026, 11, 20), From = new DateTime(2026, 10, 1) };
        await Exporter.RunAsync(request);
        // A slow pipeline: Get-Fitbit* -Path or Invoke-FitbitQuery in the middle of its rows.
        using var reader = StoreDump.Open(dir.Path);
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT Date FROM days";
        using var rows = command.ExecuteReader();
        Assert.True(rows.Read());

        data.AddDays(new DateTime(2026, 11, 15), new DateTime(2026, 11, 22), seed: 5);
        request.Today = new DateTime(2026, 11, 22);
        request.From = null;
        var result = (await Exporter.RunAsync(request)).Single();
        Assert.Equal(53, result.RowsTotal);
        Assert.True(rows.Read()); // the reader goes on with its own snapshot
    }

    [Fact]
    public async Task A_first_backfill_stopped_halfway_goes_on_from_where_it_stopped()
    {
        using var dir = new TempFolder();
        var data = new TestData();
        data.AddSamples(new DateTime(2026, 10, 1), new DateTime(2026, 11, 20), 24);
        int fetches = 0;
        var inner = data.SampleKind(chunkDays: 7);
        var failing = new ExportKind<TestSample>("Samples", "samples", async (from, to, ct) =>
        {
            if (Interlocked.Increment(ref fetches) == 5) throw new IOException("the network went away");
            return await inner.Fetch(from, to, ct);
        }, nameof(TestSample.Time), nameof(TestSample.Time)) { ChunkDays = 7, Intraday = true };
        var request = new ExportRequest { Path = dir.Path, Kinds = new ExportKind[] { failing }, Today = new DateTime(2026, 11, 20), From = new DateTime(2026, 10, 1) };
        await Assert.ThrowsAsync<IOException>(() => Exporter.RunAsync(request));

        // Four weeks are in the store and recorded as synced; the next run reads from there (minus the trailing window).
        var state = StoreDump.Rows(dir.Path, "SELECT from_day, last_complete_day FROM sync_state").Single();
        Assert.Equal("2026-10-01", state[0]);
        Assert.Equal("2026-10-28", state[1]);
        data.FetchedRanges.Clear();
        var result = (await Exporter.RunAsync(new ExportRequest { Path = dir.Path, Kinds = new ExportKind[] { data.SampleKind(chunkDays: 7) }, Today = new DateTime(2026, 11, 20) })).Single();
        Assert.Equal(new DateTime(2026, 10, 26), result.From);
        Assert.Equal(51 * 24, result.RowsTotal);
    }
}
