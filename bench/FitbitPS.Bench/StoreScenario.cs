using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using FitbitPS.Engine;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Store;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 7: the SQLite store Export-FitbitData writes (one per export folder). What the store adds to an export
/// (the same reads without it, side by side), how fast it takes rows, how big it gets per year (typed rows and kept
/// raw answers), how fast its views answer, and how much faster an offline read from it is than the live reader.
/// </summary>
public static class StoreScenario
{
    private static readonly string[] AllDaily = { "All" };
    private static readonly string[] IntradayKinds = { "ActivityIntraday", "HeartRateIntraday" };

    /// <summary>One kind's live read, drained (a failed chunk throws, as it fails the export's kind).</summary>
    private sealed record LiveRead(string Kind, Func<FitbitReader, CivilRange, long> Drain);

    private static long Drain<T>(IEnumerable<ReadItem<T>> items)
    {
        long n = 0;
        foreach (var item in items)
        {
            if (item.IsError) throw new InvalidOperationException("A live read failed: " + item.Error.Message, item.Error);
            n++;
        }
        return n;
    }

    /// <summary>The readers behind every daily kind of Export-FitbitData -DataType All (ExportKinds: one read of the whole range each).</summary>
    private static readonly LiveRead[] DailyReads =
    {
        new("Weight", (r, range) => Drain(r.ReadBodyWeight(range, default))),
        new("Activity", (r, range) => Drain(r.ReadActivityDays(range, default))),
        new("Sleep", (r, range) => Drain(r.ReadSleep(range, default))),
        new("SleepStage", (r, range) => Drain(r.ReadSleepStages(range, default))),
        new("RestingHeartRate", (r, range) => Drain(r.ReadRestingHeartRate(range, default))),
        new("HeartRateVariability", (r, range) => Drain(r.ReadHeartRateVariability(range, default))),
        new("OxygenSaturation", (r, range) => Drain(r.ReadOxygenSaturation(range, default))),
        new("BreathingRate", (r, range) => Drain(r.ReadBreathingRate(range, default))),
        new("SkinTemperature", (r, range) => Drain(r.ReadSkinTemperature(range, default))),
        new("CardioFitness", (r, range) => Drain(r.ReadCardioFitness(range, default))),
        new("Exercise", (r, range) => Drain(r.ReadExercise(range, default))),
    };

    private static readonly LiveRead[] IntradayReads =
    {
        new("ActivityIntraday", (r, range) => Drain(r.ReadActivityIntervals(range, IntradayInterval.Minute, default))),
        new("HeartRateIntraday", (r, range) => Drain(r.ReadHeartRateSamples(range, default))),
    };

