using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Engine;

/// <summary>
/// <c>info()</c> against a head loaded in memory: query → expected series. Times in the tables are
/// seconds. The head holds a <c>target_info</c> whose data label flips from v1 to v2 at 300 s, so
/// tests can tell at which time the info series was read.
/// </summary>
public class InfoFunctionTests
{
    private const ulong StaleNaN = 0x7FF0000000000002UL;
    private static readonly PromQLEngine Engine = BuildEngine();

    private static PromQLEngine BuildEngine()
    {
        var head = new Head();
        void Load(LabelSet labels, long fromSec, long toSec, Func<long, double> value)
        {
            var s = head.GetOrCreate(labels, out _);
            for (long t = fromSec; t <= toSec; t += 60) head.Append(s, t * 1000, value(t));
        }
        LabelSet L(params (string, string)[] pairs) => LabelSet.From(pairs);

        Load(L(("__name__", "metric"), ("instance", "a"), ("job", "1")), 0, 600, t => t / 60);
        Load(L(("__name__", "target_info"), ("instance", "a"), ("job", "1"), ("version", "v1")), 0, 300,
            t => t == 300 ? BitConverter.UInt64BitsToDouble(StaleNaN) : 1);
        Load(L(("__name__", "target_info"), ("instance", "a"), ("job", "1"), ("version", "v2")), 300, 600, _ => 1);
        Load(L(("__name__", "build_info"), ("instance", "a"), ("job", "1"), ("build", "b1")), 0, 600, _ => 1);
        Load(L(("__name__", "clash_info"), ("instance", "a"), ("job", "1"), ("version", "clash")), 0, 600, _ => 1);
        // No info series for instance b.
        Load(L(("__name__", "other"), ("instance", "b"), ("job", "1")), 0, 600, _ => 100);
        // Two target_info series for instance c with samples at the same time: ambiguous.
        Load(L(("__name__", "dup"), ("instance", "c"), ("job", "1")), 0, 0, _ => 5);
        Load(L(("__name__", "target_info"), ("instance", "c"), ("job", "1"), ("x", "1")), 0, 0, _ => 1);
        Load(L(("__name__", "target_info"), ("instance", "c"), ("job", "1"), ("x", "2")), 0, 0, _ => 1);
        // Only one identifying label on both sides.
        Load(L(("__name__", "nojob"), ("instance", "d")), 0, 600, _ => 7);
        Load(L(("__name__", "custom_info"), ("instance", "d"), ("extra", "e")), 0, 600, _ => 1);
        return new PromQLEngine(head, new EngineOptions());
    }

    private static string Render(QueryValue v) => v switch
    {
        // Instant vectors are unordered (as in Prometheus); sort for a stable rendering.
        VectorResult vr => string.Join(" ", vr.Samples.Select(s => $"{s.Labels}={s.Value}").Order(StringComparer.Ordinal)),
        MatrixResult m => string.Join(" ", m.Series.Select(s => $"{s.Labels}=[" + string.Join(",", Enumerable.Range(0, s.Count).Select(i => $"{s.Values[i]}@{s.Timestamps[i] / 1000}")) + "]")),
        _ => "?",
    };

