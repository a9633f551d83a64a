using System.Diagnostics;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 3: raw heart-rate pages into typed records. Throughput: BenchmarkDotNet on one real
/// emulator page (5,000 points, the most Google puts on a heart-rate page), single thread = per core. Memory: a week and a year of pages go
/// through the reader's own path for raw heart rate — each page appended to a <see cref="PageSpool"/>
/// as it arrives, then replayed newest page last, parsed and reversed — while a sampler records the
/// peak managed heap. The year is the captured page replayed (the parser keeps nothing between pages,
/// so shifting its times changes no work).
/// </summary>
public static class ParseScenario
{
    public static async Task CaptureAsync(BenchSettings settings)
    {
        await using var s = await EmulatorSession.StartAsync(settings, latency: TimeSpan.Zero);
        var range = new CivilRange(BenchSettings.Today.AddDays(-3), BenchSettings.Today.AddDays(-1));
        // Heart rate is asked on physical time (a civil filter on it answers nothing, as live).
        var zone = TimeZoneInfo.FindSystemTimeZoneById(s.Emulator.Person.Options.TimeZone);
        DateTimeOffset Midnight(DateTime d) => new(d, zone.GetUtcOffset(d));
        var page = await s.Client.ListPageAsync(DataTypeCatalog.HeartRate,
            DataTypeCatalog.HeartRate.PhysicalFilter(Midnight(range.From), Midnight(range.EndExclusive)), 10000, null, false, default);
        HotPathInputs.HeartRatePage = page.Body;
        HotPathInputs.HeartRatePagePoints = FitbitReader.ParseHeartRatePage(page.Body).Count;
        if (HotPathInputs.HeartRatePagePoints != ParseBenchmarks.Points)
            throw new InvalidOperationException($"The captured page holds {HotPathInputs.HeartRatePagePoints} points, not {ParseBenchmarks.Points}.");
    }

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await CaptureAsync(settings);
        var page = HotPathInputs.HeartRatePage;
        table.Note($"3 parse: the captured page is {page.Length / 1e6:0.00} MB of JSON for {HotPathInputs.HeartRatePagePoints} points.");

        if (settings.RunBenchmarkDotNet)
        {
            var summary = ShortBenchmark.Run<ParseBenchmarks>(settings.Quick);
            var (ns, bytes) = ShortBenchmark.Result(summary, "FitbitPS");
            var (baseNs, baseBytes) = ShortBenchmark.Result(summary, "Newtonsoft");
            double perSecond = 1e9 / ns, basePerSecond = 1e9 / baseNs;
            table.Ratio("3 parse", "points/s per core (BenchmarkDotNet)", perSecond / 1e6, 1.0, "M", min: 1.0, format: "0.00", boundLabel: "target 1.00M");
            table.Ratio("3 parse", "vs Newtonsoft JObject by hand (× faster)", perSecond / 1e6, basePerSecond / 1e6, "M", format: "0.00");
            table.Note($"3 parse: FitbitPS {ns:0.0} ns and {bytes} B allocated per point; Newtonsoft JObject by hand {baseNs:0.0} ns and {baseBytes} B per point (in-process ShortRun job, 1 thread).");
        }

