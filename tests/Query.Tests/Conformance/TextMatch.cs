using System.Text.RegularExpressions;

namespace Strata.Query.Tests.Conformance;

/// <summary>An expected message: exact text (<c>msg:</c>) or an unanchored regular expression (<c>regex:</c>).</summary>
internal sealed class TextMatch
{
    private readonly string? _exact;
    private readonly Regex? _pattern;

    private TextMatch(string? exact, Regex? pattern)
    {
        _exact = exact;
        _pattern = pattern;
    }

    /// <summary>An <c>expect</c> without <c>msg:</c>/<c>regex:</c> matches any text (upstream uses <c>^.*$</c>).</summary>
    public static readonly TextMatch Any = new(null, null);

    public static TextMatch Exact(string text) => new(text, null);

    /// <summary>RE2 syntax; the expressions in the corpus are also valid .NET expressions.</summary>
    public static TextMatch Pattern(string re) => new(null, new Regex(re, RegexOptions.CultureInvariant));

    public bool IsMatch(string text) => _pattern?.IsMatch(text) ?? (_exact == null || _exact == text);

    public override string ToString() => _pattern != null ? $"regex {_pattern}" : _exact != null ? $"msg \"{_exact}\"" : "(any text)";
}
