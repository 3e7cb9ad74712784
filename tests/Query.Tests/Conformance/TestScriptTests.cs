using Strata.Storage.Labels;

namespace Strata.Query.Tests.Conformance;

/// <summary>The reader of the <c>.test</c> format, on inline snippets (no shared corpus needed).</summary>
public sealed class TestScriptTests
{
    private static string Expand(string values) => string.Join(" ", SeriesNotation.ParseValues(values));

    [Theory]
    [InlineData("0+3x3", "0 3 6 9")]
    [InlineData("10-2x2", "10 8 6")]
    [InlineData("-1-1x2", "-1 -2 -3")]
    [InlineData("1x2", "1 1 1")]
    [InlineData("_", "_")]
    [InlineData("_x3", "_ _ _")]
    [InlineData("5 _ 7 stale 9", "5 _ 7 stale 9")]
    [InlineData("Inf -Inf +Inf nan NaN", "+Inf -Inf +Inf NaN NaN")]
    [InlineData("1e3 .5 -2.5e-1", "1000 0.5 -0.25")]
    [InlineData("0x2", "0 0 0")] // upstream lexes series values without hex: 0 then x2
    [InlineData("1+Infx1", "1 +Inf")]
    public void ValueNotationExpands(string values, string expected) => Assert.Equal(expected, Expand(values));

    [Fact]
    public void StaleIsTheStaleNaNBitPattern()
    {
        var slot = Assert.Single(SeriesNotation.ParseValues("stale"));
        Assert.True(FloatValues.IsStale(slot.Value));
        Assert.False(FloatValues.AlmostEqual(double.NaN, slot.Value));
        Assert.True(FloatValues.AlmostEqual(slot.Value, slot.Value));
    }

    [Fact]
    public void HistogramLiteralsAreRecognisedAndCounted()
    {
        var slots = SeriesNotation.ParseValues("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}x2 {{sum:1}}+{{count:1 buckets:[1]}}x3 {{}} 5");
        Assert.Equal(3 + 4 + 1, slots.Count(s => s.Kind == SlotKind.Histogram));
        Assert.Equal("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}", slots[0].HistogramText);
        Assert.Equal(SlotKind.Float, slots[^1].Kind);
    }

    [Theory]
    [InlineData("metric 1", "metric")]
    [InlineData("metric{a=\"b\", c='d'} 1", "metric{a=\"b\", c=\"d\"}")]
    [InlineData("{__name__=\"m\", l=\"v\",} 1", "m{l=\"v\"}")]
    [InlineData("{job=\"x\"} 1", "{job=\"x\"}")]
    [InlineData("{} 1", "{}")]
    [InlineData("m{a=\"x\\\"y\\n\"} 1", "m{a=\"x\\\"y\\n\"}")]
    [InlineData("m{a=`raw\\n`} 1", "m{a=\"raw\\\\n\"}")]
    [InlineData("{\"utf8.name\", \"a.b\"=\"c\"} 1", "utf8.name{a.b=\"c\"}")]
    [InlineData("multi_histogram\t{{schema:0}}", "multi_histogram")]
    public void SeriesPartParses(string line, string expected)
    {
        var (labels, _) = SeriesNotation.ParseLine(line);
        Assert.Equal(expected, ResultComparer.Show(labels));
    }

    [Fact]
    public void ScriptCommandsAndExpectations()
    {
        var script = TestScript.Parse(
        [
            "# comment",
            "load 30s",
            "    cpu{host=\"a\"}  0+3x2",
            "\t@st -1m -1mx1",
            "    cpu{host=\"b\"}  5 _ 7",
            "",
            "eval instant at 1m cpu",
            "    expect no_warn",
            "    expect info msg: PromQL info: something (1:1)",
            "    expect ordered",
            "    cpu{host=\"a\"} 6",
            "    cpu{host=\"b\"} 7",
            "# ends the block",
            "eval range from 0 to 1m step 30s cpu{host=\"b\"}",
            "    cpu{host=\"b\"} 5 5 7",
            "",
            "eval instant at 0 1 + 1",
            "    2",
            "",
            "eval instant at 0 \"a\"",
            "    expect string `a`",
            "",
            "eval instant at 1m cpu[1m]",
            "    expect range vector from 30s to 1m step 30s",
            "    cpu{host=\"a\"} 3 6",
            "",
            "eval_fail instant at 0 x",
            "    expected_fail_regexp bad.*thing",
            "",
            "eval instant at 0 x",
            "    expect fail msg:exact text",
            "",
            "clear",
            "load_with_nhcb 1m",
            "    h_bucket{le=\"1\"} 1",
        ]);
        Assert.Empty(script.Errors);
        Assert.Equal(10, script.Commands.Count);

        var load = Assert.IsType<LoadCommand>(script.Commands[0]);
        Assert.Equal(30_000, load.StepMs);
        Assert.True(load.UsesStartTimestamps);
        Assert.Equal(2, load.Series.Count);
        Assert.Equal("0 3 6", string.Join(" ", load.Series[0].Slots));

        var ev = Assert.IsType<EvalCommand>(script.Commands[1]);
        Assert.Null(ev.FormatError);
        Assert.Equal(60_000, ev.StartMs);
        Assert.Equal("cpu", ev.Query);
        Assert.True(ev.NoWarn && ev.Ordered && ev.ChecksAnnotations);
        Assert.True(Assert.Single(ev.Info).IsMatch("PromQL info: something (1:1)"));
        Assert.Equal(2, ev.Series[LabelSet.From(("__name__", "cpu"), ("host", "b"))].Position);

        var range = Assert.IsType<EvalCommand>(script.Commands[2]);
        Assert.True(range.IsRange);
        Assert.Equal((0L, 60_000L, 30_000L), (range.StartMs, range.EndMs, range.StepMs));

        Assert.Equal(2, Assert.IsType<EvalCommand>(script.Commands[3]).ExpectedScalar!.Value.Value);
        Assert.Equal("a", Assert.IsType<EvalCommand>(script.Commands[4]).ExpectedString);
        Assert.Equal((30_000L, 60_000L, 30_000L), Assert.IsType<EvalCommand>(script.Commands[5]).RangeVector);

        var old = Assert.IsType<EvalCommand>(script.Commands[6]);
        Assert.True(old.ExpectFail);
        Assert.True(old.FailMatch!.IsMatch("a bad thing happened"));
        var msg = Assert.IsType<EvalCommand>(script.Commands[7]);
        Assert.True(msg.ExpectFail && msg.FailMatch!.IsMatch("exact text") && !msg.FailMatch.IsMatch("exact text!"));

        Assert.IsType<ClearCommand>(script.Commands[8]);
        var nhcb = Assert.IsType<LoadCommand>(script.Commands[9]);
        Assert.True(nhcb.WithNhcb && nhcb.HasHistograms);
    }

    [Fact]
    public void BadBlocksCostOneEvalNotTheFile()
    {
        var script = TestScript.Parse(
        [
            "eval instant at 0 m",
            "    m{a=\"b\"} 1 2",
            "",
            "eval instant at 0 m",
            "    expect warn",
            "    expect no_warn",
            "",
            "bogus line",
            "eval instant at 0 m",
        ]);
        Assert.Single(script.Errors);
        var evals = script.Commands.OfType<EvalCommand>().ToList();
        Assert.Equal(3, evals.Count);
        Assert.Contains("expect range vector", evals[0].FormatError);
        Assert.Contains("no_warn", evals[1].FormatError);
        Assert.Null(evals[2].FormatError);
    }
}
