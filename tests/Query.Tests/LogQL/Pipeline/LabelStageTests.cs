using Strata.Query.LogQL.Pipeline;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class LabelStageTests
{
    [Fact]
    public void Drop_names_and_matchers()
    {
        // Loki docs: | logfmt | drop level, method="GET"
        var drop = new DropLabels([LabelSelector.ForName("level"), LabelSelector.ForMatcher("method", MatchType.Equal, "GET")]);
        Assert.Equal("{app=\"api\", path=\"/\"}", Run("level=info method=GET path=/", "app=api", LogfmtParser.Default, drop).Labels);
        Assert.Equal("{app=\"api\", method=\"POST\", path=\"/\"}", Run("level=info method=POST path=/", "app=api", LogfmtParser.Default, drop).Labels);
    }

    [Fact]
    public void Drop_stream_label_and_error_labels()
    {
        var r = Run("not json", "app=api,env=prod", JsonParser.Instance,
            new DropLabels([LabelSelector.ForName("env"), LabelSelector.ForName("__error__"), LabelSelector.ForName("__error_details__")]));
        Assert.Equal("{app=\"api\"}", r.Labels);
        Assert.Null(r.Entry.Error);
        var r2 = Run("not json", "app=api", JsonParser.Instance,
            new DropLabels([LabelSelector.ForMatcher("__error__", MatchType.Equal, "JSONParserErr")]));
        Assert.Null(r2.Entry.Error);
        Assert.NotNull(r2.Entry.ErrorDetails);
    }

    [Fact]
    public void Drop_matcher_regex_on_missing_label_is_noop()
    {
        var r = Run("a=1", "app=api", LogfmtParser.Default, new DropLabels([LabelSelector.ForMatcher("b", MatchType.Regex, ".*")]));
        Assert.Equal("{a=\"1\", app=\"api\"}", r.Labels);
    }

    [Fact]
    public void Keep_names_and_matchers_and_never_errors()
    {
        var keep = new KeepLabels([LabelSelector.ForName("app"), LabelSelector.ForMatcher("level", MatchType.Equal, "error")]);
        Assert.Equal("{app=\"api\", level=\"error\"}", Run("level=error method=GET", "app=api,env=prod", LogfmtParser.Default, keep).Labels);
        Assert.Equal("{app=\"api\"}", Run("level=info method=GET", "app=api,env=prod", LogfmtParser.Default, keep).Labels);
        var r = Run("not json", "app=api,env=prod", JsonParser.Instance, new KeepLabels([LabelSelector.ForName("app")]));
        Assert.Equal("JSONParserErr", r.Entry.Error);
        Assert.False(r.Entry.Has("env"));
    }

    public static TheoryData<string, string> AnsiCases => new()
    {
        { "\u001b[31mERROR\u001b[0m something", "ERROR something" },
        { "\u001b[1;32mINFO\u001b[0m \u001b[38;5;208mwarm\u001b[m", "INFO warm" },
        { "\u001b]0;title\u0007text", "text" },
        { "\u009b31mcsi\u009b0m", "csi" },
        { "no colors here", "no colors here" },
        { "\u001b[2Kcleared\u001b[1A", "cleared" },
    };

    [Theory]
    [MemberData(nameof(AnsiCases))]
    public void Decolorize_strips_ansi(string line, string expected) =>
        Assert.Equal(expected, Run(line, "", Decolorize.Instance).Line);

    public static TheoryData<string, UnwrapConversion, bool, double> UnwrapCases => new()
    {
        { "latency=0.25", UnwrapConversion.Float, true, 0.25 },
        { "latency=1e3", UnwrapConversion.Float, true, 1000 },
        { "latency=1.5s", UnwrapConversion.Duration, true, 1.5 },
        { "latency=250ms", UnwrapConversion.Duration, true, 0.25 },
        { "latency=1h1m", UnwrapConversion.Duration, true, 3660 },
        { "latency=2KiB", UnwrapConversion.Bytes, true, 2048 },
        { "latency=1.5MB", UnwrapConversion.Bytes, true, 1_500_000 },
        { "other=1", UnwrapConversion.Float, false, 0 }, // missing: no sample, no error
        { "latency=", UnwrapConversion.Float, false, 0 },
    };

    [Theory]
    [MemberData(nameof(UnwrapCases))]
    public void Unwrap(string line, UnwrapConversion conv, bool expected, double value)
    {
        var r = Run(line, "", new LogfmtParser(keepEmpty: true));
        var u = new UnwrapExtractor("latency", conv);
        Assert.Equal(expected, u.TryExtract(r.Entry, out double v));
        Assert.Equal(value, v);
        Assert.Null(r.Entry.Error);
    }

    [Theory]
    [InlineData("latency=abc", UnwrapConversion.Float, "strconv.ParseFloat: parsing \"abc\": invalid syntax")]
    [InlineData("latency=5", UnwrapConversion.Duration, "time: missing unit in duration \"5\"")]
    [InlineData("latency=5XB", UnwrapConversion.Bytes, "unhandled size name: xb")]
    public void Unwrap_failure_sets_sample_extraction_error(string line, UnwrapConversion conv, string details)
    {
        var r = Run(line, "", LogfmtParser.Default);
        r.Entry.SetError("LabelFilterErr"); // replaced, as in Loki
        var u = new UnwrapExtractor("latency", conv);
        Assert.True(u.TryExtract(r.Entry, out double v));
        Assert.Equal(0, v);
        Assert.Equal(PipelineErrors.SampleExtraction, r.Entry.Error);
        Assert.Equal(details, r.Entry.ErrorDetails);
        // With | __error__="" after unwrap, the sample is dropped.
        var filtered = new UnwrapExtractor("latency", conv, [new StringLabelFilter("__error__", MatchType.Equal, "")]);
        Assert.False(filtered.TryExtract(r.Entry, out _));
    }
}
