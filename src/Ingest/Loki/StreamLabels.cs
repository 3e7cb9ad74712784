using Strata.Storage.Labels;

namespace Strata.Ingest.Loki;

/// <summary>
/// What one stream's label text (a protobuf <c>labels</c> string, or the bytes of a JSON
/// <c>stream</c> object) turned into: the final label set, or why the stream is rejected. Immutable
/// and shared between requests through <see cref="StreamLabelsCache"/>; everything here depends only
/// on the text and the decoder's <see cref="LokiLimits"/>, never on time.
/// </summary>
internal sealed class StreamLabels
{
    public StreamLabels(byte[] key, ulong hash, LabelSet? labels, string text, LokiRejectReason reason, string? error)
    {
        Key = key;
        Hash = hash;
        Labels = labels;
        Text = text;
        Reason = reason;
        Error = error;
        Level = labels is null ? null : DetectedLevel.FromLabels(labels);
    }

    public byte[] Key { get; }
    public ulong Hash { get; }

    /// <summary>The stream's labels (sorted, no empty values, service_name added); null when rejected.</summary>
    public LabelSet? Labels { get; }

    /// <summary>The labels as Loki prints them in entry errors (Prometheus <c>labels.String()</c>).</summary>
    public string Text { get; }

    public LokiRejectReason Reason { get; }

    /// <summary>The <c>detected_level</c> a level-named stream label gives every entry, or null.</summary>
    public string? Level { get; }

    /// <summary>The 400 message for every push of this stream when rejected.</summary>
    public string? Error { get; }
}

/// <summary>
/// A bounded, lock-free map from label text to <see cref="StreamLabels"/>: Promtail and Alloy send the
/// same few label strings in every batch, so parsing, sorting and validating them happens once per
/// stream instead of once per push. Two-way set-associative on the text's hash; an insert into a full
/// set evicts the older way. Readers never lock and a hit allocates nothing.
/// </summary>
/// <remarks>Thread-safe: slots hold immutable entries and are replaced with single reference writes.</remarks>
internal sealed class StreamLabelsCache
{
    private readonly StreamLabels?[] _slots;
    private readonly int _setMask;

    public StreamLabelsCache(int capacity)
    {
        int sets = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity / 2, 1));
        _slots = new StreamLabels?[sets * 2];
        _setMask = sets - 1;
    }

    public StreamLabels? Get(ReadOnlySpan<byte> key, ulong hash)
    {
        int set = (int)(hash >> 32) & _setMask;
        var a = Volatile.Read(ref _slots[set * 2]);
        if (a is not null && a.Hash == hash && key.SequenceEqual(a.Key)) return a;
        var b = Volatile.Read(ref _slots[set * 2 + 1]);
        if (b is not null && b.Hash == hash && key.SequenceEqual(b.Key)) return b;
        return null;
    }

    public void Add(StreamLabels entry)
    {
        int set = (int)(entry.Hash >> 32) & _setMask;
        // Newest in way 0; the previous way-0 entry moves to way 1 (a racing reader may miss both
        // for an instant and parse again, which is harmless).
        var previous = Volatile.Read(ref _slots[set * 2]);
        if (previous is not null) Volatile.Write(ref _slots[set * 2 + 1], previous);
        Volatile.Write(ref _slots[set * 2], entry);
    }
}
