using System.Buffers;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Bench.Storage;

/// <summary>
/// The log store on a generated Kubernetes pod-log corpus (<see cref="PodLogCorpus"/>: 50 streams,
/// 48 MiB of klog, zap JSON, logfmt, slog JSON, ingress-nginx and Spring Boot lines; seed 42).
/// Every benchmark's OperationsPerInvoke is the corpus size in MiB, so <b>Mean is the time per MiB
/// of raw line text</b> (MiB/s = 1 s / Mean) and Allocated is bytes per MiB.
/// <list type="bullet">
/// <item><c>Append</c>: AppendAsync of the whole corpus by 4 concurrent clients in pushes of ~1000
/// lines (≈ 230 KB, as Promtail batches), each awaited (WAL group commit); compression runs on the
/// background compressor meanwhile, with appenders helping when it falls behind.</item>
/// <item><c>AppendAndStore</c>: the same, then until every block is compressed, in the chunk log and
/// committed: the rate the store sustains.</item>
/// <item><c>ScanForward</c>/<c>ScanBackward</c>: every line of every stream through cursors, blocks read
/// from the chunk log files (page cache), decompressed and iterated.</item>
/// <item><c>ScanForwardTwoThreads</c>: the same with two cursors at a time.</item>
/// <item><c>ScanNeedle</c>: every stream with a request id (present in one block) as required literal,
/// lines of non-skipped blocks checked with IndexOf, as the query engine does.</item>
/// </list>
/// Run from bench/Micro: <c>dotnet run -c Release -- --filter '*LogStore*' --job short --artifacts /tmp/bdn-logs</c>.
/// </summary>
[MemoryDiagnoser]
public class LogStoreBenchmarks
{
    private const int Seed = 42;
    private const int Streams = 50;
    private const long CorpusBytes = 48L << 20;
    private const int Mib = (int)(CorpusBytes >> 20);

    /// <summary>Concurrent clients: acknowledgements wait for a WAL commit (one fsync ~ms here), so a single client is latency-bound.</summary>
    private const int Writers = 4;

    private PodLogStream[] _corpus = [];
    private List<LogStreamPush>[][] _pushes = [];
    private long _shift;
    private string _dir = "";
    private LogStore? _store;
    private LogStore? _scanStore;
    private string _scanDir = "";
    private List<LogStreamInfo> _scanStreams = [];
    private byte[][] _needle = [];

    [GlobalSetup]
    public void Setup()
    {
        _corpus = PodLogCorpus.Generate(Seed, Streams, CorpusBytes);
        _pushes = BuildPushes(_corpus, 0, Writers);
        _scanDir = NewDir("scan");
        var clock = new BenchClock();
        _scanStore = LogStore.OpenAsync(new LogStoreOptions { Directory = _scanDir, Retention = TimeSpan.FromDays(3650) }, null, clock).GetAwaiter().GetResult();
        foreach (var writer in _pushes)
        {
            foreach (var p in writer) _scanStore.AppendAsync(p).AsTask().GetAwaiter().GetResult();
        }
        // Age the head chunks past MaxChunkAge so maintenance cuts them too: scans read stored blocks only.
        clock.Now += TimeSpan.FromHours(2);
        _scanStore.RunMaintenanceAsync(default).AsTask().GetAwaiter().GetResult();
        _scanStreams = _scanStore.SelectStreams([new LabelMatcher(Strata.Storage.Index.MatchType.NotEqual, "app", "")], long.MinValue, long.MaxValue);
        var m = _scanStore.Metrics;
        Console.WriteLine($"// corpus {CorpusBytes} B, {m.BlocksStored} blocks, stored ratio {(double)m.UncompressedBytes / m.CompressedBytes:F2}x (records incl. headers, labels and filters)");
        // A request id from one nginx line in the middle of the corpus.
        var s = Array.Find(_corpus, c => c.Kind == "nginx")!;
        string line = Encoding.UTF8.GetString(s.Lines[s.Lines.Length / 2]);
        _needle = [Encoding.UTF8.GetBytes(line[^32..])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scanStore?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        TryDelete(_scanDir);
        TryDelete(_dir);
    }

    [IterationSetup(Targets = [nameof(Append), nameof(AppendAndStore)])]
    public void FreshStore()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        TryDelete(_dir);
        _dir = NewDir("append");
        _store = LogStore.OpenAsync(new LogStoreOptions { Directory = _dir, Retention = TimeSpan.FromDays(3650) }).GetAwaiter().GetResult();
        _pushes = BuildPushes(_corpus, ++_shift, Writers);
    }

