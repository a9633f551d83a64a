namespace HealthApiEmulator.Data;

/// <summary>
/// Makes one civil day of the synthetic person from (seed, date) alone, so any day can be made in any
/// order and is the same every time. Randomness per minute is a stateless hash of the absolute minute,
/// so a minute's value does not depend on which block asked for it.
/// </summary>
internal sealed class PersonGenerator
{
    private const int StreamSleep = 1, StreamNap = 2, StreamExercise = 3, StreamWeight = 4, StreamDaily = 5,
        StreamCharge = 6, StreamStages = 7, StreamHeight = 8;
    private const int HStepsBout = 101, HSteps = 102, HPhone = 103, HPhoneFactor = 104, HHr = 105, HFloor = 106,
        HAlt = 107, HSedSteps = 108, HHrCadence = 109;

    private readonly int _seed;
    private readonly PersonOptions _o;
    private readonly Timeline _time;
    private readonly Func<DateOnly, DayBlock> _block;
    private readonly long _membershipStartInstant;

    private readonly bool _legacyHeartRate;

    public PersonGenerator(int seed, PersonOptions options, Timeline timeline, Func<DateOnly, DayBlock> block, bool legacyHeartRateCadence = false)
    {
        _seed = seed; _o = options; _time = timeline; _block = block; _legacyHeartRate = legacyHeartRateCadence;
        _membershipStartInstant = timeline.DayStart(options.MembershipStart);
    }

    public int MaxHeartRate(DateOnly day) => 220 - Age(day);

    public int Age(DateOnly day)
    {
        var age = day.Year - _o.BirthDate.Year;
        if (day < _o.BirthDate.AddYears(age)) age--;
        return age;
    }

    /// <summary>Google-style 19-digit point id, stable for (seed, kind, day, sub). The low 7 digits
    /// carry the block's day number and a sub index so dataPoints.get can find the point again.</summary>
    public long PointId(int kind, DateOnly day, int sub, long salt = 0)
        => PointIds.Make(_seed, kind, day, sub, salt);

    public double WeightTrendKg(DateOnly day)
    {
        var years = (day.DayNumber - _o.MembershipStart.DayNumber) / 365.25;
        return _o.WeightKgAtStart + _o.WeightTrendKgPerYear * years + 0.9 * Math.Sin(2 * Math.PI * (day.DayOfYear - 20) / 365.25);
    }

    public DayBlock CreateBlock(DateOnly d)
    {
        var zone = _time.ZoneOn(d);
        var start = _time.DayStart(d);
        var end = _time.DayStart(d.AddDays(1));
        var active = d >= _o.MembershipStart;
        var b = new DayBlock(d, start, end, zone, active, GenerateMinutes, ComputeExercises);
        if (!active) return b;
        b.Sleeps = GenerateSleeps(d);
        var main = b.Sleeps.FirstOrDefault(s => s.IsMainSleep);
        b.MainWake = main?.End.ToUnixTimeSeconds();
        b.ExercisePlans = GenerateExercises(b);
        b.WeighIns = GenerateWeighIns(b);
        b.Daily = main == null ? null : GenerateDaily(d, main);
        if ((d.DayNumber - _o.MembershipStart.DayNumber) % 365 == 0)
        {
            var at = _time.CivilToUtc(d, 9 * 60 + 5, zone) + 17;
            b.Height = (PointId(9, d, 0), at, _o.HeightMillimeters);
        }
        return b;
    }

    // ---------------------------------------------------------------- sleep

    /// <summary>Main sleep of wake day W before any guard: (start, wake) in Unix seconds.</summary>
    private (long Start, long Wake, Rng Rng) PlanMain(DateOnly w)
    {
        var rng = new Rng(_seed, w.DayNumber, StreamSleep);
        var weekend = w.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var wakeMinute = 6 * 60 + 5 + rng.Next(0, 85) + (weekend ? 50 : 0);
        var minutes = (int)Math.Clamp(450 + rng.Gauss() * 40, 330, 560);
        var wake = _time.CivilToUtc(w, wakeMinute, _time.ZoneOn(w));
        return (wake - minutes * 60L, wake, rng);
    }

