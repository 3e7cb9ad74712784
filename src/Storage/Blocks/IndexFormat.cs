namespace Strata.Storage.Blocks;

/// <summary>Constants of the index file, format v2 (see FORMAT.md).</summary>
internal static class IndexFormat
{
    public const string FileName = "index";
    public const uint Magic = 0xBAAAD700;
    public const byte V1 = 1;
    public const byte V2 = 2;
    public const int HeaderSize = 5;
    public const int TocSize = 6 * 8 + 4;
    public const int SeriesAlignment = 16;
}

/// <summary>The index's table of contents: absolute offsets of its sections.</summary>
internal readonly record struct IndexToc(ulong Symbols, ulong Series, ulong LabelIndices, ulong LabelIndicesTable, ulong Postings, ulong PostingsTable);

/// <summary>A chunk's entry in a series record: inclusive time bounds and the segment reference.</summary>
internal readonly record struct ChunkMeta(long MinTime, long MaxTime, ulong Ref);

/// <summary>A CRC-verified postings list inside the mapped index: the offset of its first ref and the ref count.</summary>
internal readonly record struct PostingsView(long Offset, int Count);
