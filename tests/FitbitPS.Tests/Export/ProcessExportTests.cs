using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace FitbitPS.Tests.Export;

/// <summary>
/// Real processes (FitbitPS.TestHost export …) killed with SIGKILL at random points and right
/// before a rename, then run again: the folder must equal, byte for byte, the folder of an
/// export that was never interrupted. And several exports started at once into one folder
/// take turns; they never interleave.
/// </summary>
public class ProcessExportTests
{
    private const string T1 = "2026-11-10";
    private const string T2 = "2026-11-20";
    private readonly ITestOutputHelper _output;

    public ProcessExportTests(ITestOutputHelper output) { _output = output; }

    /// <summary>Where the killed process reads from: generated records (file layer only), or
    /// the real reader over HTTP to an emulator this test runs (the whole export path).</summary>
    private sealed class Source : IAsyncDisposable
    {
        public string[] Args = Array.Empty<string>();
        public Dictionary<string, string> Env = new();
        public int[] PausePoints = { 1, 2 }; // two kinds: two files renamed per run
        public int RandomKills = 8;
        public HealthApiEmulator.Hosting.Emulator? Emulator;

        public static async Task<Source> Create(string name)
        {
            if (name == "synthetic") return new Source { Args = new[] { "--chunk-delay-ms", TestHostProcess.SlowChunkMs } };
            var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new HealthApiEmulator.Hosting.EmulatorOptions
            {
                Now = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero),
                QuotaPerMinute = 0,                       // hundreds of runs in a minute
                Latency = TimeSpan.FromMilliseconds(15),  // spreads a run over ~1 s for random kills
            });
            var token = emu.OAuth.IssueTokens(FitbitPS.Testing.EmulatorTokenSource.AllReadScopes).AccessToken;
            return new Source
            {
                Emulator = emu,
                Args = new[] { "--source", "emulator", "--base-url", emu.BaseUrl.AbsoluteUri, "--from", "2026-10-01" },
                Env = { ["FITBITPS_TEST_ACCESS_TOKEN"] = token },
                // 11 kinds, one file each (the store is written in transactions between the renames).
                PausePoints = new[] { 1, 2, 5, 9, 11 },
                RandomKills = 6,
            };
        }

        public async ValueTask DisposeAsync() { if (Emulator != null) await Emulator.DisposeAsync(); }
    }

    [Theory]
    [InlineData("synthetic")]
    [InlineData("emulator")]
    public async Task Killed_exports_rerun_to_the_same_bytes_as_an_uninterrupted_export(string sourceName)
    {
        await using var source = await Source.Create(sourceName);
        using var dir = new TempFolder();
        // References: a first export on T1, then an incremental export on T2 over it.
        string first = dir.Sub("ref-first"), second = dir.Sub("ref-second");
        var r1 = await TestHostProcess.Export(first, T1, source.Env, source.Args);
        Assert.True(r1.ExitCode == 0, r1.Stderr);
        CopyFolder(first, second);
        var r2 = await TestHostProcess.Export(second, T2, source.Env, source.Args);
        Assert.Equal(0, r2.ExitCode);
        // Steps = progress reports + renames of an uninterrupted run: random kills land between them.
        var steps = new Dictionary<string, int> { ["A"] = Steps(r1.Stdout), ["B"] = Steps(r2.Stdout) };
        _output.WriteLine($"an uninterrupted run has {steps["A"]} (first) / {steps["B"]} (incremental) steps");
        var refFirst = FolderSnapshot.Take(first);
        var refSecond = FolderSnapshot.Take(second);
        Assert.True(refFirst.Count >= 4);
        Assert.NotEqual(refFirst[FolderSnapshot.StoreContent], refSecond[FolderSnapshot.StoreContent]);

        var random = new Random(20261121);
        int trials = 0, killedMidRun = 0;
        // Scenario A: a first export is killed. Scenario B: an incremental export over T1's folder is killed.
        foreach (var (scenario, expected) in new[] { ("A", refFirst), ("B", refSecond) })
        {
            string today = scenario == "A" ? T1 : T2;
            // Right before the n-th rename (data and state files count).
            foreach (int pauseAt in source.PausePoints)
            {
                string folder = Prepare(dir, scenario, first, $"{scenario}-pause{pauseAt}");
                var paused = await TestHostProcess.ExportUntilPaused(folder, today, pauseAt, source.Env, source.Args);
                Assert.True(paused, $"scenario {scenario}: the export did not reach rename #{pauseAt}");
                await RerunAndCompare(folder, today, expected, source);
                trials++; killedMidRun++;
            }
            // At random instants (process start-up, reading, writing temp files, renaming).
            for (int i = 0; i < source.RandomKills; i++)
            {
                string folder = Prepare(dir, scenario, first, $"{scenario}-random{i}");
                int step = random.Next(1, steps[scenario]), delay = random.Next(0, 25);
                bool killed = await TestHostProcess.ExportKilledAfter(folder, today, step, delay, source.Env, source.Args);
                if (killed) killedMidRun++;
                _output.WriteLine($"{scenario} kill {delay} ms after step {step}: {(killed ? "killed mid-run" : "had already finished")}");
                await RerunAndCompare(folder, today, expected, source);
                trials++;
            }
        }
        _output.WriteLine($"{trials} trials, {killedMidRun} killed before finishing");
        Assert.True(trials >= 20);
        Assert.True(killedMidRun >= trials * 2 / 3, $"only {killedMidRun} of {trials} kills hit a running export");
    }

    private static int Steps(string stdout) => stdout.Split('\n').Count(l => l.TrimEnd() == "STEP");

    private static string Prepare(TempFolder dir, string scenario, string first, string name)
    {
        string folder = dir.Sub(name);
        if (scenario == "B") CopyFolder(first, folder); else Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task RerunAndCompare(string folder, string today, SortedDictionary<string, byte[]> expected, Source source)
    {
        // Whatever instant the kill hit, SQLite's file is sound (then the rerun converges to the same content).
        if (File.Exists(Path.Combine(folder, "fitbitps.db")))
            Assert.Equal("ok", StoreDump.Rows(folder, "PRAGMA integrity_check").Single()[0]);
        var rerun = await TestHostProcess.Export(folder, today, source.Env, source.Args);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        FolderSnapshot.AssertEqual(expected, FolderSnapshot.Take(folder));
    }

    [Fact]
    public async Task Concurrent_exports_into_one_folder_take_turns()
    {
        using var dir = new TempFolder();
        string reference = dir.Sub("reference");
        Assert.Equal(0, (await TestHostProcess.Export(reference, T2)).ExitCode);

        string folder = dir.Sub("shared"), log = dir.Sub("events.log");
        var runs = Enumerable.Range(0, 4).Select(_ => TestHostProcess.Export(folder, T2, "--log", log, "--chunk-delay-ms", "20")).ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        FolderSnapshot.AssertEqual(FolderSnapshot.Take(reference), FolderSnapshot.Take(folder));

        // Every process's events form one unbroken block: nobody wrote while another held the folder.
        var pids = File.ReadAllLines(log).Select(l => l.Split(' ')[0]).ToList();
        var blocks = pids.Where((p, i) => i == 0 || pids[i - 1] != p).ToList();
        Assert.Equal(4, blocks.Count);
        Assert.Equal(4, blocks.Distinct().Count());
        // Only the first one found anything to write.
        Assert.Single(results, r => r.Stdout.Contains(" True"));
    }

    [Fact]
    public async Task A_second_export_that_cannot_get_the_folder_in_time_fails_clearly()
    {
        using var dir = new TempFolder();
        string folder = dir.Sub("busy");
        await using var holder = await TestHostProcess.StartPaused(folder, T2, 1);
        // The files a person uses (the paused holder's other kinds may still commit to the store meanwhile).
        SortedDictionary<string, byte[]> Files() { var f = FolderSnapshot.Take(folder, ".fitbitps-export.lock", withoutTemps: true); f.Remove(FolderSnapshot.StoreContent); return f; }
        var before = Files();
        var second = await TestHostProcess.Export(folder, T2, "--lock-timeout-ms", "700");
        Assert.Equal(3, second.ExitCode);
        Assert.Contains("ERROR FolderBusy: Another export is writing to", second.Stderr);
        FolderSnapshot.AssertEqual(before, Files());
    }

    internal static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}