    [Benchmark(OperationsPerInvoke = Mib)]
    public async Task<int> Append()
    {
        var tasks = new Task<int>[_pushes.Length];
        for (int w = 0; w < tasks.Length; w++) tasks[w] = Push(_store!, _pushes[w]);
        int accepted = 0;
        foreach (int n in await Task.WhenAll(tasks)) accepted += n;
        return accepted;
    }

    private static async Task<int> Push(LogStore store, List<LogStreamPush>[] pushes)
    {
        await Task.Yield();
        int accepted = 0;
        foreach (var p in pushes) accepted += (await store.AppendAsync(p)).Accepted;
        return accepted;
    }

    [Benchmark(OperationsPerInvoke = Mib)]
    public async Task<int> AppendAndStore()
    {
        int accepted = await Append();
        await _store!.RunMaintenanceAsync(default);
        return accepted;
    }

    [Benchmark(OperationsPerInvoke = Mib)]
    public long ScanForward() => Scan(backward: false, null);

    [Benchmark(OperationsPerInvoke = Mib)]
    public long ScanBackward() => Scan(backward: true, null);

    /// <summary>Two cursors at a time (streams split between two threads), as a query over many streams runs on this 2-core VM.</summary>
    [Benchmark(OperationsPerInvoke = Mib)]
    public long ScanForwardTwoThreads()
    {
        long total = 0;
        Parallel.ForEach(_scanStreams, new ParallelOptions { MaxDegreeOfParallelism = 2 }, () => 0L, (info, _, n) =>
        {
            using var c = _scanStore!.Open(info, long.MinValue, long.MaxValue, backward: false);
            while (c.MoveNext()) n += c.Line.Length;
            return n;
        }, n => Interlocked.Add(ref total, n));
        return total;
    }

    [Benchmark(OperationsPerInvoke = Mib)]
    public long ScanNeedle()
    {
        long found = Scan(backward: false, _needle);
        if (found != 1) throw new InvalidOperationException($"needle found {found} times");
        return found;
    }

    private long Scan(bool backward, byte[][]? literals)
    {
        long n = 0;
        foreach (var info in _scanStreams)
        {
            using var c = _scanStore!.Open(info, long.MinValue, long.MaxValue, backward, literals);
            if (literals == null)
            {
                while (c.MoveNext()) n += c.Line.Length;
            }
            else
            {
                while (c.MoveNext())
                {
                    if (c.Line.IndexOf(literals[0]) >= 0) n++;
                }
            }
        }
        return n;
    }

    /// <summary>
    /// Pushes of ~1000 lines (~230 KB) for each of <paramref name="writers"/> clients, client k owning
    /// streams k, k + writers, … (as one Promtail per node owns its pods' streams), each client's
    /// pushes in time order; timestamps moved by <paramref name="shift"/> hours so a store never sees
    /// duplicates.
    /// </summary>
    internal static List<LogStreamPush>[][] BuildPushes(PodLogStream[] corpus, long shift, int writers)
    {
        long offset = shift * 3_600_000_000_000L;
        var labels = Array.ConvertAll(corpus, s => LabelSet.From(s.Labels));
        var result = new List<LogStreamPush>[writers][];
        for (int w = 0; w < writers; w++)
        {
            var mine = Enumerable.Range(0, corpus.Length).Where(i => i % writers == w).ToArray();
            long total = mine.Sum(i => (long)corpus[i].Lines.Length);
            var pos = new int[corpus.Length];
            var pushes = new List<List<LogStreamPush>>();
            long done = 0;
            while (done < total)
            {
                var push = new List<LogStreamPush>();
                foreach (int i in mine)
                {
                    var s = corpus[i];
                    // Busy streams contribute more lines per push, in proportion to their share of ~1000.
                    int take = (int)Math.Min(s.Lines.Length - pos[i], Math.Max(1, 1000L * s.Lines.Length / total));
                    if (take <= 0) continue;
                    var entries = new List<LogEntry>(take);
                    for (int k = 0; k < take; k++) entries.Add(new LogEntry(s.Timestamps[pos[i] + k] + offset, s.Lines[pos[i] + k], []));
                    pos[i] += take;
                    done += take;
                    push.Add(new LogStreamPush(labels[i], entries));
                }
                pushes.Add(push);
            }
            result[w] = [.. pushes];
        }
        return result;
    }

