using System.Diagnostics;
using System.Text.Json;
using Strata.Api.Tests.Endpoints;
using Xunit.Abstractions;

namespace Strata.Api.Tests.Interop;

/// <summary>
/// A real Loki client from npm (winston-loki, installed by .ci/run into
/// tests/Api.Tests/Interop/loki-client) pushes numbered lines, once as snappy protobuf and once as
/// JSON; the lines must come back through the query API in order, with the client's labels.
/// </summary>
public class LokiClientInteropTests(ITestOutputHelper output)
{
    private const int Count = 40;

    [Theory]
    [InlineData("protobuf")]
    [InlineData("json")]
    public async Task WinstonLokiLinesArriveInOrder(string mode)
    {
        string clientDir = Path.Combine(RepoRoot(), "tests", "Api.Tests", "Interop", "loki-client");
        if (!File.Exists("/usr/bin/node") || !Directory.Exists(Path.Combine(clientDir, "node_modules", "winston-loki")))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must install node and winston-loki (see .ci/run)");
            output.WriteLine($"SKIPPED: node or winston-loki missing (npm install --prefix {clientDir})");
            return;
        }
        await using var server = new AsyncDisposer(await ServerFixture.StartAsync());
        string run = Guid.NewGuid().ToString("N")[..8];
        long startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10 * 60_000;
        var psi = new ProcessStartInfo("/usr/bin/node") { WorkingDirectory = clientDir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "push.js", server.Fixture.Server.Url, mode, Count.ToString(System.Globalization.CultureInfo.InvariantCulture), run, startMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        string stderr = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        output.WriteLine(stderr);
        Assert.True(node.ExitCode == 0, $"winston-loki exited with {node.ExitCode}: {stderr}");

        string query = Uri.EscapeDataString($"{{app=\"winston-interop\", run=\"{run}\"}}");
        long from = startMs * 1_000_000, to = (startMs + Count + 1) * 1_000_000;
        var (status, body) = await server.Fixture.GetJson($"/loki/api/v1/query_range?query={query}&start={from}&end={to}&limit=1000&direction=forward");
        Assert.Equal(200, status);
        var lines = new List<(long Ns, string Line, string Level)>();
        foreach (var stream in body.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = stream.GetProperty("stream");
            Assert.Equal(mode, labels.GetProperty("mode").GetString());
            string level = labels.GetProperty("level").GetString()!;
            foreach (var v in stream.GetProperty("values").EnumerateArray())
                lines.Add((long.Parse(v[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture), v[1].GetString()!, level));
        }
        lines.Sort((a, b) => a.Ns.CompareTo(b.Ns));
        Assert.Equal(Count, lines.Count);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal((startMs + i) * 1_000_000, lines[i].Ns);
            Assert.StartsWith($"line {i} via {mode}", lines[i].Line, StringComparison.Ordinal);
            Assert.Equal(i % 5 == 0 ? "error" : "info", lines[i].Level);
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Backend.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
