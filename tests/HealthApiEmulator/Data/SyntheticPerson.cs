using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.Data;

/// <summary>
/// Deterministic synthetic data for one person: the ground truth tests and benchmarks compare the
/// API's answers against. Data is made lazily per civil day (see <see cref="Timeline"/>) and cached
/// in a bounded LRU, so years of minute data are never in memory at once. Data exists from
/// <see cref="PersonOptions.MembershipStart"/> until <see cref="VisibleUntil"/> (= emulator clock −
/// <see cref="PersonOptions.SyncLag"/>); the current day grows as the clock advances.
/// (Owned by the Health/data side.)
/// </summary>
public sealed class SyntheticPerson
{
    private const int CacheCapacity = 400;
    private readonly EmulatorClock _clock;
    private readonly object _cacheGate = new();
    private readonly Dictionary<int, LinkedListNode<DayBlock>> _cache = new();
    private readonly LinkedList<DayBlock> _lru = new();
    private readonly object _manualGate = new();
    private readonly List<WeighIn> _manualWeighIns = new();
    private int _manualCount;

    /// <param name="legacyHeartRateCadence">The old heart-rate cadence (every 15 s, 10 s in workouts) instead of the
    /// live one (every 5 s at rest, 3–4 s active, 2 s in workouts; evidence §1.2).</param>
    public SyntheticPerson(PersonOptions options, int seed, EmulatorClock clock, bool legacyHeartRateCadence = false)
    {
        Options = options;
        Seed = seed;
        _clock = clock;
        LegacyHeartRateCadence = legacyHeartRateCadence;
        Timeline = new Timeline(options);
        Generator = new PersonGenerator(seed, options, Timeline, Block, legacyHeartRateCadence);
    }

    /// <summary>True: heart rate every 15 s (10 s in workouts), the emulator's old cadence.</summary>
    public bool LegacyHeartRateCadence { get; }

    public PersonOptions Options { get; }
    public int Seed { get; }
    internal Timeline Timeline { get; }
    internal PersonGenerator Generator { get; }

    /// <summary>Data recorded after this instant has not been synced yet and is invisible.</summary>
    public DateTimeOffset VisibleUntil => _clock.UtcNow - Options.SyncLag;

    internal long CutoffUnix => VisibleUntil.ToUnixTimeSeconds();

    /// <summary>The person's UTC offset at an instant (home zone, trip zone, DST all included).</summary>
    public TimeSpan UtcOffsetAt(DateTimeOffset instant) => TimeSpan.FromSeconds(Timeline.OffsetAt(instant.ToUnixTimeSeconds()));

    /// <summary>The person's civil date-time at an instant.</summary>
    public DateTime CivilTimeAt(DateTimeOffset instant) => instant.UtcDateTime + UtcOffsetAt(instant);

    /// <summary>The IANA zone the person lives in on a civil day.</summary>
    public string TimeZoneOn(DateOnly day) => Timeline.ZoneOn(day).Id;

    public int AgeOn(DateOnly day) => Generator.Age(day);

