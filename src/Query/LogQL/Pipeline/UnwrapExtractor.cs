namespace Strata.Query.LogQL.Pipeline;

/// <summary>How <c>unwrap</c> converts the label value: a float, <c>duration()</c>/<c>duration_seconds()</c> (seconds) or <c>bytes()</c>.</summary>
public enum UnwrapConversion : byte
{
    Float,
    Duration,
    Bytes,
}

/// <summary>
/// The sample extraction of <c>| unwrap label</c> (Loki's <c>labelSampleExtractor</c>), run after the
/// pipeline stages. An entry without the label, or with an empty value, yields no sample and no error.
/// A value that does not convert sets <c>__error__="SampleExtractionErr"</c> (replacing any earlier
/// error, as Loki does) with value 0; then the post-filters (label filters written after
/// <c>unwrap</c>, typically <c>| __error__=""</c>) run, and may drop it.
/// <para>
/// For the evaluator: a sample that still carries <c>__error__</c> makes Loki fail the metric query
/// with a "pipeline error" instead of returning it, and unless the query groups by it the unwrapped
/// label is removed from the sample's labels (Loki adds it to the <c>without</c> list).
/// </para>
/// </summary>
public sealed class UnwrapExtractor
{
    private readonly Stage[] _postFilters;

    public UnwrapExtractor(string label, UnwrapConversion conversion, IReadOnlyList<Stage>? postFilters = null)
    {
        Label = label;
        Conversion = conversion;
        _postFilters = postFilters == null ? [] : [.. postFilters];
    }

    public string Label { get; }

    public UnwrapConversion Conversion { get; }

    /// <summary>Extracts the sample value; false means no sample for this entry.</summary>
    public bool TryExtract(LogLine entry, out double value)
    {
        value = 0;
        if (!entry.TryGetValue(Label, out var v) || v.IsEmpty) return false;
        string? error = null;
        switch (Conversion)
        {
            case UnwrapConversion.Float:
                bool ok = v.String is { } s ? GoStrconv.TryParseFloat(s, out value, out bool range) : GoStrconv.TryParseFloat(v.Utf8, out value, out range);
                if (!ok)
                {
                    error = GoStrconv.ParseFloatError(v.ToString(), range);
                    value = 0;
                }
                break;
            case UnwrapConversion.Duration:
                if (GoDuration.TryParse(v.AsChars(ref entry.CharScratch), out long ns, out error)) value = GoDuration.Seconds(ns);
                break;
            default:
                if (GoBytes.TryParse(v.AsChars(ref entry.CharScratch), out ulong b, out error)) value = b;
                break;
        }
        if (error != null)
        {
            value = 0;
            entry.SetError(PipelineErrors.SampleExtraction);
            entry.SetErrorDetails(error);
        }
        foreach (var f in _postFilters)
        {
            if (!f.Process(entry)) return false;
        }
        return true;
    }
}
