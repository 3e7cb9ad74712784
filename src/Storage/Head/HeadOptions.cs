namespace Strata.Storage.Head;

/// <summary>Settings of the in-memory head. Validated once at start-up.</summary>
public sealed record HeadOptions
{
    /// <summary>Samples after which a chunk is cut (Prometheus: 120).</summary>
    public int SamplesPerChunk { get; init; } = 120;

    /// <summary>Block range; chunks never span a multiple of it so blocks can be cut cleanly (2 h).</summary>
    public long ChunkRangeMs { get; init; } = 2 * 60 * 60 * 1000;

    /// <summary>How far behind the newest sample of the head out-of-order samples are still accepted (0 = off).</summary>
    public long OutOfOrderWindowMs { get; init; }

    /// <summary>Number of lock stripes for the series map (power of two).</summary>
    public int Stripes { get; init; } = 4096;

    public void Validate()
    {
        if (SamplesPerChunk is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(SamplesPerChunk));
        if (OutOfOrderWindowMs < 0) throw new ArgumentOutOfRangeException(nameof(OutOfOrderWindowMs));
        if (ChunkRangeMs <= 0) throw new ArgumentOutOfRangeException(nameof(ChunkRangeMs));
        if (Stripes <= 0 || (Stripes & (Stripes - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(Stripes));
    }
}