    internal DayBlock Block(DateOnly day)
    {
        lock (_cacheGate)
        {
            if (_cache.TryGetValue(day.DayNumber, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                return node.Value;
            }
        }
        var block = Generator.CreateBlock(day);
        lock (_cacheGate)
        {
            if (_cache.TryGetValue(day.DayNumber, out var existing)) return existing.Value;
            _cache[day.DayNumber] = _lru.AddFirst(block);
            while (_lru.Count > CacheCapacity)
            {
                _cache.Remove(_lru.Last!.Value.Date.DayNumber);
                _lru.RemoveLast();
            }
            return block;
        }
    }

    // ------------------------------------------------------------------ late data

    /// <summary>A weight typed into the Fitbit app now (MANUAL). It appears at once, even when dated
    /// in the past and even within the sync lag.</summary>
    public WeighIn LogWeight(DateTimeOffset at, double kg, double? bodyFatPercent = null, string? notes = null)
    {
        lock (_manualGate)
        {
            var day = Timeline.BlockOf(at.ToUnixTimeSeconds());
            var n = ++_manualCount;
            var entry = new WeighIn(Generator.PointId(3, day, 5 + n % 5, salt: n), at.ToUniversalTime(), UtcOffsetAt(at), kg, bodyFatPercent, SourceKind.Manual, notes)
            {
                BodyFatId = bodyFatPercent is null ? 0 : Generator.PointId(4, day, 5 + n % 5, salt: n),
            };
            _manualWeighIns.Add(entry);
            return entry;
        }
    }

    internal List<WeighIn> ManualWeighIns(long from, long to)
    {
        lock (_manualGate)
            return _manualWeighIns.Where(w => w.At.ToUnixTimeSeconds() >= from && w.At.ToUnixTimeSeconds() < to).ToList();
    }

    /// <summary>Generated and manual weigh-ins of a block, ascending, visible ones only.</summary>
    internal List<WeighIn> WeighInsOf(DayBlock b, long cutoff)
    {
        var list = new List<WeighIn>();
        if (b.Active) list.AddRange(b.WeighIns.Where(w => w.At.ToUnixTimeSeconds() <= cutoff));
        list.AddRange(ManualWeighIns(b.Start, b.End));
        list.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : x.Id.CompareTo(y.Id));
        return list;
    }

    // ------------------------------------------------------------------ ground truth

    private IEnumerable<DayBlock> Blocks(long from, long to)
    {
        if (to <= from) yield break;
        var first = Timeline.BlockOf(from);
        var last = Timeline.BlockOf(to - 1);
        for (var d = first; d <= last; d = d.AddDays(1)) yield return Block(d);
    }

    /// <summary>Reconciled totals of a civil day over the minutes visible now.</summary>
    public DailySummary Day(DateOnly civilDay)
    {
        var s = new DailySummary { Date = civilDay };
        var cutoff = CutoffUnix;
        var dayStartCivil = civilDay.DayNumber * 86400L;
        for (var d = civilDay.AddDays(-1); d <= civilDay.AddDays(1); d = d.AddDays(1))
        {
            var b = Block(d);
            if (!b.Active) continue;
            var md = b.Minutes;
            for (var m = 0; m < md.Count; m++)
            {
                var t = b.Start + 60L * m;
                if (t + 60 > cutoff) break;
                var civil = t + b.OffsetAt(t) + CivilEpochShift;
                if (civil < dayStartCivil || civil >= dayStartCivil + 86400) continue;
                s.VisibleMinutes++;
                s.Steps += md.ReconciledSteps(m);
                s.RawStepsAllSources += md.WatchSteps[m] + md.PhoneSteps[m];
                s.DistanceMillimeters += md.ReconciledDistanceMm(m);
                s.Floors += md.Floors[m];
                s.AltitudeGainMillimeters += md.AltitudeGainMm[m];
                s.TotalKcal += md.TotalKcal(m);
                s.ActiveKcal += md.ActiveKcal[m];
                if (md.Worn(m))
                {
                    switch (md.Zone[m])
                    {
                        case HrZone.Moderate: s.AzmFatBurn += 1; break;
                        case HrZone.Vigorous: s.AzmCardio += 2; break;
                        case HrZone.Peak: s.AzmPeak += 2; break;
                    }
                    switch (md.Level[m])
                    {
                        case ActLevel.Light: s.ActiveMinutesLight++; break;
                        case ActLevel.Moderate: s.ActiveMinutesModerate++; break;
                        case ActLevel.Vigorous: s.ActiveMinutesVigorous++; break;
                    }
                    if ((md.Flags[m] & MinuteFlags.Sedentary) != 0) s.SedentaryMinutes++;
                }
            }
        }
        var daily = Block(civilDay).Daily;
        if (daily != null && daily.AvailableAt <= cutoff) s.RestingHeartRate = daily.RestingHeartRate;
        return s;
    }

