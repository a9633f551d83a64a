using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.Health;

internal enum RecordKind { Interval, Sample, Daily, Session, RollupOnly }

[Flags]
internal enum Ops { None = 0, List = 1, Get = 2, Reconcile = 4, RollUp = 8, DailyRollUp = 16 }

/// <summary>One Google Health data type as the emulator serves it.</summary>
internal sealed record DataTypeInfo(
    string Id,          // kebab-case path id
    string Member,      // JSON member of DataPoint / RollupDataPoint
    RecordKind Kind,
    string Scope,
    Ops Ops,
    int MaxRollupDays = 90,
    bool Identifiable = false,
    bool Generated = true)
{
    /// <summary>snake_case name used in filters.</summary>
    public string Snake => Id.Replace('-', '_');

    public bool Supports(Ops op) => (Ops & op) != 0;

    /// <summary>The actions Google lists in an UNSUPPORTED_DATA_TYPE_ACTION refusal, in its order and spelling
    /// (evidence §1.4; haelan rollup-methods.md: floors "reconcile, rollup, dailyRollup", sleep "list, get,
    /// reconcile, create, update, batchDelete"). Identifiable types are writable (Discovery: create/patch/
    /// batchDelete act on identifiable points); the emulator serves only the read actions.</summary>
    public IReadOnlyList<string> AllowedActions
    {
        get
        {
            var list = new List<string>();
            if (Supports(Ops.List)) list.Add("list");
            if (Supports(Ops.Get)) list.Add("get");
            if (Supports(Ops.Reconcile)) list.Add("reconcile");
            if (Supports(Ops.RollUp)) list.Add("rollup");
            if (Supports(Ops.DailyRollUp)) list.Add("dailyRollup");
            if (Identifiable && Id != "electrocardiogram") list.AddRange(new[] { "create", "update", "batchDelete" });
            return list;
        }
    }

    /// <summary>sleep and exercise pages: default 25, max 25.</summary>
    public int DefaultPageSize => Id is "sleep" or "exercise" ? 25 : 1440;
    public int MaxPageSize => Id is "sleep" or "exercise" ? 25 : 10000;

    /// <summary>Types whose live pages stop at 5,000 points whatever pageSize says (evidence §0.4, §1.2: haelan
    /// field-map.md, heart-rate and active-energy-burned at pageSize=10000).</summary>
    public bool Dense => Id is "heart-rate" or "active-energy-burned";
}

/// <summary>The catalogue: which types exist, their scope, record kind and supported methods
/// (reference §2.7, corrected by the live evidence §0.2, §0.3, §1.4 where it disagrees).</summary>
internal static class DataTypes
{
    private const Ops Read = Ops.List | Ops.Reconcile;
    private const Ops AllRollups = Ops.RollUp | Ops.DailyRollUp;
    private const string AF = Scopes.ActivityAndFitness, HM = Scopes.HealthMetrics;

