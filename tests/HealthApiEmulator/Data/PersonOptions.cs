namespace HealthApiEmulator.Data;

/// <summary>Who the synthetic person is. (Owned by the Health/data side.)</summary>
public sealed class PersonOptions
{
    /// <summary>Home IANA time zone (observes DST).</summary>
    public string TimeZone { get; set; } = "America/New_York";
}
