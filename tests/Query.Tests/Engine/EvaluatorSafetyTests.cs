using System.Text;
using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Engine;

/// <summary>
/// Inputs that must not hurt the server: regexes that make backtracking engines explode, and the
/// label hash that <c>limit_ratio</c> samples by (checked against published XXH64 vectors).
/// </summary>
public class EvaluatorSafetyTests
{
    private static PromQLEngine EngineWith(string labelValue)
    {
        var head = new Head();
        var s = head.GetOrCreate(LabelSet.From(("__name__", "x"), ("v", labelValue)), out _);
        head.Append(s, 0, 1);
        // A short timeout turns a hang into a failing test instead of a stuck run.
        return new PromQLEngine(head, new EngineOptions { Timeout = TimeSpan.FromSeconds(20) });
    }

    [Theory]
    [InlineData("count(x{v=~\"(a+)+b\"})", "")]
    [InlineData("count(x{v!~\"(a|aa)+c\"})", "{} 1")]
    [InlineData("count(label_replace(x, \"d\", \"$1\", \"v\", \"((a|aa)+)+$\"))", "{} 1")]
    public void CatastrophicRegexesAnswer(string query, string expected)
    {
        // 30 000 'a's followed by '!' : exponential for a backtracking matcher, linear for ours.
        var engine = EngineWith(new string('a', 30_000) + "!");
        var result = (VectorResult)engine.Instant(PromQLParser.ParseExpr(query), 0, default, CancellationToken.None);
        Assert.Equal(expected, string.Join(" ", result.Samples.Select(s => $"{s.Labels} {s.Value}")));
    }

    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    public void XxHash64MatchesPublishedVectors(string input, ulong expected) =>
        Assert.Equal(expected, LabelHash.XxHash64(Encoding.UTF8.GetBytes(input)));

    [Fact]
    public void LabelHashCoversLongInputsDeterministically()
    {
        // Long label sets take the 32-byte-stripe path; equal sets hash equal, different ones differ.
        var a = LabelSet.From(("__name__", "http_requests_total"), ("instance", "10.0.0.1:9090"), ("job", "kubernetes-pods"));
        var b = LabelSet.From(("__name__", "http_requests_total"), ("instance", "10.0.0.2:9090"), ("job", "kubernetes-pods"));
        Assert.Equal(LabelHash.Hash(a), LabelHash.Hash(LabelSet.From(a.AsSpan().ToArray())));
        Assert.NotEqual(LabelHash.Hash(a), LabelHash.Hash(b));
        Assert.InRange(LabelHash.Offset(a), 0, 1);
    }
}
