using System.Diagnostics;
using FitbitPS.Bench;

// FitbitPS benchmarks: whole jobs against the in-process emulator (latency + Google's quota on) and
// BenchmarkDotNet for the hot paths. Prints one table; --write-results also writes bench/RESULTS.md.
if (args.Length == 3 && args[0] == "--memory-child") return ParseScenario.MemoryChild(args[1], int.Parse(args[2]));
if (args.Length == 2 && args[0] == "--takeout-child") return TakeoutScenario.Child(args[1]);
var settings = new BenchSettings();
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--quick": settings.Quick = true; settings.NaiveDays = 3; break;
        case "--latency-ms": settings.Latency = TimeSpan.FromMilliseconds(int.Parse(Next())); break;
        case "--quota": settings.Quota = int.Parse(Next()); break;
        case "--naive-days": settings.NaiveDays = int.Parse(Next()); break;
        case "--no-bdn": settings.RunBenchmarkDotNet = false; break;
        case "--only": settings.Only = Next(); break;
        case "--write-results":
            settings.WriteResults = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : ResultsFile.DefaultPath();
            break;
        case "-h": case "--help":
            Console.WriteLine("""
                dotnet run -c Release --project bench/FitbitPS.Bench [-- options]
                  --quick            smaller run (1 year only, 3 naive days, a quarter instead of a year of heart rate, no five-year store or report)
                  --latency-ms N     latency the emulator adds to every /v4 request (default 150)
                  --quota N          per-user requests per minute (default 300, Google's)
                  --naive-days N     days the naive client really runs before extrapolating to a year (default 14)
                  --no-bdn           skip the BenchmarkDotNet parts (parse throughput, CSV writer)
                  --only 1,2,...     run only these scenarios
                  --write-results [PATH]  also write the table and notes to bench/RESULTS.md (or PATH)
                """);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Try --help.");
            return 2;
    }
}

var table = new ResultTable();
var loadAtStart = ResultsFile.LoadAverage();
var total = Stopwatch.StartNew();
bool Run(int n) => settings.Only == null || settings.Only.Split(',').Contains(n.ToString());
void Say(string s) => Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {s}");

Say($"{ResultsFile.Machine()}; load average {loadAtStart}");
Say($"latency {settings.Latency.TotalMilliseconds:0} ms per request, quota {settings.Quota}/min{(settings.Quick ? ", quick" : "")}");
if (Run(1)) { Say("scenario 1: requests vs the physical minimum"); await RequestsScenario.RunAsync(settings, table); }
if (Run(3)) { Say("scenario 3: parse throughput and memory"); await ParseScenario.RunAsync(settings, table); }
if (Run(5)) { Say("scenario 5: CSV writer"); await CsvScenario.RunAsync(settings, table); }
if (Run(2) || Run(4)) { Say("scenarios 2 and 4: backfill, naive client, incremental no-op"); await BackfillScenario.RunAsync(settings, table, Run(2), Run(4)); }
if (Run(6)) { Say("scenario 6: PowerShell (the cmdlets on the pinned pwsh vs a plain Invoke-RestMethod loop; pipeline, CSV, import)"); await PowerShellScenario.RunAsync(settings, table); }
if (Run(7)) { Say("scenario 7: the store (export vs the same reads without it, insert rate, size per year, the daily view, offline reads)"); await StoreScenario.RunAsync(settings, table, Say); }
if (Run(8)) { Say("scenario 8: Google Takeout (records/s and MB/s of a generated archive; peak working set 10× vs 1×)"); await TakeoutScenario.RunAsync(settings, table, Say); }
if (Run(9)) { Say("scenario 9: the report (Export-FitbitReport: generation time and size of a 1- and 5-year report; time to its rendered mark in Chromium)"); await ReportScenario.RunAsync(settings, table, Say); }

Console.WriteLine();
Console.WriteLine(table.ToText(markdown: false));
foreach (var n in table.Notes) Console.WriteLine("  - " + n);
Say($"done in {total.Elapsed.TotalSeconds:0} s");
if (settings.WriteResults != null) ResultsFile.Write(settings, table, total.Elapsed, loadAtStart);
return table.Rows.Any(r => r.Pass == "FAIL") ? 1 : 0;