    /// <summary>Seconds from 0001-01-01 (DateOnly day 0) to the Unix epoch: civil seconds are counted
    /// from day 0 so that civil seconds / 86400 is a DateOnly.DayNumber.</summary>
    internal const long CivilEpochShift = 719162L * 86400L;

    /// <summary>Visible sleep sessions whose wake day is in [fromWakeDay, toWakeDay], oldest first.</summary>
    public IReadOnlyList<SleepSession> SleepSessions(DateOnly fromWakeDay, DateOnly toWakeDay)
    {
        var cutoff = CutoffUnix;
        var list = new List<SleepSession>();
        for (var d = fromWakeDay; d <= toWakeDay; d = d.AddDays(1))
            list.AddRange(Block(d).Sleeps.Where(s => s.End.ToUnixTimeSeconds() <= cutoff));
        return list;
    }

    /// <summary>Visible weigh-ins with from ≤ time &lt; to, oldest first.</summary>
    public IReadOnlyList<WeighIn> WeighIns(DateTimeOffset from, DateTimeOffset to)
    {
        long f = from.ToUnixTimeSeconds(), t = to.ToUnixTimeSeconds(), cutoff = CutoffUnix;
        return Blocks(f, t).SelectMany(b => WeighInsOf(b, cutoff)).Where(w => w.At.ToUnixTimeSeconds() >= f && w.At.ToUnixTimeSeconds() < t).ToList();
    }

    /// <summary>Visible workouts starting in [from, to), oldest first.</summary>
    public IReadOnlyList<ExerciseSession> Exercises(DateTimeOffset from, DateTimeOffset to)
    {
        long f = from.ToUnixTimeSeconds(), t = to.ToUnixTimeSeconds(), cutoff = CutoffUnix;
        return Blocks(f, t).Where(b => b.Active).SelectMany(b => b.Exercises)
            .Where(e => e.Start.ToUnixTimeSeconds() >= f && e.Start.ToUnixTimeSeconds() < t && e.End.ToUnixTimeSeconds() <= cutoff).ToList();
    }

    /// <summary>Visible heart-rate samples with from ≤ time &lt; to, oldest first: exactly what a raw heart-rate
    /// list serves. Cadence (evidence §1.2): every 5 s at rest and asleep, every 3–4 s when active, every 2 s in a
    /// workout (legacy: every 15 s, 10 s in workouts); none while the watch charges.</summary>
    public IEnumerable<HeartRateSample> HeartRateSamples(DateTimeOffset from, DateTimeOffset to)
    {
        long f = from.ToUnixTimeSeconds(), t = to.ToUnixTimeSeconds(), cutoff = CutoffUnix;
        foreach (var b in Blocks(f, t))
        {
            if (!b.Active) continue;
            var md = b.Minutes;
            for (var m = 0; m < md.Count; m++)
            {
                var n = md.HeartRateSamples(m);
                for (var k = 0; k < n; k++)
                {
                    var at = b.Start + 60L * m + k * (60 / n);
                    if (at < f || at >= t || at > cutoff) continue;
                    yield return new HeartRateSample(DateTimeOffset.FromUnixTimeSeconds(at), TimeSpan.FromSeconds(b.OffsetAt(at)), HeartRateAt(md, m, k, at));
                }
            }
        }
    }

    internal int HeartRateAt(MinuteData md, int m, int k, long at)
        => md.HeartRate[m] + (int)(Rng.Hash01(Seed, at, 201) * 5) - 2;

    /// <summary>How many points <c>list</c> returns for a data type (kebab id) with physical time
    /// (interval start / sample time / session start; daily types: the day's civil midnight) in
    /// [from, to), all sources (phone + watch double counted). For minimum request counts.</summary>
    public int CountPoints(string dataType, DateTimeOffset from, DateTimeOffset to)
        => Health.PointSource.Count(this, dataType, from.ToUnixTimeSeconds(), to.ToUnixTimeSeconds());
}
