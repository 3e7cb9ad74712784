using Strata.Query.LogQL;
using Strata.Storage.Index;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.Tests.LogQL;

/// <summary>The tree the evaluator walks: node types and fields for each construct.</summary>
public sealed class AstTests
{
    private static LogSelectorExpr Log(string q) => Assert.IsType<LogSelectorExpr>(LogQLParser.ParseExpr(q));

    private static T Stage<T>(string q, int index = 0) where T : PipelineStage => Assert.IsType<T>(Log(q).Stages[index]);

    [Fact]
    public void SelectorKeepsMatchersInQueryOrder()
    {
        var s = Log("{b=\"1\", a=~\"x|y\", c!=\"\", d!~\"z\"}");
        Assert.Equal(["b", "a", "c", "d"], s.Matchers.Select(m => m.Name));
        Assert.Equal([MatchType.Equal, MatchType.Regex, MatchType.NotEqual, MatchType.NotRegex], s.Matchers.Select(m => m.Type));
        Assert.Empty(s.Stages);
        Assert.Null(s.Unwrap);
        Assert.Equal(0, s.Start);
        Assert.Equal(32, s.End);
    }

    [Fact]
    public void LineFiltersAreStagesWithOrTerms()
    {
        var s = Log("{a=\"b\"} |= \"x\" or ip(\"1.2.3.4\") |~ `re` != \"n1\" or \"n2\" |> \"<_> p\"");
        Assert.Equal(5, s.Stages.Count);
        var f0 = Assert.IsType<LineFilterStage>(s.Stages[0]);
        Assert.Equal(LineFilterOp.Contains, f0.Op);
        Assert.Equal([new LineFilterTerm("x"), new LineFilterTerm("1.2.3.4", Ip: true)], f0.Terms);
        Assert.Equal(LineFilterOp.Regex, Assert.IsType<LineFilterStage>(s.Stages[1]).Op);
        // `!= "n1" or "n2"` means neither: two stages.
        var n1 = Assert.IsType<LineFilterStage>(s.Stages[2]);
        var n2 = Assert.IsType<LineFilterStage>(s.Stages[3]);
        Assert.True(n1.IsNegative);
        Assert.Equal("n1", Assert.Single(n1.Terms).Value);
        Assert.Equal("n2", Assert.Single(n2.Terms).Value);
        Assert.Equal(LineFilterOp.Pattern, Assert.IsType<LineFilterStage>(s.Stages[4]).Op);
    }

    [Fact]
    public void ParserStages()
    {
        Assert.Empty(Stage<JsonParserStage>("{a=\"b\"} | json").Parameters);
        Assert.Equal(
            [new LabelExtraction("a", "x.y"), new LabelExtraction("b", "b")],
            Stage<JsonParserStage>("{a=\"b\"} | json a=\"x.y\", b").Parameters);
        var logfmt = Stage<LogfmtParserStage>("{a=\"b\"} | logfmt --keep-empty --strict msg=\"message\"");
        Assert.True(logfmt.Strict);
        Assert.True(logfmt.KeepEmpty);
        Assert.Equal([new LabelExtraction("msg", "message")], logfmt.Parameters);
        Assert.False(Stage<LogfmtParserStage>("{a=\"b\"} | logfmt").Strict);
        Assert.Equal("(?P<x>\\d+)", Stage<RegexpParserStage>("{a=\"b\"} | regexp `(?P<x>\\d+)`").Pattern);
        Assert.Equal("<ip> <_>", Stage<PatternParserStage>("{a=\"b\"} | pattern \"<ip> <_>\"").Pattern);
        Stage<UnpackStage>("{a=\"b\"} | unpack");
        Stage<DecolorizeStage>("{a=\"b\"} | decolorize");
    }

    [Fact]
    public void FormattingStages()
    {
        Assert.Equal("{{.a}}", Stage<LineFormatStage>("{a=\"b\"} | line_format \"{{.a}}\"").Template);
        Assert.Equal(
            [new LabelFormatItem("a", "{{.b}}", IsRename: false), new LabelFormatItem("c", "d", IsRename: true)],
            Stage<LabelFormatStage>("{a=\"b\"} | label_format a=\"{{.b}}\", c=d").Items);
        var drop = Stage<DropStage>("{a=\"b\"} | drop a, b=\"v\", c=~\"re\"").Labels;
        Assert.Equal(["a", "b", "c"], drop.Select(d => d.Name));
        Assert.Null(drop[0].Matcher);
        Assert.Equal(MatchType.Equal, drop[1].Matcher!.Type);
        Assert.Equal("v", drop[1].Matcher!.Value);
        Assert.Equal(MatchType.Regex, drop[2].Matcher!.Type);
        Assert.Equal(2, Stage<KeepStage>("{a=\"b\"} | keep a, b=\"v\"").Labels.Count);
    }

