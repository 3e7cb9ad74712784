using System.Text;

namespace Strata.Storage.Labels;

/// <summary>
/// A label pair given as byte ranges of a caller's buffer (a decoded protobuf message), so that the
/// ingest path can find a series without materialising strings.
/// </summary>
public readonly record struct Utf8Label(int NameStart, int NameLength, int ValueStart, int ValueLength)
{
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> buffer) => buffer.Slice(NameStart, NameLength);
    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> buffer) => buffer.Slice(ValueStart, ValueLength);
}

/// <summary>Helpers over <see cref="Utf8Label"/> runs.</summary>
public static class Utf8Labels
{
    /// <summary>Ordinal comparison of two UTF-8 strings as Go compares strings (bytewise).</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

    public static string Decode(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
