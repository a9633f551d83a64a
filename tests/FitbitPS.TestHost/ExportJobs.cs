using FitbitPS.Engine;
using System.Globalization;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Export;

namespace FitbitPS.TestHost;

/// <summary>
/// Export jobs (owned by the export work): one real process exporting into a folder, so tests can
/// kill it with SIGKILL at any instant or run several against one folder.
/// <code>
/// export --path DIR --today yyyy-MM-dd [--from yyyy-MM-dd] [--format Csv|Json]
///        [--source synthetic|emulator] [--seed N] [--chunk-delay-ms N]
///        [--base-url URL] [--data-type Weight,Activity,…|All]   (emulator: access token in FITBITPS_TEST_ACCESS_TOKEN)
///        [--pause-before-replace N] [--lock-timeout-ms N] [--log FILE]
/// </code>
/// stdout: "STEP" per progress report and rename, "PAUSED file" (when pausing right before a rename; the process then waits to be killed),
/// "RESULT kind added updated removed total changed" per kind. Exit 0 ok, 3 ExportException
/// (message on stderr), 1 anything else.
/// </summary>
internal static class ExportJobs
{
    public static async Task<int> RunAsync(string[] args)
    {
        var opts = Options.Parse(args);
        if (opts == null) { Console.Error.WriteLine("usage: export --path DIR --today yyyy-MM-dd [...]"); return 64; }
        string? log = opts.Get("log");
        int pid = Environment.ProcessId;

        // One line per progress report and per rename: tests kill the process after a random number of them.
        void Step() { Console.Out.WriteLine("STEP"); Console.Out.Flush(); }

        void Log(string what)
        {
            // O_APPEND writes of one short line: lines of concurrent processes never mix.
            if (log != null) File.AppendAllText(log, $"{pid} {what}\n");
        }

        var today = Day(opts.Get("today")!);
        FitbitConnection? connection = null;
        ExportSpec? spec = null;
        ExportRequest? request = null;
        if (opts.Get("source") == "emulator")
        {
            // The connection every front end uses, over HTTP to the emulator the test runs; "today" is the test's frozen day.
            var token = Environment.GetEnvironmentVariable("FITBITPS_TEST_ACCESS_TOKEN") ?? throw new InvalidOperationException("FITBITPS_TEST_ACCESS_TOKEN is not set");
            connection = new FitbitConnection(new StaticToken(token), GoogleEndpoints.ForEmulator(new Uri(opts.Get("base-url")!)).HealthApiBase,
                configure: c => c.Clock = () => new DateTimeOffset(today.AddHours(12)));
            spec = new ExportSpec
            {
                Path = opts.Get("path")!,
                DataTypes = (opts.Get("data-type") ?? "All").Split(','),
                Format = Enum.Parse<ExportFormat>(opts.Get("format") ?? "Csv"),
                From = opts.Get("from") is { } f ? Day(f) : null,
            };
        }
        else
        {
            request = new ExportRequest
            {
                Path = opts.Get("path"),
                Kinds = SyntheticSource.Kinds(int.Parse(opts.Get("seed") ?? "1", CultureInfo.InvariantCulture),
                    int.Parse(opts.Get("chunk-delay-ms") ?? "0", CultureInfo.InvariantCulture)),
                Format = Enum.Parse<ExportFormat>(opts.Get("format") ?? "Csv"),
                From = opts.Get("from") is { } from ? Day(from) : null,
                Today = today,
                AccountStart = _ => Task.FromResult<DateTime?>(today.AddDays(-120)),
            };
        }
        // Pause right before the n-th rename (data and state files count), so a test can kill us there.
        int pauseAt = opts.Has("pause-before-replace") ? int.Parse(opts.Get("pause-before-replace") ?? "1", CultureInfo.InvariantCulture) : 0;
        int replaces = 0;
        // Kinds run concurrently: once one kind pauses, every other kind stops at its next callback,
        // so the paused process changes nothing more (what a test that kills it there relies on).
        var paused = new ManualResetEventSlim(false);
        void HoldIfPaused() { if (paused.IsSet) Thread.Sleep(Timeout.Infinite); }
        var options = new ExportOptions
        {
            LockTimeout = TimeSpan.FromMilliseconds(int.Parse(opts.Get("lock-timeout-ms") ?? "60000", CultureInfo.InvariantCulture)),
            Progress = p => { HoldIfPaused(); Log($"progress {p.Kind} {p.Rows}"); Step(); },
            BeforeReplace = file =>
            {
                HoldIfPaused();
                Log("replace " + Path.GetFileName(file));
                Step();
                if (Interlocked.Increment(ref replaces) != pauseAt) return;
                paused.Set();
                Console.Out.WriteLine("PAUSED " + Path.GetFileName(file));
                Console.Out.Flush();
                Thread.Sleep(Timeout.Infinite);
            },
        };
        try
        {
            if (connection != null) connection.ExportTuning = options;
            var results = connection != null ? await connection.ExportAsync(spec!, null, default) : await Exporter.RunAsync(request!, options);
            foreach (var r in results)
                Console.Out.WriteLine($"RESULT {r.Kind} {r.RowsAdded} {r.RowsUpdated} {r.RowsRemoved} {r.RowsTotal} {r.Changed}");
            Log("done");
            return 0;
        }
        catch (ExportException e)
        {
            Log("error " + e.Reason);
            Console.Error.WriteLine($"ERROR {e.Reason}: {e.Message}");
            return 3;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private sealed class StaticToken : IAccessTokenSource
    {
        private readonly string _token;
        public StaticToken(string token) { _token = token; }
        public Task<string> GetAccessTokenAsync(string? rejected, CancellationToken cancellationToken) => Task.FromResult(_token);
    }

    private static DateTime Day(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class Options
    {
        private readonly Dictionary<string, string?> _values = new();
        public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;
        public bool Has(string name) => _values.ContainsKey(name);

        public static Options? Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) return null;
                string name = args[i][2..];
                string? value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
                o._values[name] = value;
            }
            return o.Has("path") && o.Has("today") ? o : null;
        }
    }
}

