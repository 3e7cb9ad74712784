using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Strata.TestSupport.Logproto;

namespace Strata.Api.Tests.Endpoints;

/// <summary>
/// The Loki API over HTTP: pushes in every encoding read back line for line through
/// <c>query_range</c> (both directions, limits, time bounds, LogQL stages), the label browser
/// endpoints, and malformed pushes that get a plain-text 400 while the service keeps serving.
/// </summary>
public class LokiEndpointTests : IAsyncLifetime
{
    // Level discovery off: the tables pin pipeline output, and detected_level would be one more label
    // on every stream. DetectedLevelIsAddedAtPushAndShownAsStructuredMetadata covers it.
    private readonly ServerFixture _f = new() { Args = ["--logs.discover-log-levels=false"] };

    // Entries sit in the last hour (the default window) at whole milliseconds before now.
    private static readonly long Base = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 30 * 60_000) * 1_000_000;

    private static long T(int i) => Base + i * 1_000_000_000L;

    public async Task InitializeAsync()
    {
        await _f.InitializeAsync();
        var req = new PushRequest();
        req.Streams.Add(Stream("{app=\"api\", namespace=\"ns-1\", pod=\"api-0\"}",
            (T(0), "level=info msg=\"started\" duration=12ms"),
            (T(2), "level=error msg=\"request failed\" status=500 duration=1.5s"),
            (T(4), "level=info msg=\"request done\" status=200 duration=250ms"),
            (T(6), "PANIC: nil pointer dereference")));
        req.Streams.Add(Stream("{app=\"web\", namespace=\"ns-1\", pod=\"web-0\"}",
            (T(1), "{\"level\":\"info\",\"msg\":\"GET /\",\"status\":200,\"req\":{\"id\":\"r1\"}}"),
            (T(3), "{\"level\":\"error\",\"msg\":\"GET /x\",\"status\":502,\"req\":{\"id\":\"r2\"}}"),
            (T(5), "10.0.0.7 - - \"GET /healthz HTTP/1.1\" 200 17")));
        var resp = await Push(IronSnappy.Snappy.Encode(req.ToByteArray()), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
    }

    public Task DisposeAsync() => _f.DisposeAsync();

    private static StreamAdapter Stream(string labels, params (long Ns, string Line)[] entries)
    {
        var s = new StreamAdapter { Labels = labels };
        foreach (var (ns, line) in entries)
        {
            s.Entries.Add(new EntryAdapter
            {
                Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = ns / 1_000_000_000, Nanos = (int)(ns % 1_000_000_000) },
                Line = line,
            });
        }
        return s;
    }

    private Task<HttpResponseMessage> Push(byte[] body, string contentType, string? encoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding != null) content.Headers.ContentEncoding.Add(encoding);
        return _f.Client.PostAsync("/loki/api/v1/push", content);
    }

    private static string Q(string s) => Uri.EscapeDataString(s);

    private async Task<(int Status, string Body)> Get(string url, params (string Name, string Value)[] headers)
    {
        using var msg = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (n, v) in headers) msg.Headers.Add(n, v);
        using var resp = await _f.Client.SendAsync(msg);
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    /// <summary>Runs a log query over the test window and renders the answer as "labels: line | line" per stream.</summary>
    private async Task<string> Lines(string query, string direction = "backward", int limit = 100, int from = 0, int to = 10)
    {
        var (status, body) = await Get($"/loki/api/v1/query_range?query={Q(query)}&start={T(from)}&end={T(to)}&limit={limit}&direction={direction}");
        Assert.True(status == 200, body);
        var data = JsonDocument.Parse(body).RootElement.GetProperty("data");
        Assert.Equal("streams", data.GetProperty("resultType").GetString());
        Assert.True(data.TryGetProperty("stats", out _));
        var parts = new List<string>();
        foreach (var stream in data.GetProperty("result").EnumerateArray())
        {
            string labels = string.Join(",", stream.GetProperty("stream").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
            var lines = stream.GetProperty("values").EnumerateArray().Select(v => v[1].GetString());
            parts.Add(labels + ": " + string.Join(" | ", lines));
        }
        return string.Join("\n", parts);
    }

    [Theory]
    [InlineData("{app=\"api\"}", "backward", 100, "app=api,namespace=ns-1,pod=api-0,service_name=api: PANIC: nil pointer dereference | level=info msg=\"request done\" status=200 duration=250ms | level=error msg=\"request failed\" status=500 duration=1.5s | level=info msg=\"started\" duration=12ms")]
    [InlineData("{app=\"api\"}", "forward", 2, "app=api,namespace=ns-1,pod=api-0,service_name=api: level=info msg=\"started\" duration=12ms | level=error msg=\"request failed\" status=500 duration=1.5s")]
    [InlineData("{namespace=\"ns-1\"}", "backward", 2, "app=api,namespace=ns-1,pod=api-0,service_name=api: PANIC: nil pointer dereference\napp=web,namespace=ns-1,pod=web-0,service_name=web: 10.0.0.7 - - \"GET /healthz HTTP/1.1\" 200 17")]
    [InlineData("{app=\"nope\"}", "backward", 100, "")]
    [InlineData("{namespace=\"ns-1\"} |= \"GET\"", "forward", 100, "app=web,namespace=ns-1,pod=web-0,service_name=web: {\"level\":\"info\",\"msg\":\"GET /\",\"status\":200,\"req\":{\"id\":\"r1\"}} | {\"level\":\"error\",\"msg\":\"GET /x\",\"status\":502,\"req\":{\"id\":\"r2\"}} | 10.0.0.7 - - \"GET /healthz HTTP/1.1\" 200 17")]
    [InlineData("{namespace=\"ns-1\"} |~ \"(?i)error|panic\"", "forward", 100, "app=api,namespace=ns-1,pod=api-0,service_name=api: level=error msg=\"request failed\" status=500 duration=1.5s | PANIC: nil pointer dereference\napp=web,namespace=ns-1,pod=web-0,service_name=web: {\"level\":\"error\",\"msg\":\"GET /x\",\"status\":502,\"req\":{\"id\":\"r2\"}}")]
    [InlineData("{app=\"api\"} != \"level=info\" != \"PANIC\"", "forward", 100, "app=api,namespace=ns-1,pod=api-0,service_name=api: level=error msg=\"request failed\" status=500 duration=1.5s")]
    [InlineData("{app=\"web\"} | json | status >= 500", "forward", 100, "app=web,level=error,msg=GET /x,namespace=ns-1,pod=web-0,req_id=r2,service_name=web,status=502: {\"level\":\"error\",\"msg\":\"GET /x\",\"status\":502,\"req\":{\"id\":\"r2\"}}")]
    [InlineData("{app=\"api\"} | logfmt | duration > 100ms", "forward", 100, "app=api,duration=1.5s,level=error,msg=request failed,namespace=ns-1,pod=api-0,service_name=api,status=500: level=error msg=\"request failed\" status=500 duration=1.5s\napp=api,duration=250ms,level=info,msg=request done,namespace=ns-1,pod=api-0,service_name=api,status=200: level=info msg=\"request done\" status=200 duration=250ms")]
    [InlineData("{app=\"web\"} |= \"healthz\" | pattern \"<ip> - - \\\"<method> <path> <_>\\\" <code> <_>\"", "forward", 1, "app=web,code=200,ip=10.0.0.7,method=GET,namespace=ns-1,path=/healthz,pod=web-0,service_name=web: 10.0.0.7 - - \"GET /healthz HTTP/1.1\" 200 17")]
    [InlineData("{app=\"api\"} | regexp \"status=(?P<code>\\\\d+)\" | code=\"200\"", "forward", 100, "app=api,code=200,namespace=ns-1,pod=api-0,service_name=api: level=info msg=\"request done\" status=200 duration=250ms")]
    [InlineData("{app=\"web\"} | json | line_format \"{{.level | ToUpper}} {{.req_id}}\" | drop req_id, msg", "forward", 2, "app=web,level=info,namespace=ns-1,pod=web-0,service_name=web,status=200: INFO r1\napp=web,level=error,namespace=ns-1,pod=web-0,service_name=web,status=502: ERROR r2")]
    [InlineData("{app=\"web\"} | json | keep app, level=\"error\"", "forward", 2, "app=web: {\"level\":\"info\",\"msg\":\"GET /\",\"status\":200,\"req\":{\"id\":\"r1\"}}\napp=web,level=error: {\"level\":\"error\",\"msg\":\"GET /x\",\"status\":502,\"req\":{\"id\":\"r2\"}}")]
    [InlineData("{app=\"api\"} |= \"PANIC\" | label_format who=\"{{.pod}}/{{.app}}\", where=namespace", "forward", 1, "app=api,pod=api-0,service_name=api,where=ns-1,who=api-0/api: PANIC: nil pointer dereference")]
    [InlineData("{app=\"web\"} | json | __error__=\"\" | level=\"error\" or status < 300", "forward", 100, "app=web,level=info,msg=GET /,namespace=ns-1,pod=web-0,req_id=r1,service_name=web,status=200: {\"level\":\"info\",\"msg\":\"GET /\",\"status\":200,\"req\":{\"id\":\"r1\"}}\napp=web,level=error,msg=GET /x,namespace=ns-1,pod=web-0,req_id=r2,service_name=web,status=502: {\"level\":\"error\",\"msg\":\"GET /x\",\"status\":502,\"req\":{\"id\":\"r2\"}}")]
    [InlineData("{app=\"web\"} | json", "backward", 1, "__error__=JSONParserErr,__error_details__=Value looks like object, but can't find closing '}' symbol,app=web,namespace=ns-1,pod=web-0,service_name=web: 10.0.0.7 - - \"GET /healthz HTTP/1.1\" 200 17")]
    public async Task LogQueries(string query, string direction, int limit, string expected) =>
        Assert.Equal(expected, await Lines(query, direction, limit));

    [Fact]
    public async Task TimeBoundsAreStartInclusiveEndExclusive() =>
        Assert.Equal("app=api,namespace=ns-1,pod=api-0,service_name=api: level=error msg=\"request failed\" status=500 duration=1.5s | level=info msg=\"request done\" status=200 duration=250ms",
            await Lines("{app=\"api\"}", "forward", 100, from: 2, to: 6));

    [Fact]
    public async Task JsonAndGzipPushesWithStructuredMetadata()
    {
        string json = $$"""{"streams":[{"stream":{"app":"json-push","namespace":"ns-2"},"values":[["{{T(7)}}","first json line"],["{{T(8)}}","second json line",{"trace_id":"abc"}]]}]}""";
        var plain = await Push(Encoding.UTF8.GetBytes(json), "application/json");
        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        string json2 = $$"""{"streams":[{"stream":{"app":"gzip-push"},"values":[["{{T(9)}}","zipped line"]]}]}""";
        using var ms = new MemoryStream();
        await using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) await gz.WriteAsync(Encoding.UTF8.GetBytes(json2));
        var zipped = await Push(ms.ToArray(), "application/json", "gzip");
        Assert.Equal(HttpStatusCode.NoContent, zipped.StatusCode);

        Assert.Equal("app=json-push,namespace=ns-2,service_name=json-push: first json line\napp=json-push,namespace=ns-2,service_name=json-push,trace_id=abc: second json line",
            await Lines("{app=\"json-push\"}", "forward"));
        Assert.Equal("app=gzip-push,service_name=gzip-push: zipped line", await Lines("{app=\"gzip-push\"}"));

        // categorize-labels: stream labels only as the key, metadata travels with the entry.
        var (status, body) = await Get($"/loki/api/v1/query_range?query={Q("{app=\"json-push\"}")}&start={T(0)}&end={T(10)}&direction=forward",
            ("X-Loki-Response-Encoding-Flags", "categorize-labels"));
        Assert.Equal(200, status);
        var data = JsonDocument.Parse(body).RootElement.GetProperty("data");
        Assert.Equal("""["categorize-labels"]""", data.GetProperty("encodingFlags").GetRawText());
        var result = data.GetProperty("result");
        Assert.Equal(1, result.GetArrayLength());
        Assert.Equal($$$"""[["{{{T(7)}}}","first json line",{}],["{{{T(8)}}}","second json line",{"structuredMetadata":{"trace_id":"abc"}}]]""",
            result[0].GetProperty("values").GetRawText());
    }

    [Fact]
    public async Task DetectedLevelIsAddedAtPushAndShownAsStructuredMetadata()
    {
        // Default flags: level discovery is on, as in Loki 3.
        await using var server = new AsyncDisposer(await ServerFixture.StartAsync());
        var f = server.Fixture;
        string json = $$"""
            {"streams":[
              {"stream":{"app":"lv"},"values":[
                ["{{T(1)}}","{\"level\":\"ERROR\",\"msg\":\"boom\"}"],
                ["{{T(2)}}","ts=1 lvl=wrn msg=slow"],
                ["{{T(3)}}","plain text without a level"],
                ["{{T(4)}}","kept as sent",{"detected_level":"Critical"}]]},
              {"stream":{"app":"lv2","level":"notice"},"values":[["{{T(5)}}","[ERROR] label wins"]]}]}
            """;
        var content = new StringContent(json, Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NoContent, (await f.Client.PostAsync("/loki/api/v1/push", content)).StatusCode);

        // Without categorize-labels, structured metadata joins the stream labels (one stream per level).
        var resp = await f.Client.GetStringAsync($"/loki/api/v1/query_range?query={Q("{app=~\"lv.*\"}")}&start={T(0)}&end={T(10)}&direction=forward");
        var streams = new List<string>();
        foreach (var r in JsonDocument.Parse(resp).RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = new List<string>();
            foreach (var p in r.GetProperty("stream").EnumerateObject()) labels.Add($"{p.Name}={p.Value.GetString()}");
            labels.Sort(StringComparer.Ordinal);
            streams.Add(string.Join(",", labels) + " x" + r.GetProperty("values").GetArrayLength());
        }
        streams.Sort(StringComparer.Ordinal);
        Assert.Equal(
        [
            "app=lv,detected_level=critical,service_name=lv x1",
            "app=lv,detected_level=error,service_name=lv x1",
            "app=lv,detected_level=unknown,service_name=lv x1",
            "app=lv,detected_level=warn,service_name=lv x1",
            "app=lv2,detected_level=notice,level=notice,service_name=lv2 x1",
        ], streams);

        // With categorize-labels it travels with each entry, and selectors can filter on it after the stream selector.
        var req = new HttpRequestMessage(HttpMethod.Get,
            $"/loki/api/v1/query_range?query={Q("{app=\"lv\"} | detected_level=\"error\"")}&start={T(0)}&end={T(10)}");
        req.Headers.Add("X-Loki-Response-Encoding-Flags", "categorize-labels");
        var categorized = JsonDocument.Parse(await (await f.Client.SendAsync(req)).Content.ReadAsStringAsync()).RootElement;
        var result = categorized.GetProperty("data").GetProperty("result");
        Assert.Equal(1, result.GetArrayLength());
        Assert.Equal($$$"""[["{{{T(1)}}}","{\"level\":\"ERROR\",\"msg\":\"boom\"}",{"structuredMetadata":{"detected_level":"error"}}]]""",
            result[0].GetProperty("values").GetRawText());
    }

    [Theory]
    [InlineData("application/x-protobuf", null, "not snappy at all")]
    [InlineData("application/json", null, "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[1,\"numeric ts\"]]}]}")]
    [InlineData("application/json", null, "{\"streams\":[")]
    [InlineData("application/json", null, "{\"streams\":[{\"stream\":{\"0bad\":\"x\"},\"values\":[[\"1\",\"x\"]]}]}")]
    [InlineData("application/json", "br", "{}")]
    public async Task MalformedPushesGetPlainText400AndTheServiceKeepsServing(string contentType, string? encoding, string body)
    {
        var resp = await Push(Encoding.UTF8.GetBytes(body), contentType, encoding);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.StartsWith("text/plain", resp.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await resp.Content.ReadAsStringAsync()));
        Assert.Contains("PANIC", await Lines("{app=\"api\"}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountPushedDiscardedAndStoredEntries()
    {
        var req = new PushRequest();
        req.Streams.Add(Stream("{app=\"big\"}", (T(1), "small line"), (T(2), new string('x', 300 * 1024)), (T(3), "another")));
        Assert.Equal(HttpStatusCode.BadRequest, (await Push(IronSnappy.Snappy.Encode(req.ToByteArray()), "application/x-protobuf")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Push("not snappy"u8.ToArray(), "application/x-protobuf")).StatusCode);

        var text = await _f.Client.GetStringAsync("/metrics");
        double Value(string series)
        {
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(series + " ", StringComparison.Ordinal))
                    return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
            throw new Xunit.Sdk.XunitException($"{series} not in /metrics:\n{text}");
        }
        // 7 entries from InitializeAsync, 2 of the 3 here; the long line is discarded, the bad body refused whole.
        Assert.Equal(9, Value("strata_logs_push_entries_total"));
        Assert.Equal(1, Value("strata_logs_discarded_entries_total{reason=\"line_too_long\"}"));
        Assert.Equal(300 * 1024, Value("strata_logs_discarded_bytes_total{reason=\"line_too_long\"}"));
        Assert.Equal(0, Value("strata_logs_discarded_entries_total{reason=\"greater_than_max_sample_age\"}"));
        Assert.Equal(1, Value("strata_logs_push_refused_requests_total"));
        Assert.Equal(9, Value("strata_logs_entries_appended_total"));
        Assert.Equal(3, Value("strata_logs_streams"));
    }

    [Fact]
    public async Task OversizedLineIsRejectedButTheRestOfThePushIsKept()
    {
        var req = new PushRequest();
        req.Streams.Add(Stream("{app=\"big\"}", (T(1), "small line"), (T(2), new string('x', 300 * 1024))));
        var resp = await Push(IronSnappy.Snappy.Encode(req.ToByteArray()), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Contains("Max entry size '262144' bytes exceeded", await resp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("app=big,service_name=big: small line", await Lines("{app=\"big\"}"));
    }

    [Fact]
    public async Task ParseErrorsArePlainText400WithPosition()
    {
        var (status, body) = await Get($"/loki/api/v1/query_range?query={Q("{app=\"api\"} |= ")}");
        Assert.Equal(400, status);
        Assert.StartsWith("parse error at line 1, col ", body, StringComparison.Ordinal);
        var (status2, body2) = await Get($"/loki/api/v1/query_range?query={Q("{app=~\".*\"}")}");
        Assert.Equal(400, status2);
        Assert.Contains("empty-compatible", body2, StringComparison.Ordinal);
        var (status3, body3) = await Get($"/loki/api/v1/query_range?query={Q("{app=\"api\"}")}&limit=0");
        Assert.Equal(400, status3);
        Assert.Equal("limit must be a positive value", body3);
    }

    [Fact]
    public async Task LabelBrowserAndIndexEndpoints()
    {
        var (s1, labels) = await Get($"/loki/api/v1/labels?start={T(0)}&end={T(10)}");
        Assert.Equal(200, s1);
        Assert.Equal("""{"status":"success","data":["app","namespace","pod","service_name"]}""", labels);
        var (s2, values) = await Get($"/loki/api/v1/label/app/values?start={T(0)}&end={T(10)}");
        Assert.Equal(200, s2);
        Assert.Equal("""{"status":"success","data":["api","web"]}""", values);
        var (_, narrowed) = await Get($"/loki/api/v1/label/pod/values?query={Q("{app=\"web\"}")}");
        Assert.Equal("""{"status":"success","data":["web-0"]}""", narrowed);
        var (s3, series) = await Get($"/loki/api/v1/series?match[]={Q("{app=\"api\"}")}");
        Assert.Equal(200, s3);
        Assert.Equal("""{"status":"success","data":[{"app":"api","namespace":"ns-1","pod":"api-0","service_name":"api"}]}""", series);
        var (s4, stats) = await Get($"/loki/api/v1/index/stats?query={Q("{namespace=\"ns-1\"}")}");
        Assert.Equal(200, s4);
        var st = JsonDocument.Parse(stats).RootElement;
        Assert.Equal(2, st.GetProperty("streams").GetInt64());
        Assert.Equal(7, st.GetProperty("entries").GetInt64());
        var (s5, ready) = await Get("/ready");
        Assert.Equal(200, s5);
        Assert.Equal("ready\n", ready);
        var (s6, build) = await Get("/loki/api/v1/status/buildinfo");
        Assert.Equal(200, s6);
        Assert.True(JsonDocument.Parse(build).RootElement.TryGetProperty("version", out _));
    }
}