    /// <summary>One timed run (an export or the live reads) with its request timeline (the client's clock).</summary>
    private sealed record TimedRun(TimeSpan Wall, int Requests, TimeSpan RoundTrip, long Rows,
        IReadOnlyList<(string Path, TimeSpan Start, TimeSpan End)> Timeline, TimeSpan Began, TimeSpan Ended)
    {
        public IReadOnlyList<ExportResult> Results { get; init; } = Array.Empty<ExportResult>();
        /// <summary>Per kind: when its last chunk was in the store and when it was done (its file written), on the same clock.</summary>
        public IReadOnlyDictionary<string, (TimeSpan LastChunk, TimeSpan Done)> Kinds { get; init; } = new Dictionary<string, (TimeSpan, TimeSpan)>();
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Export-FitbitData into an empty folder, on its own emulator (own user, own quota). <paramref name="maxKinds"/>:
    /// the exporter's kinds at once (default 4, ExportOptions.MaxConcurrentKinds).</summary>
    /// <remarks><paramref name="keepRaw"/> false (a diagnostic, not something a user can ask for): the request FitbitConnection.ExportAsync
    /// builds, made here by hand with ExportRequest.KeepRaw off, so no API answer is kept and no read is logged.</remarks>
    private static async Task<TimedRun> ExportOnceAsync(BenchSettings settings, string folder, CivilRange range, string[] dataTypes, int? maxKinds = null, bool keepRaw = true)
    {
        await using var s = await EmulatorSession.StartAsync(settings);
        s.Warm(range);
        if (maxKinds.HasValue) s.Connection.ExportTuning.MaxConcurrentKinds = maxKinds.Value;
        var kinds = new Dictionary<string, (TimeSpan LastChunk, TimeSpan Done)>();
        var events = new EngineEvents
        {
            Waiting = s.Events.Waiting,
            Progress = p =>
            {
                var now = s.RoundTrips.Now;
                lock (kinds)
                {
                    kinds.TryGetValue(p.Kind, out var k);
                    kinds[p.Kind] = p.Completed ? (k.LastChunk, now) : p.Day.HasValue ? (now, k.Done) : k;
                }
            },
        };
        Collect();
        var began = s.RoundTrips.Now;
        var sw = Stopwatch.StartNew();
        IReadOnlyList<ExportResult> results;
        if (keepRaw)
            results = await s.Connection.ExportAsync(new ExportSpec { Path = folder, DataTypes = dataTypes, From = range.From, To = range.To }, events, default);
        else
        {
            using var client = s.Connection.CreateClient(events);
            var reader = new FitbitReader(client);
            var request = new ExportRequest
            {
                Path = folder, Kinds = ExportKinds.Select(reader, dataTypes, includeIntraday: false), From = range.From, To = range.To,
                Today = reader.Resolve(null, null, 1).To, ShareReads = reader.ShareReads, KeepRaw = false, Clock = client.Clock,
            };
            var options = s.Connection.ExportTuning.For(events, () => FitbitPS.Engine.Api.RequestTally.Current?.Count ?? client.RequestCount);
            results = await Exporter.RunAsync(request, options, default);
        }
        var wall = sw.Elapsed;
        var ended = s.RoundTrips.Now;
        var failed = results.FirstOrDefault(r => r.Error != null);
        if (failed != null) throw new InvalidOperationException($"The export's {failed.Kind} failed: {failed.Error!.Message}", failed.Error);
        lock (s.RoundTrips.Timeline)
            return new TimedRun(wall, s.HealthRequests, s.RoundTrips.Mean, results.Sum(r => r.RowsTotal), s.RoundTrips.Timeline.ToList(), began, ended)
            { Results = results, Kinds = kinds };
    }

    /// <summary>The same kinds' live readers drained at once (one reader: same client and throttle; Sleep and SleepStage
    /// share the sleep list, as in the export), on its own emulator.</summary>
    private static async Task<TimedRun> ReadOnceAsync(BenchSettings settings, CivilRange range, LiveRead[] reads)
    {
        await using var s = await EmulatorSession.StartAsync(settings);
        s.Warm(range);
        var reader = s.Connection.OpenReader(s.Events);
        Collect();
        var began = s.RoundTrips.Now;
        var sw = Stopwatch.StartNew();
        long[] rows;
        using (reader.ShareReads())
            rows = await Task.WhenAll(reads.Select(r => Task.Run(() => r.Drain(reader, range))));
        var wall = sw.Elapsed;
        var ended = s.RoundTrips.Now;
        lock (s.RoundTrips.Timeline)
            return new TimedRun(wall, s.HealthRequests, s.RoundTrips.Mean, rows.Sum(), s.RoundTrips.Timeline.ToList(), began, ended);
    }

    private static string DataTypeOf(string path)
    {
        const string marker = "/dataTypes/";
        int at = path.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return path.Substring(path.LastIndexOf('/') + 1);
        var rest = path.Substring(at + marker.Length);
        int end = rest.IndexOf('/');
        return end < 0 ? rest : rest.Substring(0, end);
    }

    /// <summary>The data type whose last answer came last (the chain that decides the wall time): its requests, when it
    /// started, and how long it paused in total between one answer and its next request.</summary>
    private static (string Type, int Requests, double FirstStart, double Paused) Critical(TimedRun run)
    {
        var critical = run.Timeline.GroupBy(r => DataTypeOf(r.Path)).MaxBy(g => g.Max(r => r.End))!;
        var ordered = critical.OrderBy(r => r.Start).ToList();
        double paused = 0;
        var lastEnd = ordered[0].End;
        foreach (var r in ordered.Skip(1))
        {
            if (r.Start > lastEnd) paused += (r.Start - lastEnd).TotalSeconds;
            if (r.End > lastEnd) lastEnd = r.End;
        }
        return (critical.Key, ordered.Count, (ordered[0].Start - run.Began).TotalSeconds, paused);
    }

    private static TimedRun Median(IReadOnlyList<TimedRun> runs) => runs.OrderBy(r => r.Wall).ElementAt(runs.Count / 2);

    /// <summary>Export vs the live reads, alternating, <paramref name="times"/> times (the first export's folder is kept
    /// in <paramref name="folder"/>); the row compares the medians.</summary>
    private static async Task<(TimedRun Export, TimedRun Read)> PairAsync(ResultTable table, BenchSettings settings, string scenario, string what,
        string folder, CivilRange range, string[] dataTypes, LiveRead[] reads, int times)
    {
        var exports = new List<TimedRun>();
        var readRuns = new List<TimedRun>();
        for (int i = 0; i < times; i++)
        {
            exports.Add(await ExportOnceAsync(settings, i == 0 ? folder : folder + "-" + i, range, dataTypes));
            readRuns.Add(await ReadOnceAsync(settings, range, reads));
            if (i > 0) Directory.Delete(folder + "-" + i, true);
        }
        var e = Median(exports);
        var r = Median(readRuns);
        table.Ratio(scenario, $"{what}: export into an empty folder (store + files) vs the same live reads at once, no store (wall time{(times > 1 ? $", median of {times}" : "")})",
            e.Wall.TotalSeconds, r.Wall.TotalSeconds, " s", max: 1.05, format: "0.0");
        static string Runs(IEnumerable<TimedRun> runs) => string.Join(", ", runs.Select(x => x.Wall.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)));
        table.Note($"{scenario}: export {e.Wall.TotalSeconds:0.00} s, {e.Requests} requests (mean round trip {e.RoundTrip.TotalMilliseconds:0} ms), " +
                   $"{e.Rows:N0} rows ({string.Join(", ", e.Results.Select(x => $"{x.Kind} {x.Requests} req/{x.RowsTotal:N0}"))}); " +
                   $"the live reads at once (one reader, same client and throttle, shared sleep list) {r.Wall.TotalSeconds:0.00} s, {r.Requests} requests " +
                   $"(mean round trip {r.RoundTrip.TotalMilliseconds:0} ms), {r.Rows:N0} records. Each run on its own emulator (own user and quota: " +
                   $"{settings.Quota}/min, L = {settings.Latency.TotalMilliseconds:0} ms){(times > 1 ? $"; runs alternated, export {Runs(exports)} s, reads {Runs(readRuns)} s" : "")}.");
        if (e.Rows != r.Rows) table.Note($"{scenario}: the export stored {e.Rows:N0} rows and the reads returned {r.Rows:N0} records: they should be equal.");
        Where(table, scenario, e, r);
        return (e, r);
    }

