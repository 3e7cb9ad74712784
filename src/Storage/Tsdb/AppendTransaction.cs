using Strata.Storage.Head;
using Strata.Storage.Wal;

namespace Strata.Storage.Tsdb;

/// <summary>
/// One write batch under the database's append lock: samples go into the head and the accepted ones
/// into a WAL entry, which <see cref="Commit"/> enqueues. Dispose releases the lock; then await
/// <see cref="Tsdb.WaitDurableAsync"/> with the address <see cref="Commit"/> returned before
/// acknowledging the write.
/// </summary>
/// <remarks>
/// Not thread-safe; create, use and dispose on one thread without awaiting in between (the lock is a
/// monitor). The entry builder is reused per thread, so nothing is allocated per sample.
/// </remarks>
public sealed class AppendTransaction : IDisposable
{
    [ThreadStatic] private static EntryBuilder? t_builder;

    private readonly Tsdb _db;
    private readonly EntryBuilder? _entry;
    private readonly List<MemSeries> _newlyLogged = [];
    private bool _disposed;

    internal AppendTransaction(Tsdb db)
    {
        _db = db;
        if (db.Wal != null)
        {
            _entry = t_builder ??= new EntryBuilder();
            _entry.Reset();
        }
        db.AppendLock.Enter();
    }

    /// <summary>
    /// Appends a series' samples (in order) and records the outcome of each; returns how many were
    /// stored. A series removed by head garbage collection since it was resolved is resolved again.
    /// </summary>
    public int Append(ref MemSeries series, ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values, Span<AppendResult> results)
    {
        var head = _db.Head;
        if (series.Removed) series = head.GetOrCreate(series.Labels, out _);
        int stored = head.Append(series, timestamps, values, results);
        if (stored == 0 || _entry == null) return stored;
        if (!series.Logged)
        {
            _entry.AddSeries(series.Ref, series.Labels);
            series.Logged = true;
            _newlyLogged.Add(series);
        }
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i] == AppendResult.Appended) _entry.AddSample(series.Ref, timestamps[i], values[i]);
        }
        return stored;
    }

    /// <summary>
    /// Enqueues the WAL entry and returns the address to wait for: the log's tail, which also covers
    /// entries of earlier transactions that stored samples this one only saw as duplicates.
    /// </summary>
    public long Commit()
    {
        var wal = _db.Wal;
        if (wal == null) return -1;
        try
        {
            if (_entry!.HasRecords) wal.Enqueue(_entry.Finish());
        }
        catch
        {
            // The series definitions did not reach the log; the next append must log them again.
            foreach (var s in _newlyLogged) s.Logged = false;
            throw;
        }
        return wal.TailAddress;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _db.AppendLock.Exit();
    }
}
