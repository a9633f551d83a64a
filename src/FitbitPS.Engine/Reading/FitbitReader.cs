using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Records.Mapping;
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

        private readonly SharedReads _shared = new SharedReads();

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
        public IDisposable ShareReads() => _shared.Open();

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
            var weights = ListAscending(DataTypeCatalog.Weight, range, false, cancellationToken);
            var fats = ListAscending(DataTypeCatalog.BodyFat, range, false, cancellationToken);
            var height = BodyRecords.HeightMillimetersAsync(NewestAsync(DataTypeCatalog.Height, 1, cancellationToken));
            return BodyRecords.Weights(weights, fats, height, cancellationToken);
        }

        /// <summary>Weigh-ins from the weight list alone: no body fat, no BMI (those stay null).
        /// Requests: pages(weight). The export's change probe for Weight compares these with the file.</summary>
        public IEnumerable<ReadItem<BodyWeight>> ReadWeighIns(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.Weight, range, cancellationToken, BodyRecords.ToWeighIn);

        /// <summary>The newest points of a type, newest first: one unfiltered list page of <paramref name="count"/>.</summary>
        private async Task<List<DataPoint>> NewestAsync(DataTypeInfo type, int count, CancellationToken cancellationToken)
        {
            var page = await _client.ListPageAsync(type, null, count, null, false, cancellationToken).ConfigureAwait(false);
            return ParsePage(new ArraySegment<byte>(page.Body));
        }

        /// <summary>Daily activity from dailyRollUp of seven types, each on its own chunk grid.</summary>
        public IEnumerable<ReadItem<ActivityDay>> ReadActivityDays(CivilRange range, CancellationToken cancellationToken)
            => ActivityRecords.Days(DailyRollUpsByDay(ActivityDayTypes, range, cancellationToken), ActivityDayTypes);

        private IEnumerable<ReadItem<RollupDataPoint[]>> DailyRollUpsByDay(IReadOnlyList<DataTypeInfo> types, CivilRange range, CancellationToken cancellationToken)
        {
            // Prefetches start as their streams are made, and the throttle serves chunks in that order:
            // the type with the most chunks (total calories: 14 days a request, 90 for the others) is the
            // longest sequence, so it starts first and the others fill in around it (streams keep type order).
            var streams = new IEnumerable<ReadItem<RollupDataPoint>>[types.Count];
            foreach (var i in Enumerable.Range(0, types.Count).OrderBy(i => RequestPlanner.DailyRollUpChunks(types[i], range).Count * -1))
                streams[i] = DailyRollUpAscending(types[i], range, cancellationToken);
            foreach (var row in JoinAscending(streams, p => p.CivilStartTime.ToDateTime().Ticks)) yield return row;
        }

        /// <summary>Days with only <see cref="ActivityDay.CaloriesTotal"/> set, from the total-calories
        /// daily roll-up alone (one request per 90 days). The export's change probe for Activity.</summary>
        public IEnumerable<ReadItem<ActivityDay>> ReadDailyTotalCalories(CivilRange range, CancellationToken cancellationToken)
        {
            foreach (var item in DailyRollUpAscending(DataTypeCatalog.TotalCalories, range, cancellationToken))
                yield return item.Map(ActivityRecords.ToActivityDay);
        }

        /// <summary>The types behind an ActivityDay (activity-level gives all four intensity minutes
        /// in one 90-day roll-up, cheaper than active-minutes (14 days) + sedentary-period).</summary>
        public static IReadOnlyList<DataTypeInfo> ActivityDayTypes => ActivityRecords.DayTypes;

        /// <summary>Intraday activity via rollUp with the window size (steps, distance, floors, calories).</summary>
        public IEnumerable<ReadItem<ActivityInterval>> ReadActivityIntervals(CivilRange range, IntradayInterval interval, CancellationToken cancellationToken)
        {
            var window = RequestPlanner.WindowOf(interval);
            var types = ActivityRecords.IntervalTypes;
            return InPersonZone(zone => ActivityRecords.Intervals(
                JoinAscending(types.Select(t => RollUpAscending(t, range, window, zone, cancellationToken)).ToList(), p => p.StartTime.Value.UtcTicks),
                types, zone, window), cancellationToken);
        }

        /// <summary>Resolves the person's zone when enumeration starts, then streams what <paramref name="read"/> makes with it.</summary>
        private IEnumerable<T> InPersonZone<T>(Func<PersonZone, IEnumerable<T>> read, CancellationToken cancellationToken)
        {
            var zone = Await(PersonZoneAsync(cancellationToken), cancellationToken);
            foreach (var item in read(zone)) yield return item;
        }

        /// <summary>Sleep sessions dated by wake day (filter on civil_end_time: Google's own day boundary).</summary>
        public IEnumerable<ReadItem<SleepSession>> ReadSleep(CivilRange range, CancellationToken cancellationToken)
            => SleepRecords.Sessions(ListAscending(DataTypeCatalog.Sleep, range, false, cancellationToken));

        /// <summary>The stage segments of each sleep, in time order.</summary>
        public IEnumerable<ReadItem<Records.SleepStage>> ReadSleepStages(CivilRange range, CancellationToken cancellationToken)
        {
            foreach (var item in SleepRecords.Stages(ListAscending(DataTypeCatalog.Sleep, range, false, cancellationToken))) yield return item;
        }

        /// <summary>Resting heart rate per day: list with a date filter, one request for up to 10,000 days.</summary>
        public IEnumerable<ReadItem<RestingHeartRate>> ReadRestingHeartRate(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyRestingHeartRate, range, cancellationToken, HeartRecords.ToRestingHeartRate);

        /// <summary>Heart rate min/avg/max per window (rollUp, 14-day chunks).</summary>
        public IEnumerable<ReadItem<HeartRateInterval>> ReadHeartRateIntervals(CivilRange range, IntradayInterval interval, CancellationToken cancellationToken)
        {
            var window = RequestPlanner.WindowOf(interval);
            return InPersonZone(zone => HeartRecords.Intervals(RollUpAscending(DataTypeCatalog.HeartRate, range, window, zone, cancellationToken), zone, window),
                cancellationToken);
        }

        /// <summary>Raw heart-rate samples (list, 10,000 per page, replayed oldest first).</summary>
        public IEnumerable<ReadItem<HeartRateSample>> ReadHeartRateSamples(CivilRange range, CancellationToken cancellationToken)
            => Ascending(DataTypeCatalog.HeartRate, range, StartList(DataTypeCatalog.HeartRate, range, false, cancellationToken),
                HeartRatePages, cancellationToken);

        public IEnumerable<ReadItem<HeartRateVariability>> ReadHeartRateVariability(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyHeartRateVariability, range, cancellationToken, DailyMetricRecords.ToHeartRateVariability);

        public IEnumerable<ReadItem<OxygenSaturation>> ReadOxygenSaturation(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyOxygenSaturation, range, cancellationToken, DailyMetricRecords.ToOxygenSaturation);

        public IEnumerable<ReadItem<BreathingRate>> ReadBreathingRate(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyRespiratoryRate, range, cancellationToken, DailyMetricRecords.ToBreathingRate);

        public IEnumerable<ReadItem<SkinTemperature>> ReadSkinTemperature(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailySleepTemperatureDerivations, range, cancellationToken, DailyMetricRecords.ToSkinTemperature);

        public IEnumerable<ReadItem<CardioFitness>> ReadCardioFitness(CivilRange range, CancellationToken cancellationToken)
            => Daily(DataTypeCatalog.DailyVo2Max, range, cancellationToken, DailyMetricRecords.ToCardioFitness);

        /// <summary>Exercises started on the days of the range (25 per page: the API's maximum).</summary>
        public IEnumerable<ReadItem<Records.Exercise>> ReadExercise(CivilRange range, CancellationToken cancellationToken)
            => ExerciseRecords.Exercises(ListAscending(DataTypeCatalog.Exercise, range, false, cancellationToken));

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
                    var w = window ?? TimeSpan.FromHours(1);
                    return InPersonZone(zone => RollUpAscending(type, range, w, zone, cancellationToken).Select(i => i.Map(p => GenericRecords.From(type, p, zone))), cancellationToken);
            }
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

        // =====================================================================================
        // dailyRollUp: chunks at the range limit, oldest chunk first, a few ahead
        // =====================================================================================

        /// <summary>Daily roll-ups of one type over the range, oldest day first.</summary>
        public IEnumerable<ReadItem<RollupDataPoint>> DailyRollUpAscending(DataTypeInfo type, CivilRange range, CancellationToken cancellationToken)
        {
            var chunks = RequestPlanner.DailyRollUpChunks(type, range);
            return Prefetch(chunks, (chunk, ct) => _shared.DailyChunkAsync(type, chunk, () => FetchDailyChunkAsync(type, chunk, ct)), c => (c.From, c.To), type, cancellationToken);
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

        internal static T Await<T>(Task<T> task, CancellationToken cancellationToken)
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