    /// <summary>Where the export's time goes, from the request timelines and the export's progress.</summary>
    private static void Where(ResultTable table, string scenario, TimedRun e, TimedRun r)
    {
        double Sec(TimeSpan t) => t.TotalSeconds;
        var ec = Critical(e);
        var rc = Critical(r);
        var lastAnswer = e.Timeline.Max(x => x.End);
        var files = e.Kinds.Where(k => k.Value.Done > TimeSpan.Zero && k.Value.LastChunk > TimeSpan.Zero)
            .Select(k => (k.Key, Seconds: Sec(k.Value.Done - k.Value.LastChunk))).OrderByDescending(k => k.Seconds).ToList();
        static bool IsData(string path) => path.Contains("/dataTypes/", StringComparison.Ordinal);
        static int Settings(TimedRun run) => run.Timeline.Count(x => x.Path.EndsWith("/settings", StringComparison.Ordinal));
        table.Note($"{scenario}, where the time goes (request timelines): first request after {Sec(e.Timeline.Min(x => x.Start) - e.Began):0.00} s in the export " +
                   $"(lock, store opened, schema) vs {Sec(r.Timeline.Min(x => x.Start) - r.Began):0.00} s in the reads; first data request at " +
                   $"{Sec(e.Timeline.Where(x => IsData(x.Path)).Min(x => x.Start) - e.Began):0.00} s vs {Sec(r.Timeline.Where(x => IsData(x.Path)).Min(x => x.Start) - r.Began):0.00} s " +
                   $"(settings asked {Settings(e)} time(s) by the export, {Settings(r)} by the reads); " +
                   $"the last answer came at {Sec(lastAnswer - e.Began):0.00} s and the export ended {Sec(e.Ended - lastAnswer):0.00} s later " +
                   $"(reads: {Sec(r.Timeline.Max(x => x.End) - r.Began):0.00} s and {Sec(r.Ended - r.Timeline.Max(x => x.End)):0.00} s). " +
                   $"The chain that ended last: export {ec.Type} ({ec.Requests} requests, first at {ec.FirstStart:0.00} s, paused {ec.Paused:0.00} s in all between an answer and its next request), " +
                   $"reads {rc.Type} ({rc.Requests} requests, first at {rc.FirstStart:0.00} s, paused {rc.Paused:0.00} s). " +
                   $"From a kind's last chunk in the store to its file written (row count, sync state, file from the store): " +
                   string.Join(", ", files.Take(3).Select(f => $"{f.Key} {f.Seconds:0.00} s")) + ".");
    }

