using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Strata.TestSupport;
using Xunit.Abstractions;

namespace Strata.Api.Tests.Crash;

/// <summary>
/// Runs the service as a separate process, streams remote-write load from several writers, kills it
/// with SIGKILL at random moments, restarts it on the same data directory, and finally checks that
/// every sample that got a 2xx is readable and that nothing was invented. Small blocks and a fast
/// maintenance interval make block cutting, checkpoints and WAL truncation happen between kills.
/// </summary>
public class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Cycles = 12;
    private const int Writers = 4;
    private const int SeriesPerWriter = 25;
    private const long StepMs = 5_000;

    [Fact]
    public async Task AcknowledgedSamplesSurviveKillNine()
    {
        string dir = Path.Combine(Path.GetTempPath(), "strata-crash-" + Guid.NewGuid().ToString("N"));
        var rng = new Random(12345);
        // Per series: every sample ever sent (t → v) and the acknowledged timestamps.
        var sent = new Dictionary<string, Dictionary<long, double>>();
        var acked = new Dictionary<string, HashSet<long>>();
        for (int w = 0; w < Writers; w++)
        {
            for (int s = 0; s < SeriesPerWriter; s++)
            {
                sent[$"w{w}s{s}"] = [];
                acked[$"w{w}s{s}"] = [];
            }
        }
        // Samples advance 5 s per batch from 10 days ago: hours of sample time per run, never in the future.
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10L * 24 * 3600 * 1000;
        long nextT = t0;
        long totalAcked = 0;
        try
        {
            for (int cycle = 0; cycle < Cycles; cycle++)
            {
                using var proc = StartServer(dir, out string url);
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
                await WaitReady(http, proc);
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    long local = 0;
                    while (!stop.IsCancellationRequested)
                    {
                        long t = Interlocked.Add(ref nextT, StepMs);
                        var series = new List<TestSeries>();
                        var batch = new List<(string Key, long T, double V)>();
                        for (int s = 0; s < SeriesPerWriter; s++)
                        {
                            string key = $"w{w}s{s}";
                            double v = Math.Round((t - t0) / 1000.0 + s * 0.001, 3);
                            series.Add(new TestSeries([("__name__", "crash_test"), ("series", key)], [(t, v)]));
                            batch.Add((key, t, v));
                        }
                        lock (sent)
                        {
                            foreach (var (k, bt, bv) in batch) sent[k][bt] = bv;
                        }
                        try
                        {
                            var content = new ByteArrayContent(WriteRequests.V1([.. series]));
                            content.Headers.ContentType = new MediaTypeHeaderValue(WriteRequests.V1ContentType);
                            content.Headers.ContentEncoding.Add("snappy");
                            using var resp = await http.PostAsync("/api/v1/write", content);
                            if (resp.StatusCode != HttpStatusCode.NoContent)
                            {
                                throw new InvalidOperationException($"write answered {(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync()}");
                            }
                            lock (sent)
                            {
                                foreach (var (k, bt, _) in batch) acked[k].Add(bt);
                            }
                            local += batch.Count;
                        }
                        catch (HttpRequestException)
                        {
                            return local; // the server died mid-request: this batch is unknown
                        }
                        catch (TaskCanceledException)
                        {
                            return local;
                        }
                    }
                    return local;
                })).ToArray();

                await Task.Delay(rng.Next(300, 1500));
                proc.Kill(); // SIGKILL on Linux
                await proc.WaitForExitAsync();
                stop.Cancel();
                var counts = await Task.WhenAll(writers);
                totalAcked += counts.Sum();
                output.WriteLine($"cycle {cycle}: killed after {counts.Sum()} acknowledged samples");
            }

            using var final = StartServer(dir, out string finalUrl);
            using var client = new HttpClient { BaseAddress = new Uri(finalUrl) };
            await WaitReady(client, final);
            long at = (nextT + StepMs) / 1000;
            string query = Uri.EscapeDataString("crash_test[1d]");
            var body = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/query?query={query}&time={at}")).RootElement;
            Assert.Equal("success", body.GetProperty("status").GetString());
            var stored = new Dictionary<string, Dictionary<long, double>>();
            foreach (var s in body.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                string key = s.GetProperty("metric").GetProperty("series").GetString()!;
                var points = stored[key] = [];
                foreach (var p in s.GetProperty("values").EnumerateArray())
                {
                    points[(long)Math.Round(p[0].GetDouble() * 1000)] = double.Parse(p[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            int lost = 0, invented = 0;
            foreach (var (key, ts) in acked)
            {
                stored.TryGetValue(key, out var points);
                foreach (long t in ts)
                {
                    if (points == null || !points.TryGetValue(t, out double v) || v != sent[key][t]) lost++;
                }
            }
            foreach (var (key, points) in stored)
            {
                foreach (var (t, v) in points)
                {
                    if (!sent.TryGetValue(key, out var s) || !s.TryGetValue(t, out double sv) || sv != v) invented++;
                }
            }
            output.WriteLine($"{totalAcked} acknowledged samples over {Cycles} kills; lost {lost}, invented {invented}");
            Assert.True(totalAcked > 1000, "the load did not get going");
            Assert.Equal(0, lost);
            Assert.Equal(0, invented);
            // The run spans hours of sample time, so blocks were cut and the WAL truncated between kills.
            var metrics = await client.GetStringAsync("/metrics");
            var blocks = System.Text.RegularExpressions.Regex.Match(metrics, @"strata_tsdb_blocks_loaded (\d+)");
            output.WriteLine("blocks loaded at the end: " + blocks.Groups[1].Value);
            Assert.True(int.Parse(blocks.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, "no block was cut");
            final.Kill();
        }
        finally
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task SigtermCheckpointsAndTheNextStartReadsIt()
    {
        string dir = Path.Combine(Path.GetTempPath(), "strata-sigterm-" + Guid.NewGuid().ToString("N"));
        try
        {
            long t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
            using (var proc = StartServer(dir, out string url))
            {
                using var http = new HttpClient { BaseAddress = new Uri(url) };
                await WaitReady(http, proc);
                var content = new ByteArrayContent(WriteRequests.V1(new TestSeries([("__name__", "sigterm_test")], [(t, 42)])));
                content.Headers.ContentType = new MediaTypeHeaderValue(WriteRequests.V1ContentType);
                Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/api/v1/write", content)).StatusCode);
                using var kill = Process.Start("kill", ["-TERM", proc.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                await kill.WaitForExitAsync();
                Assert.True(proc.WaitForExit(30_000), "no exit within 30 s of SIGTERM");
                Assert.Equal(0, proc.ExitCode);
            }
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "strata-wal"), "checkpoint.*"));
            using (var proc = StartServer(dir, out string url))
            {
                using var http = new HttpClient { BaseAddress = new Uri(url) };
                await WaitReady(http, proc);
                var body = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/query?query=sigterm_test&time={(t + 1000) / 1000}")).RootElement;
                Assert.Equal("42", body.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
                proc.Kill();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private Process StartServer(string dir, out string url) =>
        StrataProcess.Start(dir, output, out url, "--storage.tsdb.min-block-duration=30m", "--storage.tsdb.maintenance-interval=1s");

    private static Task WaitReady(HttpClient http, Process p) => StrataProcess.WaitReady(http, p);
}
