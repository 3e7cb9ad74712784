using System.Text.RegularExpressions;

namespace Strata.Storage.Index;

/// <summary>The four PromQL/LogQL matcher operators.</summary>
public enum MatchType : byte
{
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

/// <summary>
/// A label matcher (<c>name=value</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>). Regexes are fully anchored, let
/// <c>.</c> match newlines as Prometheus 3 does, and run on the non-backtracking engine so a hostile
/// pattern cannot hang the server. Simple alternations of literals are answered by set lookup.
/// </summary>
public sealed class LabelMatcher
{
    private readonly Regex? _regex;
    private readonly HashSet<string>? _literalSet;
    private readonly string? _prefix; // for "prefix.*"

    public LabelMatcher(MatchType type, string name, string value)
    {
        Type = type;
        Name = name;
        Value = value;
        if (type is MatchType.Regex or MatchType.NotRegex)
        {
            if (TryLiteralAlternation(value, out var set)) _literalSet = set;
            else if (TryLiteralPrefix(value, out var prefix)) _prefix = prefix;
            else _regex = RegexCache.Get(value);
        }
    }

    public MatchType Type { get; }
    public string Name { get; }
    public string Value { get; }

    /// <summary>The literal values an <c>=</c> or <c>=~"a|b|c"</c> matcher accepts, or null if not a finite set.</summary>
    public IReadOnlyCollection<string>? SetMatches => Type switch
    {
        MatchType.Equal => [Value],
        MatchType.Regex => _literalSet,
        _ => null,
    };

    public bool Matches(string s) => Type switch
    {
        MatchType.Equal => string.Equals(s, Value, StringComparison.Ordinal),
        MatchType.NotEqual => !string.Equals(s, Value, StringComparison.Ordinal),
        MatchType.Regex => RegexMatches(s),
        _ => !RegexMatches(s),
    };

    private bool RegexMatches(string s)
    {
        if (_literalSet != null) return _literalSet.Contains(s);
        if (_prefix != null) return s.StartsWith(_prefix, StringComparison.Ordinal); // "(?s:.*)" accepts any rest
        return _regex!.IsMatch(s);
    }

    /// <summary>True if the matcher accepts the empty string, i.e. also series without the label.</summary>
    public bool MatchesEmpty => Matches("");

    public override string ToString()
    {
        string op = Type switch { MatchType.Equal => "=", MatchType.NotEqual => "!=", MatchType.Regex => "=~", _ => "!~" };
        return $"{Name}{op}\"{Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    private static bool IsLiteral(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if ("\\.+*?()|[]{}^$".Contains(c)) return false;
        }
        return true;
    }

    private static bool TryLiteralAlternation(string pattern, out HashSet<string> set)
    {
        set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in pattern.Split('|'))
        {
            if (!IsLiteral(part)) return false;
            set.Add(part);
        }
        return true;
    }

    private static bool TryLiteralPrefix(string pattern, out string prefix)
    {
        prefix = "";
        if (!pattern.EndsWith(".*", StringComparison.Ordinal)) return false;
        var head = pattern.AsSpan(0, pattern.Length - 2);
        if (!IsLiteral(head)) return false;
        prefix = head.ToString();
        return true;
    }
}
