namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Where a label came from (Loki's <c>LabelCategory</c>). The API's categorize-labels mode returns the
/// three groups separately, and a name present in several groups resolves Parsed &gt; StructuredMetadata
/// &gt; Stream. The numeric order is also the lookup order of <see cref="LogLine"/>.
/// </summary>
public enum LabelCategory : byte
{
    Stream = 0,
    StructuredMetadata = 1,
    Parsed = 2,
}
