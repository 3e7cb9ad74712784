using System.Text;
using LineFilterOp = Strata.Query.LogQL.LineFilterOp;
using Strata.Query.LogQL.Pipeline;
using Strata.Storage.Labels;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class PipelineTests
{
    [Fact]
    public void Leading_line_filters_run_before_the_entry_is_touched()
    {
        var p = new Strata.Query.LogQL.Pipeline.Pipeline([LineFilter.Create(LineFilterOp.Contains, "error"), LogfmtParser.Default]);
        var entry = new LogLine();
        entry.Reset(Stream("app=old"), 1, "previous"u8);
        Assert.False(p.Process(entry, Stream("app=new"), 2, "level=info"u8));
        // A rejected line never resets the entry.
        Assert.Equal("previous", entry.LineString);
        Assert.True(p.Process(entry, Stream("app=new"), 2, "level=error"u8));
        Assert.Equal("{app=\"new\", level=\"error\"}", Format(entry.GetLabels()));
        Assert.False(p.IsFilterOnly);
        Assert.True(p.MatchesLineFilters("an error"u8));
    }

    [Fact]
    public void Filter_only_pipeline_keeps_labels_unchanged()
    {
        var p = new Strata.Query.LogQL.Pipeline.Pipeline([LineFilter.Create(LineFilterOp.Regex, "(?i)error|panic"), LineFilter.Create(LineFilterOp.NotContains, "healthz")]);
        Assert.True(p.IsFilterOnly);
        var entry = new LogLine();
        Assert.True(p.Process(entry, Stream("app=a"), 0, "PANIC: x"u8));
        Assert.True(entry.IsUnchanged);
        Assert.False(p.Process(entry, Stream("app=a"), 0, "error in /healthz"u8));
        Assert.False(p.Process(entry, Stream("app=a"), 0, "ok"u8));
        Assert.True(Strata.Query.LogQL.Pipeline.Pipeline.Empty.IsEmpty);
    }

    [Fact]
    public void Full_pipeline_end_to_end()
    {
        // {app="api"} |= "status" | json | status >= 500 | line_format "{{.method}} {{.path}} {{.status}}" | label_format svc=app
        var stages = new Stage[]
        {
            LineFilter.Create(LineFilterOp.Contains, "status"),
            JsonParser.Instance,
            new NumericLabelFilter("status", LabelFilterOp.GreaterOrEqual, 500),
            new LineFormat("{{.method}} {{.path}} {{.status}}"),
            new LabelFormat([LabelFormatSpec.Rename("svc", "app")]),
        };
        var r = Run("{\"method\":\"GET\",\"path\":\"/x\",\"status\":503}", "app=api", stages);
        Assert.True(r.Kept);
        Assert.Equal("GET /x 503", r.Line);
        Assert.Equal("{method=\"GET\", path=\"/x\", status=\"503\", svc=\"api\"}", r.Labels);
        var cat = r.Entry.GetCategorizedLabels();
        Assert.Empty(cat.Stream);
        Assert.Equal(4, cat.Parsed.Length);
        Assert.False(Run("{\"method\":\"GET\",\"status\":200}", "app=api", stages).Kept);
        Assert.False(Run("{\"method\":\"GET\"}", "app=api", stages).Kept);
    }

    [Fact]
    public void Line_filter_after_line_format_sees_new_line()
    {
        var r = Run("level=error msg=boom", "", LogfmtParser.Default, new LineFormat("{{.msg}}"), LineFilter.Create(LineFilterOp.Regex, "^boom$"));
        Assert.True(r.Kept);
        Assert.Equal("boom", r.Line);
    }

    [Fact]
    public void Parser_chain_unpack_then_logfmt_with_structured_metadata()
    {
        var meta = new[] { new Label("trace_id", "t-1") };
        var r = Run("{\"_entry\":\"level=warn msg=\\\"disk full\\\"\",\"pod\":\"p1\"}", Stream("app=api"), meta,
            UnpackParser.Instance, LogfmtParser.Default, new StringLabelFilter("level", MatchType.Equal, "warn"));
        Assert.True(r.Kept);
        Assert.Equal("level=warn msg=\"disk full\"", r.Line);
        Assert.Equal("{app=\"api\", level=\"warn\", msg=\"disk full\", pod=\"p1\", trace_id=\"t-1\"}", r.Labels);
        var cat = r.Entry.GetCategorizedLabels();
        Assert.Equal("{app=\"api\"}", Format(cat.Stream));
        Assert.Equal("{trace_id=\"t-1\"}", Format(cat.StructuredMetadata));
        Assert.Equal("{level=\"warn\", msg=\"disk full\", pod=\"p1\"}", Format(cat.Parsed));
    }

    [Fact]
    public void Entry_is_reusable_across_many_lines()
    {
        var p = new Strata.Query.LogQL.Pipeline.Pipeline([JsonParser.Instance, new StringLabelFilter("level", MatchType.Equal, "error")]);
        var entry = new LogLine();
        int kept = 0;
        for (int i = 0; i < 1000; i++)
        {
            var line = Encoding.UTF8.GetBytes($"{{\"level\":\"{(i % 10 == 0 ? "error" : "info")}\",\"i\":{i},\"msg\":\"{new string('x', i % 50)}\"}}");
            if (p.Process(entry, LabelSet.From(("app", "a")), i, line))
            {
                kept++;
                Assert.True(entry.TryGet("i", out var v));
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), v);
            }
        }
        Assert.Equal(100, kept);
    }
}
