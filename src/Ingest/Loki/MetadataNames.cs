using System.Text;
using Strata.Storage.Labels;

namespace Strata.Ingest.Loki;

/// <summary>
/// Structured-metadata names as stored: UTF-8 bytes → the name Loki's distributor keeps
/// (<c>otlptranslator.NormalizeLabel</c>: every character outside <c>[a-zA-Z0-9_]</c> becomes
/// <c>_</c>, <c>key_</c> is prefixed to a leading digit and <c>key</c> to a single leading underscore),
/// interned so that the thousands of <c>trace_id</c> names in a push are one string.
/// </summary>
/// <remarks>Thread-safe and lock-free: a direct-mapped table of immutable entries.</remarks>
internal sealed class MetadataNames
{
    private sealed record Entry(byte[] Key, ulong Hash, string Name);

    private readonly Entry?[] _slots;

    public MetadataNames(int capacity)
    {
        _slots = new Entry?[System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 16))];
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        ulong hash = SeriesKey.Hash(utf8);
        int slot = (int)(hash >> 40) & (_slots.Length - 1);
        var e = Volatile.Read(ref _slots[slot]);
        if (e is not null && e.Hash == hash && utf8.SequenceEqual(e.Key)) return e.Name;
        string name = Normalize(Encoding.UTF8.GetString(utf8));
        Volatile.Write(ref _slots[slot], new Entry(utf8.ToArray(), hash, name));
        return name;
    }

    /// <summary>Prometheus otlptranslator.NormalizeLabel, which Loki applies to structured-metadata names.</summary>
    public static string Normalize(string name)
    {
        if (name.Length == 0 || LokiLabelParser.IsLegacyName(name) && !(name[0] == '_' && (name.Length == 1 || name[1] != '_'))) return name;
        var sb = new StringBuilder(name.Length + 4);
        foreach (var rune in name.EnumerateRunes())
        {
            int c = rune.Value;
            bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            sb.Append(ok ? (char)c : '_');
        }
        if (sb[0] >= '0' && sb[0] <= '9') sb.Insert(0, "key_");
        else if (sb[0] == '_' && (sb.Length == 1 || sb[1] != '_')) sb.Insert(0, "key");
        return sb.ToString();
    }
}
