namespace ConfluenceAudit.Emulator.Seeding;

/// <summary>SplitMix64. Written out rather than System.Random so the seeded records stay byte-identical
/// across .NET versions, and so each record can get its own stream (seeding runs in parallel).</summary>
internal struct Rng(ulong state)
{
    private ulong _state = state;

    /// <summary>An independent stream for item <paramref name="index"/> of run <paramref name="seed"/>.</summary>
    public static Rng For(long seed, long index, ulong salt = 0)
    {
        var mixer = new Rng(unchecked((ulong)seed ^ salt));
        ulong a = mixer.Next();
        return new Rng(a ^ unchecked((ulong)index * 0xD1B54A32D192ED03UL));
    }

    public ulong Next()
    {
        ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    public int Below(int n) => (int)(Next() % (ulong)n);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];
}
