using System.Diagnostics;
using FitbitPS.Engine.Export;
using Xunit;
using Xunit.Abstractions;

namespace FitbitPS.Tests.Export;

/// <summary>Bad inputs get one clear error each and leave the store and every file exactly as they were.</summary>
public class BadInputTests
{
    private static readonly DateTime Today = new(2026, 11, 20);
    private readonly ITestOutputHelper _output;

    public BadInputTests(ITestOutputHelper output) { _output = output; }

    private static ExportRequest Request(string path, TestData data, ExportFormat format = ExportFormat.Csv) => new()
    {
        Path = path, Kinds = new ExportKind[] { data.DayKind() }, Format = format, Today = Today,
        From = new DateTime(2026, 10, 1),
    };

    private static async Task<(TempFolder Dir, TestData Data, SortedDictionary<string, byte[]> Before)> ExportedFolder()
    {
        var dir = new TempFolder();
        var data = new TestData();
        data.AddDays(new DateTime(2026, 10, 1), Today);
        await Exporter.RunAsync(Request(dir.Path, data));
        data.AddDays(Today.AddDays(-5), Today, seed: 7); // the next run would change the file
        return (dir, data, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task A_path_that_is_a_file_is_refused()
    {
        using var dir = new TempFolder();
        string file = dir.Sub("export.csv");
        File.WriteAllText(file, "mine");
        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(file, new TestData())));
        Assert.Equal(ExportErrorKind.InvalidPath, e.Reason);
        Assert.Contains("is a file, not a folder", e.Message);
        Assert.Equal("mine", File.ReadAllText(file));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    /// <summary>A folder as an older FitbitPS left it: the files and fitbitps-export.json, no store.</summary>
    private static async Task<(TempFolder Dir, TestData Data)> LegacyFolder()
    {
        var (dir, data, _) = await ExportedFolder();
        foreach (var f in Directory.GetFiles(dir.Path, "fitbitps.db*")) File.Delete(f);
        File.WriteAllText(Path.Combine(dir.Path, ExportState.FileName),
            "{\n  \"schemaVersion\": 2,\n  \"kinds\": {\n    \"Days\": {\n      \"file\": \"days.csv\",\n      \"format\": \"Csv\",\n" +
            "      \"from\": \"2026-10-01\",\n      \"lastCompleteDay\": \"2026-11-19\",\n      \"rowCount\": 51\n    }\n  }\n}\n");
        return (dir, data);
    }

    [Fact]
    public async Task A_store_from_a_newer_version_is_refused_and_nothing_is_touched()
    {
        var (dir, data, _) = await ExportedFolder();
        using var _d = dir;
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, "fitbitps.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7;";
            command.ExecuteNonQuery();
        }
        var before = FolderSnapshot.Take(dir.Path);
        var bytes = File.ReadAllBytes(Path.Combine(dir.Path, "fitbitps.db"));

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.StoreFromNewerVersion, e.Reason);
        Assert.Equal("FitbitExportStoreFromNewerVersion", e.ErrorId);
        Assert.Contains("written by a newer FitbitPS (store schema 7; this version understands up to 1)", e.Message);
        Assert.Contains("Update the FitbitPS module", e.RecommendedAction);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir.Path, "fitbitps.db")));
        Assert.Equal(1, data.Fetches); // only the first export read anything
        await Assert.ThrowsAsync<ExportException>(() => Exporter.PlanAsync(Request(dir.Path, data))); // -WhatIf says so too
    }

    [Theory]
    [InlineData("garbage")]   // not a database at all
    [InlineData("torn")]      // a real store with pages overwritten in the middle
    public async Task A_damaged_store_is_refused_with_one_error_and_left_as_it_is(string damage)
    {
        var (dir, data, _) = await ExportedFolder();
        using var _d = dir;
        string db = Path.Combine(dir.Path, "fitbitps.db");
        if (damage == "garbage") File.WriteAllBytes(db, System.Text.Encoding.ASCII.GetBytes(new string('x', 8192)));
        else
        {
            var bytes = File.ReadAllBytes(db);
            for (int i = 4096; i < bytes.Length; i += 7) bytes[i] = 0xA5; // every page after the first
            File.WriteAllBytes(db, bytes);
        }
        var damaged = File.ReadAllBytes(db);

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.StoreDamaged, e.Reason);
        Assert.Contains("is not a readable FitbitPS store", e.Message);
        Assert.Contains("Move", e.RecommendedAction);
        Assert.Equal(damaged, File.ReadAllBytes(db));
        Assert.Equal(1, data.Fetches);
    }

    [Fact]
    public async Task A_state_file_of_an_older_version_from_a_newer_version_is_refused_and_nothing_is_touched()
    {
        var (dir, data) = await LegacyFolder();
        using var _d = dir;
        string state = Path.Combine(dir.Path, ExportState.FileName);
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"schemaVersion\": 2", "\"schemaVersion\": 7"));
        File.Delete(Path.Combine(dir.Path, ".fitbitps-export.lock")); // prove not even the lock file is created
        var before = FolderSnapshot.Take(dir.Path);

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.StateFromNewerVersion, e.Reason);
        Assert.Contains("written by a newer FitbitPS (state schema 7; this version understands up to 2)", e.Message);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
        Assert.Equal(1, data.Fetches);
    }

    [Theory]
    [InlineData("{ \"schemaVersion\": 1, \"kinds\": { \"Days\": { \"file\": \"days.csv\" ")]
    [InlineData("not json at all")]
    [InlineData("{ \"kinds\": {} }")]
    [InlineData("{ \"schemaVersion\": 1, \"kinds\": { \"Days\": { \"file\": \"days.csv\", \"format\": \"Csv\", \"from\": \"yesterday\", \"lastCompleteDay\": \"2026-11-19\", \"rowCount\": 3 } } }")]
    [InlineData("{ \"schemaVersion\": 1, \"kinds\": { \"Days\": { \"file\": \"../escape.csv\", \"format\": \"Csv\", \"from\": \"2026-10-01\", \"lastCompleteDay\": \"2026-11-19\", \"rowCount\": 3 } } }")]
    public async Task A_damaged_state_file_of_an_older_version_is_refused_and_nothing_is_touched(string content)
    {
        var (dir, data) = await LegacyFolder();
        using var _d = dir;
        File.WriteAllText(Path.Combine(dir.Path, ExportState.FileName), content);
        var before = FolderSnapshot.Take(dir.Path);

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.StateCorrupted, e.Reason);
        Assert.Contains("is damaged", e.Message);
        Assert.Contains("delete it to have the next export re-read the whole range", e.Message);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
        await Assert.ThrowsAsync<ExportException>(() => Exporter.PlanAsync(Request(dir.Path, data))); // -WhatIf says so too
    }

    [Fact]
    public async Task A_folder_of_an_older_version_moves_into_the_store_once_with_no_reads_and_its_files_unchanged()
    {
        var (dir, data) = await LegacyFolder();
        using var _d = dir;
        var files = FolderSnapshot.Take(dir.Path);
        files.Remove(ExportState.FileName);
        data.FetchedRanges.Clear();

        var result = (await Exporter.RunAsync(Request(dir.Path, data)))[0];

        Assert.False(File.Exists(Path.Combine(dir.Path, ExportState.FileName)));
        Assert.Equal(51, long.Parse(StoreDump.Rows(dir.Path, "SELECT count(*) FROM days").Single()[0]));
        // Only the trailing window was read (the state came along), and the file changed only where the data did.
        Assert.Equal((new DateTime(2026, 11, 17), Today), Assert.Single(data.FetchedRanges));
        Assert.Equal(51, result.RowsTotal);
        Assert.Equal(new[] { "default", "Days", "Csv", "2026-10-01", "2026-11-19", "51" },
            StoreDump.Rows(dir.Path, "SELECT profile, kind, format, from_day, last_complete_day, row_count FROM sync_state").Single());
    }

    [Fact]
    public async Task Another_format_into_the_same_folder_is_refused()
    {
        var (dir, data, before) = await ExportedFolder();
        using var _d = dir;
        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data, ExportFormat.Json)));
        Assert.Equal(ExportErrorKind.FormatMismatch, e.Reason);
        Assert.Contains("Use -Format Csv", e.Message);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task A_file_of_an_older_version_edited_into_something_unreadable_is_left_alone()
    {
        var (dir, data) = await LegacyFolder();
        using var _d = dir;
        string file = Path.Combine(dir.Path, "days.csv");
        var lines = File.ReadAllLines(file);
        lines[5] = "not a date" + lines[5][10..];
        File.WriteAllLines(file, lines);
        var before = FolderSnapshot.Take(dir.Path);

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.ExistingFileUnreadable, e.Reason);
        Assert.Contains("days.csv (row 6", e.Message);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path)); // no store left behind either
        Assert.False(File.Exists(Path.Combine(dir.Path, "fitbitps.db")));
    }

    [Fact]
    public async Task A_read_only_folder_is_refused_and_nothing_is_touched()
    {
        var (dir, data, before) = await ExportedFolder();
        using var _d = dir;
        // root ignores permission bits, so as root the folder becomes a read-only bind mount.
        using var readOnly = ReadOnlyView.Of(dir.Path);
        _output.WriteLine($"read-only by {readOnly.How}");

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.FolderNotWritable, e.Reason);
        Assert.Contains("Cannot write to the folder", e.Message);
        readOnly.Dispose();
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
    }

    [Fact]
    public async Task A_read_only_store_is_refused_with_one_error_and_nothing_is_touched()
    {
        var (dir, data, before) = await ExportedFolder();
        using var _d = dir;
        string db = Path.Combine(dir.Path, "fitbitps.db");
        var bytes = File.ReadAllBytes(db);
        using var readOnly = ReadOnlyView.Of(db);
        _output.WriteLine($"read-only by {readOnly.How}");

        var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(Request(dir.Path, data)));
        Assert.Equal(ExportErrorKind.FolderNotWritable, e.Reason);
        Assert.Contains("is read-only", e.Message);
        readOnly.Dispose();
        Assert.Equal(bytes, File.ReadAllBytes(db));
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(dir.Path));
        Assert.Equal(1, data.Fetches);
    }

    [Fact]
    public async Task A_disk_that_fills_up_mid_write_leaves_the_old_files_and_no_temp_files()
    {
        using var dir = new TempFolder();
        string mount = dir.Sub("small-disk");
        Directory.CreateDirectory(mount);
        if (!Tool.Run("mount", $"-t tmpfs -o size=2m tmpfs {mount}", out var why))
        {
            // Needs root (CI runs as root). Report instead of pretending.
            _output.WriteLine("SKIPPED: cannot mount a small tmpfs here: " + why);
            return;
        }
        try
        {
            var data = new TestData();
            data.AddDays(new DateTime(2026, 10, 1), Today);
            await Exporter.RunAsync(Request(mount, data));
            var before = FolderSnapshot.Take(mount);

            // Fill the disk to a few KB, then export a much bigger range.
            using (var filler = new FileStream(Path.Combine(mount, "filler.bin"), FileMode.CreateNew))
            {
                try { var block = new byte[4096]; while (true) filler.Write(block); }
                catch (IOException) { }
            }
            File.Delete(Path.Combine(mount, "filler.bin"));
            using (var filler = new FileStream(Path.Combine(mount, "filler.bin"), FileMode.CreateNew))
                filler.Write(new byte[Math.Max(0, new DriveInfo(mount).AvailableFreeSpace - 16 * 1024)]);
            before["filler.bin"] = File.ReadAllBytes(Path.Combine(mount, "filler.bin"));
            data.AddDays(new DateTime(2020, 1, 1), Today, seed: 3);
            var request = Request(mount, data);
            request.From = new DateTime(2020, 1, 1);

            var e = await Assert.ThrowsAsync<ExportException>(() => Exporter.RunAsync(request));
            Assert.Equal(ExportErrorKind.DiskFull, e.Reason);
            Assert.Contains("full", e.Message);
            _output.WriteLine(e.Message);
            // No temp files left, the store as it was (read once there is room again: SQLite needs a little to open it).
            File.Delete(Path.Combine(mount, "filler.bin"));
            before.Remove("filler.bin");
            FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(mount));

            // Nothing lost: with room again the same export finishes, every day in the store and the file.
            var done = (await Exporter.RunAsync(request))[0];
            Assert.Equal((Today - new DateTime(2020, 1, 1)).Days + 1, done.RowsTotal);
            Assert.Equal(done.RowsTotal + 1, File.ReadAllLines(Path.Combine(mount, "days.csv")).Length);
        }
        finally
        {
            Tool.Run("umount", mount, out _);
        }
    }
}