    private List<SleepSession> GenerateSleeps(DateOnly w)
    {
        var list = new List<SleepSession>();
        var (start, wake, rng) = PlanMain(w);
        var previousWake = PlanMain(w.AddDays(-1)).Wake;
        if (start < previousWake + 11 * 3600) start = previousWake + 11 * 3600; // jet-lag nights are short
        if (wake - start >= 3 * 3600 && start >= _membershipStartInstant)
        {
            var classic = rng.Chance(0.06);
            list.Add(MakeSleep(w, start, wake, main: true, classic, PointId(1, w, 0)));
        }
        var nap = new Rng(_seed, w.DayNumber, StreamNap);
        if (nap.Chance(0.12) && _time.IsSettled(w))
        {
            var napStart = _time.CivilToUtc(w, 13 * 60 + 30 + nap.Next(0, 120), _time.ZoneOn(w));
            var napEnd = napStart + nap.Next(20, 95) * 60L;
            list.Add(MakeSleep(w, napStart, napEnd, main: false, classic: true, PointId(1, w, 1)));
        }
        return list;
    }

    private SleepStageSegment Segment(string type, long start, long end)
        => new(type, DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(end),
            TimeSpan.FromSeconds(_time.OffsetAt(start)), TimeSpan.FromSeconds(_time.OffsetAt(end)));

    private SleepSession MakeSleep(DateOnly w, long start, long end, bool main, bool classic, long id)
    {
        var rng = new Rng(_seed, start / 60, StreamStages);
        var total = (int)((end - start) / 60);
        var segments = new List<(string Type, int Minutes)>();
        if (classic)
        {
            var t = 0;
            while (t < total)
            {
                var asleep = Math.Min(rng.Next(25, 110), total - t);
                segments.Add(("ASLEEP", asleep)); t += asleep;
                if (t >= total) break;
                var restless = Math.Min(rng.Chance(0.25) ? rng.Next(2, 8) : rng.Next(1, 4), total - t);
                segments.Add((rng.Chance(0.2) ? "AWAKE" : "RESTLESS", restless)); t += restless;
            }
        }
        else
        {
            var t = 0;
            var fallAsleep = rng.Next(2, 18);
            segments.Add(("AWAKE", fallAsleep)); t += fallAsleep;
            for (var cycle = 0; t < total; cycle++)
            {
                void Add(string type, int m)
                {
                    m = Math.Min(m, total - t);
                    if (m > 0) { segments.Add((type, m)); t += m; }
                }
                Add("LIGHT", rng.Next(15, 38));
                Add("DEEP", cycle < 2 ? rng.Next(18, 42) : rng.Next(0, 16));
                Add("LIGHT", rng.Next(5, 16));
                Add("REM", cycle < 1 ? rng.Next(5, 14) : rng.Next(14, 36));
                if (rng.Chance(0.4)) Add("AWAKE", rng.Next(1, 6));
            }
        }
        // merge neighbours of the same type (a zero-length DEEP can put two LIGHTs side by side)
        var merged = new List<(string Type, int Minutes)>();
        foreach (var s in segments)
        {
            if (merged.Count > 0 && merged[^1].Type == s.Type) merged[^1] = (s.Type, merged[^1].Minutes + s.Minutes);
            else merged.Add(s);
        }
        var stages = new List<SleepStageSegment>();
        var shortAwakenings = new List<SleepStageSegment>();
        var cursor = start;
        foreach (var (type, minutes) in merged)
        {
            var segStart = cursor; cursor += minutes * 60L;
            stages.Add(Segment(type, segStart, cursor));
            if (!classic && type == "LIGHT" && minutes >= 10 && rng.Chance(0.5))
            {
                var at = segStart + rng.Next(1, minutes - 2) * 60L;
                shortAwakenings.Add(Segment("LIGHT", at, at + 60));
            }
        }
        var create = DateTimeOffset.FromUnixTimeSeconds(end + rng.Next(240, 900)).AddTicks(rng.Next(0, 1_000_000) * 10L);
        return new SleepSession
        {
            Id = id, WakeDay = w, IsMainSleep = main, IsNap = !main, Type = classic ? "CLASSIC" : "STAGES",
            Start = DateTimeOffset.FromUnixTimeSeconds(start), End = DateTimeOffset.FromUnixTimeSeconds(end),
            StartUtcOffset = TimeSpan.FromSeconds(_time.OffsetAt(start)), EndUtcOffset = TimeSpan.FromSeconds(_time.OffsetAt(end)),
            Stages = stages, ShortAwakenings = shortAwakenings,
            CreateTime = create, UpdateTime = create.AddSeconds(rng.Next(1, 9)).AddTicks(rng.Next(0, 1_000_000) * 10L),
        };
    }

