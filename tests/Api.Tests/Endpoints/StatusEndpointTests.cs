using System.Net;
using System.Text.Json;

namespace Strata.Api.Tests.Endpoints;

public class StatusEndpointTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _f;

    public StatusEndpointTests(ServerFixture f) => _f = f;

    [Theory]
    [InlineData("/-/healthy")]
    [InlineData("/-/ready")]
    public async Task ProbesAnswer200(string path)
    {
        var resp = await _f.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
    }

    [Fact]
    public async Task BuildInfoLooksLikeModernPrometheus()
    {
        var (status, body) = await _f.GetJson("/api/v1/status/buildinfo");
        Assert.Equal(200, status);
        var data = body.GetProperty("data");
        var version = Version.Parse(data.GetProperty("version").GetString()!);
        Assert.True(version >= new Version(3, 0, 0));
        foreach (var key in new[] { "revision", "branch", "buildUser", "buildDate", "goVersion" })
            Assert.Equal(JsonValueKind.String, data.GetProperty(key).ValueKind);
        Assert.False(data.TryGetProperty("features", out _));
    }

    [Fact]
    public async Task MetricsExposeIngestAndRequestDurations()
    {
        await _f.Client.GetAsync("/-/healthy");
        var text = await _f.Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE strata_ingest_samples_total counter", text);
        Assert.Contains("strata_ingest_rejected_samples_total{reason=\"out_of_order\"}", text);
        Assert.Contains("strata_head_series ", text);
        Assert.Contains("strata_http_request_duration_seconds_bucket{handler=\"/-/healthy\",le=\"+Inf\"}", text);
        Assert.Contains("process_resident_memory_bytes", text);
    }

    [Fact]
    public async Task OptionsIsAnsweredForCors()
    {
        var resp = await _f.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/v1/query"));
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
    }
}

public class CompressionTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _f;

    public CompressionTests(ServerFixture f) => _f = f;

    [Fact]
    public async Task JsonIsGzippedWhenAsked()
    {
        var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status/buildinfo");
        req.Headers.AcceptEncoding.ParseAdd("gzip");
        var resp = await _f.Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Contains("gzip", resp.Content.Headers.ContentEncoding);
        await using var gz = new System.IO.Compression.GZipStream(await resp.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        Assert.Contains("\"status\":\"success\"", await reader.ReadToEndAsync());
    }
}
