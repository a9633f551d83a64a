using Xunit;
using FitbitPS.Engine.Export;

namespace FitbitPS.Tests.Export;

public enum TestLevel { Low, High }

/// <summary>A daily record with every column type the writers handle.</summary>
public sealed class TestDay
{
    public DateTime Date { get; set; }
    public long Steps { get; set; }
    public double? DistanceKm { get; set; }
    public string? Note { get; set; }
    public TestLevel Level { get; set; }
    public bool Worn { get; set; }
    public DateTimeOffset? SyncedAt { get; set; }
    public TimeSpan Asleep { get; set; }
    public List<int>? NotAColumn { get; set; }
}

/// <summary>A sample keyed by its instant (intraday-like).</summary>
public sealed class TestSample
{
    public DateTimeOffset Time { get; set; }
    public int BeatsPerMinute { get; set; }
}

/// <summary>
/// Records as a server would hold them, per civil day; tests change them between runs. Used to
/// test the export layers (merge, state, files, lock) without the network.
/// </summary>
internal sealed class TestData
{
    public SortedDictionary<DateTime, TestDay> Days { get; } = new();
    public SortedDictionary<DateTimeOffset, TestSample> Samples { get; } = new();
    public int Fetches;
    public List<(DateTime From, DateTime To)> FetchedRanges { get; } = new();

    public static TestDay Day(DateTime date, long steps) => new()
    {
        Date = date, Steps = steps, DistanceKm = steps * 0.0007, Note = steps % 3 == 0 ? "walk, \"long\"" : null,
        Level = steps > 8000 ? TestLevel.High : TestLevel.Low, Worn = steps > 0,
        SyncedAt = new DateTimeOffset(date.AddHours(23), TimeSpan.FromHours(-5)), Asleep = TimeSpan.FromMinutes(400 + steps % 60),
    };

    public void AddDays(DateTime from, DateTime to, int seed = 0)
    {
        for (var d = from; d <= to; d = d.AddDays(1)) Days[d] = Day(d, 3000 + (d.DayOfYear * 37 + seed) % 9000);
    }

    public void AddSamples(DateTime from, DateTime to, int perDay)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
            for (int i = 0; i < perDay; i++)
            {
                var t = new DateTimeOffset(d.AddMinutes(i * (1440 / perDay)), TimeSpan.FromHours(1));
                Samples[t] = new TestSample { Time = t, BeatsPerMinute = 55 + (t.Minute + d.Day) % 60 };
            }
    }

    public ExportKind<TestDay> DayKind(string name = "Days") => new(name, name.ToLowerInvariant(), (from, to, ct) =>
    {
        Interlocked.Increment(ref Fetches);
        lock (FetchedRanges) FetchedRanges.Add((from, to));
        // Newest first and one row outside the range, like a sloppy source: the exporter sorts and filters.
        var rows = Days.Values.Where(d => d.Date >= from.AddDays(-1) && d.Date <= to).Reverse().ToList();
        return Task.FromResult<IEnumerable<TestDay>>(rows);
    }, nameof(TestDay.Date), nameof(TestDay.Date));

    public ExportKind<TestSample> SampleKind(int chunkDays = 2) => new("Samples", "samples", (from, to, ct) =>
    {
        Interlocked.Increment(ref Fetches);
        var rows = Samples.Values.Where(s => s.Time.Date >= from && s.Time.Date <= to).ToList();
        return Task.FromResult<IEnumerable<TestSample>>(rows);
    }, nameof(TestSample.Time), nameof(TestSample.Time)) { ChunkDays = chunkDays, Intraday = true };
}

/// <summary>Every file of a folder, byte for byte; the store as its content (a dump of its tables), not its bytes
/// (SQLite's pages hold free space and counters that say nothing of the data).</summary>
public static class FolderSnapshot
{
    /// <summary>The snapshot's name for the store's content.</summary>
    public const string StoreContent = "fitbitps.db (content)";

