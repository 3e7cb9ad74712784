using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Maps UTF-8 byte sequences to interned strings so parsers turn the same key bytes into the same
/// label-name string without allocating per line (Loki's <c>internedStringSet</c>, which caps at
/// 1024 entries for the same reason: names come from a small vocabulary, values do not).
/// Not thread-safe: each <see cref="LogLine"/> owns one.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxEntries = 4096;

    private Entry[] _entries = new Entry[256];
    private int _count;

    private struct Entry
    {
        public int Hash;
        public byte[]? Key;
        public string Value;
    }

    public string Get(ReadOnlySpan<byte> key)
    {
        int hash = Hash(key);
        int mask = _entries.Length - 1;
        int i = hash & mask;
        while (true)
        {
            ref var e = ref _entries[i];
            if (e.Key == null) break;
            if (e.Hash == hash && key.SequenceEqual(e.Key)) return e.Value;
            i = (i + 1) & mask;
        }
        string value = Encoding.UTF8.GetString(key);
        if (_count >= MaxEntries) return value;
        if ((_count + 1) * 2 > _entries.Length)
        {
            Grow();
            mask = _entries.Length - 1;
            i = hash & mask;
            while (_entries[i].Key != null) i = (i + 1) & mask;
        }
        _entries[i] = new Entry { Hash = hash, Key = key.ToArray(), Value = value };
        _count++;
        return value;
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        int mask = _entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Key == null) continue;
            int i = e.Hash & mask;
            while (_entries[i].Key != null) i = (i + 1) & mask;
            _entries[i] = e;
        }
    }

    // FNV-1a: keys are short label names, where a simple byte loop beats setting up a vectorised hash.
    private static int Hash(ReadOnlySpan<byte> key)
    {
        uint h = 2166136261;
        foreach (byte b in key) h = (h ^ b) * 16777619;
        return (int)(h & 0x7FFFFFFF);
    }
}
