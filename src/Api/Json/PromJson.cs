using System.Text.Encodings.Web;
using System.Text.Json;
using Strata.Query.Engine;
using Strata.Storage.Labels;

namespace Strata.Api.Json;

/// <summary>
/// Writers for the Prometheus API envelope and result encodings (../shared/spec/prometheus-api.md §1.2,
/// §2.3): <c>status</c> first, <c>resultType</c> before <c>result</c>, values as Go-formatted strings,
/// timestamps as seconds with millisecond fraction, empty lists as <c>[]</c>.
/// </summary>
public static class PromJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static void WriteValue(Utf8JsonWriter w, double v)
    {
        Span<char> buf = stackalloc char[40];
        w.WriteStringValue(buf[..GoFloat.Format(v, buf)]);
    }

    public static void WriteTimestamp(Utf8JsonWriter w, long ms)
    {
        Span<byte> buf = stackalloc byte[24];
        w.WriteRawValue(buf[..GoFloat.FormatTimestamp(ms, buf)], skipInputValidation: true);
    }

    public static void WriteLabels(Utf8JsonWriter w, LabelSet labels)
    {
        w.WriteStartObject();
        foreach (var l in labels.AsSpan()) w.WriteString(l.Name, l.Value);
        w.WriteEndObject();
    }

    public static void WritePoint(Utf8JsonWriter w, long ms, double v)
    {
        w.WriteStartArray();
        WriteTimestamp(w, ms);
        WriteValue(w, v);
        w.WriteEndArray();
    }

    /// <summary>Writes <c>"resultType": ..., "result": ...</c> into an open object.</summary>
    public static void WriteQueryData(Utf8JsonWriter w, QueryValue value)
    {
        switch (value)
        {
            case ScalarResult s:
                w.WriteString("resultType", "scalar");
                w.WritePropertyName("result");
                WritePoint(w, s.Timestamp, s.Value);
                break;
            case StringResult s:
                w.WriteString("resultType", "string");
                w.WritePropertyName("result");
                w.WriteStartArray();
                WriteTimestamp(w, s.Timestamp);
                w.WriteStringValue(s.Value);
                w.WriteEndArray();
                break;
            case VectorResult v:
                w.WriteString("resultType", "vector");
                w.WritePropertyName("result");
                w.WriteStartArray();
                foreach (var s in v.Samples)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("metric");
                    WriteLabels(w, s.Labels);
                    w.WritePropertyName("value");
                    WritePoint(w, s.Timestamp, s.Value);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
            case MatrixResult m:
                w.WriteString("resultType", "matrix");
                w.WritePropertyName("result");
                w.WriteStartArray();
                foreach (var s in m.Series)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("metric");
                    WriteLabels(w, s.Labels);
                    w.WritePropertyName("values");
                    w.WriteStartArray();
                    for (int i = 0; i < s.Count; i++) WritePoint(w, s.Timestamps[i], s.Values[i]);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
        }
    }

    /// <summary>Writes <c>"warnings"</c> or <c>"infos"</c> when there are any (at most 10, as Prometheus caps them).</summary>
    public static void WriteAnnotations(Utf8JsonWriter w, string key, IReadOnlyList<string>? items)
    {
        if (items == null || items.Count == 0) return;
        w.WritePropertyName(key);
        w.WriteStartArray();
        for (int i = 0; i < items.Count && i < 10; i++) w.WriteStringValue(items[i]);
        w.WriteEndArray();
    }

    /// <summary>The <c>stats</c> object of a query response (Prometheus's field names; times in seconds).</summary>
    public static void WriteStats(Utf8JsonWriter w, QueryStats stats)
    {
        w.WritePropertyName("stats");
        w.WriteStartObject();
        w.WritePropertyName("timings");
        w.WriteStartObject();
        double eval = stats.EvalTime.TotalSeconds;
        w.WriteNumber("evalTotalTime", eval);
        w.WriteNumber("resultSortTime", 0);
        w.WriteNumber("queryPreparationTime", 0);
        w.WriteNumber("innerEvalTime", eval);
        w.WriteNumber("execQueueTime", stats.QueueTime.TotalSeconds);
        w.WriteNumber("execTotalTime", eval + stats.QueueTime.TotalSeconds);
        w.WriteEndObject();
        w.WritePropertyName("samples");
        w.WriteStartObject();
        w.WriteNumber("totalQueryableSamples", stats.TotalSamples);
        w.WriteNumber("peakSamples", stats.TotalSamples);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static string ErrorTypeName(ErrorType t) => t switch
    {
        ErrorType.BadData => "bad_data",
        ErrorType.Execution => "execution",
        ErrorType.Canceled => "canceled",
        ErrorType.Timeout => "timeout",
        _ => "internal",
    };

    public static int StatusCode(ErrorType t) => t switch
    {
        ErrorType.BadData => 400,
        ErrorType.Execution => 422,
        ErrorType.Canceled => 499,
        ErrorType.Timeout => 503,
        _ => 500,
    };
}
