using System;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Records.Mapping;

namespace FitbitPS.Engine.Reading
{
    // list / reconcile: one query, every page — as the live API really pages (google-health-live-evidence.md §0.4,
    // §1.2): pages shorter than asked and even empty ones still carry a token, the last one says "nextPageToken": "".
    /// <summary>Fetches every page of a list read into spools, newest page first as Google sends them.</summary>
    internal sealed class ListFetcher
    {
        private readonly HealthClient _client;

        public ListFetcher(HealthClient client) { _client = client; }

        /// <summary>
        /// Every page of the range. Civil days are asked with a civil filter (Google places each point on the
        /// person's own day); a type whose civil filter cannot be trusted (heart rate) is asked on physical time
        /// from the home zone's midnights, then the edges are put right with the offsets the points themselves
        /// carry — on a trip day the person's day starts at another instant than at home, and the missing hours
        /// are asked for (the surplus is dropped on replay); a type with no filterable member is listed newest
        /// first until its points are older than the range.
        /// </summary>
        public async Task<ListResult> FetchAsync(DataTypeInfo type, CivilRange range, bool reconcile, CancellationToken cancellationToken)
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
            var zone = await PersonZone.ReadAsync(_client, cancellationToken).ConfigureAwait(false);
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
        public async Task FetchPagesAsync(DataTypeInfo type, ListSegment segment, bool reconcile, Func<ArraySegment<byte>, bool> enough, CancellationToken cancellationToken)
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
                var points = PageParsers.ParsePage(new ArraySegment<byte>(pages.Page(newest ? k : pages.Count - 1 - k)));
                for (int i = 0; i < points.Count; i++)
                {
                    var t = PageParsers.OrderTimeOf(type, points[newest ? i : points.Count - 1 - i]);
                    if (t != null) return t;
                }
            }
            return null;
        }

        private static DateTime? OldestDay(DataTypeInfo type, ArraySegment<byte> page)
        {
            var points = PageParsers.ParsePage(page);
            for (int i = points.Count - 1; i >= 0; i--)
            {
                var day = GenericRecords.CivilDay(points[i]);
                if (day.HasValue) return day;
            }
            return null;
        }
    }
}
