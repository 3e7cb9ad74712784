using System.Diagnostics;
using Xunit.Abstractions;

namespace Strata.Api.Tests.Crash;

/// <summary>The service binary as a separate process (so it can be SIGKILLed), on a free loopback port.</summary>
public static class StrataProcess
{
    public static Process Start(string dir, ITestOutputHelper output, out string url, params string[] extraArgs)
    {
        int port = Ports.Free();
        url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Strata"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={dir}", "--log.level=warn" }) psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) output.WriteLine("[strata] " + e.Data); };
        p.OutputDataReceived += (_, e) => { if (e.Data != null && e.Data.Contains("fail", StringComparison.OrdinalIgnoreCase)) output.WriteLine("[strata] " + e.Data); };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    public static async Task WaitReady(HttpClient http, Process p)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(p.HasExited, "the server exited during start-up");
            try
            {
                using var resp = await http.GetAsync("/-/ready");
                if (resp.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("server not ready after 60 s");
    }
}