    // ---------------------------------------------------------------- exercise, weight, daily

    private List<ExercisePlan> GenerateExercises(DayBlock b)
    {
        var rng = new Rng(_seed, b.Date.DayNumber, StreamExercise);
        var plans = new List<ExercisePlan>();
        void Plan(int kind, string type, string name, int civilStartMinute, int minutes)
        {
            var start = _time.CivilToUtc(b.Date, civilStartMinute, b.Zone);
            var end = start + minutes * 60L;
            if (start < b.Start || end > b.End) return;
            foreach (var s in b.Sleeps.Concat(GenerateSleeps(b.Date.AddDays(1))))
                if (start < s.End.ToUnixTimeSeconds() && s.Start.ToUnixTimeSeconds() < end) return;
            plans.Add(new ExercisePlan(PointId(2, b.Date, kind), type, name, start, end));
        }
        var weekend = b.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        if (rng.Chance(0.55)) Plan(0, "WALKING", "Walk", 12 * 60 + 10 + rng.Next(0, 30), rng.Next(20, 46));
        var roll = rng.NextDouble();
        if (roll < 0.40) Plan(1, "RUNNING", "Run", (weekend ? 9 * 60 + 30 : 17 * 60 + 45) + rng.Next(0, 40), rng.Next(25, 56));
        else if (roll < 0.47) Plan(2, "BIKING", "Bike", 10 * 60 + rng.Next(0, 60), rng.Next(40, 76));
        else if (roll < 0.53) Plan(3, "YOGA", "Yoga", 19 * 60 + 30 + rng.Next(0, 30), rng.Next(30, 61));
        else if (roll < 0.60) Plan(4, "STRENGTH_TRAINING", "Weights", 18 * 60 + rng.Next(0, 30), rng.Next(30, 51));
        return plans;
    }

    private List<WeighIn> GenerateWeighIns(DayBlock b)
    {
        var rng = new Rng(_seed, b.Date.DayNumber, StreamWeight);
        var list = new List<WeighIn>();
        if (b.MainWake is not { } wake || !rng.Chance(0.58)) return list;
        var trend = WeightTrendKg(b.Date);
        var at = wake + rng.Next(8 * 60, 26 * 60) + rng.Next(0, 60);
        var scale = rng.Chance(0.75) && ReferenceEquals(b.Zone, _time.Home); // the scale stays at home
        var kg = Math.Round(trend + rng.Gauss() * 0.3, 1);
        double? fat = scale && rng.Chance(0.7) ? Math.Round(24.5 - 0.6 * (b.Date.DayNumber - _o.MembershipStart.DayNumber) / 365.25 + rng.Gauss() * 0.4, 1) : null;
        list.Add(new WeighIn(PointId(3, b.Date, 0), DateTimeOffset.FromUnixTimeSeconds(at), TimeSpan.FromSeconds(b.OffsetAt(at)),
            kg, fat, scale ? SourceKind.Scale : SourceKind.Manual) { BodyFatId = PointId(4, b.Date, 0) });
        if (rng.Chance(0.12))
        {
            var evening = _time.CivilToUtc(b.Date, 21 * 60 + rng.Next(0, 90), b.Zone) + rng.Next(0, 60);
            if (evening < b.End)
                list.Add(new WeighIn(PointId(3, b.Date, 1), DateTimeOffset.FromUnixTimeSeconds(evening),
                    TimeSpan.FromSeconds(b.OffsetAt(evening)), Math.Round(trend + 0.7 + rng.Gauss() * 0.3, 1), null, SourceKind.Manual));
        }
        return list;
    }

