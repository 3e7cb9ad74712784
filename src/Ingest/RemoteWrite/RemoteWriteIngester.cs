using System.Buffers;
using Strata.Storage.Head;
using Strata.Storage.Metadata;
using Strata.Storage.Tsdb;

namespace Strata.Ingest.RemoteWrite;

/// <summary>
/// The remote-write path from compressed body to storage: snappy-decode into a pooled buffer, decode
/// protobuf without per-label allocation, validate each series, resolve series without locks, append
/// all samples in one storage transaction, then wait for the write-ahead log to make them durable.
/// Invalid series and rejected samples never stop the rest of the request from being stored.
/// </summary>
/// <remarks>
/// Thread-safe. The synchronous part works on thread-local buffers and finishes before the only
/// await (durability), so nothing thread-local is used across it.
/// </remarks>
public sealed class RemoteWriteIngester
{
    [ThreadStatic] private static WriteBatch? t_batch;
    [ThreadStatic] private static List<(int, int)>? t_symbols;
    [ThreadStatic] private static AppendResult[]? t_results;
    [ThreadStatic] private static MemSeries?[]? t_series;

    private readonly Tsdb _db;
    private readonly MetadataStore _metadata;
    private readonly IngestOptions _options;
    private readonly TimeProvider _clock;
    private readonly long[] _rejectedTotal = new long[RejectReasons.Count];
    private long _samplesTotal;

    public RemoteWriteIngester(Tsdb db, MetadataStore metadata, IngestOptions options, TimeProvider clock)
    {
        options.Validate();
        _db = db;
        _metadata = metadata;
        _options = options;
        _clock = clock;
    }

    public IngestOptions Options => _options;
    public long SamplesTotal => Interlocked.Read(ref _samplesTotal);
    public long RejectedTotal(RejectReason reason) => Interlocked.Read(ref _rejectedTotal[(int)reason]);

