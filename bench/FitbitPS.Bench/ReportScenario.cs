using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FitbitPS.Engine;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Http;
using FitbitPS.Testing;
using HealthApiEmulator.Hosting;
using Emu = HealthApiEmulator.Hosting.Emulator;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 9: Export-FitbitReport (FitbitReport.Write) on the emulator person's 1-year and 5-year stores: how long the
/// report takes to write and how big it gets (target: five years under 5 MB), and how long Chromium takes from navigation
/// start to the page's "fitbitps-rendered" mark (tests/report/check-report.mjs; target: median under 2 s), with no console
/// error and no request.
/// </summary>
public static class ReportScenario
{
    private const string Scenario = "9 Report";
    /// <summary>The last day of the stores: the day before the frozen "today" (as in the report's browser tests).</summary>
    private static readonly DateTime LastDay = BenchSettings.Today.AddDays(-1);
    private const int GenerationRuns = 5;
    private const int PageLoads = 5;
    private const long SizeLimit = 5_000_000; // 5 MB (10^6 bytes, as the rest of the table; stricter than 5 MiB)
    private const double RenderLimitMs = 2000;

    private sealed record Store(string Name, string Label, int Days, string Folder)
    {
        public string Report => Path.Combine(Folder, FitbitReport.DefaultFileName);
    }

    /// <summary>One page load: the check script's JSON, read.</summary>
    private sealed record PageLoad(double RenderMs, double FirstScreenMs, double WallMs, int ConsoleErrors, int Requests, int PageErrors, bool Rendered, int Charts, string? FirstProblem);

