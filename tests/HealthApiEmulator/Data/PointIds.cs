namespace HealthApiEmulator.Data;

/// <summary>Ids of identifiable points: 19 digits like Google's, deterministic, and decodable to the
/// block (civil day) they live in, so <c>dataPoints.get</c> needs no index.</summary>
internal static class PointIds
{
    private const long Base = 1_000_000_000_000_000_000L;

    public static long Make(int seed, int kind, DateOnly day, int sub, long salt = 0)
    {
        var hash = (long)(Rng.Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Rng.Mix((ulong)kind << 40 ^ (ulong)day.DayNumber << 8 ^ (ulong)sub ^ (ulong)salt << 48)) % 80_000_000_000UL);
        return Base + hash * 10_000_000L + day.DayNumber * 10L + (sub % 10);
    }

    public static bool TryDay(long id, out DateOnly day)
    {
        day = default;
        if (id < Base) return false;
        var dayNumber = (int)(id % 10_000_000L / 10);
        if (dayNumber < new DateOnly(1990, 1, 1).DayNumber || dayNumber > new DateOnly(2200, 1, 1).DayNumber) return false; // ids this emulator never made
        day = DateOnly.FromDayNumber(dayNumber);
        return true;
    }
}
