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

/// <summary>Every file of a folder, byte for byte.</summary>
public static class FolderSnapshot
{
    /// <param name="except">A file to leave out (e.g. a lock file another process holds).</param>
    /// <param name="withoutTemps">Leave out the temporary files of an export still running (another
    /// process's kinds may hold theirs open while it is paused); the files a person uses are all there.</param>
    public static SortedDictionary<string, byte[]> Take(string folder, string? except = null, bool withoutTemps = false)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return files;
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            if (Path.GetFileName(f) != except && !(withoutTemps && Path.GetFileName(f).StartsWith(".fitbitps-tmp.", StringComparison.Ordinal))) files[Path.GetRelativePath(folder, f)] = File.ReadAllBytes(f);
        return files;
    }

    public static void AssertEqual(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var name in expected.Keys)
            Assert.True(expected[name].AsSpan().SequenceEqual(actual[name]), $"{name} differs");
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
