using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Records.Mapping;
using Newtonsoft.Json;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Reading
{
    // list / reconcile: one query, every page, replayed oldest first — as the live API really pages
    // (google-health-live-evidence.md §0.4, §1.2): pages shorter than asked and even empty ones still carry a
    // token, the last one says "nextPageToken": "", and points that share a timestamp with the last point of a
    // page are left out of the next page.
    public sealed partial class FitbitReader
    {
        /// <summary>How to read a page of one record type, and where each record sits in the list's order.</summary>
        internal sealed class PageParser<T>
        {
            public Func<ArraySegment<byte>, List<T>> Parse;
            /// <summary>The person's calendar day of a record (null: unknown).</summary>
            public Func<T, DateTime?> DayOf;
            /// <summary>The time the list is ordered and filtered by, with the person's offset then (null: none).</summary>
            public Func<T, DateTimeOffset?> OrderTime;
            /// <summary>A record's full identity: two records with the same text are the same record.</summary>
            public Func<T, string> Identity;
        }

        private static readonly PageParser<HeartRateSample> HeartRatePages = new PageParser<HeartRateSample>
        {
            Parse = ParseHeartRatePage,
            DayOf = s => s.Date,
            OrderTime = s => s.Time,
            Identity = s => s.Time.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + s.BeatsPerMinute + "|" + s.Source,
        };

        private static PageParser<DataPoint> PointPages(DataTypeInfo type) => new PageParser<DataPoint>
        {
            Parse = ParsePage,
            DayOf = GenericRecords.CivilDay,
            OrderTime = p => OrderTimeOf(type, p),
            Identity = p => JsonConvert.SerializeObject(p, Formatting.None),
        };

        /// <summary>Points of <paramref name="type"/> in the range, oldest first.</summary>
        public IEnumerable<ReadItem<DataPoint>> ListAscending(DataTypeInfo type, CivilRange range, bool reconcile, CancellationToken cancellationToken)
            => Ascending(type, range, StartList(type, range, reconcile, cancellationToken), PointPages(type), cancellationToken);

        private Task<ListResult> StartList(DataTypeInfo type, CivilRange range, bool reconcile, CancellationToken cancellationToken)
            => _shared.List(type, range, reconcile, () => FetchListAsync(type, range, reconcile, cancellationToken));

        /// <summary>
        /// Every page of the range. Civil days are asked with a civil filter (Google places each point on the
        /// person's own day); a type whose civil filter cannot be trusted (heart rate) is asked on physical time
        /// from the home zone's midnights, then the edges are put right with the offsets the points themselves
        /// carry — on a trip day the person's day starts at another instant than at home, and the missing hours
        /// are asked for (the surplus is dropped on replay); a type with no filterable member is listed newest
        /// first until its points are older than the range.
        /// </summary>
        private async Task<ListResult> FetchListAsync(DataTypeInfo type, CivilRange range, bool reconcile, CancellationToken cancellationToken)
        {
            var result = new ListResult();
            try
            {
                if (!type.Filterable)
                {
                    var all = new ListSegment(null, reconcile);
                    result.Segments.Add(all);
                    await FetchPagesAsync(type, all, reconcile, page => OldestDay(type, page) < range.From, cancellationToken).ConfigureAwait(false);
                }
                else if (type.CivilFilterWorks || type.PhysicalFilterField == null)
                {
                    var civil = new ListSegment(RequestPlanner.ListFilter(type, range), reconcile);
                    result.Segments.Add(civil);
                    await FetchPagesAsync(type, civil, reconcile, null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await FetchPhysicalAsync(type, range, reconcile, result, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { result.Dispose(); throw; }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                result.Failure = e;
            }
            return result;
        }

        private async Task FetchPhysicalAsync(DataTypeInfo type, CivilRange range, bool reconcile, ListResult result, CancellationToken cancellationToken)
        {
            var zone = await PersonZoneAsync(cancellationToken).ConfigureAwait(false);
            DateTimeOffset start = zone.StartOfDay(range.From), end = zone.StartOfDay(range.EndExclusive);
            var main = new ListSegment(type.PhysicalFilter(start, end), reconcile);
            await FetchPagesAsync(type, main, reconcile, null, cancellationToken).ConfigureAwait(false);
            var newest = EdgeTime(type, main.Pages, newest: true);
            var oldest = EdgeTime(type, main.Pages, newest: false);
            // The person's day ends at midnight in the offset they had then, which is home time except on trips.
            if (oldest.HasValue)
            {
                var trueStart = new DateTimeOffset(range.From, oldest.Value.Offset);
                if (trueStart < start)
                {
                    var older = new ListSegment(type.PhysicalFilter(trueStart, start), reconcile);
                    result.Segments.Add(older);
                    await FetchPagesAsync(type, older, reconcile, null, cancellationToken).ConfigureAwait(false);
                }
            }
            result.Segments.Add(main);
            if (newest.HasValue)
            {
                var trueEnd = new DateTimeOffset(range.EndExclusive, newest.Value.Offset);
                if (trueEnd > end)
                {
                    var newer = new ListSegment(type.PhysicalFilter(end, trueEnd), reconcile);
                    result.Segments.Add(newer);
                    await FetchPagesAsync(type, newer, reconcile, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Follows the page tokens to the end (an empty token ends; short and empty pages do not).</summary>
        private async Task FetchPagesAsync(DataTypeInfo type, ListSegment segment, bool reconcile, Func<ArraySegment<byte>, bool> enough, CancellationToken cancellationToken)
        {
            string token = null;
            do
            {
                // The body goes from the client's pooled buffer into the spool once it is whole and parses.
                token = await _client.ListPageIntoAsync(type, segment.Filter, type.MaxPageSize, token, reconcile, segment.Pages, cancellationToken).ConfigureAwait(false);
                if (token != null && enough != null)
                {
                    var last = segment.Pages.Last();
                    if (last != null && enough(new ArraySegment<byte>(last))) token = null;
                }
            } while (token != null);
        }

        /// <summary>The order time of the newest (first) or oldest (last) point of a page chain (pages were added
        /// newest first; empty pages are passed over).</summary>
        private static DateTimeOffset? EdgeTime(DataTypeInfo type, PageSpool pages, bool newest)
        {
            for (int k = 0; k < pages.Count; k++)
            {
                var points = ParsePage(new ArraySegment<byte>(pages.Page(newest ? k : pages.Count - 1 - k)));
                for (int i = 0; i < points.Count; i++)
                {
                    var t = OrderTimeOf(type, points[newest ? i : points.Count - 1 - i]);
                    if (t != null) return t;
                }
            }
            return null;
        }

        private static DateTime? OldestDay(DataTypeInfo type, ArraySegment<byte> page)
        {
            var points = ParsePage(page);
            for (int i = points.Count - 1; i >= 0; i--)
            {
                var day = GenericRecords.CivilDay(points[i]);
                if (day.HasValue) return day;
            }
            return null;
        }

        /// <summary>
        /// Replays fetched pages oldest first: the oldest segment first, in each the last page first, each page
        /// reversed. Records outside the range's days are dropped (the edges of a physical or unfiltered read).
        /// At every page boundary where points can share a timestamp (some page of this read showed two), the
        /// points Google left out of the next page are asked for again with a filter on that one second, and the
        /// ones not already read are put back in their place; where no filter can reach them, a warning names the
        /// timestamp. One extra request per such boundary; none for series whose timestamps are all distinct.
        /// </summary>
        private IEnumerable<ReadItem<T>> Ascending<T>(DataTypeInfo type, CivilRange range, Task<ListResult> fetch, PageParser<T> parser,
            CancellationToken cancellationToken)
        {
            using (var result = Await(fetch, cancellationToken))
            {
                if (result.Failure != null)
                {
                    // The sign-in is gone, access withdrawn, Google unreachable: the command ends with that one error.
                    if (EndsCommand(result.Failure)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(result.Failure).Throw();
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
                Await(FetchPagesAsync(type, boundary, boundary.Reconcile, null, cancellationToken).ContinueWith(t => { t.GetAwaiter().GetResult(); return true; },
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

        /// <summary>The time a list is ordered by, with the person's offset then: the sample time of a sample,
        /// the start of an interval, the end of a sleep (its filter field), the day of a daily value.</summary>
        internal static DateTimeOffset? OrderTimeOf(DataTypeInfo type, DataPoint p)
        {
            if (p.HeartRate?.SampleTime != null) return p.HeartRate.SampleTime.LocalTime;
            if (p.Weight?.SampleTime != null) return p.Weight.SampleTime.LocalTime;
            if (p.BodyFat?.SampleTime != null) return p.BodyFat.SampleTime.LocalTime;
            if (p.Height?.SampleTime != null) return p.Height.SampleTime.LocalTime;
            if (p.Steps?.Interval != null) return p.Steps.Interval.LocalStart;
            if (p.Distance?.Interval != null) return p.Distance.Interval.LocalStart;
            if (p.Sleep?.Interval != null) return p.Sleep.Interval.LocalEnd;
            if (p.Exercise?.Interval != null) return p.Exercise.Interval.LocalStart;
            var day = p.DailyRestingHeartRate?.Date ?? p.DailyHeartRateVariability?.Date ?? p.DailyOxygenSaturation?.Date
                      ?? p.DailyRespiratoryRate?.Date ?? p.DailySleepTemperatureDerivations?.Date ?? p.DailyVo2Max?.Date;
            if (day != null) return new DateTimeOffset(day.ToDateTime(), TimeSpan.Zero);
            if (p.Other == null) return null;
            var record = GenericRecords.From(type, p);
            if (type.Kind == DataTypeKind.Session && type.Id == "sleep") return record.End;
            if (record.Start.HasValue) return record.Start;
            return record.Date.HasValue ? new DateTimeOffset(record.Date.Value, TimeSpan.Zero) : (DateTimeOffset?)null;
        }

        /// <summary>A raw heart-rate list page (newest first, as sent) into records: the byte scanner, or
        /// Newtonsoft when the page has another shape. Public for the parse benchmark.</summary>
        public static List<HeartRateSample> ParseHeartRatePage(byte[] body) => ParseHeartRatePage(new ArraySegment<byte>(body));

        /// <summary>The same over a page in a (pooled) buffer.</summary>
        public static List<HeartRateSample> ParseHeartRatePage(ArraySegment<byte> body)
        {
            var samples = new List<HeartRateSample>(10000);
            if (body.Offset == 0 && HeartRatePageScanner.TryParse(body.Array, body.Count, samples, out _)) return samples;
            return ParsePage(body).Where(p => p.HeartRate?.SampleTime != null).Select(HeartRecords.ToHeartRateSample).ToList();
        }

        private static List<DataPoint> ParsePage(ArraySegment<byte> body)
        {
            var points = new List<DataPoint>(1024);
            using (var ms = new MemoryStream(body.Array, body.Offset, body.Count, false)) DataPointReader.ReadPage(ms, points.Add);
            return points;
        }
    }
}
