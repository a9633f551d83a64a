namespace HealthApiEmulator.Data;

/// <summary>Small deterministic PRNG (SplitMix64). The synthetic person's data must be identical for
/// the same seed on every machine and .NET version, which System.Random does not promise.</summary>
internal struct Rng
{
    private ulong _state;

    public Rng(int seed, long key, int stream)
    {
        _state = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Mix((ulong)key + 0x632BE59BD9B4E019UL * (ulong)(stream + 1)));
    }

    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Stateless uniform [0,1) for (seed, key, stream): per-minute randomness without a stream.</summary>
    public static double Hash01(int seed, long key, int stream)
        => (Mix((ulong)(uint)seed * 0xD1B54A32D192ED03UL ^ Mix((ulong)key * 0x9E3779B97F4A7C15UL + (ulong)stream)) >> 11) * (1.0 / (1UL << 53));

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [lo, hi).</summary>
    public int Next(int lo, int hi) => lo + (int)(NextULong() % (ulong)(hi - lo));

    public double Range(double lo, double hi) => lo + NextDouble() * (hi - lo);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Roughly normal (sum of uniforms), mean 0, sd 1.</summary>
    public double Gauss() => (NextDouble() + NextDouble() + NextDouble() + NextDouble() - 2.0) * 1.7320508;
}
