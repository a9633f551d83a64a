namespace HealthApiEmulator.Data;

/// <summary>Who the synthetic person is. (Owned by the Health/data side.)</summary>
public sealed class PersonOptions
{
    /// <summary>Home IANA time zone (observes DST).</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Journeys away from home. Civil days Start..End (inclusive) are lived in the trip's zone:
    /// the day before departure ends at the trip zone's midnight (an evening flight east), the last
    /// trip day lasts until home midnight (so some civil hours repeat on the way back). Default: every year Mar 20 – Apr 3 in Europe/Berlin, so both
    /// the US (2nd Sunday of March) and the EU (last Sunday of March) DST changes are exercised.</summary>
    public List<Trip> Trips { get; set; } = new() { new Trip(new DateOnly(2021, 3, 20), new DateOnly(2021, 4, 3), "Europe/Berlin", EveryYear: true) };

    /// <summary>First day with data (profile membershipStartDate). No data exists before it.</summary>
    public DateOnly MembershipStart { get; set; } = new(2021, 6, 1);

    /// <summary>Used for profile.age and heart-rate zones (220 − age).</summary>
    public DateOnly BirthDate { get; set; } = new(1989, 7, 14);

    public int HeightMillimeters { get; set; } = 1780;

    /// <summary>Weight at <see cref="MembershipStart"/>; then a linear trend plus a seasonal swing and noise.</summary>
    public double WeightKgAtStart { get; set; } = 86.0;

    public double WeightTrendKgPerYear { get; set; } = -0.6;

    /// <summary>Data newer than now − SyncLag has not reached the server yet (the watch hasn't synced).</summary>
    public TimeSpan SyncLag { get; set; } = TimeSpan.Zero;

    /// <summary>The Google Health user id (the {user} segment in names returned by list).</summary>
    public string HealthUserId { get; set; } = "7310245896321457098";

    /// <summary>The legacy Fitbit encoded user id (Identity.legacyUserId).</summary>
    public string LegacyUserId { get; set; } = "B7XK2Q";

    /// <summary>False: the Google account has no Google Health/Fitbit profile, and every /v4 call
    /// answers 400 FAILED_PRECONDITION reason ACCOUNT_NOT_LINKED.</summary>
    public bool AccountLinked { get; set; } = true;

    /// <summary>Display name of the watch in dataSource.device.displayName.</summary>
    public string WatchName { get; set; } = "Pixel Watch 3";

    public string PhoneName { get; set; } = "Pixel 9";
}

/// <summary>A stay in another time zone; <paramref name="End"/> is the last civil day away (inclusive).
/// With <paramref name="EveryYear"/> the same month/day range repeats every year.</summary>
public sealed record Trip(DateOnly Start, DateOnly End, string TimeZone, bool EveryYear = false);
