using System.Globalization;
using System.Net;
using System.Text.Json;
using Strata.TestSupport;

namespace Strata.Api.Tests.Endpoints;

public class WriteEndpointTests : IClassFixture<ServerFixture>
{
    private const ulong StaleNaN = 0x7FF0000000000002UL;
    private readonly ServerFixture _f;

    public WriteEndpointTests(ServerFixture f) => _f = f;

    private static TestSeries Series(string name, (long, double)[] samples, params (string, string)[] labels) =>
        new([("__name__", name), .. labels], samples);

    /// <summary>Reads raw samples of one series through a range selector at a time after the last one.</summary>
    private async Task<List<(long T, double V)>> ReadRaw(string selector, long atMs, string range = "1h")
    {
        var (status, body) = await _f.GetJson($"/api/v1/query?query={Uri.EscapeDataString(selector + "[" + range + "]")}&time={atMs / 1000.0:0.###}");
        Assert.Equal(200, status);
        var result = body.GetProperty("data").GetProperty("result");
        Assert.Equal(1, result.GetArrayLength());
        var list = new List<(long, double)>();
        foreach (var p in result[0].GetProperty("values").EnumerateArray())
        {
            long t = (long)Math.Round(p[0].GetDouble() * 1000);
            list.Add((t, double.Parse(p[1].GetString()!.Replace("+Inf", "Infinity").Replace("-Inf", "-Infinity"), CultureInfo.InvariantCulture)));
        }
        return list;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task WritesAndReadsBackEverySampleExactly(int version)
    {
        var rng = new Random(version);
        var samples = new List<(long, double)>();
        long t = 1_000_000;
        double[] specials = [0.1, 1e-300, double.MaxValue, double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, 12345.678901234567];
        for (int i = 0; i < 300; i++)
        {
            t += 15_000 + rng.Next(-500, 500);
            double v = i < specials.Length ? specials[i] : rng.NextDouble() * Math.Pow(10, rng.Next(-10, 10));
            samples.Add((t, v));
        }
        string name = $"exact_v{version}";
        var series = Series(name, [.. samples], ("job", "node"), ("zone", "a"));
        byte[] body = version == 1 ? WriteRequests.V1(series) : WriteRequests.V2(series);
        var resp = await _f.Write(body, version == 1 ? WriteRequests.V1ContentType : WriteRequests.V2ContentType);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
        Assert.Equal("300", resp.Headers.GetValues("X-Prometheus-Remote-Write-Samples-Written").Single());

        var read = await ReadRaw($"{name}{{job=\"node\"}}", t, "2h");
        Assert.Equal(samples.Count, read.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Item1, read[i].T);
            Assert.Equal(BitConverter.DoubleToInt64Bits(samples[i].Item2), BitConverter.DoubleToInt64Bits(read[i].V));
        }
    }

