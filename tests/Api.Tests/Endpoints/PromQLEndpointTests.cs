using System.Net;
using System.Text.Json;
using Strata.TestSupport;

namespace Strata.Api.Tests.Endpoints;

/// <summary>
/// PromQL evaluation through the HTTP API as a dashboard sees it: functions, aggregations,
/// annotations in the envelope, stats, errors with Prometheus's types, and the format/parse
/// helpers. Data is written with remote write; times are seconds.
/// </summary>
public class PromQLEndpointTests : IAsyncLifetime
{
    private readonly ServerFixture _f = new();

    public async Task InitializeAsync()
    {
        await _f.InitializeAsync();
        // http_requests_total: counters every 15 s from 0 to 600 s (code 200 grows by 10, others by 1).
        var series = new List<TestSeries>();
        foreach (var code in new[] { "200", "500", "503" })
        {
            series.Add(new TestSeries([("__name__", "http_requests_total"), ("code", code), ("job", "api")],
                [.. Enumerable.Range(0, 41).Select(i => ((long)i * 15_000, (double)i * (code == "200" ? 10 : 1)))]));
        }
        series.Add(new TestSeries([("__name__", "temperature"), ("room", "a")], [(0, 20.5), (60_000, 21.5)]));
        series.Add(new TestSeries([("__name__", "temperature"), ("room", "b")], [(0, 18), (60_000, 19)]));
        series.Add(new TestSeries([("__name__", "room_info"), ("floor", "1"), ("room", "a")], [(0, 1), (60_000, 1)]));
        series.Add(new TestSeries([("__name__", "room_info"), ("floor", "2"), ("room", "b")], [(0, 1), (60_000, 1)]));
        var resp = await _f.Write(WriteRequests.V1([.. series]), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
    }

    public Task DisposeAsync() => _f.DisposeAsync();

    private static string Q(string s) => Uri.EscapeDataString(s);

    [Theory]
    // (240 s, 300 s] holds 4 samples 45 s apart; extrapolation to the window edges gives 40 over 60 s.
    [InlineData("sum by (code) (rate(http_requests_total{code=\"200\"}[1m]))", 300, """[{"metric":{"code":"200"},"value":[300,"0.6666666666666666"]}]""")]
    [InlineData("sum(increase(http_requests_total[1m]))", 300, """[{"metric":{},"value":[300,"48"]}]""")]
    [InlineData("topk(1, temperature)", 60, """[{"metric":{"__name__":"temperature","room":"a"},"value":[60,"21.5"]}]""")]
    [InlineData("temperature * on (room) group_left (floor) room_info", 60,
        """[{"metric":{"floor":"1","room":"a"},"value":[60,"21.5"]},{"metric":{"floor":"2","room":"b"},"value":[60,"19"]}]""")]
    [InlineData("label_replace(temperature{room=\"a\"}, \"where\", \"room-$1\", \"room\", \"(.*)\")", 60,
        """[{"metric":{"__name__":"temperature","room":"a","where":"room-a"},"value":[60,"21.5"]}]""")]
    [InlineData("max_over_time(temperature{room=\"b\"}[5m])", 120, """[{"metric":{"room":"b"},"value":[120,"19"]}]""")]
    [InlineData("count_values(\"t\", temperature)", 60,
        """[{"metric":{"t":"21.5"},"value":[60,"1"]},{"metric":{"t":"19"},"value":[60,"1"]}]""")]
    [InlineData("temperature > 20", 60, """[{"metric":{"__name__":"temperature","room":"a"},"value":[60,"21.5"]}]""")]
    [InlineData("scalar(sum(temperature)) * 2", 60, """[60,"81"]""")]
    public async Task InstantQueries(string query, double time, string expectedResult)
    {
        var (status, body) = await _f.GetJson($"/api/v1/query?query={Q(query)}&time={time}");
        Assert.Equal(200, status);
        Assert.Equal(expectedResult, JsonSerializer.Serialize(body.GetProperty("data").GetProperty("result")));
    }

    [Fact]
    public async Task RangeQueryEvaluatesEveryStep()
    {
        var (status, body) = await _f.PostForm("/api/v1/query_range",
            ("query", "sum by (job) (rate(http_requests_total[1m]))"), ("start", "120"), ("end", "240"), ("step", "60"));
        Assert.Equal(200, status);
        Assert.Equal("""[{"metric":{"job":"api"},"values":[[120,"0.7999999999999999"],[180,"0.7999999999999999"],[240,"0.7999999999999999"]]}]""",
            JsonSerializer.Serialize(body.GetProperty("data").GetProperty("result")));
    }

    [Fact]
    public async Task AnnotationsComeBackAsInfosAndWarnings()
    {
        var (_, rate) = await _f.GetJson($"/api/v1/query?query={Q("rate(temperature[5m])")}&time=60");
        Assert.Equal("""["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \u0022temperature\u0022 (1:6)"]""",
            JsonSerializer.Serialize(rate.GetProperty("infos")));
        Assert.False(rate.TryGetProperty("warnings", out _));

        var (_, quantile) = await _f.GetJson($"/api/v1/query?query={Q("quantile(2, temperature)")}&time=60");
        Assert.Equal("""["PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)"]""",
            JsonSerializer.Serialize(quantile.GetProperty("warnings")));
        Assert.Equal("+Inf", quantile.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task StatsAreReportedWhenAsked()
    {
        var (_, plain) = await _f.GetJson($"/api/v1/query?query={Q("temperature")}&time=60");
        Assert.False(plain.GetProperty("data").TryGetProperty("stats", out _));
        var (_, withStats) = await _f.GetJson($"/api/v1/query?query={Q("temperature[5m]")}&time=60&stats=all");
        var stats = withStats.GetProperty("data").GetProperty("stats");
        Assert.Equal(4, stats.GetProperty("samples").GetProperty("totalQueryableSamples").GetInt64());
        Assert.True(stats.GetProperty("timings").GetProperty("evalTotalTime").GetDouble() >= 0);
    }

    [Fact]
    public async Task LookbackDeltaParameterOverridesTheDefault()
    {
        var (_, normal) = await _f.GetJson($"/api/v1/query?query={Q("temperature")}&time=100");
        Assert.Equal(2, normal.GetProperty("data").GetProperty("result").GetArrayLength());
        var (_, shortLookback) = await _f.GetJson($"/api/v1/query?query={Q("temperature")}&time=100&lookback_delta=30s");
        Assert.Equal(0, shortLookback.GetProperty("data").GetProperty("result").GetArrayLength());
    }

    [Theory]
    [InlineData("up + on() group_left sum(up)", 200)] // no data: nothing to match, success
    [InlineData("temperature + on() room_info", 422)]
    [InlineData("label_replace(temperature, \"x\", \"$1\", \"room\", \"(\")", 422)]
    [InlineData("sum(rate(temperature[5m])) by (", 400)]
    public async Task ErrorsCarryPrometheusTypes(string query, int status)
    {
        var (code, body) = await _f.GetJson($"/api/v1/query?query={Q(query)}&time=60");
        Assert.Equal(status, code);
        if (status == 200) return;
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.Equal(status == 400 ? "bad_data" : "execution", body.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task ManyToManyErrorNamesBothSeries()
    {
        var (_, body) = await _f.GetJson($"/api/v1/query?query={Q("temperature + on() room_info")}&time=60");
        Assert.Equal(
            "found duplicate series for the match group {} on the right hand-side of the operation: [{__name__=\"room_info\", floor=\"1\", room=\"a\"}, {__name__=\"room_info\", floor=\"2\", room=\"b\"}];many-to-many matching not allowed: matching labels must be unique on one side",
            body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task FormatQueryPrettyPrints()
    {
        var (status, body) = await _f.GetJson($"/api/v1/format_query?query={Q("sum(rate(x[5m]))by(job)")}");
        Assert.Equal(200, status);
        Assert.Equal("""{"status":"success","data":"sum by (job) (rate(x[5m]))"}""", JsonSerializer.Serialize(body));
        var (bad, error) = await _f.GetJson($"/api/v1/format_query?query={Q("sum(")}");
        Assert.Equal(400, bad);
        Assert.StartsWith("invalid parameter \"query\": 1:5: parse error", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseQueryReturnsTheSyntaxTree()
    {
        var (status, body) = await _f.PostForm("/api/v1/parse_query", ("query", "rate(x{job=\"a\"}[5m] offset 1m) > 2"));
        Assert.Equal(200, status);
        Assert.Equal(
            """{"bool":false,"lhs":{"args":[{"matchers":[{"name":"job","type":"=","value":"a"},{"name":"__name__","type":"=","value":"x"}],"name":"x","offset":60000,"range":300000,"startOrEnd":null,"timestamp":null,"type":"matrixSelector"}],"func":{"argTypes":["matrix"],"name":"rate","returnType":"vector","variadic":0},"type":"call"},"matching":null,"op":"\u003E","rhs":{"type":"numberLiteral","val":"2"},"type":"binaryExpr"}""",
            JsonSerializer.Serialize(body.GetProperty("data")));
    }

    [Fact]
    public async Task TooManySamplesIsAnExecutionError()
    {
        var small = await ServerFixture.StartAsync("--query.max-samples=3");
        try
        {
            await TooManySamples(small);
        }
        finally
        {
            await small.DisposeAsync();
        }
    }

    private static async Task TooManySamples(ServerFixture small)
    {
        var series = new TestSeries([("__name__", "m"), ("a", "1")], [(0, 1), (15_000, 2), (30_000, 3), (45_000, 4)]);
        var resp = await small.Write(WriteRequests.V1(series), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
        var (status, body) = await small.GetJson($"/api/v1/query?query={Q("sum_over_time(m[1m])")}&time=45");
        Assert.Equal(422, status);
        Assert.Equal("query processing would load too many samples into memory in query execution", body.GetProperty("error").GetString());
    }
}
