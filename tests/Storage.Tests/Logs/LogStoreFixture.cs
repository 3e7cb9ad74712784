using System.Text;
using Strata.Storage.Index;
using IndexMatch = Strata.Storage.Index.MatchType;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Storage.Tests.Logs;

/// <summary>A temp directory for one store, small segments, and helpers to push and read.</summary>
internal sealed class LogStoreFixture : IDisposable
{
    public const long Second = 1_000_000_000;
    public const long Minute = 60 * Second;
    public const long Hour = 60 * Minute;

    /// <summary>2024-03-12T10:00:00Z in ns.</summary>
    public const long T0 = 1_710_237_600_000_000_000;

    public LogStoreFixture(string name = "logs")
    {
        Dir = Path.Combine(Path.GetTempPath(), "strata-" + name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    public string Dir { get; }

    /// <summary>Starts one hour after <see cref="T0"/>, so test data is fresh for retention.</summary>
    public Tsdb.ManualClock Clock { get; } = new(DateTimeOffset.UnixEpoch.AddTicks((T0 + Hour) / 100));

    public Task<LogStore> OpenAsync(Func<LogStoreOptions, LogStoreOptions>? change = null) => LogStore.OpenAsync(Options(change), null, Clock);

    public LogStoreOptions Options(Func<LogStoreOptions, LogStoreOptions>? change = null)
    {
        var o = new LogStoreOptions { Directory = Dir, ChunkSegmentSizeBits = 22, WalSegmentSizeBits = 22 };
        return change == null ? o : change(o);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A test that abandoned a store on purpose may still hold a file open.
        }
    }

    public static LabelSet Ls(string app, string pod = "p-1") => LabelSet.From(("app", app), ("namespace", "ns"), ("pod", pod));

    public static LogEntry Entry(long ts, string line, params (string Name, string Value)[] meta) =>
        new(ts, Encoding.UTF8.GetBytes(line), Array.ConvertAll(meta, m => new Label(m.Name, m.Value)));

    public static LogStreamPush Push(LabelSet labels, params LogEntry[] entries) => new(labels, [.. entries]);

    public static LabelMatcher Eq(string name, string value) => new(IndexMatch.Equal, name, value);

    /// <summary>Reads a stream's (timestamp, line) pairs through a cursor.</summary>
    public static List<(long Ts, string Line)> Read(LogStore store, LabelSet labels, long from = long.MinValue, long to = long.MaxValue, bool backward = false, IReadOnlyList<byte[]>? literals = null)
    {
        var info = store.SelectStreams(MatchersFor(labels), long.MinValue, long.MaxValue).Single(i => i.Labels.Equals(labels));
        using var c = store.Open(info, from, to, backward, literals);
        var list = new List<(long, string)>();
        while (c.MoveNext()) list.Add((c.TimestampNs, Encoding.UTF8.GetString(c.Line)));
        return list;
    }

    public static LabelMatcher[] MatchersFor(LabelSet labels)
    {
        var m = new LabelMatcher[labels.Count];
        for (int i = 0; i < labels.Count; i++) m[i] = Eq(labels[i].Name, labels[i].Value);
        return m;
    }

    /// <summary>
    /// Copies a live store's directory as a crash would leave it: each log's commit file first,
    /// then its segments (which only grow past what the commit covers), then the id file.
    /// </summary>
    public static void CopyAsCrash(string from, string to)
    {
        foreach (var sub in new[] { "wal", "chunks" })
        {
            string src = Path.Combine(from, sub), dst = Path.Combine(to, sub);
            Directory.CreateDirectory(dst);
            CopyShared(Path.Combine(src, "commit"), Path.Combine(dst, "commit"));
            foreach (var f in Directory.GetFiles(src, "wal.*")) CopyShared(f, Path.Combine(dst, Path.GetFileName(f)));
        }
        string ids = Path.Combine(from, "stream-ids");
        if (File.Exists(ids)) CopyShared(ids, Path.Combine(to, "stream-ids"));
    }

    private static void CopyShared(string from, string to)
    {
        using var src = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var dst = File.Create(to);
        src.CopyTo(dst);
    }
}
