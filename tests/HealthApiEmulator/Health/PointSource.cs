using HealthApiEmulator.Data;

namespace HealthApiEmulator.Health;

/// <summary>One data point ready to filter, page and write. Times are Unix seconds; offsets seconds.
/// (Key, Tie) orders points (newest first = descending) and is unique within a data type.</summary>
internal struct RawPoint
{
    public long Key;
    public int Tie;
    public long Start, End;
    public int StartOffset, EndOffset;
    public DateOnly Date;
    public SourceKind Source;
    public long L1;
    public double D1, D2;
    public byte B1;
    public object? Obj;
}

/// <summary>Which sources a request reads (dataSourceFamily).</summary>
internal enum SourceFamily { AllSources, GoogleWearables, GoogleSources, SelfSources }

/// <summary>Turns a block of the synthetic person into the raw points of a data type.</summary>
internal static class PointSource
{
    public static SourceFamily ParseFamily(string? value) => value switch
    {
        null or "" or "users/me/dataSourceFamilies/all-sources" => SourceFamily.AllSources,
        "users/me/dataSourceFamilies/google-wearables" => SourceFamily.GoogleWearables,
        "users/me/dataSourceFamilies/google-sources" => SourceFamily.GoogleSources,
        "users/me/dataSourceFamilies/self-sources" => SourceFamily.SelfSources,
        _ => throw Hosting.GoogleError.InvalidArgument(
            $"Invalid data source family '{value}'. Use users/me/dataSourceFamilies/{{all-sources|google-wearables|google-sources|self-sources}}.",
            "INVALID_DATA_POINT_DATA_SOURCE_FAMILY", new List<(string, string)> { ("dataSourceFamily", $"Invalid value '{value}'.") }),
    };

    private static bool Admits(SourceFamily family, SourceKind source) => family switch
    {
        SourceFamily.SelfSources => false,
        SourceFamily.GoogleWearables => source is SourceKind.Watch or SourceKind.Derived,
        _ => true,
    };

    /// <summary>Visible points of one block, ascending by (Key, Tie). <paramref name="reconciled"/>:
    /// one stream per user (per minute the watch when worn, else the phone).</summary>
    public static void Collect(SyntheticPerson person, DataTypeInfo type, DayBlock b, SourceFamily family, bool reconciled, long cutoff, List<RawPoint> dst)
    {
        if (!type.Generated) return;
        if (type.Id is "weight" or "body-fat")
        {
            foreach (var w in person.WeighInsOf(b, cutoff))
            {
                if (!Admits(family, w.Source)) continue;
                if (type.Id == "body-fat" && w.BodyFatPercent is null) continue;
                var t = w.At.ToUnixTimeSeconds();
                dst.Add(new RawPoint
                {
                    Key = t, Tie = (int)(w.Id % 1_000_000), Start = t, End = t, StartOffset = (int)w.UtcOffset.TotalSeconds,
                    EndOffset = (int)w.UtcOffset.TotalSeconds, Source = w.Source, Obj = w,
                    L1 = type.Id == "weight" ? w.Id : w.BodyFatId, D1 = type.Id == "weight" ? w.WeightKg * 1000 : w.BodyFatPercent!.Value,
                    D2 = w.At.Ticks % TimeSpan.TicksPerSecond,
                });
            }
            return;
        }
        if (!b.Active) return;
        switch (type.Kind)
        {
            case RecordKind.Daily: CollectDaily(person, type, b, family, cutoff, dst); return;
            case RecordKind.Session: CollectSessions(type, b, family, cutoff, dst); return;
        }
        switch (type.Id)
        {
            case "height":
                if (b.Height is { } h && h.At <= cutoff && Admits(family, SourceKind.Manual))
                    dst.Add(Sample(b, h.At, SourceKind.Manual, h.Id, h.Id) with { D1 = h.Millimeters });
                return;
            case "respiratory-rate-sleep-summary":
                foreach (var s in b.Sleeps)
                    if (s.IsMainSleep && s.End.ToUnixTimeSeconds() <= cutoff && b.Daily != null && Admits(family, SourceKind.Derived))
                        dst.Add(Sample(b, s.End.ToUnixTimeSeconds(), SourceKind.Derived, 0, 0) with { D1 = b.Daily.BreathsPerMinute, Obj = s });
                return;
            case "vo2-max":
                if (b.Daily == null || !Admits(family, SourceKind.Derived)) return;
                foreach (var e in b.ExercisePlans)
                    if (e.Type == "RUNNING" && e.End <= cutoff)
                        dst.Add(Sample(b, e.End, SourceKind.Derived, 0, 0) with { D1 = Math.Round(b.Daily.Vo2Max + (Hash(person, e.End, 7) - 0.5), 1) });
                return;
        }
        CollectMinutes(person, type, b, family, reconciled, cutoff, dst);
    }

    private static double Hash(SyntheticPerson p, long key, int stream) => Rng.Hash01(p.Seed, key, 300 + stream);

    private static RawPoint Sample(DayBlock b, long t, SourceKind source, long l1, long id)
    {
        var off = b.OffsetAt(t);
        return new RawPoint { Key = t, Start = t, End = t, StartOffset = off, EndOffset = off, Source = source, L1 = l1, Tie = (int)(id % 1_000_000) };
    }

