using System.Globalization;
using System.Net;

namespace Strata.QueryCompare;

/// <summary>
/// Remote-write fan-out: every request body received is forwarded byte for byte to all targets.
/// bench/Load stamps samples relative to its own clock at start, so two separate Load runs would
/// give the two servers data shifted by seconds and every rate() would differ; one run through
/// this tee gives both servers identical samples. Each Load shard is a sequential stream and the
/// tee forwards a request to all targets before answering it, so per-series order is kept.
/// </summary>
public static class WriteTee
{
    // Remote-write headers the receivers look at; everything else is transport detail.
    private static readonly string[] ForwardedHeaders = ["Content-Encoding", "X-Prometheus-Remote-Write-Version", "User-Agent"];

    public static async Task<int> RunAsync(string[] args)
    {
        string? listen = null;
        var targets = new List<Uri>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--listen": listen = args[i + 1]; break;
                case "--to": targets.Add(new Uri(args[i + 1])); break;
                default: throw new ArgumentException($"unknown tee option '{args[i]}'");
            }
        }
        if (listen == null || targets.Count == 0) throw new ArgumentException("tee needs --listen HOST:PORT and at least one --to URL");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromMinutes(5) };
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{listen}/");
        listener.Start();
        Console.WriteLine($"tee listening on {listen}, forwarding to {string.Join(", ", targets)}");
        long requests = 0;
        while (true)
        {
            var ctx = await listener.GetContextAsync();
            _ = Task.Run(async () =>
            {
                try
                {
                    await ForwardAsync(http, targets, ctx);
                    if (Interlocked.Increment(ref requests) % 1000 == 0)
                        Console.WriteLine($"tee: {requests.ToString(CultureInfo.InvariantCulture)} requests forwarded");
                }
                catch (Exception e) when (e is HttpRequestException or HttpListenerException or IOException or TaskCanceledException)
                {
                    Console.Error.WriteLine($"tee: {e.Message}");
                    try
                    {
                        ctx.Response.StatusCode = (int)HttpStatusCode.BadGateway;
                        ctx.Response.Close();
                    }
                    catch (Exception inner) when (inner is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        // The client is gone; nothing left to tell it.
                    }
                }
            });
        }
    }

    private static async Task ForwardAsync(HttpClient http, List<Uri> targets, HttpListenerContext ctx)
    {
        if (ctx.Request.HttpMethod != "POST")
        {
            ctx.Response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
            ctx.Response.Close();
            return;
        }
        using var buffer = new MemoryStream();
        await ctx.Request.InputStream.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        var results = await Task.WhenAll(targets.Select(async t =>
        {
            var content = new ByteArrayContent(body);
            if (ctx.Request.ContentType != null) content.Headers.TryAddWithoutValidation("Content-Type", ctx.Request.ContentType);
            var request = new HttpRequestMessage(HttpMethod.Post, t) { Content = content };
            foreach (var h in ForwardedHeaders)
            {
                if (ctx.Request.Headers[h] is { } v && !request.Headers.TryAddWithoutValidation(h, v))
                    content.Headers.TryAddWithoutValidation(h, v);
            }
            using var resp = await http.SendAsync(request);
            return (Status: (int)resp.StatusCode, Body: await resp.Content.ReadAsByteArrayAsync(), Target: t);
        }));
        // The worst answer wins, so Load's failure count covers every target.
        var worst = results.MaxBy(r => r.Status is >= 200 and < 300 ? 0 : r.Status);
        ctx.Response.StatusCode = worst.Status;
        if (worst.Status is < 200 or >= 300)
        {
            var prefix = System.Text.Encoding.UTF8.GetBytes($"{worst.Target}: ");
            await ctx.Response.OutputStream.WriteAsync(prefix);
            await ctx.Response.OutputStream.WriteAsync(worst.Body);
        }
        ctx.Response.Close();
    }
}
