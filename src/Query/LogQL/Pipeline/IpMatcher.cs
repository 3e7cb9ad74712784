namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// The <c>ip("…")</c> matcher (Loki's <c>ip.go</c>): a single address, a CIDR prefix or an address
/// range <c>a-b</c>, with Go <c>net/netip</c> parsing rules (strict dotted quads without leading zeros,
/// IPv4 and IPv6 never match each other). <see cref="Search"/> finds addresses inside arbitrary text
/// with Loki's prefix hints instead of a regex.
/// </summary>
public sealed class IpMatcher
{
    private readonly Kind _kind;
    private readonly Addr _from;
    private readonly Addr _to;
    private readonly int _bits;

    private enum Kind : byte
    {
        Single,
        Prefix,
        Range,
    }

    private IpMatcher(Kind kind, Addr from, Addr to, int bits)
    {
        _kind = kind;
        _from = from;
        _to = to;
        _bits = bits;
    }

    /// <summary>Parses the pattern; throws a query error like Loki's <c>ip: invalid pattern</c>.</summary>
    public static IpMatcher Parse(string pattern)
    {
        if (Addr.TryParse(pattern, out var a)) return new IpMatcher(Kind.Single, a, a, 0);
        int slash = pattern.IndexOf('/');
        if (slash >= 0 && TryParsePrefix(pattern, slash, out var p, out int bits)) return new IpMatcher(Kind.Prefix, p, p, bits);
        int hyphen = pattern.IndexOf('-');
        if (hyphen >= 0 && Addr.TryParse(pattern.AsSpan(0, hyphen), out var from) && Addr.TryParse(pattern.AsSpan(hyphen + 1), out var to) &&
            from.Is4 == to.Is4 && from.Zone == to.Zone && Addr.Compare(from, to) <= 0)
            return new IpMatcher(Kind.Range, from, to, 0);
        throw PipelineThrow.BadQueryException($"ip: invalid pattern: {GoStrconv.Quote(pattern)}");
    }

    private static bool TryParsePrefix(string s, int slash, out Addr addr, out int bits)
    {
        bits = 0;
        if (!Addr.TryParse(s.AsSpan(0, slash), out addr) || addr.Zone != null) return false;
        var b = s.AsSpan(slash + 1);
        if (b.IsEmpty || b.Length > 1 && b[0] == '0') return false;
        foreach (char c in b)
        {
            if (!char.IsAsciiDigit(c)) return false;
            bits = bits * 10 + (c - '0');
            if (bits > 128) return false;
        }
        return bits <= (addr.Is4 ? 32 : 128);
    }

    /// <summary>True when <paramref name="text"/> is exactly an address the matcher accepts.</summary>
    public bool Contains(ReadOnlySpan<byte> text)
    {
        if (text.Length > 64) return false;
        Span<char> chars = stackalloc char[64];
        for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        return Addr.TryParse(chars[..text.Length], out var a) && Contains(a);
    }

    private bool Contains(in Addr ip)
    {
        switch (_kind)
        {
            case Kind.Single:
                return Addr.Compare(_from, ip) == 0;
            case Kind.Prefix:
                if (ip.Zone != null || ip.Is4 != _from.Is4) return false;
                int width = ip.Is4 ? 32 : 128;
                if (_bits == 0) return true;
                UInt128 mask = UInt128.MaxValue << (width - _bits);
                if (ip.Is4) mask &= uint.MaxValue;
                return (ip.Value & mask) == (_from.Value & mask);
            default:
                return Addr.Compare(_from, ip) <= 0 && Addr.Compare(_to, ip) >= 0;
        }
    }

    /// <summary>Loki's <c>ipFilter.filter</c>: scans <paramref name="line"/> for any address the matcher accepts.</summary>
    public bool Search(ReadOnlySpan<byte> line)
    {
        int n = line.Length;
        for (int i = 0; i < n; i++)
        {
            if (i + 3 < n && IsV4Hint(line[i], line[i + 1], line[i + 2], line[i + 3]))
            {
                int len = Span(line[i..], v6: false);
                if (Contains(line.Slice(i, len))) return true;
                i += len;
                continue;
            }
            if (i + 4 < n && IsV6Hint(line.Slice(i, 5)))
            {
                int len = Span(line[i..], v6: true);
                if (Contains(line.Slice(i, len))) return true;
                i += len;
            }
        }
        return false;
    }

    private static bool IsV4Hint(byte a, byte b, byte c, byte d) =>
        char.IsAsciiDigit((char)a) && (b == '.' || c == '.' || d == '.');

