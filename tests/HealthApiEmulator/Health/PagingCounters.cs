using System.Collections.Concurrent;

namespace HealthApiEmulator.Health;

/// <summary>
/// What the list/reconcile pager did, for tests that compare a client's result with the ground truth
/// (<c>emu.Paging</c>). With <see cref="Hosting.EmulatorOptions.PageBoundaryLoss"/> on, a client that reads every
/// page of a query receives <c>Person.CountPoints(type, from, to)</c> − the points counted here for that type.
/// </summary>
public sealed class PagingCounters
{
    private readonly ConcurrentDictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private long _skippedTotal;
    private long _emptyPages;

    /// <summary>Points never served because a page ended between points sharing a timestamp and the next page
    /// resumed strictly older than it (evidence §1.2). Counted when the request presenting that page token is
    /// answered, once per such request (a client that presents the same token twice is counted twice).</summary>
    public long BoundarySkippedPoints => Interlocked.Read(ref _skippedTotal);

    /// <summary><see cref="BoundarySkippedPoints"/> of one data type (kebab id, e.g. "steps").</summary>
    public long BoundarySkippedPointsOf(string dataType) => _skipped.TryGetValue(dataType, out var n) ? n : 0;

    /// <summary>Pages served with no dataPoints but a nextPageToken (evidence §1.2).</summary>
    public long EmptyPages => Interlocked.Read(ref _emptyPages);

    public void Reset()
    {
        _skipped.Clear();
        Interlocked.Exchange(ref _skippedTotal, 0);
        Interlocked.Exchange(ref _emptyPages, 0);
    }

    internal void AddSkipped(string dataType, int count)
    {
        if (count <= 0) return;
        _skipped.AddOrUpdate(dataType, count, (_, n) => n + count);
        Interlocked.Add(ref _skippedTotal, count);
    }

    internal void AddEmptyPage() => Interlocked.Increment(ref _emptyPages);
}
