using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Strata.TestSupport;
using Xunit.Abstractions;

namespace Strata.Api.Tests.Interop;

/// <summary>
/// A real Prometheus 2.42 receives remote write and cuts a block into its data directory; Strata
/// then opens that directory and must answer the same selectors with the same samples as Prometheus
/// did for the block's time range.
/// </summary>
public class PrometheusDataDirTests(ITestOutputHelper output)
{
    private const string PrometheusBin = "/usr/bin/prometheus";

    [Fact]
    public async Task ServesBlocksWrittenByPrometheus()
    {
        if (!File.Exists(PrometheusBin))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must install prometheus");
            output.WriteLine("SKIPPED: prometheus not installed");
            return;
        }
        string dir = Path.Combine(Path.GetTempPath(), "strata-promdir-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string config = Path.Combine(dir, "..", Path.GetFileName(dir) + ".yml");
        File.WriteAllText(config, "global:\n  scrape_interval: 15s\n");
        int port = Ports.Free();
        var psi = new ProcessStartInfo(PrometheusBin) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { $"--config.file={config}", $"--storage.tsdb.path={dir}", $"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver" })
            psi.ArgumentList.Add(a);
        using var prom = Process.Start(psi)!;
        prom.ErrorDataReceived += (_, _) => { };
        prom.OutputDataReceived += (_, _) => { };
        prom.BeginErrorReadLine();
        prom.BeginOutputReadLine();
        var queries = new[] { "interop_metric", "interop_metric{job=\"b\"}", "{__name__=~\"interop_.*\", job!=\"a\"}", "interop_gauge" };
        var expected = new Dictionary<string, string>();
        long blockMin, blockMax;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitReady(http);
            // 5 h of 15 s samples ending now: enough for Prometheus to cut its first 2 h block.
            long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 15_000 * 15_000;
            long start = end - 5 * 3600_000;
            var rng = new Random(3);
            for (long t = start; t <= end; t += 30 * 60_000)
            {
                var batch = new List<TestSeries>();
                foreach (var job in new[] { "a", "b", "c" })
                {
                    var samples = new List<(long, double)>();
                    for (long u = t; u < Math.Min(t + 30 * 60_000, end + 1); u += 15_000) samples.Add((u, (u - start) / 1000.0 + job[0]));
                    batch.Add(new TestSeries([("__name__", "interop_metric"), ("job", job)], [.. samples]));
                    batch.Add(new TestSeries([("__name__", "interop_gauge"), ("job", job)], [.. samples.Select(s => (s.Item1, Math.Round(rng.NextDouble() * 100, 3)))]));
                }
                var content = new ByteArrayContent(WriteRequests.V1([.. batch]));
                content.Headers.ContentType = new MediaTypeHeaderValue(WriteRequests.V1ContentType);
                content.Headers.ContentEncoding.Add("snappy");
                var resp = await http.PostAsync("/api/v1/write", content);
                Assert.True(resp.IsSuccessStatusCode, await resp.Content.ReadAsStringAsync());
            }
            // Wait for the block.
            string? blockDir = null;
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (blockDir == null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
                blockDir = Directory.GetDirectories(dir).FirstOrDefault(d => File.Exists(Path.Combine(d, "meta.json")));
            }
            Assert.NotNull(blockDir);
            var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(blockDir!, "meta.json"))).RootElement;
            blockMin = meta.GetProperty("minTime").GetInt64();
            blockMax = meta.GetProperty("maxTime").GetInt64();
            output.WriteLine($"Prometheus block [{blockMin}, {blockMax})");
            // Ask Prometheus for the block's range (a range vector ending at the block's last millisecond).
            foreach (var q in queries) expected[q] = await Query(http, q, blockMin, blockMax);
        }
        finally
        {
            prom.Kill(); // SIGKILL: its head stays in its WAL, which Strata does not read; the block is complete
            await prom.WaitForExitAsync();
        }

        await using var strata = new Endpoints.AsyncDisposer(await ServerFixture.StartAsync($"--storage.tsdb.path={dir}"));
        foreach (var q in queries)
        {
            string actual = await Query(strata.Fixture.Client, q, blockMin, blockMax);
            Assert.Equal(expected[q], actual);
        }
        Assert.Contains("interop_metric", expected["interop_metric"]);
        File.Delete(config);
    }

    private static async Task<string> Query(HttpClient http, string selector, long blockMin, long blockMax)
    {
        long rangeSeconds = (blockMax - blockMin) / 1000;
        double at = (blockMax - 1) / 1000.0;
        string url = $"/api/v1/query?query={Uri.EscapeDataString($"{selector}[{rangeSeconds}s]")}&time={at.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}";
        var body = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;
        Assert.Equal("success", body.GetProperty("status").GetString());
        var result = body.GetProperty("data").GetProperty("result").EnumerateArray()
            .OrderBy(s => s.GetProperty("metric").ToString(), StringComparer.Ordinal)
            .Select(s => s.ToString());
        return string.Join("\n", result);
    }

    private static async Task WaitReady(HttpClient http)
    {
        for (int i = 0; i < 200; i++)
        {
            try
            {
                if ((await http.GetAsync("/-/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("prometheus not ready");
    }

}
