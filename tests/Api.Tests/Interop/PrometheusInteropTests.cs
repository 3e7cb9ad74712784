using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit.Abstractions;

namespace Strata.Api.Tests.Interop;

/// <summary>
/// A real Prometheus (agent mode) scrapes a real node-exporter and remote-writes into the service,
/// all on 127.0.0.1, using deploy/prometheus/prometheus-agent.yml. .ci/run installs both
/// (Debian packages prometheus and prometheus-node-exporter); outside CI the test is skipped with a
/// message when they are missing.
/// </summary>
public class PrometheusInteropTests(ITestOutputHelper output)
{
    private const string PrometheusBin = "/usr/bin/prometheus";
    private const string NodeExporterBin = "/usr/bin/prometheus-node-exporter";

    [Fact]
    public async Task NodeExporterSeriesArriveThroughPrometheusRemoteWrite()
    {
        if (!File.Exists(PrometheusBin) || !File.Exists(NodeExporterBin))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must install prometheus and prometheus-node-exporter");
            output.WriteLine("SKIPPED: prometheus / prometheus-node-exporter not installed (apt-get install -y prometheus prometheus-node-exporter)");
            return;
        }

        await using var server = new Endpoints.AsyncDisposer(await ServerFixture.StartAsync());
        var strataAddress = new Uri(server.Fixture.Server.Url).Authority;
        int nodePort = Ports.Free();
        int promPort = Ports.Free();
        string work = Path.Combine(Path.GetTempPath(), "strata-interop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);

        string config = File.ReadAllText(Path.Combine(RepoRoot(), "deploy", "prometheus", "prometheus-agent.yml"))
            .Replace("node-exporter:9100", $"127.0.0.1:{nodePort}", StringComparison.Ordinal)
            .Replace("strata:9090", strataAddress, StringComparison.Ordinal)
            .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("batch_send_deadline: 5s", "batch_send_deadline: 1s", StringComparison.Ordinal);
        string configPath = Path.Combine(work, "agent.yml");
        File.WriteAllText(configPath, config);

        using var nodeExporter = Start(NodeExporterBin, $"--web.listen-address=127.0.0.1:{nodePort}", "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg");
        using var prometheus = Start(PrometheusBin, "--enable-feature=agent", $"--config.file={configPath}",
            $"--storage.agent.path={Path.Combine(work, "agent-data")}", $"--web.listen-address=127.0.0.1:{promPort}");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            JsonElement result = default;
            while (DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
                var (status, body) = await server.Fixture.GetJson("/api/v1/query?query=" + Uri.EscapeDataString("node_cpu_seconds_total{mode=\"idle\"}[1m]"));
                Assert.Equal(200, status);
                result = body.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0 && result[0].GetProperty("values").GetArrayLength() >= 3) break;
            }
            Assert.True(result.ValueKind == JsonValueKind.Array && result.GetArrayLength() > 0, "no node_cpu_seconds_total arrived within 90 s");
            var first = result[0];
            var metric = first.GetProperty("metric");
            Assert.Equal("node_cpu_seconds_total", metric.GetProperty("__name__").GetString());
            Assert.Equal("node", metric.GetProperty("job").GetString());
            Assert.Equal($"127.0.0.1:{nodePort}", metric.GetProperty("instance").GetString());
            Assert.Equal("ci", metric.GetProperty("cluster").GetString());
            Assert.True(metric.TryGetProperty("cpu", out _));
            var values = first.GetProperty("values").EnumerateArray()
                .Select(p => (T: p[0].GetDouble(), V: double.Parse(p[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
            Assert.True(values.Count >= 3);
            for (int i = 1; i < values.Count; i++)
            {
                Assert.True(values[i].T > values[i - 1].T);
                Assert.True(values[i].V >= values[i - 1].V, "a CPU counter went backwards");
            }
            // Idle time alone can stand still on a saturated CI machine; the CPU's time over all modes cannot.
            var (_, all) = await server.Fixture.GetJson("/api/v1/query?query=" + Uri.EscapeDataString(
                $"node_cpu_seconds_total{{cpu=\"{metric.GetProperty("cpu").GetString()}\"}}[1m]"));
            double grown = 0;
            foreach (var series in all.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                var pts = series.GetProperty("values");
                if (pts.GetArrayLength() < 2) continue;
                grown += double.Parse(pts[pts.GetArrayLength() - 1][1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    - double.Parse(pts[0][1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
            Assert.True(grown > 0, "CPU seconds over all modes did not increase");

            // Prometheus's own scrape bookkeeping and metadata-only requests are accepted too.
            var (_, up) = await server.Fixture.GetJson("/api/v1/query?query=up");
            Assert.Equal("1", up.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
            var metrics = await server.Fixture.Client.GetStringAsync("/metrics");
            Assert.Contains("strata_ingest_rejected_samples_total{reason=\"invalid_series\"} 0", metrics);
        }
        finally
        {
            Stop(prometheus);
            Stop(nodeExporter);
            try
            {
                Directory.Delete(work, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, e) => { if (e.Data != null && e.Data.Contains("level=error", StringComparison.Ordinal)) output.WriteLine($"[{Path.GetFileName(file)}] {e.Data}"); };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    private static void Stop(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }


    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Backend.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Backend.sln not found above " + AppContext.BaseDirectory);
    }
}
