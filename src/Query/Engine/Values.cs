using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>The result of evaluating a query: one of the four PromQL value kinds.</summary>
public abstract class QueryValue
{
    /// <summary>Warnings and infos produced while evaluating; empty when there are none.</summary>
    public IReadOnlyList<Annotation> Annotations { get; set; } = [];

    /// <summary>What the evaluation cost (the API's <c>stats</c> parameter).</summary>
    public QueryStats Stats { get; set; }
}

/// <summary>
/// Query cost: samples read from storage (an upper bound of what was held at once, which Prometheus
/// reports as peakSamples) and time spent waiting for a query slot and evaluating.
/// </summary>
public readonly record struct QueryStats(long TotalSamples, TimeSpan QueueTime, TimeSpan EvalTime);

/// <summary>A scalar at a time.</summary>
public sealed class ScalarResult(long timestamp, double value) : QueryValue
{
    public long Timestamp { get; } = timestamp;
    public double Value { get; } = value;
}

/// <summary>A string at a time.</summary>
public sealed class StringResult(long timestamp, string value) : QueryValue
{
    public long Timestamp { get; } = timestamp;
    public string Value { get; } = value;
}

/// <summary>One element of an instant vector.</summary>
public readonly record struct VectorSample(LabelSet Labels, long Timestamp, double Value);

/// <summary>An instant vector.</summary>
public sealed class VectorResult(List<VectorSample> samples) : QueryValue
{
    public List<VectorSample> Samples { get; } = samples;
}

/// <summary>
/// One series of a matrix: points in time order in parallel arrays (length <see cref="Count"/>).
/// </summary>
public sealed class SeriesPoints(LabelSet labels, long[] timestamps, double[] values, int count)
{
    public LabelSet Labels { get; } = labels;
    public long[] Timestamps { get; } = timestamps;
    public double[] Values { get; } = values;
    public int Count { get; } = count;
}

/// <summary>A matrix (range query result, or a range vector from an instant query).</summary>
public sealed class MatrixResult(List<SeriesPoints> series) : QueryValue
{
    public List<SeriesPoints> Series { get; } = series;
}

/// <summary>Severity of a query annotation (Prometheus returns them as <c>warnings</c> and <c>infos</c>).</summary>
public enum AnnotationLevel : byte
{
    Warning,
    Info,
}

/// <summary>
/// A non-fatal note about a query's result. <see cref="Message"/> is the rendered text Prometheus shows,
/// e.g. <c>PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "x" (1:6)</c>.
/// </summary>
public readonly record struct Annotation(AnnotationLevel Level, string Message);
