using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FitbitPS.Engine.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Takeout
{
    /// <summary>
    /// Reads the Fitbit files of a Takeout archive (both layouts, see docs/takeout.md) into the readers' records.
    /// Pass 1 reads the small files that say where the person was (profile zone, sleeps' UTC offsets); pass 2 streams every
    /// family file once. Minute families are reconciled per minute inside each file (a wearable's value before the phone's,
    /// a mirror such as "Fit Health Connect" only when nothing else has the minute, never summed) and added into per-day
    /// totals, so memory holds days, not minutes. Where the 2026 CSV tree and the legacy JSON tree both have a day, the CSV's
    /// value is taken.
    /// </summary>
    internal sealed class TakeoutReader
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private readonly TakeoutReadOptions _o;
        private TakeoutZone _zone;
        private string _weightUnit; // POUND / KILOGRAM from Profile.csv
        // layer 0: 2026 CSV tree, layer 1: legacy JSON/CSV tree
        private readonly Dictionary<DateTime, DayTotals>[] _days = { new Dictionary<DateTime, DayTotals>(), new Dictionary<DateTime, DayTotals>() };
        private readonly Dictionary<string, (DateTime First, DateTime Last)> _familySpan = new Dictionary<string, (DateTime, DateTime)>();
        private readonly Dictionary<DateTime, long>[] _resting = { new Dictionary<DateTime, long>(), new Dictionary<DateTime, long>() };
        private readonly Dictionary<DateTime, string>[] _restingSource = { new Dictionary<DateTime, string>(), new Dictionary<DateTime, string>() };
        private readonly Dictionary<DateTime, HeartRateVariability>[] _hrv = { new Dictionary<DateTime, HeartRateVariability>(), new Dictionary<DateTime, HeartRateVariability>() };
        private readonly Dictionary<DateTime, OxygenSaturation>[] _spo2 = { new Dictionary<DateTime, OxygenSaturation>(), new Dictionary<DateTime, OxygenSaturation>() };
        private readonly List<(DateTimeOffset At, double Grams, string Source)> _weights = new List<(DateTimeOffset, double, string)>();
        private readonly List<(DateTimeOffset At, double Percent)> _fats = new List<(DateTimeOffset, double)>();
        private readonly List<BodyWeight> _legacyWeights = new List<BodyWeight>();
        private (DateTimeOffset At, long Mm)? _height;
        private readonly Dictionary<string, SleepRow> _sleeps = new Dictionary<string, SleepRow>(StringComparer.Ordinal);
        private readonly List<(SleepSession Session, List<SleepStage> Stages)> _legacySleeps = new List<(SleepSession, List<SleepStage>)>();
        private readonly Dictionary<string, int> _unknown = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        public TakeoutReader(TakeoutReadOptions options) { _o = options; }

        public TakeoutZone Zone => _zone;

        private sealed class DayTotals
        {
            public double? Steps, DistanceMm, Floors, Kcal, ActiveKcal, AzmFatBurn, AzmCardio, AzmPeak;
        }

        private sealed class SleepRow
        {
            public SleepSession Session;
            public List<SleepStage> Stages = new List<SleepStage>();
            public DateTimeOffset StartUtc, EndUtc;
        }

        // ------------------------------------------------------------------ reading

        public void Read(TakeoutArchive archive, CancellationToken ct)
        {
            var entries = archive.Entries;
            long total = archive.TotalBytes, done = 0;
            int files = 0;
            // Pass 1: the profile's zone and unit, and the offsets the sleeps and exercises carry.
            TimeZoneInfo home = _o.TimeZone;
            var observed = new List<(DateTimeOffset, TimeSpan)>();
            foreach (var e in entries.Where(e => e.Name.Equals("Profile.csv", StringComparison.OrdinalIgnoreCase)))
                Guard(e, () => ReadProfile(e, ref home));
            foreach (var e in entries.Where(e => Family(e) == "UserSleeps"))
                Guard(e, () => EachRow(e, (h, r) =>
                {
                    var end = Instant(Col(h, r, "sleep_end"));
                    var offset = Offset(Col(h, r, "end_utc_offset"));
                    if (end.HasValue && offset.HasValue) observed.Add((end.Value, offset.Value));
                }));
            _zone = new TakeoutZone(home);
            foreach (var (at, offset) in observed) _zone.Observe(at, offset);

            // Pass 2: every file once.
            foreach (var e in entries)
            {
                ct.ThrowIfCancellationRequested();
                files++;
                Guard(e, () => ReadEntry(e));
                done += e.Length;
                _o.Progress?.Invoke(new TakeoutProgress { Files = files, FileCount = entries.Count, Bytes = done, TotalBytes = total, File = e.ToString() });
            }
            foreach (var u in _unknown)
                _o.Log?.Invoke(Core.EngineLogLevel.Verbose, $"Skipped {u.Value} file(s) of '{u.Key}' (not a family FitbitPS imports).");
        }

        private void Guard(TakeoutEntry e, Action read)
        {
            try { read(); }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is JsonException || ex is FormatException
                                       || ex is OverflowException || ex is InvalidCastException || ex is ArgumentException || ex is NullReferenceException
                                       || ex is KeyNotFoundException || ex is IndexOutOfRangeException)
            {
                _o.Log?.Invoke(Core.EngineLogLevel.Warning, $"Skipped the damaged file '{e}' ({ex.Message.TrimEnd('.')}); the rest of the archive is imported.");
            }
        }

        private void ReadProfile(TakeoutEntry e, ref TimeZoneInfo home)
        {
            TimeZoneInfo found = null;
            EachRow(e, (h, r) =>
            {
                var tz = Col(h, r, "timezone");
                if (!string.IsNullOrWhiteSpace(tz))
                {
                    try { found = TimeZoneInfo.FindSystemTimeZoneById(tz.Trim()); }
                    catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException) { }
                }
                var unit = Col(h, r, "weight_unit");
                if (!string.IsNullOrWhiteSpace(unit)) _weightUnit = unit.Trim().ToUpperInvariant();
            });
            if (home == null && found != null) home = found;
        }

        /// <summary>The family a file belongs to: its name without the date shard and extension
        /// (steps_2026-06-01.csv → steps, weight-2024-03-21.json → weight, UserSleeps_2026-10-04.csv → UserSleeps).</summary>
        internal static string Family(TakeoutEntry e)
        {
            var name = e.Name;
            var dot = name.LastIndexOf('.');
            if (dot > 0) name = name.Substring(0, dot);
            // "… - 2024-07-(21)" and "… - 2024-07-" (legacy CSV), "_YYYY-MM-DD" / "-YYYY-MM-DD" (shards)
            var dash = name.IndexOf(" - ", StringComparison.Ordinal);
            if (dash > 0) return name.Substring(0, dash);
            int i = name.Length;
            while (i > 0 && (char.IsDigit(name[i - 1]) || name[i - 1] == '-' || name[i - 1] == '(' || name[i - 1] == ')')) i--;
            if (i > 0 && i < name.Length && name[i] == '-') return name.Substring(0, i); // the shard's dash was taken with the date
            if (i > 0 && i < name.Length && name[i - 1] == '_') return name.Substring(0, i - 1);
            return name;
        }

        private static bool IsLegacy(TakeoutEntry e) => e.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

        private void ReadEntry(TakeoutEntry e)
        {
            var family = Family(e);
            bool json = IsLegacy(e);
            bool csv = e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            if (!json && !csv) return; // READMEs, images
            if (json)
            {
                switch (family.ToLowerInvariant())
                {
                    case "steps": LegacyMinutes(e, "steps", 1, utc: true); return;
                    case "distance": LegacyMinutes(e, "distance", 10, utc: true); return; // centimetres → mm
                    case "calories": LegacyMinutes(e, "calories", 1, utc: false); return; // local wall time
                    case "resting_heart_rate": LegacyResting(e); return;
                    case "weight": LegacyWeight(e); return;
                    case "sleep": LegacySleep(e); return;
                }
                Unknown(family);
                return;
            }
            switch (family.ToLowerInvariant())
            {
                case "steps": Minutes(e, "steps", "steps", 1); return;
                case "distance": Minutes(e, "distance", "distance", 1000); return; // metres → mm
                case "floors": Minutes(e, "floors", "floors", 1); return;
                case "calories": Minutes(e, "calories", "calories", 1); return;
                case "active_energy_burned": Minutes(e, "active_energy_burned", "kilocalories", 1); return;
                case "active_zone_minutes": Azm(e); return;
                case "daily_resting_heart_rate":
                case "resting_heart_rate": Resting(e); return;
                case "daily_heart_rate_variability": Hrv(e); return;
                case "daily_oxygen_saturation": SpO2(e); return;
                case "weight": Weight(e); return;
                case "body_fat": BodyFat(e); return;
                case "height": Height(e); return;
                case "usersleeps": Sleeps(e); return;
                case "usersleepstages": SleepStages(e); return;
                case "daily heart rate variability summary": LegacyHrv(e); return;
                case "daily spo2": LegacySpO2(e); return;
                case "active zone minutes": LegacyAzm(e); return;
                case "profile": return;
            }
            Unknown(family);
        }

        private void Unknown(string family) => _unknown[family] = _unknown.TryGetValue(family, out var n) ? n + 1 : 1;

        // ------------------------------------------------------------------ CSV helpers

        private static void EachRow(TakeoutEntry e, Action<Dictionary<string, int>, List<string>> row)
        {
            using (var stream = e.Open())
            using (var text = new StreamReader(stream, new UTF8Encoding(false), true, 65536))
            {
                var csv = new TakeoutCsv(text);
                var header = csv.Read();
                if (header == null) return;
                if (header.Count == 1 && header[0].Trim().Equals("no data", StringComparison.OrdinalIgnoreCase)) return; // placeholder stubs
                var h = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < header.Count; i++) h[header[i].Trim().TrimStart('\uFEFF')] = i;
                if (!h.ContainsKey("timestamp") && !h.ContainsKey("sleep_id") && !h.ContainsKey("date_time") && !h.ContainsKey("timezone") && !h.ContainsKey("full_name"))
                    throw new FormatException($"its header '{string.Join(",", header)}' is not one FitbitPS knows");
                List<string> r;
                while ((r = csv.Read()) != null)
                {
                    if (r.Count == 1 && r[0].Length == 0) continue;
                    row(h, r);
                }
            }
        }

        private static string Col(Dictionary<string, int> h, List<string> r, string name)
            => h.TryGetValue(name, out var i) && i < r.Count ? r[i] : null;

        private static double? Number(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!double.TryParse(text.Trim(), NumberStyles.Float, Inv, out var v)) throw new FormatException($"'{text}' is not a number");
            return double.IsNaN(v) || double.IsInfinity(v) ? (double?)null : v;
        }

        private static readonly string[] InstantFormats =
        {
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:sszzz",
        };

        /// <summary>An instant of the 2026 files: ISO UTC (…Z, fractions), or "2026-10-04 20:30:00+0000".</summary>
        internal static DateTimeOffset? Instant(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            text = text.Trim();
            // +0000 → +00:00 (the session tables)
            if (text.Length > 5 && (text[text.Length - 5] == '+' || text[text.Length - 5] == '-') && text.Skip(text.Length - 4).All(char.IsDigit) && text[text.Length - 8] == ':')
                text = text.Substring(0, text.Length - 2) + ":" + text.Substring(text.Length - 2);
            if (DateTimeOffset.TryParseExact(text, InstantFormats, Inv, DateTimeStyles.AssumeUniversal, out var v)) return v;
            throw new FormatException($"'{text}' is not a time");
        }

        /// <summary>"+02:00", "-05:00", "3600" (seconds) as an offset.</summary>
        private static TimeSpan? Offset(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            text = text.Trim();
            if (int.TryParse(text, NumberStyles.Integer, Inv, out var seconds)) return TimeSpan.FromSeconds(seconds);
            bool negative = text[0] == '-';
            var t = text.TrimStart('+', '-').Replace(":", "");
            if (t.Length != 4 || !t.All(char.IsDigit)) throw new FormatException($"'{text}' is not a UTC offset");
            var span = new TimeSpan(int.Parse(t.Substring(0, 2), Inv), int.Parse(t.Substring(2), Inv), 0);
            return negative ? -span : span;
        }

        /// <summary>The day a daily row is about (§5.3): a bare date or a UTC midnight is the day itself (a label, not an
        /// instant); any other time is local midnight written in UTC: the person's day then.</summary>
        private DateTime? DayLabel(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            text = text.Trim();
            if (text.Length == 10) return DateTime.ParseExact(text, "yyyy-MM-dd", Inv);
            var instant = Instant(text).Value;
            if (instant.UtcDateTime.TimeOfDay == TimeSpan.Zero) return instant.UtcDateTime.Date;
            return _zone.DayOf(instant.ToUnixTimeSeconds() + 1);
        }

        private bool Keep(DateTime day) => day <= _o.Today.Date && (_o.From == null || day >= _o.From.Value.Date) && (_o.To == null || day <= _o.To.Value.Date);

        private DayTotals Totals(int layer, DateTime day)
        {
            if (!_days[layer].TryGetValue(day, out var t)) _days[layer][day] = t = new DayTotals();
            return t;
        }

        private void Span(string family, DateTime day)
        {
            if (_familySpan.TryGetValue(family, out var s)) _familySpan[family] = (day < s.First ? day : s.First, day > s.Last ? day : s.Last);
            else _familySpan[family] = (day, day);
        }

        private static void Add(DayTotals t, string family, double value)
        {
            switch (family)
            {
                case "steps": t.Steps = (t.Steps ?? 0) + value; break;
                case "distance": t.DistanceMm = (t.DistanceMm ?? 0) + value; break;
                case "floors": t.Floors = (t.Floors ?? 0) + value; break;
                case "calories": t.Kcal = (t.Kcal ?? 0) + value; break;
                case "active_energy_burned": t.ActiveKcal = (t.ActiveKcal ?? 0) + value; break;
                case "FAT_BURN": t.AzmFatBurn = (t.AzmFatBurn ?? 0) + value; break;
                case "CARDIO": t.AzmCardio = (t.AzmCardio ?? 0) + value; break;
                case "PEAK": t.AzmPeak = (t.AzmPeak ?? 0) + value; break;
            }
        }

        /// <summary>Who recorded a minute, for picking one value per minute: a device (2) before the phone (1) before a
        /// mirror of another app's data (0: Health Connect, HealthKit), which repeats what the others already have.</summary>
        internal static int SourceRank(string source)
        {
            if (string.IsNullOrWhiteSpace(source)) return 2;
            if (source.IndexOf("Health Connect", StringComparison.OrdinalIgnoreCase) >= 0 || source.IndexOf("Health Kit", StringComparison.OrdinalIgnoreCase) >= 0
                || source.IndexOf("HealthKit", StringComparison.OrdinalIgnoreCase) >= 0) return 0;
            if (source.IndexOf("MobileTrack", StringComparison.OrdinalIgnoreCase) >= 0 || source.IndexOf("Phone", StringComparison.OrdinalIgnoreCase) >= 0) return 1;
            return 2;
        }

        // ------------------------------------------------------------------ 2026 CSV families

        private void Minutes(TakeoutEntry e, string family, string column, double scale)
        {
            var best = new Dictionary<long, (int Rank, double Value)>();
            EachRow(e, (h, r) =>
            {
                var at = Instant(Col(h, r, "timestamp"));
                var value = Number(Col(h, r, column));
                if (at == null || value == null) return;
                long key = at.Value.ToUnixTimeSeconds();
                int rank = SourceRank(Col(h, r, "data source"));
                if (!best.TryGetValue(key, out var b) || rank > b.Rank || (rank == b.Rank && value.Value > b.Value)) best[key] = (rank, value.Value);
            });
            foreach (var pair in best)
            {
                var day = _zone.DayOf(pair.Key);
                if (!Keep(day)) continue;
                Add(Totals(0, day), family, pair.Value.Value * scale);
                Span(family, day);
            }
        }

        private void Azm(TakeoutEntry e)
        {
            var best = new Dictionary<(long, string), (int Rank, double Value)>();
            EachRow(e, (h, r) =>
            {
                var at = Instant(Col(h, r, "timestamp"));
                var zone = Col(h, r, "heart rate zone")?.Trim().ToUpperInvariant();
                var value = Number(Col(h, r, "total minutes"));
                if (at == null || value == null || zone == null) return;
                var key = (at.Value.ToUnixTimeSeconds(), zone);
                int rank = SourceRank(Col(h, r, "data source"));
                if (!best.TryGetValue(key, out var b) || rank > b.Rank) best[key] = (rank, value.Value);
            });
            foreach (var pair in best)
            {
                var day = _zone.DayOf(pair.Key.Item1);
                if (!Keep(day)) continue;
                Add(Totals(0, day), pair.Key.Item2, pair.Value.Value);
                Span("azm", day);
            }
        }

        private void Resting(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var day = DayLabel(Col(h, r, "timestamp"));
            var bpm = Number(Col(h, r, "beats per minute"));
            if (day == null || bpm == null || bpm.Value <= 0 || !Keep(day.Value)) return; // 0: not measured
            _resting[0][day.Value] = (long)Math.Round(bpm.Value, MidpointRounding.AwayFromZero); // 51 and 51.0 are one value
            _restingSource[0][day.Value] = Col(h, r, "data source");
        });

        private void Hrv(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var day = DayLabel(Col(h, r, "timestamp"));
            var rmssd = Number(Col(h, r, "average heart rate variability milliseconds"));
            if (day == null || rmssd == null || rmssd.Value <= 0 || !Keep(day.Value)) return;
            var nrem = Number(Col(h, r, "non rem heart rate beats per minute"));
            _hrv[0][day.Value] = new HeartRateVariability
            {
                Date = day.Value,
                RmssdMilliseconds = Units.Round(rmssd, 1),
                DeepSleepRmssdMilliseconds = Units.Round(Positive(Number(Col(h, r, "deep sleep root mean square of successive differences milliseconds"))), 1),
                Entropy = Units.Round(Positive(Number(Col(h, r, "entropy"))), 3),
                NonRemHeartRateBpm = Positive(nrem) is double n ? (long)Math.Round(n, MidpointRounding.AwayFromZero) : (long?)null,
                Source = Col(h, r, "data source"),
            };
        });

        private static double? Positive(double? v) => v.HasValue && v.Value > 0 ? v : null;

        private void SpO2(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var day = DayLabel(Col(h, r, "timestamp"));
            var avg = Positive(Number(Col(h, r, "average percentage")));
            if (day == null || avg == null || !Keep(day.Value)) return;
            _spo2[0][day.Value] = new OxygenSaturation
            {
                Date = day.Value,
                AveragePercent = Units.Round(avg, 1),
                LowerBoundPercent = Units.Round(Positive(Number(Col(h, r, "lower bound percentage"))), 1),
                UpperBoundPercent = Units.Round(Positive(Number(Col(h, r, "upper bound percentage"))), 1),
                StandardDeviationPercent = Units.Round(Positive(Number(Col(h, r, "standard deviation percentage"))), 2),
                Source = Col(h, r, "data source"),
            };
        });

        private void Weight(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var at = Instant(Col(h, r, "timestamp"));
            var grams = Positive(Number(Col(h, r, "weight grams")));
            if (at == null || grams == null) return;
            _weights.Add((at.Value, grams.Value, Col(h, r, "data source")));
        });

        private void BodyFat(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var at = Instant(Col(h, r, "timestamp"));
            var percent = Positive(Number(Col(h, r, "body fat percentage")));
            if (at != null && percent != null) _fats.Add((at.Value, percent.Value));
        });

        private void Height(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var at = Instant(Col(h, r, "timestamp"));
            var mm = Positive(Number(Col(h, r, "height millimeters")));
            if (at != null && mm != null && (_height == null || at.Value > _height.Value.At)) _height = (at.Value, (long)Math.Round(mm.Value));
        });

        private void Sleeps(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var id = Col(h, r, "sleep_id");
            var start = Instant(Col(h, r, "sleep_start"));
            var end = Instant(Col(h, r, "sleep_end"));
            var startOffset = Offset(Col(h, r, "start_utc_offset")) ?? _zone.Local(start.Value).Offset;
            var endOffset = Offset(Col(h, r, "end_utc_offset")) ?? _zone.Local(end.Value).Offset;
            if (id == null || start == null || end == null) return;
            var localEnd = end.Value.ToOffset(endOffset);
            if (!Keep(localEnd.Date)) return;
            long Whole(string column) => (long)Math.Round(Number(Col(h, r, column)) ?? 0, MidpointRounding.AwayFromZero);
            var row = _sleeps.TryGetValue(id, out var existing) ? existing : new SleepRow();
            row.StartUtc = start.Value; row.EndUtc = end.Value;
            row.Session = new SleepSession
            {
                Date = localEnd.Date,
                Start = start.Value.ToOffset(startOffset),
                End = localEnd,
                TimeInBedMinutes = (long)Math.Round((end.Value - start.Value).TotalMinutes, MidpointRounding.AwayFromZero),
                Type = string.Equals(Col(h, r, "sleep_type"), "CLASSIC", StringComparison.OrdinalIgnoreCase) ? "Classic" : "Stages",
                MinutesAsleep = Whole("minutes_asleep"),
                MinutesAwake = Whole("minutes_awake"),
                MinutesToFallAsleep = Whole("minutes_to_fall_asleep"),
                MinutesAfterWakeUp = Whole("minutes_after_wake_up"),
                Source = Col(h, r, "data_source"),
            };
            _sleeps[id] = row;
        });

        private void SleepStages(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var id = Col(h, r, "sleep_id");
            var start = Instant(Col(h, r, "sleep_stage_start"));
            var end = Instant(Col(h, r, "sleep_stage_end"));
            if (id == null || start == null || end == null) return;
            var startOffset = Offset(Col(h, r, "start_utc_offset")) ?? _zone.Local(start.Value).Offset;
            var endOffset = Offset(Col(h, r, "end_utc_offset")) ?? _zone.Local(end.Value).Offset;
            if (!_sleeps.TryGetValue(id, out var row)) _sleeps[id] = row = new SleepRow();
            row.Stages.Add(new SleepStage
            {
                Start = start.Value.ToOffset(startOffset),
                End = end.Value.ToOffset(endOffset),
                Stage = StageName(Col(h, r, "sleep_stage_type")),
                Minutes = Units.Minutes(end.Value - start.Value),
            });
        });

        internal static string StageName(string type)
        {
            switch ((type ?? "").Trim().ToUpperInvariant())
            {
                case "AWAKE": case "WAKE": return "Wake";
                case "REM": return "Rem";
                case "DEEP": return "Deep";
                case "LIGHT": return "Light";
                case "ASLEEP": return "Asleep";
                case "RESTLESS": return "Restless";
                default: return CultureInfo.InvariantCulture.TextInfo.ToTitleCase((type ?? "").Trim().ToLowerInvariant());
            }
        }

        // ------------------------------------------------------------------ legacy families

        private static readonly string[] LegacyFormats = { "MM/dd/yy HH:mm:ss", "MM/dd/yyyy HH:mm:ss" };

        private static DateTime LegacyTime(string text) => DateTime.ParseExact(text.Trim(), LegacyFormats, Inv, DateTimeStyles.None);

        private static JArray LoadArray(TakeoutEntry e)
        {
            using (var stream = e.Open())
            using (var text = new StreamReader(stream, new UTF8Encoding(false), true, 65536))
            using (var json = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double })
            {
                var token = JToken.ReadFrom(json);
                return token as JArray ?? throw new FormatException("it is not a JSON array");
            }
        }

        /// <summary>Streams a legacy minute file ({dateTime, value} per minute, value a string): steps and distance stamps are
        /// UTC, calories local wall time (evidence §5.3).</summary>
        private void LegacyMinutes(TakeoutEntry e, string family, double scale, bool utc)
        {
            using (var stream = e.Open())
            using (var text = new StreamReader(stream, new UTF8Encoding(false), true, 65536))
            using (var json = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None })
            {
                var values = new Dictionary<long, double>();
                if (!json.Read() || json.TokenType != JsonToken.StartArray) throw new FormatException("it is not a JSON array");
                while (json.Read() && json.TokenType == JsonToken.StartObject)
                {
                    var point = JObject.Load(json);
                    var wall = LegacyTime((string)point["dateTime"]);
                    var value = Number(point["value"]?.ToString());
                    if (value == null) continue;
                    if (!utc)
                    {
                        // Local wall time: its date is the person's day (the repeated hour of a DST change counts twice, as lived).
                        if (!Keep(wall.Date)) continue;
                        Add(Totals(1, wall.Date), family, value.Value * scale);
                        Span(family, wall.Date);
                        continue;
                    }
                    values[new DateTimeOffset(wall, TimeSpan.Zero).ToUnixTimeSeconds()] = value.Value;
                }
                foreach (var pair in values)
                {
                    var day = _zone.DayOf(pair.Key);
                    if (!Keep(day)) continue;
                    Add(Totals(1, day), family, pair.Value * scale);
                    Span(family, day);
                }
            }
        }

        private void LegacyResting(TakeoutEntry e)
        {
            foreach (var item in LoadArray(e))
            {
                var v = item["value"];
                var bpm = Number(v?["value"]?.ToString());
                var dateText = (string)v?["date"];
                if (bpm == null || bpm.Value <= 0 || string.IsNullOrEmpty(dateText)) continue; // placeholder days: date null, value 0
                var day = DateTime.ParseExact(dateText, new[] { "MM/dd/yy", "MM/dd/yyyy" }, Inv, DateTimeStyles.None);
                if (!Keep(day)) continue;
                _resting[1][day] = (long)Math.Round(bpm.Value, MidpointRounding.AwayFromZero);
            }
        }

        private void LegacyWeight(TakeoutEntry e)
        {
            foreach (var item in LoadArray(e))
            {
                var weight = Number(item["weight"]?.ToString());
                if (weight == null || weight <= 0) continue;
                var wall = DateTime.ParseExact((string)item["date"] + " " + (string)item["time"], new[] { "MM/dd/yy HH:mm:ss", "MM/dd/yyyy HH:mm:ss" }, Inv, DateTimeStyles.None);
                if (!Keep(wall.Date)) continue;
                var bmi = Number(item["bmi"]?.ToString());
                double grams = weight.Value * (IsPounds(weight.Value, bmi) ? Units.GramsPerPound : 1000.0);
                _legacyWeights.Add(new BodyWeight
                {
                    Date = wall.Date,
                    LocalTime = _zone.FromLocal(wall),
                    WeightKg = Units.KgFromGrams(grams),
                    WeightLb = Units.LbFromGrams(grams),
                    BodyFatPercent = Units.Round(Positive(Number(item["fat"]?.ToString())), 1),
                    Bmi = Units.Round(bmi, 1),
                    Source = (string)item["source"],
                });
            }
        }

        /// <summary>The legacy weight is in the account's unit: Profile.csv's weight_unit says which; without it, the unit
        /// whose BMI gives a human height (1.2–2.3 m) — 219.5 with BMI 33.28 is 1.73 m in pounds, 2.57 m in kilograms.</summary>
        private bool IsPounds(double weight, double? bmi)
        {
            if (_weightUnit == "POUND") return true;
            if (_weightUnit == "KILOGRAM") return false;
            if (bmi == null || bmi <= 0) return false;
            double heightIfKg = Math.Sqrt(weight / bmi.Value);
            return !(heightIfKg >= 1.2 && heightIfKg <= 2.3);
        }

        private void LegacySleep(TakeoutEntry e)
        {
            foreach (var item in LoadArray(e))
            {
                var start = DateTime.Parse((string)item["startTime"], Inv, DateTimeStyles.None);
                var end = DateTime.Parse((string)item["endTime"], Inv, DateTimeStyles.None);
                var wake = DateTime.ParseExact((string)item["dateOfSleep"], "yyyy-MM-dd", Inv);
                if (!Keep(wake)) continue;
                var localStart = _zone.FromLocal(start);
                var localEnd = _zone.FromLocal(end);
                bool classic = string.Equals((string)item["type"], "classic", StringComparison.OrdinalIgnoreCase);
                var session = new SleepSession
                {
                    Date = wake,
                    Start = localStart,
                    End = localEnd,
                    TimeInBedMinutes = (long?)item["timeInBed"] ?? (long)Math.Round((localEnd - localStart).TotalMinutes),
                    MinutesAsleep = (long?)item["minutesAsleep"] ?? 0,
                    MinutesAwake = (long?)item["minutesAwake"] ?? 0,
                    MinutesToFallAsleep = (long?)item["minutesToFallAsleep"] ?? 0,
                    MinutesAfterWakeUp = (long?)item["minutesAfterWakeup"] ?? 0,
                    IsMainSleep = (bool?)item["mainSleep"] ?? true,
                    Type = classic ? "Classic" : "Stages",
                    Source = (string)item["logType"] == "manual" ? "Manual" : null,
                };
                var stages = new List<SleepStage>();
                if (item["levels"]?["data"] is JArray data)
                    foreach (var d in data)
                    {
                        var s = _zone.FromLocal(DateTime.Parse((string)d["dateTime"], Inv, DateTimeStyles.None));
                        var seconds = (double?)d["seconds"] ?? 0;
                        var stageEnd = _zone.Local(s.AddSeconds(seconds));
                        stages.Add(new SleepStage { Date = wake, SleepStart = localStart, Start = s, End = stageEnd, Stage = StageName((string)d["level"]), Minutes = Units.Minutes(TimeSpan.FromSeconds(seconds)) });
                    }
                long Sum(string stage) => (long)Math.Round(stages.Where(x => x.Stage == stage).Sum(x => (x.End - x.Start).TotalMinutes), MidpointRounding.AwayFromZero);
                session.DeepMinutes = Sum("Deep"); session.LightMinutes = Sum("Light"); session.RemMinutes = Sum("Rem");
                session.WakeMinutes = Sum("Wake"); session.AsleepMinutes = Sum("Asleep"); session.RestlessMinutes = Sum("Restless");
                _legacySleeps.Add((session, stages));
            }
        }

        private void LegacyHrv(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var ts = Col(h, r, "timestamp");
            var rmssd = Positive(Number(Col(h, r, "rmssd")));
            if (string.IsNullOrEmpty(ts) || rmssd == null) return;
            var day = DateTime.ParseExact(ts.Trim().Substring(0, 10), "yyyy-MM-dd", Inv);
            if (!Keep(day)) return;
            var nrem = Positive(Number(Col(h, r, "nremhr")));
            _hrv[1][day] = new HeartRateVariability
            {
                Date = day, RmssdMilliseconds = Units.Round(rmssd, 1), Entropy = Units.Round(Positive(Number(Col(h, r, "entropy"))), 3),
                NonRemHeartRateBpm = nrem is double n ? (long)Math.Round(n, MidpointRounding.AwayFromZero) : (long?)null,
            };
        });

        private void LegacySpO2(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var day = DayLabel(Col(h, r, "timestamp"));
            var avg = Positive(Number(Col(h, r, "average_value")));
            if (day == null || avg == null || !Keep(day.Value)) return;
            _spo2[1][day.Value] = new OxygenSaturation
            {
                Date = day.Value, AveragePercent = Units.Round(avg, 1),
                LowerBoundPercent = Units.Round(Positive(Number(Col(h, r, "lower_bound"))), 1),
                UpperBoundPercent = Units.Round(Positive(Number(Col(h, r, "upper_bound"))), 1),
            };
        });

        private void LegacyAzm(TakeoutEntry e) => EachRow(e, (h, r) =>
        {
            var ts = Col(h, r, "date_time");
            var zone = Col(h, r, "heart_zone_id")?.Trim().ToUpperInvariant();
            var minutes = Number(Col(h, r, "total_minutes"));
            if (string.IsNullOrEmpty(ts) || zone == null || minutes == null) return;
            var day = DateTime.Parse(ts.Trim(), Inv, DateTimeStyles.None).Date; // local, no zone
            if (!Keep(day)) return;
            Add(Totals(1, day), zone, minutes.Value);
            Span("azm", day);
        });

        // ------------------------------------------------------------------ records

        /// <summary>The records of one kind, by day (the CSV tree's value where both trees have the day).</summary>
        public IEnumerable<object> Records(string kind)
        {
            switch (kind)
            {
                case "Activity": return ActivityDays();
                case "Sleep": return SleepSessions().Select(s => s.Session);
                case "SleepStage": return SleepSessions().SelectMany(s => s.Stages);
                case "RestingHeartRate": return Layered(_resting).Select(p => new RestingHeartRate
                {
                    Date = p.Key, BeatsPerMinute = p.Value, Source = _restingSource[0].TryGetValue(p.Key, out var s) ? s : null,
                });
                case "HeartRateVariability": return Layered(_hrv).Select(p => p.Value);
                case "OxygenSaturation": return Layered(_spo2).Select(p => p.Value);
                case "Weight": return Weights();
                default: return Enumerable.Empty<object>();
            }
        }

        /// <summary>The kinds a Takeout archive gives, in export order.</summary>
        public static IReadOnlyList<string> Kinds { get; } = new[] { "Weight", "Activity", "Sleep", "SleepStage", "RestingHeartRate", "HeartRateVariability", "OxygenSaturation" };

        private static IEnumerable<KeyValuePair<DateTime, T>> Layered<T>(Dictionary<DateTime, T>[] layers)
        {
            var merged = new SortedDictionary<DateTime, T>(layers[1]);
            foreach (var p in layers[0]) merged[p.Key] = p.Value;
            return merged;
        }

        private IEnumerable<object> ActivityDays()
        {
            var days = new SortedSet<DateTime>(_days[0].Keys.Concat(_days[1].Keys));
            double? Pick(DateTime day, Func<DayTotals, double?> get, string family)
            {
                var v = _days[0].TryGetValue(day, out var a) ? get(a) : null;
                if (v == null && _days[1].TryGetValue(day, out var b)) v = get(b);
                // Within the days a family has data, a day without a row is 0; outside them, nothing is known.
                if (v == null && _familySpan.TryGetValue(family, out var span) && day >= span.First && day <= span.Last) v = 0;
                return v;
            }
            foreach (var day in days)
            {
                var steps = Pick(day, t => t.Steps, "steps");
                var mm = Pick(day, t => t.DistanceMm, "distance");
                var floors = Pick(day, t => t.Floors, "floors");
                var kcal = Pick(day, t => t.Kcal, "calories");
                var active = Pick(day, t => t.ActiveKcal, "active_energy_burned");
                var fat = Pick(day, t => t.AzmFatBurn, "azm");
                var cardio = Pick(day, t => t.AzmCardio, "azm");
                var peak = Pick(day, t => t.AzmPeak, "azm");
                yield return new ActivityDay
                {
                    Date = day,
                    Steps = steps.HasValue ? (long)Math.Round(steps.Value) : (long?)null,
                    DistanceKm = mm.HasValue ? Units.KmFromMillimeters(Math.Round(mm.Value)) : (double?)null,
                    DistanceMiles = mm.HasValue ? Units.MilesFromMillimeters(Math.Round(mm.Value)) : (double?)null,
                    Floors = floors.HasValue ? (long)Math.Round(floors.Value) : (long?)null,
                    CaloriesTotal = kcal.HasValue ? Units.Kcal(kcal.Value) : (double?)null,
                    CaloriesActive = active.HasValue ? Units.Kcal(active.Value) : (double?)null,
                    AzmFatBurn = fat.HasValue ? (long)fat.Value : (long?)null,
                    AzmCardio = cardio.HasValue ? (long)cardio.Value : (long?)null,
                    AzmPeak = peak.HasValue ? (long)peak.Value : (long?)null,
                    AzmTotal = fat.HasValue || cardio.HasValue || peak.HasValue ? (long)((fat ?? 0) + (cardio ?? 0) + (peak ?? 0)) : (long?)null,
                };
            }
        }

        private List<(SleepSession Session, List<SleepStage> Stages)> _sleepCache;

        /// <summary>Sessions with their stages, by start. The session tables have no main-sleep flag: the longest sleep of a
        /// wake day is its main sleep when it lasts 3 hours or more; the others are naps (evidence §5.4).</summary>
        private List<(SleepSession Session, List<SleepStage> Stages)> SleepSessions()
        {
            if (_sleepCache != null) return _sleepCache;
            var list = new List<(SleepSession Session, List<SleepStage> Stages)>();
            var csvDays = new HashSet<DateTime>();
            foreach (var row in _sleeps.Values.Where(r => r.Session != null))
            {
                var stages = row.Stages.OrderBy(s => s.Start).ToList();
                var perStage = stages.GroupBy(s => s.Stage).ToDictionary(g => g.Key, g => (long)Math.Round(g.Sum(s => (s.End - s.Start).TotalMinutes), MidpointRounding.AwayFromZero));
                long Get(string k) => perStage.TryGetValue(k, out var v) ? v : 0;
                var session = row.Session;
                session.DeepMinutes = Get("Deep"); session.LightMinutes = Get("Light"); session.RemMinutes = Get("Rem");
                session.WakeMinutes = Get("Wake"); session.AsleepMinutes = Get("Asleep"); session.RestlessMinutes = Get("Restless");
                foreach (var s in stages) { s.Date = session.Date; s.SleepStart = session.Start; }
                list.Add((session, stages));
                csvDays.Add(session.Date);
            }
            foreach (var group in list.GroupBy(s => s.Session.Date))
            {
                var longest = group.OrderByDescending(s => s.Session.End - s.Session.Start).First();
                foreach (var s in group) s.Session.IsMainSleep = ReferenceEquals(s.Session, longest.Session) && (s.Session.End - s.Session.Start).TotalHours >= 3;
            }
            // Legacy sleeps on days the CSV tables do not have.
            list.AddRange(_legacySleeps.Where(s => !csvDays.Contains(s.Session.Date)).GroupBy(s => s.Session.Start).Select(g => g.First()));
            return _sleepCache = list.OrderBy(s => s.Session.Start).ToList();
        }

        private IEnumerable<object> Weights()
        {
            var fats = _fats.OrderBy(f => f.At).ToList();
            var list = new List<BodyWeight>();
            var seen = new HashSet<DateTimeOffset>();
            foreach (var w in _weights.OrderBy(w => w.At))
            {
                if (!seen.Add(w.At)) continue; // the same weigh-in in two shards
                var local = _zone.Local(w.At);
                if (!Keep(local.Date)) continue;
                double? fat = null;
                foreach (var f in fats) if (Math.Abs((f.At - w.At).TotalMinutes) <= 1) { fat = Units.Round(f.Percent, 1); break; }
                list.Add(new BodyWeight
                {
                    Date = local.Date, LocalTime = local, WeightKg = Units.KgFromGrams(w.Grams), WeightLb = Units.LbFromGrams(w.Grams),
                    BodyFatPercent = fat, Bmi = Units.Bmi(w.Grams, _height?.Mm), Source = w.Source,
                });
            }
            var csvDays = new HashSet<DateTime>(list.Select(w => w.Date));
            list.AddRange(_legacyWeights.Where(w => !csvDays.Contains(w.Date)));
            return list.OrderBy(w => w.LocalTime);
        }
    }
}
