using FitbitPS.Engine;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Reading;
using FitbitPS.Tests.Export;
using FitbitPS.Tests.Readers;
using Xunit;
using Xunit.Abstractions;

namespace FitbitPS.Tests.Store;

/// <summary>
/// The store keeps the API answers records were parsed from: a re-parse re-derives every kind table from them with
/// zero requests (counted at the emulator) and ends exactly where the sync ended, intraday kinds, trailing-window
/// re-reads and a late sync included.
/// </summary>
public class ReparseTests
{
    private readonly ITestOutputHelper _output;
    public ReparseTests(ITestOutputHelper output) { _output = output; }

    private static Task<ReaderHarness> Start() => ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; o.Person.SyncLag = TimeSpan.FromHours(3); });

    private static Task<IReadOnlyList<ExportResult>> Export(ReaderHarness h, string folder, DateTime? from, params string[] kinds) =>
        h.Connection.ExportAsync(new ExportSpec { Path = folder, DataTypes = kinds.Length == 0 ? new[] { "All" } : kinds, IncludeIntraday = kinds.Length == 0, From = from }, null, default);

    [Fact]
    public async Task A_reparse_with_zero_requests_gives_the_tables_and_files_of_the_sync()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        // The connection already knows the person's time zone (an earlier command read heart rate): the export must
        // still keep the settings answer, or a re-parse of the physical-time reads would have no time zone.
        var day = new DateTime(2026, 11, 1);
        Assert.NotEmpty(h.Connection.OpenReader().ReadHeartRateSamples(new FitbitPS.Engine.Api.CivilRange(day, day), default).Records());
        await Export(h, dir.Path, new DateTime(2026, 10, 20));
        Assert.Equal("1", StoreDump.Rows(dir.Path, "SELECT count(*) FROM raw_answers WHERE path = 'v4/users/me/settings'").Single()[0]);
        // A later run the same day (a late sync lands in the trailing window) and one the next day.
        h.Emulator.Clock.Advance(TimeSpan.FromMinutes(50));
        await Export(h, dir.Path, null);
        h.Emulator.Clock.Advance(TimeSpan.FromDays(1));
        await Export(h, dir.Path, null);
        var synced = FolderSnapshot.Take(dir.Path);
        var raw = StoreDump.Rows(dir.Path, "SELECT count(*), sum(size), sum(length(content)) FROM raw_answers").Single();
        _output.WriteLine($"raw answers: {raw[0]}, {long.Parse(raw[1]) / 1024} KB, {long.Parse(raw[2]) / 1024} KB gzip");

        // Empty every kind table: only the raw answers are left to rebuild them from.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, "fitbitps.db")};Pooling=False"))
        {
            connection.Open();
            foreach (var table in new[] { "weight", "activity", "sleep_sessions", "sleep_stages", "resting_heart_rate", "heart_rate_variability",
                         "oxygen_saturation", "breathing_rate", "skin_temperature", "cardio_fitness", "exercises", "activity_minutes", "heart_rate_samples" })
            {
                using var delete = connection.CreateCommand();
                delete.CommandText = $"DELETE FROM {table}";
                delete.ExecuteNonQuery();
            }
        }
        Assert.NotEqual(synced[FolderSnapshot.StoreContent], FolderSnapshot.Take(dir.Path)[FolderSnapshot.StoreContent]);

        int requests = h.Emulator.Requests.HealthApi.Count;
        var results = await FitbitConnection.ReparseAsync(dir.Path, null, new[] { "All" }, null, default);

        Assert.Equal(requests, h.Emulator.Requests.HealthApi.Count); // not one request
        Assert.Equal(13, results.Count);
        Assert.All(results, r => Assert.Equal(0, r.Requests));
        Assert.True(results.Single(r => r.Kind == "HeartRateIntraday").RowsAdded > 10000);
        // The tables are the sync's again, and so the files: the rebuilt tables were exactly what the files held.
        FolderSnapshot.AssertEqual(synced, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task A_newer_parser_version_reparses_before_the_next_sync_and_a_store_without_the_answers_says_so()
    {
        await using var h = await Start();
        using var dir = new TempFolder();
        await Export(h, dir.Path, new DateTime(2026, 11, 1), "Sleep", "RestingHeartRate");
        var synced = FolderSnapshot.Take(dir.Path);
        // As if an older FitbitPS had parsed these rows: every read is marked with parser version 0, and a row is off.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, "fitbitps.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE fetches SET parser_version = 0; UPDATE resting_heart_rate SET BeatsPerMinute = 1 WHERE Date = '2026-11-03';";
            command.ExecuteNonQuery();
        }
        var log = new List<string>();
        var events = new EngineEvents { Log = (level, message) => log.Add(message) };
        int requests = h.Emulator.Requests.HealthApi.Count;
        await h.Connection.ExportAsync(new ExportSpec { Path = dir.Path, DataTypes = new[] { "Sleep", "RestingHeartRate" } }, events, default);
        Assert.Contains(log, m => m.Contains("parsed by an older FitbitPS: re-parsing them from the kept answers (no requests)"));
        Assert.Equal("0", StoreDump.Rows(dir.Path, "SELECT count(*) FROM fetches WHERE parser_version = 0").Single()[0]);
        FolderSnapshot.AssertEqual(synced, FolderSnapshot.Take(dir.Path)); // the off row is right again
        Assert.Equal(2, h.Emulator.Requests.HealthApi.Count - requests); // then the usual no-op sync: one request per kind

        // Without the answers a re-parse cannot run: one clear error, the tables left as they are.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, "fitbitps.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM raw_answers WHERE data_type = 'daily-resting-heart-rate';";
            command.ExecuteNonQuery();
        }
        var e = await Assert.ThrowsAsync<ExportException>(() => FitbitConnection.ReparseAsync(dir.Path, null, new[] { "RestingHeartRate" }, null, default));
        Assert.Equal(ExportErrorKind.RawAnswerMissing, e.Reason);
        Assert.Contains("-Full", e.Message);
        FolderSnapshot.AssertEqual(synced, FolderSnapshot.Take(dir.Path));

        // Before a sync it is not an error and does not stick: the kind's days are read again, and the next run is a no-op.
        using (var connection = StoreDump.OpenWritable(dir.Path))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE fetches SET parser_version = 0 WHERE kind = 'RestingHeartRate';";
            command.ExecuteNonQuery();
        }
        requests = h.Emulator.Requests.HealthApi.Count;
        log.Clear();
        var again = await h.Connection.ExportAsync(new ExportSpec { Path = dir.Path, DataTypes = new[] { "RestingHeartRate" } }, events, default);
        Assert.Contains(log, m => m.Contains("cannot be re-parsed") && m.Contains("read again"));
        Assert.Equal(new DateTime(2026, 11, 1), again.Single().From); // every synced day, not only the trailing window
        FolderSnapshot.AssertEqual(synced, FolderSnapshot.Take(dir.Path));
        Assert.Equal("0", StoreDump.Rows(dir.Path, "SELECT count(*) FROM fetches WHERE parser_version = 0").Single()[0]);
        requests = h.Emulator.Requests.HealthApi.Count;
        await h.Connection.ExportAsync(new ExportSpec { Path = dir.Path, DataTypes = new[] { "RestingHeartRate" } }, null, default);
        Assert.Equal(1, h.Emulator.Requests.HealthApi.Count - requests);
    }
}
