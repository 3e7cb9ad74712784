using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Loki's logfmt decoder (<c>pkg/logql/log/logfmt/decode.go</c>, adapted from go-logfmt): scans
/// <c>key=value</c>, <c>key="quoted \"value\""</c> and bare <c>key</c> pairs separated by bytes &lt;= ' '.
/// On a malformed pair it records Go's error text, skips to the next separator and returns false, so a
/// lenient caller can continue with the next pair. Zero-allocation: key and value are spans of the line,
/// except quoted values with escapes, which are unquoted into <paramref name="scratch"/>.
/// </summary>
internal ref struct LogfmtDecoder(ReadOnlySpan<byte> line)
{
    private readonly ReadOnlySpan<byte> _line = line;
    private int _pos;

    public ReadOnlySpan<byte> Key;
    public ReadOnlySpan<byte> Value;

    /// <summary>The first error met (never cleared by later pairs, as in Loki).</summary>
    public string? Error;

    public readonly bool EndOfLine => _pos >= _line.Length;

    public bool ScanKeyval(ref byte[] scratch)
    {
        Key = default;
        Value = default;
        var line = _line;
        int i = _pos;
        while (i < line.Length && line[i] <= ' ') i++;
        if (i >= line.Length)
        {
            _pos = line.Length;
            return false;
        }
        _pos = i;

        // key
        int start = _pos;
        bool multibyte = false;
        for (i = _pos; i < line.Length; i++)
        {
            byte c = line[i];
            if (c == '=')
            {
                _pos = i;
                if (_pos > start)
                {
                    Key = line[start.._pos];
                    if (multibyte && !GoUtf8.IsCleanValue(Key))
                    {
                        SyntaxError("invalid key");
                        return SkipValue();
                    }
                }
                if (Key.IsEmpty)
                {
                    UnexpectedByte(c);
                    return SkipValue();
                }
                return Equal(ref scratch);
            }
            if (c == '"')
            {
                _pos = i;
                UnexpectedByte(c);
                return SkipValue();
            }
            if (c <= ' ')
            {
                _pos = i;
                if (_pos > start)
                {
                    Key = line[start.._pos];
                    if (multibyte && !GoUtf8.IsCleanValue(Key))
                    {
                        SyntaxError("invalid key");
                        return false;
                    }
                }
                return true;
            }
            if (c >= 0x80) multibyte = true;
        }
        _pos = line.Length;
        if (_pos > start)
        {
            Key = line[start.._pos];
            if (multibyte && !GoUtf8.IsCleanValue(Key))
            {
                SyntaxError("invalid key");
                return false;
            }
        }
        return true;
    }

    private bool Equal(ref byte[] scratch)
    {
        var line = _line;
        _pos++;
        if (_pos >= line.Length) return true;
        byte c = line[_pos];
        if (c <= ' ') return true;
        if (c == '"') return QuotedValue(ref scratch);
        int start = _pos;
        for (int i = _pos; i < line.Length; i++)
        {
            c = line[i];
            if (c is (byte)'=' or (byte)'"')
            {
                _pos = i;
                UnexpectedByte(c);
                return SkipValue();
            }
            if (c <= ' ')
            {
                _pos = i;
                if (_pos > start) Value = line[start.._pos];
                return true;
            }
        }
        _pos = line.Length;
        if (_pos > start) Value = line[start.._pos];
        return true;
    }

    private bool SkipValue()
    {
        for (int i = _pos; i < _line.Length; i++)
        {
            if (_line[i] <= ' ')
            {
                _pos = i;
                return false;
            }
        }
        _pos = _line.Length;
        return false;
    }

    private bool QuotedValue(ref byte[] scratch)
    {
        var line = _line;
        bool hasEsc = false, esc = false;
        int start = _pos;
        for (int i = _pos + 1; i < line.Length; i++)
        {
            byte c = line[i];
            if (esc)
            {
                esc = false;
            }
            else if (c == '\\')
            {
                hasEsc = esc = true;
            }
            else if (c == '"')
            {
                _pos = i + 1;
                if (hasEsc)
                {
                    var inner = line[(start + 1)..(_pos - 1)];
                    if (scratch.Length < inner.Length * 3 + 8) scratch = new byte[Math.Max(inner.Length * 3 + 8, scratch.Length * 2)];
                    int n = Unquote(inner, scratch);
                    if (n < 0)
                    {
                        SyntaxError("invalid quoted value");
                        return false;
                    }
                    Value = scratch.AsSpan(0, n);
                }
                else if (_pos - 1 > start + 1)
                {
                    Value = line[(start + 1)..(_pos - 1)];
                }
                return true;
            }
        }
        _pos = line.Length;
        SyntaxError("unterminated quoted value");
        return false;
    }

    private void SyntaxError(string msg) =>
        Error = string.Create(CultureInfo.InvariantCulture, $"logfmt syntax error at pos {_pos + 1} : {msg}");

    // Go's %q of a byte prints a quoted rune literal: '=' or '"'.
    private void UnexpectedByte(byte c) =>
        Error = string.Create(CultureInfo.InvariantCulture, $"logfmt syntax error at pos {_pos + 1} : unexpected '{(char)c}'");

    /// <summary>
    /// encoding/json's <c>unquoteBytes</c> as Loki copies it (also accepting <c>\'</c>); invalid UTF-8 is
    /// coerced to U+FFFD. <paramref name="s"/> excludes the quotes; <paramref name="dst"/> needs
    /// <c>3 * s.Length + 8</c> bytes. Returns the length or -1.
    /// </summary>
    private static int Unquote(ReadOnlySpan<byte> s, Span<byte> dst)
    {
        int r = 0, w = 0;
        while (r < s.Length)
        {
            byte c = s[r];
            if (c == '\\')
            {
                r++;
                if (r >= s.Length) return -1;
                switch (s[r])
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'\'': dst[w++] = s[r++]; break;
                    case (byte)'b': dst[w++] = (byte)'\b'; r++; break;
                    case (byte)'f': dst[w++] = (byte)'\f'; r++; break;
                    case (byte)'n': dst[w++] = (byte)'\n'; r++; break;
                    case (byte)'r': dst[w++] = (byte)'\r'; r++; break;
                    case (byte)'t': dst[w++] = (byte)'\t'; r++; break;
                    case (byte)'u':
                        r--;
                        int rr = GetU4(s[r..]);
                        if (rr < 0) return -1;
                        r += 6;
                        if (rr is >= 0xD800 and <= 0xDFFF)
                        {
                            int rr1 = GetU4(s[r..]);
                            if (rr < 0xDC00 && rr1 is >= 0xDC00 and <= 0xDFFF)
                            {
                                r += 6;
                                w += new Rune(0x10000 + ((rr - 0xD800) << 10) + (rr1 - 0xDC00)).EncodeToUtf8(dst[w..]);
                                break;
                            }
                            rr = 0xFFFD;
                        }
                        w += new Rune(rr).EncodeToUtf8(dst[w..]);
                        break;
                    default:
                        return -1;
                }
            }
            else if (c == '"')
            {
                return -1;
            }
            else if (c < 0x80)
            {
                dst[w++] = c;
                r++;
            }
            else
            {
                var status = Rune.DecodeFromUtf8(s[r..], out var rune, out int consumed);
                if (status != System.Buffers.OperationStatus.Done)
                {
                    rune = Rune.ReplacementChar;
                    consumed = 1;
                }
                r += consumed;
                w += rune.EncodeToUtf8(dst[w..]);
            }
        }
        return w;
    }

    private static int GetU4(ReadOnlySpan<byte> s)
    {
        if (s.Length < 6 || s[0] != '\\' || s[1] != 'u') return -1;
        int v = 0;
        for (int k = 2; k < 6; k++)
        {
            int d = s[k] switch
            {
                >= (byte)'0' and <= (byte)'9' => s[k] - '0',
                >= (byte)'a' and <= (byte)'f' => s[k] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => s[k] - 'A' + 10,
                _ => -1,
            };
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }
}
