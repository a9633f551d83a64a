using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Records;
using Newtonsoft.Json.Linq;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Reading
{
    /// <summary>
    /// Reads typed records over calendar-day ranges at the fewest requests (see <see cref="RequestPlanner"/>),
    /// streaming oldest first with memory bounded by one page or one roll-up chunk:
    /// <list type="bullet">
    /// <item>list/reconcile: all pages of the one filter are fetched (spooled to disk when more than one,
    /// see <see cref="PageSpool"/>), then replayed newest page last, each page reversed;</item>
    /// <item>roll-ups: chunks are requested oldest first, a few ahead at once (the client's throttle
    /// bounds what is actually in flight), and each chunk is sorted before it is yielded;</item>
    /// <item>several data types of one record (ActivityDay) are merged by day/window from their own
    /// ascending streams, each on its own chunk grid (14- and 90-day types don't force each other to
    /// split), so the merge holds at most one chunk per type.</item>
    /// </list>
    /// A chunk that fails after retries yields one error item naming its days; the rest still streams.
    /// Enumerate on one thread; cancellation stops every request and wait at once.
    /// </summary>
    public sealed partial class FitbitReader
    {
        private readonly HealthClient _client;

        public FitbitReader(HealthClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        public HealthClient Client => _client;

        /// <summary>Roll-up chunks requested ahead of the one being yielded, per data type.</summary>
        public int Lookahead { get; set; } = 8;

        private SharedReads _shared;

        /// <summary>
        /// Until the returned scope is disposed, a read that repeats the previous read of the same
        /// data type with the same filter (list) or days (daily roll-up chunk) is answered from that
        /// read instead of the API. Why: an export reads sleep once for sessions and once for stages,
        /// and its change probe (the weight list, the total-calories roll-up of the trailing window)
        /// is exactly the first request of the full read that follows when the probe finds a change.
        /// One answer is kept per data type (the latest), list pages on disk as <see cref="PageSpool"/>
        /// keeps them, so memory stays flat. Failed reads are not kept. Nested scopes share the outer one.
        /// Meant for one consumer at a time (an export run), not for reads that must see fresh data.
        /// </summary>
        public IDisposable ShareReads()
        {
            if (_shared != null) return new SharedReads(null);
            var scope = new SharedReads(this);
            _shared = scope;
            return scope;
        }

        private sealed class SharedReads : IDisposable
        {
            private readonly FitbitReader _owner;
            private readonly object _gate = new object();
            private readonly Dictionary<string, KeyValuePair<string, ListResult>> _lists = new Dictionary<string, KeyValuePair<string, ListResult>>(StringComparer.Ordinal);
            private readonly Dictionary<string, KeyValuePair<string, List<RollupDataPoint>>> _daily = new Dictionary<string, KeyValuePair<string, List<RollupDataPoint>>>(StringComparer.Ordinal);
            private bool _disposed;

            public SharedReads(FitbitReader owner) { _owner = owner; }

            public bool TryGetList(string typeId, string key, out ListResult result)
            {
                lock (_gate)
                {
                    if (!_disposed && _lists.TryGetValue(typeId, out var kept) && kept.Key == key) { result = kept.Value.AddReference(); return true; }
                }
                result = null;
                return false;
            }

            private readonly Dictionary<string, TaskCompletionSource<bool>> _running = new Dictionary<string, TaskCompletionSource<bool>>(StringComparer.Ordinal);

            /// <summary>True: the caller fetches (and must call <see cref="EndList"/>). False: the same
            /// read is under way; <paramref name="running"/> completes when it ends.</summary>
            public bool TryStartList(string typeId, string key, out Task running)
            {
                lock (_gate)
                {
                    if (_running.TryGetValue(typeId + "|" + key, out var other)) { running = other.Task; return false; }
                    _running[typeId + "|" + key] = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    running = null;
                    return true;
                }
            }

            public void EndList(string typeId, string key)
            {
                TaskCompletionSource<bool> done;
                lock (_gate)
                {
                    if (!_running.TryGetValue(typeId + "|" + key, out done)) return;
                    _running.Remove(typeId + "|" + key);
                }
                done.TrySetResult(true);
            }

            public void KeepList(string typeId, string key, ListResult result)
            {
                lock (_gate)
                {
                    if (_disposed) return;
                    if (_lists.TryGetValue(typeId, out var old)) old.Value.Dispose();
                    _lists[typeId] = new KeyValuePair<string, ListResult>(key, result.AddReference());
                }
            }

            public bool TryGetDaily(string typeId, string key, out List<RollupDataPoint> points)
            {
                lock (_gate)
                {
                    if (!_disposed && _daily.TryGetValue(typeId, out var kept) && kept.Key == key) { points = kept.Value; return true; }
                }
                points = null;
                return false;
            }

            public void KeepDaily(string typeId, string key, List<RollupDataPoint> points)
            {
                lock (_gate)
                {
                    if (!_disposed) _daily[typeId] = new KeyValuePair<string, List<RollupDataPoint>>(key, points);
                }
            }

            public void Dispose()
            {
                if (_owner == null) return; // a nested scope: the outer one owns the kept reads
                lock (_gate)
                {
                    if (_disposed) return;
                    _disposed = true;
                    foreach (var kept in _lists.Values) kept.Value.Dispose();
                    _lists.Clear();
                    _daily.Clear();
                }
                if (_owner._shared == this) _owner._shared = null;
            }
        }

        /// <summary>Resolve From/To/Days against the client's clock ("today" on this machine).</summary>
        public CivilRange Resolve(DateTime? from, DateTime? to, int? days, int defaultDays = RequestPlanner.DefaultDays)
            => RequestPlanner.Resolve(from, to, days, _client.Clock(), defaultDays);

        // =====================================================================================
        // Records
        // =====================================================================================

        /// <summary>Weigh-ins with body fat of the same weigh-in and BMI from the latest height.
        /// Requests: pages(weight) + pages(body-fat) + 1 (latest height).</summary>
        public IEnumerable<ReadItem<BodyWeight>> ReadBodyWeight(CivilRange range, CancellationToken cancellationToken)
        {
            var weights = StartList(DataTypeCatalog.Weight, range, false, cancellationToken);
            var fats = StartList(DataTypeCatalog.BodyFat, range, false, cancellationToken);
            var height = LatestHeightAsync(cancellationToken);
            return BodyWeights(range, weights, fats, height, cancellationToken);
        }

        /// <summary>Weigh-ins from the weight list alone: no body fat, no BMI (those stay null).
        /// Requests: pages(weight). The export's change probe for Weight compares these with the file.</summary>
        public IEnumerable<ReadItem<BodyWeight>> ReadWeighIns(CivilRange range, CancellationToken cancellationToken)
        {
            foreach (var item in ListAscending(DataTypeCatalog.Weight, range, false, cancellationToken))
            {
                if (item.IsError) { yield return ReadItem<BodyWeight>.Failed(item.Error); continue; }
                var w = item.Record.Weight;
                if (w?.SampleTime == null) continue;
                yield return ReadItem<BodyWeight>.Of(new BodyWeight
                {
                    Date = w.SampleTime.CivilDate,
                    LocalTime = w.SampleTime.LocalTime,
                    WeightKg = Units.KgFromGrams(w.WeightGrams),
                    WeightLb = Units.LbFromGrams(w.WeightGrams),
                    Source = item.Record.DataSource?.Describe(),
                });
            }
        }

        private IEnumerable<ReadItem<BodyWeight>> BodyWeights(CivilRange range, Task<ListResult> weights, Task<ListResult> fats, Task<long?> heightTask, CancellationToken cancellationToken)
        {
            long? heightMm = Await(heightTask, cancellationToken);
            using (var fat = Ascending(DataTypeCatalog.BodyFat, range, fats, PointPages(DataTypeCatalog.BodyFat), cancellationToken).GetEnumerator())
            {
                bool hasFat = fat.MoveNext();
                foreach (var item in Ascending(DataTypeCatalog.Weight, range, weights, PointPages(DataTypeCatalog.Weight), cancellationToken))
                {
                    if (item.IsError) { yield return ReadItem<BodyWeight>.Failed(item.Error); continue; }
                    var w = item.Record.Weight;
                    if (w?.SampleTime == null) continue;
                    var at = w.SampleTime.PhysicalTime;
                    double? fatPercent = null;
                    // Both streams ascend: skip fat readings older than this weigh-in, take one within a minute of it.
                    while (hasFat && (fat.Current.IsError || fat.Current.Record.BodyFat?.SampleTime == null
                                      || fat.Current.Record.BodyFat.SampleTime.PhysicalTime < at - SameWeighIn))
                    {
                        if (fat.Current.IsError) yield return ReadItem<BodyWeight>.Failed(fat.Current.Error);
                        hasFat = fat.MoveNext();
                    }
                    if (hasFat && fat.Current.Record.BodyFat.SampleTime.PhysicalTime <= at + SameWeighIn)
                    {
                        fatPercent = Units.Round(fat.Current.Record.BodyFat.Percentage, 1);
                        hasFat = fat.MoveNext();
                    }
                    yield return ReadItem<BodyWeight>.Of(new BodyWeight
                    {
                        Date = w.SampleTime.CivilDate,
                        LocalTime = w.SampleTime.LocalTime,
                        WeightKg = Units.KgFromGrams(w.WeightGrams),
                        WeightLb = Units.LbFromGrams(w.WeightGrams),
                        BodyFatPercent = fatPercent,
                        Bmi = Units.Bmi(w.WeightGrams, heightMm),
                        Source = item.Record.DataSource?.Describe(),
                    });
                }
                while (hasFat)
                {
                    if (fat.Current.IsError) yield return ReadItem<BodyWeight>.Failed(fat.Current.Error);
                    hasFat = fat.MoveNext();
                }
            }
        }

        private static readonly TimeSpan SameWeighIn = TimeSpan.FromMinutes(1);

        private async Task<long?> LatestHeightAsync(CancellationToken cancellationToken)
        {
            try
            {
                // Newest first: one point of an unfiltered list is the latest height.
                var page = await _client.ListPageAsync(DataTypeCatalog.Height, null, 1, null, false, cancellationToken).ConfigureAwait(false);
                long? mm = null;
                using (var ms = new MemoryStream(page.Body, false))
                    DataPointReader.ReadPage(ms, p => { if (mm == null && p.Height != null) mm = p.Height.HeightMillimeters; });
                return mm;
            }
            catch (HealthApiException) { return null; } // no height → no BMI; weights still stream
        }

        /// <summary>Daily activity from dailyRollUp of seven types, each on its own chunk grid.</summary>
        public IEnumerable<ReadItem<ActivityDay>> ReadActivityDays(CivilRange range, CancellationToken cancellationToken)
        {
            var types = ActivityDayTypes;
            // Prefetches start as their streams are made, and the throttle serves chunks in that order:
            // the type with the most chunks (total calories: 14 days a request, 90 for the others) is the
            // longest sequence, so it starts first and the others fill in around it (streams keep type order).
            var streams = new IEnumerable<ReadItem<RollupDataPoint>>[types.Count];
            foreach (var i in Enumerable.Range(0, types.Count).OrderBy(i => RequestPlanner.DailyRollUpChunks(types[i], range).Count * -1))
                streams[i] = DailyRollUpAscending(types[i], range, cancellationToken);
            var failed = new List<ChunkFailedException>();
            foreach (var row in JoinAscending(streams, p => p.CivilStartTime.ToDateTime().Ticks))
            {
                if (row.IsError) { failed.Add(row.Error); yield return ReadItem<ActivityDay>.Failed(row.Error); continue; }
                var day = new ActivityDay { Date = row.Record.First(p => p != null).CivilStartTime.ToDateTime() };
                for (int i = 0; i < types.Count; i++)
                {
                    // A type that answered without this day recorded nothing: 0. A type whose read failed stays null
                    // (its error names it): a missing value, never a made-up one.
                    if (row.Record[i] != null) ApplyActivity(day, row.Record[i]);
                    else if (!Covers(failed, types[i], day.Date)) ZeroActivity(day, types[i]);
                }
                yield return ReadItem<ActivityDay>.Of(day);
            }
        }

        /// <summary>Whether a failed chunk of <paramref name="type"/> covers <paramref name="day"/>.</summary>
        private static bool Covers(List<ChunkFailedException> failed, DataTypeInfo type, DateTime day)
        {
            foreach (var f in failed)
                if (f.DataType == type.Id && f.From <= day && day <= f.To) return true;
            return false;
        }

        /// <summary>The fields <paramref name="type"/> fills, at 0 (the type answered and had nothing for the day).</summary>
        private static void ZeroActivity(ActivityDay day, DataTypeInfo type)
        {
            if (type == DataTypeCatalog.Steps) day.Steps = 0;
            else if (type == DataTypeCatalog.Distance) { day.DistanceKm = 0; day.DistanceMiles = 0; }
            else if (type == DataTypeCatalog.Floors) day.Floors = 0;
            else if (type == DataTypeCatalog.TotalCalories) day.CaloriesTotal = 0;
            else if (type == DataTypeCatalog.ActiveEnergyBurned) day.CaloriesActive = 0;
            else if (type == DataTypeCatalog.ActiveZoneMinutes) { day.AzmFatBurn = 0; day.AzmCardio = 0; day.AzmPeak = 0; day.AzmTotal = 0; }
            else if (type == DataTypeCatalog.ActivityLevel) { day.SedentaryMinutes = 0; day.LightMinutes = 0; day.ModerateMinutes = 0; day.VigorousMinutes = 0; }
        }

        /// <summary>Days with only <see cref="ActivityDay.CaloriesTotal"/> set, from the total-calories
        /// daily roll-up alone (one request per 90 days). The export's change probe for Activity.</summary>
        public IEnumerable<ReadItem<ActivityDay>> ReadDailyTotalCalories(CivilRange range, CancellationToken cancellationToken)
        {
            foreach (var item in DailyRollUpAscending(DataTypeCatalog.TotalCalories, range, cancellationToken))
            {
                if (item.IsError) { yield return ReadItem<ActivityDay>.Failed(item.Error); continue; }
                var day = new ActivityDay { Date = item.Record.CivilStartTime.ToDateTime() };
                ApplyActivity(day, item.Record);
                yield return ReadItem<ActivityDay>.Of(day);
            }
        }

        /// <summary>The types behind an ActivityDay (activity-level gives all four intensity minutes
        /// in one 90-day roll-up, cheaper than active-minutes (14 days) + sedentary-period).</summary>
        public static IReadOnlyList<DataTypeInfo> ActivityDayTypes { get; } = new[]
        {
            DataTypeCatalog.Steps, DataTypeCatalog.Distance, DataTypeCatalog.Floors, DataTypeCatalog.TotalCalories,
            DataTypeCatalog.ActiveEnergyBurned, DataTypeCatalog.ActiveZoneMinutes, DataTypeCatalog.ActivityLevel,
        };

        private static void ApplyActivity(ActivityDay day, RollupDataPoint p)
        {
            if (p.Steps != null) day.Steps = p.Steps.CountSum;
            if (p.Distance != null)
            {
                day.DistanceKm = Units.KmFromMillimeters(p.Distance.MillimetersSum);
                day.DistanceMiles = Units.MilesFromMillimeters(p.Distance.MillimetersSum);
            }
            if (p.Floors != null) day.Floors = p.Floors.CountSum;
            if (p.TotalCalories != null) day.CaloriesTotal = Units.Kcal(p.TotalCalories.KcalSum);
            if (p.ActiveEnergyBurned != null) day.CaloriesActive = Units.Kcal(p.ActiveEnergyBurned.KcalSum);
            if (p.ActiveZoneMinutes != null)
            {
                day.AzmFatBurn = p.ActiveZoneMinutes.SumInFatBurnHeartZone;
                day.AzmCardio = p.ActiveZoneMinutes.SumInCardioHeartZone;
                day.AzmPeak = p.ActiveZoneMinutes.SumInPeakHeartZone;
                // Google's per-minute AZM already credits 2 for cardio/peak minutes, so the zones add up.
                day.AzmTotal = day.AzmFatBurn + day.AzmCardio + day.AzmPeak;
            }
            if (p.ActivityLevel != null)
            {
                // Google leaves a level with no minutes out of the list: that level had 0 minutes.
                day.SedentaryMinutes = day.SedentaryMinutes ?? 0; day.LightMinutes = day.LightMinutes ?? 0;
                day.ModerateMinutes = day.ModerateMinutes ?? 0; day.VigorousMinutes = day.VigorousMinutes ?? 0;
            }
            if (p.ActivityLevel?.ActivityLevelRollupsByActivityLevelType != null)
                foreach (var level in p.ActivityLevel.ActivityLevelRollupsByActivityLevelType)
                {
                    var minutes = Units.Minutes(level.TotalDuration);
                    switch (level.ActivityLevelType)
                    {
                        case "SEDENTARY": day.SedentaryMinutes = minutes; break;
                        case "LIGHTLY_ACTIVE": day.LightMinutes = minutes; break;
                        case "MODERATELY_ACTIVE": day.ModerateMinutes = minutes; break;
                        case "VERY_ACTIVE": day.VigorousMinutes = minutes; break;
                    }
                }
            if (p.ActiveMinutes?.ActiveMinutesRollupByActivityLevel != null)
                foreach (var level in p.ActiveMinutes.ActiveMinutesRollupByActivityLevel)
                {
                    switch (level.ActivityLevel)
                    {
                        case "LIGHT": day.LightMinutes = level.ActiveMinutesSum; break;
                        case "MODERATE": day.ModerateMinutes = level.ActiveMinutesSum; break;
                        case "VIGOROUS": day.VigorousMinutes = level.ActiveMinutesSum; break;
                    }
                }
            if (p.SedentaryPeriod != null) day.SedentaryMinutes = Units.Minutes(p.SedentaryPeriod.DurationSum);
        }

        /// <summary>Intraday activity via rollUp with the window size (steps, distance, floors, calories).</summary>
        public IEnumerable<ReadItem<ActivityInterval>> ReadActivityIntervals(CivilRange range, IntradayInterval interval, CancellationToken cancellationToken)
        {
            var window = RequestPlanner.WindowOf(interval);
            var zone = Await(PersonZoneAsync(cancellationToken), cancellationToken);
            var types = new[] { DataTypeCatalog.Steps, DataTypeCatalog.Distance, DataTypeCatalog.Floors, DataTypeCatalog.TotalCalories };
            var streams = types.Select(t => RollUpAscending(t, range, window, zone, cancellationToken)).ToList();
            var failed = new List<ChunkFailedException>();
            foreach (var row in JoinAscending(streams, p => p.StartTime.Value.UtcTicks))
            {
                if (row.IsError) { failed.Add(row.Error); yield return ReadItem<ActivityInterval>.Failed(row.Error); continue; }
                var any = row.Record.First(p => p != null);
                var start = zone.Local(any.StartTime.Value);
                var record = new ActivityInterval { Date = start.Date, Start = start, End = zone.Local(any.EndTime ?? any.StartTime.Value + window) };
                for (int i = 0; i < types.Length; i++)
                {
                    var p = row.Record[i];
                    if (p == null)
                    {
                        // Nothing in this window from a type that answered: 0; from a type whose read failed: null.
                        if (Covers(failed, types[i], record.Date)) continue;
                        if (types[i] == DataTypeCatalog.Steps) record.Steps = 0;
                        else if (types[i] == DataTypeCatalog.Distance) { record.DistanceKm = 0; record.DistanceMiles = 0; }
                        else if (types[i] == DataTypeCatalog.Floors) record.Floors = 0;
                        else record.CaloriesTotal = 0;
                        continue;
                    }
                    if (p.Steps != null) record.Steps = p.Steps.CountSum;
                    if (p.Distance != null)
                    {
                        record.DistanceKm = Units.KmFromMillimeters(p.Distance.MillimetersSum);
                        record.DistanceMiles = Units.MilesFromMillimeters(p.Distance.MillimetersSum);
                    }
                    if (p.Floors != null) record.Floors = p.Floors.CountSum;
                    if (p.TotalCalories != null) record.CaloriesTotal = Units.Kcal(p.TotalCalories.KcalSum);
                }
                yield return ReadItem<ActivityInterval>.Of(record);
            }
        }

        /// <summary>Sleep sessions dated by wake day (filter on civil_end_time: Google's own day boundary).</summary>
        public IEnumerable<ReadItem<SleepSession>> ReadSleep(CivilRange range, CancellationToken cancellationToken)
            => ListAscending(DataTypeCatalog.Sleep, range, false, cancellationToken)
                .Where(i => i.IsError || i.Record.Sleep?.Interval != null)
                .Select(i => i.Map(p => ToSleepSession(p)));

        /// <summary>The stage segments of each sleep, in time order.</summary>
        public IEnumerable<ReadItem<Records.SleepStage>> ReadSleepStages(CivilRange range, CancellationToken cancellationToken)
        {
            foreach (var item in ListAscending(DataTypeCatalog.Sleep, range, false, cancellationToken))
            {
                if (item.IsError) { yield return ReadItem<Records.SleepStage>.Failed(item.Error); continue; }
                var sleep = item.Record.Sleep;
                if (sleep?.Interval == null || sleep.Stages == null) continue;
                var wakeDay = sleep.Interval.CivilEndDate;
                foreach (var s in sleep.Stages.OrderBy(s => s.StartTime))
                    yield return ReadItem<Records.SleepStage>.Of(new Records.SleepStage
                    {
                        Date = wakeDay,
                        SleepStart = sleep.Interval.LocalStart,
                        Start = WireTime.WithOffset(s.StartTime, s.StartUtcOffset),
                        End = WireTime.WithOffset(s.EndTime, s.EndUtcOffset),
                        Stage = StageName(s.Type),
                        Minutes = Units.Minutes(s.EndTime - s.StartTime),
                    });
            }
        }

        internal static SleepSession ToSleepSession(DataPoint point)
        {
            var sleep = point.Sleep;
            var i = sleep.Interval;
            var record = new SleepSession
            {
                Date = i.CivilEndDate,
                Start = i.LocalStart,
                End = i.LocalEnd,
                TimeInBedMinutes = (long)Math.Round((i.EndTime - i.StartTime).TotalMinutes, MidpointRounding.AwayFromZero),
                IsMainSleep = sleep.Metadata?.MainSleep ?? !(sleep.Metadata?.Nap ?? false),
                Type = sleep.Type == "CLASSIC" ? "Classic" : "Stages",
                MinutesAsleep = sleep.Summary?.MinutesAsleep ?? 0,
                MinutesAwake = sleep.Summary?.MinutesAwake ?? 0,
                MinutesToFallAsleep = sleep.Summary?.MinutesToFallAsleep ?? 0,
                MinutesAfterWakeUp = sleep.Summary?.MinutesAfterWakeUp ?? 0,
                Source = point.DataSource?.Describe(),
            };
            // Per-stage minutes: the summary when present (Google has been seen repeating an entry:
            // take each stage once), else the segments themselves.
            var perStage = new Dictionary<string, long>(StringComparer.Ordinal);
            if (sleep.Summary?.StagesSummary != null && sleep.Summary.StagesSummary.Count > 0)
            {
                foreach (var s in sleep.Summary.StagesSummary)
                    if (s.Type != null && !perStage.ContainsKey(s.Type)) perStage[s.Type] = s.Minutes;
            }
            else if (sleep.Stages != null)
            {
                foreach (var s in sleep.Stages)
                {
                    if (s.Type == null) continue;
                    perStage.TryGetValue(s.Type, out var m);
                    perStage[s.Type] = m + (long)Math.Round((s.EndTime - s.StartTime).TotalMinutes, MidpointRounding.AwayFromZero);
                }
            }
            long Get(string k) => perStage.TryGetValue(k, out var v) ? v : 0;
            record.DeepMinutes = Get("DEEP");
            record.LightMinutes = Get("LIGHT");
            record.RemMinutes = Get("REM");
            record.WakeMinutes = Get("AWAKE");
            record.AsleepMinutes = Get("ASLEEP");
            record.RestlessMinutes = Get("RESTLESS");
            if (sleep.Summary?.MinutesAsleep == null && perStage.Count > 0)
                record.MinutesAsleep = record.DeepMinutes + record.LightMinutes + record.RemMinutes + record.AsleepMinutes;
            if (sleep.Summary?.MinutesAwake == null && perStage.Count > 0)
                record.MinutesAwake = record.WakeMinutes + record.RestlessMinutes;
            return record;
        }

        private static string StageName(string type)
        {
            switch (type)
            {
                case "AWAKE": return "Wake";
                case "REM": return "Rem";
                default: return WireTime.Title(type);
            }
        }

        /// <summary>Resting heart rate per day: list with a date filter, one request for up to 10,000 days.</summary>
        public IEnumerable<ReadItem<RestingHeartRate>> ReadRestingHeartRate(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyRestingHeartRate, range, cancellationToken, p => p.DailyRestingHeartRate?.Date == null ? null : new RestingHeartRate
            {
                Date = p.DailyRestingHeartRate.Date.ToDateTime(),
                BeatsPerMinute = p.DailyRestingHeartRate.BeatsPerMinute,
                CalculationMethod = Pascal(p.DailyRestingHeartRate.DailyRestingHeartRateMetadata?.CalculationMethod),
                Source = p.DataSource?.Describe(),
            });

        /// <summary>Heart rate min/avg/max per window (rollUp, 14-day chunks).</summary>
        public IEnumerable<ReadItem<HeartRateInterval>> ReadHeartRateIntervals(CivilRange range, IntradayInterval interval, CancellationToken cancellationToken)
        {
            var window = RequestPlanner.WindowOf(interval);
            var zone = Await(PersonZoneAsync(cancellationToken), cancellationToken);
            foreach (var item in RollUpAscending(DataTypeCatalog.HeartRate, range, window, zone, cancellationToken))
            {
                if (item.IsError) { yield return ReadItem<HeartRateInterval>.Failed(item.Error); continue; }
                var p = item.Record;
                if (p.HeartRate == null) continue;
                var start = zone.Local(p.StartTime.Value);
                yield return ReadItem<HeartRateInterval>.Of(new HeartRateInterval
                {
                    Date = start.Date,
                    Start = start,
                    End = zone.Local(p.EndTime ?? p.StartTime.Value + window),
                    MinBpm = Units.Round(p.HeartRate.BeatsPerMinuteMin, 1),
                    AverageBpm = Units.Round(p.HeartRate.BeatsPerMinuteAvg, 1),
                    MaxBpm = Units.Round(p.HeartRate.BeatsPerMinuteMax, 1),
                });
            }
        }

        /// <summary>Raw heart-rate samples (list, 10,000 per page, replayed oldest first).</summary>
        public IEnumerable<ReadItem<HeartRateSample>> ReadHeartRateSamples(CivilRange range, CancellationToken cancellationToken)
            => Ascending(DataTypeCatalog.HeartRate, range, StartList(DataTypeCatalog.HeartRate, range, false, cancellationToken),
                HeartRatePages, cancellationToken);

        internal static HeartRateSample ToHeartRateSample(DataPoint p) => new HeartRateSample
        {
            Date = p.HeartRate.SampleTime.CivilDate,
            Time = p.HeartRate.SampleTime.LocalTime,
            BeatsPerMinute = (int)p.HeartRate.BeatsPerMinute,
            Source = p.DataSource?.Describe(),
        };

        public IEnumerable<ReadItem<HeartRateVariability>> ReadHeartRateVariability(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyHeartRateVariability, range, cancellationToken, p => p.DailyHeartRateVariability?.Date == null ? null : new HeartRateVariability
            {
                Date = p.DailyHeartRateVariability.Date.ToDateTime(),
                RmssdMilliseconds = Units.Round(p.DailyHeartRateVariability.AverageHeartRateVariabilityMilliseconds, 1),
                DeepSleepRmssdMilliseconds = Units.Round(p.DailyHeartRateVariability.DeepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds, 1),
                Entropy = Units.Round(p.DailyHeartRateVariability.Entropy, 3),
                NonRemHeartRateBpm = p.DailyHeartRateVariability.NonRemHeartRateBeatsPerMinute,
                Source = p.DataSource?.Describe(),
            });

        public IEnumerable<ReadItem<OxygenSaturation>> ReadOxygenSaturation(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyOxygenSaturation, range, cancellationToken, p => p.DailyOxygenSaturation?.Date == null ? null : new OxygenSaturation
            {
                Date = p.DailyOxygenSaturation.Date.ToDateTime(),
                AveragePercent = Units.Round(p.DailyOxygenSaturation.AveragePercentage, 1),
                LowerBoundPercent = Units.Round(p.DailyOxygenSaturation.LowerBoundPercentage, 1),
                UpperBoundPercent = Units.Round(p.DailyOxygenSaturation.UpperBoundPercentage, 1),
                StandardDeviationPercent = Units.Round(p.DailyOxygenSaturation.StandardDeviationPercentage, 2),
                Source = p.DataSource?.Describe(),
            });

        public IEnumerable<ReadItem<BreathingRate>> ReadBreathingRate(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyRespiratoryRate, range, cancellationToken, p => p.DailyRespiratoryRate?.Date == null ? null : new BreathingRate
            {
                Date = p.DailyRespiratoryRate.Date.ToDateTime(),
                BreathsPerMinute = Units.Round(p.DailyRespiratoryRate.BreathsPerMinute, 1),
                Source = p.DataSource?.Describe(),
            });

        public IEnumerable<ReadItem<SkinTemperature>> ReadSkinTemperature(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailySleepTemperatureDerivations, range, cancellationToken, p => p.DailySleepTemperatureDerivations?.Date == null ? null : ToSkinTemperature(p));

        internal static SkinTemperature ToSkinTemperature(DataPoint p)
        {
            var t = p.DailySleepTemperatureDerivations;
            var nightly = Units.Finite(t.NightlyTemperatureCelsius);
            var baseline = Units.Finite(t.BaselineTemperatureCelsius);
            return new SkinTemperature
            {
                Date = t.Date.ToDateTime(),
                NightlyCelsius = Units.Round(nightly, 2),
                BaselineCelsius = Units.Round(baseline, 2),
                VariationCelsius = nightly.HasValue && baseline.HasValue ? Units.Round(nightly - baseline, 2) : null,
                Stddev30DayCelsius = Units.Round(t.RelativeNightlyStddev30dCelsius, 2),
                Source = p.DataSource?.Describe(),
            };
        }

        public IEnumerable<ReadItem<CardioFitness>> ReadCardioFitness(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyVo2Max, range, cancellationToken, p => p.DailyVo2Max?.Date == null ? null : new CardioFitness
            {
                Date = p.DailyVo2Max.Date.ToDateTime(),
                Vo2Max = Units.Round(p.DailyVo2Max.Vo2Max, 1),
                Level = Pascal(p.DailyVo2Max.CardioFitnessLevel),
                Estimated = p.DailyVo2Max.Estimated,
                Source = p.DataSource?.Describe(),
            });

        /// <summary>Exercises started on the days of the range (25 per page: the API's maximum).</summary>
        public IEnumerable<ReadItem<Records.Exercise>> ReadExercise(CivilRange range, CancellationToken cancellationToken)
            => ListAscending(DataTypeCatalog.Exercise, range, false, cancellationToken)
                .Where(i => i.IsError || i.Record.Exercise?.Interval != null)
                .Select(i => i.Map(ToExercise));

        internal static Records.Exercise ToExercise(DataPoint p)
        {
            var e = p.Exercise;
            var m = e.MetricsSummary;
            return new Records.Exercise
            {
                Date = e.Interval.CivilStartDate,
                Type = Pascal(e.ExerciseType),
                Name = e.DisplayName,
                Start = e.Interval.LocalStart,
                End = e.Interval.LocalEnd,
                DurationMinutes = Units.Minutes(e.ActiveDuration ?? (e.Interval.EndTime - e.Interval.StartTime)),
                DistanceKm = m?.DistanceMillimeters is double d1 ? Units.KmFromMillimeters(d1) : (double?)null,
                DistanceMiles = m?.DistanceMillimeters is double d2 ? Units.MilesFromMillimeters(d2) : (double?)null,
                Calories = m?.CaloriesKcal is double k ? Units.Kcal(k) : (double?)null,
                AverageHeartRate = m?.AverageHeartRateBeatsPerMinute,
                Steps = m?.Steps,
                Source = p.DataSource?.Describe(),
            };
        }

        /// <summary>Any data type by name ("steps", "heartRate"), any read method by name (null: the type's
        /// default, or RollUp when a window is given), as generic flat records. Unknown names and methods the
        /// type does not support are <see cref="Core.FitbitInputException"/>s that say what would work.</summary>
        public IEnumerable<ReadItem<HealthDataPoint>> ReadData(string typeName, string methodName, CivilRange range, TimeSpan? window, CancellationToken cancellationToken)
        {
            var type = DataTypeCatalog.Get(typeName);
            if (window.HasValue && window.Value < TimeSpan.FromSeconds(1))
                throw new Core.FitbitInputException(Core.FitbitInputException.InvalidArgument, $"-WindowSize {window.Value} is shorter than one second.",
                    window.Value, "Give -WindowSize 00:00:01 or longer, e.g. (New-TimeSpan -Hours 1).");
            DataTypeMethods method;
            if (string.IsNullOrEmpty(methodName)) method = window.HasValue ? DataTypeMethods.RollUp : DefaultMethod(type);
            else if (!Enum.TryParse(methodName, true, out method) || method == DataTypeMethods.None)
                throw new Core.FitbitInputException(Core.FitbitInputException.InvalidArgument, $"'{methodName}' is not a read method.", methodName,
                    "Use List, Reconcile, DailyRollUp or RollUp.");
            return ReadData(type, method, range, window, cancellationToken);
        }

        /// <summary>Any data type, any read method, as generic flat records.</summary>
        public IEnumerable<ReadItem<HealthDataPoint>> ReadData(DataTypeInfo type, DataTypeMethods method, CivilRange range, TimeSpan? window, CancellationToken cancellationToken)
        {
            if (method == DataTypeMethods.None) method = DefaultMethod(type);
            if (!type.Supports(method))
                throw new Core.FitbitInputException(Core.FitbitInputException.UnsupportedMethod, $"{type.Id} cannot be read with {method}.", type.Id + " " + method,
                    $"{type.Id} supports {type.Methods}: use -Method {type.Methods.ToString().Split(',')[0].Trim()}.");
            switch (method)
            {
                case DataTypeMethods.List:
                case DataTypeMethods.Reconcile:
                    return ListAscending(type, range, method == DataTypeMethods.Reconcile, cancellationToken).Select(i => i.Map(p => GenericRecords.From(type, p)));
                case DataTypeMethods.DailyRollUp:
                    return DailyRollUpAscending(type, range, cancellationToken).Select(i => i.Map(p => GenericRecords.From(type, p, null)));
                default:
                    return RollUpGeneric(type, range, window ?? TimeSpan.FromHours(1), cancellationToken);
            }
        }

        private IEnumerable<ReadItem<HealthDataPoint>> RollUpGeneric(DataTypeInfo type, CivilRange range, TimeSpan window, CancellationToken cancellationToken)
        {
            var zone = Await(PersonZoneAsync(cancellationToken), cancellationToken);
            foreach (var item in RollUpAscending(type, range, window, zone, cancellationToken))
                yield return item.Map(p => GenericRecords.From(type, p, zone));
        }

        /// <summary>List when the type has it (raw points), else daily roll-up.</summary>
        public static DataTypeMethods DefaultMethod(DataTypeInfo type)
            => type.Supports(DataTypeMethods.List) ? DataTypeMethods.List
             : type.Supports(DataTypeMethods.DailyRollUp) ? DataTypeMethods.DailyRollUp
             : type.Supports(DataTypeMethods.Reconcile) ? DataTypeMethods.Reconcile : DataTypeMethods.RollUp;

        private IEnumerable<ReadItem<T>> Daily<T>(DataTypeInfo type, CivilRange range, CancellationToken cancellationToken, Func<DataPoint, T> map) where T : class
        {
            foreach (var item in ListAscending(type, range, false, cancellationToken))
            {
                if (item.IsError) { yield return ReadItem<T>.Failed(item.Error); continue; }
                var record = map(item.Record);
                if (record != null) yield return ReadItem<T>.Of(record);
            }
        }

        private static string Pascal(string enumName)
        {
            if (string.IsNullOrEmpty(enumName)) return enumName;
            var parts = enumName.ToLowerInvariant().Split('_');
            return string.Concat(parts.Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s.Substring(1)));
        }

        // =====================================================================================
        // dailyRollUp: chunks at the range limit, oldest chunk first, a few ahead
        // =====================================================================================

        /// <summary>Daily roll-ups of one type over the range, oldest day first.</summary>
        public IEnumerable<ReadItem<RollupDataPoint>> DailyRollUpAscending(DataTypeInfo type, CivilRange range, CancellationToken cancellationToken)
        {
            var chunks = RequestPlanner.DailyRollUpChunks(type, range);
            return Prefetch(chunks, (chunk, ct) => SharedDailyChunkAsync(type, chunk, ct), c => (c.From, c.To), type, cancellationToken);
        }

        private async Task<List<RollupDataPoint>> SharedDailyChunkAsync(DataTypeInfo type, CivilRange chunk, CancellationToken cancellationToken)
        {
            var shared = _shared;
            if (shared == null) return await FetchDailyChunkAsync(type, chunk, cancellationToken).ConfigureAwait(false);
            string key = chunk.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ".."
                         + chunk.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (shared.TryGetDaily(type.Id, key, out var kept)) return kept;
            var points = await FetchDailyChunkAsync(type, chunk, cancellationToken).ConfigureAwait(false);
            shared.KeepDaily(type.Id, key, points);
            return points;
        }

        private async Task<List<RollupDataPoint>> FetchDailyChunkAsync(DataTypeInfo type, CivilRange chunk, CancellationToken cancellationToken)
        {
            var all = new List<RollupDataPoint>(chunk.Days);
            string token = null;
            do
            {
                var response = await _client.DailyRollUpAsync(type, new DailyRollUpDataPointsRequest
                {
                    Range = new CivilTimeInterval { Start = CivilDateTime.StartOfDay(chunk.From), End = CivilDateTime.StartOfDay(chunk.EndExclusive) },
                    WindowSizeDays = 1,
                    // No pageSize: Google takes it as a bound on the query (≥ the days asked, ≤ the cap),
                    // never as a page size; left out it is exactly the days asked (§0.1, §1.1).
                    PageToken = token,
                }, cancellationToken).ConfigureAwait(false);
                all.AddRange(response.RollupDataPoints.Where(p => p.CivilStartTime?.Date != null));
                token = string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken;
            } while (token != null);
            all.Sort((a, b) => a.CivilStartTime.ToDateTime().CompareTo(b.CivilStartTime.ToDateTime()));
            return all;
        }

        // =====================================================================================
        // rollUp: physical windows from the person's civil days
        // =====================================================================================

        /// <summary>Physical-time roll-ups of one type, oldest window first.</summary>
        internal IEnumerable<ReadItem<RollupDataPoint>> RollUpAscending(DataTypeInfo type, CivilRange range, TimeSpan window, PersonZone zone, CancellationToken cancellationToken)
        {
            var start = zone.StartOfDay(range.From);
            var end = zone.StartOfDay(range.EndExclusive);
            var chunks = RequestPlanner.RollUpChunks(type, start, end, window);
            return Prefetch(chunks, (chunk, ct) => FetchRollUpChunkAsync(type, chunk, window, ct),
                c => (zone.Local(c.Start).Date, zone.Local(c.End - TimeSpan.FromTicks(1)).Date), type, cancellationToken);
        }

        private async Task<List<RollupDataPoint>> FetchRollUpChunkAsync(DataTypeInfo type, PhysicalChunk chunk, TimeSpan window, CancellationToken cancellationToken)
        {
            var all = new List<RollupDataPoint>();
            string token = null;
            do
            {
                var response = await _client.RollUpAsync(type, new RollUpDataPointsRequest
                {
                    Range = new Interval { StartTime = Rfc3339(chunk.Start), EndTime = Rfc3339(chunk.End) },
                    WindowSize = window,
                    // No pageSize: on rollUp it bounds the query (≤ floor(cap ÷ window)) and never pages;
                    // the chunk already holds at most that many windows (RequestPlanner.RollUpChunkWindows).
                    PageToken = token,
                }, cancellationToken).ConfigureAwait(false);
                all.AddRange(response.RollupDataPoints.Where(p => p.StartTime.HasValue));
                token = string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken;
            } while (token != null);
            all.Sort((a, b) => a.StartTime.Value.CompareTo(b.StartTime.Value));
            return all;
        }

        private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The person's time zone (settings, one request per client) for physical roll-ups.</summary>
        internal async Task<PersonZone> PersonZoneAsync(CancellationToken cancellationToken)
        {
            var settings = await _client.GetCachedSettingsAsync(cancellationToken).ConfigureAwait(false);
            return PersonZone.From(settings);
        }

        // =====================================================================================
        // plumbing
        // =====================================================================================

        private sealed class ChunkOutcome<T>
        {
            public List<T> Items;
            public Exception Failure;
        }

        /// <summary>Runs chunk fetches up to <see cref="Lookahead"/> ahead and yields their items in
        /// chunk order; a failed chunk becomes one error item naming its days.</summary>
        private IEnumerable<ReadItem<T>> Prefetch<TChunk, T>(IReadOnlyList<TChunk> chunks, Func<TChunk, CancellationToken, Task<List<T>>> fetch,
            Func<TChunk, (DateTime From, DateTime To)> days, DataTypeInfo type, CancellationToken cancellationToken)
        {
            var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var queue = new Queue<(TChunk Chunk, Task<ChunkOutcome<T>> Task)>();
            int next = 0;
            Exception fatal = null; // a failure no other chunk can survive: the chunks still in flight stop

            async Task<ChunkOutcome<T>> Run(TChunk chunk)
            {
                try { return new ChunkOutcome<T> { Items = await fetch(chunk, cts.Token).ConfigureAwait(false) }; }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                    var cause = Volatile.Read(ref fatal);
                    if (cause != null && !cancellationToken.IsCancellationRequested) return new ChunkOutcome<T> { Failure = cause };
                    throw;
                }
                catch (Exception e)
                {
                    if (EndsCommand(e) && Interlocked.CompareExchange(ref fatal, e, null) == null) cts.Cancel();
                    return new ChunkOutcome<T> { Failure = e };
                }
            }

            void Fill()
            {
                while (queue.Count < Math.Max(1, Lookahead) && next < chunks.Count && Volatile.Read(ref fatal) == null)
                {
                    var chunk = chunks[next++];
                    queue.Enqueue((chunk, Run(chunk)));
                }
            }

            // Start the first fetches now, not at the first MoveNext, so several types overlap.
            Fill();
            return Drain();

            IEnumerable<ReadItem<T>> Drain()
            {
                try
                {
                    while (queue.Count > 0)
                    {
                        var (chunk, task) = queue.Dequeue();
                        Fill();
                        var outcome = Await(task, cancellationToken);
                        if (outcome.Failure != null)
                        {
                            // One error for the command, not one per chunk and data type.
                            if (EndsCommand(outcome.Failure)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(outcome.Failure).Throw();
                            var (from, to) = days(chunk);
                            yield return ReadItem<T>.Failed(new ChunkFailedException(type.Id, from, to, outcome.Failure));
                            continue;
                        }
                        foreach (var item in outcome.Items)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            yield return ReadItem<T>.Of(item);
                        }
                    }
                }
                finally
                {
                    cts.Cancel();
                    foreach (var (_, task) in queue) task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                    cts.Dispose();
                }
            }
        }

        /// <summary>Failures after which no other request of the command can succeed (see FitbitEngineException.EndsCommand).</summary>
        internal static bool EndsCommand(Exception e) => e is FitbitPS.Engine.Core.FitbitEngineException f && f.EndsCommand;

        /// <summary>Merges ascending streams by key: one row per key, null where a stream has no value.</summary>
        internal static IEnumerable<ReadItem<T[]>> JoinAscending<T>(IReadOnlyList<IEnumerable<ReadItem<T>>> streams, Func<T, long> key) where T : class
        {
            var n = streams.Count;
            var enumerators = streams.Select(s => s.GetEnumerator()).ToArray();
            var has = new bool[n];
            try
            {
                for (int i = 0; i < n; i++) has[i] = enumerators[i].MoveNext();
                while (true)
                {
                    for (int i = 0; i < n; i++)
                        while (has[i] && enumerators[i].Current.IsError)
                        {
                            yield return ReadItem<T[]>.Failed(enumerators[i].Current.Error);
                            has[i] = enumerators[i].MoveNext();
                        }
                    long min = long.MaxValue;
                    bool any = false;
                    for (int i = 0; i < n; i++)
                        if (has[i]) { any = true; min = Math.Min(min, key(enumerators[i].Current.Record)); }
                    if (!any) yield break;
                    var row = new T[n];
                    for (int i = 0; i < n; i++)
                        if (has[i] && key(enumerators[i].Current.Record) == min)
                        {
                            row[i] = enumerators[i].Current.Record;
                            has[i] = enumerators[i].MoveNext();
                        }
                    yield return ReadItem<T[]>.Of(row);
                }
            }
            finally
            {
                foreach (var e in enumerators) e.Dispose();
            }
        }

        private static T Await<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!task.IsCompleted)
            {
                try { task.Wait(cancellationToken); }
                catch (AggregateException) { /* rethrown unwrapped below */ }
            }
            return task.GetAwaiter().GetResult();
        }
    }
}