    public static async Task RunAsync(BenchSettings settings, ResultTable table, Action<string> say)
    {
        var root = Path.Combine(Path.GetTempPath(), "fitbitps-bench-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var year = RequestsScenario.Years(1);
            var month = RequestsScenario.Month;
            say("7: warm-up (untimed: a week's export and reads on a throwaway emulator)");
            await WarmUpAsync(settings, Path.Combine(root, "warmup"), year);
            say("7: one year of every daily kind, export vs reads");

            // --- 1. Every daily kind, one year (and five): the export vs the same reads without the store.
            var y1 = Path.Combine(root, "1y");
            await PairAsync(table, settings, "7 store 1y", "every daily kind (All: 11 kinds), 1 year", y1, year, AllDaily, DailyReads, times: 3);
            // What the exporter's kind scheduling costs (4 kinds at a time, in -DataType order): the same export with every kind at once.
            var wide = await ExportOnceAsync(settings, Path.Combine(root, "1y-wide"), year, AllDaily, maxKinds: DailyReads.Length);
            Directory.Delete(Path.Combine(root, "1y-wide"), true);
            table.Note($"7 store 1y: the same export with all {DailyReads.Length} kinds at once (ExportOptions.MaxConcurrentKinds = {DailyReads.Length} instead of 4) took " +
                       $"{wide.Wall.TotalSeconds:0.00} s ({wide.Requests} requests); its chain that ended last: {Critical(wide).Type}, first request at {Critical(wide).FirstStart:0.00} s.");

            var noRaw = await ExportOnceAsync(settings, Path.Combine(root, "1y-noraw"), year, AllDaily, keepRaw: false);
            Directory.Delete(Path.Combine(root, "1y-noraw"), true);
            table.Note($"7 store 1y: the same export without keeping the API answers (ExportRequest.KeepRaw off, a diagnostic made by hand; " +
                       $"Export-FitbitData always keeps them) took {noRaw.Wall.TotalSeconds:0.00} s ({noRaw.Requests} requests).");

            string? y5 = null;
            if (!settings.Quick)
            {
                say("7: five years of every daily kind, export vs reads");
                y5 = Path.Combine(root, "5y");
                await PairAsync(table, settings, "7 store 5y", "every daily kind (All: 11 kinds), 5 years", y5, RequestsScenario.Years(5), AllDaily, DailyReads, times: 1);
            }

            // --- 2. Intraday: a month of minute activity and raw heart rate.
            say($"7: {month.Days} days of minute activity and raw heart rate, export vs reads");
            var m = Path.Combine(root, "month");
            await PairAsync(table, settings, "7 store intraday", $"ActivityIntraday + HeartRateIntraday, {month.Days} days", m, month, IntradayKinds, IntradayReads, times: 1);
            var monthNoRaw = await ExportOnceAsync(settings, Path.Combine(root, "month-noraw"), month, IntradayKinds, keepRaw: false);
            Directory.Delete(Path.Combine(root, "month-noraw"), true);
            table.Note($"7 store intraday: the same export without keeping the API answers (KeepRaw off, by hand as above) took {monthNoRaw.Wall.TotalSeconds:0.00} s " +
                       $"({monthNoRaw.Requests} requests; its heart-rate chain paused {Critical(monthNoRaw).Paused:0.00} s between answers).");

            // --- 3. Insert rate.
            say("7: insert rates, size, the daily view");
            InsertRates(table, root, m);

            // --- 4. Size per year.
            Sizes(table, y1, year.Days, m, month.Days);

            // --- 5. The daily view.
            Query(table, y5 ?? y1, y5 != null ? 5 : 1);

            // --- 6. Offline reads vs live.
            say("7: offline reads vs live");
            await OfflineReadsAsync(settings, table, y1, year);
        }
        finally
        {
            // BENCH_KEEP_STORE=1 keeps the stores (to look at them with sqlite3).
            if (Environment.GetEnvironmentVariable("BENCH_KEEP_STORE") == "1") say($"7: stores kept in {root}");
            else try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    /// <summary>Untimed: JIT of the export, the store, the readers and the emulator on a throwaway emulator.</summary>
    private static async Task WarmUpAsync(BenchSettings settings, string folder, CivilRange year)
    {
        var week = new CivilRange(year.To.AddDays(-6), year.To);
        var days = new CivilRange(year.To.AddDays(-2), year.To);
        await ExportOnceAsync(settings, folder, week, AllDaily);
        await ReadOnceAsync(settings, week, DailyReads);
        await ExportOnceAsync(settings, folder + "-intraday", days, IntradayKinds);
        await ReadOnceAsync(settings, days, IntradayReads);
        using (var offline = FitbitStoreReader.Open(folder, null))
        {
            Drain(offline.Read<SleepSession>(week, default));
            Drain(offline.Read<ActivityDay>(week, default));
        }
        Directory.Delete(folder, true);
        Directory.Delete(folder + "-intraday", true);
    }

    // ------------------------------------------------------------------ 3. insert rate

    private static ExportKind<T> KindOf<T>() where T : class
        => ExportKinds.Kinds(null).OfType<ExportKind<T>>().Single();

    /// <summary>Rows/s of the export's store part (KindTable.Apply: compare with the stored days, then delete + insert in one
    /// transaction per chunk) for generated records in week chunks, into a fresh store.</summary>
    private static (double Seconds, double InsertSeconds, long Rows, int Chunks) ApplyRate<T>(string folder, long count, int perDay, Func<DateTime, int, T> make) where T : class
    {
        var kind = KindOf<T>();
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(folder + "-insert");
        using var store = FitbitStore.OpenForWrite(folder, new ExportKind[] { kind });
        // The same chunks with only SQLite's part (KindTable.Insert, one transaction a week) into another fresh store.
        using var bare = FitbitStore.OpenForWrite(folder + "-insert", new ExportKind[] { kind });
        var first = new DateTime(2026, 1, 5); // a Monday
        long made = 0;
        int chunks = 0;
        var sw = new Stopwatch();
        var insert = new Stopwatch();
        for (var from = first; made < count; from = from.AddDays(7))
        {
            var to = from.AddDays(6);
            var records = new List<T>();
            for (var day = from; day <= to && made < count; day = day.AddDays(1))
                for (int i = 0; i < perDay && made < count; i++, made++) records.Add(make(day, i));
            sw.Start();
            kind.TypedTable.Apply(store, FitbitStore.DefaultProfile, from, to, records, null);
            sw.Stop();
            insert.Start();
            bare.Run(() =>
            {
                using var transaction = bare.Connection.BeginTransaction(deferred: false);
                kind.TypedTable.Insert(bare.Connection, transaction, FitbitStore.DefaultProfile, records);
                transaction.Commit();
            }, "insert");
            insert.Stop();
            chunks++;
        }
        long stored = store.Run(() => kind.Table.Count(store.Connection, null, FitbitStore.DefaultProfile), "count");
        if (stored != count) throw new InvalidOperationException($"{kind.Table.Name}: {stored} rows stored of {count} applied.");
        return (sw.Elapsed.TotalSeconds, insert.Elapsed.TotalSeconds, count, chunks);
    }

    private static void InsertRates(ResultTable table, string root, string monthFolder)
    {
        var zone = TimeSpan.FromHours(-5);
        string source = "Pixel Watch 3"; // replaced by the source the month's real samples carry
        using (var real = FitbitStoreReader.Open(monthFolder, null))
            source = real.Read<HeartRateSample>(RequestsScenario.Month, default).Select(i => i.Record.Source).FirstOrDefault(s => s != null) ?? source;

        const long N = 1_000_000;
        // A sample every 5 s all day (17,280 a day: the watch's 2-5 s while worn, 17,000 a day): ~58 days in 9 week chunks.
        var hr = ApplyRate<HeartRateSample>(Path.Combine(root, "insert-hr"), N, 17_280, (day, i) => new HeartRateSample
        {
            Date = day,
            Time = new DateTimeOffset(day.AddSeconds(5.0 * i), zone),
            BeatsPerMinute = 55 + (int)((i * 7919L) % 90),
            Source = source,
        });
        table.Add(new ResultRow("7 store insert", $"heart-rate samples into a fresh store, KindTable.Apply in week chunks ({hr.Chunks} of 120,960), rows/s",
            Fmt(hr.Rows / hr.Seconds), "—", "—", "—", "—"));
        var act = ApplyRate<ActivityInterval>(Path.Combine(root, "insert-minutes"), N, 1440, (day, i) => new ActivityInterval
        {
            Date = day,
            Start = new DateTimeOffset(day.AddMinutes(i), zone),
            End = new DateTimeOffset(day.AddMinutes(i + 1), zone),
            Steps = i % 3 == 0 ? 0 : (i * 31L) % 140,
            DistanceKm = (i * 31L) % 140 * 0.00072,
            DistanceMiles = (i * 31L) % 140 * 0.00072 / 1.609344,
            Floors = i % 97 == 0 ? 1 : 0,
            CaloriesTotal = 1.1 + (i % 140) * 0.05,
        });
        table.Add(new ResultRow("7 store insert", $"activity minutes into a fresh store, KindTable.Apply in week chunks ({act.Chunks} of 10,080), rows/s",
            Fmt(act.Rows / act.Seconds), "—", "—", "—", "—"));
        table.Note($"7 store insert: {hr.Rows:N0} generated heart-rate samples applied in {hr.Seconds:0.00} s ({hr.Seconds / hr.Rows * 1e6:0.0} µs a row; " +
                   $"the bare INSERTs of the same chunks, one transaction a week, {hr.InsertSeconds / hr.Rows * 1e6:0.0} µs a row), " +
                   $"{act.Rows:N0} generated activity minutes in {act.Seconds:0.00} s ({act.Seconds / act.Rows * 1e6:0.0} µs a row; bare INSERTs {act.InsertSeconds / act.Rows * 1e6:0.0} µs). " +
                   "Timed: KindTable.Apply only (each row's key and CSV text built, sorted, compared with the stored days, then one transaction per week that deletes " +
                   "the days and inserts the rows with one prepared statement), not the generation. WAL, synchronous = NORMAL, as the export opens the store.");

        // The raw side of the same export: every kept heart-rate answer of the month kept again into a fresh store
        // (gzip Fastest + one insert each, RawAnswers.Keep as the HTTP tap calls it); decompressing them for the test is not timed.
        var rawFolder = Path.Combine(root, "insert-raw");
        Directory.CreateDirectory(rawFolder);
        using var target = FitbitStore.OpenForWrite(rawFolder, Array.Empty<ExportKind>());
        var apiBase = new Uri("http://127.0.0.1/");
        var keep = new RawAnswers(target, FitbitStore.DefaultProfile, apiBase);
        var sw = new Stopwatch();
        long bytes = 0;
        int pages = 0;
        foreach (var (path, content) in RawAnswersOf(monthFolder, "heart-rate"))
        {
            var plain = Gunzip(content);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apiBase, path));
            sw.Start();
            keep.Keep(request, null, plain, plain.Length);
            sw.Stop();
            bytes += plain.Length;
            pages++;
        }
        table.Add(new ResultRow("7 store insert", $"raw heart-rate answers kept (gzip + insert, RawAnswers.Keep), MB of JSON/s ({pages} pages of the month)",
            ResultRow.F(bytes / 1e6 / sw.Elapsed.TotalSeconds, "0") + " MB/s", "—", "—", "—", "—"));
        table.Note($"7 store insert: {pages} raw heart-rate answers ({bytes / 1e6:0.0} MB of JSON) kept in {sw.Elapsed.TotalSeconds:0.00} s " +
                   $"({sw.Elapsed.TotalMilliseconds / Math.Max(1, pages):0.0} ms a page, to {keep.BytesStored / 1e6:0.0} MB gzip): the per-page cost the export pays under the store's lock.");
    }

