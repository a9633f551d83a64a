using FitbitPS.Engine;
using System.Diagnostics;
using System.Net.Http.Headers;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Export;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 2: one year of weight + daily activity + sleep + resting heart rate exported into an empty
/// folder (Export-FitbitData's engine) vs the lower bound and vs a naive sequential client.
/// Scenario 4: the same export run again at once (nothing new).
/// </summary>
public static class BackfillScenario
{
    private static readonly string[] Kinds = { "Weight", "Activity", "Sleep", "RestingHeartRate" };

    private static string? DataTypeOfPath(string path)
    {
        const string marker = "/dataTypes/";
        int at = path.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = path.Substring(at + marker.Length);
        int end = rest.IndexOf('/');
        return end < 0 ? rest : rest.Substring(0, end);
    }

    /// <summary>The export kind a request of the bench's four kinds belongs to (by the data type it asks for).</summary>
    private static string? KindOfRequest(string path)
    {
        var type = DataTypeOfPath(path);
        if (type == null) return null;
        if (type is "weight" or "body-fat" or "height") return "Weight";
        if (type == "sleep") return "Sleep";
        if (type == "daily-resting-heart-rate") return "RestingHeartRate";
        if (type == "total-calories" || RequestsScenario.ActivityTypes.Any(t => t.Type == type)) return "Activity";
        return null;
    }

    /// <summary>BENCH_DEBUG=1: when each data type's requests started and ended.</summary>
    private static void DebugTimeline(EmulatorSession s, TimeSpan total)
    {
        if (Environment.GetEnvironmentVariable("BENCH_DEBUG") != "1") return;
        var log = s.RoundTrips.Timeline;
        var t0 = log.Min(r => r.Start);
        foreach (var g in log.GroupBy(r => r.Path.Split('/').Skip(5).FirstOrDefault() ?? r.Path))
            Console.Error.WriteLine($"{g.Key,-28} {g.Count(),3} first {(g.Min(r => r.Start) - t0).TotalSeconds,6:0.00} last end {(g.Max(r => r.End) - t0).TotalSeconds,6:0.00} mean {g.Average(r => (r.End - r.Start).TotalMilliseconds),5:0} ms");
        Console.Error.WriteLine($"total {total.TotalSeconds:0.00} s");
    }

