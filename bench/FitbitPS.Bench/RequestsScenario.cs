using FitbitPS.Engine.Api;
using HealthApiEmulator.Data;

namespace FitbitPS.Bench;

/// <summary>
/// Scenario 1: requests made (the emulator's own log) vs the physical minimum, derived here from the
/// emulator's ground truth and the API's documented limits — not from the engine's planner:
/// list/reconcile: ceil(points / page size) per filter (page size 10,000; sleep and exercise 25; an
/// empty answer still costs 1); dailyRollUp: ceil(days / range limit) (14 days for total-calories,
/// heart-rate, active-minutes, calories-in-heart-rate-zone; 90 for the rest), ≤ 90 windows fit one
/// page; rollUp: max(ceil(span / range limit), ceil(non-empty windows / 10,000)).
/// </summary>
public static class RequestsScenario
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

    public static Minimum WeightMinimum(SyntheticPerson person, CivilRange range)
    {
        var (w, f) = WeighInCounts(person, range);
        return new(Pages(w, PageSize) + Pages(f, PageSize) + 1,
            $"pages({w} weigh-ins) + pages({f} body-fat) + 1 latest height (BMI)");
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

    public static Minimum SleepMinimum(SyntheticPerson person, CivilRange range)
    {
        var n = person.SleepSessions(DateOnly.FromDateTime(range.From), DateOnly.FromDateTime(range.To)).Count;
        return new(Pages(n, SleepPageSize), $"ceil({n} sessions / 25)");
    }

    public static Minimum RestingHeartRateMinimum(CivilRange range)
        // At most one value per day: any range up to 10,000 days fits one page of one date filter.
        => new(Pages(Math.Min(range.Days, 1), PageSize), $"≤ {range.Days} daily values → 1 page");

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
            Row(table, label, "weight", s.HealthRequests - before, WeightMinimum(s.Emulator.Person, range), weights);

            before = s.HealthRequests;
            var days = s.Reader.ReadActivityDays(range, default).Count(i => !i.IsError);
            Row(table, label, "daily activity", s.HealthRequests - before, ActivityMinimum(range), days);

            before = s.HealthRequests;
            var sleeps = s.Reader.ReadSleep(range, default).Count(i => !i.IsError);
            Row(table, label, "sleep", s.HealthRequests - before, SleepMinimum(s.Emulator.Person, range), sleeps);

            before = s.HealthRequests;
            var rhr = s.Reader.ReadRestingHeartRate(range, default).Count(i => !i.IsError);
            Row(table, label, "resting heart rate", s.HealthRequests - before, RestingHeartRateMinimum(range), rhr);

            // Wall time against the same lower bound as scenario 2 (the four reads run one after another here).
            int n = s.HealthRequests, sleepPages = SleepMinimum(s.Emulator.Person, range).Requests;
            var l = settings.Latency.TotalSeconds;
            double quotaBound = (n - 1) / settings.Quota * 60 + l, bound = Math.Max(quotaBound, Math.Max(Ceil(n, s.Client.Throttle.MaxInFlight) * l, sleepPages * l));
            table.Ratio(label, "wall time vs lower bound (info)", (DateTime.UtcNow - started).TotalSeconds, bound, " s", format: "0.0");
            table.Note($"1 requests {years}y ({range}): {s.HealthRequests} requests in {(DateTime.UtcNow - started).TotalSeconds:0.0} s, " +
                       $"{s.Count429} answered 429, {s.Waits.Count(w => w.Attempt == 0)} waits on FitbitPS's own per-minute limiter.");
        }

        {
            await using var s = await EmulatorSession.StartAsync(settings);
            var range = Month;
            var person = s.Emulator.Person;

            int before = s.HealthRequests;
            long samples = 0;
            foreach (var item in s.Reader.ReadHeartRateSamples(range, default)) if (!item.IsError) samples++;
            var truth = HeartRateSampleCount(person, range);
            Row(table, "1 requests 1 month", "raw heart rate", s.HealthRequests - before,
                new Minimum(Pages(truth, PageSize), $"ceil({truth} samples / 10,000)"), samples);
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
            var min = Math.Max(Ceil(span.Ticks, TimeSpan.FromDays(90).Ticks), Pages(windows, PageSize)) + 1;
            Row(table, "1 requests 1 month", "minute steps", made,
                new Minimum(min, $"max(ceil(span/90 d), ceil({windows} non-empty minute windows / 10,000)) + 1 settings (time zone)"), windows);
            table.Note($"minute steps: {steps} steps in {windows} windows; ground truth Σ daily steps = {truthSteps}" +
                       (steps == truthSteps ? " (all there, so the window count is the server's)." : " (MISMATCH)."));
            table.Note($"1 requests 1 month ({range}): {s.Count429} answered 429.");
        }
    }

    private static void Row(ResultTable table, string scenario, string what, int made, Minimum min, long records)
    {
        table.Ratio(scenario, $"{what}: requests ({records} records)", made, min.Requests, "", max: 1.0, format: "0");
        table.Note($"{scenario} {what}: minimum {min.Requests} = {min.How}.");
    }
}