    private static string Fmt(double perSecond) => perSecond >= 1e6 ? ResultRow.F(perSecond / 1e6, "0.00") + "M/s" : ResultRow.F(perSecond / 1e3, "0") + "k/s";

    private static IEnumerable<(string Path, byte[] Content)> RawAnswersOf(string folder, string dataType)
    {
        using var connection = OpenReadOnly(folder);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, content FROM raw_answers WHERE data_type = $t ORDER BY rowid;";
        command.Parameters.AddWithValue("$t", dataType);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return (reader.GetString(0), (byte[])reader.GetValue(1));
    }

    private static byte[] Gunzip(byte[] packed)
    {
        using var gzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static SqliteConnection OpenReadOnly(string folder)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, FitbitStore.FileName), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    // ------------------------------------------------------------------ 4. size

    /// <summary>
    /// Bytes per table, its indexes included. The bundled SQLite (e_sqlite3) is built without the dbstat virtual table, so
    /// each table is copied alone into a fresh database of the same page size (its CREATE TABLE and CREATE INDEX statements,
    /// then INSERT … SELECT, then VACUUM) and its size is (page_count − 1) × page_size: page 1 is the schema, the rest are
    /// the table's and its indexes' b-trees, packed as VACUUM packs them (what dbstat's sum(pgsize) would give after a VACUUM;
    /// the live store's pages also hold the free space the chunks' delete + insert left).
    /// </summary>
    private static Dictionary<string, long> TableBytes(string folder, IEnumerable<string> tables, string scratch)
    {
        var sizes = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        string source = Path.Combine(folder, FitbitStore.FileName);
        long pageSize;
        var schema = new List<(string Table, string Sql)>();
        using (var src = OpenReadOnly(folder))
        {
            pageSize = Convert.ToInt64(Scalar(src, "PRAGMA page_size;"));
            using var command = src.CreateCommand();
            command.CommandText = "SELECT tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC, rowid;";
            using var reader = command.ExecuteReader();
            while (reader.Read()) schema.Add((reader.GetString(0), reader.GetString(1)));
        }
        Directory.CreateDirectory(scratch);
        foreach (var table in tables)
        {
            var file = Path.Combine(scratch, table + ".db");
            File.Delete(file);
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
            {
                copy.Open();
                Execute(copy, $"PRAGMA page_size = {pageSize};");
                foreach (var (t, sql) in schema.Where(x => string.Equals(x.Table, table, StringComparison.OrdinalIgnoreCase))) Execute(copy, sql);
                Execute(copy, $"ATTACH DATABASE '{source.Replace("'", "''")}' AS src;");
                Execute(copy, $"INSERT INTO main.\"{table}\" SELECT * FROM src.\"{table}\";");
                Execute(copy, "DETACH DATABASE src;");
                Execute(copy, "VACUUM;");
                sizes[table] = (Convert.ToInt64(Scalar(copy, "PRAGMA page_count;")) - 1) * pageSize;
            }
            File.Delete(file);
        }
        return sizes;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record Raw(long Answers, long Size, long Gzip);

    private static Dictionary<string, Raw> RawBytes(SqliteConnection connection)
    {
        var raw = new Dictionary<string, Raw>(StringComparer.OrdinalIgnoreCase);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(data_type, '(no data type: ' || path || ')'), count(*), sum(size), sum(length(content)) FROM raw_answers GROUP BY 1;";
        using var reader = command.ExecuteReader();
        while (reader.Read()) raw[reader.GetString(0)] = new Raw(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        return raw;
    }

    /// <summary>Which kind each data type's answers were read for (the readers behind ExportKinds). The sleep list feeds
    /// Sleep and SleepStage (read once, shared); settings and the like belong to no kind.</summary>
    private static string KindOfDataType(string dataType, bool intraday) => intraday
        ? dataType == "heart-rate" ? "HeartRateIntraday" : "ActivityIntraday" // the month's store: minute roll-ups of steps, distance, floors, calories
        : dataType switch
    {
        "weight" or "body-fat" or "height" => "Weight",
        "steps" or "distance" or "floors" or "total-calories" or "active-energy-burned" or "active-zone-minutes" or "activity-level" or "calories-in-heart-rate-zone" => "Activity",
        "sleep" => "Sleep",
        "daily-resting-heart-rate" => "RestingHeartRate",
        "daily-heart-rate-variability" => "HeartRateVariability",
        "daily-oxygen-saturation" => "OxygenSaturation",
        "daily-respiratory-rate" => "BreathingRate",
        "daily-sleep-temperature-derivations" => "SkinTemperature",
        "daily-vo2-max" => "CardioFitness",
        "exercise" => "Exercise",
        "heart-rate" => "HeartRateIntraday",
        _ => "(" + dataType + ")",
    };

    private static void Sizes(ResultTable table, string yearFolder, int yearDays, string monthFolder, int monthDays)
    {
        // Daily kinds from the 1-year store, the intraday kinds from the month's store scaled to a year (× 365/days).
        var typed = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var raw = new Dictionary<string, (double Gzip, double Size, long Answers, List<string> Types)>(StringComparer.OrdinalIgnoreCase);
        var dataTypes = new List<string>();
        long fileBytes = 0, storeBytes = 0, packedBytes = 0;
        double rawTable = 0;
        foreach (var (folder, days, intraday) in new[] { (yearFolder, yearDays, false), (monthFolder, monthDays, true) })
        {
            double scale = 365.0 / days;
            using var connection = OpenReadOnly(folder);
            fileBytes += new FileInfo(Path.Combine(folder, FitbitStore.FileName)).Length + (File.Exists(Path.Combine(folder, FitbitStore.FileName + "-wal")) ? new FileInfo(Path.Combine(folder, FitbitStore.FileName + "-wal")).Length : 0);
            var kinds = KindTables.Known.Where(k => k.Intraday == intraday).ToList();
            var bytes = TableBytes(folder, kinds.Select(k => k.Table.Name).Append("raw_answers"), Path.Combine(Path.GetDirectoryName(folder)!, "sizes"));
            storeBytes += Convert.ToInt64(Scalar(connection, "PRAGMA page_count;")) * Convert.ToInt64(Scalar(connection, "PRAGMA page_size;"));
            rawTable += bytes["raw_answers"] * scale;
            packedBytes += bytes.Values.Sum();
            foreach (var kind in kinds)
                typed[kind.Name] = bytes.TryGetValue(kind.Table.Name, out var b) ? b * scale : 0;
            foreach (var (type, r) in RawBytes(connection))
            {
                if (type.StartsWith('(') && intraday) continue; // settings: counted once, with the year
                var kind = KindOfDataType(type, intraday);
                raw.TryGetValue(kind, out var sum);
                sum.Types ??= new List<string>();
                raw[kind] = (sum.Gzip + r.Gzip * scale, sum.Size + r.Size * scale, sum.Answers + r.Answers, sum.Types.Append(type).ToList());
                dataTypes.Add($"{type} {r.Answers} answers {r.Size / 1e6:0.00} MB JSON → {r.Gzip / 1e6:0.000} MB gzip{(intraday ? $" ({days} days)" : "")}");
            }
        }

        static string Mb(double bytes) => ResultRow.F(bytes / 1e6, bytes >= 10e6 ? "0" : bytes >= 1e6 ? "0.0" : "0.00");
        var lines = new List<string>();
        foreach (var kind in KindTables.Known)
        {
            raw.TryGetValue(kind.Name, out var r);
            typed.TryGetValue(kind.Name, out var t);
            string rawText = kind.Name == "SleepStage" ? "in Sleep's" : $"{Mb(r.Gzip)} MB gz, {Mb(r.Size)} MB JSON";
            table.Add(new ResultRow("7 store size", $"{kind.Table.Name} ({kind.Name}{(kind.Intraday ? $", {monthDays} days ×365/{monthDays}" : "")}): typed vs raw kept, MB/year",
                Mb(t) + " MB", rawText, kind.Name == "SleepStage" || t == 0 ? "—" : ResultRow.F(r.Gzip / t), "—", "—"));
            lines.Add($"{kind.Table.Name} {Mb(t)} / {(kind.Name == "SleepStage" ? "(shares sleep's)" : $"{Mb(r.Gzip)} / {Mb(r.Size)}")}");
        }
        double typedAll = typed.Values.Sum(), gzAll = raw.Values.Sum(r => r.Gzip), sizeAll = raw.Values.Sum(r => r.Size);
        raw.TryGetValue("HeartRateIntraday", out var hr);
        table.Add(new ResultRow("7 store size", "every kind (intraday ×365/" + monthDays + "): typed vs raw kept, MB/year", Mb(typedAll) + " MB",
            $"{Mb(gzAll)} MB gz, {Mb(sizeAll)} MB JSON", ResultRow.F(gzAll / typedAll), "—", "—"));
        table.Note("7 store size per year, MB (typed rows with their indexes / raw answers gzip / raw answers uncompressed): " + string.Join("; ", lines) +
                   $"; other answers (settings) {Mb(raw.Where(k => k.Key.StartsWith('(')).Sum(k => k.Value.Gzip))} MB gz. " +
                   "Typed = each kind table with its indexes copied alone into a fresh database and VACUUMed, (page_count − 1) × page_size " +
                   "(the bundled e_sqlite3 has no dbstat virtual table); raw = sum(size) and sum(length(content)) of raw_answers per data type. " +
                   $"Daily kinds from the 1-year export (All), intraday kinds from the {monthDays}-day export scaled × 365/{monthDays}. " +
                   $"The raw_answers table itself (keys, paths, the gzip blobs, packed the same way) is {Mb(rawTable)} MB/year against {Mb(gzAll)} MB of gzip content. " +
                   $"Unscaled, the two store files hold {storeBytes / 1e6:0.0} MB of pages ({fileBytes / 1e6:0.0} MB on disk with their WAL) where the same tables packed take {packedBytes / 1e6:0.0} MB: " +
                   "the rest is the small tables (sync state, read log, versions) and free space in pages left by inserting in chunks.");
        table.Note($"7 store size: raw heart rate kept by default costs {Mb(hr.Gzip)} MB/year gzip ({Mb(hr.Size)} MB of JSON) next to {Mb(typed["HeartRateIntraday"])} MB/year of typed samples: " +
                   $"keeping it makes a year of heart rate {(hr.Gzip + typed["HeartRateIntraday"]) / typed["HeartRateIntraday"]:0.00} × the typed table alone. Per data type: " + string.Join("; ", dataTypes) + ".");
    }

    // ------------------------------------------------------------------ 5. the daily view

    private static void Query(ResultTable table, string folder, int years)
    {
        using var connection = OpenReadOnly(folder);
        (long Rows, double Ms) Once()
        {
            var sw = Stopwatch.StartNew();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM daily WHERE profile = 'default';";
            using var reader = command.ExecuteReader();
            long rows = 0;
            var values = new object[reader.FieldCount];
            while (reader.Read()) { reader.GetValues(values); rows++; }
            return (rows, sw.Elapsed.TotalMilliseconds);
        }
        var first = Once(); // untimed: the first run reads the pages from disk and prepares the statement
        var runs = Enumerable.Range(0, 20).Select(_ => Once()).ToList();
        var ms = runs.Select(r => r.Ms).OrderBy(x => x).ToList();
        double median = (ms[9] + ms[10]) / 2;
        table.Ratio($"7 store query", $"SELECT * FROM daily WHERE profile = 'default', {years} year(s), {runs[0].Rows:N0} rows: median of 20 runs",
            median, 100, " ms", max: 1.0, format: "0.0");
        table.Note($"7 store query: daily view over the {years}-year store, {runs[0].Rows:N0} rows, every column read; runs {string.Join(", ", ms.Select(x => x.ToString("0.0", CultureInfo.InvariantCulture)))} ms " +
                   $"(a first, untimed run {first.Ms:0.0} ms). Target 100 ms: the limit under which an answer feels instant (a dashboard panel, sqlite3 at a prompt); " +
                   "the view is one row per day with correlated lookups into sleep, resting heart rate and weight, so it grows with days, not samples.");
    }

    // ------------------------------------------------------------------ 6. offline reads

    private static async Task OfflineReadsAsync(BenchSettings settings, ResultTable table, string yearFolder, CivilRange year)
    {
        await using var s = await EmulatorSession.StartAsync(settings);
        s.Warm(year);
        var reader = s.Connection.OpenReader(s.Events);
        using var offline = FitbitStoreReader.Open(yearFolder, null);
        foreach (var (what, live, stored) in new (string, Func<List<string>>, Func<List<string>>)[]
                 {
                     ("a year of sleep (Get-FitbitSleep)", () => Rows(reader.ReadSleep(year, default)), () => Rows(offline.Read<SleepSession>(year, default))),
                     ("a year of daily activity (Get-FitbitActivity)", () => Rows(reader.ReadActivityDays(year, default)), () => Rows(offline.Read<ActivityDay>(year, default))),
                 })
        {
            Collect();
            int before = s.HealthRequests;
            var sw = Stopwatch.StartNew();
            var liveRows = await Task.Run(live);
            var liveTime = sw.Elapsed;
            int requests = s.HealthRequests - before;
            // The store: median of 5 (the first read of each was paid in the warm-up).
            var times = new List<double>();
            List<string> storeRows = new();
            for (int i = 0; i < 5; i++)
            {
                sw.Restart();
                storeRows = stored();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            double storeMs = times[2];
            double faster = liveTime.TotalMilliseconds / storeMs;
            table.Add(new ResultRow("7 store offline read", $"{what}: store (FitbitStoreReader) vs live reader, × faster ({liveRows.Count:N0} records)",
                ResultRow.F(storeMs, "0.0") + " ms", ResultRow.F(liveTime.TotalMilliseconds, "0") + " ms", ResultRow.F(faster, "0"),
                "≥ 10", faster >= 10 ? "pass" : "FAIL"));
            bool same = storeRows.SequenceEqual(liveRows);
            bool sameSet = same || storeRows.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(liveRows.OrderBy(x => x, StringComparer.Ordinal), StringComparer.Ordinal);
            table.Note($"7 store offline read, {what}: live {liveTime.TotalSeconds:0.00} s for {requests} requests (L = {settings.Latency.TotalMilliseconds:0} ms); " +
                       $"store {storeMs:0.0} ms (median of 5: {string.Join(", ", times.Select(x => x.ToString("0.0", CultureInfo.InvariantCulture)))}); " +
                       $"{storeRows.Count:N0} records from the store, {liveRows.Count:N0} live, " +
                       (same ? "the same records in the same order (compared as their CSV rows)." : sameSet ? "the same records (CSV rows) in another order." :
                           $"NOT the same records: {storeRows.Except(liveRows).Count()} CSV rows only in the store, {liveRows.Except(storeRows).Count()} only live."));
        }
    }

    /// <summary>A read's records as their CSV rows (every exported column), in the read's order.</summary>
    private static List<string> Rows<T>(IEnumerable<ReadItem<T>> items) where T : class
    {
        var columns = RecordColumns<T>.Instance;
        var buffer = new RowBuffer();
        var rows = new List<string>();
        foreach (var item in items)
        {
            if (item.IsError) throw new InvalidOperationException("A read failed: " + item.Error.Message, item.Error);
            buffer.Clear();
            columns.WriteCsvRow(item.Record, buffer);
            rows.Add(buffer.ToString());
        }
        return rows;
    }
}
