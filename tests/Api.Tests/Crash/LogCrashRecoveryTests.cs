using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Strata.Api.Tests.Crash;

/// <summary>
/// Log pushes under SIGKILL: several writers push JSON log lines (each writer its own stream, every
/// line unique) while the service is killed at random moments and restarted on the same data
/// directory. At the end every acknowledged line must be readable, and no line may appear that was
/// never sent. A small block size makes blocks get cut and compressed between kills.
/// </summary>
public class LogCrashRecoveryTests(ITestOutputHelper output)
{
    private const int Cycles = 6;
    private const int Writers = 4;
    private const int LinesPerPush = 20;

    [Fact]
    public async Task AcknowledgedLinesSurviveKillNine()
    {
        string dir = Path.Combine(Path.GetTempPath(), "strata-logcrash-" + Guid.NewGuid().ToString("N"));
        var rng = new Random(4321);
        var sent = new HashSet<string>[Writers];
        var acked = new HashSet<string>[Writers];
        for (int w = 0; w < Writers; w++)
        {
            sent[w] = [];
            acked[w] = [];
        }
        // Timestamps advance 1 ms per line from 20 minutes ago; every line carries its writer and number.
        long t0 = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 20 * 60_000) * 1_000_000;
        long next = 0;
        try
        {
            for (int cycle = 0; cycle < Cycles; cycle++)
            {
                using var proc = StrataProcess.Start(dir, output, out string url, "--storage.tsdb.maintenance-interval=1s");
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
                await StrataProcess.WaitReady(http, proc);
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var values = new StringBuilder();
                        var lines = new List<string>();
                        for (int i = 0; i < LinesPerPush; i++)
                        {
                            long n = Interlocked.Increment(ref next);
                            string line = $"writer={w} seq={n} msg=\"log line {n} with some padding to look like a real pod log entry\"";
                            lines.Add(line);
                            if (i > 0) values.Append(',');
                            values.Append("[\"").Append(t0 + n * 1_000_000).Append("\",").Append(JsonSerializer.Serialize(line)).Append(']');
                        }
                        lock (sent) sent[w].UnionWith(lines);
                        string body = $$"""{"streams":[{"stream":{"app":"crash","writer":"w{{w}}"},"values":[{{values}}]}]}""";
                        try
                        {
                            using var resp = await http.PostAsync("/loki/api/v1/push", new StringContent(body, Encoding.UTF8, "application/json"));
                            if (resp.StatusCode != HttpStatusCode.NoContent)
                                throw new InvalidOperationException($"push answered {(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync()}");
                            lock (sent) acked[w].UnionWith(lines);
                        }
                        catch (HttpRequestException)
                        {
                            return; // died mid-request: unknown outcome
                        }
                        catch (TaskCanceledException)
                        {
                            return;
                        }
                    }
                })).ToArray();
                await Task.Delay(rng.Next(300, 1500));
                proc.Kill();
                await proc.WaitForExitAsync();
                stop.Cancel();
                await Task.WhenAll(writers);
                output.WriteLine($"cycle {cycle}: {acked.Sum(a => a.Count)} lines acknowledged so far");
            }

            using var final = StrataProcess.Start(dir, output, out string finalUrl);
            using var client = new HttpClient { BaseAddress = new Uri(finalUrl) };
            await StrataProcess.WaitReady(client, final);
            int lost = 0, invented = 0, total = 0;
            for (int w = 0; w < Writers; w++)
            {
                var stored = await ReadAll(client, $"{{app=\"crash\", writer=\"w{w}\"}}", t0, t0 + (next + 1) * 1_000_000);
                total += stored.Count;
                foreach (string line in acked[w]) lost += stored.Contains(line) ? 0 : 1;
                foreach (string line in stored) invented += sent[w].Contains(line) ? 0 : 1;
            }
            output.WriteLine($"{acked.Sum(a => a.Count)} acknowledged lines over {Cycles} kills, {total} stored; lost {lost}, invented {invented}");
            Assert.True(acked.Sum(a => a.Count) > 500, "the load did not get going");
            Assert.Equal(0, lost);
            Assert.Equal(0, invented);
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

    /// <summary>Every line of a stream in [from, to), paging forward 5000 at a time.</summary>
    private static async Task<HashSet<string>> ReadAll(HttpClient client, string selector, long from, long to)
    {
        var lines = new HashSet<string>();
        long start = from;
        while (true)
        {
            var body = JsonDocument.Parse(await client.GetStringAsync(
                $"/loki/api/v1/query_range?query={Uri.EscapeDataString(selector)}&start={start}&end={to}&limit=5000&direction=forward")).RootElement;
            long last = -1;
            int n = 0;
            foreach (var stream in body.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                foreach (var v in stream.GetProperty("values").EnumerateArray())
                {
                    lines.Add(v[1].GetString()!);
                    last = Math.Max(last, long.Parse(v[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                    n++;
                }
            }
            if (n < 5000) return lines;
            start = last + 1;
        }
    }
}
