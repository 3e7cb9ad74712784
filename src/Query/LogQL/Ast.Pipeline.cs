using Strata.Storage.Index;

namespace Strata.Query.LogQL;

/// <summary>One step of a log pipeline. Stages run in list order on each line.</summary>
public abstract class PipelineStage
{
    public int Start { get; init; }
    public int End { get; init; }
}

/// <summary>Line filter operators.</summary>
public enum LineFilterOp : byte
{
    /// <summary><c>|=</c>: the line contains the text.</summary>
    Contains,
    /// <summary><c>!=</c>: the line does not contain the text.</summary>
    NotContains,
    /// <summary><c>|~</c>: the (Go, unanchored) regex matches somewhere in the line.</summary>
    Regex,
    /// <summary><c>!~</c>: the regex matches nowhere in the line.</summary>
    NotRegex,
    /// <summary><c>|&gt;</c>: the line matches the pattern (<c>&lt;_&gt; error &lt;_&gt;</c>).</summary>
    Pattern,
    /// <summary><c>!&gt;</c>: the line does not match the pattern.</summary>
    NotPattern,
}

/// <summary>
/// One alternative of a line filter: a text (substring, regex or pattern, by the filter's op) or,
/// with <see cref="Ip"/>, an <c>ip("...")</c> address, range or CIDR that some IP in the line must match.
/// </summary>
public sealed record LineFilterTerm(string Value, bool Ip = false);

/// <summary>
/// <c>|= "a"</c>, <c>|~ "re"</c>, <c>|&gt; "pat"</c>, <c>!= ip("10.0.0.0/8")</c>; with <c>or</c>,
/// <c>|= "a" or "b"</c> keeps lines matching any of <see cref="Terms"/>.
/// </summary>
/// <remarks>
/// Only the positive ops carry more than one term: as in Loki, <c>!= "a" or "b"</c> means "neither",
/// so the parser turns it into two stages <c>!= "a" != "b"</c>. Regex and pattern syntax is not
/// checked by the parser (Loki checks it when it builds the pipeline), so the evaluator reports it.
/// </remarks>
public sealed class LineFilterStage : PipelineStage
{
    public required LineFilterOp Op { get; init; }
    public required IReadOnlyList<LineFilterTerm> Terms { get; init; }
    public bool IsNegative => Op is LineFilterOp.NotContains or LineFilterOp.NotRegex or LineFilterOp.NotPattern;
}

/// <summary>A <c>label="expression"</c> parameter of <c>| json</c> or <c>| logfmt</c>; a bare <c>label</c> has the label itself as expression.</summary>
public sealed record LabelExtraction(string Label, string Expression);

/// <summary>
/// <c>| json</c> (every field, nested keys joined with <c>_</c>) or <c>| json a="x.y", b="z[0]"</c>
/// (only the listed JSON paths, into the named labels).
/// </summary>
public sealed class JsonParserStage : PipelineStage
{
    public IReadOnlyList<LabelExtraction> Parameters { get; init; } = [];
}

/// <summary><c>| logfmt [--strict] [--keep-empty] [a="key", b]</c>.</summary>
public sealed class LogfmtParserStage : PipelineStage
{
    /// <summary><c>--strict</c>: stop at the first malformed pair and set <c>__error__</c>.</summary>
    public bool Strict { get; init; }
    /// <summary><c>--keep-empty</c>: keep keys whose value is empty.</summary>
    public bool KeepEmpty { get; init; }
    public IReadOnlyList<LabelExtraction> Parameters { get; init; } = [];
}

/// <summary><c>| regexp "(?P&lt;name&gt;re)"</c>: named groups become labels. The pattern is Go syntax (see <see cref="GoRegex"/>); the parser checked it has a named group.</summary>
public sealed class RegexpParserStage : PipelineStage
{
    public required string Pattern { get; init; }
}

/// <summary><c>| pattern "&lt;ip&gt; - &lt;_&gt; [&lt;ts&gt;]"</c>: named captures become labels, <c>&lt;_&gt;</c> skips. Checked by the parser.</summary>
public sealed class PatternParserStage : PipelineStage
{
    public required string Pattern { get; init; }
}

/// <summary><c>| unpack</c>: JSON fields become labels, and the <c>_entry</c> field replaces the line.</summary>
public sealed class UnpackStage : PipelineStage
{
}

/// <summary><c>| level="error" and status &gt;= 500</c>: keeps lines whose labels pass <see cref="Filter"/>.</summary>
public sealed class LabelFilterStage : PipelineStage
{
    public required LabelFilterExpr Filter { get; init; }
}

/// <summary><c>| line_format "{{.a}} {{ .b | ToUpper }}"</c>: replaces the line with the rendered Go template.</summary>
public sealed class LineFormatStage : PipelineStage
{
    public required string Template { get; init; }
}

/// <summary>
/// One assignment of <c>| label_format</c>: <c>dst=src</c> renames (<see cref="IsRename"/>, <see cref="Value"/>
/// is the source label), <c>dst="{{.a}}-x"</c> sets the rendered template (<see cref="Value"/> is the template).
/// </summary>
public sealed record LabelFormatItem(string Target, string Value, bool IsRename);

/// <summary><c>| label_format a="{{.b}}", c=d</c>.</summary>
public sealed class LabelFormatStage : PipelineStage
{
    public required IReadOnlyList<LabelFormatItem> Items { get; init; }
}

/// <summary>An item of <c>| drop</c> / <c>| keep</c>: a bare label name, or a matcher (<c>level="debug"</c>) that must also match the value.</summary>
public sealed record LabelNameOrMatcher(string Name, LabelMatcher? Matcher = null);

/// <summary><c>| drop a, b="v", c=~"re"</c>: removes the named labels (a matcher item only when its value matches).</summary>
public sealed class DropStage : PipelineStage
{
    public required IReadOnlyList<LabelNameOrMatcher> Labels { get; init; }
}

/// <summary><c>| keep a, b="v"</c>: removes every label except the listed ones (a matcher item only when its value matches).</summary>
public sealed class KeepStage : PipelineStage
{
    public required IReadOnlyList<LabelNameOrMatcher> Labels { get; init; }
}

/// <summary><c>| decolorize</c>: strips ANSI colour escape sequences from the line.</summary>
public sealed class DecolorizeStage : PipelineStage
{
}

/// <summary>How <c>| unwrap</c> turns the label value into a sample value.</summary>
public enum UnwrapConversion : byte
{
    /// <summary><c>unwrap x</c>: a float (Go <c>strconv.ParseFloat</c>).</summary>
    None,
    /// <summary><c>unwrap bytes(x)</c>: a size like <c>5kB</c> (<see cref="HumanBytes.TryParse"/>), in bytes.</summary>
    Bytes,
    /// <summary><c>unwrap duration(x)</c>: a Go duration like <c>1.5s</c> (<see cref="GoDuration.TryParse"/>), in seconds.</summary>
    Duration,
    /// <summary><c>unwrap duration_seconds(x)</c>: same as <see cref="Duration"/>.</summary>
    DurationSeconds,
}

/// <summary>
/// <c>| unwrap latency</c>, <c>| unwrap duration(latency)</c>: the sample value of each line for a
/// range aggregation. Only label filters may follow it (see <see cref="LogSelectorExpr"/>).
/// </summary>
public sealed class UnwrapStage : PipelineStage
{
    public required string Label { get; init; }
    public UnwrapConversion Conversion { get; init; }
}
