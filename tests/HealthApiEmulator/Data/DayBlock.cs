namespace HealthApiEmulator.Data;

/// <summary>Heart-rate zones (daily-heart-rate-zones types) in the order of Google's enum.</summary>
internal enum HrZone : byte { None = 0, Light = 1, Moderate = 2, Vigorous = 3, Peak = 4 }

/// <summary>Per-minute activity level (active-minutes / activity-level).</summary>
internal enum ActLevel : byte { Sedentary = 0, Light = 1, Moderate = 2, Vigorous = 3 }

[Flags]
internal enum MinuteFlags : byte
{
    None = 0,
    Worn = 1,
    Asleep = 2,
    PhoneCarried = 4,
    Exercise = 8,
    /// <summary>Worn, awake and not active: part of a sedentary period.</summary>
    Sedentary = 16,
    /// <summary>Inside the main sleep (HRV / SpO2 sampling).</summary>
    MainSleep = 32,
}

/// <summary>The daily (one-per-civil-day) values of a day.</summary>
internal sealed class DailyValues
{
    public int RestingHeartRate;
    public bool RestingWithSleep;
    public double HrvAverage, HrvDeepRmssd, HrvEntropy;
    public int NonRemHeartRate;
    public double SpO2Average, SpO2Lower, SpO2Upper, SpO2StdDev;
    public double BreathsPerMinute;
    public double NightlyTemperature, BaselineTemperature, RelativeNightlyStdDev30d;
    public double Vo2Max, Vo2MaxCovariance;
    public bool Vo2Estimated;
    public string CardioFitnessLevel = "GOOD";
    /// <summary>Unix seconds from which these values are visible (when the main sleep ended).</summary>
    public long AvailableAt;
}

internal sealed record ExercisePlan(long Id, string Type, string DisplayName, long Start, long End);

/// <summary>The watch's and phone's minute-by-minute record of one block (see <see cref="Timeline"/>).</summary>
internal sealed class MinuteData
{
    public int Count;
    public short[] WatchSteps = null!, PhoneSteps = null!;
    public int[] WatchDistanceMm = null!, PhoneDistanceMm = null!;
    public byte[] Floors = null!;
    public int[] AltitudeGainMm = null!;
    public byte[] HeartRate = null!; // 0 = not worn
    public MinuteFlags[] Flags = null!;
    public HrZone[] Zone = null!;
    public ActLevel[] Level = null!;
    public float[] ActiveKcal = null!;
    public double BmrKcalPerMinute;
    /// <summary>HR samples per minute (0 while the watch charges), set by the generator: every 5 s at rest and
    /// asleep, every 3–4 s when active, every 2 s in a workout (live evidence §1.2 "Heart rate every 15 s —
    /// CONTRADICTED": Pixel Watch median gap 2 s, Fitbit Air about 5 s); legacy cadence: 4 (15 s), 6 (10 s) in
    /// workouts. Samples are at minute start + k × (60 / n).</summary>
    public byte[] HrSamples = null!;

    public int HeartRateSamples(int m) => HrSamples[m];

    public bool Worn(int m) => (Flags[m] & MinuteFlags.Worn) != 0;
    public int ReconciledSteps(int m) => Worn(m) ? WatchSteps[m] : PhoneSteps[m];
    public int ReconciledDistanceMm(int m) => Worn(m) ? WatchDistanceMm[m] : PhoneDistanceMm[m];
    public double TotalKcal(int m) => BmrKcalPerMinute + ActiveKcal[m];
}

/// <summary>One civil day's block of generated data. Cheap parts (sessions, weigh-ins, daily values)
/// are made at once; the minute data only when something needs it.</summary>
internal sealed class DayBlock
{
    private readonly Lazy<MinuteData> _minutes;
    private readonly Lazy<IReadOnlyList<ExerciseSession>> _exercises;
    private readonly long _transition;
    private readonly int _offsetBefore, _offsetAfter;

    public DayBlock(DateOnly date, long start, long end, TimeZoneInfo zone, bool active,
        Func<DayBlock, MinuteData> minutes, Func<DayBlock, IReadOnlyList<ExerciseSession>> exercises)
    {
        Date = date; Start = start; End = end; Zone = zone; Active = active;
        _offsetBefore = Timeline.OffsetIn(zone, start);
        _offsetAfter = Timeline.OffsetIn(zone, end - 1);
        _transition = end;
        if (_offsetBefore != _offsetAfter)
        {
            // DST change inside the block: find the first minute with the new offset.
            var t = start;
            while (t < end && Timeline.OffsetIn(zone, t) == _offsetBefore) t += 900;
            while (t > start && Timeline.OffsetIn(zone, t - 60) != _offsetBefore) t -= 60;
            _transition = t;
        }
        _minutes = new Lazy<MinuteData>(() => minutes(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _exercises = new Lazy<IReadOnlyList<ExerciseSession>>(() => exercises(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public DateOnly Date { get; }
    public long Start { get; }
    public long End { get; }
    public TimeZoneInfo Zone { get; }
    /// <summary>False before the membership start: the block holds no data.</summary>
    public bool Active { get; }
    public int MinuteCount => (int)((End - Start) / 60);

    public int OffsetAt(long t) => t < _transition ? _offsetBefore : _offsetAfter;

    public List<SleepSession> Sleeps { get; set; } = new();
    public List<ExercisePlan> ExercisePlans { get; set; } = new();
    public List<WeighIn> WeighIns { get; set; } = new();
    public (long Id, long At, long Millimeters)? Height { get; set; }
    public DailyValues? Daily { get; set; }
    /// <summary>Start of the main sleep's wake (for charging) or null.</summary>
    public long? MainWake { get; set; }

    public MinuteData Minutes => _minutes.Value;
    public bool MinutesMade => _minutes.IsValueCreated;
    public IReadOnlyList<ExerciseSession> Exercises => _exercises.Value;
}