    [Fact]
    public void LabelFilterTree()
    {
        var f = Stage<LabelFilterStage>("{a=\"b\"} | x > 10s or y >= 20MB and z = 5, w=ip(\"10.0.0.0/8\") v=~\"a.+\"").Filter;
        var or = Assert.IsType<OrLabelFilter>(f);
        var d = Assert.IsType<DurationLabelFilter>(or.Left);
        Assert.Equal(("x", LabelFilterComparison.Greater, 10_000_000_000L), (d.Label, d.Comparison, d.Nanoseconds));
        var and = Assert.IsType<AndLabelFilter>(or.Right);
        var b = Assert.IsType<BytesLabelFilter>(and.Left);
        Assert.Equal(("y", LabelFilterComparison.GreaterOrEqual, 20_000_000UL), (b.Label, b.Comparison, b.Bytes));
        // `z = 5, w=ip(...) v=~...`: the comma and juxtaposition take the rest as the right side.
        var rest = Assert.IsType<AndLabelFilter>(and.Right);
        var n = Assert.IsType<NumericLabelFilter>(rest.Left);
        Assert.Equal(("z", LabelFilterComparison.Equal, 5.0), (n.Label, n.Comparison, n.Value));
        var last = Assert.IsType<AndLabelFilter>(rest.Right);
        var ip = Assert.IsType<IpLabelFilter>(last.Left);
        Assert.Equal(("w", false, "10.0.0.0/8"), (ip.Label, ip.Negated, ip.Pattern));
        var s = Assert.IsType<StringLabelFilter>(last.Right);
        Assert.Equal(("v", MatchType.Regex, "a.+"), (s.Matcher.Name, s.Matcher.Type, s.Matcher.Value));
        Assert.True(s.Matcher.Matches("abc"));
        Assert.False(s.Matcher.Matches("xabc"));
    }

    [Fact]
    public void ErrorLabelsAreOrdinaryLabelNames()
    {
        var f = Assert.IsType<StringLabelFilter>(Stage<LabelFilterStage>("{a=\"b\"} | __error__=\"\"").Filter);
        Assert.Equal("__error__", f.Matcher.Name);
        Assert.True(f.Matcher.Matches(""));
    }

    [Fact]
    public void RangeAggregationCarriesRangeOffsetUnwrapAndPostFilters()
    {
        var r = Assert.IsType<RangeAggregationExpr>(LogQLParser.ParseExpr(
            "quantile_over_time(0.99, {app=\"x\"} | json | unwrap duration(latency) | __error__=\"\" [5m] offset 1h) by (pod)"));
        Assert.Equal(RangeOp.QuantileOverTime, r.Op);
        Assert.Equal(0.99, r.Parameter);
        Assert.Equal(TimeSpan.FromMinutes(5), r.Range);
        Assert.Equal(TimeSpan.FromHours(1), r.Offset);
        Assert.Equal(["pod"], r.Grouping!.Labels);
        Assert.False(r.Grouping.Without);
        Assert.Equal("app", Assert.Single(r.Selector.Matchers).Name);
        Assert.Equal(3, r.Selector.Stages.Count);
        Assert.IsType<JsonParserStage>(r.Selector.Stages[0]);
        var u = Assert.IsType<UnwrapStage>(r.Selector.Stages[1]);
        Assert.Same(u, r.Unwrap);
        Assert.Equal(("latency", UnwrapConversion.Duration), (u.Label, u.Conversion));
        Assert.IsType<LabelFilterStage>(r.Selector.Stages[2]);
    }

    [Theory]
    [InlineData("count_over_time({a=\"b\"}[5m] |= \"x\")")]
    [InlineData("count_over_time({a=\"b\"} |= \"x\" [5m])")]
    [InlineData("count_over_time(({a=\"b\"} |= \"x\")[5m])")]
    [InlineData("count_over_time(({a=\"b\"} |= \"x\" [5m]))")]
    public void RangeFormsGiveOneTree(string q)
    {
        var r = Assert.IsType<RangeAggregationExpr>(LogQLParser.ParseExpr(q));
        Assert.Equal(RangeOp.CountOverTime, r.Op);
        Assert.Equal(TimeSpan.FromMinutes(5), r.Range);
        Assert.Equal(TimeSpan.Zero, r.Offset);
        Assert.Null(r.Grouping);
        Assert.Null(r.Parameter);
        Assert.Equal("x", Assert.Single(Assert.IsType<LineFilterStage>(Assert.Single(r.Selector.Stages)).Terms).Value);
    }

    [Fact]
    public void VectorAggregationAlwaysHasGrouping()
    {
        var v = Assert.IsType<VectorAggregationExpr>(LogQLParser.ParseExpr("sum(rate({a=\"b\"}[1m]))"));
        Assert.True(v.Grouping.IsSingleton);
        Assert.Null(v.Parameter);
        var t = Assert.IsType<VectorAggregationExpr>(LogQLParser.ParseExpr("topk(5, sum without (pod) (rate({a=\"b\"}[1m])))"));
        Assert.Equal((VectorOp.Topk, 5), (t.Op, t.Parameter));
        var inner = Assert.IsType<VectorAggregationExpr>(t.Inner);
        Assert.True(inner.Grouping.Without);
        Assert.Equal(["pod"], inner.Grouping.Labels);
    }

