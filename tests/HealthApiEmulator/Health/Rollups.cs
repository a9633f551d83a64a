using System.Text.Json;
using HealthApiEmulator.Data;

namespace HealthApiEmulator.Health;

/// <summary>What one minute / sample / daily value adds to a roll-up window.</summary>
internal struct Contribution
{
    public long Time;   // physical Unix seconds
    public int Offset;  // UTC offset then (civil = Time + Offset)
    public byte Slot;
    public double Value;
}

/// <summary>A roll-up window's running totals.</summary>
internal sealed class RollupAcc
{
    public bool Any;
    public readonly double[] Slots = new double[5];
    public double Min = double.MaxValue, Max = double.MinValue, Sum;
    public long Count;

    public void Add(in Contribution c)
    {
        Any = true;
        Slots[c.Slot] += c.Value;
        Sum += c.Value;
        Count++;
        if (c.Value < Min) Min = c.Value;
        if (c.Value > Max) Max = c.Value;
    }
}

/// <summary>
/// Roll-ups (rollUp over physical windows, dailyRollUp over civil windows): reconciled values, never
/// phone + watch for the same minute (the phone counts only while the watch was off). Windows with no
/// data are not emitted (the captured AZM dailyRollUp skips days without zone minutes); windows with
/// data carry every field of the value, zeros included ("sumInPeakHeartZone": "0").
/// </summary>
internal static class Rollups
{
    public static string MemberOf(DataTypeInfo type) => type.Id switch
    {
        "daily-resting-heart-rate" => "restingHeartRatePersonalRange",
        "daily-heart-rate-variability" => "heartRateVariabilityPersonalRange",
        _ => type.Member,
    };

    public static void Contribute(SyntheticPerson person, DataTypeInfo type, DayBlock b, SourceFamily family, long cutoff, List<Contribution> dst)
    {
        if (!type.Generated || family == SourceFamily.SelfSources) return;
        var wearablesOnly = family == SourceFamily.GoogleWearables;
        switch (type.Id)
        {
            case "weight":
            case "body-fat":
                if (wearablesOnly) return;
                foreach (var w in person.WeighInsOf(b, cutoff))
                {
                    if (type.Id == "body-fat" && w.BodyFatPercent is null) continue;
                    dst.Add(new Contribution { Time = w.At.ToUnixTimeSeconds(), Offset = (int)w.UtcOffset.TotalSeconds, Value = type.Id == "weight" ? w.WeightKg * 1000 : w.BodyFatPercent!.Value });
                }
                return;
            case "daily-resting-heart-rate":
            case "daily-heart-rate-variability":
                if (b.Active && b.Daily is { } d && d.AvailableAt <= cutoff)
                    dst.Add(new Contribution { Time = b.Start, Offset = b.OffsetAt(b.Start), Value = type.Id == "daily-resting-heart-rate" ? d.RestingHeartRate : d.HrvAverage });
                return;
        }
        if (!b.Active) return;
        var md = b.Minutes;
        for (var m = 0; m < md.Count; m++)
        {
            var t = b.Start + 60L * m;
            if (type.Id != "heart-rate" && t + 60 > cutoff) break;
            if (t > cutoff) break;
            var worn = md.Worn(m);
            var off = b.OffsetAt(t);
            void Add(byte slot, double value) => dst.Add(new Contribution { Time = t, Offset = off, Slot = slot, Value = value });
            switch (type.Id)
            {
                case "steps":
                {
                    int v = worn ? md.WatchSteps[m] : wearablesOnly ? 0 : md.PhoneSteps[m];
                    if (v > 0) Add(0, v);
                    break;
                }
                case "distance":
                {
                    int v = worn ? md.WatchDistanceMm[m] : wearablesOnly ? 0 : md.PhoneDistanceMm[m];
                    if (v > 0) Add(0, v);
                    break;
                }
                case "floors": if (md.Floors[m] > 0) Add(0, md.Floors[m]); break;
                case "altitude": if (md.AltitudeGainMm[m] > 0) Add(0, md.AltitudeGainMm[m]); break;
                case "total-calories": Add(0, md.TotalKcal(m)); break;
                case "active-energy-burned": if (md.ActiveKcal[m] > 0) Add(0, md.ActiveKcal[m]); break;
                case "active-zone-minutes":
                    if (worn && md.Zone[m] >= HrZone.Moderate) Add((byte)md.Zone[m], md.Zone[m] == HrZone.Moderate ? 1 : 2);
                    break;
                case "active-minutes": if (worn && md.Level[m] != ActLevel.Sedentary) Add((byte)md.Level[m], 1); break;
                case "activity-level": if (worn && (md.Flags[m] & MinuteFlags.Asleep) == 0) Add((byte)md.Level[m], 60); break;
                case "sedentary-period": if ((md.Flags[m] & MinuteFlags.Sedentary) != 0) Add(0, 60); break;
                case "time-in-heart-rate-zone": if (worn && md.Zone[m] != HrZone.None) Add((byte)md.Zone[m], 60); break;
                case "calories-in-heart-rate-zone": if (worn && md.Zone[m] != HrZone.None) Add((byte)md.Zone[m], md.TotalKcal(m)); break;
                case "heart-rate":
                {
                    var n = md.HeartRateSamples(m);
                    for (var k = 0; k < n; k++)
                    {
                        var at = t + k * (60 / n);
                        if (at > cutoff) break;
                        dst.Add(new Contribution { Time = at, Offset = off, Value = person.HeartRateAt(md, m, k, at) });
                    }
                    break;
                }
            }
        }
    }

