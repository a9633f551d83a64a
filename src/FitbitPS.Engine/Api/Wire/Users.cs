using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Api.Wire
{
    /// <summary>users.getIdentity.</summary>
    internal sealed class Identity
    {
        [JsonProperty("name")] public string Name { get; set; }
        [JsonProperty("legacyUserId")] public string LegacyUserId { get; set; }
        [JsonProperty("healthUserId")] public string HealthUserId { get; set; }
    }

    /// <summary>users.getProfile.</summary>
    internal sealed class Profile
    {
        [JsonProperty("name")] public string Name { get; set; }
        [JsonProperty("age")] public int? Age { get; set; }
        [JsonProperty("membershipStartDate")] public GoogleDate MembershipStartDate { get; set; }
        [JsonProperty("userConfiguredWalkingStrideLengthMm")] public int? UserConfiguredWalkingStrideLengthMm { get; set; }
        [JsonProperty("userConfiguredRunningStrideLengthMm")] public int? UserConfiguredRunningStrideLengthMm { get; set; }
        [JsonProperty("autoWalkingStrideLengthMm")] public int? AutoWalkingStrideLengthMm { get; set; }
        [JsonProperty("autoRunningStrideLengthMm")] public int? AutoRunningStrideLengthMm { get; set; }
    }

    /// <summary>users.getSettings. Values from the API are always metric; units here are display prefs.</summary>
    internal sealed class Settings
    {
        [JsonProperty("name")] public string Name { get; set; }
        [JsonProperty("timeZone")] public string TimeZone { get; set; }
        [JsonProperty("utcOffset"), JsonConverter(typeof(DurationConverter))] public System.TimeSpan? UtcOffset { get; set; }
        [JsonProperty("distanceUnit")] public string DistanceUnit { get; set; }
        [JsonProperty("weightUnit")] public string WeightUnit { get; set; }
        [JsonProperty("heightUnit")] public string HeightUnit { get; set; }
        [JsonProperty("temperatureUnit")] public string TemperatureUnit { get; set; }
        [JsonProperty("languageLocale")] public string LanguageLocale { get; set; }
        [JsonProperty("autoStrideEnabled")] public bool? AutoStrideEnabled { get; set; }
    }

    /// <summary>google.rpc.Status inside {"error":…} (AIP-193).</summary>
    internal sealed class ErrorEnvelope
    {
        [JsonProperty("error")] public Status Error { get; set; }
    }

    internal sealed class Status
    {
        [JsonProperty("code")] public int Code { get; set; }
        [JsonProperty("message")] public string Message { get; set; }
        [JsonProperty("status")] public string StatusName { get; set; }
        [JsonProperty("details")] public List<JObject> Details { get; set; }
    }
}
