using System.Net;
using System.Text.Json;
using Strata.TestSupport;

namespace Strata.Api.Tests.Endpoints;

public class MetadataEndpointTests : IAsyncLifetime
{
    private readonly ServerFixture _f = new();

    public async Task InitializeAsync()
    {
        await _f.InitializeAsync();
        var resp = await _f.Write(WriteRequests.V1(
            new TestSeries([("__name__", "up"), ("instance", "a"), ("job", "node")], [(1_000, 1)]),
            new TestSeries([("__name__", "up"), ("instance", "b"), ("job", "api")], [(500_000, 1)]),
            new TestSeries([("__name__", "node_cpu_seconds_total"), ("cpu", "0"), ("job", "node"), ("mode", "idle")], [(1_000, 5)]),
            new TestSeries([("__name__", "http.requests"), ("http.status_code", "200")], [(1_000, 1)])), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
    }

    public Task DisposeAsync() => _f.DisposeAsync();

    private static string Q(string s) => Uri.EscapeDataString(s);

    private async Task<string> Data(string url)
    {
        var (status, body) = await _f.GetJson(url);
        Assert.Equal(200, status);
        return JsonSerializer.Serialize(body.GetProperty("data"));
    }

    [Fact]
    public async Task SeriesHonoursMatchAndTime()
    {
        Assert.Equal("""[{"__name__":"node_cpu_seconds_total","cpu":"0","job":"node","mode":"idle"},{"__name__":"up","instance":"a","job":"node"}]""",
            await Data($"/api/v1/series?match[]={Q("{job=\"node\"}")}"));
        Assert.Equal("""[{"__name__":"up","instance":"b","job":"api"}]""",
            await Data($"/api/v1/series?match[]=up&start=100&end=600"));
        // Several match[] are OR-ed and de-duplicated.
        Assert.Equal(3, JsonDocument.Parse(await Data($"/api/v1/series?match[]=up&match[]={Q("{job=\"node\"}")}")).RootElement.GetArrayLength());
        var (_, post) = await _f.PostForm("/api/v1/series", ("match[]", "up"), ("match[]", "node_cpu_seconds_total"));
        Assert.Equal(3, post.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task LabelsAndValues()
    {
        Assert.Equal("""["__name__","cpu","http.status_code","instance","job","mode"]""", await Data("/api/v1/labels"));
        Assert.Equal("""["__name__","cpu","job","mode"]""", await Data($"/api/v1/labels?match[]=node_cpu_seconds_total"));
        Assert.Equal("""["http.requests","node_cpu_seconds_total","up"]""", await Data("/api/v1/label/__name__/values"));
        Assert.Equal("""["a"]""", await Data($"/api/v1/label/instance/values?match[]={Q("up{job=\"node\"}")}"));
        Assert.Equal("""["b"]""", await Data("/api/v1/label/instance/values?start=100&end=600"));
        Assert.Equal("""["200"]""", await Data("/api/v1/label/U__http_2e_status__code/values"));
        Assert.Equal("[]", await Data("/api/v1/label/nothing/values"));
    }

    [Fact]
    public async Task LimitTruncatesWithWarning()
    {
        var (_, body) = await _f.GetJson("/api/v1/label/__name__/values?limit=2");
        Assert.Equal("""["http.requests","node_cpu_seconds_total"]""", JsonSerializer.Serialize(body.GetProperty("data")));
        Assert.Equal("results truncated due to limit", body.GetProperty("warnings")[0].GetString());
    }

    [Theory]
    [InlineData("/api/v1/series", "no match[] parameter provided")]
    [InlineData("/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D", "match[] must contain at least one non-empty matcher")]
    [InlineData("/api/v1/series?match[]=up%7B", "parse error")]
    [InlineData("/api/v1/labels?start=x", "invalid parameter \\\"start\\\"")]
    [InlineData("/api/v1/labels?limit=abc", "invalid parameter \\\"limit\\\"")]
    [InlineData("/api/v1/label/U__bad_zz_/values", "invalid label name")]
    public async Task BadInput(string url, string expected)
    {
        var resp = await _f.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Contains(expected, await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GrafanaMatchEverythingSelectorWorks()
    {
        var (status, body) = await _f.GetJson($"/api/v1/series?match[]={Q("{__name__!=\"\"}")}&limit=40000");
        Assert.Equal(200, status);
        Assert.Equal(4, body.GetProperty("data").GetArrayLength());
    }
}
