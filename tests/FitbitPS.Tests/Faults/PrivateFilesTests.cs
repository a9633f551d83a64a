using FitbitPS.Engine;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Export;
using FitbitPS.Tests.Auth;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Faults;
using Xunit;
using ExportFolder = FitbitPS.Tests.Export.TempFolder;

namespace FitbitPS.Tests.Faults;

/// <summary>
/// Nothing leaked: raw pages spooled during a read are private (0600 in a 0700 folder) and gone after a kill -9
/// once the next process starts (item 11); an export's new folder is 0700 and its files 0600, a mode the person
/// chose survives an export, a symbolic link is refused, not replaced (item 12); two Google accounts never mix in
/// one export folder (item 3). Unix file modes: these run where there are some.
/// </summary>
public class PrivateFilesTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [UnixFact]
    public async Task Spooled_pages_are_private_and_a_killed_readers_folder_is_gone_at_the_next_start()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var temp = new ExportFolder();
        var env = new Dictionary<string, string?>
        {
            ["TMPDIR"] = temp.Path,
            ["FITBITPS_TEST_ACCESS_TOKEN"] = h.Tokens.CurrentAccessToken,
        };
        // The third heart-rate page keeps the first reader waiting with two pages spooled.
        int pages = 0;
        var hold = h.Emulator.Faults.Add(FaultKind.Latency, 1, predicate: r =>
            r.Path.Value!.Contains("/dataTypes/heart-rate/") && Interlocked.Increment(ref pages) == 3);
        hold.Latency = TimeSpan.FromMinutes(5);

        using var first = TestHostProcess.Start(env, "read", "--base-url", h.Emulator.BaseUrl.AbsoluteUri, "--from", "2026-11-10", "--to", "2026-11-12");
        string? spoolFile = null;
        for (int i = 0; i < 600 && spoolFile == null; i++)
        {
            await Task.Delay(100);
            spoolFile = Directory.EnumerateFiles(temp.Path, "*.pages", SearchOption.AllDirectories).FirstOrDefault();
        }
        Assert.NotNull(spoolFile);
        var folder = Path.GetDirectoryName(spoolFile)!;
        Assert.StartsWith("FitbitPS-", Path.GetFileName(folder));
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(folder));
        Assert.Equal(Private, File.GetUnixFileMode(spoolFile));

        first.Kill(); // SIGKILL: nothing of ours runs
        await first.WaitForExitAsync();
        Assert.True(Directory.Exists(folder), "kill -9 cannot delete anything");

        // The next process that spools removes the dead one's folder, and takes its own with it when it ends.
        h.Emulator.Faults.Clear();
        var (code, _, stdout, stderr) = await TestHostProcess.RunAsync(env, "read", "--base-url", h.Emulator.BaseUrl.AbsoluteUri, "--from", "2026-11-10", "--to", "2026-11-12");
        Assert.True(code == 0, stderr);
        Assert.Contains("SAMPLES", stdout);
        Assert.False(Directory.Exists(folder), "the killed reader's spool is still there");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path, "FitbitPS-*"));
    }

    private static Task<ReaderHarness> Harness() => ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);

    /// <summary>Export-FitbitData -DataType Weight,Sleep over seven weeks, as <paramref name="account"/> (default: the
    /// emulator's person) of <paramref name="profile"/>.</summary>
    private static async Task Export(ReaderHarness h, string path, bool full = false, string? account = "", string profile = "default")
    {
        using var connection = h.Connect(account == "" ? h.Emulator.Person.Options.HealthUserId : account, profile);
        await connection.ExportAsync(new ExportSpec
        {
            Path = path, DataTypes = new[] { "Weight", "Sleep" }, From = new DateTime(2026, 10, 1), To = new DateTime(2026, 11, 19), Full = full,
        }, null, default);
    }

    [UnixFact]
    public async Task A_new_export_folder_is_private_and_so_is_every_file_in_it()
    {
        using var root = new ExportFolder();
        var path = root.Sub("health");
        await using var h = await Harness();

        await Export(h, path);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(path));
        var files = Directory.GetFiles(path);
        Assert.Contains(files, f => f.EndsWith("weight.csv", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(FitbitPS.Engine.Store.FitbitStore.FileName, StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".fitbitps-export.lock", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal(Private, File.GetUnixFileMode(f)));
        // While an export writes, SQLite's own files (-wal, -shm) take the store's mode.
        using var open = FitbitPS.Tests.Export.StoreDump.Open(path);
        foreach (var f in Directory.GetFiles(path, "fitbitps.db*")) Assert.Equal(Private, File.GetUnixFileMode(f));
    }

    [UnixFact]
    public async Task A_file_mode_the_person_chose_survives_an_export_and_the_folder_keeps_its_own()
    {
        using var root = new ExportFolder();
        var path = root.Sub("shared");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        await using var h = await Harness();
        await Export(h, path);
        var weight = Path.Combine(path, "weight.csv");
        var groupReadable = Private | UnixFileMode.GroupRead;
        File.SetUnixFileMode(weight, groupReadable);

        await Export(h, path, full: true); // rewrite every file

        Assert.Equal(groupReadable, File.GetUnixFileMode(weight));
        Assert.Equal(PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(path));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(path, "sleep-sessions.csv")));
    }

    [UnixFact]
    public async Task A_symbolic_link_in_the_folder_is_refused_and_left_as_it_is()
    {
        using var root = new ExportFolder();
        var path = root.Sub("linked");
        await using var h = await Harness();
        await Export(h, path);
        var weight = Path.Combine(path, "weight.csv");
        var elsewhere = root.Sub("weight-elsewhere.csv");
        File.Move(weight, elsewhere);
        File.CreateSymbolicLink(weight, elsewhere);
        var before = File.ReadAllBytes(elsewhere);

        var ex = await Assert.ThrowsAsync<ExportException>(() => Export(h, path));

        Assert.Equal(ExportErrorKind.FileIsLink, ex.Reason);
        Assert.Equal("FitbitExportFileIsLink", ex.ErrorId);
        Assert.Contains("symbolic link", ex.Message);
        Assert.Contains("Nothing was changed", ex.Message);
        Assert.NotNull(new FileInfo(weight).LinkTarget); // still a link
        Assert.Equal(before, File.ReadAllBytes(elsewhere));
    }

    [Fact]
    public async Task A_profile_that_holds_one_account_refuses_another_and_nothing_changes()
    {
        using var root = new ExportFolder();
        var path = root.Sub("alice");
        await using var h = await Harness();
        await Export(h, path, profile: "alice");
        Assert.Equal(h.Emulator.Person.Options.HealthUserId,
            FitbitPS.Tests.Export.StoreDump.Rows(path, "SELECT health_user_id FROM profiles WHERE profile = 'alice'").Single()[0]);
        var before = FitbitPS.Tests.Export.FolderSnapshot.Take(path);
        var requestsBefore = h.DataRequests;

        var ex = await Assert.ThrowsAsync<ExportException>(() => Export(h, path, account: "bob-health-user-id", profile: "alice"));

        Assert.Equal(ExportErrorKind.AccountMismatch, ex.Reason);
        Assert.Contains("another Google account", ex.Message);
        Assert.Contains("profile 'alice'", ex.Message);
        Assert.Contains("another -Profile", ex.RecommendedAction);
        FitbitPS.Tests.Export.FolderSnapshot.AssertEqual(before, FitbitPS.Tests.Export.FolderSnapshot.Take(path));
        Assert.Equal(requestsBefore, h.DataRequests); // refused before any read
    }

    [Fact]
    public async Task Two_profiles_share_one_store_each_complete_and_neither_overwrites_the_other()
    {
        using var root = new ExportFolder();
        var path = root.Sub("household");
        await using var h = await Harness();
        await Export(h, path, profile: "alice");
        var aliceFiles = FitbitPS.Tests.Export.FolderSnapshot.Take(path);
        aliceFiles.Remove(FitbitPS.Tests.Export.FolderSnapshot.StoreContent);

        await Export(h, path, account: "bob-health-user-id", profile: "bob");

        // Alice's files are where they were, byte for byte; Bob's are in a folder of his own.
        var after = FitbitPS.Tests.Export.FolderSnapshot.Take(path);
        foreach (var (name, bytes) in aliceFiles) Assert.Equal(bytes, after[name]);
        Assert.True(File.Exists(Path.Combine(path, "bob", "weight.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(path, "weight.csv")), File.ReadAllBytes(Path.Combine(path, "bob", "weight.csv"))); // same emulator person
        // Each profile has every row of its own (the same person twice here: equal counts, separate rows).
        var counts = FitbitPS.Tests.Export.StoreDump.Rows(path, "SELECT profile, count(*) FROM weight GROUP BY profile ORDER BY profile");
        Assert.Equal(new[] { "alice", "bob" }, counts.Select(r => r[0]));
        Assert.Equal(counts[0][1], counts[1][1]);
        Assert.Equal(File.ReadAllLines(Path.Combine(path, "weight.csv")).Length - 1, int.Parse(counts[0][1]));
        Assert.Equal(new[] { "Sleep", "Weight" }, FitbitPS.Tests.Export.StoreDump.Kinds(path, "alice"));
        Assert.Equal(new[] { "Sleep", "Weight" }, FitbitPS.Tests.Export.StoreDump.Kinds(path, "bob"));

        // A re-export of one of them leaves the other's rows alone.
        var bobRows = FitbitPS.Tests.Export.StoreDump.Rows(path, "SELECT * FROM sleep_sessions WHERE profile = 'bob' ORDER BY Start");
        await Export(h, path, full: true, profile: "alice");
        Assert.Equal(bobRows, FitbitPS.Tests.Export.StoreDump.Rows(path, "SELECT * FROM sleep_sessions WHERE profile = 'bob' ORDER BY Start"));
    }
}
