using System.Text;
using System.Text.Unicode;

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
    public static ulong Hash(ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
    {
        var h = LabelsHash.Create();
        foreach (ref readonly var l in labels)
        {
            h.Add(l.Name(buffer));
            h.Add(l.Value(buffer));
        }
        return h.Finish();
    }

    /// <summary>True if <paramref name="set"/> has exactly these pairs in this order.</summary>
    public static bool Equal(LabelSet set, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
    {
        if (set.Count != labels.Length) return false;
        var pairs = set.AsSpan();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!StringEquals(pairs[i].Name, labels[i].Name(buffer)) ||
                !StringEquals(pairs[i].Value, labels[i].Value(buffer)))
                return false;
        }
        return true;
    }

    /// <summary>Ordinal comparison of a string with UTF-8 bytes; ASCII compares in place.</summary>
    public static bool StringEquals(string s, ReadOnlySpan<byte> utf8)
    {
        if (s.Length == utf8.Length)
        {
            int i = 0;
            for (; i < s.Length; i++)
            {
                char c = s[i];
                if (c >= 0x80 || c != utf8[i]) break;
            }
            if (i == s.Length) return true;
            if (s[i] < 0x80) return false;
        }
        else if (s.Length > utf8.Length)
        {
            return false; // every char takes at least one byte
        }
        // Non-ASCII: transcode (rare for label data).
        Span<char> buf = utf8.Length <= 512 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        var status = Utf8.ToUtf16(utf8, buf, out _, out int written, replaceInvalidSequences: true);
        return status == System.Buffers.OperationStatus.Done && s.AsSpan().SequenceEqual(buf[..written]);
    }

    /// <summary>Ordinal comparison of two UTF-8 strings as Go compares strings (bytewise).</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

    public static string Decode(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
