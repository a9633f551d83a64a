using FitbitPS.Engine.Api;
using HealthApiEmulator.Data;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 1: requests made (the emulator's own log) vs the physical minimum under the live rules
/// (google-health-live-evidence.md), derived here and not from the engine's planner:
/// list/reconcile: the pages the server serves a bare client that follows every token of the same filter
/// (<see cref="EmulatorSession.ServedPages"/>): pages come back short, sometimes empty with a token, and dense
/// types stop at 5,000, so no formula over the point count gives them; dailyRollUp: ceil(days / range limit)
/// (14 days for total-calories, heart-rate, active-minutes, calories-in-heart-rate-zone; 90 for the rest);
/// rollUp: ceil(span / (floor(limit ÷ window) windows)) — one unpaged request per chunk.
/// The cost of recovering the points the server drops at page boundaries is its own row.
/// </summary>
internal static class RequestsScenario
{
    public const int PageSize = 10000, SleepPageSize = 25;

    /// <summary>Documented roll-up range limits of the seven types behind a day of activity.</summary>
    public static readonly (string Type, int LimitDays)[] ActivityTypes =
    {
        ("steps", 90), ("distance", 90), ("floors", 90), ("total-calories", 14),
        ("active-energy-burned", 90), ("active-zone-minutes", 90), ("activity-level", 90),
    };

    public static int Pages(long points, int pageSize) => points <= 0 ? 1 : (int)((points + pageSize - 1) / pageSize);
    public static int Ceil(long a, long b) => (int)((a + b - 1) / b);

    public static CivilRange Years(int years) => new(BenchSettings.Today.AddDays(-(years * 365 + years / 4) + 1), BenchSettings.Today);
    public static CivilRange Month => new(BenchSettings.Today.AddDays(-30), BenchSettings.Today);

    // ------------------------------------------------------------------ ground truth

    public sealed record Minimum(int Requests, string How);

    public static Minimum WeightMinimum(EmulatorSession s, CivilRange range)
    {
        int w = s.ServedPages("weight", DataTypeCatalog.Weight.CivilFilter(range.From, range.To));
        int f = s.ServedPages("body-fat", DataTypeCatalog.BodyFat.CivilFilter(range.From, range.To));
        return new(w + f + 1, $"served pages: weight {w} + body-fat {f} + 1 latest height (BMI)");
    }

    public static (int Weights, int BodyFat) WeighInCounts(SyntheticPerson person, CivilRange range)
    {
        var from = new DateTimeOffset(range.From.AddDays(-2), TimeSpan.Zero);
        var to = new DateTimeOffset(range.EndExclusive.AddDays(2), TimeSpan.Zero);
        var inRange = person.WeighIns(from, to).Where(x => InRange(range, (x.At + x.UtcOffset).UtcDateTime)).ToList();
        return (inRange.Count, inRange.Count(x => x.BodyFatPercent.HasValue));
    }

    public static Minimum ActivityMinimum(CivilRange range)
    {
        var n = ActivityTypes.Sum(t => Ceil(range.Days, t.LimitDays));
        var parts = ActivityTypes.GroupBy(t => t.LimitDays).Select(g => $"{g.Count()}×ceil({range.Days}/{g.Key})");
        return new(n, "dailyRollUp " + string.Join(" + ", parts));
    }

    public static Minimum SleepMinimum(EmulatorSession s, CivilRange range)
    {
        var n = s.Emulator.Person.SleepSessions(DateOnly.FromDateTime(range.From), DateOnly.FromDateTime(range.To)).Count;
        var pages = s.ServedPages("sleep", DataTypeCatalog.Sleep.CivilFilter(range.From, range.To));
        return new(pages, $"served pages for {n} sessions (full pages of 25 would be {Pages(n, SleepPageSize)})");
    }

    public static Minimum RestingHeartRateMinimum(EmulatorSession s, CivilRange range)
    {
        var pages = s.ServedPages("daily-resting-heart-rate", DataTypeCatalog.DailyRestingHeartRate.CivilFilter(range.From, range.To));
        return new(pages, $"served pages of one date filter over {range.Days} days");
    }

    public static long HeartRateSampleCount(SyntheticPerson person, CivilRange range)
    {
        var from = new DateTimeOffset(range.From.AddDays(-2), TimeSpan.Zero);
        var to = new DateTimeOffset(range.EndExclusive.AddDays(2), TimeSpan.Zero);
        return person.HeartRateSamples(from, to).LongCount(s => InRange(range, (s.At + s.UtcOffset).UtcDateTime));
    }

    private static bool InRange(CivilRange range, DateTime civil) => civil >= range.From && civil < range.EndExclusive;

    // ------------------------------------------------------------------ the scenario

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var sets = settings.Quick ? new[] { 1 } : new[] { 1, 5 };
        foreach (var years in sets)
        {
            // One emulator = one Google user: its 300/min quota is shared by everything read in the set.
            await using var s = await EmulatorSession.StartAsync(settings);
            var range = Years(years);
            var label = $"1 requests {years}y";
            var started = DateTime.UtcNow;

            int before = s.HealthRequests;
            var weights = s.Reader.ReadBodyWeight(range, default).Count(i => !i.IsError);
            int weightMade = s.HealthRequests - before;

            before = s.HealthRequests;
            var days = s.Reader.ReadActivityDays(range, default).Count(i => !i.IsError);
            int activityMade = s.HealthRequests - before;

            before = s.HealthRequests;
            var sleeps = s.Reader.ReadSleep(range, default).Count(i => !i.IsError);
            int sleepMade = s.HealthRequests - before;

            before = s.HealthRequests;
            var rhr = s.Reader.ReadRestingHeartRate(range, default).Count(i => !i.IsError);
            int rhrMade = s.HealthRequests - before;
            int n = s.HealthRequests;
            var elapsed = (DateTime.UtcNow - started).TotalSeconds;

            // The oracle's own requests come after the reads (they add to the log).
            var sleepMin = SleepMinimum(s, range);
            Row(table, label, "weight", weightMade, WeightMinimum(s, range), weights);
            Row(table, label, "daily activity", activityMade, ActivityMinimum(range), days);
            Row(table, label, "sleep", sleepMade, sleepMin, sleeps);
            Row(table, label, "resting heart rate", rhrMade, RestingHeartRateMinimum(s, range), rhr);

            // Wall time against the same lower bound as scenario 2 (the four reads run one after another here).
            int sleepPages = sleepMin.Requests;
            var l = settings.Latency.TotalSeconds;
            double quotaBound = (n - 1) / settings.Quota * 60 + l, bound = Math.Max(quotaBound, Math.Max(Ceil(n, s.Client.Throttle.MaxInFlight) * l, sleepPages * l));
            table.Ratio(label, "wall time vs lower bound (info)", elapsed, bound, " s", format: "0.0");
            table.Note($"1 requests {years}y ({range}): {n} requests in {elapsed:0.0} s, " +
                       $"{s.Count429} answered 429, {s.Waits.Count(w => w.Attempt == 0)} waits on FitbitPS's own per-minute limiter.");
        }

        {
            await using var s = await EmulatorSession.StartAsync(settings);
            var range = Month;
            var person = s.Emulator.Person;

            int before = s.HealthRequests;
            long samples = 0;
            foreach (var item in s.Reader.ReadHeartRateSamples(range, default)) if (!item.IsError) samples++;
            var hrMade = s.HealthRequests - before - 1; // the settings request (the person's zone for the physical filter) is its own
            var truth = HeartRateSampleCount(person, range);
            // Heart rate is asked on physical time between the home zone's midnights (no trip in this month).
            var hrPages = s.ServedPages("heart-rate", DataTypeCatalog.HeartRate.PhysicalFilter(s.HomeMidnight(range.From), s.HomeMidnight(range.EndExclusive)));
            Row(table, "1 requests 1 month", "raw heart rate", hrMade,
                new Minimum(hrPages, $"served pages for {truth} samples (a sample every 2–5 s; Google stops these pages at 5,000: ≥ {Pages(truth, 5000)})"), samples);
            if (samples != truth) table.Note($"raw heart rate: the reader returned {samples} samples, ground truth has {truth}.");

            before = s.HealthRequests;
            long windows = 0, steps = 0;
            foreach (var item in s.Reader.ReadData(FitbitPS.Engine.Api.DataTypeCatalog.Steps, DataTypeMethods.RollUp, range, TimeSpan.FromMinutes(1), default))
            {
                if (item.IsError) continue;
                windows++;
                steps += (long)(item.Record.Value ?? 0);
            }
            var made = s.HealthRequests - before;
            long truthSteps = 0;
            for (var d = range.From; d <= range.To; d = d.AddDays(1)) truthSteps += person.Day(DateOnly.FromDateTime(d)).Steps;
            // The span is the month's civil days in physical time (a DST change makes it an hour longer or shorter).
            var zone = TimeZoneInfo.FindSystemTimeZoneById(person.Options.TimeZone);
            DateTimeOffset Midnight(DateTime day) => new(day, zone.GetUtcOffset(day));
            var span = Midnight(range.EndExclusive) - Midnight(range.From);
            // One unpaged rollUp holds at most floor(90 d ÷ 1 min) = 129,600 windows (pageSize bounds the query).
            var min = Ceil(span.Ticks, TimeSpan.FromDays(90).Ticks);
            Row(table, "1 requests 1 month", "minute steps", made,
                new Minimum(min, $"ceil(span / 129,600 minute windows) = one unpaged rollUp ({windows} non-empty windows in it; the zone was already known)"), windows);
            table.Note($"minute steps: {steps} steps in {windows} windows; ground truth Σ daily steps = {truthSteps}" +
                       (steps == truthSteps ? " (all there, so the window count is the server's)." : " (MISMATCH)."));
            table.Note($"1 requests 1 month ({range}): {s.Count429} answered 429.");
        }

        {
            // Page-boundary recovery: raw steps list, where the phone and the watch share each minute's
            // timestamp and Google leaves out of the next page the points that share the last one's. The
            // reader asks each boundary second again; its cost over plain token following is this row.
            await using var s = await EmulatorSession.StartAsync(settings);
            var range = new CivilRange(new DateTime(2026, 10, 1), new DateTime(2026, 10, 3));
            var filter = DataTypeCatalog.Steps.CivilFilter(range.From, range.To);
            long points = 0;
            foreach (var item in s.Reader.ReadData("steps", "List", range, null, default)) if (!item.IsError) points++;
            var made = s.HealthRequests;
            var dropped = s.Emulator.Paging.BoundarySkippedPointsOf("steps");
            var served = s.ServedPages("steps", filter);
            var truth = s.Emulator.Person.CountPoints("steps", s.HomeMidnight(range.From), s.HomeMidnight(range.EndExclusive));
            table.Ratio("1 requests recovery", $"raw steps list, 3 days: requests with boundary recovery vs token following ({points} of {truth} points)",
                made, served, "", format: "0");
            table.Note($"1 recovery: {range}: Google (the emulator) left {dropped} point(s) out at page boundaries; the reader asked each of the {made - served} " +
                       $"boundary second(s) of this read again and returned {points} points (ground truth {truth}). Series whose timestamps are all distinct " +
                       "(every typed reader: weight, sleep, heart rate, the daily values) never pay this: the rows above are at ratio 1.00.");
        }
    }

    private static void Row(ResultTable table, string scenario, string what, int made, Minimum min, long records)
    {
        table.Ratio(scenario, $"{what}: requests ({records} records)", made, min.Requests, "", max: 1.0, format: "0");
        table.Note($"{scenario} {what}: minimum {min.Requests} = {min.How}.");
    }
}
