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

    /// <summary>Per-user requests per fixed wall-clock minute before 429 RESOURCE_EXHAUSTED (Google: 300); the quota
    /// lifts at the minute boundary. 0 turns it off.</summary>
    public int QuotaPerMinute { get; set; } = 300;

    /// <summary>Send <c>Retry-After</c> (seconds until the minute boundary) with quota 429s. Default false: no header,
    /// as Google documents none and Service Control emits none (evidence §1.6; esp-v2 issue 498). Injected
    /// <c>RateLimited</c> faults send their own <c>RetryAfterSeconds</c> either way.</summary>
    public bool QuotaRetryAfter { get; set; }

    /// <summary>The clock the per-user quota runs on (null = real time). Tests pass their own TimeProvider to cross
    /// a minute boundary without waiting; the emulator's data clock (<see cref="Now"/>) is separate.</summary>
    public TimeProvider? QuotaTimeProvider { get; set; }

    /// <summary>Latency added to every Health API request (not OAuth), for benchmarks.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>list/reconcile pages come back short as live (evidence §0.4, §1.2, §6.3): never more than 5,000
    /// points for the dense types (heart-rate, active-energy-burned); other types stop at a deterministic per-page
    /// budget well under pageSize (steps ~900–1,000, distance ~1,500–1,600, active-minutes ~1,080–1,150, sleep and
    /// exercise 17–25, others 1,000–1,600), and about one page in seven is empty (no dataPoints) yet carries a
    /// nextPageToken. False: pages are filled to min(pageSize, the type's maximum), as before. Either way an empty
    /// result is <c>{}</c> and the last page carries <c>"nextPageToken": ""</c>.</summary>
    public bool ShortPages { get; set; } = true;

    /// <summary>The page token keeps only the timestamp of the last point served, so the next page resumes strictly
    /// older than it: points sharing that timestamp and not on the page are never served (evidence §1.2, kkdev92
    /// docs/operations.md). Count them with <see cref="Emulator.Paging"/>. False: the (timestamp, tie-breaker)
    /// cursor loses nothing.</summary>
    public bool PageBoundaryLoss { get; set; } = true;

    /// <summary>False (default): a heart-rate list/reconcile whose filter restricts
    /// <c>heart_rate.sample_time.civil_time</c> is accepted and answers <c>{}</c> (no points); physical_time works.
    /// True: the civil filter selects points like any other. UNCONFIRMED: the project's brief states this as live
    /// evidence (§0/§1), but google-health-live-evidence.md does not contain it and one public client (index id
    /// 68330295776, 2026-09-17) lists the filter as live-verified; the stricter behaviour is the default.</summary>
    public bool HeartRateCivilFilterWorks { get; set; }

    /// <summary>The emulator's old heart-rate cadence: a sample every 15 s while worn, 10 s in workouts. Default
    /// false: every 5 s at rest and asleep, 3–4 s when active, 2 s in workouts (evidence §1.2 "Heart rate every
    /// 15 s — CONTRADICTED": Pixel Watch median gap 2 s, 37,370 rows a day; Fitbit Air about 5 s).</summary>
    public bool LegacyHeartRateCadence { get; set; }

    /// <summary>The synthetic person (time zone, trip, history span).</summary>
    public Data.PersonOptions Person { get; set; } = new();
}
