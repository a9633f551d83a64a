using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Reading
{
    // Points that share a timestamp with the last point of a page are left out of the next page
    // (google-health-live-evidence.md §0.4, §1.2): the replay asks for them again.
    /// <summary>Replays the fetched pages of a list read oldest first.</summary>
    internal sealed class ListReplay
    {
        private readonly HealthClient _client;
        private readonly ListFetcher _fetcher;

        public ListReplay(HealthClient client, ListFetcher fetcher) { _client = client; _fetcher = fetcher; }

        /// <summary>
        /// Replays fetched pages oldest first: the oldest segment first, in each the last page first, each page
        /// reversed. Records outside the range's days are dropped (the edges of a physical or unfiltered read).
        /// At every page boundary where points can share a timestamp (some page of this read showed two), the
        /// points Google left out of the next page are asked for again with a filter on that one second, and the
        /// ones not already read are put back in their place; where no filter can reach them, a warning names the
        /// timestamp. One extra request per such boundary; none for series whose timestamps are all distinct.
        /// </summary>
        public IEnumerable<ReadItem<T>> Ascending<T>(DataTypeInfo type, CivilRange range, Task<ListResult> fetch, PageParser<T> parser,
            CancellationToken cancellationToken)
        {
            using (var result = PointStreams.Await(fetch, cancellationToken))
            {
                if (result.Failure != null)
                {
                    // The sign-in is gone, access withdrawn, Google unreachable: the command ends with that one error.
                    if (PointStreams.EndsCommand(result.Failure)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(result.Failure).Throw();
                    // Pages arrive newest first: the days not yet read run from From up to the oldest day fetched.
                    var to = range.To;
                    var last = result.Segments.Count == 0 ? null : result.Segments[result.Segments.Count - 1].Pages.Last();
                    if (last != null)
                    {
                        var records = parser.Parse(new ArraySegment<byte>(last));
                        var day = records.Count == 0 ? null : parser.DayOf(records[records.Count - 1]);
                        if (day.HasValue && day.Value >= range.From && day.Value <= range.To) to = day.Value;
                    }
                    yield return ReadItem<T>.Failed(new ChunkFailedException(type.Id, range.From, to, result.Failure));
                }
                bool tiesSeen = false;
                foreach (var segment in result.Segments)
                {
                    bool olderPage = false; // a page older than this one exists in the chain (so this one has a boundary)
                    foreach (var body in segment.Pages.NewestLast())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var records = parser.Parse(body);
                        bool pageTies = HasTies(records, parser);
                        List<T> recovered = null;
                        if (olderPage && records.Count > 0 && (tiesSeen || pageTies))
                            recovered = RecoverBoundary(type, segment, records, parser, cancellationToken);
                        tiesSeen |= pageTies;
                        olderPage = true;
                        if (recovered != null)
                            foreach (var r in recovered)
                                if (InRange(parser.DayOf(r), range)) yield return ReadItem<T>.Of(r);
                        for (int i = records.Count - 1; i >= 0; i--)
                        {
                            if ((i & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                            if (InRange(parser.DayOf(records[i]), range)) yield return ReadItem<T>.Of(records[i]);
                        }
                    }
                }
            }
        }

        private static bool InRange(DateTime? day, CivilRange range) => !day.HasValue || (day.Value >= range.From && day.Value <= range.To);

        private static bool HasTies<T>(List<T> records, PageParser<T> parser)
        {
            DateTimeOffset? previous = null;
            foreach (var r in records)
            {
                var t = parser.OrderTime(r);
                if (t.HasValue && previous.HasValue && t.Value.UtcTicks == previous.Value.UtcTicks) return true;
                previous = t;
            }
            return false;
        }

        /// <summary>The points at the oldest timestamp of <paramref name="page"/> (newest first, as sent) that the
        /// next page left out, asked for again (ascending). Null when there are none or none can be asked for.</summary>
        private List<T> RecoverBoundary<T>(DataTypeInfo type, ListSegment segment, List<T> page, PageParser<T> parser, CancellationToken cancellationToken)
        {
            var at = parser.OrderTime(page[page.Count - 1]);
            if (!at.HasValue) return null;
            var filter = BoundaryFilter(type, segment.Filter, at.Value);
            if (filter == null)
            {
                _client.Log.Warning($"Google may have left out {type.Id} points recorded at {at.Value:yyyy-MM-dd HH:mm:ss zzz}: they shared that time with " +
                                    "the last point of a page, and no filter can ask for that moment again. Read a shorter range to check.");
                return null;
            }
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = page.Count - 1; i >= 0 && parser.OrderTime(page[i])?.UtcTicks == at.Value.UtcTicks; i--)
            {
                var id = parser.Identity(page[i]);
                seen.TryGetValue(id, out var n);
                seen[id] = n + 1;
            }
            var again = new List<T>();
            var boundary = new ListSegment(filter, segment.Reconcile);
            try
            {
                PointStreams.Await(_fetcher.FetchPagesAsync(type, boundary, boundary.Reconcile, null, cancellationToken).ContinueWith(t => { t.GetAwaiter().GetResult(); return true; },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), cancellationToken);
                foreach (var body in boundary.Pages.NewestLast())
                {
                    var records = parser.Parse(body);
                    for (int i = records.Count - 1; i >= 0; i--)
                    {
                        if (parser.OrderTime(records[i])?.UtcTicks != at.Value.UtcTicks) continue;
                        var id = parser.Identity(records[i]);
                        if (seen.TryGetValue(id, out var n) && n > 0) { seen[id] = n - 1; continue; }
                        again.Add(records[i]);
                    }
                }
            }
            finally { boundary.Pages.Dispose(); }
            if (again.Count > 0)
                _client.Log.Verbose($"{type.Id}: {again.Count} point(s) at {at.Value:yyyy-MM-dd HH:mm:ss zzz} that Google left out at a page boundary were read again.");
            return again;
        }

        /// <summary>A filter for the one second that starts at <paramref name="at"/>, on the field the read's own
        /// filter uses (civil or physical); null where the type has none.</summary>
        private static string BoundaryFilter(DataTypeInfo type, string readFilter, DateTimeOffset at)
        {
            var second = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Offset);
            if (readFilter != null && type.PhysicalFilterField != null && readFilter.StartsWith(type.PhysicalFilterField, StringComparison.Ordinal))
                return type.PhysicalFilter(second, second.AddSeconds(1));
            var field = type.CivilFilterField;
            if (field == null || !type.Filterable) return null;
            if (type.Kind == DataTypeKind.Daily)
                return $"{field} >= \"{second.Date:yyyy-MM-dd}\" AND {field} < \"{second.Date.AddDays(1):yyyy-MM-dd}\"";
            string Civil(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            return $"{field} >= \"{Civil(second.DateTime)}\" AND {field} < \"{Civil(second.DateTime.AddSeconds(1))}\"";
        }
    }
}
