using System.Security.Cryptography;
using System.Text;
using FitbitPS.Engine.Export;

namespace FitbitPS.Bench;

/// <summary>Scenario 5: 1,000,000 ActivityDay rows to CSV — FitbitPS's writer vs a StreamWriter by hand.</summary>
public static class CsvScenario
{
    public static Task RunAsync(BenchSettings settings, ResultTable table)
    {
        // Same bytes? (both written to memory once, compared by hash)
        var rows = CsvBenchmarks.MakeRows(CsvBenchmarks.Rows);
        long size = 0;
        string Hash(Action<StreamWriter> write)
        {
            using var ms = new MemoryStream();
            var w = new StreamWriter(ms, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            write(w);
            w.Dispose();
            size = ms.Length;
            return Convert.ToHexString(SHA256.HashData(ms.ToArray()))[..12];
        }
        var mine = Hash(w => ExportWriter.WriteCsv(w, rows));
        var theirs = Hash(w => CsvBenchmarks.WriteByHand(w, rows));
        table.Note(mine == theirs ? $"5 csv: FitbitPS and the by-hand writer produce the same {size / 1e6:0.0} MB (SHA-256 {mine}…)."
                                  : $"5 csv: the outputs differ (FitbitPS {mine}, by hand {theirs}): FitbitPS writes the shortest text that reads back exactly, the by-hand writer \"R\".");
        table.Note("5 csv: pwsh's `| Export-Csv` cannot be measured here (no PowerShell on this machine).");
        rows = null;
        GC.Collect();

        if (!settings.RunBenchmarkDotNet) return Task.CompletedTask;
        var summary = ShortBenchmark.Run<CsvBenchmarks>(settings.Quick, invocationCount: 1);
        var (ns, bytes) = ShortBenchmark.Result(summary, "FitbitPS");
        var (baseNs, baseBytes) = ShortBenchmark.Result(summary, "StreamWriter");
        table.Ratio("5 csv 1M rows", "rows/s, FitbitPS vs StreamWriter by hand", 1e9 / ns / 1e6, 1e9 / baseNs / 1e6, "M", min: 1.0, format: "0.00");
        table.Ratio("5 csv 1M rows", "seconds for 1M rows", ns * CsvBenchmarks.Rows / 1e9, baseNs * CsvBenchmarks.Rows / 1e9, " s", max: 1.0, format: "0.00");
        table.Note($"5 csv: FitbitPS {ns:0} ns and {bytes} B allocated per row; by hand {baseNs:0} ns and {baseBytes} B per row (into Stream.Null through a 64 KB UTF-8 StreamWriter: formatting and encoding, not the disk).");
        return Task.CompletedTask;
    }
}
