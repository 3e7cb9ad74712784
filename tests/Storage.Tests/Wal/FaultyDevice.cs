using FASTER.core;

namespace Strata.Storage.Tests.Wal;

/// <summary>
/// Wraps a FASTER device and injects faults (after FASTER's <c>SimulatedFlakyDevice</c>): failed
/// writes and reads, reported to FASTER as an I/O error code, and torn writes that store only a
/// prefix of the buffer but report success, as a disk that loses power mid-write would.
/// </summary>
internal sealed class FaultyDevice(IDevice inner) : StorageDeviceBase(inner.FileName, inner.SectorSize, inner.Capacity)
{
    private const uint Eio = 5;

    public volatile bool FailWrites;
    public volatile bool FailReads;

    /// <summary>When positive, the next write stores only this many bytes (rounded to sectors) and reports success.</summary>
    public volatile int TearNextWriteAt;

    public int Writes;

    public override void Initialize(long segmentSize, LightEpoch? epoch = null, bool omitSegmentIdFromFilename = false)
    {
        base.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);
        inner.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);
    }

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        Interlocked.Increment(ref Writes);
        if (FailWrites)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(Eio, 0, context));
            return;
        }
        int tear = TearNextWriteAt;
        if (tear > 0)
        {
            TearNextWriteAt = 0;
            uint kept = (uint)Math.Min(numBytesToWrite, (tear + SectorSize - 1) / SectorSize * SectorSize);
            inner.WriteAsync(sourceAddress, segmentId, destinationAddress, kept, (e, _, c) => callback(e, numBytesToWrite, c), context);
            return;
        }
        inner.WriteAsync(sourceAddress, segmentId, destinationAddress, numBytesToWrite, callback, context);
    }

    public override void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
    {
        if (FailReads)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(Eio, 0, context));
            return;
        }
        inner.ReadAsync(segmentId, sourceAddress, destinationAddress, readLength, callback, context);
    }

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) => inner.RemoveSegmentAsync(segment, callback, result);

    public override long GetFileSize(int segment) => inner.GetFileSize(segment);

    public override bool TryComplete() => inner.TryComplete();

    public override void Dispose() => inner.Dispose();
}