    public static readonly IReadOnlyDictionary<string, DataTypeInfo> ById = new DataTypeInfo[]
    {
        new("weight", "weight", RecordKind.Sample, HM, Read | Ops.Get | AllRollups, Identifiable: true),
        new("body-fat", "bodyFat", RecordKind.Sample, HM, Read | Ops.Get | AllRollups, Identifiable: true),
        new("height", "height", RecordKind.Sample, HM, Read | Ops.Get, Identifiable: true),
        new("steps", "steps", RecordKind.Interval, AF, Read | AllRollups),
        new("distance", "distance", RecordKind.Interval, AF, Read | AllRollups),
        // Evidence §0.2, §1.4: "List is not supported for data type floors, but the following actions are supported:
        // reconcile, rollup, dailyRollup" (haelan field-map.md; arysuri23 tests; vitals; gohealthcli).
        new("floors", "floors", RecordKind.Interval, AF, Ops.Reconcile | AllRollups),
        new("altitude", "altitude", RecordKind.Interval, AF, Read | AllRollups),
        new("active-zone-minutes", "activeZoneMinutes", RecordKind.Interval, AF, Read | AllRollups),
        new("active-minutes", "activeMinutes", RecordKind.Interval, AF, Read | AllRollups, MaxRollupDays: 14),
        new("activity-level", "activityLevel", RecordKind.Interval, AF, Read | AllRollups),
        new("sedentary-period", "sedentaryPeriod", RecordKind.Interval, AF, Read | AllRollups),
        new("active-energy-burned", "activeEnergyBurned", RecordKind.Interval, AF, Read | AllRollups),
        new("time-in-heart-rate-zone", "timeInHeartRateZone", RecordKind.Interval, AF, Read | AllRollups),
        new("total-calories", "totalCalories", RecordKind.RollupOnly, AF, AllRollups, MaxRollupDays: 14),
        new("calories-in-heart-rate-zone", "caloriesInHeartRateZone", RecordKind.RollupOnly, AF, AllRollups, MaxRollupDays: 14),
        new("heart-rate", "heartRate", RecordKind.Sample, HM, Read | AllRollups, MaxRollupDays: 14),
        // Evidence §0.3, §1.4: daily-resting-heart-rate and daily-heart-rate-variability refuse rollUp and dailyRollUp
        // ("DailyRollup is not supported for data type daily-heart-rate-variability, but the following actions are
        // supported: list, reconcile"; google-health-mcp-aws CLAUDE.md, haelan rollup-methods.md).
        new("daily-resting-heart-rate", "dailyRestingHeartRate", RecordKind.Daily, HM, Read),
        new("heart-rate-variability", "heartRateVariability", RecordKind.Sample, HM, Read),
        new("daily-heart-rate-variability", "dailyHeartRateVariability", RecordKind.Daily, HM, Read),
        new("daily-heart-rate-zones", "dailyHeartRateZones", RecordKind.Daily, HM, Ops.Reconcile),
        new("oxygen-saturation", "oxygenSaturation", RecordKind.Sample, HM, Read),
        new("daily-oxygen-saturation", "dailyOxygenSaturation", RecordKind.Daily, HM, Read),
        new("daily-respiratory-rate", "dailyRespiratoryRate", RecordKind.Daily, HM, Read),
        new("respiratory-rate-sleep-summary", "respiratoryRateSleepSummary", RecordKind.Sample, HM, Read),
        new("daily-sleep-temperature-derivations", "dailySleepTemperatureDerivations", RecordKind.Daily, HM, Read),
        new("vo2-max", "vo2Max", RecordKind.Sample, AF, Read),
        new("daily-vo2-max", "dailyVo2Max", RecordKind.Daily, AF, Read),
        new("exercise", "exercise", RecordKind.Session, AF, Read | Ops.Get, Identifiable: true),
        new("sleep", "sleep", RecordKind.Session, Scopes.Sleep, Read | Ops.Get, Identifiable: true),
        // Known to Google but not generated for this person: valid, always empty.
        new("run-vo2-max", "runVo2Max", RecordKind.Sample, AF, Read | AllRollups, Generated: false),
        new("swim-lengths-data", "swimLengthsData", RecordKind.Interval, AF, Read | AllRollups, Generated: false),
        new("basal-energy-burned", "basalEnergyBurned", RecordKind.Interval, AF, Read, Generated: false),
        new("core-body-temperature", "coreBodyTemperature", RecordKind.Sample, HM, Read | Ops.Get | AllRollups, Identifiable: true, Generated: false),
        new("blood-glucose", "bloodGlucose", RecordKind.Sample, HM, Read | Ops.Get | AllRollups, Identifiable: true, Generated: false),
        new("hydration-log", "hydrationLog", RecordKind.Session, Scopes.Nutrition, Read | Ops.Get | AllRollups, Identifiable: true, Generated: false),
        new("nutrition-log", "nutritionLog", RecordKind.Session, Scopes.Nutrition, Read | Ops.Get | AllRollups, Identifiable: true, Generated: false),
        new("electrocardiogram", "electrocardiogram", RecordKind.Session, Scopes.Ecg, Read | Ops.Get, Identifiable: true, Generated: false),
    }.ToDictionary(t => t.Id, StringComparer.Ordinal);

    /// <summary>Scopes any one of which lets a token call the data-point read methods (Discovery).</summary>
    public static readonly string[] ReadMethodScopes =
        { Scopes.ActivityAndFitness, Scopes.HealthMetrics, Scopes.Location, Scopes.Sleep };

    /// <summary>Scopes any one of which allows users.getIdentity.</summary>
    public static readonly string[] IdentityScopes =
        { Scopes.ActivityAndFitness, Scopes.Ecg, Scopes.HealthMetrics, Scopes.Irn, Scopes.Profile, Scopes.Settings, Scopes.Sleep };
}
