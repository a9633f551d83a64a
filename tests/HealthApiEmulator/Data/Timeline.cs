using System.Collections.Concurrent;

namespace HealthApiEmulator.Data;

/// <summary>
/// Where the person is when. Civil day D is lived in <see cref="ZoneOn"/>(D) (home or a trip's zone);
/// day D's "block" of physical time runs from midnight of D in that zone to midnight of D+1 in the
/// zone of D+1, so blocks tile physical time without gaps or overlaps even across trips and DST.
/// The person's UTC offset at an instant is the offset of the block's zone at that instant;
/// civil time = physical time + offset. All instants are Unix seconds.
/// </summary>
internal sealed class Timeline
{
    private readonly TimeZoneInfo _home;
    private readonly List<(Trip Trip, TimeZoneInfo Zone)> _trips = new();
    private readonly ConcurrentDictionary<int, long> _dayStarts = new();

    public Timeline(PersonOptions options)
    {
        _home = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        foreach (var trip in options.Trips ?? new List<Trip>())
            _trips.Add((trip, TimeZoneInfo.FindSystemTimeZoneById(trip.TimeZone)));
    }

    public TimeZoneInfo Home => _home;

    public TimeZoneInfo ZoneOn(DateOnly day)
    {
        foreach (var (trip, zone) in _trips)
        {
            if (!trip.EveryYear)
            {
                if (day >= trip.Start && day <= trip.End) return zone;
                continue;
            }
            var length = trip.End.DayNumber - trip.Start.DayNumber;
            for (var year = Math.Max(1, day.Year - 1); year <= day.Year; year++)
            {
                var start = SafeDate(year, trip.Start.Month, trip.Start.Day);
                if (day >= start && day.DayNumber <= start.DayNumber + length) return zone;
            }
        }
        return _home;
    }

    /// <summary>True when D−1, D and D+1 are all lived in the same zone (no travel around D).</summary>
    public bool IsSettled(DateOnly day)
        => ReferenceEquals(ZoneOn(day), ZoneOn(day.AddDays(-1))) && ReferenceEquals(ZoneOn(day), ZoneOn(day.AddDays(1)));

    private static DateOnly SafeDate(int year, int month, int day)
        => new(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));

    /// <summary>Unix seconds of civil midnight of <paramref name="day"/> in <see cref="ZoneOn"/>(day).</summary>
    public long DayStart(DateOnly day)
        => _dayStarts.GetOrAdd(day.DayNumber, static (n, self) => self.CivilToUtc(DateOnly.FromDayNumber(n), 0, self.ZoneOn(DateOnly.FromDayNumber(n))), this);

    /// <summary>Physical instant of a civil time (minutes after midnight, may exceed 1440) in a zone.
    /// A civil time skipped by a DST gap moves forward by the gap; a repeated one takes the first.</summary>
    public long CivilToUtc(DateOnly day, int minuteOfDay, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified).AddMinutes(minuteOfDay);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeSeconds();
    }

    /// <summary>The civil day whose block contains instant <paramref name="t"/>.</summary>
    public DateOnly BlockOf(long t)
    {
        var guess = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime);
        for (var d = guess.AddDays(-2); d <= guess.AddDays(2); d = d.AddDays(1))
            if (DayStart(d) <= t && t < DayStart(d.AddDays(1))) return d;
        return guess;
    }

    public int OffsetAt(long t) => OffsetIn(ZoneOn(BlockOf(t)), t);

    public static int OffsetIn(TimeZoneInfo zone, long t)
        => (int)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(t)).TotalSeconds;
}
