using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A label value as the pipeline holds it: either a string (stream labels, structured metadata, values
/// already materialised) or UTF-8 bytes in the <see cref="LogLine"/>'s value arena (values extracted by
/// parsers, which stay bytes until someone needs a string). Filters compare either form without
/// allocating. The bytes are valid until the next label write on the same <see cref="LogLine"/>.
/// </summary>
public readonly ref struct LabelValue
{
    private readonly string? _string;
    private readonly ReadOnlySpan<byte> _utf8;

    internal LabelValue(string value)
    {
        _string = value;
        _utf8 = default;
    }

    internal LabelValue(ReadOnlySpan<byte> utf8)
    {
        _string = null;
        _utf8 = utf8;
    }

    /// <summary>The string form when the value is held as a string, else null (see <see cref="Utf8"/>).</summary>
    public string? String => _string;

    /// <summary>The UTF-8 form when <see cref="String"/> is null.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    public bool IsEmpty => _string != null ? _string.Length == 0 : _utf8.IsEmpty;

    /// <summary>Ordinal equality with a value given in both forms (callers pre-encode their constants).</summary>
    public bool Equals(string value, ReadOnlySpan<byte> valueUtf8) =>
        _string != null ? string.Equals(_string, value, StringComparison.Ordinal) : _utf8.SequenceEqual(valueUtf8);

    /// <summary>Allocates when the value is held as bytes.</summary>
    public override string ToString() => _string ?? Encoding.UTF8.GetString(_utf8);

    /// <summary>
    /// Gives the value as chars: the string itself, or the bytes decoded into <paramref name="scratch"/>
    /// (grown as needed; pass a per-thread buffer).
    /// </summary>
    public ReadOnlySpan<char> AsChars(ref char[] scratch)
    {
        if (_string != null) return _string;
        int max = Encoding.UTF8.GetMaxCharCount(_utf8.Length);
        if (scratch.Length < max) scratch = new char[Math.Max(max, scratch.Length * 2)];
        int n = Encoding.UTF8.GetChars(_utf8, scratch);
        return scratch.AsSpan(0, n);
    }

    /// <summary>Gives the value as UTF-8: the bytes themselves, or the string encoded into <paramref name="scratch"/>.</summary>
    public ReadOnlySpan<byte> AsUtf8(ref byte[] scratch)
    {
        if (_string == null) return _utf8;
        int max = Encoding.UTF8.GetMaxByteCount(_string.Length);
        if (scratch.Length < max) scratch = new byte[Math.Max(max, scratch.Length * 2)];
        int n = Encoding.UTF8.GetBytes(_string, scratch);
        return scratch.AsSpan(0, n);
    }
}
