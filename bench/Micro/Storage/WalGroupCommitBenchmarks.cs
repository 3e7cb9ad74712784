using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Strata.Storage.Wal;

namespace Strata.Bench.Storage;

/// <summary>
/// Group commit: <see cref="Writers"/> concurrent writers, each enqueueing a 2000-sample entry
/// (22 KB) and awaiting its durability before writing the next, against a real file. One
/// invocation is 40 writes per writer; OperationsPerInvoke makes Mean the time per acknowledged
/// entry across all writers, so 22 288 B / Mean is the acknowledged throughput. Commits per entry
/// and the latency percentiles of enqueue-to-durable are printed at cleanup (in the BDN log).
/// The device matters more than the code here: run on the disk the WAL will use.
/// Run from bench/Micro: <c>dotnet run -c Release -- --filter '*WalGroupCommit*' --artifacts /tmp/bdn-wal</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class WalGroupCommitBenchmarks
{
    private const int PerWriter = 40;

    [Params(1, 8)]
    public int Writers { get; set; }

    /// <summary>Gathering before a commit, in microseconds (0 = commit at once); see <see cref="WalOptions.GroupCommitQuietTime"/>.</summary>
    [Params(0, 50)]
    public int QuietMicros { get; set; }

    private byte[] _entry = [];
    private string _dir = "";
    private WriteAheadLog? _wal;
    private long _commits0;
    private long _entries;
    private readonly List<double> _latencies = [];
    private readonly Lock _latencyLock = new();

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(20240611);
        var b = new EntryBuilder();
        for (int i = 0; i < 2000; i++) b.AddSample(1000 + i, 1_714_564_800_000 + rnd.Next(0, 50), Math.Round(rnd.NextDouble() * 1000, 2));
        _entry = b.Finish().ToArray();
        _dir = Path.Combine(Path.GetTempPath(), "strata-walgc-" + Guid.NewGuid().ToString("N"));
        _wal = WriteAheadLog.Open(_dir, new WalOptions
        {
            GroupCommitQuietTime = TimeSpan.FromMicroseconds(QuietMicros),
            GroupCommitMaxDelay = TimeSpan.FromMicroseconds(QuietMicros * 10),
        });
        _commits0 = _wal.Commits;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        long commits = _wal!.Commits - _commits0;
        _latencies.Sort();
        if (_latencies.Count > 0)
        {
            Console.WriteLine($"// WAL group commit: writers={Writers} quiet={QuietMicros}us entry={_entry.Length}B: " +
                $"{(double)_entries / commits:F1} entries/commit, latency p50={_latencies[_latencies.Count / 2]:F2}ms " +
                $"p99={_latencies[(int)(_latencies.Count * 0.99)]:F2}ms max={_latencies[^1]:F2}ms");
        }
        _wal.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = PerWriter * 8)]
    public Task EnqueueAndWait()
    {
        // OperationsPerInvoke is fixed at compile time: every configuration writes 320 entries.
        int perWriter = PerWriter * 8 / Writers;
        var tasks = new Task[Writers];
        for (int w = 0; w < tasks.Length; w++) tasks[w] = Task.Run(() => WriteAsync(perWriter));
        return Task.WhenAll(tasks);
    }

    private async Task WriteAsync(int count)
    {
        var local = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            long address = _wal!.Enqueue(_entry);
            await _wal.WaitForCommitAsync(address).ConfigureAwait(false);
            local[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        lock (_latencyLock)
        {
            _latencies.AddRange(local);
            _entries += count;
        }
    }
}