    public static async Task RunAsync(BenchSettings settings, ResultTable table, Action<string> say)
    {
        var root = Path.Combine(Path.GetTempPath(), "fitbitps-bench-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var stores = new List<Store> { new("1y", "1 year", 365, Path.Combine(root, "1y")) };
            if (!settings.Quick) stores.Add(new("5y", "5 years", 5 * 365 + 1, Path.Combine(root, "5y")));

            // --- Set-up (not measured): the stores, exported from an emulator without latency or quota.
            var setup = Stopwatch.StartNew();
            await BuildStoresAsync(stores);
            say($"9: stores built in {setup.Elapsed.TotalSeconds:0} s ({string.Join(", ", stores.Select(s => $"{s.Label} {StoreBytes(s.Folder) / 1e6:0.0} MB"))}; set-up, not measured)");

            // --- 1. Generation time and file size.
            var generated = new Dictionary<string, (double FirstMs, double MedianMs, double[] Runs, ReportResult Result)>();
            foreach (var store in stores)
            {
                var spec = new ReportSpec { Path = store.Folder, OutFile = store.Report };
                var first = FitbitReport.Write(spec, default);
                var runs = new double[GenerationRuns];
                ReportResult last = first;
                for (int i = 0; i < GenerationRuns; i++)
                {
                    last = FitbitReport.Write(spec, default);
                    runs[i] = last.Elapsed.TotalMilliseconds;
                }
                generated[store.Name] = (first.Elapsed.TotalMilliseconds, Median(runs), runs, last);
                say($"9: {store.Label}: {last.Bytes / 1e6:0.00} MB, {last.Charts.Count} charts, first write {first.Elapsed.TotalMilliseconds:0} ms, " +
                    $"then {string.Join(", ", runs.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} ms");
            }
            foreach (var store in stores)
            {
                var g = generated[store.Name];
                table.Add(new ResultRow(Scenario, $"Export-FitbitReport (FitbitReport.Write), {store.Label} store: generation time (median of {GenerationRuns} after a first run)",
                    ResultRow.F(g.MedianMs, "0") + " ms", "—", "—", "—", "—"));
            }
            if (settings.Quick) table.Add(new ResultRow(Scenario, "Export-FitbitReport, 5 years store: generation time", "skipped (--quick)", "—", "—", "—", "—"));
            foreach (var store in stores)
            {
                var bytes = generated[store.Name].Result.Bytes;
                bool hasTarget = store.Name == "5y";
                table.Add(new ResultRow(Scenario, $"report size, {store.Label} store (one self-contained HTML file)",
                    ResultRow.F(bytes / 1e6) + " MB", hasTarget ? "5 MB" : "—", hasTarget ? ResultRow.F((double)bytes / SizeLimit) : "—",
                    hasTarget ? "< 5 MB" : "—", hasTarget ? (bytes < SizeLimit ? "pass" : "FAIL") : "—"));
            }
            if (settings.Quick) table.Add(new ResultRow(Scenario, "report size, 5 years store", "skipped (--quick)", "5 MB", "—", "< 5 MB", "—"));
            table.Note($"{Scenario}: stores of the emulator's person, -DataType All to {LastDay:yyyy-MM-dd} + 2 days by minute; FitbitReport.Write, " +
                       string.Join("; ", stores.Select(s =>
                       {
                           var g = generated[s.Name];
                           return $"{s.Label}: first {g.FirstMs:0} ms{(s == stores[0] ? " (JIT)" : "")}, then " +
                                  string.Join(", ", g.Runs.Select(r => r.ToString("0", CultureInfo.InvariantCulture))) + $" ms, {g.Result.Bytes:N0} bytes, " +
                                  $"{g.Result.Charts.Count} charts, {g.Result.Charts.Values.Sum():N0} points";
                       })) + ".");

            // --- 2. Time to the page's rendered mark in Chromium.
            var reason = BrowserMissing(out var repo, out var chromium);
            if (reason != null)
            {
                say($"9: the page loads are not measured: {reason}");
                foreach (var store in stores)
                    table.Add(new ResultRow(Scenario, $"page opened in Chromium, {store.Label}: time to the fitbitps-rendered mark", $"not measured: {reason}", "2000 ms", "—", "median < 2000 ms", "—"));
                AddSkipped5y(settings, table);
                table.Note($"{Scenario}: the page loads were not measured: {reason}.");
                return;
            }

            // One untimed load first (Chromium's files and the script's modules into the page cache); then the reports
            // are opened in turn (1y, 5y, 1y, ...), so both see the same machine.
            var warm = Load(repo!, chromium!, stores[0].Report, Path.Combine(root, "warm-up.png"));
            say($"9: warm-up page load ({stores[0].Label}): rendered mark at {warm.RenderMs:0} ms");
            var loads = stores.ToDictionary(s => s.Name, _ => new List<PageLoad>());
            for (int i = 0; i < PageLoads; i++)
                foreach (var store in stores)
                    loads[store.Name].Add(Load(repo!, chromium!, store.Report, Path.Combine(root, $"report-{store.Name}.png")));
            foreach (var store in stores)
                say($"9: {store.Label}: rendered mark at {string.Join(", ", loads[store.Name].Select(l => l.RenderMs.ToString("0", CultureInfo.InvariantCulture)))} ms");

            foreach (var store in stores)
            {
                var l = loads[store.Name];
                var median = Median(l.Select(x => x.RenderMs));
                table.Add(new ResultRow(Scenario, $"page opened in Chromium, {store.Label}: time to the fitbitps-rendered mark from navigation start (median of {PageLoads} loads; max)",
                    $"{ResultRow.F(median, "0")} ms (max {ResultRow.F(l.Max(x => x.RenderMs), "0")})", "2000 ms", ResultRow.F(median / RenderLimitMs),
                    "median < 2000 ms", median < RenderLimitMs ? "pass" : "FAIL"));
                // The charts of the first screen are drawn first; the rest follow once the browser has painted them.
                table.Add(new ResultRow(Scenario, $"  {store.Label}: time to the fitbitps-first-screen mark (the charts in the first 1280×900 view drawn; median; max)",
                    $"{ResultRow.F(Median(l.Select(x => x.FirstScreenMs)), "0")} ms (max {ResultRow.F(l.Max(x => x.FirstScreenMs), "0")})", "—", "—", "—", "—"));
            }
            foreach (var store in stores)
            {
                var l = loads[store.Name];
                int errors = l.Sum(x => x.ConsoleErrors), requests = l.Sum(x => x.Requests), pageErrors = l.Sum(x => x.PageErrors);
                bool clean = errors == 0 && requests == 0 && pageErrors == 0 && l.All(x => x.Rendered);
                table.Add(new ResultRow(Scenario, $"  {store.Label}: console errors and warnings / requests / report errors, all {PageLoads} loads",
                    $"{errors} / {requests} / {pageErrors}", "—", "—", "0 / 0 / 0", clean ? "pass" : "FAIL"));
                var problem = l.Select(x => x.FirstProblem).FirstOrDefault(p => p != null);
                if (problem != null) table.Note($"{Scenario}, {store.Label}: the page reported: {problem}");
                int drawn = generated[store.Name].Result.Charts.Count;
                if (l.Any(x => x.Charts != drawn))
                    table.Note($"{Scenario}, {store.Label}: the page holds {string.Join("/", l.Select(x => x.Charts).Distinct())} charts; FitbitReport.Write says it drew {drawn}.");
            }

            // --- 3. Five years vs one, from the same run (the machine is noisy: the ratio says more than the absolute numbers).
            if (loads.TryGetValue("5y", out var five))
            {
                var one = loads["1y"];
                table.Ratio(Scenario, "  rendered mark, 5 years vs 1 year (medians of the same run, alternated; informational)",
                    Median(five.Select(x => x.RenderMs)), Median(one.Select(x => x.RenderMs)), " ms", format: "0");
            }
            else AddSkipped5y(settings, table);

            table.Note($"{Scenario}: check-report.mjs (node {NodeVersion()}, {chromium} headless), a fresh browser per load, untimed load first ({warm.RenderMs:0} ms); rendered mark " +
                       string.Join("; ", stores.Select(s => $"{s.Label} {string.Join(", ", loads[s.Name].Select(x => x.RenderMs.ToString("0", CultureInfo.InvariantCulture)))} ms " +
                           $"(node's goto to rendered, median {Median(loads[s.Name].Select(x => x.WallMs)):0} ms)")) + ".");
        }
        finally
        {
            // BENCH_KEEP_STORE=1 keeps the stores, their reports and the last screenshots.
            if (Environment.GetEnvironmentVariable("BENCH_KEEP_STORE") == "1") say($"9: stores and reports kept in {root}");
            else try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    private static void AddSkipped5y(BenchSettings settings, ResultTable table)
    {
        if (!settings.Quick) return;
        table.Add(new ResultRow(Scenario, "page opened in Chromium, 5 years", "skipped (--quick)", "2000 ms", "—", "median < 2000 ms", "—"));
    }

    /// <summary>The stores, as ReportStores in the report's browser tests builds them: one emulator without latency or quota
    /// (set-up: the point is the report, not the pacing) and a client without a per-minute limit.</summary>
    private static async Task BuildStoresAsync(IReadOnlyList<Store> stores)
    {
        await using var emu = await Emu.StartAsync(new EmulatorOptions { Now = BenchSettings.Now, Latency = TimeSpan.Zero, QuotaPerMinute = 0 });
        var tokens = new EmulatorTokenSource(emu);
        using var connection = new FitbitConnection(tokens, GoogleEndpoints.ForEmulator(emu.BaseUrl).HealthApiBase,
            configure: c => c.Clock = () => emu.Clock.UtcNow, throttle: new RequestThrottle(4, 0));
        foreach (var store in stores)
        {
            Directory.CreateDirectory(store.Folder);
            Check(await connection.ExportAsync(new ExportSpec { Path = store.Folder, From = LastDay.AddDays(-(store.Days - 1)), To = LastDay }, null, default));
            Check(await connection.ExportAsync(new ExportSpec
            {
                Path = store.Folder, DataTypes = new[] { "HeartRateIntraday", "ActivityIntraday" }, From = LastDay.AddDays(-1), To = LastDay,
            }, null, default));
        }

        static void Check(IReadOnlyList<ExportResult> results)
        {
            var failed = results.FirstOrDefault(r => r.Error != null);
            if (failed != null) throw new InvalidOperationException($"Building the report's store: the export's {failed.Kind} failed: {failed.Error!.Message}", failed.Error);
        }
    }

    private static long StoreBytes(string folder) =>
        Directory.EnumerateFiles(folder, "fitbitps.db*").Sum(f => new FileInfo(f).Length);

    /// <summary>Why the page cannot be opened here (null: it can): node, Chromium, the check script and playwright-core.</summary>
    private static string? BrowserMissing(out string? repo, out string? chromium)
    {
        chromium = Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        repo = ResultsFile.RepoRoot() ?? RootAbove(AppContext.BaseDirectory);
        if (repo == null) return "the repository was not found (run the benchmark from it; it needs tests/report/check-report.mjs)";
        if (!File.Exists(Path.Combine(repo, "tests", "report", "check-report.mjs"))) return $"{Path.Combine(repo, "tests", "report", "check-report.mjs")} is missing";
        if (NodeVersion() == null) return "node is not on the PATH";
        if (!File.Exists(chromium)) return $"{chromium} is missing (install chromium, or set CHROMIUM)";
        if (!Directory.Exists(Path.Combine(repo, "node_modules", "playwright-core"))) return "node_modules/playwright-core is missing (run `npm ci` in the repository)";
        return null;
    }

    private static string? RootAbove(string dir)
    {
        for (var d = new DirectoryInfo(dir); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FitbitPS.sln"))) return d.FullName;
        return null;
    }

    private static string? _nodeVersion;
    private static bool _nodeAsked;

    private static string? NodeVersion()
    {
        if (_nodeAsked) return _nodeVersion;
        _nodeAsked = true;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            _nodeVersion = p.ExitCode == 0 && v.Length > 0 ? v : null;
        }
        catch (Win32Exception) { _nodeVersion = null; }
        return _nodeVersion;
    }

    /// <summary>One page load: node tests/report/check-report.mjs report screenshot (a fresh Chromium each time).</summary>
    private static PageLoad Load(string repo, string chromium, string report, string screenshot)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repo };
        psi.ArgumentList.Add(Path.Combine(repo, "tests", "report", "check-report.mjs"));
        psi.ArgumentList.Add(report);
        psi.ArgumentList.Add(screenshot);
        psi.Environment["CHROMIUM"] = chromium;
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        if (!node.WaitForExit(180_000)) { node.Kill(true); throw new TimeoutException($"check-report.mjs did not finish in 3 minutes on {report}"); }
        node.WaitForExit();
        if (node.ExitCode != 0) throw new InvalidOperationException($"check-report.mjs failed ({node.ExitCode}) on {report}: {stderr.Result}\n{stdout.Result}");
        using var json = JsonDocument.Parse(stdout.Result);
        var r = json.RootElement;
        static int Count(JsonElement e, string name) => e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.GetArrayLength() : 0;
        static string? First(JsonElement e, string name) => e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0 ? $"{name}: {a[0]}" : null;
        if (!r.TryGetProperty("renderMs", out var mark) || mark.ValueKind != JsonValueKind.Number)
            throw new InvalidOperationException($"check-report.mjs found no fitbitps-rendered mark on {report}: {stdout.Result[..Math.Min(500, stdout.Result.Length)]}");
        double firstScreen = r.TryGetProperty("firstScreenMs", out var first) && first.ValueKind == JsonValueKind.Number ? first.GetDouble() : double.NaN;
        return new PageLoad(mark.GetDouble(), firstScreen, r.GetProperty("wallMs").GetDouble(), Count(r, "consoleErrors"), Count(r, "requests"), Count(r, "errors"),
            r.TryGetProperty("rendered", out var rendered) && rendered.ValueKind == JsonValueKind.True,
            r.TryGetProperty("charts", out var charts) && charts.ValueKind == JsonValueKind.Object ? charts.EnumerateObject().Count() : 0,
            First(r, "consoleErrors") ?? First(r, "requests") ?? First(r, "errors"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
