using Strata.Storage.Labels;

namespace Strata.Storage.Logs;

/// <summary>
/// A stream selected by <see cref="LogStore.SelectStreams"/>: its labels, the store's id for it and the
/// time span of its entries when it was selected. Pass it to <see cref="LogStore.Open"/>.
/// </summary>
public sealed record LogStreamInfo(LabelSet Labels, int Id, long MinTimeNs, long MaxTimeNs)
{
    internal LogStream? Stream { get; init; }
}
