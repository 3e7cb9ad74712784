using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

public sealed partial class LogLine
{
    /// <summary>
    /// One added label. <see cref="Value"/> is set for string values; otherwise the value is
    /// <c>_arena[Offset..Offset+Length)</c>. Materialising a byte value caches the string in Value.
    /// </summary>
    internal struct Slot
    {
        public string Name;
        public string? Value;
        public int Offset;
        public int Length;
    }

    private readonly Slot[][] _add = [new Slot[8], new Slot[8], new Slot[16]];
    private readonly int[] _addCount = new int[3];
    private string[] _deleted = new string[4];
    private int _deletedCount;

    // Extracted values live here as bytes; the arena is reset per entry, so extraction does not allocate.
    private byte[] _arena = new byte[1024];
    private int _arenaLength;

    private void ClearLabels()
    {
        _addCount[0] = _addCount[1] = _addCount[2] = 0;
        _deletedCount = 0;
        _arenaLength = 0;
        _error = null;
        _errorDetails = null;
    }

    internal bool HasAdds => (_addCount[0] | _addCount[1] | _addCount[2]) != 0;

    internal bool HasDeletes => _deletedCount != 0;

    private LabelValue ValueOf(in Slot s) =>
        s.Value != null ? new LabelValue(s.Value) : new LabelValue(_arena.AsSpan(s.Offset, s.Length));

    private string StringOf(ref Slot s) => s.Value ??= Encoding.UTF8.GetString(_arena, s.Offset, s.Length);

    private bool FindAdded(string name, out int category, out int index)
    {
        for (int c = 0; c < 3; c++)
        {
            var slots = _add[c];
            int n = _addCount[c];
            for (int i = 0; i < n; i++)
            {
                if (string.Equals(slots[i].Name, name, StringComparison.Ordinal))
                {
                    category = c;
                    index = i;
                    return true;
                }
            }
        }
        category = index = -1;
        return false;
    }

