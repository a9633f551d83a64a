namespace HealthApiEmulator.Data;

/// <summary>Who recorded a data point (maps to Google's DataSource).</summary>
public enum SourceKind : byte
{
    /// <summary>Measured by the watch (PASSIVELY_MEASURED, platform FITBIT, formFactor WATCH).</summary>
    Watch = 0,
    /// <summary>Measured by the phone while carried (PASSIVELY_MEASURED, formFactor PHONE).</summary>
    Phone = 1,
    /// <summary>Computed by Fitbit from watch data (DERIVED, formFactor WATCH).</summary>
    Derived = 2,
    /// <summary>A smart scale writing through Health Connect (UNKNOWN, application.packageName).</summary>
    Scale = 3,
    /// <summary>Typed into the Fitbit app (MANUAL, platform FITBIT).</summary>
    Manual = 4,
}

/// <summary>One segment of a sleep session (a stage for STAGES sessions, ASLEEP/RESTLESS/AWAKE for CLASSIC).</summary>
public sealed record SleepStageSegment(string Type, DateTimeOffset Start, DateTimeOffset End, TimeSpan StartUtcOffset, TimeSpan EndUtcOffset)
{
    public int Minutes => (int)(End - Start).TotalMinutes;
}

/// <summary>A night's sleep or a nap, dated (as Fitbit does) by the civil day the person woke up.</summary>
public sealed class SleepSession
{
    public long Id { get; init; }
    public DateOnly WakeDay { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public TimeSpan StartUtcOffset { get; init; }
    public TimeSpan EndUtcOffset { get; init; }
    public bool IsMainSleep { get; init; }
    public bool IsNap { get; init; }
    /// <summary>"STAGES" or "CLASSIC".</summary>
    public string Type { get; init; } = "STAGES";
    public IReadOnlyList<SleepStageSegment> Stages { get; init; } = Array.Empty<SleepStageSegment>();
    /// <summary>One-minute awakenings inside LIGHT stages (Google's output-only shortAwakenings).</summary>
    public IReadOnlyList<SleepStageSegment> ShortAwakenings { get; init; } = Array.Empty<SleepStageSegment>();
    public DateTimeOffset CreateTime { get; init; }
    public DateTimeOffset UpdateTime { get; init; }

    public int MinutesInSleepPeriod => (int)(End - Start).TotalMinutes;
    /// <summary>Initial AWAKE segment (STAGES) or 0.</summary>
    public int MinutesToFallAsleep => Stages.Count > 0 && Stages[0].Type == "AWAKE" ? Stages[0].Minutes : 0;
    /// <summary>AWAKE (+ RESTLESS for CLASSIC) minutes.</summary>
    public int MinutesAwake => Stages.Where(s => s.Type is "AWAKE" or "RESTLESS").Sum(s => s.Minutes);
    public int MinutesAsleep => MinutesInSleepPeriod - MinutesAwake;

    public int StageMinutes(string type) => Stages.Where(s => s.Type == type).Sum(s => s.Minutes);
    public int StageCount(string type) => Stages.Count(s => s.Type == type);
}

/// <summary>A weigh-in (weight, maybe body fat at the same instant).</summary>
public sealed record WeighIn(long Id, DateTimeOffset At, TimeSpan UtcOffset, double WeightKg, double? BodyFatPercent,
    SourceKind Source, string? Notes = null)
{
    /// <summary>Id of the body-fat point logged with this weigh-in (0 without body fat).</summary>
    public long BodyFatId { get; init; }
}

public sealed record HeartRateSample(DateTimeOffset At, TimeSpan UtcOffset, int BeatsPerMinute);

/// <summary>A logged workout; metrics summed from the watch's minute data.</summary>
public sealed record ExerciseSession(long Id, string ExerciseType, string DisplayName, DateTimeOffset Start, DateTimeOffset End,
    TimeSpan StartUtcOffset, TimeSpan EndUtcOffset, double CaloriesKcal, long DistanceMillimeters, long Steps,
    int AverageHeartRate, long ActiveZoneMinutes)
{
    public TimeSpan ActiveDuration => End - Start;
}

/// <summary>Reconciled totals of one civil day (what roll-ups and the Fitbit app show): per minute the
/// watch when worn, the phone only while the watch was off. Only data visible now (synced) counts.</summary>
public sealed class DailySummary
{
    public DateOnly Date { get; init; }
    public long Steps { get; set; }
    public long DistanceMillimeters { get; set; }
    public long Floors { get; set; }
    public long AltitudeGainMillimeters { get; set; }
    public double TotalKcal { get; set; }
    public double ActiveKcal { get; set; }
    public long AzmFatBurn { get; set; }
    public long AzmCardio { get; set; }
    public long AzmPeak { get; set; }
    public long ActiveMinutesLight { get; set; }
    public long ActiveMinutesModerate { get; set; }
    public long ActiveMinutesVigorous { get; set; }
    public long SedentaryMinutes { get; set; }
    /// <summary>Raw steps as list returns them (watch + phone, double counted).</summary>
    public long RawStepsAllSources { get; set; }
    public int? RestingHeartRate { get; set; }
    /// <summary>Minutes of the day that are already visible (synced).</summary>
    public int VisibleMinutes { get; set; }
}
