using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using FitbitPS.Engine.Takeout;
using HealthApiEmulator.Data;
using HealthApiEmulator.Hosting;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 8: Import-FitbitTakeout's engine read (FitbitTakeout.Read) of a generated Google Takeout zip (2026 layout,
/// the emulator's person): records/s and MB/s (uncompressed bytes of the archive's entries), and the peak working set
/// of a 10× archive vs a 1× archive, each read in a fresh process (target ≤ 1.25: memory does not grow with the archive).
/// </summary>
public static class TakeoutScenario
{
    private static readonly DateOnly Last = new(2026, 10, 31);

    public static Task RunAsync(BenchSettings settings, ResultTable table, Action<string> say)
    {
        int days = settings.Quick ? 60 : 180;
        var folder = Path.Combine(Path.GetTempPath(), "fitbitps-bench-takeout-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            string one = Path.Combine(folder, "takeout-1x.zip"), ten = Path.Combine(folder, "takeout-10x.zip");
            var person = new SyntheticPerson(new PersonOptions { MembershipStart = Last.AddDays(-10 * days - 1) }, 1,
                new EmulatorClock(new DateTimeOffset(Last.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), running: false));
            var sw = Stopwatch.StartNew();
            TakeoutWriter.Write(person, one, Last.AddDays(1 - days), Last, TakeoutLayout.GoogleHealth);
            TakeoutWriter.Write(person, ten, Last.AddDays(1 - 10 * days), Last, TakeoutLayout.GoogleHealth);
            say($"  archives: {days} days {new FileInfo(one).Length / 1e6:0.0} MB, {10 * days} days {new FileInfo(ten).Length / 1e6:0.0} MB (zip), written in {sw.Elapsed.TotalSeconds:0} s");

            var small = InChildProcess(one);
            var large = InChildProcess(ten);
            say($"  1×: {small.Records} records, {small.Bytes / 1e6:0.0} MB in {small.Seconds:0.00} s, peak {small.PeakMb:0} MB; 10×: {large.Records} records, {large.Bytes / 1e6:0.0} MB in {large.Seconds:0.00} s, peak {large.PeakMb:0} MB");
            table.Add(new ResultRow("8 Takeout", $"read rate, {10 * days}-day archive ({new FileInfo(ten).Length / 1e6:0} MB zip, {large.Bytes / 1e6:0} MB inside)",
                $"{ResultRow.F(large.Records / large.Seconds, "0")} records/s, {ResultRow.F(large.Bytes / 1e6 / large.Seconds, "0.0")} MB/s", "—", "—", "—", "—"));
            table.Ratio("8 Takeout", $"peak working set, {10 * days}-day vs {days}-day archive (fresh process each)", large.PeakMb, small.PeakMb, " MB", max: 1.25, format: "0");
            var smallFixed = InChildProcess(one, gen0Budget: true);
            var largeFixed = InChildProcess(ten, gen0Budget: true);
            say($"  with a 16 MB gen0 budget: 1× peak {smallFixed.PeakMb:0} MB, 10× peak {largeFixed.PeakMb:0} MB");
            table.Ratio("8 Takeout", "  the same with the GC's gen0 budget fixed at 16 MB (diagnostic: kept memory vs uncollected garbage)", largeFixed.PeakMb, smallFixed.PeakMb, " MB", format: "0");
            table.Note($"Scenario 8 reads a generated 2026-layout Takeout of the emulator's person (minute steps/distance/floors/calories/AZM, sleep with stages, daily RHR/HRV/SpO2, weight); " +
                       "its size per year is far below a real 1.4 GB archive, which is mostly heart-rate samples FitbitPS does not import.");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return Task.CompletedTask;
    }

    /// <summary>In a child process: read every record of the archive; print peak working set, records, uncompressed bytes, seconds.</summary>
    public static int Child(string zip)
    {
        long bytes = 0;
        var options = new TakeoutReadOptions { Today = Last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), Progress = p => bytes = p.TotalBytes };
        var sw = Stopwatch.StartNew();
        long records = 0;
        foreach (var _ in FitbitTakeout.Read(new[] { zip }, null, options, default)) records++;
        var seconds = sw.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Join(" ", self.PeakWorkingSet64, records, bytes, seconds.ToString(CultureInfo.InvariantCulture)));
        return 0;
    }

    private sealed record ChildRun(double PeakMb, long Records, long Bytes, double Seconds);

    /// <summary><paramref name="gen0Budget"/>: the child's gen0 budget fixed at 16 MB (DOTNET_GCgen0size), a diagnostic that tells
    /// memory the read keeps from garbage the GC has not collected yet (by default the gen0 budget grows with allocation).</summary>
    private static ChildRun InChildProcess(string zip, bool gen0Budget = false)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(TakeoutScenario).Assembly.Location;
        var psi = Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo(self) { ArgumentList = { dll } }
            : new ProcessStartInfo(self);
        psi.ArgumentList.Add("--takeout-child"); psi.ArgumentList.Add(zip);
        psi.RedirectStandardOutput = true;
        if (gen0Budget) psi.Environment["DOTNET_GCgen0size"] = "0x1000000";
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        var parts = line.Split(' ');
        if (p.ExitCode != 0 || parts.Length != 4) throw new InvalidOperationException($"The Takeout child failed ({p.ExitCode}): {line}");
        return new ChildRun(long.Parse(parts[0], CultureInfo.InvariantCulture) / 1e6, long.Parse(parts[1], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
