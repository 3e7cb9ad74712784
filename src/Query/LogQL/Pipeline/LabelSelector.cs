using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// One argument of <c>drop</c>/<c>keep</c>: a bare label name, or a matcher <c>name op "value"</c> that only
/// selects the label when its value matches (Loki's <c>NamedLabelMatcher</c>).
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(string name, LabelValueMatcher? matcher)
    {
        Name = name;
        Matcher = matcher;
    }

    public string Name { get; }

    /// <summary>Null for a bare name.</summary>
    public LabelValueMatcher? Matcher { get; }

    public static LabelSelector ForName(string name) => new(name, null);

    public static LabelSelector ForMatcher(string name, MatchType type, string value) => new(name, LabelValueMatcher.Create(type, value));
}
