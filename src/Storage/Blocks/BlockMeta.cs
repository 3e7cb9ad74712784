using System.Text.Json;

namespace Strata.Storage.Blocks;

/// <summary>
/// The contents of a block's <c>meta.json</c> (Prometheus's <c>tsdb.BlockMeta</c>, version 1).
/// <see cref="MaxTime"/> is exclusive: the block holds samples with MinTime ≤ t &lt; MaxTime.
/// ULIDs are kept as their canonical 26-character upper-case strings (see <see cref="Blocks.Ulid"/>),
/// which is also the block's directory name.
/// </summary>
public sealed record BlockMeta(string Ulid, long MinTime, long MaxTime, BlockStats Stats, BlockCompaction Compaction, int Version = 1)
{
    public const string FileName = "meta.json";
    public const int CurrentVersion = 1;

    /// <summary>Prometheus's layout: tab-indented, zero stats and empty compaction fields omitted.</summary>
    public byte[] ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1 }))
        {
            w.WriteStartObject();
            w.WriteString("ulid"u8, Ulid);
            w.WriteNumber("minTime"u8, MinTime);
            w.WriteNumber("maxTime"u8, MaxTime);
            w.WriteStartObject("stats"u8);
            WriteNonZero(w, "numSamples"u8, Stats.NumSamples);
            WriteNonZero(w, "numSeries"u8, Stats.NumSeries);
            WriteNonZero(w, "numChunks"u8, Stats.NumChunks);
            WriteNonZero(w, "numTombstones"u8, Stats.NumTombstones);
            w.WriteEndObject();
            w.WriteStartObject("compaction"u8);
            w.WriteNumber("level"u8, Compaction.Level);
            if (Compaction.Sources.Count > 0)
            {
                w.WriteStartArray("sources"u8);
                foreach (var s in Compaction.Sources) w.WriteStringValue(s);
                w.WriteEndArray();
            }
            if (Compaction.Deletable) w.WriteBoolean("deletable"u8, true);
            if (Compaction.Parents.Count > 0)
            {
                w.WriteStartArray("parents"u8);
                foreach (var p in Compaction.Parents)
                {
                    w.WriteStartObject();
                    w.WriteString("ulid"u8, p.Ulid);
                    w.WriteNumber("minTime"u8, p.MinTime);
                    w.WriteNumber("maxTime"u8, p.MaxTime);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (Compaction.Failed) w.WriteBoolean("failed"u8, true);
            w.WriteEndObject();
            w.WriteNumber("version"u8, Version);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static void WriteNonZero(Utf8JsonWriter w, ReadOnlySpan<byte> name, long v)
    {
        if (v != 0) w.WriteNumber(name, v);
    }

    /// <summary>Parses meta.json; unknown fields (Thanos adds some) are ignored.</summary>
    public static BlockMeta Parse(ReadOnlySpan<byte> json, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            string ulid = Canonical(root.GetProperty("ulid").GetString());
            long minTime = root.GetProperty("minTime").GetInt64();
            long maxTime = root.GetProperty("maxTime").GetInt64();
            int version = root.GetProperty("version").GetInt32();
            var stats = new BlockStats(0, 0, 0);
            if (root.TryGetProperty("stats", out var st))
            {
                stats = new BlockStats(Num(st, "numSamples"), Num(st, "numSeries"), Num(st, "numChunks"), Num(st, "numTombstones"));
            }
            var compaction = new BlockCompaction(1, []);
            if (root.TryGetProperty("compaction", out var c))
            {
                var sources = new List<string>();
                if (c.TryGetProperty("sources", out var src))
                {
                    foreach (var s in src.EnumerateArray()) sources.Add(Canonical(s.GetString()));
                }
                var parents = new List<BlockDesc>();
                if (c.TryGetProperty("parents", out var par))
                {
                    foreach (var p in par.EnumerateArray())
                    {
                        parents.Add(new BlockDesc(Canonical(p.GetProperty("ulid").GetString()),
                            p.GetProperty("minTime").GetInt64(), p.GetProperty("maxTime").GetInt64()));
                    }
                }
                compaction = new BlockCompaction(
                    c.TryGetProperty("level", out var lv) ? lv.GetInt32() : 1,
                    sources,
                    parents,
                    c.TryGetProperty("failed", out var f) && f.GetBoolean(),
                    c.TryGetProperty("deletable", out var d) && d.GetBoolean());
            }
            return new BlockMeta(ulid, minTime, maxTime, stats, compaction, version);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CorruptBlockException(path, 0, "invalid meta.json: " + e.Message, e);
        }
    }

    private static string Canonical(string? s) => Blocks.Ulid.Parse(s ?? "").ToString();

    private static long Num(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
}

/// <summary>Counts kept in meta.json (Prometheus's <c>BlockStats</c>).</summary>
public sealed record BlockStats(long NumSamples, long NumSeries, long NumChunks, long NumTombstones = 0);

/// <summary>
/// Compaction lineage: level 1 for blocks cut from the head; a compacted block has the maximum level
/// of its inputs plus one, the union of their sources and the inputs as parents.
/// </summary>
public sealed record BlockCompaction(int Level, IReadOnlyList<string> Sources, IReadOnlyList<BlockDesc> Parents, bool Failed = false, bool Deletable = false)
{
    public BlockCompaction(int level, IReadOnlyList<string> sources) : this(level, sources, [])
    {
    }
}

/// <summary>A parent block in <see cref="BlockCompaction.Parents"/>.</summary>
public readonly record struct BlockDesc(string Ulid, long MinTime, long MaxTime);