    /// <summary>Decodes and stores one request body (as sent: snappy-compressed protobuf); completes once the stored samples are durable.</summary>
    public async ValueTask<WriteOutcome> IngestAsync(ReadOnlyMemory<byte> body, RemoteWriteVersion version, CancellationToken ct = default)
    {
        var outcome = Ingest(body.Span, version, out long durableAt);
        if (durableAt >= 0) await _db.WaitDurableAsync(durableAt, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The synchronous part: stores in memory and enqueues the WAL entry; <paramref name="durableAt"/> is the address to await (-1: nothing).</summary>
    public WriteOutcome Ingest(ReadOnlySpan<byte> body, RemoteWriteVersion version, out long durableAt)
    {
        durableAt = -1;
        if (body.Length == 0) return WriteOutcome.Fail(WriteStatus.BadRequest, "empty request body");
        if (body.Length > _options.MaxBodyBytes)
            return WriteOutcome.Fail(WriteStatus.TooLarge, $"request body of {body.Length} bytes exceeds the limit of {_options.MaxBodyBytes} bytes");
        if (!Snappy.Snappy.TryGetDecodedLength(body, out int decodedLength))
            return WriteOutcome.Fail(WriteStatus.BadRequest, "snappy: corrupt input: bad length header");
        if (decodedLength > _options.MaxDecodedBytes)
            return WriteOutcome.Fail(WriteStatus.TooLarge, $"decoded request of {decodedLength} bytes exceeds the limit of {_options.MaxDecodedBytes} bytes");

        var batch = t_batch ??= new WriteBatch();
        batch.Reset();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(decodedLength, 1));
        try
        {
            if (!Snappy.Snappy.TryDecode(body, buffer, out int written, out string? snappyError))
                return WriteOutcome.Fail(WriteStatus.BadRequest, snappyError ?? "snappy: corrupt input");
            batch.Buffer = buffer;
            batch.BufferLength = written;

            string? error = version == RemoteWriteVersion.V1
                ? RemoteWriteDecoder.DecodeV1(batch)
                : RemoteWriteDecoder.DecodeV2(batch, t_symbols ??= []);
            if (error != null)
            {
                string name = version == RemoteWriteVersion.V1 ? "prometheus.WriteRequest" : "io.prometheus.write.v2.Request";
                return WriteOutcome.Fail(WriteStatus.BadRequest, $"cannot decode {name} protobuf: {error}");
            }
            var outcome = Store(batch, out durableAt);
            Interlocked.Add(ref _samplesTotal, outcome.SamplesWritten);
            for (int i = 0; i < outcome.Rejected.Length; i++)
            {
                if (outcome.Rejected[i] != 0) Interlocked.Add(ref _rejectedTotal[i], outcome.Rejected[i]);
            }
            return outcome;
        }
        finally
        {
            batch.Buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private WriteOutcome Store(WriteBatch batch, out long durableAt)
    {
        var outcome = new WriteOutcome();
        var buf = batch.Bytes;
        long maxT = _clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)_options.MaxFutureSkew.TotalMilliseconds;
        bool invalid = false;

        // Phase 1, no global lock: validate and resolve (or create) every series.
        var series = t_series is { } cached && cached.Length >= batch.SeriesCount ? cached : (t_series = new MemSeries?[Math.Max(batch.SeriesCount, 256)]);
        var head = _db.Head;
        int maxSamples = 0;
        for (int i = 0; i < batch.SeriesCount; i++)
        {
            ref var s = ref batch.Series[i];
            series[i] = null;
            if (s.Rejection == SeriesRejection.None) s.Rejection = SeriesValidator.Validate(batch, ref s, _options);
            if (s.Histograms > 0) outcome.Reject(RejectReason.NativeHistogramUnsupported, s.Histograms);
            if (s.Exemplars > 0) outcome.Reject(RejectReason.ExemplarUnsupported, s.Exemplars);
            if (s.Rejection != SeriesRejection.None)
            {
                invalid = true;
                RejectSeries(outcome, batch, i);
                continue;
            }
            if (s.SampleCount == 0) continue;
            series[i] = head.GetOrCreate(buf, batch.LabelsOf(s), out bool created);
            if (created) outcome.SeriesCreated++;
            maxSamples = Math.Max(maxSamples, s.SampleCount);
        }

        // Phase 2, under the storage's append lock: append and enqueue one WAL entry.
        var results = t_results is { } r && r.Length >= maxSamples ? r : (t_results = new AppendResult[Math.Max(maxSamples, 256)]);
        using (var tx = _db.BeginAppend())
        {
            for (int i = 0; i < batch.SeriesCount; i++)
            {
                var memSeries = series[i];
                if (memSeries == null) continue;
                ref var s = ref batch.Series[i];
                var ts = batch.Timestamps.AsSpan(s.SampleStart, s.SampleCount);
                var vs = batch.Values.AsSpan(s.SampleStart, s.SampleCount);
                var res = results.AsSpan(0, ts.Length);
                if (FirstTooFarInFuture(ts, maxT) < 0)
                {
                    tx.Append(ref memSeries, ts, vs, res);
                }
                else
                {
                    // Rare: sample by sample so that the valid ones are kept.
                    for (int k = 0; k < ts.Length; k++)
                    {
                        if (ts[k] > maxT) res[k] = AppendResult.TooFarInFuture;
                        else tx.Append(ref memSeries, ts.Slice(k, 1), vs.Slice(k, 1), res.Slice(k, 1));
                    }
                }
                series[i] = null;
                Tally(outcome, batch, s, res, ref invalid);
            }
            durableAt = tx.Commit();
        }

        foreach (var m in batch.Metadata) _metadata.Set(m.Family, (byte)m.Type, m.Help, m.Unit);
        outcome.Status = invalid ? WriteStatus.BadRequest : WriteStatus.Ok;
        return outcome;
    }

    private static void RejectSeries(WriteOutcome outcome, WriteBatch batch, int index)
    {
        var entry = batch.Series[index];
        outcome.Reject(RejectReason.InvalidSeries, entry.SampleCount,
            () => $"invalid series {batch.Describe(entry)}: {SeriesValidator.Describe(entry.Rejection)}");
    }

    private static int FirstTooFarInFuture(ReadOnlySpan<long> ts, long maxT)
    {
        for (int i = 0; i < ts.Length; i++)
        {
            if (ts[i] > maxT) return i;
        }
        return -1;
    }

    private static void Tally(WriteOutcome outcome, WriteBatch batch, in SeriesEntry s, ReadOnlySpan<AppendResult> res, ref bool invalid)
    {
        for (int k = 0; k < res.Length; k++)
        {
            var r = res[k];
            if (r is AppendResult.Appended or AppendResult.Duplicate)
            {
                outcome.SamplesWritten++;
                continue;
            }
            invalid = true;
            RejectSample(outcome, batch, s, k, r);
        }
    }

    // Kept out of Tally so that the closure is only allocated for a rejected sample.
    private static void RejectSample(WriteOutcome outcome, WriteBatch batch, SeriesEntry s, int k, AppendResult r)
    {
        var reason = r switch
        {
            AppendResult.OutOfOrder => RejectReason.OutOfOrder,
            AppendResult.DuplicateTimestamp => RejectReason.DuplicateTimestamp,
            AppendResult.OutOfBounds => RejectReason.OutOfBounds,
            _ => RejectReason.TooFarInFuture,
        };
        long t = batch.Timestamps[s.SampleStart + k];
        outcome.Reject(reason, 1, () => $"{Message(r)} for series {batch.Describe(s)} at timestamp {t}");
    }

    private static string Message(AppendResult r) => r switch
    {
        AppendResult.OutOfOrder => "out of order sample",
        AppendResult.DuplicateTimestamp => "duplicate sample for timestamp",
        AppendResult.OutOfBounds => "out of bounds",
        _ => "timestamp is too far in the future",
    };
}