    [Fact]
    public void BinaryOperationWithMatching()
    {
        var b = Assert.IsType<BinaryOpExpr>(LogQLParser.ParseExpr(
            "sum by (a, b) (rate({x=\"y\"}[1m])) / bool ignoring (b) group_left (c) sum by (a) (rate({x=\"y\"}[1m]))"));
        Assert.Equal(BinaryOperator.Div, b.Op);
        Assert.True(b.ReturnBool);
        Assert.Equal(MatchingCardinality.ManyToOne, b.Matching.Card);
        Assert.False(b.Matching.On);
        Assert.Equal(["b"], b.Matching.MatchingLabels);
        Assert.Equal(["c"], b.Matching.Include);
        Assert.IsType<VectorAggregationExpr>(b.Lhs);
        Assert.IsType<VectorAggregationExpr>(b.Rhs);

        var plain = Assert.IsType<BinaryOpExpr>(LogQLParser.ParseExpr("vector(1)+vector(1)"));
        Assert.Equal(MatchingCardinality.OneToOne, plain.Matching.Card);
        Assert.Empty(plain.Matching.MatchingLabels);
        Assert.Equal(1, Assert.IsType<VectorExpr>(plain.Lhs).Value);
    }

    [Fact]
    public void LiteralsFold()
    {
        Assert.Equal(3, Assert.IsType<LiteralExpr>(LogQLParser.ParseExpr("1 + 1 + 1")).Value);
        Assert.True(double.IsNaN(Assert.IsType<LiteralExpr>(LogQLParser.ParseExpr("5 % 0")).Value));
        Assert.True(double.IsNaN(Assert.IsType<LiteralExpr>(LogQLParser.ParseExpr("1 / 0")).Value));
        Assert.Equal(-2, Assert.IsType<LiteralExpr>(LogQLParser.ParseExpr("-5 % 3")).Value);
    }

    [Fact]
    public void LabelReplace()
    {
        var l = Assert.IsType<LabelReplaceExpr>(LogQLParser.ParseExpr("label_replace(rate({a=\"b\"}[1m]), \"dst\", \"$1\", \"src\", \"(.*)\")"));
        Assert.Equal(("dst", "$1", "src", "(.*)"), (l.Destination, l.Replacement, l.Source, l.Regex));
        Assert.IsType<RangeAggregationExpr>(l.Inner);
    }

    [Fact]
    public void PositionsPointIntoTheQuery()
    {
        const string q = "sum(rate({a=\"b\"} |= \"x\" [1m]))";
        var v = Assert.IsType<VectorAggregationExpr>(LogQLParser.ParseExpr(q));
        Assert.Equal((0, q.Length), (v.Start, v.End));
        var r = Assert.IsType<RangeAggregationExpr>(v.Inner);
        Assert.Equal("rate({a=\"b\"} |= \"x\" [1m])", q[r.Start..r.End]);
        var f = r.Selector.Stages[0];
        Assert.Equal("|= \"x\"", q[f.Start..f.End]);
    }

    [Fact]
    public void RootKindTellsLogFromMetricQueries()
    {
        Assert.IsAssignableFrom<LogSelectorExpr>(LogQLParser.ParseExpr("{a=\"b\"} | json"));
        Assert.IsAssignableFrom<MetricExpr>(LogQLParser.ParseExpr("rate({a=\"b\"}[1m])"));
        Assert.IsAssignableFrom<MetricExpr>(LogQLParser.ParseExpr("1"));
    }

    [Fact]
    public void SelectorEntryPoints()
    {
        var s = LogQLParser.ParseSelector("{a=\"b\"} |= \"x\"");
        Assert.Single(s.Stages);
        Assert.Empty(LogQLParser.ParseSelector("{}", validate: false).Matchers);
        Assert.Equal("only log selector is supported",
            Assert.Throws<LogQLParseException>(() => LogQLParser.ParseSelector("rate({a=\"b\"}[1m])")).Message);
        Assert.Equal(2, LogQLParser.ParseMatchers("{a=\"b\", c=~\".+\"}").Count);
        Assert.Equal("only label matchers are supported",
            Assert.Throws<LogQLParseException>(() => LogQLParser.ParseMatchers("{a=\"b\"} | json")).Message);
        Assert.Equal("only sample expression supported",
            Assert.Throws<LogQLParseException>(() => LogQLParser.ParseMetricExpr("{a=\"b\"}")).Message);
        Assert.StartsWith("parse error : queries require",
            Assert.Throws<LogQLParseException>(() => LogQLParser.ParseMatchers("{a!=\"b\"}")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{a=~\".*\"}", true)]
    [InlineData("{a!=\"x\", b=\"\"}", true)]
    [InlineData("{a!~\"x|y\"}", true)]
    [InlineData("{a=\"x\"}", false)]
    [InlineData("{a=~\".+\"}", false)]
    [InlineData("{a!=\"x\", b=~\"y|z\"}", false)]
    public void MatchesEverything(string selector, bool expected)
    {
        var s = LogQLParser.ParseSelector(selector, validate: false);
        Assert.Equal(expected, LogQLParser.MatchesEverything(s.Matchers));
    }
}
