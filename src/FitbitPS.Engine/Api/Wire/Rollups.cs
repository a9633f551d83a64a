using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Api.Wire
{
    /// <summary>RollUpDataPointsRequest (physical windows).</summary>
    internal sealed class RollUpDataPointsRequest
    {
        [JsonProperty("range")] public Interval Range { get; set; }
        [JsonProperty("windowSize"), JsonConverter(typeof(DurationConverter))] public TimeSpan WindowSize { get; set; }
        [JsonProperty("pageSize", NullValueHandling = NullValueHandling.Ignore)] public int? PageSize { get; set; }
        [JsonProperty("pageToken", NullValueHandling = NullValueHandling.Ignore)] public string PageToken { get; set; }
        [JsonProperty("dataSourceFamily", NullValueHandling = NullValueHandling.Ignore)] public string DataSourceFamily { get; set; }
    }

    /// <summary>Interval: closed-open physical range.</summary>
    internal sealed class Interval
    {
        [JsonProperty("startTime")] public string StartTime { get; set; }
        [JsonProperty("endTime")] public string EndTime { get; set; }
    }

    /// <summary>DailyRollUpDataPointsRequest (civil days; start aligned with the window).</summary>
    internal sealed class DailyRollUpDataPointsRequest
    {
        [JsonProperty("range")] public CivilTimeInterval Range { get; set; }
        [JsonProperty("windowSizeDays")] public int WindowSizeDays { get; set; } = 1;
        [JsonProperty("pageSize", NullValueHandling = NullValueHandling.Ignore)] public int? PageSize { get; set; }
        [JsonProperty("pageToken", NullValueHandling = NullValueHandling.Ignore)] public string PageToken { get; set; }
        [JsonProperty("dataSourceFamily", NullValueHandling = NullValueHandling.Ignore)] public string DataSourceFamily { get; set; }
    }

    internal sealed class CivilTimeInterval
    {
        [JsonProperty("start")] public CivilDateTime Start { get; set; }
        [JsonProperty("end")] public CivilDateTime End { get; set; }
    }

    /// <summary>RollUpDataPointsResponse and DailyRollUpDataPointsResponse (the latter has no
    /// nextPageToken in the v4 schema; we follow one if it ever appears).</summary>
    internal sealed class RollUpDataPointsResponse
    {
        [JsonProperty("rollupDataPoints")] public List<RollupDataPoint> RollupDataPoints { get; set; } = new List<RollupDataPoint>();
        [JsonProperty("nextPageToken")] public string NextPageToken { get; set; }
    }

    /// <summary>RollupDataPoint (startTime/endTime) and DailyRollupDataPoint (civilStartTime/civilEndTime)
    /// share one class: exactly one value member is present.</summary>
    internal sealed class RollupDataPoint
    {
        [JsonProperty("startTime")] public DateTimeOffset? StartTime { get; set; }
        [JsonProperty("endTime")] public DateTimeOffset? EndTime { get; set; }
        [JsonProperty("civilStartTime")] public CivilDateTime CivilStartTime { get; set; }
        [JsonProperty("civilEndTime")] public CivilDateTime CivilEndTime { get; set; }

        [JsonProperty("steps")] public CountSumRollupValue Steps { get; set; }
        [JsonProperty("floors")] public CountSumRollupValue Floors { get; set; }
        [JsonProperty("distance")] public DistanceRollupValue Distance { get; set; }
        [JsonProperty("totalCalories")] public KcalSumRollupValue TotalCalories { get; set; }
        [JsonProperty("activeEnergyBurned")] public KcalSumRollupValue ActiveEnergyBurned { get; set; }
        [JsonProperty("activeZoneMinutes")] public ActiveZoneMinutesRollupValue ActiveZoneMinutes { get; set; }
        [JsonProperty("activeMinutes")] public ActiveMinutesRollupValue ActiveMinutes { get; set; }
        [JsonProperty("activityLevel")] public ActivityLevelRollupValue ActivityLevel { get; set; }
        [JsonProperty("sedentaryPeriod")] public SedentaryPeriodRollupValue SedentaryPeriod { get; set; }
        [JsonProperty("heartRate")] public HeartRateRollupValue HeartRate { get; set; }
        [JsonProperty("weight")] public WeightRollupValue Weight { get; set; }

        /// <summary>Every other member (generic records read these).</summary>
        [JsonExtensionData] public IDictionary<string, JToken> Other { get; set; }
    }

    /// <summary>StepsRollupValue / FloorsRollupValue.</summary>
    internal sealed class CountSumRollupValue { [JsonProperty("countSum")] public long CountSum { get; set; } }

    internal sealed class DistanceRollupValue { [JsonProperty("millimetersSum")] public long MillimetersSum { get; set; } }

    /// <summary>TotalCaloriesRollupValue / ActiveEnergyBurnedRollupValue.</summary>
    internal sealed class KcalSumRollupValue { [JsonProperty("kcalSum")] public double KcalSum { get; set; } }

    internal sealed class ActiveZoneMinutesRollupValue
    {
        [JsonProperty("sumInFatBurnHeartZone")] public long SumInFatBurnHeartZone { get; set; }
        [JsonProperty("sumInCardioHeartZone")] public long SumInCardioHeartZone { get; set; }
        [JsonProperty("sumInPeakHeartZone")] public long SumInPeakHeartZone { get; set; }
    }

    internal sealed class ActiveMinutesRollupValue
    {
        [JsonProperty("activeMinutesRollupByActivityLevel")] public List<ActiveMinutesRollupByActivityLevel> ActiveMinutesRollupByActivityLevel { get; set; }
    }

    internal sealed class ActiveMinutesRollupByActivityLevel
    {
        /// <summary>LIGHT | MODERATE | VIGOROUS.</summary>
        [JsonProperty("activityLevel")] public string ActivityLevel { get; set; }
        [JsonProperty("activeMinutesSum")] public long ActiveMinutesSum { get; set; }
    }

    internal sealed class ActivityLevelRollupValue
    {
        [JsonProperty("activityLevelRollupsByActivityLevelType")] public List<ActivityLevelRollupByActivityLevelType> ActivityLevelRollupsByActivityLevelType { get; set; }
    }

    internal sealed class ActivityLevelRollupByActivityLevelType
    {
        /// <summary>SEDENTARY | LIGHTLY_ACTIVE | MODERATELY_ACTIVE | VERY_ACTIVE.</summary>
        [JsonProperty("activityLevelType")] public string ActivityLevelType { get; set; }
        [JsonProperty("totalDuration"), JsonConverter(typeof(DurationConverter))] public TimeSpan TotalDuration { get; set; }
    }

    internal sealed class SedentaryPeriodRollupValue
    {
        [JsonProperty("durationSum"), JsonConverter(typeof(DurationConverter))] public TimeSpan DurationSum { get; set; }
    }

    internal sealed class HeartRateRollupValue
    {
        [JsonProperty("beatsPerMinuteMin")] public double? BeatsPerMinuteMin { get; set; }
        [JsonProperty("beatsPerMinuteAvg")] public double? BeatsPerMinuteAvg { get; set; }
        [JsonProperty("beatsPerMinuteMax")] public double? BeatsPerMinuteMax { get; set; }
    }

    internal sealed class WeightRollupValue { [JsonProperty("weightGramsAvg")] public double WeightGramsAvg { get; set; } }
}
