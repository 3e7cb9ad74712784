using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Engine;

/// <summary>
/// The selector path of the engine against a head loaded in memory: query → expected series and points.
/// Times in the tables are seconds.
/// </summary>
public class SelectorEvaluationTests
{
    private const ulong StaleNaN = 0x7FF0000000000002UL;
    private static readonly PromQLEngine Engine = BuildEngine();

    private static PromQLEngine BuildEngine()
    {
        var head = new Head();
        void Load(LabelSet labels, params (long Sec, double V)[] samples)
        {
            var s = head.GetOrCreate(labels, out _);
            foreach (var (sec, v) in samples) head.Append(s, sec * 1000, v);
        }
        // A counter every 60 s from 0 to 600 s.
        Load(LabelSet.From(("__name__", "req"), ("job", "a")), [.. Enumerable.Range(0, 11).Select(i => ((long)i * 60, (double)i))]);
        // A gauge with a gap (nothing from 120 to 540 s) and a stale marker at 660 s.
        Load(LabelSet.From(("__name__", "req"), ("job", "b")), (0, 10), (60, 20), (540, 30), (600, 40), (660, BitConverter.UInt64BitsToDouble(StaleNaN)));
        Load(LabelSet.From(("__name__", "other"), ("job", "a")), (0, 1));
        return new PromQLEngine(head, new EngineOptions());
    }

    private static string Render(QueryValue v) => v switch
    {
        VectorResult vr => string.Join(" ", vr.Samples.Select(s => $"{s.Labels}={s.Value}")),
        MatrixResult m => string.Join(" ", m.Series.Select(s => $"{s.Labels}=[" + string.Join(",", Enumerable.Range(0, s.Count).Select(i => $"{s.Values[i]}@{s.Timestamps[i] / 1000.0}")) + "]")),
        ScalarResult s => $"scalar {s.Value}@{s.Timestamp / 1000.0}",
        StringResult s => $"string {s.Value}",
        _ => "?",
    };

    [Theory]
    [InlineData("req", 60, "req{job=\"a\"}=1 req{job=\"b\"}=20")]
    [InlineData("req", 359, "req{job=\"a\"}=5 req{job=\"b\"}=20")]
    [InlineData("req", 360, "req{job=\"a\"}=6")] // b's 60 s sample is outside (60, 360]
    [InlineData("req", 659, "req{job=\"a\"}=10 req{job=\"b\"}=40")]
    [InlineData("req", 660, "req{job=\"a\"}=10")] // the stale marker ends b
    [InlineData("req", 899, "req{job=\"a\"}=10")]
    [InlineData("req", 900, "")] // 600 + 300: lookback is left-open
    [InlineData("req{job=~\"b|c\"}", 600, "req{job=\"b\"}=40")]
    [InlineData("{job=\"a\"}", 0, "other{job=\"a\"}=1 req{job=\"a\"}=0")]
    [InlineData("req offset 2m", 600, "req{job=\"a\"}=8")]
    [InlineData("req @ 60", 6000, "req{job=\"a\"}=1 req{job=\"b\"}=20")]
    [InlineData("req offset -1m", 0, "req{job=\"a\"}=1 req{job=\"b\"}=20")]
    [InlineData("req[2m]", 600, "req{job=\"a\"}=[9@540,10@600] req{job=\"b\"}=[30@540,40@600]")]
    [InlineData("req[1m]", 660, "req{job=\"a\"}=[] req{job=\"b\"}=[]")]
    [InlineData("req[1m] offset 1m", 660, "req{job=\"a\"}=[10@600] req{job=\"b\"}=[40@600]")]
    [InlineData("1 + 2 * 3", 10, "scalar 7@10")]
    [InlineData("-(2 ^ 3)", 10, "scalar -8@10")]
    [InlineData("\"text\"", 10, "string text")]
    public void Instant(string query, long atSec, string expected)
    {
        var result = Engine.Instant(PromQLParser.ParseExpr(query), atSec * 1000, default, CancellationToken.None);
        string actual = Render(result);
        // Series without points are not returned; normalise the expectation for empty ranges.
        Assert.Equal(expected.Replace("req{job=\"a\"}=[] req{job=\"b\"}=[]", "", StringComparison.Ordinal), actual);
    }

    [Theory]
    [InlineData("req{job=\"b\"}", 0, 720, 120, "req{job=\"b\"}=[10@0,20@120,20@240,40@600]")]
    [InlineData("req{job=\"a\"}", 0, 120, 60, "req{job=\"a\"}=[0@0,1@60,2@120]")]
    [InlineData("7", 0, 120, 60, "{}=[7@0,7@60,7@120]")]
    public void Range(string query, long startSec, long endSec, long stepSec, string expected)
    {
        var result = Engine.Range(PromQLParser.ParseExpr(query), startSec * 1000, endSec * 1000, stepSec * 1000, default, CancellationToken.None);
        Assert.Equal(expected, Render(result));
    }

    [Fact]
    public void RangeQueryRejectsRangeVectors()
    {
        var e = Assert.Throws<QueryException>(() => Engine.Range(PromQLParser.ParseExpr("req[5m]"), 0, 1000, 1000, default, CancellationToken.None));
        Assert.Equal(ErrorType.BadData, e.Type);
    }

    [Fact]
    public void MaxSamplesIsEnforced()
    {
        var head = new Head();
        var s = head.GetOrCreate(LabelSet.From(("__name__", "x")), out _);
        for (int i = 0; i < 100; i++) head.Append(s, i * 1000L, i);
        var engine = new PromQLEngine(head, new EngineOptions { MaxSamples = 10 });
        var e = Assert.Throws<QueryException>(() => engine.Instant(PromQLParser.ParseExpr("x[1m]"), 99_000, default, CancellationToken.None));
        Assert.Equal(ErrorType.Execution, e.Type);
        Assert.Contains("too many samples", e.Message);
    }
}