    [Fact]
    public async Task StaleMarkerIsKeptBitExactAndEndsTheSeries()
    {
        double stale = BitConverter.UInt64BitsToDouble(StaleNaN);
        var s = Series("stale_test", [(60_000, 1), (120_000, 2), (180_000, stale)], ("job", "x"));
        Assert.Equal(HttpStatusCode.NoContent, (await _f.Write(WriteRequests.V1(s), WriteRequests.V1ContentType)).StatusCode);

        // Stored bit-exactly in the head.
        var stored = _f.Server.Head.Select([new Storage.Index.LabelMatcher(Storage.Index.MatchType.Equal, "__name__", "stale_test")], 0, long.MaxValue);
        var it = stored.Single().Iterator();
        var bits = new List<ulong>();
        while (it.MoveNext()) bits.Add(BitConverter.DoubleToUInt64Bits(it.Value));
        Assert.Equal(StaleNaN, bits[^1]);

        // An instant query inside the lookback after the marker sees nothing; before it sees 2.
        var (_, after) = await _f.GetJson("/api/v1/query?query=stale_test&time=200");
        Assert.Equal(0, after.GetProperty("data").GetProperty("result").GetArrayLength());
        var (_, before) = await _f.GetJson("/api/v1/query?query=stale_test&time=170");
        Assert.Equal("2", before.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
        // Range vectors leave the marker out.
        var raw = await ReadRaw("stale_test", 200_000);
        Assert.Equal([(60_000L, 1.0), (120_000L, 2.0)], raw);
    }

    [Fact]
    public async Task OrdinaryNaNIsAValue()
    {
        var s = Series("nan_test", [(60_000, double.NaN)]);
        Assert.Equal(HttpStatusCode.NoContent, (await _f.Write(WriteRequests.V1(s), WriteRequests.V1ContentType)).StatusCode);
        var (_, body) = await _f.GetJson("/api/v1/query?query=nan_test&time=61");
        Assert.Equal("NaN", body.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task DuplicatesAreIdempotentAndConflictsAndOutOfOrderAreReported()
    {
        var first = Series("dup_test", [(10_000, 1), (20_000, 2)]);
        var firstResp = await _f.Write(WriteRequests.V1(first), WriteRequests.V1ContentType);
        Assert.True(firstResp.StatusCode == HttpStatusCode.NoContent, await firstResp.Content.ReadAsStringAsync());
        // Exact retry: accepted silently.
        Assert.Equal(HttpStatusCode.NoContent, (await _f.Write(WriteRequests.V1(first), WriteRequests.V1ContentType)).StatusCode);

        // Same timestamp, other value; an older sample; and a good new one in another series.
        var bad = Series("dup_test", [(20_000, 3), (5_000, 0.5)]);
        var good = Series("dup_other", [(30_000, 7)]);
        var resp = await _f.Write(WriteRequests.V1(bad, good), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        string text = await resp.Content.ReadAsStringAsync();
        Assert.Contains("duplicate sample for timestamp", text);
        Assert.Contains("out of order sample", text);
        Assert.Equal("1", resp.Headers.GetValues("X-Prometheus-Remote-Write-Samples-Written").Single());

        Assert.Equal([(10_000L, 1.0), (20_000L, 2.0)], await ReadRaw("dup_test", 30_000));
        Assert.Equal([(30_000L, 7.0)], await ReadRaw("dup_other", 30_000));

        var metrics = await _f.Client.GetStringAsync("/metrics");
        Assert.Matches("strata_ingest_rejected_samples_total\\{reason=\"out_of_order\"\\} [1-9]", metrics);
        Assert.Matches("strata_ingest_rejected_samples_total\\{reason=\"duplicate_timestamp\"\\} [1-9]", metrics);
    }

    public static TheoryData<string, Func<byte[]>, string, string> BadBodies => new()
    {
        { "bad snappy", () => [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], WriteRequests.V1ContentType, "snappy" },
        { "truncated snappy", () => WriteRequests.V1(Series("m", [(1, 1)]))[..^3], WriteRequests.V1ContentType, "snappy" },
        { "bad protobuf", () => WriteRequests.Compress([0x0a, 0xff, 0xff, 0x01, 0x02]), WriteRequests.V1ContentType, "cannot decode prometheus.WriteRequest protobuf" },
        { "bad v2 protobuf", () => WriteRequests.Compress([0x2a, 0x05, 0x01]), WriteRequests.V2ContentType, "cannot decode io.prometheus.write.v2.Request protobuf" },
        { "empty body", () => [], WriteRequests.V1ContentType, "empty request body" },
        { "unsorted labels", () => WriteRequests.V1(new TestSeries([("__name__", "m"), ("b", "1"), ("a", "2")], [(1, 1)])), WriteRequests.V1ContentType, "label names are not sorted" },
        { "duplicate labels", () => WriteRequests.V1(new TestSeries([("__name__", "m"), ("a", "1"), ("a", "2")], [(1, 1)])), WriteRequests.V1ContentType, "duplicate label name" },
        { "missing name", () => WriteRequests.V1(new TestSeries([("a", "1")], [(1, 1)])), WriteRequests.V1ContentType, "no __name__ label" },
        { "v2 bad symbol ref", () => WriteRequests.Compress(BadRefV2()), WriteRequests.V2ContentType, "label reference outside the symbols table" },
    };

    private static byte[] BadRefV2()
    {
        var req = WriteRequests.V2Message([Series("m", [(1, 1)])]);
        req.Timeseries[0].LabelsRefs.Add(99);
        req.Timeseries[0].LabelsRefs.Add(1);
        return Google.Protobuf.MessageExtensions.ToByteArray(req);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task MalformedRequestsGet400WithAClearMessage(string what, Func<byte[]> body, string contentType, string expected)
    {
        var resp = await _f.Write(body(), contentType);
        Assert.True(resp.StatusCode == HttpStatusCode.BadRequest, what);
        Assert.Contains(expected, await resp.Content.ReadAsStringAsync());
        // The service keeps serving.
        var ok = await _f.Write(WriteRequests.V1(Series("still_ok", [(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1)])), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }

    [Fact]
    public async Task InvalidSeriesDoesNotStopTheRest()
    {
        var bad = new TestSeries([("b", "1"), ("a", "2")], [(1, 1)]);
        var good = Series("partial_ok", [(1000, 5)]);
        var resp = await _f.Write(WriteRequests.V2(bad, good), WriteRequests.V2ContentType);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Equal("1", resp.Headers.GetValues("X-Prometheus-Remote-Write-Samples-Written").Single());
        Assert.Equal([(1000L, 5.0)], await ReadRaw("partial_ok", 2000));
    }

    [Fact]
    public async Task UnsupportedMediaTypesGet415()
    {
        var body = WriteRequests.V1(Series("m415", [(1, 1)]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _f.Write(body, "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _f.Write(body, "application/x-protobuf;proto=foo.Bar")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _f.Write(body, WriteRequests.V1ContentType, "gzip")).StatusCode);
        // No Content-Type and no Content-Encoding still means snappy v1.
        var content = new ByteArrayContent(body);
        Assert.Equal(HttpStatusCode.NoContent, (await _f.Client.PostAsync("/api/v1/write", content)).StatusCode);
    }

    [Fact]
    public async Task FutureSamplesAreRejected()
    {
        long future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        var resp = await _f.Write(WriteRequests.V1(Series("future_test", [(future, 1)])), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Contains("too far in the future", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConcurrentWritersAllLand()
    {
        const int writers = 8, perWriter = 50;
        var tasks = Enumerable.Range(0, writers).Select(async w =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                var s = new[] { Series("concurrent_test", [(i * 1000L + 1000, i)], ("w", w.ToString(CultureInfo.InvariantCulture))), Series("concurrent_shared", [(w * 100_000L + i * 1000 + 1000, i)], ("w", w.ToString(CultureInfo.InvariantCulture))) };
                var resp = await _f.Write(WriteRequests.V1(s), WriteRequests.V1ContentType);
                Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
            }
        });
        await Task.WhenAll(tasks);
        var (_, body) = await _f.GetJson("/api/v1/query?query=" + Uri.EscapeDataString("concurrent_test[1h]") + "&time=100");
        var result = body.GetProperty("data").GetProperty("result");
        Assert.Equal(writers, result.GetArrayLength());
        foreach (var s in result.EnumerateArray()) Assert.Equal(perWriter, s.GetProperty("values").GetArrayLength());
    }
}

public class WriteLimitsTests
{
    [Fact]
    public async Task OversizedBodyGets413AndServiceKeepsServing()
    {
        await using var f = new AsyncDisposer(await ServerFixture.StartAsync("--ingest.max-body-size=1KB", "--ingest.max-decoded-size=2KB"));
        var big = Enumerable.Range(0, 200).Select(i => new TestSeries([("__name__", "big"), ("i", i.ToString(CultureInfo.InvariantCulture)), ("pad", new string('x', 50 + i))], [(1, i)])).ToArray();
        var resp = await f.Fixture.Write(WriteRequests.V1(big), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, resp.StatusCode);
        Assert.Contains("exceeds the limit", await resp.Content.ReadAsStringAsync());

        // Compresses well below 1 KB but decodes above 2 KB.
        var repetitive = new TestSeries([("__name__", "rep"), ("pad", new string('y', 4000))], [(1, 1)]);
        resp = await f.Fixture.Write(WriteRequests.V1(repetitive), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, resp.StatusCode);

        resp = await f.Fixture.Write(WriteRequests.V1(new TestSeries([("__name__", "small")], [(1, 1)])), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
    }

    [Fact]
    public async Task TooManyLabelsAndTooLongValuesAreRejected()
    {
        await using var f = new AsyncDisposer(await ServerFixture.StartAsync("--ingest.max-label-names-per-series=3", "--ingest.max-label-value-length=10"));
        var many = new TestSeries([("__name__", "m"), ("a", "1"), ("b", "2"), ("c", "3")], [(1, 1)]);
        var resp = await f.Fixture.Write(WriteRequests.V1(many), WriteRequests.V1ContentType);
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Contains("too many labels", await resp.Content.ReadAsStringAsync());
        var longValue = new TestSeries([("__name__", "m"), ("a", new string('v', 11))], [(1, 1)]);
        resp = await f.Fixture.Write(WriteRequests.V1(longValue), WriteRequests.V1ContentType);
        Assert.Contains("label value too long", await resp.Content.ReadAsStringAsync());
    }
}

/// <summary>Disposes a fixture created inside a test.</summary>
public sealed class AsyncDisposer(ServerFixture fixture) : IAsyncDisposable
{
    public ServerFixture Fixture { get; } = fixture;
    public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
}