    private DailyValues GenerateDaily(DateOnly d, SleepSession main)
    {
        var rng = new Rng(_seed, d.DayNumber, StreamDaily);
        var years = (d.DayNumber - _o.MembershipStart.DayNumber) / 365.25;
        var season = Math.Sin(2 * Math.PI * (d.DayOfYear - 30) / 365.25);
        var rhr = (int)Math.Round(61 + 2.0 * season - 0.8 * years + rng.Gauss() * 1.3);
        var hrv = Math.Round(41 + 3 * years - 2 * season + rng.Gauss() * 5, 1);
        var spo2 = Math.Round(96.2 + rng.Gauss() * 0.6, 1);
        var vo2 = Math.Round(43.5 + 0.6 * years - 0.8 * season + rng.Gauss() * 0.4, 1);
        var stddev = rng.Chance(0.03) ? double.NaN : Math.Round(0.15 + rng.NextDouble() * 0.4, 2);
        return new DailyValues
        {
            RestingHeartRate = rhr,
            RestingWithSleep = main.Type == "STAGES" || rng.Chance(0.5),
            HrvAverage = hrv, HrvDeepRmssd = Math.Round(hrv * (1.05 + rng.NextDouble() * 0.15), 1),
            HrvEntropy = Math.Round(1.3 + rng.NextDouble() * 0.8, 3), NonRemHeartRate = rhr - 2 - rng.Next(0, 3),
            SpO2Average = spo2, SpO2Lower = Math.Round(spo2 - 1.2 - rng.NextDouble(), 1), SpO2Upper = Math.Round(Math.Min(100, spo2 + 1.2 + rng.NextDouble()), 1),
            SpO2StdDev = Math.Round(0.5 + rng.NextDouble() * 0.7, 2),
            BreathsPerMinute = Math.Round(14.8 + rng.Gauss() * 0.6, 1),
            NightlyTemperature = Math.Round(33.9 + rng.Gauss() * 0.3, 2), BaselineTemperature = Math.Round(33.9 + 0.1 * season, 2),
            RelativeNightlyStdDev30d = stddev,
            Vo2Max = vo2, Vo2MaxCovariance = Math.Round(1.5 + rng.NextDouble() * 1.5, 2), Vo2Estimated = rng.Chance(0.3),
            CardioFitnessLevel = vo2 switch { < 35 => "POOR", < 39 => "FAIR", < 43 => "AVERAGE", < 47 => "GOOD", < 51 => "VERY_GOOD", _ => "EXCELLENT" },
            AvailableAt = main.End.ToUnixTimeSeconds(),
        };
    }

    // ---------------------------------------------------------------- minutes

