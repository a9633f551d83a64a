namespace HealthApiEmulator.Data;

/// <summary>Who the synthetic person is. (Owned by the Health/data side.)</summary>
public sealed class PersonOptions
{
    /// <summary>Home IANA time zone (observes DST).</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>The Google Health user id (the {user} segment in names returned by list).</summary>
    public string HealthUserId { get; set; } = "7310245896321457098";

    /// <summary>The legacy Fitbit encoded user id (Identity.legacyUserId).</summary>
    public string LegacyUserId { get; set; } = "B7XK2Q";

    /// <summary>False: the Google account has no Google Health/Fitbit profile, and every /v4 call
    /// answers 400 FAILED_PRECONDITION reason ACCOUNT_NOT_LINKED.</summary>
    public bool AccountLinked { get; set; } = true;
}