    [Theory]
    // Default: all data labels of target_info, the version current at the evaluation time.
    [InlineData("info(metric)", 120, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=2")]
    [InlineData("info(metric)", 300, "metric{instance=\"a\", job=\"1\", version=\"v2\"}=5")]
    // __name__ matchers choose the info metrics.
    [InlineData("info(metric, {__name__=\"build_info\"})", 60, "metric{build=\"b1\", instance=\"a\", job=\"1\"}=1")]
    [InlineData("info(metric, {__name__=~\"target_info|build_info\"})", 60, "metric{build=\"b1\", instance=\"a\", job=\"1\", version=\"v1\"}=1")]
    // Negated name matchers alone pick among the *_info metrics only.
    [InlineData("info(metric, {__name__!=\"target_info\"})", 60, "metric{build=\"b1\", instance=\"a\", job=\"1\", version=\"clash\"}=1")]
    // A data-label matcher filters the info series; without a match, a matcher rejecting "" drops the sample.
    [InlineData("info(metric, {version=~\"v2\"})", 120, "")]
    [InlineData("info(metric, {version=~\"v2\"})", 300, "metric{instance=\"a\", job=\"1\", version=\"v2\"}=5")]
    [InlineData("info(other)", 60, "other{instance=\"b\", job=\"1\"}=100")]
    [InlineData("info(other, {version=~\".+\"})", 60, "")]
    [InlineData("info(other, {version=~\".*\"})", 60, "other{instance=\"b\", job=\"1\"}=100")]
    // Info series pass through unenriched; base labels are never overwritten.
    [InlineData("info(target_info{instance=\"a\"})", 60, "target_info{instance=\"a\", job=\"1\", version=\"v1\"}=1")]
    [InlineData("info(label_replace(metric, \"version\", \"mine\", \"\", \"\"))", 60, "metric{instance=\"a\", job=\"1\", version=\"mine\"}=1")]
    // A dropped metric name stays dropped.
    [InlineData("info(floor(metric))", 60, "{instance=\"a\", job=\"1\", version=\"v1\"}=1")]
    // Matching on the identifying labels that are present.
    [InlineData("info(nojob, {__name__=\"custom_info\"})", 60, "nojob{extra=\"e\", instance=\"d\"}=7")]
    // @ and offset move the time at which the info series is read, not only the base samples.
    [InlineData("info(metric @ 120)", 600, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=2")]
    [InlineData("info(metric offset 5m)", 600, "metric{instance=\"a\", job=\"1\", version=\"v2\"}=5")]
    [InlineData("info(metric offset 6m)", 600, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=4")]
    [InlineData("info(last_over_time(metric[2m:1m] @ 180))", 600, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=3")]
    [InlineData("info(last_over_time((metric offset 1m)[2m:1m] offset 3m))", 420, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=3")]
    // A selector under scalar() does not set the reference time, on either side.
    [InlineData("info(scalar(metric @ 300) * metric)", 120, "{instance=\"a\", job=\"1\", version=\"v1\"}=10")]
    [InlineData("info(metric * scalar(metric @ 300))", 120, "{instance=\"a\", job=\"1\", version=\"v1\"}=10")]
    // Paths with different references (or none): the info series is read at the step time.
    [InlineData("info(metric @ 300 or vector(1))", 120, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=5 {}=1")]
    public void Instant(string query, long atSec, string expected)
    {
        var result = Engine.Instant(PromQLParser.ParseExpr(query), atSec * 1000, default, CancellationToken.None);
        Assert.Equal(expected, Render(result));
    }

    [Theory]
    // The enrichment changes mid-range, splitting the output into two series.
    [InlineData("info(metric)", 180, 360, 60,
        "metric{instance=\"a\", job=\"1\", version=\"v1\"}=[3@180,4@240] metric{instance=\"a\", job=\"1\", version=\"v2\"}=[5@300,6@360]")]
    // Pinned by @: the same version at every step.
    [InlineData("info(metric @ 360)", 0, 120, 60, "metric{instance=\"a\", job=\"1\", version=\"v2\"}=[6@0,6@60,6@120]")]
    [InlineData("info(metric, {version=\"v1\"})", 180, 360, 60, "metric{instance=\"a\", job=\"1\", version=\"v1\"}=[3@180,4@240]")]
    public void Range(string query, long startSec, long endSec, long stepSec, string expected)
    {
        var result = Engine.Range(PromQLParser.ParseExpr(query), startSec * 1000, endSec * 1000, stepSec * 1000, default, CancellationToken.None);
        Assert.Equal(expected, Render(result));
    }

    [Theory]
    // Two info metrics disagreeing on a data label.
    [InlineData("info(metric, {__name__=~\"target_info|clash_info\"})", 60, "conflicting label: version")]
    // Two info series of one metric and signature with samples at the same time.
    [InlineData("info(dup)", 0, "found duplicate series for info metric")]
    public void Errors(string query, long atSec, string message)
    {
        var e = Assert.Throws<QueryException>(() => Engine.Instant(PromQLParser.ParseExpr(query), atSec * 1000, default, CancellationToken.None));
        Assert.Equal(ErrorType.Execution, e.Type);
        Assert.Contains(message, e.Message);
    }
}