    public static async Task RunAsync(BenchSettings settings, ResultTable table, bool backfill, bool incremental)
    {
        var range = RequestsScenario.Years(1);
        var L = settings.Latency;
        var folder = Path.Combine(Path.GetTempPath(), "fitbitps-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Untimed warm-up on a throwaway emulator (another user): JIT of the client, the exporter and the
            // in-process emulator, and the first connection, so the timed run measures the steady state.
            await using (var w = await EmulatorSession.StartAsync(settings))
            {
                var warmFolder = folder + "-warmup";
                var week = new CivilRange(range.To.AddDays(-6), range.To);
                await w.Connection.ExportAsync(new ExportSpec { Path = warmFolder, DataTypes = Kinds, From = week.From }, w.Events, default);
                await w.Connection.ExportAsync(new ExportSpec { Path = warmFolder, DataTypes = Kinds }, w.Events, default);
                await new NaiveClient(w.Emulator.BaseUrl, w.Tokens.CurrentAccessToken).ReadDayAsync(range.To);
                Directory.Delete(warmFolder, true);
            }

            await using var s = await EmulatorSession.StartAsync(settings);
            var person = s.Emulator.Person;
            s.Warm(range);

            // --- FitbitPS: Export-FitbitData -From <a year ago> -DataType Weight,Activity,Sleep,RestingHeartRate
            var sw = Stopwatch.StartNew();
            var results = await s.Connection.ExportAsync(new ExportSpec { Path = folder, DataTypes = Kinds, From = range.From }, s.Events, default);
            var fitbitPs = sw.Elapsed;
            int made = s.HealthRequests;
            DebugTimeline(s, fitbitPs);

            // The bound, from the physical minimum of requests (scenario 1's derivation; its oracle adds to the log,
            // so the reader's count above was read first).
            int sleepPages = RequestsScenario.SleepMinimum(s, range).Requests;
            int n = RequestsScenario.WeightMinimum(s, range).Requests + RequestsScenario.ActivityMinimum(range).Requests
                    + sleepPages + RequestsScenario.RestingHeartRateMinimum(s, range).Requests;
            int c = s.Client.Throttle.MaxInFlight, q = settings.Quota;
            var quotaBound = TimeSpan.FromMinutes((n - 1) / q) + L;
            var latencyBound = TimeSpan.FromTicks(L.Ticks * RequestsScenario.Ceil(n, c));
            var chainBound = TimeSpan.FromTicks(L.Ticks * sleepPages);
            var bound = new[] { quotaBound, latencyBound, chainBound }.Max();
            TimeSpan BoundAt(TimeSpan l) => new[] { TimeSpan.FromMinutes((n - 1) / q) + l, TimeSpan.FromTicks(l.Ticks * RequestsScenario.Ceil(n, c)), TimeSpan.FromTicks(l.Ticks * sleepPages) }.Max();
            var observed = s.RoundTrips.Mean;

            if (backfill)
            {
                table.Ratio("2 backfill 1y", $"requests ({string.Join("+", results.Select(r => r.Requests))})", made, n, "", max: 1.0, format: "0");
                table.Ratio("2 backfill 1y", "wall time vs lower bound", fitbitPs.TotalSeconds, bound.TotalSeconds, " s", max: 1.1, format: "0.0");
                table.Note($"2 backfill: N = {n} requests (minimum), L = {L.TotalMilliseconds:0} ms added latency, C = {c} in flight (FitbitPS's throttle; Google documents no cap), Q = {q}/min. " +
                           $"Bound = max(quota: floor((N-1)/Q) min + L = {quotaBound.TotalSeconds:0.00} s; latency: ceil(N/C)×L = {latencyBound.TotalSeconds:0.00} s; " +
                           $"sleep page chain (each page needs the previous token): {sleepPages}×L = {chainBound.TotalSeconds:0.00} s) = {bound.TotalSeconds:0.00} s. " +
                           $"The rate form N÷(Q/min) = {n * 60.0 / q:0.0} s only bounds backfills of more than Q requests: {n} requests fit in the first minute's quota.");
                table.Note($"2 backfill: observed mean round trip {observed.TotalMilliseconds:0} ms (L + the emulator's work, on this loaded machine); the same bound at that round trip = {BoundAt(observed).TotalSeconds:0.00} s, ratio {fitbitPs / BoundAt(observed):0.00}.");
                table.Note($"2 backfill: per kind {string.Join(", ", results.Select(r => $"{r.Kind} {r.Requests} req/{r.RowsTotal} rows"))}; {s.Count429} answered 429.");

                // What overlapping the kinds would give (the four readers at once on the same client and throttle).
                s.ResetLog();
                s.RoundTrips.Clear();
                sw.Restart();
                await Task.WhenAll(
                    Task.Run(() => s.Reader.ReadBodyWeight(range, default).Count()),
                    Task.Run(() => s.Reader.ReadActivityDays(range, default).Count()),
                    Task.Run(() => s.Reader.ReadSleep(range, default).Count()),
                    Task.Run(() => s.Reader.ReadRestingHeartRate(range, default).Count()));
                var overlapped = sw.Elapsed;
                DebugTimeline(s, overlapped);
                table.Ratio("2 backfill 1y", "4 readers at once (no files) vs bound", overlapped.TotalSeconds, bound.TotalSeconds, " s", max: 1.1, format: "0.0");
                table.Note($"2 backfill: the four readers started together (same client, same throttle) made {s.HealthRequests} requests in {overlapped.TotalSeconds:0.0} s (mean round trip {s.RoundTrips.Mean.TotalMilliseconds:0} ms; bound at that round trip {BoundAt(s.RoundTrips.Mean).TotalSeconds:0.00} s).");
            }

            if (incremental)
            {
                // --- Scenario 4: the same export again, nothing new on the server.
                s.ResetLog();
                sw.Restart();
                var second = await s.Connection.ExportAsync(new ExportSpec { Path = folder, DataTypes = Kinds }, s.Events, default);
                var noop = sw.Elapsed;
                // Per export kind, from the emulator's log (not the engine's own count): each /v4 request of
                // the no-op run is put to the kind whose data types it asked for.
                var perKind = Kinds.ToDictionary(k => k, _ => 0);
                int unattributed = 0;
                foreach (var logged in s.Emulator.Requests.HealthApi)
                {
                    var kind = KindOfRequest(logged.Path);
                    if (kind != null && perKind.ContainsKey(kind)) perKind[kind]++; else unattributed++;
                }
                int noopRequests = s.HealthRequests;
                var askedFor = string.Join(", ", s.Emulator.Requests.HealthApi.Select(r => DataTypeOfPath(r.Path) ?? r.Path));
                // The fewest a probe can cost: the pages Google serves for its window's filter (one, unless it sends an
                // empty page with a token first) for the list probes; one daily roll-up for Activity.
                var window = new CivilRange(second[0].From ?? range.To, range.To);
                var probeMinimum = new Dictionary<string, int>
                {
                    ["Weight"] = s.ServedPages("weight", DataTypeCatalog.Weight.CivilFilter(window.From, window.To)),
                    ["Activity"] = 1,
                    ["Sleep"] = s.ServedPages("sleep", DataTypeCatalog.Sleep.CivilFilter(window.From, window.To)),
                    ["RestingHeartRate"] = s.ServedPages("daily-resting-heart-rate", DataTypeCatalog.DailyRestingHeartRate.CivilFilter(window.From, window.To)),
                };
                int noopMinimum = Kinds.Sum(k => probeMinimum[k]);
                table.Ratio("4 incremental no-op", $"requests ({string.Join("+", Kinds.Select(k => perKind[k]))}), emulator log, vs one probe per kind ({string.Join("+", Kinds.Select(k => probeMinimum[k]))} served pages)",
                    noopRequests, noopMinimum, "", max: 1.0, format: "0");
                table.Ratio("4 incremental no-op", "requests per export kind vs its probe's served pages (worst kind)",
                    Kinds.Max(k => (double)perKind[k] / probeMinimum[k]), 1, "", max: 1.0, format: "0.00");
                var noopBound = L.TotalSeconds * RequestsScenario.Ceil(Math.Max(noopRequests, 1), c);
                table.Ratio("4 incremental no-op", "wall time vs ceil(requests/C)×L", noop.TotalSeconds, noopBound, " s", format: "0.00");
                table.Note($"4 incremental: emulator log per kind {string.Join(", ", Kinds.Select(k => $"{k} {perKind[k]}"))}, {unattributed} not of a kind; " +
                           $"asked for {askedFor}.");
                table.Note($"4 incremental: {string.Join(", ", second.Select(r => $"{r.Kind} {r.Requests} req, {r.From:MM-dd}..{r.To:MM-dd}, changed={r.Changed}"))}; " +
                           $"{second.Sum(r => r.RowsAdded + r.RowsUpdated + r.RowsRemoved)} rows changed. A later run of the same day probes each kind's trailing window " +
                           "with one request (docs/export.md) and reads the kind's other data types only when the probe sees a change.");
            }

            if (backfill)
            {
                // --- The naive client: one request at a time, one day per request, raw lists, no roll-ups.
                // Its own emulator: its own user and quota, days generated ahead like FitbitPS's.
                await using var ns = await EmulatorSession.StartAsync(settings);
                var sampleTo = range.To;
                var sampleFrom = sampleTo.AddDays(-(settings.NaiveDays - 1));
                ns.Warm(new CivilRange(sampleFrom, sampleTo));
                var naive = new NaiveClient(ns.Emulator.BaseUrl, ns.Tokens.CurrentAccessToken);
                sw.Restart();
                for (var d = sampleFrom; d <= sampleTo; d = d.AddDays(1)) await naive.ReadDayAsync(d);
                var sample = sw.Elapsed;
                int sampleRequests = ns.HealthRequests;
                double perDay = sample.TotalSeconds / settings.NaiveDays;
                double yearRequests = (double)sampleRequests / settings.NaiveDays * range.Days;
                double byTime = perDay * range.Days;
                double byQuota = Math.Floor((yearRequests - 1) / q) * 60 + L.TotalSeconds;
                double naiveYear = Math.Max(byTime, byQuota);
                // Baseline column = the naive client; ratio = naive ÷ FitbitPS (how many times more / slower).
                table.Add(new ResultRow("2 backfill 1y", $"requests, naive ÷ FitbitPS (naive: {settings.NaiveDays} days ×{range.Days}/{settings.NaiveDays})",
                    ResultRow.F(made, "0"), ResultRow.F(yearRequests, "0"), ResultRow.F(yearRequests / made), "—", "—"));
                double faster = naiveYear / fitbitPs.TotalSeconds;
                table.Add(new ResultRow("2 backfill 1y", "wall time, naive ÷ FitbitPS (× faster)", ResultRow.F(fitbitPs.TotalSeconds, "0.0") + " s",
                    ResultRow.F(naiveYear, "0") + " s", ResultRow.F(faster), "≥ 5.00", faster >= 5 ? "pass" : "FAIL"));
                table.Note($"2 naive client: {settings.NaiveDays} days ({sampleFrom:yyyy-MM-dd}..{sampleTo:yyyy-MM-dd}) really run: {sampleRequests} requests in {sample.TotalSeconds:0.0} s " +
                           $"({naive.Retries} retries after 429). Year = max(linear {perDay:0.00} s/day × {range.Days} = {byTime:0} s, quota floor((N-1)/Q) min + L = {byQuota:0} s for N = {yearRequests:0}) = {naiveYear:0} s. " +
                           "Per day: lists of steps, distance, active energy, AZM, activity level (raw minutes, summed), weight, body fat, sleep, resting HR and floors' reconciled points (floors has no list); " +
                           "pageSize 10000 (25 for sleep) and nextPageToken followed; total calories left out (roll-up only), which favours the naive client.");
            }
        }
        finally
        {
            try { if (Directory.Exists(folder)) Directory.Delete(folder, true); } catch (IOException) { }
        }
    }
}

