using System.Buffers;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

internal enum JsonType : byte
{
    NotExist,
    String,
    Number,
    Object,
    Array,
    Boolean,
    Null,
    Unknown,
}

/// <summary>
/// A byte-level JSON scanner with the exact tolerance of <c>github.com/buger/jsonparser</c>, which Loki's
/// <c>json</c> and <c>unpack</c> stages use: values are delimited, not validated (a number is any token
/// starting with a digit or '-', nested objects are found by brace counting), trailing bytes after the
/// top-level object are ignored, and the error texts are jsonparser's, because they end up in
/// <c>__error_details__</c>. Everything works on spans of the caller's line; nothing allocates.
/// </summary>
internal static class JsonScanner
{
    public const string MalformedJson = "Malformed JSON error";
    public const string MalformedObject = "Value looks like object, but can't find closing '}' symbol";
    public const string MalformedArray = "Value is array, but can't find closing ']' symbol";
    public const string MalformedString = "Value is string, but can't find closing '\"' symbol";
    public const string MalformedStringEscape = "Encountered an invalid escape sequence in a string";
    public const string UnknownValueType = "Unknown value type";

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \n\r\t"u8);
    private static readonly SearchValues<byte> TokenEnds = SearchValues.Create(" \n\r\t,}]"u8);

    /// <summary>Offset of the first non-whitespace byte, or -1.</summary>
    public static int NextToken(ReadOnlySpan<byte> data)
    {
        // Most tokens follow their separator directly; check one byte before the vectorised search.
        if (!data.IsEmpty && data[0] is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return 0;
        return data.IndexOfAnyExcept(Whitespace);
    }

    /// <summary>
    /// Index just past the closing quote of a string whose opening quote was already consumed, or -1.
    /// Jumps between quotes and backslashes with a vectorised search; skipping the byte after each
    /// backslash is equivalent to jsonparser's "even number of backslashes before the quote" rule.
    /// </summary>
    public static int StringEnd(ReadOnlySpan<byte> data, out bool escaped)
    {
        escaped = false;
        int i = 0;
        while (i < data.Length)
        {
            int j = data[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (j < 0) return -1;
            i += j;
            if (data[i] == '"') return i + 1;
            escaped = true;
            i += 2;
        }
        return -1;
    }

    private static int BlockEnd(ReadOnlySpan<byte> data, byte open, byte close)
    {
        int level = 0;
        int i = 0;
        while (i < data.Length)
        {
            int j = data[i..].IndexOfAny((byte)'"', open, close);
            if (j < 0) return -1;
            i += j;
            byte c = data[i];
            if (c == '"')
            {
                int se = StringEnd(data[(i + 1)..], out _);
                if (se == -1) return -1;
                i += se + 1;
                continue;
            }
            if (c == open) level++;
            else
            {
                level--;
                if (level == 0) return i + 1;
            }
            i++;
        }
        return -1;
    }

    private static int TokenEnd(ReadOnlySpan<byte> data)
    {
        int i = data.IndexOfAny(TokenEnds);
        return i < 0 ? data.Length : i;
    }

    /// <summary>
    /// jsonparser's <c>Get</c> without keys: the value at the start of <paramref name="data"/> (after
    /// whitespace). For strings, <paramref name="start"/>/<paramref name="length"/> exclude the quotes.
    /// <paramref name="end"/> is the offset just past the value. Returns null or an error text.
    /// </summary>
    public static string? GetValue(ReadOnlySpan<byte> data, out JsonType type, out int start, out int length, out int end)
    {
        type = JsonType.NotExist;
        start = length = end = 0;
        int off = NextToken(data);
        if (off == -1) return MalformedJson;
        byte c = data[off];
        int e;
        if (c == '"')
        {
            type = JsonType.String;
            int idx = StringEnd(data[(off + 1)..], out _);
            if (idx == -1) return MalformedString;
            e = off + idx + 1;
            start = off + 1;
            length = e - off - 2;
            end = e;
            return null;
        }
        if (c == '[')
        {
            type = JsonType.Array;
            e = BlockEnd(data[off..], (byte)'[', (byte)']');
            if (e == -1) return MalformedArray;
            e += off;
        }
        else if (c == '{')
        {
            type = JsonType.Object;
            e = BlockEnd(data[off..], (byte)'{', (byte)'}');
            if (e == -1) return MalformedObject;
            e += off;
        }
        else
        {
            int t = TokenEnd(data[off..]);
            var value = data.Slice(off, t);
            switch (c)
            {
                case (byte)'t' or (byte)'f':
                    if (!value.SequenceEqual("true"u8) && !value.SequenceEqual("false"u8)) return UnknownValueType;
                    type = JsonType.Boolean;
                    break;
                case (byte)'u' or (byte)'n':
                    if (!value.SequenceEqual("null"u8)) return UnknownValueType;
                    type = JsonType.Null;
                    break;
                case (byte)'-' or >= (byte)'0' and <= (byte)'9':
                    type = JsonType.Number;
                    break;
                default:
                    type = JsonType.Unknown;
                    return UnknownValueType;
            }
            e = off + t;
        }
        start = off;
        length = e - off;
        end = e;
        return null;
    }

    /// <summary>
    /// Iterates the members of a JSON object like jsonparser's <c>ObjectEach</c>: each call yields the next
    /// key (unescaped when needed, into <paramref name="keyScratch"/>) and value; at the end or on a
    /// syntax error it returns false and <see cref="Error"/> tells which.
    /// </summary>
    public ref struct ObjectReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _offset;
        private bool _done;

        public ObjectReader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _offset = 0;
            _done = false;
            Error = null;
            int off = NextToken(data);
            if (off == -1 || data[off] != '{')
            {
                Fail(MalformedObject);
                return;
            }
            _offset = off + 1;
            off = NextToken(data[_offset..]);
            if (off == -1)
            {
                Fail(MalformedJson);
                return;
            }
            _offset += off;
            if (data[_offset] == '}') _done = true;
        }

        public string? Error { get; private set; }

        private void Fail(string error)
        {
            Error = error;
            _done = true;
        }

        /// <summary>Offset just past the last value returned, relative to the object data.</summary>
        public readonly int Offset => _offset;

        public bool Next(ref byte[] keyScratch, out ReadOnlySpan<byte> key, out JsonType type, out int valueStart, out int valueLength)
        {
            key = default;
            type = JsonType.NotExist;
            valueStart = valueLength = 0;
            if (_done || _offset >= _data.Length)
            {
                if (!_done) Fail(MalformedObject);
                return false;
            }
            switch (_data[_offset])
            {
                case (byte)'"': _offset++; break;
                case (byte)'}': _done = true; return false;
                default: Fail(MalformedObject); return false;
            }
            int keyEnd = StringEnd(_data[_offset..], out bool escaped);
            if (keyEnd == -1)
            {
                Fail(MalformedJson);
                return false;
            }
            key = _data.Slice(_offset, keyEnd - 1);
            _offset += keyEnd;
            if (escaped)
            {
                if (keyScratch.Length < key.Length) keyScratch = new byte[Math.Max(key.Length, keyScratch.Length * 2)];
                int n = Unescape(key, keyScratch);
                if (n < 0)
                {
                    Fail(MalformedStringEscape);
                    return false;
                }
                key = keyScratch.AsSpan(0, n);
            }
            int off = NextToken(_data[_offset..]);
            if (off == -1 || _data[_offset + off] != ':')
            {
                Fail(MalformedJson);
                return false;
            }
            _offset += off + 1;
            string? err = GetValue(_data[_offset..], out type, out int s, out int len, out int end);
            if (err != null)
            {
                Fail(err);
                return false;
            }
            valueStart = _offset + s;
            valueLength = len;
            _offset += end;
            // Skip to the next member or the closing brace.
            off = NextToken(_data[_offset..]);
            if (off == -1)
            {
                Error = MalformedArray;
                _done = true;
                return true;
            }
            _offset += off;
            switch (_data[_offset])
            {
                case (byte)'}':
                    _done = true;
                    return true;
                case (byte)',':
                    _offset++;
                    break;
                default:
                    Error = MalformedObject;
                    _done = true;
                    return true;
            }
            off = NextToken(_data[_offset..]);
            if (off == -1)
            {
                Error = MalformedArray;
                _done = true;
                return true;
            }
            _offset += off;
            return true;
        }
    }

