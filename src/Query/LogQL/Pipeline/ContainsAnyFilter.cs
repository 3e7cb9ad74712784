using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A line containing any of several substrings, optionally case-insensitive: what
/// <c>|~ "(?i)error|panic"</c> and <c>|= "a" or "b"</c> become.
/// <para>
/// Case-insensitive search transcodes the line to UTF-16 on the stack and runs
/// <see cref="SearchValues{T}"/> of strings (Teddy: a packed multi-substring search over 3-character
/// fingerprints), which checks all needles in one vectorised pass. Tried and dropped: a byte-level
/// packed-pair kernel (first and last letter of each needle, OR 0x20) that avoids transcoding measured
/// 38 ms against Teddy's 25 ms per 100k pod-log lines (best of 40), because pairs such as e…r of
/// "error" occur in most English words and every candidate needs a verification; scanning for the
/// first letter alone stops at every 'e'. Case-sensitive needles stay on bytes: a few vectorised
/// <c>IndexOf</c> passes beat transcoding until there are many needles. See <c>LogPipelineBenchmarks</c>.
/// </para>
/// <para>
/// Folding is ordinal (simple case mapping), while Loki lower-cases runes with Go's
/// <c>unicode.ToLower</c>; the two agree on ASCII and on nearly all other text.
/// </para>
/// </summary>
public sealed class ContainsAnyFilter : LineFilter
{
    private const int StackChars = 1024;
    private const int MaxByteNeedles = 4;

    private readonly byte[][]? _byteNeedles;
    private readonly SearchValues<string>? _search;

    public ContainsAnyFilter(string[] needles, bool ignoreCase)
    {
        Needles = needles;
        IgnoreCase = ignoreCase;
        if (!ignoreCase && needles.Length <= MaxByteNeedles)
        {
            _byteNeedles = Array.ConvertAll(needles, Encoding.UTF8.GetBytes);
        }
        else
        {
            _search = SearchValues.Create(needles, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
    }

    public string[] Needles { get; }

    public bool IgnoreCase { get; }

    internal override int Cost => 1;

    public override bool Matches(ReadOnlySpan<byte> line)
    {
        if (_byteNeedles != null)
        {
            foreach (var n in _byteNeedles)
            {
                if (line.IndexOf(n) >= 0) return true;
            }
            return false;
        }
        if (line.Length <= StackChars)
        {
            // UTF-8 never decodes to more UTF-16 units than bytes; sizing the buffer to the line avoids
            // zeroing a full 2 KB per line (locals are zero-initialised without unsafe code).
            Span<char> chars = stackalloc char[line.Length];
            Utf8.ToUtf16(line, chars, out _, out int written);
            return chars[..written].IndexOfAny(_search!) >= 0;
        }
        char[] rented = ArrayPool<char>.Shared.Rent(line.Length);
        try
        {
            Utf8.ToUtf16(line, rented, out _, out int written);
            return rented.AsSpan(0, written).IndexOfAny(_search!) >= 0;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    public override bool Process(LogLine entry) =>
        _search == null ? Matches(entry.Line) : entry.LineChars.IndexOfAny(_search) >= 0;
}