    /// <param name="except">A file to leave out (e.g. a lock file another process holds).</param>
    /// <param name="withoutTemps">Leave out the temporary files of an export still running (another
    /// process's kinds may hold theirs open while it is paused); the files a person uses are all there.</param>
    public static SortedDictionary<string, byte[]> Take(string folder, string? except = null, bool withoutTemps = false)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return files;
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(f);
            if (name.StartsWith("fitbitps.db", StringComparison.Ordinal)) continue;
            if (name != except && !(withoutTemps && name.StartsWith(".fitbitps-tmp.", StringComparison.Ordinal))) files[Path.GetRelativePath(folder, f)] = File.ReadAllBytes(f);
        }
        if (File.Exists(Path.Combine(folder, "fitbitps.db"))) files[StoreContent] = System.Text.Encoding.UTF8.GetBytes(StoreDump.Content(folder));
        return files;
    }

    public static void AssertEqual(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var name in expected.Keys)
            Assert.True(expected[name].AsSpan().SequenceEqual(actual[name]), $"{name} differs" +
                (name == StoreContent ? ":\n" + FirstDifference(expected[name], actual[name]) : ""));
    }

    private static string FirstDifference(byte[] expected, byte[] actual)
    {
        var a = System.Text.Encoding.UTF8.GetString(expected).Split('\n');
        var b = System.Text.Encoding.UTF8.GetString(actual).Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
            if (i >= a.Length || i >= b.Length || a[i] != b[i]) return $"line {i + 1}: expected {(i < a.Length ? a[i] : "(end)")}\n        actual   {(i < b.Length ? b[i] : "(end)")}";
        return "";
    }
}

/// <summary>
/// Reads a folder's store with plain SQL (not FitbitPS's code): what a person querying it with sqlite3 would see.
/// </summary>
public static class StoreDump
{
    /// <summary>The tables that describe what was exported, sorted: every kind table, the sync state and the profiles
    /// (without times). The raw answers, the read log and the file versions are bookkeeping and left out.</summary>
    public static string Content(string folder)
    {
        using var connection = Open(folder);
        var tables = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('raw_answers', 'fetches', 'kind_versions') ORDER BY name");
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            var columns = Strings(connection, $"SELECT name FROM pragma_table_info('{table}') WHERE name NOT IN ('created_at') ORDER BY cid");
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            foreach (var row in Rows(connection, $"SELECT {list} FROM \"{table}\" ORDER BY {list}"))
                text.Append(table).Append(": ").Append(string.Join(" | ", row)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The rows of one query, each as its values' text ("NULL" for null).</summary>
    public static List<string[]> Rows(string folder, string sql)
    {
        using var connection = Open(folder);
        return Rows(connection, sql);
    }

    /// <summary>The kinds a profile has synced.</summary>
    public static List<string> Kinds(string folder, string profile = "default") =>
        Rows(folder, $"SELECT kind FROM sync_state WHERE profile = '{profile}' ORDER BY kind").Select(r => r[0]).ToList();

    public static Microsoft.Data.Sqlite.SqliteConnection Open(string folder)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            // Read-write with query_only: a reader after a killed export must be able to recover the write-ahead log.
            DataSource = Path.Combine(folder, "fitbitps.db"), Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite, Pooling = false,
        }.ToString());
        connection.Open();
        using (var only = connection.CreateCommand()) { only.CommandText = "PRAGMA query_only = 1;"; only.ExecuteNonQuery(); }
        return connection;
    }

    /// <summary>A connection that may write (tests that damage or age a store on purpose).</summary>
    public static Microsoft.Data.Sqlite.SqliteConnection OpenWritable(string folder)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "fitbitps.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<string> Strings(Microsoft.Data.Sqlite.SqliteConnection connection, string sql) => Rows(connection, sql).Select(r => r[0]).ToList();

    private static List<string[]> Rows(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            rows.Add(row);
        }
        return rows;
    }
}

/// <summary>A fresh folder under the temp directory, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fitbitps-export-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
