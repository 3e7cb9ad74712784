using Strata.Query.LogQL.Pipeline;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class LabelFilterTests
{
    private static string? RunFilter(string line, LabelFilter filter, out bool kept)
    {
        var r = Run(line, "app=api", LogfmtParser.Default, filter);
        kept = r.Kept;
        return kept ? r.Entry.Error : null;
    }

    public static TheoryData<string, string, MatchType, string, bool> StringCases => new()
    {
        { "level=error", "level", MatchType.Equal, "error", true },
        { "level=error", "level", MatchType.Equal, "ERROR", false },
        { "level=error", "level", MatchType.NotEqual, "info", true },
        { "level=error", "app", MatchType.Equal, "api", true }, // stream labels are visible too
        { "x=1", "level", MatchType.Equal, "", true }, // a missing label compares as ""
        { "x=1", "level", MatchType.NotEqual, "", false },
        { "level=error", "level", MatchType.Regex, "err.*", true },
        { "level=error", "level", MatchType.Regex, "rr", false }, // anchored
        { "level=prewarning", "level", MatchType.Regex, "warn.*", false }, // anchored, unlike Loki 3.x (#14433)
        { "level=warning", "level", MatchType.Regex, "warn.*", true },
        { "level=xwarn", "level", MatchType.Regex, ".*warn", true },
        { "level=error", "level", MatchType.Regex, "(?i)ERROR", true },
        { "level=error", "level", MatchType.Regex, "info|error", true },
        { "level=debug", "level", MatchType.NotRegex, "info|error", true },
        { "status=503", "status", MatchType.Regex, "5\\d\\d", true },
        { "status=503", "status", MatchType.Regex, "4\\d\\d", false },
        { "x=1", "level", MatchType.Regex, ".*", true },
        { "x=1", "level", MatchType.Regex, ".+", false },
        { "level=", "level", MatchType.Regex, "", true },
    };

    [Theory]
    [MemberData(nameof(StringCases))]
    public void String_filter(string line, string name, MatchType type, string value, bool expected)
    {
        RunFilter(line, new StringLabelFilter(name, type, value), out bool kept);
        Assert.Equal(expected, kept);
    }

    public static TheoryData<string, LabelFilterOp, double, bool> NumericCases => new()
    {
        { "status=404", LabelFilterOp.GreaterOrEqual, 400, true },
        { "status=200", LabelFilterOp.GreaterOrEqual, 400, false },
        { "status=200", LabelFilterOp.Equal, 200, true },
        { "status=200.0", LabelFilterOp.Equal, 200, true },
        { "status=2e2", LabelFilterOp.Equal, 200, true },
        { "status=-1.5", LabelFilterOp.Less, 0, true },
        { "status=200", LabelFilterOp.NotEqual, 200, false },
        { "status=200", LabelFilterOp.Greater, 200, false },
        { "status=200", LabelFilterOp.LessOrEqual, 200, true },
        { "status=NaN", LabelFilterOp.NotEqual, 1, true },
        { "status=+Inf", LabelFilterOp.Greater, 1e308, true },
    };

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Numeric_filter(string line, LabelFilterOp op, double value, bool expected)
    {
        var err = RunFilter(line, new NumericLabelFilter("status", op, value), out bool kept);
        Assert.Equal(expected, kept);
        Assert.Null(err);
    }

    [Theory]
    [InlineData("status=abc", "strconv.ParseFloat: parsing \"abc\": invalid syntax")]
    [InlineData("status=\" 200\"", "strconv.ParseFloat: parsing \" 200\": invalid syntax")]
    [InlineData("status=1_000", "strconv.ParseFloat: parsing \"1_000\": invalid syntax")]
    [InlineData("status=1e999", "strconv.ParseFloat: parsing \"1e999\": value out of range")]
    public void Non_numeric_value_sets_error_and_keeps_line(string line, string details)
    {
        var r = Run(line, "app=api", LogfmtParser.Default, new NumericLabelFilter("status", LabelFilterOp.Greater, 100));
        Assert.True(r.Kept);
        Assert.Equal(PipelineErrors.LabelFilter, r.Entry.Error);
        Assert.Equal(details, r.Entry.ErrorDetails);
    }

    [Fact]
    public void Missing_label_drops_the_line_for_conversion_filters()
    {
        RunFilter("x=1", new NumericLabelFilter("status", LabelFilterOp.Greater, 100), out bool k1);
        RunFilter("x=1", DurationLabelFilter.Parse("d", LabelFilterOp.Greater, "1s"), out bool k2);
        RunFilter("x=1", BytesLabelFilter.Parse("b", LabelFilterOp.Greater, "1KB"), out bool k3);
        Assert.False(k1 || k2 || k3);
    }

    [Fact]
    public void Existing_error_is_not_overwritten_and_error_filter_can_drop()
    {
        // A JSON error comes first; the numeric filter keeps it and the line passes; __error__="" drops it.
        var r = Run("not json", "", JsonParser.Instance, new LogfmtParser(), new NumericLabelFilter("not", LabelFilterOp.Greater, 1));
        Assert.False(r.Kept); // "not" is a bare key, dropped by logfmt: the label is missing
        var r2 = Run("status=abc", "", JsonParser.Instance, new LogfmtParser(), new NumericLabelFilter("status", LabelFilterOp.Greater, 1));
        Assert.True(r2.Kept);
        Assert.Equal(PipelineErrors.JsonParser, r2.Entry.Error);
        var r3 = Run("status=abc", "", JsonParser.Instance, new StringLabelFilter("__error__", MatchType.Equal, ""));
        Assert.False(r3.Kept);
        var r4 = Run("{\"a\":1}", "", JsonParser.Instance, new StringLabelFilter("__error__", MatchType.Equal, ""));
        Assert.True(r4.Kept);
    }

    public static TheoryData<string, LabelFilterOp, string, bool> DurationCases => new()
    {
        { "d=11s", LabelFilterOp.Greater, "10s", true },
        { "d=1.5ms", LabelFilterOp.Less, "2ms", true },
        { "d=2h45m", LabelFilterOp.Greater, "2h", true },
        { "d=2h45m", LabelFilterOp.Equal, "165m", true },
        { "d=1m30s", LabelFilterOp.Equal, "90s", true },
        { "d=500µs", LabelFilterOp.Less, "1ms", true },
        { "d=500us", LabelFilterOp.Equal, "0.5ms", true },
        { "d=-5s", LabelFilterOp.Less, "0s", true },
        { "d=0", LabelFilterOp.Equal, "0s", true },
    };

    [Theory]
    [MemberData(nameof(DurationCases))]
    public void Duration_filter(string line, LabelFilterOp op, string value, bool expected)
    {
        var err = RunFilter(line, DurationLabelFilter.Parse("d", op, value), out bool kept);
        Assert.Equal(expected, kept);
        Assert.Null(err);
    }

    [Theory]
    [InlineData("d=10", "time: missing unit in duration \"10\"")]
    [InlineData("d=5x", "time: unknown unit \"x\" in duration \"5x\"")]
    [InlineData("d=abc", "time: invalid duration \"abc\"")]
    public void Bad_duration_sets_error(string line, string details)
    {
        var r = Run(line, "", LogfmtParser.Default, DurationLabelFilter.Parse("d", LabelFilterOp.Greater, "1s"));
        Assert.True(r.Kept);
        Assert.Equal(PipelineErrors.LabelFilter, r.Entry.Error);
        Assert.Equal(details, r.Entry.ErrorDetails);
    }

    public static TheoryData<string, LabelFilterOp, string, bool> BytesCases => new()
    {
        { "b=21MB", LabelFilterOp.Greater, "20MB", true },
        { "b=20MB", LabelFilterOp.Equal, "20000000", true },
        { "b=1KiB", LabelFilterOp.Equal, "1024B", true },
        { "b=1KB", LabelFilterOp.Equal, "1000", true },
        { "b=512", LabelFilterOp.Less, "1KiB", true },
        { "b=1.5GiB", LabelFilterOp.Equal, "1536MiB", true },
        { "b=1k", LabelFilterOp.Equal, "1kb", true },
        { "b=\"2 MB\"", LabelFilterOp.Equal, "2MB", true },
        { "b=1,024", LabelFilterOp.Equal, "1024", true },
    };

    [Theory]
    [MemberData(nameof(BytesCases))]
    public void Bytes_filter(string line, LabelFilterOp op, string value, bool expected)
    {
        var err = RunFilter(line, BytesLabelFilter.Parse("b", op, value), out bool kept);
        Assert.Equal(expected, kept);
        Assert.Null(err);
    }

    [Fact]
    public void Bad_bytes_sets_error()
    {
        var r = Run("b=12XB", "", LogfmtParser.Default, BytesLabelFilter.Parse("b", LabelFilterOp.Greater, "1KB"));
        Assert.True(r.Kept);
        Assert.Equal(PipelineErrors.LabelFilter, r.Entry.Error);
        Assert.Equal("unhandled size name: xb", r.Entry.ErrorDetails);
    }

    [Fact]
    public void And_or_trees()
    {
        // Loki docs: | logfmt | duration > 10s and throughput_mb < 500
        var f = LabelFilter.And(DurationLabelFilter.Parse("duration", LabelFilterOp.Greater, "10s"), new NumericLabelFilter("throughput_mb", LabelFilterOp.Less, 500));
        Assert.True(Run("duration=11s throughput_mb=100", "", LogfmtParser.Default, f).Kept);
        Assert.False(Run("duration=9s throughput_mb=100", "", LogfmtParser.Default, f).Kept);
        Assert.False(Run("duration=11s throughput_mb=600", "", LogfmtParser.Default, f).Kept);
        var or = LabelFilter.Or(new StringLabelFilter("level", MatchType.Equal, "error"), new NumericLabelFilter("status", LabelFilterOp.GreaterOrEqual, 500));
        Assert.True(Run("level=error status=200", "", LogfmtParser.Default, or).Kept);
        Assert.True(Run("level=info status=503", "", LogfmtParser.Default, or).Kept);
        Assert.False(Run("level=info status=200", "", LogfmtParser.Default, or).Kept);
        // "and" evaluates both sides, so an error from the right side is recorded even when the left fails.
        var and = LabelFilter.And(new StringLabelFilter("level", MatchType.Equal, "error"), new NumericLabelFilter("status", LabelFilterOp.Greater, 1));
        var entry = new LogLine();
        entry.Reset(Strata.Storage.Labels.LabelSet.Empty, 0, "level=info status=x"u8);
        LogfmtParser.Default.Process(entry);
        Assert.False(and.Process(entry));
        Assert.Equal(PipelineErrors.LabelFilter, entry.Error);
    }

    [Fact]
    public void Ip_label_filter()
    {
        Assert.True(Run("addr=192.168.1.5:443", "", LogfmtParser.Default, new IpLabelFilter("addr", true, "192.168.0.0/16")).Kept);
        Assert.False(Run("addr=10.1.1.1", "", LogfmtParser.Default, new IpLabelFilter("addr", true, "192.168.0.0/16")).Kept);
        Assert.True(Run("addr=10.1.1.1", "", LogfmtParser.Default, new IpLabelFilter("addr", false, "192.168.0.0/16")).Kept);
        Assert.False(Run("x=1", "", LogfmtParser.Default, new IpLabelFilter("addr", true, "192.168.0.0/16")).Kept);
    }
}