        // Memory: a week vs a year of pages through the spool + parser.
        int pointsPerDay = 17000; // ≈ one sample every 2–5 s while worn (the emulator's cadence, after the live evidence)
        int perPage = ParseBenchmarks.Points;
        int weekPages = (7 * pointsPerDay + perPage - 1) / perPage, longPages = (365 * pointsPerDay + perPage - 1) / perPage;
        var week = Measure(page, weekPages);
        var year = Measure(page, longPages);
        const string longLabel = "year";
        // The peak depends on when the GC happens to run a full collection: worst of three fresh processes each.
        (double PeakWorkingSetMb, double AllocatedPerPoint) Worst(int pages) => Enumerable.Range(0, 3).Select(_ => InChildProcess(page, pages)).MaxBy(r => r.PeakWorkingSetMb);
        var weekChild = Worst(weekPages);
        var yearChild = Worst(longPages);
        var twoYearChild = InChildProcess(page, 2 * longPages);
        table.Ratio("3 parse", "peak working set (own process, worst of 3), year vs week", yearChild.PeakWorkingSetMb, weekChild.PeakWorkingSetMb, " MB", max: 1.25, format: "0");
        // Below the row's 0.1 MB resolution a ratio is noise (kilobytes of runtime bookkeeping): both are floored at 0.1 MB.
        table.Ratio("3 parse", $"peak live heap, year ({longPages} pages) vs week ({weekPages}), floored at 0.1 MB", Math.Max(0.1, year.PeakLiveMb), Math.Max(0.1, week.PeakLiveMb), " MB", max: 1.25, format: "0.0");
        table.Ratio("3 parse", $"peak GC heap incl. garbage, year vs week", year.PeakHeapMb, week.PeakHeapMb, " MB", format: "0.0");
        table.Ratio("3 parse", $"reader path (spool+parse+reverse) points/s, year", year.PointsPerSecond / 1e6, week.PointsPerSecond / 1e6, "M", format: "0.00");
        table.Note($"3 memory: week {week.Points} points, live +{week.PeakLiveMb:0.0} MB, GC heap +{week.PeakHeapMb:0.0} MB, {week.AllocatedPerPoint:0} B allocated/point, {week.Seconds:0.00} s; " +
                   $"{longLabel} {year.Points} points, live +{year.PeakLiveMb:0.0} MB, GC heap +{year.PeakHeapMb:0.0} MB, {year.AllocatedPerPoint:0} B allocated/point, {year.Seconds:0.00} s. " +
                   $"Live = highest heap after a forced full GC every 5 pages (what the reader keeps); GC heap = highest heap size sampled every 2 ms in the timed pass, garbage not yet collected included; both minus the heap before the run. A page of JSON is {page.Length / 1e6:0.0} MB; the spool keeps the range's pages on disk, not in memory. " +
                   $"Peak working set (a fresh process per run, runtime included; worst of 3 runs for week and year, 1 for two years): week {weekChild.PeakWorkingSetMb:0} MB, year {yearChild.PeakWorkingSetMb:0} MB, two years {twoYearChild.PeakWorkingSetMb:0} MB" +
                   (twoYearChild.PeakWorkingSetMb <= yearChild.PeakWorkingSetMb * 1.1
                       ?  " (levels off once the GC's generation-0 budget is reached: records not yet collected, not data kept; page buffers are pooled)."
                       : " (still growing past a year)."));
    }

    /// <summary>Child process mode (--memory-child PAGEFILE PAGES): one replay in a fresh process, so its
    /// peak working set belongs to that range alone. Prints "peakWorkingSet allocated seconds points".</summary>
    public static int MemoryChild(string pageFile, int pages)
    {
        var page = File.ReadAllBytes(pageFile);
        FitbitReader.ParseHeartRatePage(page); // JIT before measuring
        long before = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        long points = Replay(page, pages, null);
        var seconds = sw.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(true) - before;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Join(" ", self.PeakWorkingSet64, allocated, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), points));
        return 0;
    }

    private static (double PeakWorkingSetMb, double AllocatedPerPoint) InChildProcess(byte[] page, int pages)
    {
        var file = Path.Combine(Path.GetTempPath(), "fitbitps-bench-page-" + Environment.ProcessId + ".json");
        File.WriteAllBytes(file, page);
        try
        {
            var self = Environment.ProcessPath!;
            var dll = typeof(ParseScenario).Assembly.Location;
            var psi = Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                ? new ProcessStartInfo(self) { ArgumentList = { dll } }
                : new ProcessStartInfo(self);
            psi.ArgumentList.Add("--memory-child"); psi.ArgumentList.Add(file); psi.ArgumentList.Add(pages.ToString());
            psi.RedirectStandardOutput = true;
            using var p = Process.Start(psi)!;
            var line = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            var parts = line.Split(' ');
            return (long.Parse(parts[0]) / 1e6, long.Parse(parts[1]) / double.Parse(parts[3]));
        }
        finally { File.Delete(file); }
    }

    private sealed record MemoryRun(long Points, double PeakHeapMb, double PeakLiveMb, double AllocatedPerPoint, double Seconds)
    {
        public double PointsPerSecond => Points / Seconds;
    }

    /// <summary>Two passes over the same pages: a timed one with a sampler of the GC heap (garbage
    /// included), and one that forces a full collection every few pages to see what stays alive.</summary>
    private static MemoryRun Measure(byte[] page, int pages)
    {
        Collect();
        long baseline = GC.GetTotalMemory(true);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                Thread.Sleep(2);
            }
        }) { IsBackground = true };
        sampler.Start();
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        long points = Replay(page, pages, null);
        var seconds = sw.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        stop.Cancel();
        sampler.Join();

        Collect();
        long liveBaseline = GC.GetTotalMemory(true), livePeak = liveBaseline;
        int seen = 0;
        Replay(page, pages, () =>
        {
            if (++seen % 5 != 0) return;
            livePeak = Math.Max(livePeak, GC.GetTotalMemory(true));
        });
        return new MemoryRun(points, (Interlocked.Read(ref peak) - baseline) / 1e6, (livePeak - liveBaseline) / 1e6, allocated / (double)points, seconds);
    }

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>As FitbitReader.ReadHeartRateSamples does: every page body is spooled as it arrives (read into
    /// a pooled buffer, like HealthClient's HTTP body), then replayed oldest first through one pooled buffer:
    /// last page first, each page reversed.</summary>
    public static long Replay(byte[] page, int pages, Action? checkpoint)
    {
        long points = 0;
        using var spool = new PageSpool();
        for (int i = 0; i < pages; i++)
        {
            // As HealthClient does: the body is read into a pooled buffer, checked, copied into the spool, returned.
            var body = PageSpool.BufferPool.Rent(page.Length);
            Buffer.BlockCopy(page, 0, body, 0, page.Length);
            spool.Add(body, page.Length);
            PageSpool.BufferPool.Return(body);
            checkpoint?.Invoke();
        }
        foreach (var body in spool.NewestLast())
        {
            var records = FitbitReader.ParseHeartRatePage(body);
            for (int i = records.Count - 1; i >= 0; i--) if (records[i].BeatsPerMinute > 0) points++;
            checkpoint?.Invoke();
        }
        return points;
    }
}
