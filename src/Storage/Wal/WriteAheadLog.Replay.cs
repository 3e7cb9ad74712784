using System.Buffers.Binary;
using FASTER.core;

namespace Strata.Storage.Wal;

/// <summary>Receives replayed entries in log order. A struct, passed by reference, so calls are direct.</summary>
public interface IWalEntryHandler
{
    /// <summary>One verified entry (header and CRC checked); the span is valid only during the call.</summary>
    void OnEntry(long address, ReadOnlySpan<byte> entry);
}

/// <summary>Callback form of <see cref="IWalEntryHandler"/> for cold paths and tests.</summary>
public delegate void WalEntryCallback(long address, ReadOnlySpan<byte> entry);

/// <summary>How a replay ended.</summary>
public enum WalReplayStatus : byte
{
    /// <summary>Every committed entry from the start address was read.</summary>
    Ok = 0,
    /// <summary>
    /// A torn or corrupt entry was found at <see cref="WalReplayResult.TornAt"/>; replay stopped
    /// before it and the log was cut there, so new entries continue after the last good one.
    /// </summary>
    TornTail = 1,
}

/// <summary>
/// The outcome of <see cref="WriteAheadLog.Replay{THandler}"/>. <see cref="EndAddress"/> is the
/// address after the last good entry (the tail of the log after a cut).
/// </summary>
public readonly record struct WalReplayResult(
    WalReplayStatus Status, long Entries, long Bytes, long EndAddress, long TornAt, string? Reason)
{
    public bool IsOk => Status == WalReplayStatus.Ok;
}

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Reads every committed entry from <paramref name="fromAddress"/> (clamped to
    /// <see cref="BeginAddress"/>) in order, checking each frame and entry CRC and the sequence.
    /// On the first bad entry it stops, cuts the log there and returns
    /// <see cref="WalReplayStatus.TornTail"/>; it never throws for corrupt data.
    /// </summary>
    /// <exception cref="IOException">A device read failed; nothing is cut.</exception>
    /// <param name="fromAddress">
    /// An entry boundary: <see cref="BeginAddress"/>, an address <see cref="Enqueue"/> or a replay
    /// returned, or a <see cref="TailAddress"/>/<see cref="WalReplayResult.EndAddress"/> seen earlier
    /// (such as the address a checkpoint covers). An address inside an entry reads as corruption and
    /// would cut the log there.
    /// </param>
    public WalReplayResult Replay<THandler>(long fromAddress, ref THandler handler) where THandler : struct, IWalEntryHandler
    {
        ThrowIfUnusable();
        _commitGate.Wait();
        try
        {
            var log = _log;
            long begin = log.BeginAddress;
            long end = log.CommittedUntilAddress;
            long from = Math.Max(fromAddress, begin);
            if (from >= end) return new WalReplayResult(WalReplayStatus.Ok, 0, 0, Math.Max(from, end), -1, null);

            var scan = ScanCore(log, from, end, ref handler, deliver: true);
            if (scan.TornAt < 0) return new WalReplayResult(WalReplayStatus.Ok, scan.Entries, scan.Bytes, scan.End, -1, null);

            long tornAt = scan.TornAt;
            string reason = scan.Reason!;
            ulong nextSeq;
            if (scan.LastSeq is { } last)
            {
                nextSeq = last + 1;
            }
            else if (tornAt > begin)
            {
                // The bad entry was the first one read: learn its predecessor's sequence number by
                // reading the log up to it (which may itself find an earlier tear).
                var none = default(NoHandler);
                var prefix = ScanCore(log, begin, tornAt, ref none, deliver: false);
                if (prefix.TornAt >= 0)
                {
                    tornAt = prefix.TornAt;
                    reason = prefix.Reason!;
                }
                nextSeq = prefix.LastSeq is { } p ? p + 1 : _nextSeq;
            }
            else
            {
                nextSeq = _nextSeq;
            }
            CutTail(tornAt, nextSeq);
            return new WalReplayResult(WalReplayStatus.TornTail, scan.Entries, scan.Bytes, Math.Min(scan.End, tornAt), tornAt, reason);
        }
        finally
        {
            _commitGate.Release();
        }
    }

    /// <summary>Replay with a delegate (cold paths, tests).</summary>
    public WalReplayResult Replay(long fromAddress, WalEntryCallback callback)
    {
        var adapter = new CallbackHandler(callback);
        return Replay(fromAddress, ref adapter);
    }

    private readonly record struct ScanResult(long Entries, long Bytes, long End, ulong? LastSeq, long TornAt, string? Reason);

    private unsafe ScanResult ScanCore<THandler>(FasterLog log, long from, long end, ref THandler handler, bool deliver)
        where THandler : struct, IWalEntryHandler
    {
        long entries = 0, bytes = 0, lastEnd = from;
        ulong? lastSeq = null;
        using var iter = log.Scan(from, end);
        while (true)
        {
            bool has;
            byte* p;
            int len;
            long address, next;
            try
            {
                has = iter.UnsafeGetNext(out p, out len, out address, out next);
            }
            catch (FasterException e) when (IsReadFailure(e))
            {
                // The data may be fine: an I/O error must not cut the log
                // (WalFaultTests.ReadErrorDuringReplayThrowsAndDoesNotCutTheLog).
                throw new IOException($"reading the WAL at address {lastEnd} failed", e);
            }
            catch (FasterException e)
            {
                // FasterLog throws on a length that runs past its page or on an unwritten page.
                return new ScanResult(entries, bytes, lastEnd, lastSeq, lastEnd, "unreadable record: " + e.Message);
            }
            if (!has) break;
            if (address != lastEnd && !IsPagePadding(lastEnd, address, len))
            {
                // FasterLog skipped bytes it took for padding or a commit record (a zero or negative
                // length): whatever was there is lost.
                iter.UnsafeRelease();
                return new ScanResult(entries, bytes, lastEnd, lastSeq, lastEnd, "bytes between entries were skipped (corrupt record length)");
            }

            string? reason;
            ulong seq;
            int n = len - FrameSize;
            try
            {
                var frame = new ReadOnlySpan<byte>(p, len);
                reason = CheckFrame(frame, out seq);
                if (reason == null && lastSeq is { } prev && seq != prev + 1) reason = "sequence number gap: an entry is missing or stale";
                if (reason == null && deliver)
                {
                    if (_scratch.Length < n) _scratch = new byte[Math.Max(n, _scratch.Length * 2)];
                    frame[FrameSize..].CopyTo(_scratch);
                }
            }
            finally
            {
                iter.UnsafeRelease();
            }
            if (reason != null) return new ScanResult(entries, bytes, lastEnd, lastSeq, address, reason);
            // The handler runs outside FASTER's epoch: it may be slow or touch the log itself.
            if (deliver) handler.OnEntry(address, _scratch.AsSpan(0, n));
            lastSeq = seq;
            lastEnd = next;
            entries++;
            bytes += n;
        }
        if (lastEnd < end)
        {
            // The scan skips zeroed bytes to the next page: committed entries that read back as zeros
            // (a lost or cut-off write) end it early without an error.
            return new ScanResult(entries, bytes, lastEnd, lastSeq, lastEnd, "committed entries are missing (zeroed or cut-off data)");
        }
        return new ScanResult(entries, bytes, lastEnd, lastSeq, -1, null);
    }

    /// <summary>
    /// True if an entry of <paramref name="length"/> bytes found at <paramref name="address"/> instead
    /// of <paramref name="expected"/> was moved to the next page because it did not fit in the rest
    /// of the previous one (FasterLog's allocator leaves that rest as zero padding).
    /// </summary>
    private bool IsPagePadding(long expected, long address, int length)
    {
        long pageSize = 1L << _options.PageSizeBits;
        long offset = expected & (pageSize - 1);
        long nextPage = expected - offset + pageSize;
        return offset != 0 && address == nextPage && offset + FasterRecordHeader + ((length + 3) & ~3) > pageSize;
    }

    /// <summary>
    /// FasterLog 2.6.5 reports a failed page read as a plain <see cref="FasterException"/> whose
    /// message embeds the cancelled read (ScanIteratorBase.WaitForFrameLoad), with no inner
    /// exception or error code; the message prefix is the only way to tell it from corruption.
    /// </summary>
    private static bool IsReadFailure(FasterException e) =>
        e.InnerException != null || e.Message.StartsWith("Page read from storage failed", StringComparison.Ordinal);

    private static string? CheckFrame(ReadOnlySpan<byte> frame, out ulong seq)
    {
        seq = 0;
        if (frame.Length < FrameSize + WalRecords.HeaderSize) return "frame shorter than its header";
        seq = BinaryPrimitives.ReadUInt64LittleEndian(frame);
        var entry = frame[FrameSize..];
        uint crc = Crc32C.Compute(entry[..WalRecords.HeaderSize], Crc32C.Compute(frame[..8]));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(frame[8..])) return "frame checksum mismatch";
        var verified = WalRecords.Verify(entry, out _);
        return verified.IsOk ? null : verified.Reason;
    }

    /// <summary>
    /// Ends the log at <paramref name="address"/>: closes FasterLog, writes a commit whose tail is
    /// that address (FasterLog has no API to move its tail back), zeroes the rest of that page on
    /// disk, deletes later segment files and reopens. Called with the commit gate held.
    /// </summary>
    private void CutTail(long address, ulong nextSeq)
    {
        lock (_appendLock)
        {
            var log = _log;
            long begin = log.BeginAddress;
            log.Dispose();
            _device.Dispose();
            _commitStore.WriteTruncation(begin, address, EncodeCookie(nextSeq));
            ZeroPageTail(_dir, _options, address);
            DeleteSegments(_dir, (address >> _options.SegmentSizeBits) + 1);
            (_device, _log) = OpenFaster(_dir, _options, _commitStore, _wrapDevice);
            _nextSeq = nextSeq;
        }
    }

    private readonly struct CallbackHandler(WalEntryCallback callback) : IWalEntryHandler
    {
        public void OnEntry(long address, ReadOnlySpan<byte> entry) => callback(address, entry);
    }

    private struct NoHandler : IWalEntryHandler
    {
        public readonly void OnEntry(long address, ReadOnlySpan<byte> entry)
        {
        }
    }
}
