using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Strata.Storage.Chunks;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

/// <summary>
/// Builds one WAL entry of accepted log entries (FORMAT.md, "WAL items"): a single
/// <see cref="WalRecordType.LogEntries"/> record whose payload is a run of items, a stream
/// definition or a run of entries of one stream.
/// </summary>
/// <remarks>
/// Contract: used only under the store's append lock; reused for every batch, so after warm-up
/// it allocates nothing. Consecutive entries of one stream share an item, whose count is patched
/// when it is closed.
/// </remarks>
internal sealed class LogWalBatch
{
    public const byte ItemStreamDef = 1;
    public const byte ItemEntries = 2;

    private readonly EntryBuilder _entry = new(1 << 20);
    private byte[] _buf = new byte[1 << 20];
    private int _len;
    private LogStream? _itemStream;
    private int _countPos;
    private int _count;
    private long _prevTs;

    /// <summary>Payload bytes so far.</summary>
    public int Length => _len;

    public bool IsEmpty => _len == 0;

    public void Reset()
    {
        _len = 0;
        _itemStream = null;
    }

    /// <summary>Defines a stream (id and labels): written whenever a stream's head chunk starts, so the WAL the head depends on names it.</summary>
    public void AddStreamDef(LogStream s)
    {
        CloseItem();
        Ensure(1 + 4 + BlockRecord.LabelsSize(s.Labels));
        _buf[_len++] = ItemStreamDef;
        BinaryPrimitives.WriteInt32LittleEndian(_buf.AsSpan(_len), s.Id);
        _len += 4;
        _len += BlockRecord.WriteLabels(s.Labels, _buf.AsSpan(_len));
    }

    /// <summary>Adds an entry and returns the span where its <paramref name="metaLength"/> metadata bytes go.</summary>
    public Span<byte> AddEntry(LogStream s, long ts, ReadOnlySpan<byte> line, int metaLength)
    {
        if (!ReferenceEquals(_itemStream, s)) OpenItem(s);
        Ensure(10 + 5 + 5 + line.Length + metaLength);
        long delta = unchecked(ts - _prevTs);
        _prevTs = ts;
        _len += Varint.PutVarint(_buf.AsSpan(_len), delta);
        _len += Varint.PutUvarint(_buf.AsSpan(_len), (ulong)line.Length);
        line.CopyTo(_buf.AsSpan(_len));
        _len += line.Length;
        _len += Varint.PutUvarint(_buf.AsSpan(_len), (ulong)metaLength);
        var meta = _buf.AsSpan(_len, metaLength);
        _len += metaLength;
        _count++;
        return meta;
    }

    /// <summary>The finished WAL entry (header, CRC); valid until the next call.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        CloseItem();
        _entry.Reset();
        _entry.AddRecord(WalRecordType.LogEntries, _buf.AsSpan(0, _len));
        return _entry.Finish();
    }

    private void OpenItem(LogStream s)
    {
        CloseItem();
        Ensure(9);
        _buf[_len++] = ItemEntries;
        BinaryPrimitives.WriteInt32LittleEndian(_buf.AsSpan(_len), s.Id);
        _len += 4;
        _countPos = _len;
        _len += 4;
        _count = 0;
        _prevTs = 0;
        _itemStream = s;
    }

    private void CloseItem()
    {
        if (_itemStream == null) return;
        BinaryPrimitives.WriteInt32LittleEndian(_buf.AsSpan(_countPos), _count);
        _itemStream = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int extra)
    {
        if (_buf.Length - _len < extra) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + extra));
    }
}

/// <summary>Receives decoded WAL items in order.</summary>
internal interface ILogWalHandler
{
    void OnStreamDef(int id, ReadOnlySpan<byte> labels);

    void OnEntry(int id, long ts, ReadOnlySpan<byte> line, ReadOnlySpan<byte> meta);
}

/// <summary>Decodes the payload <see cref="LogWalBatch"/> writes.</summary>
internal static class LogWalReader
{
    /// <summary>Decodes every item; returns a reason if the payload is malformed (items before it were delivered).</summary>
    public static string? Decode<THandler>(ReadOnlySpan<byte> payload, ref THandler handler) where THandler : struct, ILogWalHandler
    {
        var r = new SpanReader(payload);
        while (r.Remaining > 0)
        {
            byte tag = r.ReadByte();
            int id = (int)r.ReadUInt32();
            if (tag == LogWalBatch.ItemStreamDef)
            {
                int start = r.Position;
                ulong n = r.ReadUvarint();
                for (ulong i = 0; i < n * 2 && !r.Failed; i++) r.Skip((int)Math.Min(r.ReadUvarint(), int.MaxValue));
                if (r.Failed) return "malformed stream definition";
                handler.OnStreamDef(id, payload[start..r.Position]);
            }
            else if (tag == LogWalBatch.ItemEntries)
            {
                uint count = r.ReadUInt32();
                long ts = 0;
                for (uint i = 0; i < count; i++)
                {
                    ts = unchecked(ts + r.ReadVarint());
                    var line = r.ReadBytes((int)Math.Min(r.ReadUvarint(), int.MaxValue));
                    var meta = r.ReadBytes((int)Math.Min(r.ReadUvarint(), int.MaxValue));
                    if (r.Failed) return "malformed entry";
                    handler.OnEntry(id, ts, line, meta);
                }
            }
            else
            {
                return "unknown item";
            }
            if (r.Failed) return r.Error;
        }
        return null;
    }
}
