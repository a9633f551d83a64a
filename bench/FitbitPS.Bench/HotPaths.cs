using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Records;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Bench;

/// <summary>Shared inputs of the in-process benchmarks (captured once by the harness).</summary>
public static class HotPathInputs
{
    /// <summary>One real emulator page of raw heart rate: 5,000 points as Google sends them (its cap for heart rate).</summary>
    public static byte[] HeartRatePage = Array.Empty<byte>();
    public static int HeartRatePagePoints;
}

/// <summary>Raw heart-rate page → typed records. Per operation: one point (OperationsPerInvoke = points per page).</summary>
public class ParseBenchmarks
{
    public const int Points = 5000; // a full heart-rate page: Google stops them at 5,000 points

    [Benchmark(Description = "FitbitPS ParseHeartRatePage", OperationsPerInvoke = Points)]
    public int FitbitPs() => FitbitReader.ParseHeartRatePage(HotPathInputs.HeartRatePage).Count;

    /// <summary>By hand with Newtonsoft: JObject.Parse, then a record per point.</summary>
    [Benchmark(Baseline = true, Description = "Newtonsoft JObject by hand", OperationsPerInvoke = Points)]
    public int NewtonsoftByHand()
    {
        var page = JObject.Parse(Encoding.UTF8.GetString(HotPathInputs.HeartRatePage));
        var list = new List<HeartRateSample>(Points);
        foreach (var p in (JArray)page["dataPoints"]!)
        {
            var hr = p["heartRate"]!;
            var st = hr["sampleTime"]!;
            var civil = st["civilTime"]!["date"]!;
            var time = DateTimeOffset.Parse((string)st["physicalTime"]!, CultureInfo.InvariantCulture);
            list.Add(new HeartRateSample
            {
                Date = new DateTime((int)civil["year"]!, (int)civil["month"]!, (int)civil["day"]!),
                Time = time,
                BeatsPerMinute = (int)hr["beatsPerMinute"]!,
                Source = (string?)p["dataSource"]?["device"]?["displayName"],
            });
        }
        return list.Count;
    }
}

/// <summary>1,000,000 ActivityDay rows to CSV (into Stream.Null through a UTF-8 StreamWriter: formatting and
/// encoding, not the disk). Per operation: one row.</summary>
public class CsvBenchmarks
{
    public const int Rows = 1_000_000;
    private ActivityDay[] _rows = Array.Empty<ActivityDay>();

    [GlobalSetup]
    public void Setup() => _rows = MakeRows(Rows);

    public static ActivityDay[] MakeRows(int n)
    {
        var rng = new Random(42);
        var rows = new ActivityDay[n];
        var day = new DateTime(2000, 1, 1);
        for (int i = 0; i < n; i++)
        {
            long steps = rng.Next(0, 25000);
            double km = Math.Round(steps * 0.00078, 3);
            rows[i] = new ActivityDay
            {
                Date = day.AddDays(i % 9000), Steps = steps, DistanceKm = km, DistanceMiles = Math.Round(km * 0.621371, 3),
                Floors = rng.Next(0, 40), CaloriesTotal = Math.Round(1800 + rng.NextDouble() * 1500, 1), CaloriesActive = Math.Round(rng.NextDouble() * 1200, 1),
                AzmFatBurn = rng.Next(0, 60), AzmCardio = rng.Next(0, 40), AzmPeak = rng.Next(0, 20),
                SedentaryMinutes = rng.Next(400, 900), LightMinutes = rng.Next(60, 300), ModerateMinutes = rng.Next(0, 60), VigorousMinutes = rng.Next(0, 45),
            };
            rows[i].AzmTotal = rows[i].AzmFatBurn + rows[i].AzmCardio + rows[i].AzmPeak;
        }
        return rows;
    }

    [Benchmark(Description = "FitbitPS ExportWriter.WriteCsv", OperationsPerInvoke = Rows)]
    public long FitbitPs()
    {
        using var w = new StreamWriter(Stream.Null, new UTF8Encoding(false), 1 << 16);
        return ExportWriter.WriteCsv(w, _rows);
    }

