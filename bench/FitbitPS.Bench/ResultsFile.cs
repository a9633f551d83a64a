using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FitbitPS.Bench;

/// <summary>Writes bench/RESULTS.md: machine, date, commit, settings, the table, notes, and for every
/// missed target why and what would close it.</summary>
public static class ResultsFile
{
    public static string DefaultPath() => Path.Combine(RepoRoot() ?? ".", "bench", "RESULTS.md");

    public static string Machine()
    {
        string model = "unknown CPU";
        try
        {
            model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string memory = "";
        try
        {
            var kb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            memory = $", {long.Parse(kb, CultureInfo.InvariantCulture) / 1024 / 1024} GB RAM";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        return $"{Environment.ProcessorCount} cores ({model}){memory}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }

    public static string? RepoRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FitbitPS.sln"))) return d.FullName;
        return null;
    }

    public static string Commit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() ?? "." };
            using var p = Process.Start(psi)!;
            var sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            psi.Arguments = "status --porcelain --untracked-files=no -- . :!bench/RESULTS.md"; // the file being written does not count
            using var s = Process.Start(psi)!;
            var dirty = s.StandardOutput.ReadToEnd().Trim().Length > 0;
            s.WaitForExit();
            return p.ExitCode == 0 ? sha + (dirty ? " (+ uncommitted changes)" : "") : "unknown";
        }
        catch (System.ComponentModel.Win32Exception) { return "unknown (no git)"; }
    }

    /// <summary>Why each known miss happens and what would close it (shown only for rows that failed).</summary>
    private static readonly (string Scenario, string Metric, string Text)[] Misses =
    {
        ("2 backfill", "wall time vs lower bound",
            "Down from 1.82: the kinds are read concurrently (`Exporter.RunAsync`, up to `ExportOptions.MaxConcurrentKinds` = 4), " +
            "`RequestThrottle` serves list pages (the sleep chain) before prefetched roll-up chunks and keeps a chain's slot for its next " +
            "page for up to 30 ms, and Activity starts its longest chunk sequence (total calories, 14 days a request) first. What is left: " +
            "round trips on this loaded 2-core machine exceed L (the bound at the observed mean round trip, in the notes, is the fairer " +
            "yardstick), five list requests compete for four slots at the start, and the last round trips have fewer than 4 requests in " +
            "flight (the day-ordered join of Activity's seven types releases total-calories chunks only as it consumes them). Closing it: " +
            "a scheduler that knows each kind's remaining requests (longest remaining chain first) instead of per-type lookahead."),
        ("2 backfill", "4 readers at once",
            "The same readers without files: what is left is the start and the tail described in the row above, not file writing. " +
            "Closing it: the same scheduling (longest remaining chain first)."),
        ("4 incremental", "requests per export kind",
            "A same-day no-op run probes each kind's trailing window with one request (docs/export.md); a kind costing more means its probe " +
            "saw a change or the run was the first of a new day, which reads every data type of the kind again."),
        ("6 pwsh csv", "same samples: | Export-Csv ÷ Export-FitbitData, wall time",
            "Both paths read the same pages from the emulator, which generates every heart-rate page on request, in the benchmark's process, on " +
            "the same 2 cores; the page chain is sequential (each page needs the previous token). Reading is most of Export-FitbitData's wall " +
            "time (measured by hand on the earlier 165,110-sample run: 0.5 s of 0.8 s for Get-FitbitHeartRate -Raw | Out-Null in a warm session), " +
            "so wall time cannot fall much below it whatever the writer does, and a fresh process also pays the JIT of the export code. The " +
            "client's own CPU time (the next row) differs more. Closing it: less per-row work on the read side (records written straight from the " +
            "parsed page instead of through objects) and ahead-of-time compiled engine code for the cold start; the export path is rebuilt on " +
            "SQLite in the store issue, where this row is measured again."),
        ("3 parse", "peak working set",
            "Page buffers do not grow the working set (bodies and spooled pages go through `PageSpool.BufferPool`; the live heap does " +
            "not grow; about 70 B allocated per point), but each page still allocates its 5,000 `HeartRateSample` records " +
            "(small objects): the week's garbage (the GC-heap row) stays below the GC's generation-0 budget, the year's does not, so the " +
            "year's peak is the week's plus that budget (tens of MB on this machine; see the GC-heap row and the two-year run, which levels " +
            "off at the year's value). It does not grow with the range beyond that. Closing it: allocate fewer objects per point (records " +
            "as structs or reused instances — a public API change for the cmdlets' output objects), or a smaller gen-0 budget in the host " +
            "(`GCgen0size`), which is the PowerShell process's setting, not the module's."),
        ("7 store 1y", "every daily kind",
            "The store's own work is small here (13,222 rows; the export ends about 0.02 s after its last answer and the files take " +
            "milliseconds; with every kind at once, MaxConcurrentKinds = 11, it is hardly faster, so kind scheduling is not it). Most of the gap is " +
            "one round trip before the first data request: to keep the settings answer for re-parsing, `Exporter.RunAsync` asks for the " +
            "settings (`ExportRequest.KeepSettings` → `HealthClient.GetSettingsAsync`, not the cached answer) and waits for it before any kind " +
            "starts, though no daily reader needs the settings (the reads ask for none; first data request at about 0.2 s vs 0 s). The rest is " +
            "keeping each answer (gzip + an insert under the store's gate, inside the request's throttle slot). The same export with KeepRaw " +
            "off takes the reads' time (notes). The ratio moves around the target from run to run (1.04–1.09). Closing it: do not wait for the " +
            "settings before the kinds start (ask beside them, or keep the answer when a reader asks for the time zone, through the " +
            "connection's settings cache) and keep answers off the request path (hand them to a writer outside the throttle slot)."),
        ("7 store 5y", "every daily kind",
            "Five years need about 500 requests, so the export and the reads both wait on the quota; a miss here is the per-answer cost of " +
            "the row above (settings before the first data request, answers kept under the store's gate) on a loaded machine."),
        ("7 store intraday", "ActivityIntraday + HeartRateIntraday",
            "The store's work sits on the heart-rate page chain instead of beside it. The export reads a week, then applies it " +
            "(`KindTable.Apply`: each row's key and CSV text, a sort, the compare with the stored days, then delete + insert: about 7 µs a " +
            "sample, close to a second for a week of samples) before it asks for the next week's first page, so the chain pauses at every " +
            "week boundary (the pauses in the notes, against under a second in the reads); after the last answer the last week is applied and " +
            "heart-rate-samples.csv is written again from the store (about 2 s for 527,607 rows). Keeping the raw answers adds 0.4–1.4 s (the " +
            "export asks for the settings twice: once uncached for the raw answers before any kind starts, once for the readers' time zone; and " +
            "each page's gzip + insert under the store's gate). Minute activity costs 20 requests instead of the reads' 4 (one minute rollUp " +
            "covers 90 days; the export asks a week at a time), beside the chain. Closing it: read the next chunk while the previous one is " +
            "written (one chunk ahead keeps memory flat), write the file while the rows go in instead of reading the table back, and a lighter " +
            "Apply for days with no stored rows (no compare, no row text)."),
        ("3 parse", "points/s per core",
            "The parse rate is measured on a machine shared with other builds (see the load average); the scanner " +
            "(`src/FitbitPS.Engine/Api/Wire/HeartRatePageScanner.cs`) allocates only the records themselves."),
    };

    public static void Write(BenchSettings settings, ResultTable table, TimeSpan elapsed, string loadAtStart)
    {
        var path = settings.WriteResults ?? DefaultPath();
        var sb = new StringBuilder();
        sb.AppendLine("# FitbitPS benchmark results");
        sb.AppendLine();
        sb.AppendLine("Written by `dotnet run -c Release --project bench/FitbitPS.Bench -- --write-results` (see [README.md](README.md) for what each scenario measures and the formulas).");
        sb.AppendLine();
        sb.AppendLine($"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; run took {elapsed.TotalSeconds:0} s");
        sb.AppendLine($"- Commit: {Commit()}");
        sb.AppendLine($"- Machine: {Machine()}");
        sb.AppendLine($"- Load average at start / end: {loadAtStart} / {LoadAverage()} (the machine is shared with other builds; timings are from a loaded machine)");
        sb.AppendLine($"- Settings: emulator latency {settings.Latency.TotalMilliseconds:0} ms per /v4 request, quota {settings.Quota} requests per rolling minute per user, " +
                      $"naive client sample {settings.NaiveDays} days{(settings.Quick ? ", --quick" : "")}{(settings.RunBenchmarkDotNet ? "" : ", --no-bdn")}");
        sb.AppendLine();
        sb.AppendLine("## Results");
        sb.AppendLine();
        sb.Append(table.ToText(markdown: true));
        sb.AppendLine();
        var failed = table.Rows.Where(r => r.Pass == "FAIL").OrderBy(r => r.Scenario[0]).ToList();
        sb.AppendLine("## Missed targets: why, and what would close them");
        sb.AppendLine();
        if (failed.Count == 0) sb.AppendLine("None.");
        foreach (var row in failed)
        {
            var why = Misses.FirstOrDefault(m => row.Scenario.StartsWith(m.Scenario, StringComparison.Ordinal) && row.Metric.StartsWith(m.Metric, StringComparison.Ordinal)).Text
                      ?? "No explanation recorded for this row; see the notes.";
            sb.AppendLine($"- **{row.Scenario} — {row.Metric}** ({row.FitbitPs} vs {row.Bound}, ratio {row.Ratio}, target {row.Target}): {why}");
        }
        sb.AppendLine();
        sb.AppendLine("## Notes from the run");
        sb.AppendLine();
        foreach (var n in table.Notes) sb.AppendLine("- " + n);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, sb.ToString());
        Console.Error.WriteLine($"Wrote {Path.GetFullPath(path)}");
    }
}
