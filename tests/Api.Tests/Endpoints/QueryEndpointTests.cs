using System.Net;
using System.Text.Json;
using Strata.TestSupport;

namespace Strata.Api.Tests.Endpoints;

/// <summary>Selector queries over HTTP against data written with remote write. Times are seconds.</summary>
public class QueryEndpointTests : IAsyncLifetime
{
    private readonly ServerFixture _f = new();

    public async Task InitializeAsync()
    {
        await _f.InitializeAsync();
        // http_requests_total: a counter every 15 s from 0 to 600 s for two codes; up: two jobs.
        var series = new List<TestSeries>();
        foreach (var code in new[] { "200", "500", "503" })
        {
            series.Add(new TestSeries([("__name__", "http_requests_total"), ("code", code), ("job", "api")],
                [.. Enumerable.Range(0, 41).Select(i => ((long)i * 15_000, (double)i * (code == "200" ? 10 : 1)))]));
        }
        series.Add(new TestSeries([("__name__", "up"), ("instance", "a:9100"), ("job", "node")], [(0, 1), (60_000, 1), (120_000, 0)]));
        series.Add(new TestSeries([("__name__", "up"), ("instance", "b:9090"), ("job", "prometheus")], [(0, 1), (60_000, 1)]));
        var resp = await _f.Write(WriteRequests.V1([.. series]), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
    }

    public Task DisposeAsync() => _f.DisposeAsync();

    private static string Q(string s) => Uri.EscapeDataString(s);

    [Fact]
    public async Task InstantVectorSelector()
    {
        var (status, body) = await _f.GetJson($"/api/v1/query?query={Q("up{job=\"node\"}")}&time=130");
        Assert.Equal(200, status);
        Assert.Equal(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:9100","job":"node"},"value":[130,"0"]}]}}""",
            JsonSerializer.Serialize(body));
    }

    [Fact]
    public async Task LookbackIsFiveMinutesAndLeftOpen()
    {
        // Last sample of up{job="prometheus"} is at 60 s: visible until 360 s exclusive.
        var (_, at359) = await _f.GetJson($"/api/v1/query?query={Q("up{job=\"prometheus\"}")}&time=359.999");
        Assert.Equal(1, at359.GetProperty("data").GetProperty("result").GetArrayLength());
        var (_, at360) = await _f.GetJson($"/api/v1/query?query={Q("up{job=\"prometheus\"}")}&time=360");
        Assert.Equal(0, at360.GetProperty("data").GetProperty("result").GetArrayLength());
    }

    [Fact]
    public async Task RegexMatchersAndRangeSelector()
    {
        var (status, body) = await _f.GetJson($"/api/v1/query?query={Q("http_requests_total{code=~\"5..\"}[1m]")}&time=60");
        Assert.Equal(200, status);
        var data = body.GetProperty("data");
        Assert.Equal("matrix", data.GetProperty("resultType").GetString());
        var result = data.GetProperty("result");
        Assert.Equal(2, result.GetArrayLength());
        Assert.Equal("500", result[0].GetProperty("metric").GetProperty("code").GetString());
        // (0, 60] holds the samples at 15, 30, 45, 60.
        Assert.Equal("[[15,\"1\"],[30,\"2\"],[45,\"3\"],[60,\"4\"]]", JsonSerializer.Serialize(result[0].GetProperty("values")));
    }

    [Theory]
    [InlineData("http_requests_total{code!=\"200\"}", 2)]
    [InlineData("http_requests_total{code!~\"5..\"}", 1)]
    [InlineData("{__name__=~\"http_.*\"}", 3)]
    [InlineData("{__name__=\"up\", job=~\"node|prometheus\"}", 2)]
    [InlineData("up{missing=\"\"}", 2)]
    [InlineData("up{job=\"none\"}", 0)]
    [InlineData("http_requests_total offset 1m", 3)]
    public async Task MatcherKinds(string query, int expected)
    {
        var (status, body) = await _f.GetJson($"/api/v1/query?query={Q(query)}&time=100");
        Assert.Equal(200, status);
        Assert.Equal(expected, body.GetProperty("data").GetProperty("result").GetArrayLength());
    }

    [Fact]
    public async Task RangeQueryOverGetAndPost()
    {
        string url = $"/api/v1/query_range?query={Q("http_requests_total{code=\"500\"}")}&start=0&end=60&step=30";
        var (s1, get) = await _f.GetJson(url);
        var (s2, post) = await _f.PostForm("/api/v1/query_range", ("query", "http_requests_total{code=\"500\"}"), ("start", "0"), ("end", "60"), ("step", "30s"));
        Assert.Equal(200, s1);
        Assert.Equal(200, s2);
        string expected = """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","code":"500","job":"api"},"values":[[0,"0"],[30,"2"],[60,"4"]]}]}}""";
        Assert.Equal(expected, JsonSerializer.Serialize(get));
        Assert.Equal(expected, JsonSerializer.Serialize(post));
    }