    private MinuteData GenerateMinutes(DayBlock b)
    {
        var n = b.MinuteCount;
        var md = new MinuteData
        {
            Count = n,
            WatchSteps = new short[n], PhoneSteps = new short[n], WatchDistanceMm = new int[n], PhoneDistanceMm = new int[n],
            Floors = new byte[n], AltitudeGainMm = new int[n], HeartRate = new byte[n], Flags = new MinuteFlags[n],
            Zone = new HrZone[n], Level = new ActLevel[n], ActiveKcal = new float[n], HrSamples = new byte[n],
        };
        if (!b.Active) return md;

        var weight = WeightTrendKg(b.Date);
        var age = Age(b.Date);
        md.BmrKcalPerMinute = (10 * weight + 6.25 * _o.HeightMillimeters / 10.0 - 5 * age + 5) / 1440.0;
        var maxHr = 220 - age;
        var rhr = b.Daily?.RestingHeartRate ?? _block(b.Date.AddDays(-1)).Daily?.RestingHeartRate ?? 60;

        // sleep (this day's sessions and the next night's, which may start in this block)
        foreach (var s in b.Sleeps.Concat(_block(b.Date.AddDays(1)).Sleeps))
            Mark(b, md, s.Start.ToUnixTimeSeconds(), s.End.ToUnixTimeSeconds(), MinuteFlags.Asleep | (s.IsMainSleep ? MinuteFlags.MainSleep : 0));
        foreach (var e in b.ExercisePlans) Mark(b, md, e.Start, e.End, MinuteFlags.Exercise);

        // the watch charges once a day, 60–120 min, soon after waking up
        long chargeStart = long.MaxValue, chargeEnd = long.MinValue;
        if (b.MainWake is { } wake)
        {
            var charge = new Rng(_seed, b.Date.DayNumber, StreamCharge);
            chargeStart = wake + charge.Next(30, 75) * 60L;
            chargeEnd = chargeStart + charge.Next(60, 121) * 60L;
            foreach (var e in b.ExercisePlans) if (e.Start < chargeEnd && chargeStart < e.End) chargeEnd = e.Start;
        }

        var exerciseOf = new string?[n];
        foreach (var e in b.ExercisePlans)
            for (var t = Math.Max(e.Start, b.Start); t < Math.Min(e.End, b.End); t += 60) exerciseOf[(t - b.Start) / 60] = e.Type;

        var lightMin = (int)(maxHr * 0.5); var moderateMin = (int)(maxHr * 0.6); var vigorousMin = (int)(maxHr * 0.7); var peakMin = (int)(maxHr * 0.85);
        var weightFactor = weight / 80.0;
        for (var m = 0; m < n; m++)
        {
            var t = b.Start + 60L * m;
            var abs = t / 60;
            var civilMinute = (int)(((t + b.OffsetAt(t)) / 60 % 1440 + 1440) % 1440);
            var hour = civilMinute / 60;
            var flags = md.Flags[m];
            var asleep = (flags & MinuteFlags.Asleep) != 0;
            var charging = t >= chargeStart && t < chargeEnd;
            if (!charging) flags |= MinuteFlags.Worn;
            var exercise = exerciseOf[m];

            int steps = 0, hr; double extraKcal = 0; var running = false;
            if (asleep)
            {
                hr = rhr - 4 + (int)(Rng.Hash01(_seed, abs, HHr) * 6);
            }
            else if (exercise != null)
            {
                var h = Rng.Hash01(_seed, abs, HHr);
                switch (exercise)
                {
                    case "RUNNING": steps = 152 + (int)(Rng.Hash01(_seed, abs, HSteps) * 22); hr = 136 + (int)(h * 26); running = true; break;
                    case "WALKING": steps = 102 + (int)(Rng.Hash01(_seed, abs, HSteps) * 22); hr = 98 + (int)(h * 20); break;
                    case "BIKING": hr = 120 + (int)(h * 28); extraKcal = 6; break;
                    case "YOGA": steps = (int)(Rng.Hash01(_seed, abs, HSteps) * 6); hr = 80 + (int)(h * 14); extraKcal = 1.5; break;
                    default: steps = 4 + (int)(Rng.Hash01(_seed, abs, HSteps) * 18); hr = 100 + (int)(h * 32); extraKcal = 3; break;
                }
            }
            else
            {
                var boutChance = hour switch { >= 7 and < 9 => 0.12, >= 9 and < 12 => 0.05, >= 12 and < 14 => 0.09, >= 14 and < 17 => 0.05, >= 17 and < 20 => 0.11, >= 20 and < 23 => 0.03, _ => 0.01 };
                if (Rng.Hash01(_seed, abs / 5, HStepsBout) < boutChance)
                {
                    steps = 68 + (int)(Rng.Hash01(_seed, abs, HSteps) * 50);
                    hr = 86 + (int)(Rng.Hash01(_seed, abs, HHr) * 22);
                }
                else
                {
                    var r = Rng.Hash01(_seed, abs, HSedSteps);
                    steps = r < 0.15 ? 1 + (int)(r / 0.15 * 18) : 0;
                    hr = rhr + 8 + (int)(Rng.Hash01(_seed, abs, HHr) * 14);
                }
            }

            var phone = !asleep && hour >= 7 && hour < 23 && exercise is not ("RUNNING" or "BIKING" or "YOGA")
                        && (charging || Rng.Hash01(_seed, abs / 15, HPhone) < 0.5);
            if (phone) flags |= MinuteFlags.PhoneCarried;
            var worn = !charging;
            var stride = running ? 1100 : 740;
            if (worn)
            {
                md.WatchSteps[m] = (short)steps;
                md.WatchDistanceMm[m] = steps * stride;
                md.HeartRate[m] = (byte)Math.Clamp(hr, 35, 220);
                md.Zone[m] = hr >= peakMin ? HrZone.Peak : hr >= vigorousMin ? HrZone.Vigorous : hr >= moderateMin ? HrZone.Moderate : hr >= lightMin ? HrZone.Light : HrZone.None;
                if (steps >= 60 && Rng.Hash01(_seed, abs, HFloor) < 0.04)
                {
                    md.Floors[m] = 1;
                    md.AltitudeGainMm[m] = 2900 + (int)(Rng.Hash01(_seed, abs, HAlt) * 600);
                }
                if (!asleep)
                {
                    md.Level[m] = steps >= 130 || md.Zone[m] >= HrZone.Vigorous ? ActLevel.Vigorous
                        : steps >= 100 || md.Zone[m] == HrZone.Moderate ? ActLevel.Moderate
                        : steps >= 40 ? ActLevel.Light : ActLevel.Sedentary;
                    if (md.Level[m] == ActLevel.Sedentary) flags |= MinuteFlags.Sedentary;
                }
            }
            if (phone && steps > 0)
            {
                var factor = 0.86 + Rng.Hash01(_seed, abs, HPhoneFactor) * 0.16;
                md.PhoneSteps[m] = (short)Math.Max(1, (int)Math.Round(steps * factor));
                md.PhoneDistanceMm[m] = md.PhoneSteps[m] * 720;
            }
            var reconciledSteps = worn ? md.WatchSteps[m] : md.PhoneSteps[m];
            md.ActiveKcal[m] = (float)Math.Round(reconciledSteps * 0.045 * weightFactor * (running ? 1.25 : 1.0) + (worn ? extraKcal : 0), 3);
            md.Flags[m] = flags;
            // Heart-rate cadence (evidence §1.2: Pixel Watch median gap 2 s, Fitbit Air ~5 s): 2 s in a workout,
            // 3–4 s when active, 5 s at rest and asleep. Legacy: 10 s in a workout, else 15 s.
            md.HrSamples[m] = !worn ? (byte)0
                : _legacyHeartRate ? (byte)(exercise != null ? 6 : 4)
                : exercise != null ? (byte)30
                : !asleep && md.Level[m] != ActLevel.Sedentary ? (byte)(Rng.Hash01(_seed, abs, HHrCadence) < 0.5 ? 20 : 15)
                : (byte)12;
        }
        return md;
    }

