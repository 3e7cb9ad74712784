using System.Buffers;
using System.Text;
using Strata.Storage.Logs;

namespace Strata.Ingest.Loki;

/// <summary>
/// A decoded and validated Loki push: the accepted streams, and what was rejected and why.
/// </summary>
/// <remarks>
/// <para><b>Lifetime.</b> Each <see cref="LogEntry.Line"/> is a slice of a buffer this result owns
/// (the decompressed body, or an unescaped copy of a JSON string) or of the caller's body. Those
/// buffers are rented from <see cref="ArrayPool{T}.Shared"/> and go back on <see cref="Dispose"/>:
/// store (copy) the lines first, keep the caller's body alive until then, and dispose once. A result
/// that is never disposed only costs the pool its buffers. Not thread-safe.</para>
/// <para><b>Errors.</b> <see cref="Message"/> is the 400 body in Loki's format (util.GroupedErrors):
/// identical messages are counted, <c>"N errors like: msg"</c> when more than one message or more
/// than one occurrence, joined by <c>"; "</c>, in first-seen order (Loki's is map order).</para>
/// </remarks>
public sealed class LokiPushResult : IDisposable
{
    // Bounds the body of a 400 for a push whose every line is rejected with its own timestamp.
    private const int MaxDistinctMessages = 100;

    private readonly long[] _rejectedEntries = new long[LokiRejectReasons.Count];
    private readonly long[] _rejectedBytes = new long[LokiRejectReasons.Count];
    private List<string>? _messages;
    private Dictionary<string, int>? _counts;
    private int _omitted;
    private string? _fatal;
    private string? _grouped;
    private byte[]? _owned0;
    private byte[]? _owned1;
    private byte[]? _owned2;

    public LokiPushStatus Status { get; private set; }

    /// <summary>Accepted streams with at least one accepted entry; may hold several pushes of one label set.</summary>
    public List<LogStreamPush> Streams { get; } = [];

    public int AcceptedEntries { get; private set; }

    /// <summary>Line bytes of the accepted entries (what Loki's ingestion rate limit counts, plus metadata bytes).</summary>
    public long AcceptedBytes { get; private set; }

    public long RejectedEntries(LokiRejectReason reason) => _rejectedEntries[(int)reason];

    /// <summary>Line and structured-metadata bytes of the rejected entries (Loki's discarded bytes).</summary>
    public long RejectedBytes(LokiRejectReason reason) => _rejectedBytes[(int)reason];

    public long RejectedEntriesTotal
    {
        get
        {
            long n = 0;
            foreach (long v in _rejectedEntries) n += v;
            return n;
        }
    }

    /// <summary>The response body for a non-OK status (plain text); null when <see cref="Status"/> is Ok.</summary>
    public string? Message => _fatal ?? (_messages is null ? null : _grouped ??= Group());

    /// <summary>The whole request is refused: nothing is stored and per-entry accounting is dropped.</summary>
    internal void Fail(LokiPushStatus status, string message)
    {
        Status = status;
        _fatal = message;
        Streams.Clear();
        AcceptedEntries = 0;
        AcceptedBytes = 0;
        Array.Clear(_rejectedEntries);
        Array.Clear(_rejectedBytes);
        _messages = null;
        _counts = null;
    }

    internal void Accept(LogStreamPush stream, long bytes)
    {
        Streams.Add(stream);
        AcceptedEntries += stream.Entries.Count;
        AcceptedBytes += bytes;
    }

    internal void Reject(LokiRejectReason reason, int entries, long bytes, string message)
    {
        Status = LokiPushStatus.BadRequest;
        _grouped = null;
        _rejectedEntries[(int)reason] += entries;
        _rejectedBytes[(int)reason] += bytes;
        _messages ??= [];
        _counts ??= new Dictionary<string, int>(StringComparer.Ordinal);
        if (_counts.TryGetValue(message, out int n))
        {
            _counts[message] = n + 1;
        }
        else if (_messages.Count < MaxDistinctMessages)
        {
            _messages.Add(message);
            _counts[message] = 1;
        }
        else
        {
            _omitted++;
        }
    }

    /// <summary>Takes a pooled buffer whose bytes the entries point into; returned on <see cref="Dispose"/>.</summary>
    internal void Own(byte[] pooled)
    {
        if (_owned0 is null) _owned0 = pooled;
        else if (_owned1 is null) _owned1 = pooled;
        else if (_owned2 is null) _owned2 = pooled;
        else throw new InvalidOperationException("a push result owns at most three buffers");
    }

    private string Group()
    {
        var sb = new StringBuilder();
        bool several = _messages!.Count > 1 || _omitted > 0;
        for (int i = 0; i < _messages.Count; i++)
        {
            if (i > 0) sb.Append("; ");
            int n = _counts![_messages[i]];
            if (several || n > 1) sb.Append(n).Append(" errors like: ");
            sb.Append(_messages[i]);
        }
        if (_omitted > 0) sb.Append("; ").Append(_omitted).Append(" more errors");
        return sb.ToString();
    }

    public void Dispose()
    {
        Return(ref _owned0);
        Return(ref _owned1);
        Return(ref _owned2);
    }

    private static void Return(ref byte[]? buffer)
    {
        if (buffer is null) return;
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null;
    }
}