    internal static string NewDir(string name)
    {
        string d = Path.Combine(Path.GetTempPath(), "strata-logbench-" + name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    internal static void TryDelete(string dir)
    {
        try
        {
            if (dir.Length > 0) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the benchmark moves by hand.</summary>
internal sealed class BenchClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// Block codecs on the same corpus, cut into blocks of 256 KiB per stream and encoded exactly as the
/// store encodes them (sorted columnar payload, FORMAT.md). Compress includes encoding the payload
/// and building the 4-gram filter; Decompress includes parsing the columns. Mean is per MiB of raw
/// line text. The ratio (line bytes / compressed payload bytes, without headers and filters) is
/// printed at setup. The numbers behind the choice in FORMAT.md ("Compression").
/// </summary>
[MemoryDiagnoser]
public class LogStoreCodecBenchmarks
{
    private const long CorpusBytes = 48L << 20;
    private const int Mib = (int)(CorpusBytes >> 20);

    private readonly List<(byte[] Data, HeadEntry[] Entries, int Count, int DataLength, long LineBytes)> _chunks = [];
    private readonly List<(byte[] Compressed, int Length, int RawLength)> _compressed = [];
    private LogBlockCodec _codec;
    private int _level;

    [Params("none", "snappy-ref", "deflate-1", "deflate-3", "deflate-5", "deflate-6", "deflate-9", "brotli-1", "brotli-4", "brotli-5")]
    public string Codec { get; set; } = "deflate-5";

    [GlobalSetup]
    public void Setup()
    {
        var corpus = PodLogCorpus.Generate(42, 50, CorpusBytes);
        foreach (var s in corpus)
        {
            int i = 0;
            while (i < s.Lines.Length)
            {
                var head = new HeadChunk();
                while (i < s.Lines.Length && head.RawBytes < 256 * 1024)
                {
                    head.Append(s.Timestamps[i], s.Lines[i], default);
                    i++;
                }
                var copy = head.CopyOut();
                _chunks.Add((copy.Data, copy.Entries, copy.Count, copy.DataLength, head.LineBytes));
            }
        }
        var parts = Codec.Split('-');
        _codec = parts[0] switch { "deflate" => LogBlockCodec.Deflate, "brotli" => LogBlockCodec.Brotli, _ => LogBlockCodec.None };
        _level = parts.Length > 1 && parts[1] != "ref" ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
        long lines = 0, stored = 0;
        foreach (var c in _chunks)
        {
            var payload = new byte[BlockPayload.MaxLength(c.Count, c.DataLength, false)];
            int rawLength = BlockPayload.Encode(c.Data.AsSpan(0, c.DataLength), c.Entries.AsSpan(0, c.Count), true, false, payload, null, out _, out _);
            var dst = new byte[BlockCompression.MaxCompressedLength(rawLength)];
            int n = Codec == "snappy-ref"
                ? Strata.Ingest.Snappy.Snappy.Encode(payload.AsSpan(0, rawLength), dst = new byte[Strata.Ingest.Snappy.Snappy.MaxEncodedLength(rawLength)])
                : BlockCompression.Compress(_codec, _level, payload.AsSpan(0, rawLength), dst, 0);
            _compressed.Add((dst, n, rawLength));
            lines += c.LineBytes;
            stored += n;
        }
        Console.WriteLine($"// {Codec}: {_chunks.Count} blocks, ratio {(double)lines / stored:F2}x (line bytes / compressed payload)");
    }

    [Benchmark(OperationsPerInvoke = Mib)]
    public long Compress()
    {
        long total = 0;
        var filter = NgramFilter.Rent();
        try
        {
            foreach (var c in _chunks)
            {
                var payload = ArrayPool<byte>.Shared.Rent(BlockPayload.MaxLength(c.Count, c.DataLength, false));
                var dst = ArrayPool<byte>.Shared.Rent(BlockCompression.MaxCompressedLength(payload.Length) + NgramFilter.MaxBytes);
                NgramFilter.Clear(filter);
                int rawLength = BlockPayload.Encode(c.Data.AsSpan(0, c.DataLength), c.Entries.AsSpan(0, c.Count), true, false, payload, filter, out _, out _);
                total += NgramFilter.Finish(filter, dst);
                total += Codec == "snappy-ref"
                    ? Strata.Ingest.Snappy.Snappy.Encode(payload.AsSpan(0, rawLength), dst.AsSpan(NgramFilter.MaxBytes))
                    : BlockCompression.Compress(_codec, _level, payload.AsSpan(0, rawLength), dst, NgramFilter.MaxBytes);
                ArrayPool<byte>.Shared.Return(payload);
                ArrayPool<byte>.Shared.Return(dst);
            }
        }
        finally
        {
            NgramFilter.Return(filter);
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Mib)]
    public long Decompress()
    {
        long total = 0;
        foreach (var (compressed, length, rawLength) in _compressed)
        {
            var payload = ArrayPool<byte>.Shared.Rent(rawLength);
            bool ok = Codec == "snappy-ref"
                ? Strata.Ingest.Snappy.Snappy.TryDecode(compressed.AsSpan(0, length), payload.AsSpan(0, rawLength), out _, out _)
                : BlockCompression.TryDecompress(_codec, compressed, 0, length, payload.AsSpan(0, rawLength));
            if (!ok) throw new InvalidOperationException("corrupt");
            using var block = DecodedBlock.TryParse(payload, rawLength, 0) ?? throw new InvalidOperationException("malformed");
            for (int i = 0; i < block.Count; i++) total += block.Line(i).Length;
        }
        return total;
    }
}


/// <summary>One generated stream: its label pairs (sorted by name) and its entries in time order.</summary>
public sealed record PodLogStream((string Name, string Value)[] Labels, long[] Timestamps, byte[][] Lines, string Kind);

/// <summary>
/// A reproducible corpus of Kubernetes pod logs, one stream per container, each stream in one of
/// the formats such clusters produce: klog text (kube-controller-manager, kube-scheduler, kubelet
/// style), controller-runtime zap JSON (epoch-float timestamps, reconcile ids), logfmt (Prometheus,
/// Loki, Grafana Agent), slog JSON access logs and ingress-nginx access logs. Lines carry what makes
/// real logs hard to compress: the entry's own timestamp in the text, random request/trace ids
/// (UUIDs, 16/32 hex), durations, sizes, pod IPs and ports, object names with random suffixes.
/// Everything comes from one seeded <see cref="Random"/>, so a seed always yields the same bytes.
/// </summary>
public static class PodLogCorpus
{
    private const string K8sAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    private static readonly string[] Namespaces =
        ["kube-system", "monitoring", "ingress-nginx", "cert-manager", "argocd", "payments", "orders", "checkout", "catalog", "auth", "search", "default"];
    private static readonly string[] Apps =
        ["web", "api", "worker", "frontend", "cart", "payment-gateway", "inventory", "notifier", "scheduler", "billing", "gateway", "recommender"];
    /// <summary>
    /// Share of lines that repeat one of a few dozen earlier events of the container with a new
    /// time (probes, periodic syncs, retries). 0.5 puts Deflate-6 (≈ gzip) at about twice Snappy's
    /// ratio, the same relation as Loki's published 18× vs 9.6×; the absolute ratios of this
    /// corpus are about half of Loki's (more random ids and numbers per line).
    /// </summary>
    public const double DefaultRepeatShare = 0.5;

    private static readonly string[] Kinds = ["klog", "zap", "logfmt", "access-json", "nginx", "java"];

    /// <summary>
    /// Generates <paramref name="streams"/> streams holding about <paramref name="totalBytes"/> of line
    /// text together (streams get different shares, as busy and quiet pods do).
    /// </summary>
    public static PodLogStream[] Generate(int seed, int streams, long totalBytes, double repeatShare = DefaultRepeatShare, long startNs = 1_710_237_600_000_000_000)
    {
        var rnd = new Random(seed);
        var weights = new double[streams];
        double sum = 0;
        for (int i = 0; i < streams; i++)
        {
            weights[i] = 0.2 + rnd.NextDouble() * rnd.NextDouble() * 4; // a few busy pods, many quiet ones
            sum += weights[i];
        }
        var result = new PodLogStream[streams];
        for (int i = 0; i < streams; i++)
        {
            long bytes = (long)(totalBytes * weights[i] / sum);
            result[i] = GenerateStream(new Random(rnd.Next()), i, bytes, repeatShare, startNs);
        }
        return result;
    }

    private static PodLogStream GenerateStream(Random rnd, int index, long bytes, double repeatShare, long startNs)
    {
        string kind = Kinds[index % Kinds.Length];
        string ns = kind switch
        {
            "klog" => "kube-system",
            "nginx" => "ingress-nginx",
            _ => Namespaces[rnd.Next(Namespaces.Length)],
        };
        string app = kind switch
        {
            "klog" => index % 3 == 0 ? "kube-scheduler" : index % 3 == 1 ? "kube-controller-manager" : "kube-proxy",
            "nginx" => "ingress-nginx-controller",
            "logfmt" => index % 2 == 0 ? "prometheus" : "loki",
            _ => Apps[rnd.Next(Apps.Length)],
        };
        string pod = app + "-" + Suffix(rnd, 10) + "-" + Suffix(rnd, 5);
        string container = kind == "nginx" ? "controller" : app;
        string node = "node-" + rnd.Next(12).ToString(CultureInfo.InvariantCulture);
        var labels = new (string, string)[]
        {
            ("app", app),
            ("container", container),
            ("job", ns + "/" + app),
            ("namespace", ns),
            ("node_name", node),
            ("pod", pod),
            ("stream", rnd.Next(5) == 0 ? "stderr" : "stdout"),
        };
        var gen = new LineGenerator(rnd, kind, ns, app, node, repeatShare);
        double perSecond = 0.5 + rnd.NextDouble() * 40;
        var ts = new List<long>();
        var lines = new List<byte[]>();
        long t = startNs + (long)(rnd.NextDouble() * 1e9);
        long total = 0;
        int burst = 0;
        while (total < bytes)
        {
            // Programs write in bursts (a reconcile logs several lines, a stack trace arrives in one
            // write): lines of a burst are microseconds apart, bursts are Poisson arrivals.
            if (burst > 0 || gen.InMultiLine)
            {
                burst--;
                t += rnd.Next(1_000, 60_000);
            }
            else
            {
                t += (long)(-Math.Log(1 - rnd.NextDouble()) / perSecond * 1e9) + 1;
                burst = (int)(-Math.Log(1 - rnd.NextDouble()) * 2);
            }
            var line = Encoding.UTF8.GetBytes(gen.Next(t));
            ts.Add(t);
            lines.Add(line);
            total += line.Length;
        }
        return new PodLogStream(labels, [.. ts], [.. lines], kind);
    }

    private static string Suffix(Random rnd, int n)
    {
        Span<char> c = stackalloc char[n];
        for (int i = 0; i < n; i++) c[i] = K8sAlphabet[rnd.Next(K8sAlphabet.Length)];
        return new string(c);
    }

    private static string Hex(Random rnd, int n)
    {
        Span<char> c = stackalloc char[n];
        for (int i = 0; i < n; i++) c[i] = "0123456789abcdef"[rnd.Next(16)];
        return new string(c);
    }

    private static string Uuid(Random rnd)
    {
        var b = new byte[16];
        rnd.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b).ToString("D");
    }

    /// <summary>Produces the lines of one container; keeps the small per-pod state real programs have.</summary>
    private sealed class LineGenerator(Random random, string kind, string ns, string app, string node, double repeatShare)
    {
        // Ids (request, trace, uid) always come from the container's own generator: a repeated event gets a new id.
        private Random rnd = random;
        private readonly Random _own = random;
        private readonly int _repeatSeed = random.Next();
        private static readonly string[] Methods = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"];
        private static readonly string[] Routes = ["/healthz", "/readyz", "/api/v1/orders/{0}", "/metrics", "/api/v1/users/{0}", "/api/v1/cart", "/api/v1/products/{0}/reviews", "/api/v1/search?q=item{0}&page=2", "/static/js/main.{1}.js"];
        private static readonly int[] RouteBytes = [2, 2, 1840, 48213, 912, 3121, 7342, 15020, 183211];
        private static readonly string[] Agents =
        [
            "kube-probe/1.29", "Go-http-client/1.1", "Prometheus/2.51.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
            "curl/8.5.0",
        ];
        private static readonly string[] ControllerKinds = ["Deployment", "ReplicaSet", "Certificate", "Ingress", "Application", "ConfigMap", "Service"];
        private static readonly string[] Reasons = ["Scheduled", "Pulled", "Created", "Started", "Killing", "SuccessfulCreate", "ScalingReplicaSet", "BackOff"];

        // A container talks about a handful of objects and peers, again and again.
        private readonly string[] _objects = MakeObjects(random);
        private readonly string[] _pods = MakePods(random);
        private readonly string[] _podIps = MakeIps(random, 12);
        private readonly string[] _scrapeTargets = MakeIps(random, 16);
        private readonly int _pid = random.Next(1, 60);
        private readonly string _bundle = Hex(random, 8);
        private string _reconcileId = Uuid(random);
        private int _reconcileLeft;

        private static string[] MakeObjects(Random rnd)
        {
            var o = new string[8];
            for (int i = 0; i < o.Length; i++) o[i] = Namespaces[rnd.Next(Namespaces.Length)] + "/" + Apps[rnd.Next(Apps.Length)] + "-" + Suffix(rnd, 10);
            return o;
        }

        private static string[] MakePods(Random rnd)
        {
            var o = new string[24];
            for (int i = 0; i < o.Length; i++) o[i] = Namespaces[rnd.Next(Namespaces.Length)] + "/" + Apps[rnd.Next(Apps.Length)] + "-" + Suffix(rnd, 10) + "-" + Suffix(rnd, 5);
            return o;
        }

        private static string[] MakeIps(Random rnd, int n)
        {
            var o = new string[n];
            for (int i = 0; i < n; i++) o[i] = $"10.244.{rnd.Next(16)}.{rnd.Next(2, 254)}";
            return o;
        }

        private string Dur()
        {
            double ms = Math.Exp(rnd.NextDouble() * 8 - 3); // 0.05 ms … 150 ms, log-uniform
            return ms < 1 ? (ms * 1000).ToString("0.###", CultureInfo.InvariantCulture) + "µs" : ms.ToString("0.######", CultureInfo.InvariantCulture) + "ms";
        }

        private string Obj() => Pick(_objects);

        /// <summary>Skewed choice: real logs name a few objects, routes and peers most of the time.</summary>
        private T Pick<T>(T[] items) => items[(int)(items.Length * Math.Pow(rnd.NextDouble(), 3))];

        public string Next(long tsNs)
        {
            // A repeated event: the fields of one of a few dozen earlier lines, with the new time.
            rnd = _own.NextDouble() < repeatShare ? new Random(_repeatSeed + (int)(40 * Math.Pow(_own.NextDouble(), 2))) : _own;
            var t = Epoch.AddTicks(tsNs / 100);
            return kind switch
            {
                "klog" => Klog(t),
                "zap" => Zap(tsNs),
                "logfmt" => Logfmt(t),
                "access-json" => AccessJson(t, tsNs),
                "java" => Java(t),
                _ => Nginx(t),
            };
        }

        private string Klog(DateTime t)
        {
            int r = rnd.Next(100);
            char level = r < 85 ? 'I' : r < 95 ? 'W' : 'E';
            string head = $"{level}{t:MMdd HH:mm:ss.ffffff} {_pid,7} ";
            string target = Obj();
            string podName = Pick(_pods);
            int m = Skewed(10);
            return m switch
            {
                0 or 1 or 2 => head + $"replica_set.go:676] \"Finished syncing\" kind=\"ReplicaSet\" key=\"{target}\" duration=\"{Dur()}\"",
                3 or 4 => head + $"event.go:389] \"Event occurred\" object=\"{podName}\" fieldPath=\"\" kind=\"Pod\" apiVersion=\"v1\" type=\"Normal\" reason=\"{Pick(Reasons)}\" message=\"Successfully assigned {podName} to {node}\"",
                5 => head + $"schedule_one.go:252] \"Successfully bound pod to node\" pod=\"{podName}\" node=\"{node}\" evaluatedNodes={rnd.Next(10, 13)} feasibleNodes={rnd.Next(1, 10)}",
                6 => head + $"endpointslice_controller.go:315] \"Syncing service\" service=\"{target}\" duration=\"{Dur()}\"",
                7 => head + $"reflector.go:351] k8s.io/client-go/informers/factory.go:159: Watch close - *v1.{Pick(ControllerKinds)} total {rnd.Next(1, 300)} items received",
                8 => head + $"leaderelection.go:{(level == 'E' ? 332 : 281)}] {(level == 'E' ? "error retrieving resource lock" : "successfully renewed lease")} kube-system/{app}: {(level == 'E' ? "Get \"https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/" + app + "\": context deadline exceeded" : "lease held")}",
                _ => head + $"garbagecollector.go:{rnd.Next(400, 800)}] \"Deleting item\" item=\"[v1/Pod, namespace: {target.Split('/')[0]}, name: {podName.Split('/')[1]}, uid: {Uuid(_own)}]\" propagationPolicy=\"Background\"",
            };
        }

        private string Zap(long tsNs)
        {
            if (_reconcileLeft-- <= 0)
            {
                _reconcileId = Uuid(_own);
                _reconcileLeft = rnd.Next(1, 5);
            }
            string k = Pick(ControllerKinds);
            string name = Obj().Split('/')[1];
            string ts = (tsNs / 1e9).ToString("0.#######", CultureInfo.InvariantCulture);
            int r = rnd.Next(20);
            string level = r < 16 ? "info" : r < 19 ? "debug" : "error";
            string common = $"\"controller\":\"{k.ToLowerInvariant()}\",\"controllerGroup\":\"apps\",\"controllerKind\":\"{k}\",\"{k}\":{{\"name\":\"{name}\",\"namespace\":\"{ns}\"}},\"namespace\":\"{ns}\",\"name\":\"{name}\",\"reconcileID\":\"{_reconcileId}\"";
            return level switch
            {
                "error" => $"{{\"level\":\"error\",\"ts\":{ts},\"msg\":\"Reconciler error\",{common},\"error\":\"Operation cannot be fulfilled on {k.ToLowerInvariant()}s.apps \\\"{name}\\\": the object has been modified; please apply your changes to the latest version and try again\",\"stacktrace\":\"{ZapStack}\"}}",
                "debug" => $"{{\"level\":\"debug\",\"ts\":{ts},\"logger\":\"controllers.{k}\",\"msg\":\"Requeue\",{common},\"requeueAfter\":\"{rnd.Next(1, 60)}s\"}}",
                _ => rnd.Next(2) == 0
                    ? $"{{\"level\":\"info\",\"ts\":{ts},\"logger\":\"controllers.{k}\",\"msg\":\"Reconciling\",{common}}}"
                    : $"{{\"level\":\"info\",\"ts\":{ts},\"logger\":\"controllers.{k}\",\"msg\":\"Reconcile done\",{common},\"duration\":\"{Dur()}\",\"generation\":{rnd.Next(1, 40)}}}",
            };
        }

        private const string ZapStack =
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).reconcileHandler\\n\\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.17.2/pkg/internal/controller/controller.go:329" +
            "\\nsigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).processNextWorkItem\\n\\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.17.2/pkg/internal/controller/controller.go:266" +
            "\\nsigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Start.func2.2\\n\\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.17.2/pkg/internal/controller/controller.go:227";

        private static readonly string[] JavaFrames =
        [
            "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011)",
            "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
            "\tat org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)",
            "\tat org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
            "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
            "\tat org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
            "\tat org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
            "\tat org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
            "\tat org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
            "\tat org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
            "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
        ];

        private int _stackLeft;

        public bool InMultiLine => _stackLeft > 0;
        private int _stackFrame;

        /// <summary>Spring Boot (logback) text; an exception's stack trace arrives one entry per line, as the CRI runtime splits it.</summary>
        private string Java(DateTime t)
        {
            if (_stackLeft > 0)
            {
                _stackLeft--;
                return _stackLeft == 0 ? $"\t... {rnd.Next(20, 90)} common frames omitted" : JavaFrames[_stackFrame++ % JavaFrames.Length];
            }
            string head = $"{t:yyyy-MM-dd HH:mm:ss.fff}";
            int thread = rnd.Next(1, 11);
            int m = Skewed(10);
            if (m == 9)
            {
                _stackLeft = rnd.Next(8, 25);
                _stackFrame = 0;
                return head + $" ERROR 1 --- [nio-8080-exec-{thread}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception" +
                    $" org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection; nested exception is org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection";
            }
            return m switch
            {
                < 4 => head + $"  INFO 1 --- [nio-8080-exec-{thread}] c.e.{app.Replace("-", "", StringComparison.Ordinal)}.web.OrderController           : Order {rnd.Next(10000, 99999)} created for customer {rnd.Next(100, 2000)} in {rnd.Next(3, 200)} ms",
                < 6 => head + $" DEBUG 1 --- [nio-8080-exec-{thread}] o.s.web.servlet.DispatcherServlet        : Completed 200 OK",
                < 8 => head + $"  INFO 1 --- [   scheduling-1] c.e.{app.Replace("-", "", StringComparison.Ordinal)}.jobs.OutboxPublisher          : Published {rnd.Next(0, 40)} outbox events to topic orders.v1 in {rnd.Next(1, 90)} ms",
                _ => head + $"  WARN 1 --- [nio-8080-exec-{thread}] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: 08001",
            };
        }

        private string Logfmt(DateTime t)
        {
            string ts = t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            int m = Skewed(12);
            if (app == "prometheus")
            {
                string target = Pick(_scrapeTargets);
                return m switch
                {
                    < 6 => $"ts={ts} caller=scrape.go:1351 level=debug component=\"scrape manager\" scrape_pool=serviceMonitor/{Pick(Namespaces)}/{Pick(Apps)}/0 target=http://{target}:8080/metrics msg=\"Scrape completed\" duration={Dur()} samples={rnd.Next(100, 5000)}",
                    < 9 => $"ts={ts} caller=scrape.go:1351 level=warn component=\"scrape manager\" scrape_pool=podMonitor/{ns}/{Pick(Apps)} target=http://{target}:9090/metrics msg=\"Append failed\" err=\"out of order sample\"",
                    < 11 => $"ts={ts} caller=head.go:1298 level=info component=tsdb msg=\"Head GC completed\" caller=truncateMemory duration={Dur()}",
                    _ => $"ts={ts} caller=compact.go:523 level=info component=tsdb msg=\"write block\" mint={t.Ticks / 10000 - 7_200_000} maxt={t.Ticks / 10000} ulid=01HR{Suffix(rnd, 22).ToUpperInvariant()} duration={Dur()} ooo=false",
                };
            }
            return m switch
            {
                < 5 => $"level=info ts={ts} caller=metrics.go:159 component=querier org_id=fake latency=fast query=\"{{namespace=\\\"{Pick(Namespaces)}\\\", app=\\\"{Pick(Apps)}\\\"}} |= \\\"error\\\"\" query_type=filter range_type=range length=1h0m0s step=15s duration={Dur()} status=200 limit=1000 returned_lines={rnd.Next(0, 1000)} throughput={rnd.Next(1, 900)}MB total_bytes={rnd.Next(1, 900)}MB",
                < 9 => $"level=debug ts={ts} caller=push.go:{rnd.Next(100, 200)} org_id=fake traceID={Hex(_own, 16)} msg=\"push request parsed\" path=/loki/api/v1/push contentType=application/x-protobuf contentEncoding= bodySize=\"{rnd.Next(1, 500)} kB\" streams={rnd.Next(1, 60)} entries={rnd.Next(1, 2000)} streamLabelsSize=\"{rnd.Next(1, 9)} kB\" entriesSize=\"{rnd.Next(1, 500)} kB\"",
                < 11 => $"level=info ts={ts} caller=flush.go:{rnd.Next(150, 200)} msg=\"flushing stream\" user=fake fp={Hex(_own, 16)} immediate=false num_chunks={rnd.Next(1, 5)} labels=\"{{app=\\\"{Pick(Apps)}\\\", namespace=\\\"{Pick(Namespaces)}\\\"}}\"",
                _ => $"level=warn ts={ts} caller=logging.go:{rnd.Next(60, 90)} traceID={Hex(_own, 16)} orgID=fake msg=\"POST /loki/api/v1/push ({rnd.Next(400, 430)}) {Dur()} Response: \\\"entry too far behind\\\" ws: false; Content-Length: {rnd.Next(1000, 90000)}; Content-Type: application/x-protobuf; User-Agent: promtail/2.9.4; \"",
            };
        }

        private int Skewed(int n) => (int)(n * Math.Pow(rnd.NextDouble(), 2));

        /// <summary>A request path and its response size; probes and a few hot routes dominate.</summary>
        private (string Path, int Bytes, bool Probe) Route()
        {
            int i = Skewed(Routes.Length);
            string path = string.Format(CultureInfo.InvariantCulture, Routes[i], rnd.Next(1, 5000), _bundle);
            int bytes = RouteBytes[i] <= 2 ? RouteBytes[i] : (int)(RouteBytes[i] * (0.7 + rnd.NextDouble() * 0.6));
            return (path, bytes, i <= 1);
        }

        private int Status()
        {
            int r = rnd.Next(100);
            return r < 85 ? 200 : r < 90 ? 201 : r < 93 ? 204 : r < 97 ? 404 : r < 99 ? 500 : 503;
        }

        private string AccessJson(DateTime t, long tsNs)
        {
            string time = t.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + (tsNs % 100).ToString("00", CultureInfo.InvariantCulture) + "Z";
            var (path, bytes, probe) = Route();
            int status = probe ? 200 : Status();
            string level = status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
            double ms = Math.Round(Math.Exp(rnd.NextDouble() * 7 - (probe ? 4 : 2)), 3);
            string method = probe ? "GET" : Pick(Methods);
            string agent = probe ? "kube-probe/1.29" : Pick(Agents);
            string peer = probe ? "10.244.0.1" : Pick(_podIps);
            return $"{{\"time\":\"{time}\",\"level\":\"{level}\",\"msg\":\"request completed\",\"method\":\"{method}\",\"path\":\"{path}\",\"status\":{status},\"duration_ms\":{ms.ToString(CultureInfo.InvariantCulture)},\"bytes\":{bytes},\"request_id\":\"{Hex(_own, 16)}\",\"remote_addr\":\"{peer}:{rnd.Next(32768, 61000)}\",\"user_agent\":\"{agent}\"}}";
        }

        private string Nginx(DateTime t)
        {
            var (path, bytes, probe) = Route();
            int status = probe ? 200 : Status();
            string method = probe ? "GET" : Pick(Methods);
            double rt = Math.Round(Math.Exp(rnd.NextDouble() * 7 - 8), 3);
            string svc = Pick(Apps);
            string svcNs = Pick(Namespaces);
            string up = Pick(_podIps);
            return $"{Pick(_podIps)} - - [{t.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)} +0000] \"{method} {path} HTTP/1.1\" {status} {bytes} \"-\" \"{Pick(Agents)}\" {rnd.Next(200, 900)} {rt.ToString("0.000", CultureInfo.InvariantCulture)} [{svcNs}-{svc}-80] [] {up}:8080 {bytes} {rt.ToString("0.000", CultureInfo.InvariantCulture)} {status} {Hex(_own, 32)}";
        }
    }
}
