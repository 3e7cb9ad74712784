using BenchmarkDotNet.Attributes;
using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Bench.Query;

/// <summary>
/// Dashboard-shaped PromQL range queries over one hour at a 15 s step (241 steps) against an
/// in-memory head, fixed seed:
/// - <c>http_requests_total</c>: 10 000 counters (10 jobs × 1000 instances), scraped every 15 s
///   with millisecond jitter, a counter reset in every 50th series;
/// - <c>latency_seconds_bucket</c>: 100 instances × 12 <c>le</c> buckets;
/// - <c>node_info</c>: one info series per instance with a <c>node</c> label, for <c>group_left</c>.
/// Data starts 10 minutes before the query range so every 5 m window is full.
/// Run from bench/Micro: <c>dotnet run -c Release -- --filter '*PromQLBenchmarks*' --artifacts /tmp/bdn-promql</c>.
/// </summary>
[MemoryDiagnoser]
public class PromQLBenchmarks
{
    private const int Seed = 4242;
    private const long Start = 1_714_564_800_000;
    private const long End = Start + 3_600_000;
    private const long Step = 15_000;
    private const long Scrape = 15_000;
    private const long DataStart = Start - 600_000;

    private PromQLEngine _engine = null!;
    private Expr _sumRate = null!;
    private Expr _quantile = null!;
    private Expr _topk = null!;
    private Expr _groupLeft = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(Seed);
        var head = new Head(new HeadOptions { OutOfOrderWindowMs = 0 });
        for (int j = 0; j < 10; j++)
        {
            for (int i = 0; i < 1000; i++)
            {
                var labels = LabelSet.From(("__name__", "http_requests_total"), ("job", $"job-{j}"), ("instance", $"10.0.{i / 250}.{i % 250}:9090"),
                    ("namespace", $"ns-{i % 20}"), ("pod", $"pod-{j}-{i}"));
                Fill(head, labels, rng, counter: true, resetEvery: (j * 1000 + i) % 50 == 0 ? 97 : 0);
            }
        }
        double[] bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity];
        for (int i = 0; i < 100; i++)
        {
            for (int b = 0; b < bounds.Length; b++)
            {
                string le = double.IsPositiveInfinity(bounds[b]) ? "+Inf" : bounds[b].ToString(System.Globalization.CultureInfo.InvariantCulture);
                var labels = LabelSet.From(("__name__", "latency_seconds_bucket"), ("instance", $"10.0.0.{i}:9090"), ("le", le));
                Fill(head, labels, new Random(Seed + i), counter: true, resetEvery: 0, scale: b + 1);
            }
        }
        for (int i = 0; i < 1000; i++)
        {
            var labels = LabelSet.From(("__name__", "node_info"), ("instance", $"10.0.{i / 250}.{i % 250}:9090"), ("node", $"node-{i % 40}"));
            var s = head.GetOrCreate(labels, out _);
            for (long t = DataStart; t <= End; t += Scrape) head.Append(s, t, 1);
        }
        _engine = new PromQLEngine(head, new EngineOptions());
        _sumRate = PromQLParser.ParseExpr("sum by (job) (rate(http_requests_total[5m]))");
        _quantile = PromQLParser.ParseExpr("histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket[5m])))");
        _topk = PromQLParser.ParseExpr("topk(5, rate(http_requests_total[5m]))");
        _groupLeft = PromQLParser.ParseExpr("sum by (node) (rate(http_requests_total{job=\"job-1\"}[5m]) * on (instance) group_left (node) node_info)");
    }

    private static void Fill(Head head, LabelSet labels, Random rng, bool counter, int resetEvery, int scale = 1)
    {
        var s = head.GetOrCreate(labels, out _);
        double v = 0;
        int n = 0;
        for (long t = DataStart; t <= End; t += Scrape)
        {
            v = counter ? v + rng.Next(0, 20) * scale : rng.NextDouble();
            if (resetEvery > 0 && ++n % resetEvery == 0) v = 0;
            head.Append(s, t + rng.Next(0, 5), v);
        }
    }

    private MatrixResult Run(Expr e) => _engine.Range(e, Start, End, Step, default, CancellationToken.None);

    [Benchmark]
    public int SumByJobRate() => Run(_sumRate).Series.Count;

    [Benchmark]
    public int HistogramQuantile() => Run(_quantile).Series.Count;

    [Benchmark]
    public int TopkRate() => Run(_topk).Series.Count;

    [Benchmark]
    public int GroupLeftJoin() => Run(_groupLeft).Series.Count;
}
