using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Api.Wire
{
    /// <summary>DataPoint (list) or ReconciledDataPoint (reconcile): an envelope with exactly one
    /// data member. Parsed by <see cref="DataPointReader"/>; members this client maps to records are
    /// typed, any other member is kept as <see cref="Other"/> for the generic reader.</summary>
    internal sealed class DataPoint
    {
        /// <summary>"name" in list; reconcile calls the same field "dataPointName".</summary>
        [JsonProperty("name")] public string Name { get; set; }
        [JsonProperty("dataSource")] public DataSource DataSource { get; set; }

        /// <summary>The JSON name of the data member present ("heartRate", "weight", …).</summary>
        public string Member { get; set; }

        [JsonProperty("weight")] public Weight Weight { get; set; }
        [JsonProperty("bodyFat")] public BodyFat BodyFat { get; set; }
        [JsonProperty("height")] public Height Height { get; set; }
        [JsonProperty("heartRate")] public HeartRate HeartRate { get; set; }
        [JsonProperty("steps")] public Steps Steps { get; set; }
        [JsonProperty("distance")] public Distance Distance { get; set; }
        [JsonProperty("dailyRestingHeartRate")] public DailyRestingHeartRate DailyRestingHeartRate { get; set; }
        [JsonProperty("dailyHeartRateVariability")] public DailyHeartRateVariability DailyHeartRateVariability { get; set; }
        [JsonProperty("dailyOxygenSaturation")] public DailyOxygenSaturation DailyOxygenSaturation { get; set; }
        [JsonProperty("dailyRespiratoryRate")] public DailyRespiratoryRate DailyRespiratoryRate { get; set; }
        [JsonProperty("dailySleepTemperatureDerivations")] public DailySleepTemperatureDerivations DailySleepTemperatureDerivations { get; set; }
        [JsonProperty("dailyVo2Max")] public DailyVO2Max DailyVo2Max { get; set; }
        [JsonProperty("sleep")] public Sleep Sleep { get; set; }
        [JsonProperty("exercise")] public Exercise Exercise { get; set; }

        /// <summary>Any other member, as JSON (generic records).</summary>
        public JObject Other { get; set; }
    }

    internal sealed class Weight
    {
        [JsonProperty("sampleTime")] public ObservationSampleTime SampleTime { get; set; }
        [JsonProperty("weightGrams")] public double WeightGrams { get; set; }
        [JsonProperty("notes")] public string Notes { get; set; }
    }

    internal sealed class BodyFat
    {
        [JsonProperty("sampleTime")] public ObservationSampleTime SampleTime { get; set; }
        [JsonProperty("percentage")] public double Percentage { get; set; }
    }

    internal sealed class Height
    {
        [JsonProperty("sampleTime")] public ObservationSampleTime SampleTime { get; set; }
        [JsonProperty("heightMillimeters")] public long HeightMillimeters { get; set; }
    }

    internal sealed class HeartRate
    {
        [JsonProperty("sampleTime")] public ObservationSampleTime SampleTime { get; set; }
        [JsonProperty("beatsPerMinute")] public long BeatsPerMinute { get; set; }
        [JsonProperty("metadata")] public HeartRateMetadata Metadata { get; set; }
    }

    internal sealed class HeartRateMetadata
    {
        [JsonProperty("motionContext")] public string MotionContext { get; set; }
        [JsonProperty("sensorLocation")] public string SensorLocation { get; set; }
    }

    internal sealed class Steps
    {
        [JsonProperty("interval")] public ObservationTimeInterval Interval { get; set; }
        [JsonProperty("count")] public long Count { get; set; }
    }

    internal sealed class Distance
    {
        [JsonProperty("interval")] public ObservationTimeInterval Interval { get; set; }
        [JsonProperty("millimeters")] public long Millimeters { get; set; }
    }

    internal sealed class DailyRestingHeartRate
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("beatsPerMinute")] public long BeatsPerMinute { get; set; }
        [JsonProperty("dailyRestingHeartRateMetadata")] public DailyRestingHeartRateMetadata DailyRestingHeartRateMetadata { get; set; }
    }

    internal sealed class DailyRestingHeartRateMetadata
    {
        [JsonProperty("calculationMethod")] public string CalculationMethod { get; set; }
    }

    internal sealed class DailyHeartRateVariability
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("averageHeartRateVariabilityMilliseconds")] public double? AverageHeartRateVariabilityMilliseconds { get; set; }
        [JsonProperty("deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds")] public double? DeepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds { get; set; }
        [JsonProperty("entropy")] public double? Entropy { get; set; }
        [JsonProperty("nonRemHeartRateBeatsPerMinute")] public long? NonRemHeartRateBeatsPerMinute { get; set; }
    }

    internal sealed class DailyOxygenSaturation
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("averagePercentage")] public double? AveragePercentage { get; set; }
        [JsonProperty("lowerBoundPercentage")] public double? LowerBoundPercentage { get; set; }
        [JsonProperty("upperBoundPercentage")] public double? UpperBoundPercentage { get; set; }
        [JsonProperty("standardDeviationPercentage")] public double? StandardDeviationPercentage { get; set; }
    }

    internal sealed class DailyRespiratoryRate
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("breathsPerMinute")] public double? BreathsPerMinute { get; set; }
    }

    internal sealed class DailySleepTemperatureDerivations
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("nightlyTemperatureCelsius")] public double? NightlyTemperatureCelsius { get; set; }
        [JsonProperty("baselineTemperatureCelsius")] public double? BaselineTemperatureCelsius { get; set; }
        [JsonProperty("relativeNightlyStddev30dCelsius")] public double? RelativeNightlyStddev30dCelsius { get; set; }
    }

    internal sealed class DailyVO2Max
    {
        [JsonProperty("date")] public GoogleDate Date { get; set; }
        [JsonProperty("vo2Max")] public double? Vo2Max { get; set; }
        [JsonProperty("estimated")] public bool? Estimated { get; set; }
        [JsonProperty("cardioFitnessLevel")] public string CardioFitnessLevel { get; set; }
        [JsonProperty("vo2MaxCovariance")] public double? Vo2MaxCovariance { get; set; }
    }

    internal sealed class Sleep
    {
        [JsonProperty("interval")] public ObservationTimeInterval Interval { get; set; }
        /// <summary>CLASSIC | STAGES.</summary>
        [JsonProperty("type")] public string Type { get; set; }
        [JsonProperty("stages")] public List<SleepStage> Stages { get; set; }
        [JsonProperty("shortAwakenings")] public List<SleepStage> ShortAwakenings { get; set; }
        [JsonProperty("metadata")] public SleepMetadata Metadata { get; set; }
        [JsonProperty("summary")] public SleepSummary Summary { get; set; }
        [JsonProperty("createTime")] public DateTimeOffset? CreateTime { get; set; }
        [JsonProperty("updateTime")] public DateTimeOffset? UpdateTime { get; set; }
    }

    internal sealed class SleepStage
    {
        [JsonProperty("startTime")] public DateTimeOffset StartTime { get; set; }
        [JsonProperty("startUtcOffset"), JsonConverter(typeof(DurationConverter))] public TimeSpan StartUtcOffset { get; set; }
        [JsonProperty("endTime")] public DateTimeOffset EndTime { get; set; }
        [JsonProperty("endUtcOffset"), JsonConverter(typeof(DurationConverter))] public TimeSpan EndUtcOffset { get; set; }
        /// <summary>AWAKE, LIGHT, DEEP, REM, ASLEEP, RESTLESS.</summary>
        [JsonProperty("type")] public string Type { get; set; }
    }

    internal sealed class SleepMetadata
    {
        [JsonProperty("stagesStatus")] public string StagesStatus { get; set; }
        [JsonProperty("processed")] public bool? Processed { get; set; }
        [JsonProperty("nap")] public bool? Nap { get; set; }
        [JsonProperty("manuallyEdited")] public bool? ManuallyEdited { get; set; }
        [JsonProperty("externalId")] public string ExternalId { get; set; }
        [JsonProperty("mainSleep")] public bool? MainSleep { get; set; }
    }

    internal sealed class SleepSummary
    {
        [JsonProperty("minutesInSleepPeriod")] public long? MinutesInSleepPeriod { get; set; }
        [JsonProperty("minutesAfterWakeUp")] public long? MinutesAfterWakeUp { get; set; }
        [JsonProperty("minutesToFallAsleep")] public long? MinutesToFallAsleep { get; set; }
        [JsonProperty("minutesAsleep")] public long? MinutesAsleep { get; set; }
        [JsonProperty("minutesAwake")] public long? MinutesAwake { get; set; }
        [JsonProperty("stagesSummary")] public List<StageSummary> StagesSummary { get; set; }
    }

    internal sealed class StageSummary
    {
        [JsonProperty("type")] public string Type { get; set; }
        [JsonProperty("minutes")] public long Minutes { get; set; }
        [JsonProperty("count")] public long Count { get; set; }
    }

    internal sealed class Exercise
    {
        [JsonProperty("interval")] public ObservationTimeInterval Interval { get; set; }
        [JsonProperty("exerciseType")] public string ExerciseType { get; set; }
        [JsonProperty("displayName")] public string DisplayName { get; set; }
        [JsonProperty("activeDuration"), JsonConverter(typeof(DurationConverter))] public TimeSpan? ActiveDuration { get; set; }
        [JsonProperty("notes")] public string Notes { get; set; }
        [JsonProperty("metricsSummary")] public MetricsSummary MetricsSummary { get; set; }
    }

    internal sealed class MetricsSummary
    {
        [JsonProperty("caloriesKcal")] public double? CaloriesKcal { get; set; }
        [JsonProperty("distanceMillimeters")] public double? DistanceMillimeters { get; set; }
        [JsonProperty("steps")] public long? Steps { get; set; }
        [JsonProperty("averageHeartRateBeatsPerMinute")] public long? AverageHeartRateBeatsPerMinute { get; set; }
        [JsonProperty("averageSpeedMillimetersPerSecond")] public double? AverageSpeedMillimetersPerSecond { get; set; }
        [JsonProperty("elevationGainMillimeters")] public double? ElevationGainMillimeters { get; set; }
        [JsonProperty("activeZoneMinutes")] public long? ActiveZoneMinutes { get; set; }
    }
}
