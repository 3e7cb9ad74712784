using System.Globalization;
using System.Text;

namespace Strata.LogLoad;

/// <summary>
/// A deterministic corpus of Kubernetes pod logs as our users' test clusters produce them:
/// controller-runtime JSON lines, klog lines from operators and kubelet-style components, and
/// logfmt lines from Go services, with timestamps, levels, request ids, durations, object names,
/// and now and then a multi-line panic. Vocabulary and id churn are tuned so compression ratios
/// resemble real pod logs (repetitive structure, high-entropy ids), not a toy.
/// </summary>
public sealed class PodLogCorpus
{
    private static readonly string[] Controllers = ["deployment", "statefulset", "job", "clusterqueue", "workload", "machine", "nodepool", "certificate", "ingress", "rayjob"];
    private static readonly string[] Verbs = ["Reconciling", "Reconciled successfully", "Updating status", "Requeue after conflict", "Created child object", "Deleted stale object", "Waiting for dependencies", "Admitted workload", "Preempted workload", "Starting workers"];
    private static readonly string[] Levels = ["info", "info", "info", "info", "info", "debug", "debug", "warn", "error"];
    private static readonly string[] Paths = ["/apis/apps/v1/namespaces/{0}/deployments", "/api/v1/namespaces/{0}/pods", "/apis/kueue.x-k8s.io/v1beta1/namespaces/{0}/workloads", "/healthz", "/readyz", "/metrics"];
    private static readonly string[] Errors = ["context deadline exceeded", "connection refused", "the object has been modified; please apply your changes to the latest version and try again", "no matches for kind \"RayJob\" in version \"ray.io/v1\"", "admission webhook \"vpod.kb.io\" denied the request: resource quota exceeded"];

    private readonly Random _rng;
    private readonly int _streams;
    private long _clockNs;

    public PodLogCorpus(int seed, int streams, long startNs)
    {
        _rng = new Random(seed);
        _streams = streams;
        _clockNs = startNs;
    }

    /// <summary>Stream labels for stream <paramref name="i"/>: what Alloy attaches to pod logs.</summary>
    public static (string Name, string Value)[] StreamLabels(int i) =>
    [
        ("container", i % 3 == 0 ? "manager" : i % 3 == 1 ? "kube-rbac-proxy" : "app"),
        ("github_run_id", (9_000_000_000L + i / 40).ToString(CultureInfo.InvariantCulture)),
        ("job", $"test-ns-{i % 20}/worker"),
        ("log_type", "pod_log"),
        ("namespace", $"test-ns-{i % 20}"),
        ("pod", $"worker-{i:x6}-{i % 7}abc"),
        ("vcluster_namespace", $"vcluster-{i / 40}"),
    ];

    /// <summary>The next entry: stream index, timestamp (ns, increasing ~ms apart) and the line.</summary>
    public (int Stream, long Ns, string Line) Next()
    {
        _clockNs += 200_000 + _rng.Next(0, 1_600_000);
        int stream = _rng.Next(_streams);
        return (stream, _clockNs, Line(stream, _clockNs));
    }

    private string Line(int stream, long ns)
    {
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000).UtcDateTime;
        string ns_ = $"test-ns-{stream % 20}";
        string obj = $"{Controllers[_rng.Next(Controllers.Length)]}-{_rng.Next(400):x3}";
        string level = Levels[_rng.Next(Levels.Length)];
        string reqId = Guid(_rng);
        double ms = Math.Round(_rng.NextDouble() * _rng.Next(1, 2000), 3);
        switch (stream % 3)
        {
            case 0:
            {
                var sb = new StringBuilder(256);
                sb.Append("{\"level\":\"").Append(level).Append("\",\"ts\":\"").Append(ts.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
                  .Append("\",\"logger\":\"controllers.").Append(Controllers[_rng.Next(Controllers.Length)]).Append("\",\"msg\":\"")
                  .Append(Verbs[_rng.Next(Verbs.Length)]).Append("\",\"namespace\":\"").Append(ns_).Append("\",\"name\":\"").Append(obj)
                  .Append("\",\"reconcileID\":\"").Append(reqId).Append("\",\"duration\":\"").Append(ms.ToString(CultureInfo.InvariantCulture)).Append("ms\"");
                if (level == "error") sb.Append(",\"error\":\"").Append(Errors[_rng.Next(Errors.Length)].Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                return sb.Append('}').ToString();
            }
            case 1:
            {
                char k = level switch { "error" => 'E', "warn" => 'W', _ => 'I' };
                string line = $"{k}{ts:MMdd HH:mm:ss.ffffff}       1 {Controllers[_rng.Next(Controllers.Length)]}_controller.go:{_rng.Next(80, 900)}] \"{Verbs[_rng.Next(Verbs.Length)]}\" {Controllers[_rng.Next(Controllers.Length)]}=\"{ns_}/{obj}\" duration=\"{ms.ToString(CultureInfo.InvariantCulture)}ms\"";
                if (k == 'E') line += $" err=\"{Errors[_rng.Next(Errors.Length)].Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
                return line;
            }
            default:
            {
                string path = string.Format(CultureInfo.InvariantCulture, Paths[_rng.Next(Paths.Length)], ns_);
                int status = level == "error" ? 500 + _rng.Next(4) : _rng.Next(20) == 0 ? 404 : 200;
                string line = $"level={level} ts={ts:yyyy-MM-ddTHH:mm:ss.fffZ} caller=server.go:{_rng.Next(100, 400)} msg=\"request completed\" method={(_rng.Next(4) == 0 ? "POST" : "GET")} path={path} status={status} duration={ms.ToString(CultureInfo.InvariantCulture)}ms bytes={_rng.Next(80, 90000)} request_id={reqId}";
                if (level == "error" && _rng.Next(6) == 0)
                    line += $"\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x{_rng.Next():x}]\n\ngoroutine {_rng.Next(1, 9000)} [running]:\nmain.(*Server).handle(0xc000{_rng.Next(0x100000):x5})\n\t/src/server.go:{_rng.Next(100, 400)} +0x{_rng.Next(0x400):x}";
                return line;
            }
        }
    }

    private static string Guid(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        return new System.Guid(b).ToString();
    }
}