/// <summary>A deterministic day record (steps) for process-level tests of the file layer.</summary>
public sealed class SyntheticDay
{
    public DateTime Date { get; set; }
    public long Steps { get; set; }
    public double DistanceKm { get; set; }
    public string? Note { get; set; }
}

/// <summary>A deterministic 10-minute sample record: thousands of rows, fetched in chunks.</summary>
public sealed class SyntheticSample
{
    public DateTimeOffset Time { get; set; }
    public int BeatsPerMinute { get; set; }
}

/// <summary>Records that are a pure function of (seed, day): two processes see the same data.</summary>
internal static class SyntheticSource
{
    public static IReadOnlyList<ExportKind> Kinds(int seed, int chunkDelayMs)
    {
        async Task Delay(CancellationToken ct) { if (chunkDelayMs > 0) await Task.Delay(chunkDelayMs, ct); }

        var days = new ExportKind<SyntheticDay>("Days", "days", async (from, to, ct) =>
        {
            await Delay(ct);
            var rows = new List<SyntheticDay>();
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                long steps = 2000 + (d.DayOfYear * 7919L + seed * 104729L) % 12000;
                rows.Add(new SyntheticDay { Date = d, Steps = steps, DistanceKm = steps * 0.00071, Note = steps % 5 == 0 ? "hike, \"steep\"" : null });
            }
            return rows;
        }, nameof(SyntheticDay.Date), nameof(SyntheticDay.Date));

        var samples = new ExportKind<SyntheticSample>("Samples", "samples", async (from, to, ct) =>
        {
            await Delay(ct);
            var rows = new List<SyntheticSample>();
            for (var d = from; d <= to; d = d.AddDays(1))
                for (int m = 0; m < 1440; m += 10)
                {
                    var t = new DateTimeOffset(d.AddMinutes(m), TimeSpan.FromHours(-5));
                    rows.Add(new SyntheticSample { Time = t, BeatsPerMinute = 50 + (int)((d.DayOfYear * 31L + m * 7L + seed) % 90) });
                }
            return rows;
        }, nameof(SyntheticSample.Time), nameof(SyntheticSample.Time)) { ChunkDays = 7, Intraday = true };

        return new ExportKind[] { days, samples };
    }
}