    [Fact]
    public async Task RangeQueryUsesOffsetAndAt()
    {
        var (_, body) = await _f.GetJson($"/api/v1/query_range?query={Q("http_requests_total{code=\"500\"} @ 30")}&start=0&end=60&step=30");
        Assert.Equal("[[0,\"2\"],[30,\"2\"],[60,\"2\"]]", JsonSerializer.Serialize(body.GetProperty("data").GetProperty("result")[0].GetProperty("values")));
        (_, body) = await _f.GetJson($"/api/v1/query_range?query={Q("http_requests_total{code=\"500\"} offset 15s")}&start=15&end=45&step=15");
        Assert.Equal("[[15,\"0\"],[30,\"1\"],[45,\"2\"]]", JsonSerializer.Serialize(body.GetProperty("data").GetProperty("result")[0].GetProperty("values")));
    }

    [Fact]
    public async Task ScalarHealthCheck()
    {
        var (status, body) = await _f.PostForm("/api/v1/query", ("query", "1+1"), ("time", "4"));
        Assert.Equal(200, status);
        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[4,"2"]}}""", JsonSerializer.Serialize(body));
    }

    [Fact]
    public async Task LimitTruncatesWithAWarning()
    {
        var (_, body) = await _f.GetJson($"/api/v1/query?query=http_requests_total&time=100&limit=2");
        Assert.Equal(2, body.GetProperty("data").GetProperty("result").GetArrayLength());
        Assert.Equal("results truncated due to limit", body.GetProperty("warnings")[0].GetString());
    }

    [Theory]
    [InlineData("/api/v1/query?query=up{&time=1", "invalid parameter \\\"query\\\"")]
    [InlineData("/api/v1/query?query=up&time=yesterday", "invalid parameter \\\"time\\\": cannot parse \\\"yesterday\\\" to a valid timestamp")]
    [InlineData("/api/v1/query?query=up&limit=-1", "invalid parameter \\\"limit\\\": limit must be non-negative")]
    [InlineData("/api/v1/query_range?query=up&start=10&end=5&step=1", "end timestamp must not be before start time")]
    [InlineData("/api/v1/query_range?query=up&start=0&end=5&step=0", "zero or negative query resolution step widths are not accepted. Try a positive integer")]
    [InlineData("/api/v1/query_range?query=up&start=0&end=100000&step=1", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")]
    [InlineData("/api/v1/query_range?query=up&end=5&step=1", "invalid parameter \\\"start\\\"")]
    [InlineData("/api/v1/query_range?query=up[5m]&start=0&end=5&step=1", "invalid expression type \\\"range vector\\\" for range query, must be Scalar or instant Vector")]
    public async Task BadRequestsGetBadData(string url, string expected)
    {
        var resp = await _f.Client.GetAsync(url.Replace("{", "%7B", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        string text = await resp.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":", text);
        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task UnknownPathIsPlain404()
    {
        var resp = await _f.Client.GetAsync("/api/v1/nope");
        Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
    }
}
