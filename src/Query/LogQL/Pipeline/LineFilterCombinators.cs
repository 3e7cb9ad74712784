namespace Strata.Query.LogQL.Pipeline;

/// <summary>Matches every line: an empty <c>|=</c> needle, <c>|~ ".*"</c>, <c>|~ ""</c>.</summary>
public sealed class TrueLineFilter : LineFilter
{
    public static readonly TrueLineFilter Instance = new();

    private TrueLineFilter()
    {
    }

    public override bool Matches(ReadOnlySpan<byte> line) => true;

    internal override int Cost => 0;
}

/// <summary>Matches non-empty lines: what Loki turns <c>|~ ".+"</c> into.</summary>
public sealed class ExistsLineFilter : LineFilter
{
    public static readonly ExistsLineFilter Instance = new();

    private ExistsLineFilter()
    {
    }

    public override bool Matches(ReadOnlySpan<byte> line) => !line.IsEmpty;

    internal override int Cost => 0;
}

public sealed class NotLineFilter(LineFilter inner) : LineFilter
{
    public LineFilter Inner { get; } = inner;

    public override bool Matches(ReadOnlySpan<byte> line) => !Inner.Matches(line);

    public override bool Process(LogLine entry) => !Inner.Process(entry);

    internal override int Cost => Inner.Cost;
}

public sealed class AndLineFilter(LineFilter[] parts) : LineFilter
{
    public LineFilter[] Parts { get; } = parts;

    public override bool Matches(ReadOnlySpan<byte> line)
    {
        foreach (var p in Parts)
        {
            if (!p.Matches(line)) return false;
        }
        return true;
    }

    public override bool Process(LogLine entry)
    {
        foreach (var p in Parts)
        {
            if (!p.Process(entry)) return false;
        }
        return true;
    }

    internal override int Cost
    {
        get
        {
            int c = 0;
            foreach (var p in Parts) c = Math.Max(c, p.Cost);
            return c;
        }
    }
}

public sealed class OrLineFilter(LineFilter[] parts) : LineFilter
{
    public LineFilter[] Parts { get; } = parts;

    public override bool Matches(ReadOnlySpan<byte> line)
    {
        foreach (var p in Parts)
        {
            if (p.Matches(line)) return true;
        }
        return false;
    }

    public override bool Process(LogLine entry)
    {
        foreach (var p in Parts)
        {
            if (p.Process(entry)) return true;
        }
        return false;
    }

    internal override int Cost
    {
        get
        {
            int c = 0;
            foreach (var p in Parts) c = Math.Max(c, p.Cost);
            return c;
        }
    }
}
