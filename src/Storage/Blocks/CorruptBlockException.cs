namespace Strata.Storage.Blocks;

/// <summary>
/// A block file is damaged: bad magic or version, a checksum mismatch, or a structure that points
/// outside its file. Names the file and the byte offset of the record that failed, as Prometheus's
/// <c>CorruptionErr</c> does, so an operator can find and quarantine the block.
/// </summary>
public sealed class CorruptBlockException : IOException
{
    public CorruptBlockException(string path, long offset, string reason)
        : base($"corrupt block file {path} at offset {offset}: {reason}")
    {
        FilePath = path;
        Offset = offset;
        Reason = reason;
    }

    public CorruptBlockException(string path, long offset, string reason, Exception inner)
        : base($"corrupt block file {path} at offset {offset}: {reason}", inner)
    {
        FilePath = path;
        Offset = offset;
        Reason = reason;
    }

    public string FilePath { get; }
    public long Offset { get; }
    public string Reason { get; }
}
