using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Label-name rules of the parsers: Loki's <c>sanitizeLabelKey</c>/<c>appendSanitized</c> (trim white
/// space, a leading digit gets <c>_</c>, every rune outside <c>[a-zA-Z0-9_]</c> becomes one <c>_</c>), the
/// legacy Prometheus name check, and the structured-metadata normalisation.
/// </summary>
public static class LabelNames
{
    /// <summary>Prometheus's legacy name rule <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, which Loki applies to capture names.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty) return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!(char.IsAsciiLetter(c) || c == '_' || i > 0 && char.IsAsciiDigit(c))) return false;
        }
        return true;
    }

    /// <summary>Loki's <c>sanitizeLabelKey(key, true)</c> for a key held as a string.</summary>
    public static string Sanitize(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var dst = new byte[bytes.Length + 1];
        int n = Sanitize(bytes, dst, prefixDigit: true);
        return Encoding.ASCII.GetString(dst, 0, n);
    }

    /// <summary>
    /// Loki's <c>sanitizeLabelKey</c> over UTF-8 bytes into <paramref name="dst"/> (capacity key length + 1);
    /// returns the number of ASCII bytes written. <paramref name="prefixDigit"/> prepends <c>_</c> to a
    /// leading digit.
    /// </summary>
    public static int Sanitize(ReadOnlySpan<byte> key, Span<byte> dst, bool prefixDigit)
    {
        key = TrimSpace(key);
        if (key.IsEmpty) return 0;
        int w = 0;
        if (prefixDigit && key[0] >= '0' && key[0] <= '9') dst[w++] = (byte)'_';
        int i = 0;
        while (i < key.Length)
        {
            byte b = key[i];
            if (b < 0x80)
            {
                dst[w++] = IsNameByte(b) ? b : (byte)'_';
                i++;
                continue;
            }
            // One underscore per rune; an invalid byte is a rune of its own (Go's range semantics).
            var status = Rune.DecodeFromUtf8(key[i..], out _, out int consumed);
            i += status == System.Buffers.OperationStatus.Done ? consumed : 1;
            dst[w++] = (byte)'_';
        }
        return w;
    }

    internal static bool IsNameByte(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == '_';

    /// <summary>Go's <c>bytes.TrimSpace</c>: strips Unicode white space at both ends.</summary>
    internal static ReadOnlySpan<byte> TrimSpace(ReadOnlySpan<byte> s)
    {
        while (!s.IsEmpty)
        {
            if (s[0] < 0x80)
            {
                if (!IsAsciiSpace(s[0])) break;
                s = s[1..];
                continue;
            }
            if (Rune.DecodeFromUtf8(s, out var r, out int n) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(r)) break;
            s = s[n..];
        }
        while (!s.IsEmpty)
        {
            byte last = s[^1];
            if (last < 0x80)
            {
                if (!IsAsciiSpace(last)) break;
                s = s[..^1];
                continue;
            }
            if (Rune.DecodeLastFromUtf8(s, out var r, out int n) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(r)) break;
            s = s[..^n];
        }
        return s;
    }

    private static bool IsAsciiSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    /// <summary>
    /// Loki's normalisation of structured-metadata names (<c>otlptranslator.NormalizeLabel</c>): characters
    /// other than letters and digits become <c>_</c>, and a leading digit gets a <c>key_</c> prefix.
    /// Returns the input itself when nothing changes, so valid names do not allocate.
    /// </summary>
    public static string NormalizeMetadataName(string name)
    {
        if (name.Length == 0) return name;
        bool clean = true;
        foreach (char c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                clean = false;
                break;
            }
        }
        if (clean && !char.IsDigit(name[0])) return name;
        var sb = new StringBuilder(name.Length + 4);
        foreach (char c in name) sb.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        if (char.IsDigit(name[0])) sb.Insert(0, "key_");
        return sb.ToString();
    }
}
