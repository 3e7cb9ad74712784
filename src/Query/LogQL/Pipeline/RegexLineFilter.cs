using System.Buffers;
using System.Text.Unicode;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>|~ "re"</c> when the regex could not be simplified: RE2 semantics on .NET's non-backtracking
/// engine (linear in the line length whatever the pattern). The line is transcoded to UTF-16 on the
/// stack (or taken from the entry's decoded cache) because .NET regexes run on chars.
/// </summary>
public sealed class RegexLineFilter : LineFilter
{
    private const int StackChars = 1024;

    private readonly Re2Regex _regex;

    public RegexLineFilter(string pattern) : this(PipelineThrow.CompileRegex(pattern))
    {
    }

    internal RegexLineFilter(Re2Regex regex) => _regex = regex;

    public string Pattern => _regex.Source;

    internal override int Cost => 10;

    public override bool Matches(ReadOnlySpan<byte> line)
    {
        if (line.Length <= StackChars)
        {
            // UTF-8 never decodes to more UTF-16 units than bytes; sizing the buffer to the line avoids
            // zeroing a full 2 KB per line (locals are zero-initialised without unsafe code).
            Span<char> chars = stackalloc char[line.Length];
            Utf8.ToUtf16(line, chars, out _, out int written);
            return _regex.Regex.IsMatch(chars[..written]);
        }
        char[] rented = ArrayPool<char>.Shared.Rent(line.Length);
        try
        {
            Utf8.ToUtf16(line, rented, out _, out int written);
            return _regex.Regex.IsMatch(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    public override bool Process(LogLine entry) => _regex.Regex.IsMatch(entry.LineChars);
}
