using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>The result of evaluating a query: one of the four PromQL value kinds.</summary>
public abstract class QueryValue
{
}

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