    /// <summary>By hand: a StreamWriter, invariant culture, "R" for doubles (round-trips), yyyy-MM-dd dates.</summary>
    [Benchmark(Baseline = true, Description = "StreamWriter by hand", OperationsPerInvoke = Rows)]
    public long ByHand() => WriteByHand(new StreamWriter(Stream.Null, new UTF8Encoding(false), 1 << 16), _rows);

    public static long WriteByHand(StreamWriter w, ActivityDay[] rows)
    {
        using (w)
        {
            var inv = CultureInfo.InvariantCulture;
            w.Write("Date,Steps,DistanceKm,DistanceMiles,Floors,CaloriesTotal,CaloriesActive,AzmFatBurn,AzmCardio,AzmPeak,AzmTotal,SedentaryMinutes,LightMinutes,ModerateMinutes,VigorousMinutes\r\n");
            foreach (var r in rows)
            {
                w.Write(r.Date.ToString("yyyy-MM-dd", inv)); w.Write(',');
                w.Write(r.Steps?.ToString(inv)); w.Write(',');
                w.Write(r.DistanceKm?.ToString("R", inv)); w.Write(',');
                w.Write(r.DistanceMiles?.ToString("R", inv)); w.Write(',');
                w.Write(r.Floors?.ToString(inv)); w.Write(',');
                w.Write(r.CaloriesTotal?.ToString("R", inv)); w.Write(',');
                w.Write(r.CaloriesActive?.ToString("R", inv)); w.Write(',');
                w.Write(r.AzmFatBurn?.ToString(inv)); w.Write(',');
                w.Write(r.AzmCardio?.ToString(inv)); w.Write(',');
                w.Write(r.AzmPeak?.ToString(inv)); w.Write(',');
                w.Write(r.AzmTotal?.ToString(inv)); w.Write(',');
                w.Write(r.SedentaryMinutes?.ToString("R", inv)); w.Write(',');
                w.Write(r.LightMinutes?.ToString("R", inv)); w.Write(',');
                w.Write(r.ModerateMinutes?.ToString("R", inv)); w.Write(',');
                w.Write(r.VigorousMinutes?.ToString("R", inv)); w.Write("\r\n");
            }
            return rows.Length;
        }
    }
}

/// <summary>Runs a benchmark class with a short in-process job (the machine is shared: no extra
/// processes, 1 launch, 3 warm-ups, 5 iterations) and returns its summary; BenchmarkDotNet's own
/// log goes to a file under the artifacts folder, not to the console.</summary>
public static class ShortBenchmark
{
    public static Summary Run<T>(bool quick, int? invocationCount = null)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "fitbitps-bench-artifacts");
        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(quick ? 1 : 3).WithIterationCount(quick ? 3 : 5).WithUnrollFactor(1).WithId("short-inproc");
        if (invocationCount.HasValue) job = job.WithInvocationCount(invocationCount.Value);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .AddLogger(NullLogger.Instance)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
        return BenchmarkRunner.Run<T>(config);
    }

    /// <summary>Mean nanoseconds and allocated bytes per operation of the benchmark whose description starts with <paramref name="prefix"/>.</summary>
    public static (double Ns, long? Bytes) Result(Summary summary, string prefix)
    {
        if (summary.Reports.Length == 0 || summary.HasCriticalValidationErrors)
            throw new InvalidOperationException("BenchmarkDotNet did not run: " + string.Join("; ", summary.ValidationErrors.Select(e => e.Message)) + $" (log: {summary.LogFilePath})");
        var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'').StartsWith(prefix, StringComparison.Ordinal));
        if (report.ResultStatistics == null) throw new InvalidOperationException($"BenchmarkDotNet produced no result for {prefix}: {string.Join("; ", summary.ValidationErrors.Select(e => e.Message))}");
        return (report.ResultStatistics.Mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase));
    }
}
