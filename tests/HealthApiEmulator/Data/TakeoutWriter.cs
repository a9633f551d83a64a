using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace HealthApiEmulator.Data;

/// <summary>Which tree of Google Takeout the archive holds.</summary>
public enum TakeoutLayout
{
    /// <summary>2026: Takeout/Google Health/Physical Activity_GoogleData/&lt;Family&gt;/&lt;family&gt;_YYYY-MM-01.csv (UTC minute
    /// rows, every source), Health Fitness Data_GoogleData/UserSleeps…, daily rows with both day-stamp conventions.</summary>
    GoogleHealth,
    /// <summary>Until mid-2026: Takeout/Fitbit/Global Export Data/*.json (steps/distance minute stamps UTC, calories local,
    /// sleep local wall time), plus the legacy CSV folders (HRV, SpO2, AZM).</summary>
    Fitbit,
}

/// <summary>
/// Writes the synthetic person's data as a Google Takeout zip, the same facts the API serves, so API and Takeout
/// of one person can be compared day by day. Whole civil days [from, to], only what is visible now (synced).
/// Quirks of real archives are reproduced: a "Fit Health Connect" mirror of the phone's steps on some days (not to be
/// summed), resting heart rate in two families (51 and 51.0, one stamped as a day label, one as local midnight in UTC),
/// a placeholder future resting-heart-rate entry (legacy), README files beside the CSVs.
/// </summary>
public static class TakeoutWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const string Phone = "MobileTrack", Mirror = "Fit Health Connect";

    public static void Write(SyntheticPerson person, Stream output, DateOnly from, DateOnly to, TakeoutLayout layout)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        if (layout == TakeoutLayout.GoogleHealth) WriteGoogleHealth(person, zip, from, to);
        else WriteFitbit(person, zip, from, to);
    }

    public static void Write(SyntheticPerson person, string path, DateOnly from, DateOnly to, TakeoutLayout layout)
    {
        using var file = File.Create(path);
        Write(person, file, from, to, layout);
    }

    private static void Entry(ZipArchive zip, string path, string content)
    {
        var e = zip.CreateEntry(path, CompressionLevel.Fastest);
        using var w = new StreamWriter(e.Open(), new UTF8Encoding(false));
        w.Write(content);
    }

    private static string Utc(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.'000Z'", Inv);
    private static string Num(double v) => v.ToString("R", Inv);

    private static IEnumerable<DayBlock> Blocks(SyntheticPerson person, DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            var b = person.Block(d);
            if (b.Active) yield return b;
        }
    }

    /// <summary>Visible minutes of the blocks: (block, minute index, unix start).</summary>
    private static IEnumerable<(DayBlock B, int M, long T)> Minutes(SyntheticPerson person, DateOnly from, DateOnly to)
    {
        var cutoff = person.CutoffUnix;
        foreach (var b in Blocks(person, from, to))
        {
            var md = b.Minutes;
            for (var m = 0; m < md.Count; m++)
            {
                var t = b.Start + 60L * m;
                if (t + 60 > cutoff) yield break;
                yield return (b, m, t);
            }
        }
    }

    /// <summary>One CSV per UTC month, named after its first day (…_YYYY-MM-01.csv), rows in time order.</summary>
    private static void Monthly(ZipArchive zip, string folder, string stem, string header, IEnumerable<(long T, string Row)> rows)
    {
        StringBuilder? sb = null;
        string? month = null;
        void Flush() { if (sb != null) Entry(zip, $"{folder}/{stem}_{month}-01.csv", sb.ToString()); }
        foreach (var (t, row) in rows)
        {
            var m = DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM", Inv);
            if (m != month) { Flush(); month = m; sb = new StringBuilder(header).Append('\n'); }
            sb!.Append(row).Append('\n');
        }
        Flush();
    }

    private static void WriteGoogleHealth(SyntheticPerson person, ZipArchive zip, DateOnly from, DateOnly to)
    {
        const string root = "Takeout/Google Health";
        var o = person.Options;
        var watch = o.WatchName;
        Entry(zip, $"{root}/Your Profile/Profile.csv", $"full_name,timezone,weight_unit\nSynthetic Person,{o.TimeZone},KILOGRAM\n");
        var pa = $"{root}/Physical Activity_GoogleData";
        Entry(zip, $"{pa}/Steps/steps_readme.txt", "steps: count per minute\n");

        IEnumerable<(long, string)> Steps(bool distance)
        {
            foreach (var (b, m, t) in Minutes(person, from, to))
            {
                var md = b.Minutes;
                var ts = Utc(t);
                int w = md.WatchSteps[m], p = md.PhoneSteps[m];
                if (md.Worn(m) && w > 0) yield return (t, $"{ts},{(distance ? Num(md.WatchDistanceMm[m] / 1000.0) : w.ToString(Inv))},{watch}");
                if (p > 0)
                {
                    var value = distance ? Num(md.PhoneDistanceMm[m] / 1000.0) : p.ToString(Inv);
                    yield return (t, $"{ts},{value},{Phone}");
                    if (b.Date.DayNumber % 3 == 0) yield return (t, $"{ts},{value},{Mirror}"); // Health Connect repeats the phone
                }
            }
        }
        Monthly(zip, $"{pa}/Steps", "steps", "timestamp,steps,data source", Steps(false));
        Monthly(zip, $"{pa}/Distance", "distance", "timestamp,distance,data source", Steps(true));
        Monthly(zip, $"{pa}/Floors", "floors", "timestamp,floors,data source",
            Minutes(person, from, to).Where(x => x.B.Minutes.Floors[x.M] > 0).Select(x => (x.T, $"{Utc(x.T)},{x.B.Minutes.Floors[x.M]},{watch}")));
        Monthly(zip, $"{pa}/Calories", "calories", "timestamp,calories,data source",
            Minutes(person, from, to).Select(x => (x.T, $"{Utc(x.T)},{Num(x.B.Minutes.TotalKcal(x.M))},{watch}")));
        Monthly(zip, $"{pa}/Active Energy Burned", "active_energy_burned", "timestamp,Kilocalories,data source",
            Minutes(person, from, to).Where(x => x.B.Minutes.ActiveKcal[x.M] > 0).Select(x => (x.T, $"{Utc(x.T)},{Num(x.B.Minutes.ActiveKcal[x.M])},{watch}")));
        Monthly(zip, $"{pa}/Active Zone Minutes", "active_zone_minutes", "timestamp,heart rate zone,total minutes,data source",
            Minutes(person, from, to).Where(x => x.B.Minutes.Worn(x.M) && x.B.Minutes.Zone[x.M] >= HrZone.Moderate).Select(x =>
            {
                var z = x.B.Minutes.Zone[x.M];
                return (x.T, $"{Utc(x.T)},{(z == HrZone.Moderate ? "FAT_BURN" : z == HrZone.Vigorous ? "CARDIO" : "PEAK")},{(z == HrZone.Moderate ? 1 : 2)},{watch}");
            }));

        // Daily values: visible once the main sleep ended.
        var cutoff = person.CutoffUnix;
        var dailies = Blocks(person, from, to).Where(b => b.Daily != null && b.Daily.AvailableAt <= cutoff).ToList();
        var rhrLabel = new StringBuilder("timestamp,beats per minute,data source\n");
        foreach (var b in dailies) rhrLabel.Append($"{b.Date:yyyy-MM-dd}T00:00:00Z,{b.Daily!.RestingHeartRate},{watch}\n");
        Entry(zip, $"{pa}/Daily Resting Heart Rate/daily_resting_heart_rate.csv", rhrLabel.ToString());
        // The same values again, "51.0", stamped as local midnight written in UTC (the other convention seen).
        Monthly(zip, $"{pa}/Resting Heart Rate", "resting_heart_rate", "timestamp,beats per minute,data source",
            dailies.Select(b => (b.Start, $"{Utc(b.Start)},{b.Daily!.RestingHeartRate}.0,{watch}")));
        var hrv = new StringBuilder("timestamp,average heart rate variability milliseconds,non rem heart rate beats per minute,entropy,deep sleep root mean square of successive differences milliseconds,data source\n");
        var spo2 = new StringBuilder("timestamp,average percentage,lower bound percentage,upper bound percentage,baseline percentage,standard deviation percentage,data source\n");
        foreach (var b in dailies)
        {
            var d = b.Daily!;
            hrv.Append($"{b.Date:yyyy-MM-dd}T00:00:00Z,{Num(d.HrvAverage)},{d.NonRemHeartRate},{Num(d.HrvEntropy)},{Num(d.HrvDeepRmssd)},{watch}\n");
            spo2.Append($"{b.Date:yyyy-MM-dd}T00:00:00Z,{Num(d.SpO2Average)},{Num(d.SpO2Lower)},{Num(d.SpO2Upper)},,{Num(d.SpO2StdDev)},{watch}\n");
        }
        Entry(zip, $"{pa}/Daily Heart Rate Variability/daily_heart_rate_variability.csv", hrv.ToString());
        Entry(zip, $"{pa}/Daily Oxygen Saturation/daily_oxygen_saturation.csv", spo2.ToString());

        // Weight, body fat, height: real instants, microseconds.
        var weights = new StringBuilder("timestamp,weight grams,data source\n");
        var fats = new StringBuilder("timestamp,body fat percentage,data source\n");
        var heights = new StringBuilder("timestamp,height millimeters,data source\n");
        foreach (var b in Blocks(person, from, to))
        {
            foreach (var w in person.WeighInsOf(b, cutoff))
            {
                var ts = w.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", Inv);
                var source = w.Source == SourceKind.Scale ? "com.withings.wiscale2" : "Manual";
                weights.Append($"{ts},{Num(Math.Round(w.WeightKg * 1000))},{source}\n");
                if (w.BodyFatPercent is { } f) fats.Append($"{ts},{Num(f)},{source}\n");
            }
        }
        // The height on record (the API's newest height point) whatever day it was logged.
        heights.Append($"{Utc(person.Timeline.DayStart(o.MembershipStart) + 9 * 3600)},{o.HeightMillimeters},Manual\n");
        Entry(zip, $"{pa}/Weight/weight.csv", weights.ToString());
        Entry(zip, $"{pa}/Body Fat/body_fat.csv", fats.ToString());
        Entry(zip, $"{pa}/Height/height.csv", heights.ToString());

        // Sleep: the session tables (UTC instants + offsets, no main-sleep flag), one file per month.
        var hf = $"{root}/Health Fitness Data_GoogleData";
        static string Off(TimeSpan o) => (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString("hh\\:mm", Inv);
        static string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + "+0000";
        var sleeps = person.SleepSessions(from, to);
        foreach (var month in sleeps.GroupBy(s => s.WakeDay.ToString("yyyy-MM", Inv)))
        {
            var s1 = new StringBuilder("sleep_id,sleep_type,minutes_in_sleep_period,minutes_after_wake_up,minutes_to_fall_asleep,minutes_asleep,minutes_awake,minutes_longest_awakening,minutes_to_persistent_sleep,start_utc_offset,sleep_start,end_utc_offset,sleep_end,data_source,sleep_created,sleep_last_updated\n");
            var s2 = new StringBuilder("sleep_id,sleep_stage_id,sleep_stage_type,start_utc_offset,sleep_stage_start,end_utc_offset,sleep_stage_end,data_source,sleep_stage_created,sleep_stage_last_updated\n");
            foreach (var s in month)
            {
                s1.Append($"{s.Id},{s.Type},{s.MinutesInSleepPeriod},0,{s.MinutesToFallAsleep},{s.MinutesAsleep},{s.MinutesAwake},0,0,{Off(s.StartUtcOffset)},{T(s.Start)},{Off(s.EndUtcOffset)},{T(s.End)},PASSIVELY_MEASURED,{T(s.CreateTime)},{T(s.UpdateTime)}\n");
                var n = 0;
                foreach (var st in s.Stages)
                    s2.Append($"{s.Id},{s.Id}{n++:D3},{st.Type},{Off(st.StartUtcOffset)},{T(st.Start)},{Off(st.EndUtcOffset)},{T(st.End)},PASSIVELY_MEASURED,{T(s.CreateTime)},{T(s.CreateTime)}\n");
            }
            Entry(zip, $"{hf}/UserSleeps_{month.Key}-01.csv", s1.ToString());
            Entry(zip, $"{hf}/UserSleepStages_{month.Key}-01.csv", s2.ToString());
        }
        Entry(zip, $"{hf}/UserActivityProbabilities_2026-01-01.csv", "timestamp,probability\n"); // an app table readers skip
    }

    private static void WriteFitbit(SyntheticPerson person, ZipArchive zip, DateOnly from, DateOnly to)
    {
        const string root = "Takeout/Fitbit";
        var ge = $"{root}/Global Export Data";
        var o = person.Options;
        Entry(zip, $"{root}/Your Profile/Profile.csv", $"full_name,timezone,weight_unit\nSynthetic Person,{o.TimeZone},KILOGRAM\n");
        static string Legacy(DateTime t) => t.ToString("MM/dd/yy HH:mm:ss", Inv);
        // Minute series, one file per UTC day: steps and distance (cm) stamped in UTC, calories in local wall time.
        foreach (var day in Minutes(person, from, to).GroupBy(x => DateTimeOffset.FromUnixTimeSeconds(x.T).UtcDateTime.Date))
        {
            var steps = new StringBuilder("[");
            var distance = new StringBuilder("[");
            var calories = new StringBuilder("[");
            foreach (var (b, m, t) in day)
            {
                var md = b.Minutes;
                var utc = DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime;
                var local = utc.AddSeconds(b.OffsetAt(t));
                var s = md.ReconciledSteps(m);
                if (steps.Length > 1) { steps.Append(','); distance.Append(','); calories.Append(','); }
                steps.Append($"{{\n  \"dateTime\" : \"{Legacy(utc)}\",\n  \"value\" : \"{s}\"\n}}");
                distance.Append($"{{\n  \"dateTime\" : \"{Legacy(utc)}\",\n  \"value\" : \"{Num(md.ReconciledDistanceMm(m) / 10.0)}\"\n}}");
                calories.Append($"{{\n  \"dateTime\" : \"{Legacy(local)}\",\n  \"value\" : \"{Num(md.TotalKcal(m))}\"\n}}");
            }
            Entry(zip, $"{ge}/steps-{day.Key:yyyy-MM-dd}.json", steps.Append(']').ToString());
            Entry(zip, $"{ge}/distance-{day.Key:yyyy-MM-dd}.json", distance.Append(']').ToString());
            Entry(zip, $"{ge}/calories-{day.Key:yyyy-MM-dd}.json", calories.Append(']').ToString());
        }
        var cutoff = person.CutoffUnix;
        var dailies = Blocks(person, from, to).Where(b => b.Daily != null && b.Daily.AvailableAt <= cutoff).ToList();
        // Resting heart rate: local dates, padded with a placeholder entry a year into the future (date null, value 0).
        var rhr = new StringBuilder("[");
        foreach (var b in dailies)
            rhr.Append($"{{\n  \"dateTime\" : \"{b.Date:MM/dd/yy} 00:00:00\",\n  \"value\" : {{\n    \"date\" : \"{b.Date:MM/dd/yy}\",\n    \"value\" : {b.Daily!.RestingHeartRate}.0,\n    \"error\" : 6.7\n  }}\n}},");
        rhr.Append($"{{\n  \"dateTime\" : \"{to.AddYears(1):MM/dd/yy} 00:00:00\",\n  \"value\" : {{\n    \"date\" : null,\n    \"value\" : 0.0,\n    \"error\" : 0.0\n  }}\n}}]");
        Entry(zip, $"{ge}/resting_heart_rate-{from:yyyy-MM-dd}.json", rhr.ToString());
        // Weight: the account's unit (kg here), local date and time.
        var weights = new List<string>();
        foreach (var b in Blocks(person, from, to))
            foreach (var w in person.WeighInsOf(b, cutoff))
            {
                var local = w.At.UtcDateTime + w.UtcOffset;
                var bmi = Math.Round(w.WeightKg / Math.Pow(o.HeightMillimeters / 1000.0, 2), 2);
                weights.Add($"{{\"logId\" : {new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeMilliseconds()}, \"weight\" : {Num(w.WeightKg)}, \"bmi\" : {Num(bmi)}," +
                            (w.BodyFatPercent is { } f ? $" \"fat\" : {Num(f)}," : "") +
                            $" \"date\" : \"{local:MM/dd/yy}\", \"time\" : \"{local:HH:mm:ss}\", \"source\" : \"{(w.Source == SourceKind.Scale ? "Aria" : "API")}\"}}");
            }
        Entry(zip, $"{ge}/weight-{from:yyyy-MM-dd}.json", "[" + string.Join(",", weights) + "]");
        // Sleep: local wall time, levels with lower-case stage names, the main-sleep flag.
        var sleeps = new List<string>();
        foreach (var s in person.SleepSessions(from, to))
        {
            string L(DateTimeOffset t, TimeSpan off) => (t.UtcDateTime + off).ToString("yyyy-MM-dd'T'HH:mm:ss'.000'", Inv);
            var data = string.Join(",", s.Stages.Select(st => $"{{\"dateTime\" : \"{L(st.Start, st.StartUtcOffset)}\", \"level\" : \"{(st.Type == "AWAKE" ? (s.Type == "STAGES" ? "wake" : "awake") : st.Type.ToLowerInvariant())}\", \"seconds\" : {(long)(st.End - st.Start).TotalSeconds}}}"));
            sleeps.Add($"{{\"logId\" : {s.Id}, \"dateOfSleep\" : \"{s.WakeDay:yyyy-MM-dd}\", \"startTime\" : \"{L(s.Start, s.StartUtcOffset)}\", \"endTime\" : \"{L(s.End, s.EndUtcOffset)}\", " +
                       $"\"duration\" : {(long)(s.End - s.Start).TotalMilliseconds}, \"minutesToFallAsleep\" : {s.MinutesToFallAsleep}, \"minutesAsleep\" : {s.MinutesAsleep}, \"minutesAwake\" : {s.MinutesAwake}, " +
                       $"\"minutesAfterWakeup\" : 0, \"timeInBed\" : {s.MinutesInSleepPeriod}, \"type\" : \"{s.Type.ToLowerInvariant()}\", \"logType\" : \"auto_detected\", \"mainSleep\" : {(s.IsMainSleep ? "true" : "false")}, " +
                       $"\"levels\" : {{\"data\" : [{data}]}}}}");
        }
        Entry(zip, $"{ge}/sleep-{from:yyyy-MM-dd}.json", "[" + string.Join(",", sleeps) + "]");
        // Legacy CSV folders: HRV (local), SpO2 (day stamped in UTC), AZM (local date-time per minute).
        var hrv = new StringBuilder("timestamp,rmssd,nremhr,entropy\n");
        var spo2 = new StringBuilder("timestamp,average_value,lower_bound,upper_bound\n");
        foreach (var b in dailies)
        {
            hrv.Append($"{b.Date:yyyy-MM-dd}T00:00:00,{Num(b.Daily!.HrvAverage)},{b.Daily.NonRemHeartRate},{Num(b.Daily.HrvEntropy)}\n");
            spo2.Append($"{b.Date:yyyy-MM-dd}T00:00:00Z,{Num(b.Daily.SpO2Average)},{Num(b.Daily.SpO2Lower)},{Num(b.Daily.SpO2Upper)}\n");
        }
        Entry(zip, $"{root}/Heart Rate Variability/Daily Heart Rate Variability Summary - {from:yyyy-MM-(dd)}.csv", hrv.ToString());
        Entry(zip, $"{root}/Oxygen Saturation (SpO2)/Daily SpO2 - {from:yyyy-MM-dd}.csv", spo2.ToString());
        var azm = new StringBuilder("date_time,heart_zone_id,total_minutes\n");
        foreach (var (b, m, t) in Minutes(person, from, to))
        {
            var md = b.Minutes;
            if (!md.Worn(m) || md.Zone[m] < HrZone.Moderate) continue;
            var local = DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.AddSeconds(b.OffsetAt(t));
            var z = md.Zone[m];
            azm.Append($"{local:yyyy-MM-dd'T'HH:mm},{(z == HrZone.Moderate ? "FAT_BURN" : z == HrZone.Vigorous ? "CARDIO" : "PEAK")},{(z == HrZone.Moderate ? 1 : 2)}\n");
        }
        Entry(zip, $"{root}/Active Zone Minutes (AZM)/Active Zone Minutes - {from:yyyy-MM-dd}.csv", azm.ToString());
    }
}
