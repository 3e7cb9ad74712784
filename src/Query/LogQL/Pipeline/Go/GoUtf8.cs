using System.Text;
using System.Text.Unicode;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// UTF-8 handling with Go's rules: an invalid byte decodes to one U+FFFD (width 1), and Loki replaces
/// every U+FFFD in an extracted label value with a space because Prometheus rejects it.
/// </summary>
internal static class GoUtf8
{
    private static ReadOnlySpan<byte> Replacement => "\uFFFD"u8;

    /// <summary>True when <paramref name="value"/> can be used as a label value unchanged.</summary>
    public static bool IsCleanValue(ReadOnlySpan<byte> value) =>
        System.Text.Ascii.IsValid(value) || Utf8.IsValid(value) && value.IndexOf(Replacement) < 0;

    /// <summary>
    /// Writes <paramref name="src"/> to <paramref name="dst"/> with every invalid byte and every U+FFFD
    /// replaced by a space (Loki's <c>removeInvalidUtf</c>). The output is never longer than the input.
    /// </summary>
    public static int CopyReplacingInvalid(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int w = 0;
        int i = 0;
        while (i < src.Length)
        {
            byte b = src[i];
            if (b < 0x80)
            {
                dst[w++] = b;
                i++;
                continue;
            }
            var status = Rune.DecodeFromUtf8(src[i..], out var rune, out int consumed);
            if (status != System.Buffers.OperationStatus.Done || rune.Value == 0xFFFD)
            {
                dst[w++] = (byte)' ';
                i += status == System.Buffers.OperationStatus.Done ? consumed : 1;
                continue;
            }
            src.Slice(i, consumed).CopyTo(dst[w..]);
            w += consumed;
            i += consumed;
        }
        return w;
    }

    /// <summary>Number of runes Go's <c>for range</c> would yield (invalid bytes count one each).</summary>
    public static int RuneCount(ReadOnlySpan<byte> s)
    {
        int n = 0;
        int i = 0;
        while (i < s.Length)
        {
            if (s[i] < 0x80)
            {
                i++;
            }
            else
            {
                var status = Rune.DecodeFromUtf8(s[i..], out _, out int consumed);
                i += status == System.Buffers.OperationStatus.Done ? consumed : 1;
            }
            n++;
        }
        return n;
    }
}