    private static void CollectDaily(SyntheticPerson person, DataTypeInfo type, DayBlock b, SourceFamily family, long cutoff, List<RawPoint> dst)
    {
        if (!Admits(family, SourceKind.Derived)) return;
        if (type.Id == "daily-heart-rate-zones")
        {
            if (b.Start > cutoff) return;
            dst.Add(new RawPoint { Key = b.Date.DayNumber, Date = b.Date, Start = b.Start, End = b.Start, StartOffset = b.OffsetAt(b.Start), Source = SourceKind.Derived, L1 = person.Generator.MaxHeartRate(b.Date) });
            return;
        }
        if (b.Daily is not { } d || d.AvailableAt > cutoff) return;
        dst.Add(new RawPoint { Key = b.Date.DayNumber, Date = b.Date, Start = b.Start, End = b.Start, StartOffset = b.OffsetAt(b.Start), Source = SourceKind.Derived, Obj = d });
    }

    private static void CollectSessions(DataTypeInfo type, DayBlock b, SourceFamily family, long cutoff, List<RawPoint> dst)
    {
        var source = type.Id == "exercise" ? SourceKind.Watch : SourceKind.Derived;
        if (!Admits(family, source)) return;
        var start = dst.Count;
        if (type.Id == "sleep")
        {
            foreach (var s in b.Sleeps)
            {
                long st = s.Start.ToUnixTimeSeconds(), en = s.End.ToUnixTimeSeconds();
                if (en > cutoff) continue;
                dst.Add(new RawPoint { Key = st, Tie = s.IsMainSleep ? 0 : 1, Start = st, End = en, StartOffset = (int)s.StartUtcOffset.TotalSeconds, EndOffset = (int)s.EndUtcOffset.TotalSeconds, Source = source, Obj = s, L1 = s.Id });
            }
        }
        else if (type.Id == "exercise")
        {
            foreach (var e in b.ExercisePlans)
            {
                if (e.End > cutoff) continue;
                var session = b.Exercises.First(x => x.Id == e.Id);
                dst.Add(new RawPoint { Key = e.Start, Start = e.Start, End = e.End, StartOffset = b.OffsetAt(e.Start), EndOffset = b.OffsetAt(e.End), Source = source, Obj = session, L1 = e.Id });
            }
        }
        dst.Sort(start, dst.Count - start, KeyComparer.Instance);
    }

    private sealed class KeyComparer : IComparer<RawPoint>
    {
        public static readonly KeyComparer Instance = new();
        public int Compare(RawPoint x, RawPoint y) => x.Key != y.Key ? x.Key.CompareTo(y.Key) : x.Tie.CompareTo(y.Tie);
    }

