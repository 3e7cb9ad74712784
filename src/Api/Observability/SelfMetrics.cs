using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Api.Json;
using Strata.Ingest.Loki;
using Strata.Ingest.RemoteWrite;
using Strata.Storage.Logs;
using Strata.Storage.Tsdb;

namespace Strata.Api.Observability;

/// <summary>
/// The service's own metrics in Prometheus text format: HTTP request counts and durations by handler,
/// ingest and head counters read from their owners, the log push and log store counters, and process
/// metrics. Request timing is two Interlocked adds per request; everything else is read at scrape time.
/// </summary>
public sealed class SelfMetrics(Tsdb db, RemoteWriteIngester ingester, LokiPushTotals logPushes, LogStoreMetrics logStore)
{
    private static readonly double[] Buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    private readonly ConcurrentDictionary<string, HandlerStats> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Handler, int Code), long[]> _requests = new();
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    private sealed class HandlerStats
    {
        public readonly long[] Counts = new long[Buckets.Length + 1];
        public long SumMicros;
        public long Count;
    }

    public void ObserveRequest(string handler, int code, TimeSpan elapsed)
    {
        var h = _handlers.GetOrAdd(handler, static _ => new HandlerStats());
        double s = elapsed.TotalSeconds;
        int i = 0;
        while (i < Buckets.Length && s > Buckets[i]) i++;
        Interlocked.Increment(ref h.Counts[i]);
        Interlocked.Add(ref h.SumMicros, (long)(s * 1e6));
        Interlocked.Increment(ref h.Count);
        Interlocked.Increment(ref _requests.GetOrAdd((handler, code), static _ => new long[1])[0]);
    }

    public string Render()
    {
        var sb = new StringBuilder(8192);
        Counter(sb, "strata_ingest_samples_total", "Samples stored via remote write.", ingester.SamplesTotal);
        sb.Append("# HELP strata_ingest_rejected_samples_total Samples, histograms and exemplars not stored, by reason.\n");
        sb.Append("# TYPE strata_ingest_rejected_samples_total counter\n");
        for (int r = 0; r < RejectReasons.Count; r++)
        {
            var reason = (RejectReason)r;
            sb.Append("strata_ingest_rejected_samples_total{reason=\"").Append(RejectReasons.Name(reason)).Append("\"} ")
              .Append(ingester.RejectedTotal(reason).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var head = db.Head;
        Counter(sb, "strata_head_series_created_total", "Series created in the head.", head.SeriesCreated);
        Counter(sb, "strata_head_samples_appended_total", "Samples appended to the head.", head.SamplesAppended);
        Gauge(sb, "strata_head_series", "Series in the head.", head.NumSeries);
        Gauge(sb, "strata_tsdb_blocks_loaded", "Persisted blocks being served.", db.BlockCount);
        Gauge(sb, "strata_tsdb_blocks_bytes", "Size of the persisted blocks on disk.", db.BlocksSizeBytes);
        Gauge(sb, "strata_tsdb_wal_bytes", "Size of the write-ahead log on disk.", db.WalSizeBytes);
        Counter(sb, "strata_tsdb_corruptions_total", "Corrupt blocks, chunks or checkpoints detected.", db.Corruptions);
        Counter(sb, "strata_tsdb_wal_torn_tails_total", "Torn or corrupt WAL tails cut off at start-up.", db.WalTornTails);
        Counter(sb, "strata_tsdb_blocks_written_total", "Blocks written from the head.", db.BlocksWritten);
        Counter(sb, "strata_tsdb_compactions_total", "Block compactions.", db.Compactions);
        Counter(sb, "strata_tsdb_blocks_deleted_total", "Blocks deleted by retention or compaction.", db.BlocksDeleted);

        sb.Append("# HELP strata_http_requests_total Requests by handler and status code.\n# TYPE strata_http_requests_total counter\n");
        foreach (var ((handler, code), n) in _requests.OrderBy(k => k.Key.Handler, StringComparer.Ordinal).ThenBy(k => k.Key.Code))
        {
            sb.Append("strata_http_requests_total{code=\"").Append(code).Append("\",handler=\"").Append(handler).Append("\"} ")
              .Append(Interlocked.Read(ref n[0]).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        sb.Append("# HELP strata_http_request_duration_seconds Latency of HTTP requests by handler.\n# TYPE strata_http_request_duration_seconds histogram\n");
        foreach (var (handler, h) in _handlers.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            long cum = 0;
            for (int i = 0; i <= Buckets.Length; i++)
            {
                cum += Interlocked.Read(ref h.Counts[i]);
                string le = i < Buckets.Length ? GoFloat.Format(Buckets[i]) : "+Inf";
                sb.Append("strata_http_request_duration_seconds_bucket{handler=\"").Append(handler).Append("\",le=\"").Append(le).Append("\"} ")
                  .Append(cum.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            sb.Append("strata_http_request_duration_seconds_sum{handler=\"").Append(handler).Append("\"} ")
              .Append(GoFloat.Format(Interlocked.Read(ref h.SumMicros) / 1e6)).Append('\n');
            sb.Append("strata_http_request_duration_seconds_count{handler=\"").Append(handler).Append("\"} ")
              .Append(Interlocked.Read(ref h.Count).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        RenderLogPushes(sb, logPushes);
        RenderLogStore(sb, logStore);

        using var proc = Process.GetCurrentProcess();
        Counter(sb, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", proc.TotalProcessorTime.TotalSeconds);
        Gauge(sb, "process_resident_memory_bytes", "Resident memory size in bytes.", proc.WorkingSet64);
        Gauge(sb, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", _start.ToUnixTimeMilliseconds() / 1000.0);
        Gauge(sb, "dotnet_gc_heap_size_bytes", "Managed heap size after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        Counter(sb, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap.", GC.GetTotalAllocatedBytes());
        return sb.ToString();
    }

    private static void RenderLogPushes(StringBuilder sb, LokiPushTotals p)
    {
        Counter(sb, "strata_logs_push_entries_total", "Log entries accepted by the push API.", p.AcceptedEntries);
        Counter(sb, "strata_logs_push_bytes_total", "Line and structured-metadata bytes of the accepted log entries.", p.AcceptedBytes);
        Counter(sb, "strata_logs_push_refused_requests_total", "Push requests refused whole (malformed, unsupported encoding, too large).", p.RefusedRequests);
        sb.Append("# HELP strata_logs_discarded_entries_total Pushed log entries not stored, by Loki's discard reason.\n");
        sb.Append("# TYPE strata_logs_discarded_entries_total counter\n");
        for (int r = 1; r < LokiRejectReasons.Count; r++)
        {
            var reason = (LokiRejectReason)r;
            sb.Append("strata_logs_discarded_entries_total{reason=\"").Append(LokiRejectReasons.Name(reason)).Append("\"} ")
              .Append(p.DiscardedEntries(reason).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        sb.Append("# HELP strata_logs_discarded_bytes_total Bytes of the pushed log entries not stored, by Loki's discard reason.\n");
        sb.Append("# TYPE strata_logs_discarded_bytes_total counter\n");
        for (int r = 1; r < LokiRejectReasons.Count; r++)
        {
            var reason = (LokiRejectReason)r;
            sb.Append("strata_logs_discarded_bytes_total{reason=\"").Append(LokiRejectReasons.Name(reason)).Append("\"} ")
              .Append(p.DiscardedBytes(reason).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void RenderLogStore(StringBuilder sb, LogStoreMetrics m)
    {
        Counter(sb, "strata_logs_entries_appended_total", "Entries appended to the log store (duplicates included).", m.EntriesAppended);
        Counter(sb, "strata_logs_bytes_appended_total", "Line bytes appended to the log store.", m.BytesAppended);
        Counter(sb, "strata_logs_entries_rejected_total", "Entries the log store refused: too far behind the stream's newest entry, or too long.", m.EntriesRejected);
        Counter(sb, "strata_logs_duplicates_dropped_total", "Exact duplicate entries dropped.", m.DuplicatesDropped);
        Gauge(sb, "strata_logs_streams", "Log streams held.", m.Streams);
        Counter(sb, "strata_logs_streams_created_total", "Log streams created.", m.StreamsCreated);
        Counter(sb, "strata_logs_blocks_stored_total", "Compressed blocks written to the chunk log.", m.BlocksStored);
        Counter(sb, "strata_logs_block_uncompressed_bytes_total", "Line and metadata bytes of the blocks written.", m.UncompressedBytes);
        Counter(sb, "strata_logs_block_stored_bytes_total", "Stored bytes (headers, filters, compressed payload) of the blocks written.", m.CompressedBytes);
        Gauge(sb, "strata_logs_compression_backlog_bytes", "Raw bytes of cut blocks waiting to be compressed.", m.CompressionBacklogBytes);
        Gauge(sb, "strata_logs_wal_bytes", "Size of the log write-ahead log on disk.", m.WalBytes);
        Gauge(sb, "strata_logs_chunk_log_bytes", "Size of the log chunk log on disk.", m.ChunkLogBytes);
        Counter(sb, "strata_logs_retention_deleted_blocks_total", "Log blocks removed by retention.", m.RetentionDeletedBlocks);
        Counter(sb, "strata_logs_retention_deleted_bytes_total", "Stored bytes of the log blocks removed by retention.", m.RetentionDeletedBytes);
        Counter(sb, "strata_logs_corrupt_blocks_total", "Log blocks found corrupt when read (skipped).", m.CorruptBlocks);
        Gauge(sb, "strata_logs_recovery_seconds", "Time the log store took to recover at start-up.", m.RecoveryMilliseconds / 1000.0);
    }

    private static void Counter(StringBuilder sb, string name, string help, double v) => Single(sb, name, help, "counter", v);
    private static void Gauge(StringBuilder sb, string name, string help, double v) => Single(sb, name, help, "gauge", v);

    private static void Single(StringBuilder sb, string name, string help, string type, double v)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        sb.Append(name).Append(' ').Append(GoFloat.Format(v)).Append('\n');
    }
}
