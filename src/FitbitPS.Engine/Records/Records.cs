using System;

// Records are what a person sees: flat, Export-Csv friendly (numbers as numbers, dates as DateTime,
// times as DateTimeOffset with the offset the person had then, no nested collections), named for
// what people call the thing, units in the property names, metric and imperial side by side.
// Date is always the person's own calendar day, taken from Google's civil fields.
namespace FitbitPS.Engine.Records
{
    /// <summary>One weigh-in.</summary>
    public sealed class BodyWeight
    {
        public DateTime Date { get; set; }
        public DateTimeOffset LocalTime { get; set; }
        public double WeightKg { get; set; }
        public double WeightLb { get; set; }
        /// <summary>Body fat logged by the same weigh-in (same moment), else empty.</summary>
        public double? BodyFatPercent { get; set; }
        /// <summary>From the latest height on record.</summary>
        public double? Bmi { get; set; }
        /// <summary>Manual, the scale's or app's name, the device…</summary>
        public string Source { get; set; }
    }

    /// <summary>One day of activity (daily roll-ups: every source merged, no double counting).</summary>
    public sealed class ActivityDay
    {
        // Each value comes from its own data type's roll-up; null when that type has nothing for the day or could
        // not be read (the error names it), never a made-up 0.
        public DateTime Date { get; set; }
        public long? Steps { get; set; }
        public double? DistanceKm { get; set; }
        public double? DistanceMiles { get; set; }
        public long? Floors { get; set; }
        public double? CaloriesTotal { get; set; }
        public double? CaloriesActive { get; set; }
        public long? AzmFatBurn { get; set; }
        public long? AzmCardio { get; set; }
        public long? AzmPeak { get; set; }
        public long? AzmTotal { get; set; }
        public double? SedentaryMinutes { get; set; }
        public double? LightMinutes { get; set; }
        public double? ModerateMinutes { get; set; }
        public double? VigorousMinutes { get; set; }
    }

    /// <summary>One intraday window of activity (Hour, FifteenMinutes or Minute); a value is null when its data
    /// type has nothing for the window or could not be read.</summary>
    public sealed class ActivityInterval
    {
        public DateTime Date { get; set; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        public long? Steps { get; set; }
        public double? DistanceKm { get; set; }
        public double? DistanceMiles { get; set; }
        public long? Floors { get; set; }
        public double? CaloriesTotal { get; set; }
    }

    /// <summary>Intraday window sizes.</summary>
    public enum IntradayInterval { Minute, FifteenMinutes, Hour }

    /// <summary>One sleep, dated by the day the person woke up (Fitbit's convention).</summary>
    public sealed class SleepSession
    {
        public DateTime Date { get; set; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        public long MinutesAsleep { get; set; }
        public long MinutesAwake { get; set; }
        public long MinutesToFallAsleep { get; set; }
        public long MinutesAfterWakeUp { get; set; }
        public long TimeInBedMinutes { get; set; }
        public bool IsMainSleep { get; set; }
        /// <summary>Stages or Classic.</summary>
        public string Type { get; set; }
        public long DeepMinutes { get; set; }
        public long LightMinutes { get; set; }
        public long RemMinutes { get; set; }
        public long WakeMinutes { get; set; }
        /// <summary>Classic sleep only.</summary>
        public long AsleepMinutes { get; set; }
        /// <summary>Classic sleep only.</summary>
        public long RestlessMinutes { get; set; }
        public string Source { get; set; }
    }

    /// <summary>One segment of a sleep (for charts).</summary>
    public sealed class SleepStage
    {
        /// <summary>Wake day of the sleep this segment belongs to.</summary>
        public DateTime Date { get; set; }
        public DateTimeOffset SleepStart { get; set; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        /// <summary>Deep, Light, Rem, Wake, Asleep, Restless.</summary>
        public string Stage { get; set; }
        public double Minutes { get; set; }
    }

    public sealed class RestingHeartRate
    {
        public DateTime Date { get; set; }
        public long BeatsPerMinute { get; set; }
        /// <summary>WithSleep or OnlyWithAwakeData.</summary>
        public string CalculationMethod { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Heart rate over one window (roll-up: min/avg/max).</summary>
    public sealed class HeartRateInterval
    {
        public DateTime Date { get; set; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        public double? MinBpm { get; set; }
        public double? AverageBpm { get; set; }
        public double? MaxBpm { get; set; }
    }

    /// <summary>One raw heart-rate reading.</summary>
    public sealed class HeartRateSample
    {
        public DateTime Date { get; set; }
        public DateTimeOffset Time { get; set; }
        public int BeatsPerMinute { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Daily heart-rate variability (measured during sleep).</summary>
    public sealed class HeartRateVariability
    {
        public DateTime Date { get; set; }
        /// <summary>RMSSD averaged over the night.</summary>
        public double? RmssdMilliseconds { get; set; }
        public double? DeepSleepRmssdMilliseconds { get; set; }
        public double? Entropy { get; set; }
        public long? NonRemHeartRateBpm { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Daily SpO2.</summary>
    public sealed class OxygenSaturation
    {
        public DateTime Date { get; set; }
        public double? AveragePercent { get; set; }
        public double? LowerBoundPercent { get; set; }
        public double? UpperBoundPercent { get; set; }
        public double? StandardDeviationPercent { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Daily breathing (respiratory) rate during sleep.</summary>
    public sealed class BreathingRate
    {
        public DateTime Date { get; set; }
        public double? BreathsPerMinute { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Nightly skin temperature and its variation from the personal baseline.</summary>
    public sealed class SkinTemperature
    {
        public DateTime Date { get; set; }
        public double? NightlyCelsius { get; set; }
        public double? BaselineCelsius { get; set; }
        /// <summary>Nightly minus baseline (what the Fitbit app shows as "variation"), 2 decimals.</summary>
        public double? VariationCelsius { get; set; }
        public double? Stddev30DayCelsius { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Daily cardio fitness (VO2 max, ml/kg/min).</summary>
    public sealed class CardioFitness
    {
        public DateTime Date { get; set; }
        public double? Vo2Max { get; set; }
        /// <summary>Poor … Excellent.</summary>
        public string Level { get; set; }
        public bool? Estimated { get; set; }
        public string Source { get; set; }
    }

    /// <summary>One exercise (run, walk, ride…).</summary>
    public sealed class Exercise
    {
        public DateTime Date { get; set; }
        public string Type { get; set; }
        public string Name { get; set; }
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset End { get; set; }
        public double DurationMinutes { get; set; }
        public double? DistanceKm { get; set; }
        public double? DistanceMiles { get; set; }
        public double? Calories { get; set; }
        public long? AverageHeartRate { get; set; }
        public long? Steps { get; set; }
        public string Source { get; set; }
    }

    /// <summary>Any data type, flat: the first numeric value in Value, every value in Values.</summary>
    public sealed class HealthDataPoint
    {
        public string Type { get; set; }
        public DateTime? Date { get; set; }
        public DateTimeOffset? Start { get; set; }
        public DateTimeOffset? End { get; set; }
        public double? Value { get; set; }
        /// <summary>"field=value; field=value" (every leaf of the point except times).</summary>
        public string Values { get; set; }
        public string Source { get; set; }
    }
}
