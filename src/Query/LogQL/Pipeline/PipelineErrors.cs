namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// The error label names and values a Loki log pipeline produces (<c>pkg/logql/log/error.go</c> and
/// <c>logqlmodel</c>). Per-line failures are data, not exceptions: a stage that cannot do its work sets
/// <c>__error__</c> (and usually <c>__error_details__</c>) and lets the line continue, so the query can
/// filter on it with <c>| __error__=""</c>.
/// </summary>
public static class PipelineErrors
{
    public const string ErrorLabel = "__error__";
    public const string ErrorDetailsLabel = "__error_details__";
    /// <summary>Set by Loki when a parser hint asks to keep errors; listed so keep/drop treat it as special.</summary>
    public const string PreserveErrorLabel = "__preserve_error__";

    public const string JsonParser = "JSONParserErr";
    public const string LogfmtParser = "LogfmtParserErr";
    public const string SampleExtraction = "SampleExtractionErr";
    public const string LabelFilter = "LabelFilterErr";
    public const string TemplateFormat = "TemplateFormatErr";

    /// <summary>Suffix for a parsed label whose name collides with a stream label.</summary>
    public const string DuplicateSuffix = "_extracted";
}