    private static bool IsV6Hint(ReadOnlySpan<byte> p) =>
        p[0] == ':' && p[1] == ':' && IsHex(p[2]) ||
        IsHex(p[0]) && p[1] == ':' ||
        IsHex(p[0]) && IsHex(p[1]) && p[2] == ':' ||
        IsHex(p[0]) && IsHex(p[1]) && IsHex(p[2]) && p[3] == ':' ||
        IsHex(p[0]) && IsHex(p[1]) && IsHex(p[2]) && IsHex(p[3]) && p[4] == ':';

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int Span(ReadOnlySpan<byte> s, bool v6)
    {
        int i = 0;
        while (i < s.Length && (char.IsAsciiDigit((char)s[i]) || s[i] == '.' || v6 && (s[i] == ':' || char.IsAsciiHexDigit((char)s[i])))) i++;
        return i;
    }

    /// <summary>A parsed address: IPv4 in the low 32 bits, or IPv6, plus an optional zone.</summary>
    private readonly record struct Addr(UInt128 Value, bool Is4, string? Zone)
    {
        // netip.Addr.Compare: by bit length (IPv4 first), then value, then zone.
        public static int Compare(in Addr a, in Addr b)
        {
            if (a.Is4 != b.Is4) return a.Is4 ? -1 : 1;
            int c = a.Value.CompareTo(b.Value);
            if (c != 0) return c;
            return string.CompareOrdinal(a.Zone, b.Zone);
        }

        public static bool TryParse(ReadOnlySpan<char> s, out Addr addr)
        {
            addr = default;
            foreach (char c in s)
            {
                if (c == '.') return TryParse4(s, out addr);
                if (c == ':') return TryParse6(s, out addr);
                if (c == '%') return false;
            }
            return false;
        }

        private static bool TryParse4(ReadOnlySpan<char> s, out Addr addr)
        {
            addr = default;
            uint v = 0;
            int fields = 0;
            int i = 0;
            while (true)
            {
                int start = i;
                int val = 0;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    val = val * 10 + (s[i] - '0');
                    if (val > 255) return false;
                    i++;
                }
                int len = i - start;
                if (len == 0 || len > 1 && s[start] == '0') return false;
                v = (v << 8) | (uint)val;
                fields++;
                if (i == s.Length) break;
                if (s[i] != '.' || fields == 4) return false;
                i++;
            }
            if (fields != 4) return false;
            addr = new Addr(v, true, null);
            return true;
        }

        private static bool TryParse6(ReadOnlySpan<char> s, out Addr addr)
        {
            addr = default;
            string? zone = null;
            int pct = s.IndexOf('%');
            if (pct >= 0)
            {
                if (pct == s.Length - 1) return false;
                zone = s[(pct + 1)..].ToString();
                s = s[..pct];
            }
            Span<ushort> groups = stackalloc ushort[8];
            int n = 0;
            int ellipsis = -1;
            int i = 0;
            if (s.StartsWith("::"))
            {
                ellipsis = 0;
                i = 2;
                if (i == s.Length) return Finish(groups, n, ellipsis, zone, out addr);
            }
            while (i < s.Length)
            {
                int start = i;
                int val = 0;
                while (i < s.Length && i - start < 5 && char.IsAsciiHexDigit(s[i]))
                {
                    val = val * 16 + (char.IsAsciiDigit(s[i]) ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
                    i++;
                }
                int len = i - start;
                if (len == 0 || len > 4) return false;
                if (i < s.Length && s[i] == '.')
                {
                    // Embedded IPv4 in the last 32 bits.
                    if (ellipsis < 0 && n != 6 || n > 6) return false;
                    if (!TryParse4(s[start..], out var v4)) return false;
                    uint x = (uint)v4.Value;
                    groups[n++] = (ushort)(x >> 16);
                    groups[n++] = (ushort)x;
                    i = s.Length;
                    break;
                }
                if (n == 8) return false;
                groups[n++] = (ushort)val;
                if (i == s.Length) break;
                if (s[i] != ':') return false;
                i++;
                if (i < s.Length && s[i] == ':')
                {
                    if (ellipsis >= 0) return false;
                    ellipsis = n;
                    i++;
                    if (i == s.Length) break;
                }
                else if (i == s.Length) return false;
            }
            return Finish(groups, n, ellipsis, zone, out addr);
        }

        private static bool Finish(Span<ushort> groups, int n, int ellipsis, string? zone, out Addr addr)
        {
            addr = default;
            if (ellipsis >= 0)
            {
                if (n == 8) return false;
                int shift = 8 - n;
                for (int j = n - 1; j >= ellipsis; j--) groups[j + shift] = groups[j];
                for (int j = ellipsis; j < ellipsis + shift; j++) groups[j] = 0;
            }
            else if (n != 8) return false;
            UInt128 v = 0;
            for (int j = 0; j < 8; j++) v = (v << 16) | groups[j];
            addr = new Addr(v, false, zone);
            return true;
        }
    }
}
