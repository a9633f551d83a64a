using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.Data;

/// <summary>Deterministic synthetic data for one person. (Owned by the Health/data side.)</summary>
public sealed class SyntheticPerson
{
    public SyntheticPerson(PersonOptions options, int seed, EmulatorClock clock) { }
}
