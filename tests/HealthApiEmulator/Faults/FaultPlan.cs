using Microsoft.AspNetCore.Http;

namespace HealthApiEmulator.Faults;

/// <summary>What goes wrong with a request, the way a client over the network sees it.</summary>
public enum FaultKind
{
    /// <summary>The request is answered normally, <see cref="Fault.Latency"/> later.</summary>
    Latency,

    /// <summary>429 RESOURCE_EXHAUSTED (Google envelope) with <c>Retry-After: N</c>.</summary>
    RateLimited,

    /// <summary>503 UNAVAILABLE (Google envelope).</summary>
    Unavailable,

    /// <summary>The connection is aborted before any response is sent.</summary>
    ConnectionReset,

    /// <summary>200 with a Content-Length larger than what is sent, then the connection is aborted.</summary>
    TruncatedBody,

    /// <summary>Google front end HTML error page (502 "Error 502 (Server Error)!!1"), text/html.</summary>
    HtmlErrorPage,

    /// <summary>200 application/json whose body is not valid JSON.</summary>
    MalformedJson,

    /// <summary>The presented access token expires now: 401 UNAUTHENTICATED (refresh still works).</summary>
    ExpiredAccessToken,

    /// <summary>The user revoked access: 401 UNAUTHENTICATED, and the grant's refresh token stops working too.</summary>
    RevokedToken,

    /// <summary>200 application/json with valid JSON of the wrong shape (an empty object): what a proxy or
    /// captive portal may answer in Google's place.</summary>
    WrongShapeJson,
}

/// <summary>One queued fault: hits the next <see cref="Remaining"/> requests it matches.</summary>
public sealed class Fault
{
    internal Fault(FaultKind kind, int count, string? pathContains, Func<HttpRequest, bool>? predicate)
    {
        Kind = kind; Remaining = count; PathContains = pathContains; Predicate = predicate;
    }

    public FaultKind Kind { get; }
    public string? PathContains { get; }
    public Func<HttpRequest, bool>? Predicate { get; }

    /// <summary>Added latency (Latency kind).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retry-After seconds (RateLimited kind; 0 sends no header).</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>HTTP status of the HTML error page (HtmlErrorPage kind).</summary>
    public int HtmlStatus { get; set; } = 502;

    /// <summary>Requests this fault still hits.</summary>
    public int Remaining { get; internal set; }

    /// <summary>Requests this fault has hit.</summary>
    public int Hits { get; internal set; }

    internal bool Matches(HttpRequest request)
    {
        if (Predicate != null && !Predicate(request)) return false;
        if (PathContains != null)
            return (request.Path.Value ?? "").Contains(PathContains, StringComparison.OrdinalIgnoreCase);
        // Default: Health API requests only; an explicit predicate alone may match anything.
        return Predicate != null || request.Path.StartsWithSegments("/v4", StringComparison.Ordinal);
    }
}

/// <summary>Faults queued for matching requests, applied in the order they were added.</summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<Fault> _faults = new();

    /// <summary>Queues <paramref name="kind"/> for the next <paramref name="count"/> requests whose path contains
    /// <paramref name="pathContains"/> (case-insensitive) and that satisfy <paramref name="predicate"/>;
    /// with neither, any /v4 request. Adjust the returned fault (latency, Retry-After) before requests arrive.</summary>
    public Fault Add(FaultKind kind, int count = 1, string? pathContains = null, Func<HttpRequest, bool>? predicate = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var fault = new Fault(kind, count, pathContains, predicate);
        lock (_gate) _faults.Add(fault);
        return fault;
    }

    public Fault AddLatency(TimeSpan latency, int count = 1, string? pathContains = null)
    {
        var fault = Add(FaultKind.Latency, count, pathContains);
        fault.Latency = latency;
        return fault;
    }

    public Fault AddRateLimited(int retryAfterSeconds, int count = 1, string? pathContains = null)
    {
        var fault = Add(FaultKind.RateLimited, count, pathContains);
        fault.RetryAfterSeconds = retryAfterSeconds;
        return fault;
    }

    /// <summary>Faults not yet used up.</summary>
    public int Pending { get { lock (_gate) return _faults.Sum(f => f.Remaining); } }

    public void Clear() { lock (_gate) _faults.Clear(); }

    /// <summary>The first queued fault matching the request, consuming one of its hits.</summary>
    internal Fault? Take(HttpRequest request)
    {
        lock (_gate)
        {
            foreach (var fault in _faults)
            {
                if (fault.Remaining <= 0 || !fault.Matches(request)) continue;
                fault.Remaining--;
                fault.Hits++;
                if (fault.Remaining == 0) _faults.Remove(fault);
                return fault;
            }
            return null;
        }
    }
}
