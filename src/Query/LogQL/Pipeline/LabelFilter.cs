using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>Comparison operators of numeric, duration and bytes label filters.</summary>
public enum LabelFilterOp : byte
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary>
/// A label filter expression (Loki's <c>LabelFilterer</c>), combined with <see cref="And"/>/<see cref="Or"/>.
/// Conversion filters follow <c>label_filter.go</c> exactly: a missing label drops the line; a value that
/// does not parse sets <c>__error__="LabelFilterErr"</c> (unless an error is already set) and <em>keeps</em>
/// the line, so the error reaches the user or a later <c>| __error__=""</c>. String filters compare a
/// missing label as the empty string and are the only ones that can test <c>__error__</c>.
/// </summary>
public abstract class LabelFilter : Stage
{
    public static LabelFilter And(LabelFilter left, LabelFilter right) => new BinaryLabelFilter(left, right, and: true);

    public static LabelFilter Or(LabelFilter left, LabelFilter right) => new BinaryLabelFilter(left, right, and: false);

    internal static bool Compare<T>(LabelFilterOp op, T value, T target) where T : IComparable<T>
    {
        int c = value.CompareTo(target);
        return op switch
        {
            LabelFilterOp.Equal => c == 0,
            LabelFilterOp.NotEqual => c != 0,
            LabelFilterOp.Greater => c > 0,
            LabelFilterOp.GreaterOrEqual => c >= 0,
            LabelFilterOp.Less => c < 0,
            _ => c <= 0,
        };
    }

    internal static bool CompareFloat(LabelFilterOp op, double value, double target) => op switch
    {
        // IEEE comparisons, so NaN compares false (and != true) as in Go.
        LabelFilterOp.Equal => value == target,
        LabelFilterOp.NotEqual => value != target,
        LabelFilterOp.Greater => value > target,
        LabelFilterOp.GreaterOrEqual => value >= target,
        LabelFilterOp.Less => value < target,
        _ => value <= target,
    };
}

/// <summary><c>and</c>/<c>or</c> of two filters. <c>or</c> stops at a passing left side; <c>and</c> always runs both sides, as Loki does (both may set errors).</summary>
public sealed class BinaryLabelFilter(LabelFilter left, LabelFilter right, bool and) : LabelFilter
{
    public LabelFilter Left { get; } = left;
    public LabelFilter Right { get; } = right;
    public bool IsAnd { get; } = and;

    public override bool Process(LogLine entry)
    {
        bool l = Left.Process(entry);
        if (!IsAnd && l) return true;
        bool r = Right.Process(entry);
        return IsAnd ? l && r : r;
    }
}

/// <summary><c>| name op "value"</c> with <c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>.</summary>
public sealed class StringLabelFilter : LabelFilter
{
    private readonly LabelValueMatcher _matcher;

    public StringLabelFilter(string name, MatchType type, string value)
    {
        Name = name;
        Type = type;
        Value = value;
        _matcher = LabelValueMatcher.Create(type, value);
    }

    public string Name { get; }
    public MatchType Type { get; }
    public string Value { get; }

    public override bool Process(LogLine entry)
    {
        if (Name == PipelineErrors.ErrorLabel) return _matcher.Matches(new LabelValue(entry.Error ?? ""), entry);
        return entry.TryGetValue(Name, out var v) ? _matcher.Matches(v, entry) : _matcher.Matches(new LabelValue(""), entry);
    }
}

/// <summary><c>| status &gt;= 400</c>: the value parsed with Go's <c>strconv.ParseFloat</c>.</summary>
public sealed class NumericLabelFilter(string name, LabelFilterOp op, double value) : LabelFilter
{
    public string Name { get; } = name;
    public LabelFilterOp Op { get; } = op;
    public double Value { get; } = value;

    public override bool Process(LogLine entry)
    {
        if (!entry.TryGetValue(Name, out var v)) return false;
        bool ok = v.String is { } s
            ? GoStrconv.TryParseFloat(s, out double f, out bool range)
            : GoStrconv.TryParseFloat(v.Utf8, out f, out range);
        if (!ok)
        {
            entry.SetErrorIfNone(PipelineErrors.LabelFilter, GoStrconv.ParseFloatError(v.ToString(), range));
            return true;
        }
        return CompareFloat(Op, f, Value);
    }
}

/// <summary><c>| duration &gt; 10s</c>: the value parsed with Go's <c>time.ParseDuration</c>.</summary>
public sealed class DurationLabelFilter(string name, LabelFilterOp op, long nanoseconds) : LabelFilter
{
    public string Name { get; } = name;
    public LabelFilterOp Op { get; } = op;
    public long Nanoseconds { get; } = nanoseconds;

    /// <summary>Builds the filter from the query's duration literal (e.g. <c>1.5ms</c>).</summary>
    public static DurationLabelFilter Parse(string name, LabelFilterOp op, string duration)
    {
        if (!GoDuration.TryParse(duration, out long ns, out string? err)) PipelineThrow.BadQuery(err!);
        return new DurationLabelFilter(name, op, ns);
    }

    public override bool Process(LogLine entry)
    {
        if (!entry.TryGetValue(Name, out var v)) return false;
        if (!GoDuration.TryParse(v.AsChars(ref entry.CharScratch), out long ns, out string? err))
        {
            entry.SetErrorIfNone(PipelineErrors.LabelFilter, err);
            return true;
        }
        return Compare(Op, ns, Nanoseconds);
    }
}

/// <summary><c>| size &gt; 20MB</c>: the value parsed with go-humanize's <c>ParseBytes</c> (SI and IEC units).</summary>
public sealed class BytesLabelFilter(string name, LabelFilterOp op, ulong bytes) : LabelFilter
{
    public string Name { get; } = name;
    public LabelFilterOp Op { get; } = op;
    public ulong Bytes { get; } = bytes;

    /// <summary>Builds the filter from the query's bytes literal (e.g. <c>1KiB</c>).</summary>
    public static BytesLabelFilter Parse(string name, LabelFilterOp op, string bytes)
    {
        if (!GoBytes.TryParse(bytes, out ulong b, out string? err)) PipelineThrow.BadQuery(err!);
        return new BytesLabelFilter(name, op, b);
    }

    public override bool Process(LogLine entry)
    {
        if (!entry.TryGetValue(Name, out var v)) return false;
        if (!GoBytes.TryParse(v.AsChars(ref entry.CharScratch), out ulong b, out string? err))
        {
            entry.SetErrorIfNone(PipelineErrors.LabelFilter, err);
            return true;
        }
        return Compare(Op, b, Bytes);
    }
}

/// <summary>
/// <c>| addr = ip("10.0.0.0/8")</c> / <c>!= ip(…)</c>: whether the label value contains a matching address.
/// As in Loki, an entry that already carries an error passes, and a missing label drops the entry.
/// </summary>
public sealed class IpLabelFilter : LabelFilter
{
    private readonly IpMatcher _matcher;

    public IpLabelFilter(string name, bool equal, string pattern)
    {
        Name = name;
        IsEqual = equal;
        _matcher = IpMatcher.Parse(pattern);
    }

    public string Name { get; }
    public bool IsEqual { get; }

    public override bool Process(LogLine entry)
    {
        if (entry.HasError) return true;
        if (!entry.TryGetValue(Name, out var v)) return false;
        bool found = _matcher.Search(v.AsUtf8(ref entry.ByteScratch));
        return IsEqual ? found : !found;
    }
}
