namespace Strata.Query.LogQL.Pipeline;

/// <summary><c>|= ip("192.168.0.0/16")</c>: the line contains an address the matcher accepts.</summary>
public sealed class IpLineFilter(IpMatcher matcher) : LineFilter
{
    public IpMatcher Matcher { get; } = matcher;

    public override bool Matches(ReadOnlySpan<byte> line) => Matcher.Search(line);

    internal override int Cost => 5;
}
