using System.Text.Json;
using Strata.Query.LogQL.Engine;

namespace Strata.Api.Json;

/// <summary>
/// Loki's <c>stats</c> object, which Grafana turns into its query inspector: the summary, the
/// store counters under <c>querier</c> and <c>ingester</c>, and the index counters. Every key Grafana
/// reads is present; counters we do not track are zero.
/// </summary>
public static class LokiStats
{
    public static void Write(Utf8JsonWriter w, LogQueryStats s, int returned)
    {
        double exec = Math.Max(s.ExecTime.TotalSeconds, 1e-9);
        w.WritePropertyName("stats");
        w.WriteStartObject();
        w.WritePropertyName("summary");
        w.WriteStartObject();
        w.WriteNumber("bytesProcessedPerSecond", (long)(s.BytesProcessed / exec));
        w.WriteNumber("linesProcessedPerSecond", (long)(s.LinesProcessed / exec));
        w.WriteNumber("totalBytesProcessed", s.BytesProcessed);
        w.WriteNumber("totalLinesProcessed", s.LinesProcessed);
        w.WriteNumber("execTime", s.ExecTime.TotalSeconds);
        w.WriteNumber("queueTime", 0.0);
        w.WriteNumber("subqueries", 0);
        w.WriteNumber("totalEntriesReturned", returned);
        w.WriteNumber("splits", 0);
        w.WriteNumber("shards", 0);
        w.WriteNumber("totalPostFilterLines", s.PostFilterLines);
        w.WriteNumber("totalStructuredMetadataBytesProcessed", 0);
        w.WriteEndObject();
        w.WritePropertyName("querier");
        w.WriteStartObject();
        WriteStore(w, s, head: false);
        w.WriteEndObject();
        w.WritePropertyName("ingester");
        w.WriteStartObject();
        w.WriteNumber("totalReached", 1);
        w.WriteNumber("totalChunksMatched", s.BlocksRead);
        w.WriteNumber("totalBatches", 0);
        w.WriteNumber("totalLinesSent", returned);
        WriteStore(w, s, head: true);
        w.WriteEndObject();
        w.WritePropertyName("index");
        w.WriteStartObject();
        w.WriteNumber("totalChunks", s.BlocksRead + s.BlocksSkipped);
        w.WriteNumber("postFilterChunks", s.BlocksRead);
        w.WriteNumber("shardsDuration", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteStore(Utf8JsonWriter w, LogQueryStats s, bool head)
    {
        w.WritePropertyName("store");
        w.WriteStartObject();
        w.WriteNumber("totalChunksRef", head ? 0 : s.BlocksRead + s.BlocksSkipped);
        w.WriteNumber("totalChunksDownloaded", head ? 0 : s.BlocksRead);
        w.WriteNumber("chunksDownloadTime", 0);
        w.WritePropertyName("chunk");
        w.WriteStartObject();
        w.WriteNumber("headChunkBytes", head ? s.HeadBytes : 0);
        w.WriteNumber("headChunkLines", 0);
        w.WriteNumber("decompressedBytes", head ? 0 : s.BytesDecompressed);
        w.WriteNumber("decompressedLines", head ? 0 : s.LinesProcessed);
        w.WriteNumber("compressedBytes", 0);
        w.WriteNumber("totalDuplicates", 0);
        w.WriteNumber("postFilterLines", head ? 0 : s.PostFilterLines);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
