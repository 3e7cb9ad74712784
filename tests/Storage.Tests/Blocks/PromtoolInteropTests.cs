using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Storage.Blocks;
using Strata.Storage.Head;
using Strata.Storage.Labels;
using Xunit.Abstractions;

namespace Strata.Storage.Tests.Blocks;

/// <summary>
/// Interoperability with the real Prometheus TSDB code through promtool 2.42 (Debian package
/// <c>prometheus</c>; .ci/run installs it): promtool must list, analyze and dump our blocks with exactly
/// the samples written, and blocks promtool creates must read back exactly and re-encode to the same
/// index and chunk bytes. Without promtool the tests pass with a SKIPPED message, except in CI.
/// </summary>
public class PromtoolInteropTests(ITestOutputHelper output)
{
    private const string PromtoolBin = "/usr/bin/promtool";
    private const long H = BlockTestData.Hour;

    private bool PromtoolAvailable()
    {
        if (File.Exists(PromtoolBin)) return true;
        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must install promtool (apt-get install prometheus)");
        output.WriteLine("SKIPPED: promtool not installed (apt-get install -y prometheus)");
        return false;
    }

    private static string Promtool(params string[] args)
    {
        var psi = new ProcessStartInfo(PromtoolBin)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"promtool {string.Join(' ', args)} timed out");
        }
        Assert.True(p.ExitCode == 0, $"promtool {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout;
    }

    /// <summary>promtool's series key: labels.Labels.String() = {a="b", c="d"} (Go-quoted values).</summary>
    private static string PromKey(LabelSet labels)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var l in labels.AsSpan())
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(l.Name).Append("=\"").Append(l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Parses <c>promtool tsdb dump</c> lines: "{labels} value timestamp".</summary>
    private static Dictionary<string, List<(long T, double V)>> ParseDump(string dump)
    {
        var result = new Dictionary<string, List<(long, double)>>(StringComparer.Ordinal);
        foreach (var line in dump.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int ts = line.LastIndexOf(' ');
            int val = line.LastIndexOf(' ', ts - 1);
            string key = line[..val];
            string v = line[(val + 1)..ts];
            double value = v switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(v, CultureInfo.InvariantCulture),
            };
            if (!result.TryGetValue(key, out var list)) result[key] = list = [];
            list.Add((long.Parse(line[(ts + 1)..], CultureInfo.InvariantCulture), value));
        }
        return result;
    }

    /// <summary>Text loses NaN payloads (stale markers), so NaNs compare as NaN; everything else bit for bit.</summary>
    private static void AssertDump(string what, IEnumerable<TestSeries> expected, string dump)
    {
        var got = ParseDump(dump);
        var want = expected.Where(s => s.Samples.Length > 0).ToList();
        Assert.True(want.Count == got.Count, $"{what}: promtool dumped {got.Count} series, expected {want.Count}");
        foreach (var s in want)
        {
            string key = PromKey(s.Labels);
            Assert.True(got.TryGetValue(key, out var samples), $"{what}: promtool did not dump {key}");
            Assert.True(s.Samples.Length == samples!.Count, $"{what} {key}: {samples.Count} samples dumped, {s.Samples.Length} written");
            for (int i = 0; i < samples.Count; i++)
            {
                var (t, v) = s.Samples[i];
                bool same = t == samples[i].T && (double.IsNaN(v) ? double.IsNaN(samples[i].V) : BitConverter.DoubleToInt64Bits(v) == BitConverter.DoubleToInt64Bits(samples[i].V));
                Assert.True(same, $"{what} {key} sample {i}: wrote ({t}, {v}), promtool read ({samples[i].T}, {samples[i].V})");
            }
        }
    }

    private static List<TestSeries> WithSpecialValues(List<TestSeries> series)
    {
        var s0 = series[0].Samples.ToArray();
        s0[1].V = double.NaN;
        s0[2].V = BitConverter.Int64BitsToDouble(0x7FF0000000000002); // staleness marker
        s0[3].V = double.PositiveInfinity;
        s0[4].V = double.NegativeInfinity;
        s0[5].V = -0.0;
        s0[6].V = 1e-300;
        s0[7].V = 123456789.123456789;
        series[0] = series[0] with { Samples = s0 };
        return series;
    }

    [Fact]
    public void OurBlocks_PromtoolListsAnalyzesAndDumpsExactSamples()
    {
        if (!PromtoolAvailable()) return;
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "wal"));
        var first = WithSpecialValues(BlockTestData.Generate(50, 0, 2 * H, seed: 11));
        var second = BlockTestData.Generate(50, 2 * H, 4 * H, seed: 12, metric: "other");
        var m1 = BlockWriter.Write(dir.Path, 0, 2 * H, BlockTestData.ToChunks(first));
        var m2 = BlockWriter.Write(dir.Path, 2 * H, 4 * H, BlockTestData.ToChunks(second));

        string list = Promtool("tsdb", "list", dir.Path);
        output.WriteLine(list);
        foreach (var m in new[] { m1, m2 })
        {
            var row = list.Split('\n').Single(l => l.StartsWith(m.Ulid, StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // ULID, MIN TIME, MAX TIME, DURATION, NUM SAMPLES, NUM CHUNKS, NUM SERIES, SIZE
            Assert.Equal(m.MinTime.ToString(CultureInfo.InvariantCulture), row[1]);
            Assert.Equal(m.MaxTime.ToString(CultureInfo.InvariantCulture), row[2]);
            Assert.Equal(m.Stats.NumSamples.ToString(CultureInfo.InvariantCulture), row[4]);
            Assert.Equal(m.Stats.NumChunks.ToString(CultureInfo.InvariantCulture), row[5]);
            Assert.Equal(m.Stats.NumSeries.ToString(CultureInfo.InvariantCulture), row[6]);

            string analyze = Promtool("tsdb", "analyze", "--extended", dir.Path, m.Ulid);
            Assert.Contains("Block ID: " + m.Ulid, analyze, StringComparison.Ordinal);
            Assert.Contains("Series: " + m.Stats.NumSeries.ToString(CultureInfo.InvariantCulture), analyze, StringComparison.Ordinal);
        }

        string dump = Promtool("tsdb", "dump", "--min-time=" + long.MinValue, "--max-time=" + long.MaxValue, dir.Path);
        AssertDump("our blocks", [.. first, .. second], dump);

        // A window inside the first block: promtool trims to samples within it.
        long lo = H / 2, hi = H;
        string part = Promtool("tsdb", "dump", "--min-time=" + lo, "--max-time=" + hi, dir.Path);
        AssertDump("our blocks [30m, 1h]", first.Select(s => s with { Samples = [.. s.Samples.Where(x => x.T >= lo && x.T <= hi)] }), part);
    }

    [Fact]
    public void CompactedBlock_PromtoolDumpsExactSamples()
    {
        if (!PromtoolAvailable()) return;
        using var src = new TempDir();
        using var dst = new TempDir();
        Directory.CreateDirectory(Path.Combine(dst.Path, "wal"));
        var a = WithSpecialValues(BlockTestData.Generate(30, 0, 2 * H, seed: 21));
        var b = BlockTestData.Generate(30, H, 3 * H, seed: 22, step: 10_000);
        using var ba = Block.Open(Path.Combine(src.Path, BlockWriter.Write(src.Path, 0, 2 * H, BlockTestData.ToChunks(a)).Ulid));
        using var bb = Block.Open(Path.Combine(src.Path, BlockWriter.Write(src.Path, H, 3 * H, BlockTestData.ToChunks(b)).Ulid));

        var meta = BlockCompactor.Compact(dst.Path, [ba, bb]);

        Promtool("tsdb", "analyze", "--extended", dst.Path, meta.Ulid);
        string dump = Promtool("tsdb", "dump", "--min-time=" + long.MinValue, "--max-time=" + long.MaxValue, dst.Path);
        AssertDump("compacted", BlockCompactorTests.ExpectedMerge(a, b), dump);
    }

    /// <summary>OpenMetrics text for the series (timestamps in seconds), families kept together.</summary>
    private static string OpenMetrics(List<TestSeries> series)
    {
        var sb = new StringBuilder();
        foreach (var family in series.GroupBy(s => s.Labels.MetricNameOrEmpty))
        {
            sb.Append("# TYPE ").Append(family.Key).Append(" gauge\n");
            foreach (var s in family)
            {
                var labels = string.Join(",", s.Labels.AsSpan().ToArray().Where(l => l.Name != LabelSet.MetricName)
                    .Select(l => l.Name + "=\"" + l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\""));
                foreach (var (t, v) in s.Samples)
                {
                    string value = double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", CultureInfo.InvariantCulture);
                    sb.Append(family.Key).Append('{').Append(labels).Append("} ").Append(value).Append(' ')
                      .Append((t / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }
        return sb.Append("# EOF\n").ToString();
    }

    /// <summary>Series spanning ~7 hours (so promtool cuts several 2 h blocks), some with awkward label values.</summary>
    private static List<TestSeries> BackfillSeries()
    {
        long start = 1_700_000_000_000 - 1_700_000_000_000 % (2 * H) + 1_000; // just after a 2 h boundary
        var series = BlockTestData.Generate(12, start, start + 7 * H, seed: 31, step: 30_000)
            .Select(s => s with { Samples = [.. s.Samples.Select(x => (x.T - x.T % 500, x.V))] }) // whole or half seconds
            .ToList();
        series.Add(new TestSeries(LabelSet.From(("__name__", "weird"), ("path", "/a b/\"q\"\\x"), ("unicode", "çødé ✓")),
            [.. Enumerable.Range(0, 400).Select(i => (start + i * 60_000L, i % 7 == 0 ? double.NaN : i * 0.25))]));
        series.Add(new TestSeries(LabelSet.From(("__name__", "sparse")), [(start, 1), (start + 5 * H, 2)]));
        series.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        return series;
    }

    private List<string> CreateBlocksWithPromtool(string dataDir, List<TestSeries> series)
    {
        string om = Path.Combine(dataDir, "..", Path.GetFileName(dataDir) + ".om");
        File.WriteAllText(om, OpenMetrics(series));
        try
        {
            output.WriteLine(Promtool("tsdb", "create-blocks-from", "openmetrics", om, dataDir));
        }
        finally
        {
            File.Delete(om);
        }
        return [.. Directory.GetDirectories(dataDir).Where(d => Ulid.TryParse(Path.GetFileName(d), out _)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void PromtoolBlocks_ReadBackExactly()
    {
        if (!PromtoolAvailable()) return;
        using var dir = new TempDir();
        var series = BackfillSeries();
        var blockDirs = CreateBlocksWithPromtool(dir.Path, series);
        Assert.True(blockDirs.Count >= 3, $"expected several 2 h blocks, promtool wrote {blockDirs.Count}");

        var merged = new Dictionary<LabelSet, List<(long, double)>>();
        foreach (var d in blockDirs)
        {
            using var block = Block.Open(d);
            Assert.Equal(1, block.Meta.Compaction.Level);
            var got = block.Select([], long.MinValue, long.MaxValue);
            Assert.Equal(block.Meta.Stats.NumSeries, got.Count);
            Assert.Equal(block.Meta.Stats.NumSamples, got.Sum(s => BlockTestData.Decode(s).Length));
            foreach (var s in got)
            {
                if (!merged.TryGetValue(s.Labels, out var list)) merged[s.Labels] = list = [];
                var samples = BlockTestData.Decode(s);
                Assert.All(samples, x => Assert.InRange(x.T, block.Meta.MinTime, block.Meta.MaxTime - 1));
                list.AddRange(samples);
            }
            // Matchers over a Prometheus-written index, including the unusual label values.
            var weird = block.Select(BlockRoundTripTests.Matchers("unicode=çødé ✓"), long.MinValue, long.MaxValue);
            Assert.All(weird, s => Assert.Equal("/a b/\"q\"\\x", s.Labels.Get("path")));
            Assert.Contains("unicode", block.LabelNames());
        }
        var expected = series.ToDictionary(s => s.Labels);
        Assert.Equal(expected.Count, merged.Count);
        foreach (var (labels, samples) in merged)
        {
            Assert.True(expected.TryGetValue(labels, out var want), $"unexpected series {labels}");
            var got = samples.OrderBy(x => x.Item1).ToArray();
            Assert.True(want!.Samples.Length == got.Length, $"{labels}: {got.Length} samples read, {want.Samples.Length} written");
            for (int i = 0; i < got.Length; i++)
            {
                var (t, v) = want.Samples[i];
                Assert.True(t == got[i].Item1 && (double.IsNaN(v) ? double.IsNaN(got[i].Item2) : v.Equals(got[i].Item2)),
                    $"{labels} sample {i}: wrote ({t}, {v}), read ({got[i].Item1}, {got[i].Item2})");
            }
        }
    }

    /// <summary>
    /// The strongest format check: rewriting a Prometheus-written block's series with BlockWriter gives
    /// the same index, chunk segment and tombstones bytes (only meta.json differs: ULID, sources).
    /// </summary>
    [Fact]
    public void PromtoolBlocks_RewriteToIdenticalBytes()
    {
        if (!PromtoolAvailable()) return;
        using var dir = new TempDir();
        using var outDir = new TempDir();
        var blockDirs = CreateBlocksWithPromtool(dir.Path, BackfillSeries());
        foreach (var d in blockDirs)
        {
            using var block = Block.Open(d);
            var meta = BlockWriter.Write(outDir.Path, block.Meta.MinTime, block.Meta.MaxTime, block.AllSeries().ToList());
            string ours = Path.Combine(outDir.Path, meta.Ulid);
            foreach (var f in new[] { "index", "chunks/000001", "tombstones" })
            {
                var want = File.ReadAllBytes(Path.Combine(d, f));
                var got = File.ReadAllBytes(Path.Combine(ours, f));
                int diff = want.AsSpan().CommonPrefixLength(got);
                Assert.True(want.Length == got.Length && diff == want.Length,
                    $"{Path.GetFileName(d)}/{f}: {got.Length} bytes vs Prometheus's {want.Length}, first difference at {diff}: " +
                    $"ours {Hex(got, diff)} vs {Hex(want, diff)}");
            }
            Assert.Equal(block.Meta.Stats, meta.Stats);
        }
    }

    private static string Hex(byte[] b, int at)
    {
        int from = Math.Max(0, at - 8);
        return Convert.ToHexString(b, from, Math.Min(b.Length, at + 24) - from);
    }

    [Fact]
    public void PromtoolBlocks_CompactAndDumpBack()
    {
        if (!PromtoolAvailable()) return;
        using var dir = new TempDir();
        using var outDir = new TempDir();
        Directory.CreateDirectory(Path.Combine(outDir.Path, "wal"));
        var series = BackfillSeries();
        var blocks = CreateBlocksWithPromtool(dir.Path, series).Select(Block.Open).ToList();
        try
        {
            var meta = BlockCompactor.Compact(outDir.Path, blocks);
            Assert.Equal(series.Sum(s => s.Samples.Length), meta.Stats.NumSamples);
            string dump = Promtool("tsdb", "dump", "--min-time=" + long.MinValue, "--max-time=" + long.MaxValue, outDir.Path);
            // Go quotes non-ASCII label values as they are; only check the plain series textually.
            var plain = series.Where(s => s.Labels.Get("path") == null).ToList();
            var got = ParseDump(dump);
            Assert.Equal(series.Count, got.Count);
            AssertDump("compacted promtool blocks", plain, string.Join('\n', dump.Split('\n').Where(l => !l.Contains("unicode=", StringComparison.Ordinal))));
        }
        finally
        {
            foreach (var b in blocks) b.Dispose();
        }
    }
}
