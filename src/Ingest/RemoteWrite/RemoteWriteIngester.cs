using System.Buffers;
using Strata.Storage.Head;
using Strata.Storage.Metadata;

namespace Strata.Ingest.RemoteWrite;

/// <summary>
/// The remote-write path from compressed body to head: snappy-decode into a pooled buffer, decode
/// protobuf without per-label allocation, validate each series, append its samples under one series
/// lock, and tally what was stored and rejected. Invalid series and rejected samples never stop the
/// rest of the request from being stored.
/// </summary>
/// <remarks>Thread-safe; each call works on a thread-local <see cref="WriteBatch"/> and holds no state between calls except counters.</remarks>
public sealed class RemoteWriteIngester
{
    [ThreadStatic] private static WriteBatch? t_batch;
    [ThreadStatic] private static List<(int, int)>? t_symbols;
    [ThreadStatic] private static AppendResult[]? t_results;

    private readonly Head _head;
    private readonly MetadataStore _metadata;
    private readonly IngestOptions _options;
    private readonly TimeProvider _clock;
    private readonly long[] _rejectedTotal = new long[RejectReasons.Count];
    private long _samplesTotal;

    public RemoteWriteIngester(Head head, MetadataStore metadata, IngestOptions options, TimeProvider clock)
    {
        options.Validate();
        _head = head;
        _metadata = metadata;
        _options = options;
        _clock = clock;
    }

    public IngestOptions Options => _options;
    public long SamplesTotal => Interlocked.Read(ref _samplesTotal);
    public long RejectedTotal(RejectReason reason) => Interlocked.Read(ref _rejectedTotal[(int)reason]);

    /// <summary>Decodes and stores one request body (as sent: snappy-compressed protobuf).</summary>
    public WriteOutcome Ingest(ReadOnlySpan<byte> body, RemoteWriteVersion version)
    {
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
            var outcome = Store(batch);
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

    private WriteOutcome Store(WriteBatch batch)
    {
        var outcome = new WriteOutcome();
        var buf = batch.Bytes;
        long maxT = _clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)_options.MaxFutureSkew.TotalMilliseconds;
        bool invalid = false;

        for (int i = 0; i < batch.SeriesCount; i++)
        {
            ref var s = ref batch.Series[i];
            if (s.Rejection == SeriesRejection.None) s.Rejection = SeriesValidator.Validate(batch, ref s, _options);
            if (s.Histograms > 0) outcome.Reject(RejectReason.NativeHistogramUnsupported, s.Histograms);
            if (s.Exemplars > 0) outcome.Reject(RejectReason.ExemplarUnsupported, s.Exemplars);
            if (s.Rejection != SeriesRejection.None)
            {
                invalid = true;
                var reason = s.Rejection;
                int idx = i;
                outcome.Reject(RejectReason.InvalidSeries, s.SampleCount,
                    () => $"invalid series {batch.Describe(batch.Series[idx])}: {SeriesValidator.Describe(reason)}");
                if (s.SampleCount == 0 && outcome.Messages.Count == 0)
                    outcome.Messages.Add($"invalid series {batch.Describe(s)}: {SeriesValidator.Describe(reason)}");
                continue;
            }
            if (s.SampleCount == 0) continue;

            var series = _head.GetOrCreate(buf, batch.LabelsOf(s), out bool created);
            if (created) outcome.SeriesCreated++;
            var ts = batch.Timestamps.AsSpan(s.SampleStart, s.SampleCount);
            var vs = batch.Values.AsSpan(s.SampleStart, s.SampleCount);
            var results = t_results is { } r && r.Length >= ts.Length ? r : (t_results = new AppendResult[Math.Max(ts.Length, 256)]);
            var res = results.AsSpan(0, ts.Length);

            int future = FirstTooFarInFuture(ts, maxT);
            if (future < 0)
            {
                _head.Append(series, ts, vs, res);
            }
            else
            {
                // Rare: append sample by sample so that the valid ones are kept.
                for (int k = 0; k < ts.Length; k++)
                {
                    res[k] = ts[k] > maxT ? AppendResult.TooFarInFuture : _head.Append(series, ts[k], vs[k]);
                }
            }
            Tally(outcome, batch, s, res, ref invalid);
        }

        foreach (var m in batch.Metadata) _metadata.Set(m.Family, (byte)m.Type, m.Help, m.Unit);
        outcome.Status = invalid ? WriteStatus.BadRequest : WriteStatus.Ok;
        return outcome;
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
