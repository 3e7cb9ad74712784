using System.Net.Http.Headers;
using System.Text.Json;
using Strata.Api;
using Strata.Api.Configuration;

namespace Strata.Api.Tests;

/// <summary>Starts the real server on 127.0.0.1 with a fresh data directory, as the binary would.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>Flags added to the defaults (loopback port 0, a fresh data directory).</summary>
    public string[] Args { get; init; } = [];

    public StrataServer Server { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "strata-test-" + Guid.NewGuid().ToString("N"));

    public static async Task<ServerFixture> StartAsync(params string[] args)
    {
        var f = new ServerFixture { Args = args };
        await f.InitializeAsync();
        return f;
    }

    public async Task InitializeAsync()
    {
        string[] args = ["--web.listen-address=127.0.0.1:0", "--storage.tsdb.path", DataDir, "--log.level=warn", .. Args];
        string? error = ServerOptions.TryCreate(args, new Dictionary<string, string>(), out var options, out _, out _);
        if (error != null) throw new InvalidOperationException(error);
        Server = await StrataServer.CreateAsync(options!);
        await Server.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(Server.Url) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, true);
        }
        catch (IOException)
        {
        }
    }

    public async Task<HttpResponseMessage> Write(byte[] body, string contentType, string? encoding = "snappy")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding != null) content.Headers.ContentEncoding.Add(encoding);
        return await Client.PostAsync("/api/v1/write", content);
    }

    public async Task<(int Status, JsonElement Body)> GetJson(string url)
    {
        var resp = await Client.GetAsync(url);
        var text = await resp.Content.ReadAsStringAsync();
        return ((int)resp.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(int Status, JsonElement Body)> PostForm(string url, params (string Key, string Value)[] form)
    {
        var resp = await Client.PostAsync(url, new FormUrlEncodedContent(form.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value))));
        var text = await resp.Content.ReadAsStringAsync();
        return ((int)resp.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
