namespace HealthApiEmulator.Hosting;

/// <summary>How an emulator instance behaves. Everything a test may want to vary lives here.</summary>
public sealed class EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Consent page approves at once (all requested scopes) instead of showing the form.</summary>
    public bool AutoApprove { get; set; }

    /// <summary>Seed of the synthetic person's data; the same seed gives the same data.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The emulator's "now" at start. Data exists only before it; token lifetimes run on it.
    /// Null means the real UTC time at start.</summary>
    public DateTimeOffset? Now { get; set; }

    /// <summary>Google's "Testing" publishing status: refresh tokens die 7 days after consent.</summary>
    public bool TestingApp { get; set; }

    /// <summary>Per-user requests per minute before 429 RESOURCE_EXHAUSTED (Google: 300). 0 turns it off.</summary>
    public int QuotaPerMinute { get; set; } = 300;

    /// <summary>Latency added to every Health API request (not OAuth), for benchmarks.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The synthetic person (time zone, trip, history span).</summary>
    public Data.PersonOptions Person { get; set; } = new();
}
