using System.Globalization;

namespace Strata.Api.Json;

/// <summary>
/// Formats floats exactly as Prometheus's JSON does: Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>
/// (shortest round-trip digits), switching to <c>'e'</c> when 0 &lt; |v| &lt; 1e-6 or |v| ≥ 1e21, with
/// Go's exponent style (<c>1e-07</c>, <c>1.5e+21</c>) and <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.
/// </summary>
public static class GoFloat
{
    /// <summary>Writes the text into <paramref name="dst"/> (at least 32 chars) and returns its length.</summary>
    public static int Format(double v, Span<char> dst)
    {
        if (double.IsNaN(v)) return Copy("NaN", dst);
        if (double.IsPositiveInfinity(v)) return Copy("+Inf", dst);
        if (double.IsNegativeInfinity(v)) return Copy("-Inf", dst);

        // .NET's "R" gives the shortest round-trip digits; re-lay them out the way Go does.
        Span<char> r = stackalloc char[32];
        v.TryFormat(r, out int rn, "R", CultureInfo.InvariantCulture);
        r = r[..rn];
        int pos = 0;
        bool neg = r[0] == '-';
        if (neg) r = r[1..];

        // Split into digits and decimal exponent: value = 0.d1d2d3... × 10^exp10
        Span<char> digits = stackalloc char[24];
        int nd = 0;
        int pointPos = -1;
        int exp = 0;
        for (int i = 0; i < r.Length; i++)
        {
            char c = r[i];
            if (c == '.') pointPos = nd;
            else if (c is 'E' or 'e')
            {
                exp = int.Parse(r[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else digits[nd++] = c;
        }
        if (pointPos < 0) pointPos = nd;
        // Strip leading zeros (e.g. "0.001").
        int lead = 0;
        while (lead < nd - 1 && digits[lead] == '0')
        {
            lead++;
            pointPos--;
        }
        var d = digits[lead..nd];
        // Strip trailing zeros of the mantissa digits (e.g. "100" → "1" with point shift).
        int len = d.Length;
        while (len > 1 && d[len - 1] == '0') len--;
        d = d[..len];
        int decExp = pointPos + exp; // value = 0.d × 10^decExp

        if (neg) dst[pos++] = '-';
        bool isZero = d.Length == 1 && d[0] == '0';
        double abs = Math.Abs(v);
        if (!isZero && (abs < 1e-6 || abs >= 1e21))
        {
            // d[0].d[1..]e±XX
            dst[pos++] = d[0];
            if (d.Length > 1)
            {
                dst[pos++] = '.';
                d[1..].CopyTo(dst[pos..]);
                pos += d.Length - 1;
            }
            int e = decExp - 1;
            dst[pos++] = 'e';
            dst[pos++] = e < 0 ? '-' : '+';
            e = Math.Abs(e);
            if (e < 10) dst[pos++] = '0';
            e.TryFormat(dst[pos..], out int en, default, CultureInfo.InvariantCulture);
            pos += en;
            return pos;
        }
        if (isZero)
        {
            dst[pos++] = '0';
            return pos;
        }
        if (decExp <= 0)
        {
            dst[pos++] = '0';
            dst[pos++] = '.';
            for (int i = 0; i < -decExp; i++) dst[pos++] = '0';
            d.CopyTo(dst[pos..]);
            return pos + d.Length;
        }
        if (decExp >= d.Length)
        {
            d.CopyTo(dst[pos..]);
            pos += d.Length;
            for (int i = d.Length; i < decExp; i++) dst[pos++] = '0';
            return pos;
        }
        d[..decExp].CopyTo(dst[pos..]);
        pos += decExp;
        dst[pos++] = '.';
        d[decExp..].CopyTo(dst[pos..]);
        return pos + d.Length - decExp;
    }

    public static string Format(double v)
    {
        Span<char> buf = stackalloc char[40];
        return new string(buf[..Format(v, buf)]);
    }

    private static int Copy(string s, Span<char> dst)
    {
        s.CopyTo(dst);
        return s.Length;
    }

    /// <summary>Milliseconds as Prometheus writes timestamps: seconds, plus ".mmm" when the ms part is non-zero.</summary>
    public static int FormatTimestamp(long ms, Span<byte> dst)
    {
        int pos = 0;
        ulong t;
        if (ms < 0)
        {
            dst[pos++] = (byte)'-';
            t = (ulong)(-(ms + 1)) + 1;
        }
        else
        {
            t = (ulong)ms;
        }
        (t / 1000).TryFormat(dst[pos..], out int n, default, CultureInfo.InvariantCulture);
        pos += n;
        ulong frac = t % 1000;
        if (frac != 0)
        {
            dst[pos++] = (byte)'.';
            dst[pos++] = (byte)('0' + frac / 100);
            dst[pos++] = (byte)('0' + frac / 10 % 10);
            dst[pos++] = (byte)('0' + frac % 10);
        }
        return pos;
    }
}
