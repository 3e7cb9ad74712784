using System.Globalization;
using System.Runtime.CompilerServices;
using Strata.Storage.Blocks;
using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Storage.Tests.Blocks;

/// <summary>A series and its samples as the tests generate them (the expected side of every check).</summary>
public sealed record TestSeries(LabelSet Labels, (long T, double V)[] Samples)
{
    /// <summary>XOR chunks of at most <paramref name="perChunk"/> samples, as the head would cut them.</summary>
    public SeriesChunks ToChunks(int perChunk = 120)
    {
        var chunks = new List<ChunkSnapshot>();
        XorChunk? c = null;
        foreach (var (t, v) in Samples)
        {
            if (c == null || c.Count == perChunk)
            {
                if (c != null) chunks.Add(c.Seal());
                c = new XorChunk();
            }
            c.Append(t, v);
        }
        if (c != null) chunks.Add(c.Seal());
        return new SeriesChunks(Labels, [.. chunks]);
    }
}

/// <summary>Scenario builders, sample decoding and temporary directories for the block tests.</summary>
public static class BlockTestData
{
    public const long Hour = 3_600_000;

    /// <summary>
    /// Deterministic series for a window: <paramref name="count"/> series over a few label names (one of
    /// them missing from some series), scrape-like 15 s samples with jitter and a mix of counters and gauges.
    /// </summary>
    public static List<TestSeries> Generate(int count, long start, long end, int seed = 42, long step = 15_000, string metric = "m")
    {
        var rnd = new Random(seed);
        var result = new List<TestSeries>(count);
        for (int i = 0; i < count; i++)
        {
            var pairs = new List<(string, string)>
            {
                ("__name__", i % 3 == 0 ? metric + "_total" : metric),
                ("job", i % 2 == 0 ? "api" : "db"),
                ("instance", "host-" + (i % 7).ToString(CultureInfo.InvariantCulture)),
                ("idx", i.ToString("D4", CultureInfo.InvariantCulture)),
            };
            if (i % 4 == 0) pairs.Add(("zone", i % 8 == 0 ? "eu" : "us"));
            var samples = new List<(long, double)>();
            double v = rnd.Next(100);
            for (long t = start + rnd.Next(1000); t < end; t += step + rnd.Next(-200, 200))
            {
                v = i % 3 == 0 ? v + rnd.Next(5) : Math.Round(rnd.NextDouble() * 100, 2);
                samples.Add((t, v));
            }
            result.Add(new TestSeries(LabelSet.From([.. pairs]), [.. samples]));
        }
        result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        return result;
    }

    public static List<SeriesChunks> ToChunks(IEnumerable<TestSeries> series, int perChunk = 120) =>
        [.. series.Select(s => s.ToChunks(perChunk))];

    public static (long T, double V)[] Decode(SeriesChunks s)
    {
        var list = new List<(long, double)>();
        var it = s.Iterator();
        while (it.MoveNext()) list.Add((it.Timestamp, it.Value));
        Assert.False(it.Failed, $"{s.Labels}: chunk decoding failed");
        return [.. list];
    }

    /// <summary>Samples compared bit for bit, so NaN == NaN and -0 != 0.</summary>
    public static void AssertSamples(string what, (long T, double V)[] expected, (long T, double V)[] actual)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} samples, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].T == actual[i].T && BitConverter.DoubleToInt64Bits(expected[i].V) == BitConverter.DoubleToInt64Bits(actual[i].V),
                $"{what}: sample {i} expected ({expected[i].T}, {expected[i].V}) got ({actual[i].T}, {actual[i].V})");
        }
    }

    /// <summary>Checks that a Select result holds exactly the expected series with exactly their samples.</summary>
    public static void AssertSeries(string what, IReadOnlyList<TestSeries> expected, IReadOnlyList<SeriesChunks> actual)
    {
        var got = actual.ToDictionary(s => s.Labels);
        Assert.True(expected.Count == actual.Count,
            $"{what}: expected {expected.Count} series, got {actual.Count}: [{string.Join(", ", actual.Select(s => s.Labels).Take(5))}...]");
        foreach (var e in expected)
        {
            Assert.True(got.TryGetValue(e.Labels, out var s), $"{what}: missing {e.Labels}");
            AssertSamples($"{what} {e.Labels}", e.Samples, Decode(s!));
        }
    }

    public static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string TestdataDir => Path.Combine(SourceDir(), "testdata");
}

/// <summary>A temporary data directory removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "strata-blocks-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a test that failed may still hold a mapped file.
        }
    }
}
