using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;

namespace FitbitPS.Engine.Reading
{
    /// <summary>
    /// The ascending streams the reader's records are made from: list reads (every page fetched, then replayed
    /// oldest first, see <see cref="ListReplay"/>), daily and physical roll-ups (chunks requested oldest first, a few
    /// ahead), joins of several such streams, and the person's zone. Methods that return a stream say when its first
    /// request is sent: some readers always started theirs when asked, others at the first MoveNext.
    /// </summary>
    internal sealed class PointStreams
    {
        private readonly HealthClient _client;
        private readonly ListFetcher _lists;
        private readonly ListReplay _replay;

        public PointStreams(HealthClient client)
        {
            _client = client;
            _lists = new ListFetcher(client);
            _replay = new ListReplay(client, _lists);
        }

        public HealthClient Client => _client;

        /// <summary>Roll-up chunks requested ahead of the one being yielded, per data type.</summary>
        public int Lookahead { get; set; } = 8;

        /// <summary>The reads kept while a <see cref="FitbitReader.ShareReads"/> scope is open.</summary>
        public SharedReads Shared { get; } = new SharedReads();

        // =====================================================================================
        // list / reconcile: every page of one query, replayed oldest first
        // =====================================================================================

        /// <summary>Points of <paramref name="type"/> in the range, oldest first; the fetch starts now.</summary>
        public IEnumerable<ReadItem<DataPoint>> ListAscending(DataTypeInfo type, CivilRange range, bool reconcile, CancellationToken cancellationToken)
            => ListAscending(type, range, reconcile, PageParsers.Points(type), cancellationToken);

        /// <summary>Records of <paramref name="type"/> as <paramref name="parser"/> reads its pages, oldest first; the fetch starts now.</summary>
        public IEnumerable<ReadItem<T>> ListAscending<T>(DataTypeInfo type, CivilRange range, bool reconcile, PageParser<T> parser, CancellationToken cancellationToken)
            => _replay.Ascending(type, range, Shared.List(type, range, reconcile, () => _lists.FetchAsync(type, range, reconcile, cancellationToken)), parser, cancellationToken);

        /// <summary>A list read mapped to records (null: left out); the fetch starts at the first MoveNext.</summary>
        public IEnumerable<ReadItem<T>> ListRecords<T>(DataTypeInfo type, CivilRange range, Func<DataPoint, T> map, CancellationToken cancellationToken) where T : class
        {
            foreach (var item in ListAscending(type, range, false, cancellationToken))
            {
                if (item.IsError) { yield return ReadItem<T>.Failed(item.Error); continue; }
                var record = map(item.Record);
                if (record != null) yield return ReadItem<T>.Of(record);
            }
        }

        /// <summary>The newest points of a type, newest first: one unfiltered list page of <paramref name="count"/>.</summary>
        public async Task<List<DataPoint>> NewestAsync(DataTypeInfo type, int count, CancellationToken cancellationToken)
        {
            var page = await _client.ListPageAsync(type, null, count, null, false, cancellationToken).ConfigureAwait(false);
            return PageParsers.ParsePage(new ArraySegment<byte>(page.Body));
        }

        // =====================================================================================
        // dailyRollUp: chunks at the range limit, oldest chunk first, a few ahead
        // =====================================================================================

        /// <summary>Daily roll-ups of one type over the range, oldest day first; the first chunks are asked for now.</summary>
        public IEnumerable<ReadItem<RollupDataPoint>> DailyRollUpAscending(DataTypeInfo type, CivilRange range, CancellationToken cancellationToken)
        {
            var chunks = RequestPlanner.DailyRollUpChunks(type, range);
            return Prefetch(chunks, (chunk, ct) => Shared.DailyChunkAsync(type, chunk, () => FetchDailyChunkAsync(type, chunk, ct)), c => (c.From, c.To), type, cancellationToken);
        }

        /// <summary>Daily roll-ups of several types joined by day (row[i]: the value of <paramref name="types"/>[i], null
        /// where it has none), each type on its own chunk grid; the requests start at the first MoveNext.</summary>
        public IEnumerable<ReadItem<RollupDataPoint[]>> DailyRollUpsByDay(IReadOnlyList<DataTypeInfo> types, CivilRange range, CancellationToken cancellationToken)
        {
            // Prefetches start as their streams are made, and the throttle serves chunks in that order:
            // the type with the most chunks (total calories: 14 days a request, 90 for the others) is the
            // longest sequence, so it starts first and the others fill in around it (streams keep type order).
            var streams = new IEnumerable<ReadItem<RollupDataPoint>>[types.Count];
            foreach (var i in Enumerable.Range(0, types.Count).OrderBy(i => RequestPlanner.DailyRollUpChunks(types[i], range).Count * -1))
                streams[i] = DailyRollUpAscending(types[i], range, cancellationToken);
            foreach (var row in JoinAscending(streams, p => p.CivilStartTime.ToDateTime().Ticks)) yield return row;
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

        /// <summary>Physical-time roll-ups of one type, oldest window first; the first chunks are asked for now.</summary>
        public IEnumerable<ReadItem<RollupDataPoint>> RollUpAscending(DataTypeInfo type, CivilRange range, TimeSpan window, PersonZone zone, CancellationToken cancellationToken)
        {
            var start = zone.StartOfDay(range.From);
            var end = zone.StartOfDay(range.EndExclusive);
            var chunks = RequestPlanner.RollUpChunks(type, start, end, window);
            return Prefetch(chunks, (chunk, ct) => FetchRollUpChunkAsync(type, chunk, window, ct),
                c => (zone.Local(c.Start).Date, zone.Local(c.End - TimeSpan.FromTicks(1)).Date), type, cancellationToken);
        }

        /// <summary>Physical-time roll-ups of several types joined by window (row[i]: the value of <paramref name="types"/>[i],
        /// null where it has none); the first chunks are asked for now.</summary>
        public IEnumerable<ReadItem<RollupDataPoint[]>> RollUpsByWindow(IReadOnlyList<DataTypeInfo> types, CivilRange range, TimeSpan window, PersonZone zone,
            CancellationToken cancellationToken)
            => JoinAscending(types.Select(t => RollUpAscending(t, range, window, zone, cancellationToken)).ToList(), p => p.StartTime.Value.UtcTicks);

        /// <summary>Reads the person's zone at the first MoveNext (one settings request per client), then streams what
        /// <paramref name="read"/> makes with it.</summary>
        public IEnumerable<T> InPersonZone<T>(Func<PersonZone, IEnumerable<T>> read, CancellationToken cancellationToken)
        {
            var zone = Await(PersonZone.ReadAsync(_client, cancellationToken), cancellationToken);
            foreach (var item in read(zone)) yield return item;
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
        public static bool EndsCommand(Exception e) => e is FitbitPS.Engine.Core.FitbitEngineException f && f.EndsCommand;

        /// <summary>Merges ascending streams by key: one row per key, null where a stream has no value.</summary>
        public static IEnumerable<ReadItem<T[]>> JoinAscending<T>(IReadOnlyList<IEnumerable<ReadItem<T>>> streams, Func<T, long> key) where T : class
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

        /// <summary>Makes the stream at the first MoveNext rather than now (so its requests start then).</summary>
        public static IEnumerable<T> WhenRead<T>(Func<IEnumerable<T>> open)
        {
            foreach (var item in open()) yield return item;
        }

        /// <summary>Waits for <paramref name="task"/> on the enumerating thread; its own exception comes out unwrapped.</summary>
        public static T Await<T>(Task<T> task, CancellationToken cancellationToken)
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
