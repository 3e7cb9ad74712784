namespace Strata.Ingest.RemoteWrite;

/// <summary>Which remote-write message a request carries.</summary>
public enum RemoteWriteVersion : byte
{
    V1,
    V2,
}

/// <summary>Content negotiation for <c>POST /api/v1/write</c> (../shared/spec/remote-write.md §1, §3.2).</summary>
public static class RemoteWriteProtocol
{
    public const string V1Proto = "prometheus.WriteRequest";
    public const string V2Proto = "io.prometheus.write.v2.Request";

    /// <summary>
    /// Picks the message version from Content-Type; null error on success. A missing Content-Type
    /// means v1; only snappy (or no) Content-Encoding is accepted; anything else is a 415.
    /// </summary>
    public static string? Negotiate(string? contentType, string? contentEncoding, out RemoteWriteVersion version)
    {
        version = RemoteWriteVersion.V1;
        if (!string.IsNullOrWhiteSpace(contentEncoding) && !contentEncoding.Trim().Equals("snappy", StringComparison.OrdinalIgnoreCase))
            return $"unsupported Content-Encoding \"{contentEncoding}\": only snappy is accepted";
        if (string.IsNullOrWhiteSpace(contentType)) return null;

        var parts = contentType.Split(';');
        string media = parts[0].Trim();
        if (!media.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
            return $"unsupported Content-Type \"{contentType}\": expected application/x-protobuf";
        for (int i = 1; i < parts.Length; i++)
        {
            var kv = parts[i].Split('=', 2);
            if (kv.Length != 2 || !kv[0].Trim().Equals("proto", StringComparison.OrdinalIgnoreCase)) continue;
            string proto = kv[1].Trim().Trim('"');
            if (proto.Equals(V1Proto, StringComparison.OrdinalIgnoreCase)) version = RemoteWriteVersion.V1;
            else if (proto.Equals(V2Proto, StringComparison.OrdinalIgnoreCase)) version = RemoteWriteVersion.V2;
            else return $"unsupported proto \"{proto}\" in Content-Type: expected {V1Proto} or {V2Proto}";
        }
        return null;
    }
}
