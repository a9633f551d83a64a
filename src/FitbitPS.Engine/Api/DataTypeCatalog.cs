using System;
using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.Api
{
    /// <summary>How a data type's points are placed in time (decides its filter field).</summary>
    public enum DataTypeKind { Sample, Interval, Session, Daily, RollupOnly, Other }

    [Flags]
    public enum DataTypeMethods { None = 0, List = 1, Reconcile = 2, RollUp = 4, DailyRollUp = 8 }

    /// <summary>The Google Health read scopes (each <c>…/auth/googlehealth.&lt;name&gt;.readonly</c>).</summary>
    public enum HealthScope { ActivityAndFitness, HealthMetricsAndMeasurements, Sleep, Nutrition, Ecg, Irn, Location, Profile, Settings }

    /// <summary>One Google Health data type: path id, JSON member, methods, page and range limits.</summary>
    public sealed class DataTypeInfo
    {
        public DataTypeInfo(string id, string member, DataTypeKind kind, DataTypeMethods methods, int maxPageSize, int rollUpRangeLimitDays, HealthScope scope)
        {
            Id = id; Member = member; Kind = kind; Methods = methods; MaxPageSize = maxPageSize;
            RollUpRangeLimitDays = rollUpRangeLimitDays; Scope = scope;
        }

        /// <summary>kebab-case path id: "heart-rate".</summary>
        public string Id { get; }
        /// <summary>lowerCamel JSON member: "heartRate".</summary>
        public string Member { get; }
        /// <summary>snake_case name used in filters: "heart_rate".</summary>
        public string FilterName => Id.Replace('-', '_');
        public DataTypeKind Kind { get; }
        public DataTypeMethods Methods { get; }
        /// <summary>Largest pageSize list/reconcile honour (10000; sleep and exercise 25).</summary>
        public int MaxPageSize { get; }
        /// <summary>Largest range one rollUp/dailyRollUp request may cover (14 or 90 days).</summary>
        public int RollUpRangeLimitDays { get; }
        public HealthScope Scope { get; }

        public bool Supports(DataTypeMethods method) => (Methods & method) == method;

        /// <summary>
        /// False where a civil-time filter cannot be trusted: a heart-rate filter on sample_time.civil_time is
        /// accepted by Google and returns no points at all (google-health-live-evidence.md §0, §1); such a type
        /// is filtered on physical time, with the day bounds from the person's own time zone.
        /// </summary>
        public bool CivilFilterWorks => Id != "heart-rate";

        /// <summary>False for types Google offers no filterable member for (respiratory-rate-sleep-summary, §1.3):
        /// they are listed unfiltered, newest first, and the range is cut on our side.</summary>
        public bool Filterable => Id != "respiratory-rate-sleep-summary";

        /// <summary>The most points one list page can hold: Google stops dense types at 5,000 whatever pageSize
        /// asks (§0.4, §1.2), sleep and exercise at 25; 10,000 otherwise (the documented maximum).</summary>
        public int ServedPageSize => Id == "heart-rate" || Id == "active-energy-burned" ? Math.Min(MaxPageSize, 5000) : MaxPageSize;

        /// <summary>The physical-time filter field of a sample or interval type (null for the others).</summary>
        public string PhysicalFilterField
        {
            get
            {
                switch (Kind)
                {
                    case DataTypeKind.Sample: return FilterName + ".sample_time.physical_time";
                    case DataTypeKind.Interval: return FilterName + ".interval.start_time";
                    default: return null;
                }
            }
        }

        /// <summary>AIP-160 filter for the physical instants [from, to): RFC 3339 in UTC.</summary>
        public string PhysicalFilter(DateTimeOffset from, DateTimeOffset to)
        {
            var field = PhysicalFilterField;
            if (field == null) return null;
            return $"{field} >= \"{Rfc3339(from)}\" AND {field} < \"{Rfc3339(to)}\"";
        }

        internal static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The civil-time filter field for this type: Google converts our calendar days with
        /// the person's own offsets (DST, trips), so no zone math happens on our side.</summary>
        public string CivilFilterField
        {
            get
            {
                switch (Kind)
                {
                    case DataTypeKind.Sample: return FilterName + ".sample_time.civil_time";
                    case DataTypeKind.Daily: return FilterName + ".date";
                    case DataTypeKind.Session when Id == "sleep": return "sleep.interval.civil_end_time";
                    case DataTypeKind.Interval:
                    case DataTypeKind.Session: return FilterName + ".interval.civil_start_time";
                    default: return null;
                }
            }
        }

        /// <summary>AIP-160 filter for calendar days [from, toInclusive]: half-open, civil.</summary>
        public string CivilFilter(DateTime from, DateTime toInclusive)
        {
            var field = CivilFilterField;
            if (field == null) return null;
            return $"{field} >= \"{from:yyyy-MM-dd}\" AND {field} < \"{toInclusive.AddDays(1):yyyy-MM-dd}\"";
        }

        public override string ToString() => Id;
    }

    /// <summary>Every data type of the discovery document (health:v4 rev 20260805), generated from
    /// DataPoint, ReconciledDataPoint, RollupDataPoint and DailyRollupDataPoint.</summary>
    public static class DataTypeCatalog
    {
        public static readonly IReadOnlyList<DataTypeInfo> All = new[]
        {
            new DataTypeInfo("active-energy-burned", "activeEnergyBurned", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("active-minutes", "activeMinutes", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 14, HealthScope.ActivityAndFitness),
            new DataTypeInfo("active-zone-minutes", "activeZoneMinutes", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("activity-level", "activityLevel", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("altitude", "altitude", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("basal-energy-burned", "basalEnergyBurned", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("blood-glucose", "bloodGlucose", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("body-fat", "bodyFat", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("calories-in-heart-rate-zone", "caloriesInHeartRateZone", DataTypeKind.RollupOnly, DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 14, HealthScope.ActivityAndFitness),
            new DataTypeInfo("core-body-temperature", "coreBodyTemperature", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-heart-rate-variability", "dailyHeartRateVariability", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-heart-rate-zones", "dailyHeartRateZones", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-oxygen-saturation", "dailyOxygenSaturation", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-respiratory-rate", "dailyRespiratoryRate", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-resting-heart-rate", "dailyRestingHeartRate", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-sleep-temperature-derivations", "dailySleepTemperatureDerivations", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("daily-vo2-max", "dailyVo2Max", DataTypeKind.Daily, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("distance", "distance", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("electrocardiogram", "electrocardiogram", DataTypeKind.Session, DataTypeMethods.List, 10000, 90, HealthScope.Ecg),
            new DataTypeInfo("exercise", "exercise", DataTypeKind.Session, DataTypeMethods.List | DataTypeMethods.Reconcile, 25, 90, HealthScope.ActivityAndFitness),
            // Live: "List is not supported for data type floors" (google-health-live-evidence.md §0.2, §1.4).
            new DataTypeInfo("floors", "floors", DataTypeKind.Interval, DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("food", "food", DataTypeKind.Other, DataTypeMethods.List, 10000, 90, HealthScope.Nutrition),
            new DataTypeInfo("food-measurement-unit", "foodMeasurementUnit", DataTypeKind.Other, DataTypeMethods.List, 10000, 90, HealthScope.Nutrition),
            new DataTypeInfo("heart-rate", "heartRate", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 14, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("heart-rate-variability", "heartRateVariability", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("height", "height", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("hydration-log", "hydrationLog", DataTypeKind.Session, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.Nutrition),
            new DataTypeInfo("irregular-rhythm-notification", "irregularRhythmNotification", DataTypeKind.Session, DataTypeMethods.List, 10000, 90, HealthScope.Irn),
            new DataTypeInfo("menstrual-period", "menstrualPeriod", DataTypeKind.Interval, DataTypeMethods.List, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("moods", "moods", DataTypeKind.Sample, DataTypeMethods.List, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("nutrition-log", "nutritionLog", DataTypeKind.Session, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.Nutrition),
            new DataTypeInfo("ovulation-test", "ovulationTest", DataTypeKind.Sample, DataTypeMethods.List, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("oxygen-saturation", "oxygenSaturation", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("respiratory-rate-sleep-summary", "respiratoryRateSleepSummary", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("run-vo2-max", "runVo2Max", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("sedentary-period", "sedentaryPeriod", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("sleep", "sleep", DataTypeKind.Session, DataTypeMethods.List | DataTypeMethods.Reconcile, 25, 90, HealthScope.Sleep),
            new DataTypeInfo("steps", "steps", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("swim-lengths-data", "swimLengthsData", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("symptoms", "symptoms", DataTypeKind.Sample, DataTypeMethods.List, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
            new DataTypeInfo("time-in-heart-rate-zone", "timeInHeartRateZone", DataTypeKind.Interval, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("total-calories", "totalCalories", DataTypeKind.RollupOnly, DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 14, HealthScope.ActivityAndFitness),
            new DataTypeInfo("vo2-max", "vo2Max", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile, 10000, 90, HealthScope.ActivityAndFitness),
            new DataTypeInfo("weight", "weight", DataTypeKind.Sample, DataTypeMethods.List | DataTypeMethods.Reconcile | DataTypeMethods.RollUp | DataTypeMethods.DailyRollUp, 10000, 90, HealthScope.HealthMetricsAndMeasurements),
        };

        private static readonly Dictionary<string, DataTypeInfo> ById = All.ToDictionary(t => t.Id, StringComparer.OrdinalIgnoreCase);
        private static readonly Dictionary<string, DataTypeInfo> ByMember = All.ToDictionary(t => t.Member, StringComparer.OrdinalIgnoreCase);

        /// <summary>Finds a type by path id ("heart-rate"), member ("heartRate") or filter name ("heart_rate").</summary>
        public static DataTypeInfo Find(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            name = name.Trim();
            if (ById.TryGetValue(name, out var t) || ByMember.TryGetValue(name, out t) || ById.TryGetValue(name.Replace('_', '-'), out t)) return t;
            return null;
        }

        public static DataTypeInfo Get(string name)
            => Find(name) ?? throw new Core.FitbitInputException(Core.FitbitInputException.UnknownDataType,
                $"'{name}' is not a Google Health data type.", name,
                $"Use one of: {string.Join(", ", All.Select(x => x.Id))} (Tab completes them after Get-FitbitData).");

        public static readonly DataTypeInfo Weight = Get("weight"), BodyFat = Get("body-fat"), Height = Get("height"),
            Steps = Get("steps"), Distance = Get("distance"), Floors = Get("floors"), TotalCalories = Get("total-calories"),
            ActiveEnergyBurned = Get("active-energy-burned"), ActiveZoneMinutes = Get("active-zone-minutes"),
            ActiveMinutes = Get("active-minutes"), ActivityLevel = Get("activity-level"), SedentaryPeriod = Get("sedentary-period"),
            HeartRate = Get("heart-rate"), DailyRestingHeartRate = Get("daily-resting-heart-rate"),
            DailyHeartRateVariability = Get("daily-heart-rate-variability"), DailyOxygenSaturation = Get("daily-oxygen-saturation"),
            DailyRespiratoryRate = Get("daily-respiratory-rate"), DailySleepTemperatureDerivations = Get("daily-sleep-temperature-derivations"),
            DailyVo2Max = Get("daily-vo2-max"), Sleep = Get("sleep"), Exercise = Get("exercise");

        /// <summary>The full scope URL for a scope family.</summary>
        public static string ScopeUrl(HealthScope scope)
        {
            string name;
            switch (scope)
            {
                case HealthScope.ActivityAndFitness: name = "activity_and_fitness"; break;
                case HealthScope.HealthMetricsAndMeasurements: name = "health_metrics_and_measurements"; break;
                case HealthScope.Sleep: name = "sleep"; break;
                case HealthScope.Nutrition: name = "nutrition"; break;
                case HealthScope.Ecg: name = "ecg"; break;
                case HealthScope.Irn: name = "irn"; break;
                case HealthScope.Location: name = "location"; break;
                case HealthScope.Profile: name = "profile"; break;
                default: name = "settings"; break;
            }
            return "https://www.googleapis.com/auth/googlehealth." + name + ".readonly";
        }
    }
}