    /// <summary>Writes the type's roll-up value member for a window.</summary>
    public static void WriteValue(Utf8JsonWriter w, DataTypeInfo type, RollupAcc a)
    {
        w.WriteStartObject(MemberOf(type));
        switch (type.Id)
        {
            case "steps": case "floors": PointWriter.Int64(w, "countSum", (long)a.Slots[0]); break;
            case "distance": PointWriter.Int64(w, "millimetersSum", (long)a.Slots[0]); break;
            case "altitude": PointWriter.Int64(w, "gainMillimetersSum", (long)a.Slots[0]); break;
            case "total-calories": case "active-energy-burned": PointWriter.Double(w, "kcalSum", Math.Round(a.Slots[0], 6)); break;
            case "heart-rate":
                PointWriter.Double(w, "beatsPerMinuteAvg", Math.Round(a.Sum / a.Count, 6));
                PointWriter.Double(w, "beatsPerMinuteMax", a.Max);
                PointWriter.Double(w, "beatsPerMinuteMin", a.Min);
                break;
            case "weight": PointWriter.Double(w, "weightGramsAvg", Math.Round(a.Sum / a.Count, 3)); break;
            case "body-fat": PointWriter.Double(w, "bodyFatPercentageAvg", Math.Round(a.Sum / a.Count, 3)); break;
            case "daily-resting-heart-rate":
                PointWriter.Double(w, "beatsPerMinuteMin", a.Min);
                PointWriter.Double(w, "beatsPerMinuteMax", a.Max);
                break;
            case "daily-heart-rate-variability":
                PointWriter.Double(w, "averageHeartRateVariabilityMillisecondsMin", a.Min);
                PointWriter.Double(w, "averageHeartRateVariabilityMillisecondsMax", a.Max);
                break;
            case "active-zone-minutes":
                PointWriter.Int64(w, "sumInCardioHeartZone", (long)a.Slots[(int)HrZone.Vigorous]);
                PointWriter.Int64(w, "sumInFatBurnHeartZone", (long)a.Slots[(int)HrZone.Moderate]);
                PointWriter.Int64(w, "sumInPeakHeartZone", (long)a.Slots[(int)HrZone.Peak]);
                break;
            case "active-minutes":
                w.WriteStartArray("activeMinutesRollupByActivityLevel");
                for (var level = 1; level <= 3; level++)
                {
                    if (a.Slots[level] <= 0) continue;
                    w.WriteStartObject();
                    w.WriteString("activityLevel", PointWriter.LevelName(level));
                    PointWriter.Int64(w, "activeMinutesSum", (long)a.Slots[level]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case "activity-level":
                w.WriteStartArray("activityLevelRollupsByActivityLevelType");
                for (var level = 0; level <= 3; level++)
                {
                    if (a.Slots[level] <= 0) continue;
                    w.WriteStartObject();
                    w.WriteString("activityLevelType", PointWriter.LevelTypeName(level));
                    PointWriter.Duration(w, "totalDuration", (long)a.Slots[level]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case "sedentary-period": PointWriter.Duration(w, "durationSum", (long)a.Slots[0]); break;
            case "time-in-heart-rate-zone":
            case "calories-in-heart-rate-zone":
                var time = type.Id == "time-in-heart-rate-zone";
                w.WriteStartArray(time ? "timeInHeartRateZones" : "caloriesInHeartRateZones");
                for (var z = 1; z <= 4; z++)
                {
                    if (a.Slots[z] <= 0) continue;
                    w.WriteStartObject();
                    w.WriteString("heartRateZone", PointWriter.ZoneName(z));
                    if (time) PointWriter.Duration(w, "duration", (long)a.Slots[z]);
                    else PointWriter.Double(w, "kcal", Math.Round(a.Slots[z], 6));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }
}
