namespace HealthApiEmulator.Data;

/// <summary>What one physical window [From, To) holds, reconciled (the watch while worn, else the phone):
/// the ground truth of a rollUp window. Minutes count when they end by the visibility cutoff.</summary>
public sealed record WindowTotals(long Steps, long DistanceMillimeters, long Floors, double TotalKcal,
    int HeartRateSamples, int? MinBpm, double? AverageBpm, int? MaxBpm);

public static class WindowTruth
{
    /// <summary>The truth of one physical window (any length; windows may cross days, DST and trips).</summary>
    public static WindowTotals Totals(this SyntheticPerson person, DateTimeOffset from, DateTimeOffset to)
    {
        long f = from.ToUnixTimeSeconds(), t = to.ToUnixTimeSeconds(), cutoff = person.CutoffUnix;
        long steps = 0, distance = 0, floors = 0;
        double kcal = 0;
        for (var d = person.Timeline.BlockOf(f); d <= person.Timeline.BlockOf(Math.Max(f, t - 1)); d = d.AddDays(1))
        {
            var b = person.Block(d);
            if (!b.Active) continue;
            var md = b.Minutes;
            for (var m = 0; m < md.Count; m++)
            {
                var start = b.Start + 60L * m;
                if (start < f || start >= t || start + 60 > cutoff) continue;
                steps += md.ReconciledSteps(m);
                distance += md.ReconciledDistanceMm(m);
                floors += md.Floors[m];
                kcal += md.TotalKcal(m);
            }
        }
        int n = 0, min = int.MaxValue, max = int.MinValue;
        long sum = 0;
        foreach (var s in person.HeartRateSamples(from, to))
        {
            n++; sum += s.BeatsPerMinute;
            if (s.BeatsPerMinute < min) min = s.BeatsPerMinute;
            if (s.BeatsPerMinute > max) max = s.BeatsPerMinute;
        }
        return new WindowTotals(steps, distance, floors, kcal, n, n == 0 ? null : min, n == 0 ? null : (double)sum / n, n == 0 ? null : max);
    }
}
