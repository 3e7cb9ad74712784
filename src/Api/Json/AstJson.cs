using System.Text.Json;
using Strata.Query.PromQL;
using Strata.Storage.Index;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Api.Json;

/// <summary>
/// <c>/api/v1/parse_query</c>'s syntax tree in the JSON shape Prometheus's UI reads: one object per
/// node with a <c>type</c> (<c>vectorSelector</c>, <c>binaryExpr</c>, …), keys in alphabetical
/// order as Go's map encoding writes them, durations in milliseconds.
/// </summary>
public static class AstJson
{
    public static void Write(Utf8JsonWriter w, Expr? e)
    {
        switch (e)
        {
            case null:
                w.WriteNullValue();
                break;
            case AggregateExpr a:
                w.WriteStartObject();
                w.WritePropertyName("expr");
                Write(w, a.Inner);
                WriteStrings(w, "grouping", a.Grouping);
                w.WriteString("op", PromQLPrinter.AggregateName(a.Op));
                w.WritePropertyName("param");
                Write(w, a.Param);
                w.WriteString("type", "aggregation");
                w.WriteBoolean("without", a.Without);
                w.WriteEndObject();
                break;
            case BinaryExpr b:
                w.WriteStartObject();
                w.WriteBoolean("bool", b.ReturnBool);
                w.WritePropertyName("lhs");
                Write(w, b.Lhs);
                w.WritePropertyName("matching");
                if (b.Matching is { } m)
                {
                    w.WriteStartObject();
                    w.WriteString("card", m.Card switch
                    {
                        MatchCardinality.OneToOne => "one-to-one",
                        MatchCardinality.ManyToOne => "many-to-one",
                        MatchCardinality.OneToMany => "one-to-many",
                        _ => "many-to-many",
                    });
                    WriteStrings(w, "include", m.Include);
                    WriteStrings(w, "labels", m.MatchingLabels);
                    w.WriteBoolean("on", m.On);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNullValue();
                }
                w.WriteString("op", PromQLPrinter.OperatorName(b.Op));
                w.WritePropertyName("rhs");
                Write(w, b.Rhs);
                w.WriteString("type", "binaryExpr");
                w.WriteEndObject();
                break;
            case CallExpr c:
                w.WriteStartObject();
                w.WritePropertyName("args");
                w.WriteStartArray();
                foreach (var arg in c.Args) Write(w, arg);
                w.WriteEndArray();
                w.WritePropertyName("func");
                w.WriteStartObject();
                w.WritePropertyName("argTypes");
                w.WriteStartArray();
                foreach (var k in c.Function.ArgKinds) w.WriteStringValue(KindName(k));
                w.WriteEndArray();
                w.WriteString("name", c.Function.Name);
                w.WriteString("returnType", KindName(c.Function.ReturnKind));
                w.WriteNumber("variadic", c.Function.Variadic);
                w.WriteEndObject();
                w.WriteString("type", "call");
                w.WriteEndObject();
                break;
            case MatrixSelector ms:
                w.WriteStartObject();
                WriteMatchers(w, ms.Selector.Matchers);
                w.WriteString("name", ms.Selector.Name ?? "");
                w.WriteNumber("offset", ms.Selector.Offset.Milliseconds);
                w.WriteNumber("range", ms.Range.Milliseconds);
                WriteAt(w, ms.Selector.At, ms.Selector.AtMs);
                w.WriteString("type", "matrixSelector");
                w.WriteEndObject();
                break;
            case SubqueryExpr sq:
                w.WriteStartObject();
                w.WritePropertyName("expr");
                Write(w, sq.Inner);
                w.WriteNumber("offset", sq.Offset.Milliseconds);
                w.WriteNumber("range", sq.Range.Milliseconds);
                w.WriteNumber("step", sq.Step.Milliseconds);
                WriteAt(w, sq.At, sq.AtMs);
                w.WriteString("type", "subquery");
                w.WriteEndObject();
                break;
            case NumberLiteral n:
                w.WriteStartObject();
                w.WriteString("type", "numberLiteral");
                w.WriteString("val", PromQLPrinter.FormatFloat(n.Value));
                w.WriteEndObject();
                break;
            case ParenExpr p:
                w.WriteStartObject();
                w.WritePropertyName("expr");
                Write(w, p.Inner);
                w.WriteString("type", "parenExpr");
                w.WriteEndObject();
                break;
            case StringLiteral s:
                w.WriteStartObject();
                w.WriteString("type", "stringLiteral");
                w.WriteString("val", s.Value);
                w.WriteEndObject();
                break;
            case UnaryExpr u:
                w.WriteStartObject();
                w.WritePropertyName("expr");
                Write(w, u.Inner);
                w.WriteString("op", u.Negate ? "-" : "+");
                w.WriteString("type", "unaryExpr");
                w.WriteEndObject();
                break;
            case VectorSelector vs:
                w.WriteStartObject();
                WriteMatchers(w, vs.Matchers);
                w.WriteString("name", vs.Name ?? "");
                w.WriteNumber("offset", vs.Offset.Milliseconds);
                WriteAt(w, vs.At, vs.AtMs);
                w.WriteString("type", "vectorSelector");
                w.WriteEndObject();
                break;
            default:
                // Duration functions only occur inside durations, which are written as milliseconds.
                w.WriteNullValue();
                break;
        }
    }

    private static string KindName(ValueKind k) => k switch
    {
        ValueKind.Scalar => "scalar",
        ValueKind.Vector => "vector",
        ValueKind.Matrix => "matrix",
        ValueKind.String => "string",
        _ => "none",
    };

    // "startOrEnd" sorts before "timestamp"; both are null without @.
    private static void WriteAt(Utf8JsonWriter w, AtKind at, long atMs)
    {
        if (at is AtKind.Start or AtKind.End) w.WriteString("startOrEnd", at == AtKind.Start ? "start" : "end");
        else w.WriteNull("startOrEnd");
        if (at == AtKind.Timestamp) w.WriteNumber("timestamp", atMs);
        else w.WriteNull("timestamp");
    }

    private static void WriteMatchers(Utf8JsonWriter w, IReadOnlyList<LabelMatcher> matchers)
    {
        w.WritePropertyName("matchers");
        w.WriteStartArray();
        foreach (var m in matchers)
        {
            w.WriteStartObject();
            w.WriteString("name", m.Name);
            w.WriteString("type", m.Type switch
            {
                MatchType.Equal => "=",
                MatchType.NotEqual => "!=",
                MatchType.Regex => "=~",
                _ => "!~",
            });
            w.WriteString("value", m.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // Go encodes a nil slice as null; Prometheus sanitizes these lists to [] first.
    private static void WriteStrings(Utf8JsonWriter w, string key, IReadOnlyList<string> items)
    {
        w.WritePropertyName(key);
        w.WriteStartArray();
        foreach (string s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }
}
