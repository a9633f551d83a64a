using System.Collections.Concurrent;

namespace HealthApiEmulator.Hosting;

/// <summary>One answered request.</summary>
public sealed record LoggedRequest(DateTimeOffset At, string Method, string Path, string Query, string? Body, int Status);

/// <summary>Every request the emulator answered, in order. Tests assert request counts with it.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<LoggedRequest> _entries = new();

    public void Add(LoggedRequest entry) => _entries.Enqueue(entry);

    public IReadOnlyList<LoggedRequest> All => _entries.ToArray();

    /// <summary>Health API requests only (paths under /v4/).</summary>
    public IReadOnlyList<LoggedRequest> HealthApi => _entries.Where(e => e.Path.StartsWith("/v4/", StringComparison.Ordinal)).ToArray();

    public int Count(Func<LoggedRequest, bool> predicate) => _entries.Count(predicate);

    public void Clear() => _entries.Clear();
}