    private static void Mark(DayBlock b, MinuteData md, long from, long to, MinuteFlags flag)
    {
        for (var t = Math.Max(from, b.Start); t < Math.Min(to, b.End); t += 60) md.Flags[(t - b.Start) / 60] |= flag;
    }

    private IReadOnlyList<ExerciseSession> ComputeExercises(DayBlock b)
    {
        var list = new List<ExerciseSession>();
        if (b.ExercisePlans.Count == 0) return list;
        var md = b.Minutes;
        foreach (var p in b.ExercisePlans)
        {
            long steps = 0, dist = 0, azm = 0, hrSum = 0, hrCount = 0; double kcal = 0;
            for (var t = p.Start; t < p.End; t += 60)
            {
                var m = (int)((t - b.Start) / 60);
                steps += md.WatchSteps[m]; dist += md.WatchDistanceMm[m]; kcal += md.TotalKcal(m);
                if (md.HeartRate[m] > 0) { hrSum += md.HeartRate[m]; hrCount++; }
                azm += md.Zone[m] switch { HrZone.Moderate => 1, HrZone.Vigorous or HrZone.Peak => 2, _ => 0 };
            }
            list.Add(new ExerciseSession(p.Id, p.Type, p.DisplayName, DateTimeOffset.FromUnixTimeSeconds(p.Start), DateTimeOffset.FromUnixTimeSeconds(p.End),
                TimeSpan.FromSeconds(b.OffsetAt(p.Start)), TimeSpan.FromSeconds(b.OffsetAt(p.End)), Math.Round(kcal, 2), dist, steps,
                hrCount == 0 ? 0 : (int)Math.Round((double)hrSum / hrCount), azm));
        }
        return list;
    }
}
