using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Google.Protobuf;
using Strata.TestSupport.Prompb;

// Remote-write load generator: a deterministic Kubernetes-like dataset (series × points at a 15 s
// interval ending now), pre-encoded into snappy WriteRequests of --batch samples each and sharded
// by series like Prometheus's sender (one sequential stream per shard), then sent at full speed.
// Encoding happens before the clock starts, so the generator costs the same for every target.
var opts = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["target"] = "http://127.0.0.1:9090/api/v1/write",
    ["series"] = "20000",
    ["points"] = "240",
    ["batch"] = "2000",
    ["concurrency"] = "4",
    ["seed"] = "1",
    ["prefix"] = "",
};
for (int i = 0; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
int seriesCount = int.Parse(opts["series"], CultureInfo.InvariantCulture);
int points = int.Parse(opts["points"], CultureInfo.InvariantCulture);
int batch = int.Parse(opts["batch"], CultureInfo.InvariantCulture);
int shards = int.Parse(opts["concurrency"], CultureInfo.InvariantCulture);
var rng = new Random(int.Parse(opts["seed"], CultureInfo.InvariantCulture));

string[] metrics = ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "kube_pod_status_phase",
    "kube_pod_container_status_restarts_total", "apiserver_request_total", "node_cpu_seconds_total", "controller_runtime_reconcile_total",
    "controller_runtime_reconcile_errors_total", "workqueue_depth", "process_resident_memory_bytes"];
var labelSets = new List<Label[]>(seriesCount);
var isCounter = new bool[seriesCount];
var values = new double[seriesCount];
for (int i = 0; i < seriesCount; i++)
{
    string metric = opts["prefix"] + metrics[i % metrics.Length];
    int pod = i / metrics.Length;
    var l = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["__name__"] = metric,
        ["container"] = "manager",
        ["github_run_id"] = (9_000_000_000L + pod / 200).ToString(CultureInfo.InvariantCulture),
        ["instance"] = $"10.0.{pod / 250 % 256}.{pod % 250}:8080",
        ["job"] = "kubernetes-pods",
        ["namespace"] = $"test-ns-{pod % 40}",
        ["node"] = $"node-{pod % 16}",
        ["pod"] = $"worker-{pod:x6}-{pod % 7}abc",
        ["vcluster_namespace"] = $"vcluster-{pod / 200}",
    };
    labelSets.Add([.. l.Select(kv => new Label { Name = kv.Key, Value = kv.Value })]);
    isCounter[i] = metric.EndsWith("_total", StringComparison.Ordinal);
    values[i] = isCounter[i] ? rng.Next(1000) : rng.NextDouble() * 1e8;
}

long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
long t0 = now - (long)points * 15_000;
var shardRequests = new List<byte[]>[shards];
for (int s = 0; s < shards; s++) shardRequests[s] = [];
var pending = new WriteRequest[shards];
var pendingCount = new int[shards];
long totalSamples = 0;
for (int k = 0; k < points; k++)
{
    for (int i = 0; i < seriesCount; i++)
    {
        int shard = i % shards;
        pending[shard] ??= new WriteRequest();
        values[i] = isCounter[i] ? values[i] + rng.Next(0, 20) : Math.Round(values[i] * (0.95 + rng.NextDouble() * 0.1), 2);
        var ts = new TimeSeries();
        ts.Labels.Add(labelSets[i]);
        ts.Samples.Add(new Sample { Timestamp = t0 + k * 15_000L + rng.Next(-50, 50), Value = values[i] });
        pending[shard].Timeseries.Add(ts);
        totalSamples++;
        if (++pendingCount[shard] == batch)
        {
            shardRequests[shard].Add(IronSnappy.Snappy.Encode(pending[shard].ToByteArray()));
            pending[shard] = new WriteRequest();
            pendingCount[shard] = 0;
        }
    }
}
for (int s = 0; s < shards; s++)
{
    if (pendingCount[s] > 0) shardRequests[s].Add(IronSnappy.Snappy.Encode(pending[s].ToByteArray()));
}
long bytes = shardRequests.Sum(r => r.Sum(b => (long)b.Length));
Console.WriteLine($"dataset: {seriesCount} series x {points} points = {totalSamples} samples, {shardRequests.Sum(r => r.Count)} requests, {bytes / 1048576.0:F1} MiB snappy, {shards} shards");

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = shards * 2 }) { Timeout = TimeSpan.FromMinutes(5) };
long failed = 0;
string? firstError = null;
var sw = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, shards).Select(async s =>
{
    foreach (var body in shardRequests[s])
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        content.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        using var resp = await http.PostAsync(opts["target"], content);
        if (!resp.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failed);
            firstError ??= $"{(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync()}";
        }
    }
}));
sw.Stop();
Console.WriteLine($"target {opts["target"]}: {totalSamples / sw.Elapsed.TotalSeconds:F0} samples/s ({sw.Elapsed.TotalSeconds:F2} s), failed requests: {failed}{(firstError != null ? " first: " + firstError.Trim() : "")}");
return failed == 0 ? 0 : 1;
