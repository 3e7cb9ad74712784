using System.Diagnostics;
using FASTER.core;

namespace Strata.Storage.Wal;

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Wakes the committer unless a request is already pending. Everything enqueued before this call
    /// is covered by the commit it triggers (or one already starting).
    /// </summary>
    private void RequestCommit()
    {
        if (Interlocked.Exchange(ref _commitRequested, 1) == 0) _wake.Release();
    }

    /// <summary>
    /// The group committer: one FasterLog commit at a time, covering everything enqueued when it
    /// starts; waiters that arrive during a commit are served by the next one. With N writers each
    /// waiting for its own entry, a commit therefore carries about N entries, and the commit rate
    /// is bounded by the device's flush-plus-fsync latency, not by the number of writers.
    /// </summary>
    /// <remarks>
    /// Tried and dropped: FasterLog's own <c>Commit()</c> per waiter with the default commit policy
    /// coalesces only commits issued while the tail has not moved, so concurrent writers still
    /// issue one commit each. A strong commit is used here because it carries the cookie (next
    /// sequence number), taken under the append lock so it matches the commit's tail exactly.
    /// </remarks>
    private async Task CommitLoopAsync()
    {
        while (true)
        {
            await _wake.WaitAsync(_options.IdleCommitInterval).ConfigureAwait(false);
            Volatile.Write(ref _commitRequested, 0);
            bool stopping = _stopping;
            if (!stopping) Gather();
            await _commitGate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_fault == null && NeedsCommit()) await CommitOnceAsync().ConfigureAwait(false);
            }
            finally
            {
                _commitGate.Release();
            }
            var done = Interlocked.Exchange(ref _committed, NewSignal());
            if (_fault is { } f) done.TrySetException(new IOException("the WAL failed to commit", f));
            else done.TrySetResult();
            if (stopping) return;
        }
    }

    /// <summary>
    /// Waits (yielding the CPU) until the tail has not moved for the quiet time or the maximum delay
    /// has passed. Blocks the committer's thread for at most <see cref="WalOptions.GroupCommitMaxDelay"/>;
    /// a timer-based wait cannot do this, as its resolution is about a millisecond.
    /// </summary>
    private void Gather()
    {
        long quiet = (long)(_options.GroupCommitQuietTime.TotalSeconds * Stopwatch.Frequency);
        if (quiet <= 0) return;
        long max = (long)(_options.GroupCommitMaxDelay.TotalSeconds * Stopwatch.Frequency);
        long start = Stopwatch.GetTimestamp(), changed = start;
        long tail = _log.TailAddress;
        while (true)
        {
            Thread.Yield();
            long now = Stopwatch.GetTimestamp();
            long t = _log.TailAddress;
            if (t != tail)
            {
                tail = t;
                changed = now;
            }
            else if (now - changed >= quiet)
            {
                return;
            }
            if (now - start >= max) return;
        }
    }

    private bool NeedsCommit()
    {
        var log = _log;
        return log.TailAddress > log.CommittedUntilAddress || log.BeginAddress > log.CommittedBeginAddress;
    }

    private async Task CommitOnceAsync()
    {
        ValueTask<(bool Success, long Tail, long Num)> pending;
        lock (_appendLock)
        {
            // The synchronous part of CommitStronglyAsync fixes the commit's tail; taking it under the
            // append lock makes the cookie's sequence number exactly the one after that tail.
            pending = _log.CommitStronglyAsync(EncodeCookie(_nextSeq));
        }
        try
        {
            await pending.ConfigureAwait(false);
            Interlocked.Increment(ref _commits);
        }
        catch (CommitFailureException e)
        {
            // A device error: FasterLog refuses further commits, so the WAL stops accepting writes
            // and every waiter sees the failure instead of a false acknowledgement.
            _fault = e;
        }
    }
}