    private static void CollectMinutes(SyntheticPerson person, DataTypeInfo type, DayBlock b, SourceFamily family, bool reconciled, long cutoff, List<RawPoint> dst)
    {
        var md = b.Minutes;
        var watchOk = Admits(family, SourceKind.Watch);
        var phoneOk = Admits(family, SourceKind.Phone);
        var derivedOk = Admits(family, SourceKind.Derived);
        var n = md.Count;
        if (type.Id == "sedentary-period" || type.Id == "time-in-heart-rate-zone")
        {
            if (!derivedOk) return;
            var sedentary = type.Id == "sedentary-period";
            var m = 0;
            while (m < n)
            {
                var zone = md.Zone[m];
                var inRun = sedentary ? (md.Flags[m] & MinuteFlags.Sedentary) != 0 : md.Worn(m) && zone != HrZone.None;
                if (!inRun) { m++; continue; }
                var first = m;
                while (m < n && (sedentary ? (md.Flags[m] & MinuteFlags.Sedentary) != 0 : md.Worn(m) && md.Zone[m] == zone)) m++;
                long st = b.Start + 60L * first, en = b.Start + 60L * m;
                if (en > cutoff) { en = Math.Min(en, cutoff / 60 * 60); if (en <= st) break; }
                dst.Add(new RawPoint { Key = st, Start = st, End = en, StartOffset = b.OffsetAt(st), EndOffset = b.OffsetAt(en), Source = SourceKind.Derived, B1 = (byte)zone });
            }
            return;
        }
        for (var m = 0; m < n; m++)
        {
            var st = b.Start + 60L * m;
            var en = st + 60;
            var isSample = type.Kind == RecordKind.Sample;
            if (!isSample && en > cutoff) break;
            if (isSample && st > cutoff) break;
            var worn = md.Worn(m);
            switch (type.Id)
            {
                case "steps":
                case "distance":
                {
                    var steps = type.Id == "steps";
                    long watch = steps ? md.WatchSteps[m] : md.WatchDistanceMm[m];
                    long phone = steps ? md.PhoneSteps[m] : md.PhoneDistanceMm[m];
                    if (reconciled)
                    {
                        if (worn && watchOk) { if (watch > 0) dst.Add(Interval(b, st, SourceKind.Watch, watch, 0)); }
                        else if (!worn && phoneOk && phone > 0) dst.Add(Interval(b, st, SourceKind.Phone, phone, 0));
                    }
                    else
                    {
                        if (watchOk && watch > 0) dst.Add(Interval(b, st, SourceKind.Watch, watch, 0));
                        if (phoneOk && phone > 0) dst.Add(Interval(b, st, SourceKind.Phone, phone, 1));
                    }
                    break;
                }
                case "floors":
                    if (watchOk && md.Floors[m] > 0) dst.Add(Interval(b, st, SourceKind.Watch, md.Floors[m], 0));
                    break;
                case "altitude":
                    if (watchOk && md.AltitudeGainMm[m] > 0) dst.Add(Interval(b, st, SourceKind.Watch, md.AltitudeGainMm[m], 0));
                    break;
                case "active-zone-minutes":
                    if (derivedOk && worn && md.Zone[m] >= HrZone.Moderate)
                        dst.Add(Interval(b, st, SourceKind.Derived, md.Zone[m] == HrZone.Moderate ? 1 : 2, 0) with { B1 = (byte)md.Zone[m] });
                    break;
                case "active-minutes":
                    if (derivedOk && worn && md.Level[m] != ActLevel.Sedentary)
                        dst.Add(Interval(b, st, SourceKind.Derived, 1, 0) with { B1 = (byte)md.Level[m] });
                    break;
                case "activity-level":
                    if (derivedOk && worn && (md.Flags[m] & MinuteFlags.Asleep) == 0)
                        dst.Add(Interval(b, st, SourceKind.Derived, 0, 0) with { B1 = (byte)md.Level[m] });
                    break;
                case "active-energy-burned":
                    if (derivedOk && md.ActiveKcal[m] > 0) dst.Add(Interval(b, st, SourceKind.Derived, 0, 0) with { D1 = md.ActiveKcal[m] });
                    break;
                case "heart-rate":
                {
                    if (!watchOk) break;
                    var count = md.HeartRateSamples(m);
                    for (var k = 0; k < count; k++)
                    {
                        var at = st + k * (60 / count);
                        if (at > cutoff) break;
                        dst.Add(new RawPoint { Key = at, Start = at, End = at, StartOffset = b.OffsetAt(at), EndOffset = 0, Source = SourceKind.Watch, L1 = person.HeartRateAt(md, m, k, at) });
                    }
                    break;
                }
                case "heart-rate-variability":
                    if (derivedOk && worn && (md.Flags[m] & MinuteFlags.MainSleep) != 0 && (st / 60) % 5 == 0)
                    {
                        var baseHrv = b.Daily?.HrvAverage ?? 40;
                        var rmssd = Math.Round(baseHrv * (0.75 + Hash(person, st, 1) * 0.5), 1);
                        dst.Add(new RawPoint { Key = st, Start = st, End = st, StartOffset = b.OffsetAt(st), Source = SourceKind.Derived, D1 = rmssd, D2 = Math.Round(rmssd * (1.1 + Hash(person, st, 2) * 0.3), 1) });
                    }
                    break;
                case "oxygen-saturation":
                    if (derivedOk && worn && (md.Flags[m] & MinuteFlags.MainSleep) != 0)
                        dst.Add(new RawPoint { Key = st, Start = st, End = st, StartOffset = b.OffsetAt(st), Source = SourceKind.Derived, D1 = Math.Round(93.5 + Hash(person, st, 3) * 5, 1) });
                    break;
            }
        }
    }

    private static RawPoint Interval(DayBlock b, long st, SourceKind source, long value, int tie)
        => new() { Key = st, Tie = tie, Start = st, End = st + 60, StartOffset = b.OffsetAt(st), EndOffset = b.OffsetAt(st + 60), Source = source, L1 = value };

    /// <summary>Raw list count (all sources) with Key time in [from, to). See SyntheticPerson.CountPoints.</summary>
    public static int Count(SyntheticPerson person, string dataType, long from, long to)
    {
        if (!DataTypes.ById.TryGetValue(dataType, out var type) || !type.Supports(Ops.List)) return 0;
        var cutoff = person.CutoffUnix;
        var count = 0;
        var buffer = new List<RawPoint>();
        var first = person.Timeline.BlockOf(from).AddDays(-1);
        var last = person.Timeline.BlockOf(to - 1).AddDays(1);
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            var b = person.Block(d);
            if (type.Id == "heart-rate" && b.Active)
            {
                // fast path: a year of heart rate is millions of samples
                var md = b.Minutes;
                for (var m = 0; m < md.Count; m++)
                {
                    var n = md.HeartRateSamples(m);
                    for (var k = 0; k < n; k++)
                    {
                        var at = b.Start + 60L * m + k * (60 / n);
                        if (at >= from && at < to && at <= cutoff) count++;
                    }
                }
                continue;
            }
            buffer.Clear();
            Collect(person, type, b, SourceFamily.AllSources, reconciled: false, cutoff, buffer);
            foreach (var p in buffer)
            {
                var t = type.Kind == RecordKind.Daily ? p.Start : p.Key;
                if (t >= from && t < to) count++;
            }
        }
        return count;
    }
}
