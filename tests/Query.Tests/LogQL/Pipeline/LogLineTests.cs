using System.Text;
using Strata.Query.LogQL.Pipeline;
using Strata.Storage.Labels;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class LogLineTests
{
    private static LogLine Entry(string stream, string line = "x", params Label[] metadata)
    {
        var e = new LogLine();
        e.Reset(Stream(stream), Ts, Encoding.UTF8.GetBytes(line), metadata);
        return e;
    }

    [Fact]
    public void Unchanged_entry_reports_stream_labels()
    {
        var e = Entry("app=api,env=prod");
        Assert.True(e.IsUnchanged);
        Assert.Equal("{app=\"api\", env=\"prod\"}", Format(e.GetLabels()));
        Assert.True(e.TryGetCategory("app", out var c));
        Assert.Equal(LabelCategory.Stream, c);
    }

    [Fact]
    public void Parsed_label_overrides_metadata_and_stream()
    {
        var e = Entry("app=api", "x", new Label("trace", "t1"));
        e.Set(LabelCategory.Parsed, "trace", "t2");
        e.Set(LabelCategory.Parsed, "app", "parsed");
        Assert.Equal("{app=\"parsed\", trace=\"t2\"}", Format(e.GetLabels()));
        var cat = e.GetCategorizedLabels();
        Assert.Empty(cat.Stream);
        Assert.Empty(cat.StructuredMetadata);
        Assert.Equal(2, cat.Parsed.Length);
    }

    [Fact]
    public void Metadata_does_not_override_parsed()
    {
        var e = Entry("app=api");
        e.Set(LabelCategory.Parsed, "k", "parsed");
        e.Set(LabelCategory.StructuredMetadata, "k", "meta");
        Assert.True(e.TryGet("k", out var v));
        Assert.Equal("parsed", v);
    }

    [Fact]
    public void Metadata_colliding_with_stream_label_gets_extracted_suffix()
    {
        var e = Entry("app=api", "x", new Label("app", "meta"), new Label("trace_id", "abc"));
        Assert.Equal("{app=\"api\", app_extracted=\"meta\", trace_id=\"abc\"}", Format(e.GetLabels()));
        var cat = e.GetCategorizedLabels();
        Assert.Equal("{app=\"api\"}", Format(cat.Stream));
        Assert.Equal("{app_extracted=\"meta\", trace_id=\"abc\"}", Format(cat.StructuredMetadata));
        Assert.Empty(cat.Parsed);
    }

    [Fact]
    public void Metadata_error_entries_set_error_fields()
    {
        var e = Entry("app=api", "x", new Label("__error__", "E"), new Label("__error_details__", "D"));
        Assert.Equal("E", e.Error);
        Assert.Equal("{__error__=\"E\", __error_details__=\"D\", app=\"api\"}", Format(e.GetLabels()));
    }

    [Fact]
    public void Metadata_names_are_normalised()
    {
        var e = Entry("app=api", "x", new Label("http.method", "GET"), new Label("1st", "v"));
        Assert.Equal("{app=\"api\", http_method=\"GET\", key_1st=\"v\"}", Format(e.GetLabels()));
    }

    [Fact]
    public void Delete_hides_stream_label_until_set_again()
    {
        var e = Entry("app=api,env=prod");
        e.Delete("env");
        Assert.False(e.Has("env"));
        Assert.Equal("{app=\"api\"}", Format(e.GetLabels()));
        e.Set(LabelCategory.Parsed, "env", "dev");
        Assert.Equal("{app=\"api\", env=\"dev\"}", Format(e.GetLabels()));
    }

    [Fact]
    public void Byte_values_are_materialised_on_demand_and_kept_in_order()
    {
        var e = Entry("");
        e.Set(LabelCategory.Parsed, "b", "bee"u8);
        e.Set(LabelCategory.Parsed, "a", "ay"u8);
        e.Set(LabelCategory.Parsed, "empty", ""u8);
        Assert.True(e.TryGetValue("b", out var v));
        Assert.Null(v.String);
        Assert.True(v.Utf8.SequenceEqual("bee"u8));
        Assert.Equal("{a=\"ay\", b=\"bee\", empty=\"\"}", Format(e.GetLabels()));
    }

    [Fact]
    public void Error_fields_are_reported_last_in_sort_order_with_details()
    {
        var e = Entry("app=api");
        e.SetError("JSONParserErr");
        e.SetErrorDetails("boom");
        Assert.False(e.IsUnchanged);
        Assert.Equal("{__error__=\"JSONParserErr\", __error_details__=\"boom\", app=\"api\"}", Format(e.GetLabels()));
        Assert.Equal(2, e.GetCategorizedLabels().Parsed.Length);
    }

    [Fact]
    public void Reset_clears_previous_entry()
    {
        var e = Entry("app=api");
        e.Set(LabelCategory.Parsed, "x", "1"u8);
        e.SetError("E");
        e.SetLine("changed");
        e.Reset(Stream("app=web"), 5, "new"u8);
        Assert.True(e.IsUnchanged);
        Assert.Equal("new", e.LineString);
        Assert.Equal(5, e.Timestamp);
        Assert.Equal("{app=\"web\"}", Format(e.GetLabels()));
    }

    [Theory]
    [InlineData("a.b", "a_b")]
    [InlineData("  a b ", "a_b")]
    [InlineData("1abc", "_1abc")]
    [InlineData("héllo", "h_llo")]
    [InlineData("a-b/c", "a_b_c")]
    [InlineData("", "")]
    public void Sanitize_follows_loki(string key, string expected) => Assert.Equal(expected, LabelNames.Sanitize(key));
}