/// <summary>What a person writes by hand: for each day, for each data type, list that day's raw points
/// (one request at a time, following nextPageToken), parse the JSON and sum. On 429 it waits Retry-After.</summary>
public sealed class NaiveClient
{
    private static readonly string[] Types =
    {
        "steps", "distance", "floors", "active-energy-burned", "active-zone-minutes", "activity-level",
        "weight", "body-fat", "sleep", "daily-resting-heart-rate",
    };

    private readonly HttpClient _http = new();
    private readonly Uri _base;

    public NaiveClient(Uri baseUrl, string accessToken)
    {
        _base = baseUrl;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    }

    public int Retries { get; private set; }

    public async Task<double> ReadDayAsync(DateTime day)
    {
        double sum = 0;
        foreach (var id in Types)
        {
            var type = DataTypeCatalog.Get(id);
            var filter = type.CivilFilter(day, day);
            // floors refuses list (the live API says so): the reconciled points instead.
            var method = type.Supports(DataTypeMethods.List) ? "dataPoints" : "dataPoints:reconcile";
            string? token = null;
            do
            {
                var url = $"v4/users/me/dataTypes/{id}/{method}?filter={Uri.EscapeDataString(filter!)}&pageSize={(id == "sleep" ? 25 : 10000)}"
                          + (token == null ? "" : "&pageToken=" + Uri.EscapeDataString(token));
                using var response = await _http.GetAsync(new Uri(_base, url));
                if ((int)response.StatusCode == 429)
                {
                    Retries++;
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }
                response.EnsureSuccessStatusCode();
                var page = JObject.Parse(await response.Content.ReadAsStringAsync());
                foreach (var point in page["dataPoints"] ?? new JArray())
                    foreach (var leaf in point.SelectTokens("..*").OfType<JValue>())
                        if (leaf.Type is JTokenType.Integer or JTokenType.Float) { sum += leaf.Value<double>(); break; }
                token = (string?)page["nextPageToken"];
            } while (!string.IsNullOrEmpty(token)); // the last page says "nextPageToken": ""
        }
        return sum;
    }
}