    private bool IsDeleted(string name)
    {
        for (int i = 0; i < _deletedCount; i++)
        {
            if (string.Equals(_deleted[i], name, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private int IndexIn(LabelCategory category, string name)
    {
        var slots = _add[(int)category];
        int n = _addCount[(int)category];
        for (int i = 0; i < n; i++)
        {
            if (string.Equals(slots[i].Name, name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    /// <summary>Looks a label up (parsed, metadata, stream order) without allocating; <c>__error__</c> is not a label here.</summary>
    public bool TryGetValue(string name, out LabelValue value)
    {
        if (FindAdded(name, out int c, out int i))
        {
            value = ValueOf(_add[c][i]);
            return true;
        }
        if (!IsDeleted(name))
        {
            string? v = Stream.Get(name);
            if (v != null)
            {
                value = new LabelValue(v);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Looks a label up and returns its category (Loki's <c>GetWithCategory</c>).</summary>
    public bool TryGetCategory(string name, out LabelCategory category)
    {
        if (FindAdded(name, out int c, out _))
        {
            category = (LabelCategory)c;
            return true;
        }
        category = LabelCategory.Stream;
        return !IsDeleted(name) && Stream.Get(name) != null;
    }

    /// <summary>Looks a label up as a string; a byte value is decoded once and cached for the rest of the entry.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out string? value)
    {
        if (FindAdded(name, out int c, out int i))
        {
            value = StringOf(ref _add[c][i]);
            return true;
        }
        value = IsDeleted(name) ? null : Stream.Get(name);
        return value != null;
    }

    public bool Has(string name) => TryGetValue(name, out _);

    /// <summary>
    /// Loki's <c>Set</c>: a parsed label replaces metadata and stream labels of the same name; metadata
    /// replaces a stream label but not a parsed one; a stream-category set is ignored when the name is
    /// already parsed or metadata.
    /// </summary>
    public void Set(LabelCategory category, string name, string value)
    {
        int i = SlotFor(category, name);
        if (i < 0) return;
        ref var slot = ref _add[(int)category][i];
        slot.Value = value;
        slot.Offset = slot.Length = 0;
    }

    /// <summary><see cref="Set"/> with a UTF-8 value, copied into the entry's arena (no string is created).</summary>
    public void Set(LabelCategory category, string name, ReadOnlySpan<byte> utf8Value)
    {
        int offset = ArenaAppend(utf8Value);
        SetArenaValue(category, name, offset, utf8Value.Length);
    }

    /// <summary>Reserves arena space for a value a stage writes in place; commit with <see cref="EndValue"/>.</summary>
    internal Span<byte> BeginValue(int maxLength, out int offset)
    {
        EnsureArena(maxLength);
        offset = _arenaLength;
        return _arena.AsSpan(_arenaLength, maxLength);
    }

    internal void EndValue(LabelCategory category, string name, int offset, int length)
    {
        _arenaLength = offset + length;
        SetArenaValue(category, name, offset, length);
    }

    /// <summary>Commits arena bytes written after <see cref="BeginValue"/> without assigning them to a label yet.</summary>
    internal void EndValue(int offset, int length) => _arenaLength = offset + length;

    /// <summary>Assigns committed arena bytes to a label.</summary>
    internal void SetArena(LabelCategory category, string name, int offset, int length) => SetArenaValue(category, name, offset, length);

    internal ReadOnlySpan<byte> ArenaSpan(int offset, int length) => _arena.AsSpan(offset, length);

    internal int ArenaAppend(ReadOnlySpan<byte> bytes)
    {
        EnsureArena(bytes.Length);
        int offset = _arenaLength;
        bytes.CopyTo(_arena.AsSpan(offset));
        _arenaLength += bytes.Length;
        return offset;
    }

    private void EnsureArena(int extra)
    {
        if (_arenaLength + extra <= _arena.Length) return;
        var bigger = new byte[Math.Max(_arenaLength + extra, _arena.Length * 2)];
        _arena.AsSpan(0, _arenaLength).CopyTo(bigger);
        _arena = bigger;
    }

    private void SetArenaValue(LabelCategory category, string name, int offset, int length)
    {
        int i = SlotFor(category, name);
        if (i < 0) return;
        ref var slot = ref _add[(int)category][i];
        slot.Value = null;
        slot.Offset = offset;
        slot.Length = length;
    }

    /// <summary>Copies the value of <paramref name="source"/> to <paramref name="name"/> without materialising it.</summary>
    internal bool CopyValue(string source, LabelCategory category, string name)
    {
        if (FindAdded(source, out int c, out int i))
        {
            var s = _add[c][i];
            int j = SlotFor(category, name);
            if (j < 0) return true;
            ref var slot = ref _add[(int)category][j];
            slot.Value = s.Value;
            slot.Offset = s.Offset;
            slot.Length = s.Length;
            return true;
        }
        if (IsDeleted(source)) return false;
        string? v = Stream.Get(source);
        if (v == null) return false;
        Set(category, name, v);
        return true;
    }

    // The index of the slot Set should write in its category, applying Loki's category precedence;
    // -1 means "ignore the set".
    private int SlotFor(LabelCategory category, string name)
    {
        switch (category)
        {
            case LabelCategory.Parsed:
                RemoveFrom(LabelCategory.StructuredMetadata, name);
                RemoveFrom(LabelCategory.Stream, name);
                break;
            case LabelCategory.StructuredMetadata:
                RemoveFrom(LabelCategory.Stream, name);
                if (IndexIn(LabelCategory.Parsed, name) >= 0) return -1;
                break;
            default:
                if (IndexIn(LabelCategory.StructuredMetadata, name) >= 0 || IndexIn(LabelCategory.Parsed, name) >= 0)
                    return -1;
                break;
        }
        int c = (int)category;
        int i = IndexIn(category, name);
        if (i >= 0) return i;
        if (_addCount[c] == _add[c].Length) Array.Resize(ref _add[c], _add[c].Length * 2);
        i = _addCount[c]++;
        _add[c][i] = new Slot { Name = name };
        return i;
    }

    private void RemoveFrom(LabelCategory category, string name)
    {
        int c = (int)category;
        int i = IndexIn(category, name);
        if (i < 0) return;
        var slots = _add[c];
        int n = --_addCount[c];
        Array.Copy(slots, i + 1, slots, i, n - i);
    }

    /// <summary>Removes <paramref name="name"/> from every category (Loki's <c>Del</c>).</summary>
    public void Delete(string name)
    {
        RemoveFrom(LabelCategory.Stream, name);
        RemoveFrom(LabelCategory.StructuredMetadata, name);
        RemoveFrom(LabelCategory.Parsed, name);
        if (_deletedCount == _deleted.Length) Array.Resize(ref _deleted, _deleted.Length * 2);
        _deleted[_deletedCount++] = name;
    }
}
