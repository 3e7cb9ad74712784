using System.Diagnostics;
using System.Net;
using System.Text;

namespace Strata.QueryCompare;

/// <summary>One answered (or failed) API request. <see cref="Status"/> is 0 when no HTTP response arrived.</summary>
public sealed record ApiResponse(int Status, byte[] Body, double ElapsedMs, string? TransportError)
{
    public bool Ok => Status == (int)HttpStatusCode.OK;

    public string Describe(int maxChars = 300)
    {
        if (TransportError != null) return TransportError;
        string text = Encoding.UTF8.GetString(Body);
        return $"HTTP {Status}: {(text.Length > maxChars ? text[..maxChars] + "…" : text)}";
    }
}

/// <summary>
/// Issues PromQL API GETs the way a dashboard does, timing the request and the full body read.
/// One client for both servers so both get the same keep-alive connection reuse.
/// </summary>
public sealed class ApiClient : IDisposable
{
    // No Accept-Encoding: gzip would add compression CPU on the server and decompression on this
    // client to both measurements; uncompressed bodies keep the comparison about query evaluation.
    private readonly HttpClient _http;
    private readonly Options _options;

    public ApiClient(Options options)
    {
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = options.Timeout,
        };
    }

    public Uri BuildUri(Uri server, QuerySpec query)
    {
        string baseText = server.ToString().TrimEnd('/');
        string q = Uri.EscapeDataString(query.PromQL);
        string end = Options.FormatSeconds(_options.EndMs);
        return query.Kind == QueryKind.Instant
            ? new Uri($"{baseText}/api/v1/query?query={q}&time={end}")
            : new Uri($"{baseText}/api/v1/query_range?query={q}&start={Options.FormatSeconds(_options.EndMs - _options.RangeMs)}" +
                      $"&end={end}&step={Options.FormatSeconds(_options.StepMs)}");
    }

    public async Task<ApiResponse> GetAsync(Uri uri)
    {
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            using var resp = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            byte[] body = await resp.Content.ReadAsByteArrayAsync();
            return new ApiResponse((int)resp.StatusCode, body, Stopwatch.GetElapsedTime(t0).TotalMilliseconds, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            string what = e is TaskCanceledException ? $"timeout after {_options.Timeout.TotalSeconds:F0} s" : e.Message;
            return new ApiResponse(0, [], Stopwatch.GetElapsedTime(t0).TotalMilliseconds, $"request failed: {what}");
        }
    }

    public void Dispose() => _http.Dispose();
}