/// <summary>Runs a system tool (mount/umount) and reports whether it worked.</summary>
internal static class Tool
{
    public static bool Run(string file, string args, out string error)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (Exception e) { error = e.Message; return false; }
    }
}

/// <summary>Makes a folder read-only for this process: a read-only bind mount as root (root
/// ignores permission bits), otherwise chmod 555.</summary>
internal sealed class ReadOnlyView : IDisposable
{
    private readonly string _path;
    private bool _mounted, _chmodded;

    private ReadOnlyView(string path) { _path = path; }

    public string How => _mounted ? "read-only bind mount" : "chmod 555";

    public static ReadOnlyView Of(string path)
    {
        var view = new ReadOnlyView(path);
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root")
        {
            if (!Tool.Run("mount", $"--bind {path} {path}", out var e1)) throw new InvalidOperationException("bind mount failed: " + e1);
            view._mounted = true;
            if (!Tool.Run("mount", $"-o remount,bind,ro {path}", out var e2)) throw new InvalidOperationException("read-only remount failed: " + e2);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            view._chmodded = true;
        }
        return view;
    }

    public void Dispose()
    {
        if (_mounted) { Tool.Run("umount", _path, out _); _mounted = false; }
        if (_chmodded) { File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); _chmodded = false; }
    }
}
