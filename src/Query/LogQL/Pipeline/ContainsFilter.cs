using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>|= "needle"</c>: a case-sensitive substring search straight over the UTF-8 bytes with the
/// vectorised <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>; no
/// decoding, no allocation. Byte equality is exactly Go's <c>bytes.Contains</c>.
/// </summary>
public sealed class ContainsFilter : LineFilter
{
    private readonly byte[] _needle;

    public ContainsFilter(string needle)
    {
        Needle = needle;
        _needle = Encoding.UTF8.GetBytes(needle);
    }

    public string Needle { get; }

    public override bool Matches(ReadOnlySpan<byte> line) => line.IndexOf(_needle) >= 0;

    internal override int Cost => 0;
}