/// <summary>Starts FitbitPS.TestHost (built next to this test assembly) as a real process.</summary>
internal sealed class TestHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private TestHostProcess(Process process) { _process = process; }

    /// <summary>Delay per fetched chunk of the synthetic source (a network stand-in).</summary>
    public const string SlowChunkMs = "20";

    public static string HostDll
    {
        get
        {
            // tests/FitbitPS.Tests/bin/<cfg>/net10.0/ → tests/FitbitPS.TestHost/bin/<cfg>/net10.0/
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            string tfm = dir.Name, cfg = dir.Parent!.Name;
            string tests = dir.Parent!.Parent!.Parent!.Parent!.FullName;
            string dll = Path.Combine(tests, "FitbitPS.TestHost", "bin", cfg, tfm, "FitbitPS.TestHost.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first: the test host is missing.", dll);
            return dll;
        }
    }

    private static readonly Dictionary<string, string> NoEnv = new();

    private static Process Start(string folder, string today, IEnumerable<string> extra, Dictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env ?? NoEnv) psi.Environment[k] = v;
        foreach (var a in new[] { HostDll, "export", "--path", folder, "--today", today }.Concat(extra)) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> Export(string folder, string today, params string[] extra)
        => Export(folder, today, NoEnv, extra);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> Export(string folder, string today, Dictionary<string, string> env, params string[] extra)
    {
        using var p = Start(folder, today, extra, env);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs until right before the n-th rename, then SIGKILLs it there.</summary>
    public static async Task<bool> ExportUntilPaused(string folder, string today, int pauseAt, Dictionary<string, string> env, string[] extra)
    {
        await using var host = await StartPaused(folder, today, pauseAt, env, extra);
        return host._paused;
    }

    private bool _paused;

    public static async Task<TestHostProcess> StartPaused(string folder, string today, int pauseAt, Dictionary<string, string>? env = null, string[]? extra = null)
    {
        var p = Start(folder, today, new[] { "--pause-before-replace", pauseAt.ToString() }.Concat(extra ?? Array.Empty<string>()), env);
        var host = new TestHostProcess(p);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await p.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("PAUSED ", StringComparison.Ordinal)) { host._paused = true; break; }
        return host;
    }

    /// <summary>SIGKILLs the export <paramref name="delayMs"/> after its <paramref name="step"/>-th STEP line
    /// (a random point of its run whatever the machine's speed); true when it was still running then.</summary>
    public static async Task<bool> ExportKilledAfter(string folder, string today, int step, int delayMs, Dictionary<string, string> env, string[] extra)
    {
        using var p = Start(folder, today, extra, env);
        _ = p.StandardError.ReadToEndAsync();
        int seen = 0;
        while (seen < step && await p.StandardOutput.ReadLineAsync() is { } line)
            if (line == "STEP") seen++;
        _ = p.StandardOutput.ReadToEndAsync();
        await Task.Delay(delayMs);
        bool running = !p.HasExited;
        if (running) p.Kill(entireProcessTree: true); // SIGKILL on Linux
        await p.WaitForExitAsync();
        return running;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
