namespace HealthApiEmulator.Hosting;

/// <summary>The emulator's notion of "now": data exists only before it, tokens expire by it.
/// Tests move it; it never moves by itself unless <see cref="Running"/> is true (standalone mode).</summary>
public sealed class EmulatorClock
{
    private readonly object _gate = new();
    private DateTimeOffset _base;
    private DateTimeOffset _realBase;

    public EmulatorClock(DateTimeOffset start, bool running)
    {
        _base = start;
        _realBase = DateTimeOffset.UtcNow;
        Running = running;
    }

    /// <summary>When true, the clock advances with real time from the last set/advance.</summary>
    public bool Running { get; }

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_gate)
            {
                return Running ? _base + (DateTimeOffset.UtcNow - _realBase) : _base;
            }
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate) { _base = now.ToUniversalTime(); _realBase = DateTimeOffset.UtcNow; }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) { _base = UtcNowUnlocked() + by; _realBase = DateTimeOffset.UtcNow; }
    }

    private DateTimeOffset UtcNowUnlocked() => Running ? _base + (DateTimeOffset.UtcNow - _realBase) : _base;
}
