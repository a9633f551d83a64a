using System.Diagnostics;
using System.Text.Json;
using FitbitPS.Engine.Api;
using HealthApiEmulator.Hosting;
using Emu = HealthApiEmulator.Hosting.Emulator;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 6: the module as a PowerShell user meets it, on the pinned pwsh (dotnet pwsh), side by side with
/// what that user would do without it. Each measurement runs in a fresh pwsh process (bench/pwsh/*.ps1)
/// against an in-process emulator; requests are counted by the emulator's own log.
/// <list type="bullet">
/// <item>a year of activity, sleep and weight: the plain Invoke-RestMethod loop (bench/pwsh/Naive.ps1, run
/// for a few days and extrapolated like scenario 2's naive client) vs the three cmdlets, same latency and quota;</item>
/// <item>objects per second into the pipeline: a month of raw heart rate into Measure-Object;</item>
/// <item>the same samples through | Export-Csv vs Export-FitbitData;</item>
/// <item>Import-Module and the first read (a saved profile, silent sign-in), median of fresh processes.</item>
/// </list>
/// </summary>
public static class PowerShellScenario
{
    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var repo = ResultsFile.RepoRoot() ?? throw new InvalidOperationException("Run the benchmark from the repository (it needs out/FitbitPS and bench/pwsh).");
        var manifest = Path.Combine(repo, "out", "FitbitPS", "FitbitPS.psd1");
        if (!File.Exists(manifest)) throw new InvalidOperationException($"Build the solution first: {manifest} is missing.");
        var work = Directory.CreateTempSubdirectory("fitbitps-bench-pwsh-").FullName;
        try
        {
            var browser = Path.Combine(work, "follow-redirect.ps1");
            await File.WriteAllTextAsync(browser, "param([string] $Url)\nInvoke-WebRequest -Uri $Url -UseBasicParsing -MaximumRedirection 5 | Out-Null\n");
            var env = new Dictionary<string, string>
            {
                ["FITBITPS_BROWSER"] = $"dotnet pwsh -NoProfile -File \"{browser}\"",
                ["FITBITPS_HOME"] = Path.Combine(work, "home"),
                ["NO_COLOR"] = "1",
            };
            await YearAsync(settings, table, repo, manifest, work, env);
            await ThroughputAsync(settings, table, repo, manifest, work, env);
            await ImportAsync(settings, table, repo, manifest, work, env);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A year of activity, sleep and weight: naive Invoke-RestMethod loop vs the cmdlets.</summary>
    private static async Task YearAsync(BenchSettings settings, ResultTable table, string repo, string manifest, string work, Dictionary<string, string> env)
    {
        var to = BenchSettings.Today;
        var from = to.AddDays(-364);
        // The naive script's days: the last NaiveDays of the year.
        await using (var naiveEmu = await StartEmulatorAsync(settings.Latency, settings.Quota))
        {
            var secrets = await WriteSecretsAsync(naiveEmu, work, "naive");
            var token = naiveEmu.OAuth.IssueTokens(FitbitPS.Engine.Auth.FitbitScopes.ToGoogleScopes(null)).AccessToken;
            var naiveFrom = to.AddDays(-(settings.NaiveDays - 1));
            var naive = await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Naive.ps1"),
                "-BaseUrl", naiveEmu.BaseUrl.AbsoluteUri, "-AccessToken", token, "-From", Iso(naiveFrom), "-Days", settings.NaiveDays.ToString());
            var naiveRequests = naiveEmu.Requests.HealthApi.Count;
            var naiveSeconds = naive.GetProperty("seconds").GetDouble();
            var perDay = (double)naiveRequests / settings.NaiveDays;
            var yearRequests = (int)Math.Round(perDay * 365);
            var linear = naiveSeconds / settings.NaiveDays * 365;
            var quotaFloor = Math.Floor((yearRequests - 1) / (double)settings.Quota) * 60 + settings.Latency.TotalSeconds;
            var naiveYear = Math.Max(linear, quotaFloor);
            table.Note($"6 naive Invoke-RestMethod loop: {settings.NaiveDays} days ({Iso(naiveFrom)}..{Iso(to)}) really run: {naiveRequests} requests in {naiveSeconds:0.0} s " +
                       $"({naive.GetProperty("rows").GetInt32()} day rows, {naive.GetProperty("steps").GetInt64()} steps). Year = max(linear {naiveSeconds / settings.NaiveDays:0.00} s/day × 365 = {linear:0} s, " +
                       $"quota floor((N-1)/Q) min + L = {quotaFloor:0} s for N = {yearRequests}) = {naiveYear:0} s. Per day: lists of steps and distance (summed), the total-calories " +
                       "daily roll-up, the sleep and weight lists; every nextPageToken followed; Invoke-RestMethod -MaximumRetryCount 5.");

            await using var emu = await StartEmulatorAsync(settings.Latency, settings.Quota);
            var cmdlets = await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Cmdlets.ps1"),
                "-Mode", "Year", "-Manifest", manifest, "-ClientSecretsFile", await WriteSecretsAsync(emu, work, "year"), "-From", Iso(from), "-To", Iso(to));
            var seconds = cmdlets.GetProperty("seconds").GetDouble();
            // The sign-in's identity request is not part of the job.
            var requests = emu.Requests.HealthApi.Count(r => !r.Path.EndsWith("/identity", StringComparison.Ordinal));
            table.Add(new ResultRow("6 pwsh 1y", $"requests, naive ÷ cmdlets (naive: {settings.NaiveDays} days ×365/{settings.NaiveDays})",
                requests.ToString(), yearRequests.ToString(), ResultRow.F((double)yearRequests / requests), "—", "—"));
            table.Ratio("6 pwsh 1y", "wall time, naive Invoke-RestMethod ÷ cmdlets (× faster)", naiveYear, seconds, " s", min: 20, format: "0.0");
            table.Note($"6 cmdlets: Get-FitbitActivity, Get-FitbitSleep, Get-FitbitBodyWeight over {Iso(from)}..{Iso(to)} one after another in a fresh pwsh: " +
                       $"{cmdlets.GetProperty("activity").GetInt32()} days, {cmdlets.GetProperty("sleep").GetInt32()} sleeps, {cmdlets.GetProperty("weight").GetInt32()} weigh-ins, " +
                       $"{requests} requests in {seconds:0.0} s (sign-in not timed).");
        }
    }

    /// <summary>Objects per second into the pipeline, and | Export-Csv vs Export-FitbitData, on an emulator without latency.</summary>
    private static async Task ThroughputAsync(BenchSettings settings, ResultTable table, string repo, string manifest, string work, Dictionary<string, string> env)
    {
        var to = BenchSettings.Today.AddDays(-1);
        var from = to.AddDays(settings.Quick ? -6 : -29);
        await using var emu = await StartEmulatorAsync(TimeSpan.Zero, 0);
        var secrets = await WriteSecretsAsync(emu, work, "throughput");
        var pipe = await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Cmdlets.ps1"),
            "-Mode", "Pipeline", "-Manifest", manifest, "-ClientSecretsFile", secrets, "-From", Iso(from), "-To", Iso(to));
        var objects = pipe.GetProperty("objects").GetInt64();
        var pipeSeconds = pipe.GetProperty("seconds").GetDouble();
        var token = emu.OAuth.IssueTokens(FitbitPS.Engine.Auth.FitbitScopes.ToGoogleScopes(null)).AccessToken;
        var naive = await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Naive.ps1"),
            "-BaseUrl", emu.BaseUrl.AbsoluteUri, "-AccessToken", token, "-From", Iso(from), "-Days", ((to - from).Days + 1).ToString(), "-RawHeartRate");
        var naiveRate = naive.GetProperty("objects").GetInt64() / naive.GetProperty("seconds").GetDouble();
        table.Ratio("6 pwsh pipeline", $"raw heart rate into Measure-Object, objects/s ({objects:N0} samples, {(to - from).Days + 1} days) vs Invoke-RestMethod pages",
            objects / pipeSeconds / 1000, naiveRate / 1000, "k/s", format: "0");

        var folder = Path.Combine(work, "csv");
        Directory.CreateDirectory(folder);
        var csv = await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Cmdlets.ps1"),
            "-Mode", "Csv", "-Manifest", manifest, "-ClientSecretsFile", secrets, "-From", Iso(from), "-To", Iso(to), "-Folder", folder);
        var exportCsv = csv.GetProperty("exportCsvSeconds").GetDouble();
        var exportData = csv.GetProperty("exportFitbitDataSeconds").GetDouble();
        table.Ratio("6 pwsh csv", $"same samples: | Export-Csv ÷ Export-FitbitData, wall time (× faster; {csv.GetProperty("exportFitbitDataRows").GetInt64():N0} rows)",
            exportCsv, exportData, " s", min: 10, format: "0.0");
        table.Ratio("6 pwsh csv", "same samples: | Export-Csv ÷ Export-FitbitData, CPU time of the pwsh process (× less)",
            csv.GetProperty("exportCsvCpuSeconds").GetDouble(), csv.GetProperty("exportFitbitDataCpuSeconds").GetDouble(), " s", format: "0.0");
        table.Note($"6 csv: Get-FitbitHeartRate -Raw | Export-Csv wrote {csv.GetProperty("exportCsvRows").GetInt64():N0} rows ({csv.GetProperty("exportCsvBytes").GetInt64() / 1e6:0.0} MB) in {exportCsv:0.0} s; " +
                   $"Export-FitbitData -DataType HeartRateIntraday wrote {csv.GetProperty("exportFitbitDataRows").GetInt64():N0} rows ({csv.GetProperty("exportFitbitDataBytes").GetInt64() / 1e6:0.0} MB) in {exportData:0.0} s; " +
                   $"both read the same pages from an emulator without added latency; pipeline: {objects:N0} objects in {pipeSeconds:0.00} s; " +
                   $"Invoke-RestMethod (every page, dataPoints into Measure-Object): {naive.GetProperty("objects").GetInt64():N0} objects in {naive.GetProperty("seconds").GetDouble():0.00} s. " +
                   "Each figure is one run in a fresh pwsh, so it includes JIT warm-up; the emulator generates every page on request and shares the 2 cores.");
    }

    /// <summary>Import-Module and the first read, median of fresh processes.</summary>
    private static async Task ImportAsync(BenchSettings settings, ResultTable table, string repo, string manifest, string work, Dictionary<string, string> env)
    {
        await using var emu = await StartEmulatorAsync(TimeSpan.Zero, 0);
        await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Cmdlets.ps1"),
            "-Mode", "Setup", "-Manifest", manifest, "-ClientSecretsFile", await WriteSecretsAsync(emu, work, "import"));
        var runs = settings.Quick ? 5 : 15;
        var imports = new List<double>();
        var firsts = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var r = await RunPwshAsync(repo, env, Path.Combine(repo, "bench", "pwsh", "Cmdlets.ps1"), "-Mode", "Import", "-Manifest", manifest);
            imports.Add(r.GetProperty("importMs").GetDouble());
            firsts.Add(r.GetProperty("firstReadMs").GetDouble());
        }
        var import = Median(imports);
        table.Ratio("6 pwsh import", $"Import-Module, median of {runs} fresh processes", import, 150, " ms", max: 1, format: "0", boundLabel: "150 ms");
        table.Add(new ResultRow("6 pwsh import", $"first read after import (Get-FitbitSleep -Days 7, silent sign-in), median of {runs}",
            ResultRow.F(Median(firsts), "0") + " ms", "—", "—", "—", "—"));
        table.Note($"6 import: Import-Module {string.Join(", ", imports.Select(x => x.ToString("0")))} ms; first read {string.Join(", ", firsts.Select(x => x.ToString("0")))} ms " +
                   "(profile in the Plaintext cache, so the number is the module's, not a keyring's or PBKDF2's; emulator without added latency).");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<Emu> StartEmulatorAsync(TimeSpan latency, int quota)
        => await Emu.StartAsync(new EmulatorOptions { Now = BenchSettings.Now, Latency = latency, QuotaPerMinute = quota, AutoApprove = true });

    private static async Task<string> WriteSecretsAsync(Emu emu, string work, string name)
    {
        var path = Path.Combine(work, $"client_secret_{name}.json");
        await File.WriteAllTextAsync(path, emu.OAuth.ClientSecretsJson());
        return path;
    }

    private static string Iso(DateTime day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs a bench script in a fresh pinned pwsh (dotnet pwsh, from the repository's tool manifest)
    /// and returns the JSON object it prints last.</summary>
    private static async Task<JsonElement> RunPwshAsync(string repo, Dictionary<string, string> env, string script, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-File", script }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var json = lines.LastOrDefault(l => l.StartsWith('{'));
        if (p.ExitCode != 0 || json == null)
            throw new InvalidOperationException($"{Path.GetFileName(script)} {string.Join(' ', args.Take(2))} failed (exit {p.ExitCode}): {await stderr}\n{string.Join('\n', lines)}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