    /// <summary>
    /// jsonparser's <c>Unescape</c> into <paramref name="dst"/> (at least <paramref name="src"/> long):
    /// the JSON escapes plus <c>\uXXXX</c> with surrogate pairs. Returns the length, or -1 on an invalid
    /// escape or a high surrogate without its low half.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int w = 0;
        int i = 0;
        while (i < src.Length)
        {
            int bs = src[i..].IndexOf((byte)'\\');
            if (bs < 0)
            {
                src[i..].CopyTo(dst[w..]);
                return w + src.Length - i;
            }
            src.Slice(i, bs).CopyTo(dst[w..]);
            w += bs;
            i += bs;
            if (i + 1 >= src.Length) return -1;
            byte c = src[i + 1];
            switch (c)
            {
                case (byte)'"' or (byte)'\\' or (byte)'/': dst[w++] = c; i += 2; break;
                case (byte)'b': dst[w++] = (byte)'\b'; i += 2; break;
                case (byte)'f': dst[w++] = (byte)'\f'; i += 2; break;
                case (byte)'n': dst[w++] = (byte)'\n'; i += 2; break;
                case (byte)'r': dst[w++] = (byte)'\r'; i += 2; break;
                case (byte)'t': dst[w++] = (byte)'\t'; i += 2; break;
                case (byte)'u':
                    int r = Hex4(src[i..]);
                    if (r < 0) return -1;
                    int consumed = 6;
                    if (r is >= 0xD800 and <= 0xDFFF)
                    {
                        // jsonparser treats any surrogate as the first half of a pair.
                        int r2 = Hex4(src[(i + 6)..]);
                        if (r2 < 0xDC00) return -1; // also covers a missing second escape (-1)
                        r = (((r - 0xD800) << 10) | (r2 - 0xDC00)) + 0x10000;
                        consumed = 12;
                    }
                    // Go's utf8.EncodeRune writes U+FFFD for anything that is not a valid rune.
                    var rune = Rune.IsValid(r) ? new Rune(r) : Rune.ReplacementChar;
                    w += rune.EncodeToUtf8(dst[w..]);
                    i += consumed;
                    break;
                default:
                    return -1;
            }
        }
        return w;
    }

    private static int Hex4(ReadOnlySpan<byte> s)
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
