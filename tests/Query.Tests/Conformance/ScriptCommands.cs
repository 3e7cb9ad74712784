using Strata.Storage.Labels;

namespace Strata.Query.Tests.Conformance;

/// <summary>One command of a <c>.test</c> script (FORMAT.md section 1), with the 1-based line it starts on.</summary>
internal abstract class ScriptCommand(int line)
{
    public int Line { get; } = line;
}

/// <summary><c>clear</c>: a fresh, empty store.</summary>
internal sealed class ClearCommand(int line) : ScriptCommand(line);

/// <summary>
/// <c>load</c> / <c>load_with_nhcb</c>: series with their expanded slots, the k-th slot at k * step.
/// <see cref="UsesStartTimestamps"/> is set when the block had <c>@st</c> lines, which we read past
/// but cannot store.
/// </summary>
internal sealed class LoadCommand(int line, long stepMs, bool withNhcb, IReadOnlyList<LoadSeries> series, bool usesStartTimestamps,
    IReadOnlyList<string> errors) : ScriptCommand(line)
{
    public long StepMs { get; } = stepMs;
    public bool WithNhcb { get; } = withNhcb;
    public IReadOnlyList<LoadSeries> Series { get; } = series;
    public bool UsesStartTimestamps { get; } = usesStartTimestamps;

    /// <summary>Block lines that could not be read; the rest of the block still loads.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;

    public bool HasHistograms => WithNhcb || Series.Any(s => s.Slots.Any(v => v.Kind == SlotKind.Histogram));
}

/// <summary>One series line of a load block.</summary>
internal sealed record LoadSeries(int Line, LabelSet Labels, IReadOnlyList<Slot> Slots);

/// <summary>
/// An <c>eval instant</c> or <c>eval range</c> with everything its block expects. A block the reader
/// could not understand keeps <see cref="FormatError"/> and counts as a failed eval.
/// </summary>
internal sealed class EvalCommand(int line, string query) : ScriptCommand(line)
{
    public string Query { get; } = query;
    public bool IsRange { get; set; }

    /// <summary>Instant: the evaluation time. Range: the first step.</summary>
    public long StartMs { get; set; }
    public long EndMs { get; set; }
    public long StepMs { get; set; }

    public bool ExpectFail { get; set; }

    /// <summary><c>expect fail msg:/regex:</c> or the old <c>expected_fail_message/regexp</c>; null: any error.</summary>
    public TextMatch? FailMatch { get; set; }

    public bool Ordered { get; set; }

    /// <summary>The old <c>eval_warn</c> / <c>eval_info</c>: at least one annotation of that level.</summary>
    public bool RequireWarn { get; set; }
    public bool RequireInfo { get; set; }
    public List<TextMatch> Warn { get; } = [];
    public List<TextMatch> Info { get; } = [];
    public bool NoWarn { get; set; }
    public bool NoInfo { get; set; }

    public bool ChecksAnnotations => RequireWarn || RequireInfo || Warn.Count > 0 || Info.Count > 0 || NoWarn || NoInfo;

    /// <summary><c>expect string</c>; a string result is compared with "" when this is absent (as upstream does).</summary>
    public string? ExpectedString { get; set; }

    /// <summary><c>expect range vector from a to b step s</c>: the instant query returns raw samples at a, a+s, ..., b.</summary>
    public (long StartMs, long EndMs, long StepMs)? RangeVector { get; set; }

    /// <summary>A bare number line: the query returns this scalar.</summary>
    public Slot? ExpectedScalar { get; set; }

    /// <summary>Result series by label set (a repeated label set replaces the earlier line, as upstream).</summary>
    public Dictionary<LabelSet, ExpectedSeries> Series { get; } = [];

    public string? FormatError { get; set; }

    public bool ExpectsHistogram =>
        ExpectedScalar is { Kind: SlotKind.Histogram } || Series.Values.Any(s => s.Slots.Any(v => v.Kind == SlotKind.Histogram));

    /// <summary>Upstream skips the range-mode re-run for string and range-vector results.</summary>
    public bool ExcludeFromRangeCheck => ExpectedString != null || RangeVector != null;
}

/// <summary>An expected result series; <see cref="Position"/> is its 1-based order in the block (for <c>expect ordered</c>).</summary>
internal sealed record ExpectedSeries(int Line, int Position, LabelSet Labels, IReadOnlyList<Slot> Slots);
