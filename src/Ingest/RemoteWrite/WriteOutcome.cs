namespace Strata.Ingest.RemoteWrite;

/// <summary>How a write request ended as a whole; the API maps it to an HTTP status.</summary>
public enum WriteStatus : byte
{
    /// <summary>Everything was stored (204).</summary>
    Ok,
    /// <summary>Malformed body or some data rejected as invalid; what was valid is stored (400).</summary>
    BadRequest,
    /// <summary>Body or decoded size over the limit; nothing stored (413).</summary>
    TooLarge,
    /// <summary>Unsupported Content-Type / Content-Encoding; nothing stored (415).</summary>
    UnsupportedMediaType,
}

/// <summary>The result of one write request: what was stored, what was rejected and why.</summary>
public sealed class WriteOutcome
{
    private const int MaxMessages = 5;

    public WriteStatus Status { get; set; }
    public int SamplesWritten { get; set; }
    public int HistogramsWritten { get; set; }
    public int ExemplarsWritten { get; set; }
    public int SeriesCreated { get; set; }
    public int[] Rejected { get; } = new int[RejectReasons.Count];
    public List<string> Messages { get; } = [];

    public static WriteOutcome Fail(WriteStatus status, string message)
    {
        var o = new WriteOutcome { Status = status };
        o.Messages.Add(message);
        return o;
    }

    public void Reject(RejectReason reason, int count, Func<string>? message = null)
    {
        Rejected[(int)reason] += count;
        if (message != null && Messages.Count < MaxMessages) Messages.Add(message());
    }

    /// <summary>One line for the response body and logs.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        for (int i = 0; i < Rejected.Length; i++)
        {
            if (Rejected[i] > 0) parts.Add($"{RejectReasons.Name((RejectReason)i)}={Rejected[i]}");
        }
        string counts = parts.Count > 0 ? $" (rejected: {string.Join(", ", parts)}; stored {SamplesWritten} samples)" : "";
        return string.Join("; ", Messages) + counts;
    }
}
