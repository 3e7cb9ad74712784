using System.Text;
using Strata.Ingest.Loki;
using Strata.Storage.Labels;
using Xunit;

namespace Strata.Ingest.Tests.Loki;

public class DetectedLevelTests
{
    // line → detected_level, for a stream and entry without level labels or metadata.
    public static TheoryData<string, string> Lines => new()
    {
        // JSON: first string-valued level field, top level or one object down.
        { """{"level":"error","msg":"Reconciler error","controller":"pod"}""", "error" },
        { """{"ts":"2026-11-22T07:00:00Z","severity":"WARNING","message":"disk almost full"}""", "warn" },
        { """  {"Level":"Information","msg":"x"}  """, "info" },
        { """{"log":{"level":"dbg"},"msg":"nested one deep"}""", "debug" },
        { """{"a":{"b":{"level":"error"}},"msg":"too deep, keywords: none"}""", "unknown" },
        { """{"msg":"the word \"level\":\"error\" escaped","x":1}""", "unknown" },
        { """{"level":3,"msg":"numeric level does not count; info keyword does"}""", "info" },
        { """{"level":"notice","msg":"unknown value falls back to keywords"}""", "unknown" },
        { """{"lvl":"crit","SeverityText":"FATAL"}""", "unknown" }, // document order: lvl comes first, and "crit" is no level
        { """{"items":[{"level":"error"}],"msg":"arrays are not searched"}""", "unknown" },
        // logfmt: case-insensitive keys, earlier names in the list win.
        { "ts=2026-11-22T07:00:00Z level=warn msg=\"slow request\"", "warn" },
        { "severity=error LEVEL=info msg=done", "info" },
        { "time=x Lvl=TRC msg=\"a b\"", "trace" },
        { "level=\"ERR\" msg=x", "error" },
        { "a=b msg=\"no level here, but [ERROR] inside\"", "error" },
        // Keywords, in Loki's order: info first (anywhere), then error/warn/critical forms, then debug.
        { "E1122 07:00:00.000000 1 controller.go:42] [ERROR] failed to sync", "error" },
        { "2026/11/22 07:00:00 [warn] 12#12: upstream timed out", "warn" },
        { "WARNING: deprecated flag", "warn" },
        { "panic: runtime error: index out of range", "unknown" },
        { "CRITICAL: out of memory", "critical" },
        { "DEBUG cache miss", "debug" },
        { "information about an error: [ERROR]", "info" },
        { "err: connection refused", "error" },
        { "", "unknown" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void LevelFromLine(string line, string expected)
    {
        var metadata = DetectedLevel.Attach([], null, Encoding.UTF8.GetBytes(line));
        Assert.Equal([new Label("detected_level", expected)], metadata);
    }

    [Fact]
    public void StreamLabelWinsOverLineAndUnknownValuesAreKept()
    {
        Assert.Equal("warn", DetectedLevel.FromLabels(LabelSet.From(("app", "a"), ("level", "WARNING"))));
        Assert.Equal("notice", DetectedLevel.FromLabels(LabelSet.From(("severity", "notice"))));
        Assert.Null(DetectedLevel.FromLabels(LabelSet.From(("app", "a"))));

        var metadata = DetectedLevel.Attach([], "warn", """{"level":"error"}"""u8);
        Assert.Equal([new Label("detected_level", "warn")], metadata);
        var custom = DetectedLevel.Attach([], "notice", "error: x"u8);
        Assert.Equal([new Label("detected_level", "notice")], custom);
    }

    [Fact]
    public void MetadataLevelFieldIsUsedAndExistingDetectedLevelIsNormalized()
    {
        var fromField = DetectedLevel.Attach([new Label("trace_id", "abc"), new Label("severity", "Err")], null, "info line"u8);
        Assert.Equal([new Label("trace_id", "abc"), new Label("severity", "Err"), new Label("detected_level", "error")], fromField);

        var existing = DetectedLevel.Attach([new Label("detected_level", "WARNING")], null, "error: x"u8);
        Assert.Equal([new Label("detected_level", "warn")], existing);

        var kept = DetectedLevel.Attach([new Label("detected_level", "notice")], null, "error: x"u8);
        Assert.Equal([new Label("detected_level", "notice")], kept);
    }

    [Fact]
    public void EntriesWithoutMetadataShareOneArrayPerLevel()
    {
        var a = DetectedLevel.Attach([], null, "INFO a"u8);
        var b = DetectedLevel.Attach([], null, "info b"u8);
        Assert.Same(a, b);
    }
}
