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

    [Fact]
    public async Task Killed_exports_rerun_to_the_same_bytes_as_an_uninterrupted_export()
    {
        using var dir = new TempFolder();
        // References: a first export on T1, then an incremental export on T2 over it.
        string first = dir.Sub("ref-first"), second = dir.Sub("ref-second");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, (await TestHostProcess.Export(first, T1, "--chunk-delay-ms", TestHostProcess.SlowChunkMs)).ExitCode);
        int runMs = (int)clock.ElapsedMilliseconds;
        _output.WriteLine($"an uninterrupted first export takes {runMs} ms");
        CopyFolder(first, second);
        Assert.Equal(0, (await TestHostProcess.Export(second, T2)).ExitCode);
        var refFirst = FolderSnapshot.Take(first);
        var refSecond = FolderSnapshot.Take(second);
        Assert.Contains("days.csv", refFirst.Keys);
        Assert.Contains("samples.csv", refFirst.Keys);
        Assert.NotEqual(refFirst["days.csv"], refSecond["days.csv"]);

        var random = new Random(20261121);
        int trials = 0, killedMidRun = 0;
        // Scenario A: a first export is killed. Scenario B: an incremental export over T1's folder is killed.
        foreach (var (scenario, expected) in new[] { ("A", refFirst), ("B", refSecond) })
        {
            // Right before each rename: data file and state file of both kinds (4 renames per run).
            for (int pauseAt = 1; pauseAt <= 4; pauseAt++)
            {
                string folder = Prepare(dir, scenario, first, $"{scenario}-pause{pauseAt}");
                var paused = await TestHostProcess.ExportUntilPaused(folder, scenario == "A" ? T1 : T2, pauseAt);
                Assert.True(paused, $"scenario {scenario}: the export did not reach rename #{pauseAt}");
                await RerunAndCompare(folder, scenario, expected);
                trials++; killedMidRun++;
            }
            // At random instants (process start-up, reading, writing temp files, renaming).
            for (int i = 0; i < 8; i++)
            {
                string folder = Prepare(dir, scenario, first, $"{scenario}-random{i}");
                int delay = random.Next(runMs / 10, runMs * 9 / 10);
                bool killed = await TestHostProcess.ExportKilledAfter(folder, scenario == "A" ? T1 : T2, delay);
                if (killed) killedMidRun++;
                _output.WriteLine($"{scenario} random kill after {delay} ms: {(killed ? "killed mid-run" : "had already finished")}");
                await RerunAndCompare(folder, scenario, expected);
                trials++;
            }
        }
        _output.WriteLine($"{trials} trials, {killedMidRun} killed before finishing");
        Assert.True(trials >= 20);
        Assert.True(killedMidRun >= 16, $"only {killedMidRun} kills hit a running export");
    }

    private static string Prepare(TempFolder dir, string scenario, string first, string name)
    {
        string folder = dir.Sub(name);
        if (scenario == "B") CopyFolder(first, folder); else Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task RerunAndCompare(string folder, string scenario, SortedDictionary<string, byte[]> expected)
    {
        var rerun = await TestHostProcess.Export(folder, scenario == "A" ? T1 : T2);
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
        var before = FolderSnapshot.Take(folder, ".fitbitps-export.lock");
        var second = await TestHostProcess.Export(folder, T2, "--lock-timeout-ms", "700");
        Assert.Equal(3, second.ExitCode);
        Assert.Contains("ERROR FolderBusy: Another export is writing to", second.Stderr);
        FolderSnapshot.AssertEqual(before, FolderSnapshot.Take(folder, ".fitbitps-export.lock"));
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

    /// <summary>Delay per fetched chunk in the random-kill runs: spreads a run over ~1 s.</summary>
    public const string SlowChunkMs = "60";

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

    private static Process Start(string folder, string today, IEnumerable<string> extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { HostDll, "export", "--path", folder, "--today", today }.Concat(extra)) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> Export(string folder, string today, params string[] extra)
    {
        using var p = Start(folder, today, extra);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs until right before the n-th rename, then SIGKILLs it there.</summary>
    public static async Task<bool> ExportUntilPaused(string folder, string today, int pauseAt)
    {
        await using var host = await StartPaused(folder, today, pauseAt);
        return host._paused;
    }

    private bool _paused;

    public static async Task<TestHostProcess> StartPaused(string folder, string today, int pauseAt)
    {
        var p = Start(folder, today, new[] { "--pause-before-replace", pauseAt.ToString() });
        var host = new TestHostProcess(p);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await p.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("PAUSED ", StringComparison.Ordinal)) { host._paused = true; break; }
        return host;
    }

    /// <summary>SIGKILLs the export after the delay; true when it was still running then.</summary>
    public static async Task<bool> ExportKilledAfter(string folder, string today, int delayMs)
    {
        using var p = Start(folder, today, new[] { "--chunk-delay-ms", SlowChunkMs });
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
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
