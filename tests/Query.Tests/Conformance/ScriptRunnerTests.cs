namespace Strata.Query.Tests.Conformance;

/// <summary>
/// The runner itself, on made-up scripts that use only what every engine version supports
/// (selectors, literals): a right expectation passes, and each kind of wrong one fails with a
/// reason that says what differed.
/// </summary>
public sealed class ScriptRunnerTests
{
    private static readonly string[] Data =
    [
        "load 1m",
        "    m{a=\"x\"} 1 2 3 stale",
        "    m{a=\"y\"} 10+10x5",
        "    late 5 _ 7",
        "    big 0+1x10001",
        "",
        // A later load adding a sample older than the series' newest one.
        "load 1m",
        "    late _ 6",
        "",
    ];

    private static EvalOutcome RunOne(params string[] eval)
    {
        var outcome = ScriptRunner.Run("inline.test", TestScript.Parse([.. Data, .. eval]));
        Assert.Empty(outcome.Problems);
        return Assert.Single(outcome.Evals);
    }

    private static void Passes(params string[] eval)
    {
        var o = RunOne(eval);
        Assert.True(o.Passed, o.Reason);
    }

    private static void FailsWith(string reason, params string[] eval)
    {
        var o = RunOne(eval);
        Assert.False(o.Passed);
        Assert.Contains(reason, o.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InstantVectorMatches() => Passes("eval instant at 2m m", "  m{a=\"x\"} 3", "  m{a=\"y\"} 30");

    [Fact]
    public void WrongValueIsNamed() =>
        FailsWith("value mismatch m{a=\"y\"}: expected 31 got 30", "eval instant at 2m m", "  m{a=\"x\"} 3", "  m{a=\"y\"} 31");

    [Fact]
    public void MissingAndExtraSeriesAreNamed()
    {
        FailsWith("expected 0 series got 1; unexpected m{a=\"x\"} 1", "eval instant at 0 m{a=\"x\"}");
        FailsWith("expected 2 series got 1; missing m{a=\"z\"} 4", "eval instant at 0 m{a=\"x\"}", "  m{a=\"x\"} 1", "  m{a=\"z\"} 4");
    }

    [Fact]
    public void RangeResultsHonourGapsAndStaleness()
    {
        Passes("eval range from 0 to 4m step 1m m{a=\"x\"}", "  m{a=\"x\"} 1 2 3");
        FailsWith("at 1m expected no point got 2", "eval range from 0 to 4m step 1m m{a=\"x\"}", "  m{a=\"x\"} 1 _ 3");
    }

    [Fact]
    public void LaterLoadsMayAddOlderSamples() => Passes("eval range from 0 to 2m step 1m late", "  late 5 6 7");

    [Fact]
    public void ScalarsStringsAndRangeVectors()
    {
        Passes("eval instant at 0 1 + 1", "  2");
        FailsWith("expected scalar 3 got 2", "eval instant at 0 1 + 1", "  3");
        Passes("eval instant at 0 \"s\"", "  expect string \"s\"");
        Passes("eval instant at 2m m[2m]", "  expect range vector from 1m to 2m step 1m", "  m{a=\"x\"} 2 3", "  m{a=\"y\"} 20 30");
    }

    [Fact]
    public void FailureExpectations()
    {
        FailsWith("expected failure but succeeded", "eval instant at 0 m{a=\"x\"}", "  expect fail");
        Passes("eval instant at 10000m big[1w]", "  expect fail regex: too many samples");
        FailsWith("expected error matching msg \"nope\"", "eval instant at 10000m big[1w]", "  expect fail msg: nope");
    }

    [Fact]
    public void AnnotationOnlyFailuresAreMarked()
    {
        var o = RunOne("eval instant at 0 m{a=\"x\"}", "  expect warn", "  m{a=\"x\"} 1");
        Assert.False(o.Passed);
        Assert.True(o.AnnotationsOnly);
        Assert.StartsWith("annotations:", o.Reason, StringComparison.Ordinal);
        Passes("eval instant at 0 m{a=\"x\"}", "  expect no_warn", "  expect no_info", "  m{a=\"x\"} 1");
    }

    [Fact]
    public void HistogramExpectationsAreFlagged()
    {
        var o = RunOne("eval instant at 0 m{a=\"x\"}", "  m{a=\"x\"} {{schema:0 sum:1 count:1}}");
        Assert.True(o.NativeHistogram);
        Assert.False(o.Passed);
    }
}
