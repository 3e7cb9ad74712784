using System.Text;
using Strata.Query.LogQL.Pipeline;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.LogQL.Pipeline;

/// <summary>Runs stages over one line and renders the result compactly for table-driven assertions.</summary>
internal static class PipelineRunner
{
    public const long Ts = 1_700_000_000_123_456_789; // 2023-11-14T22:13:20.123456789Z

    public static LabelSet Stream(string labels)
    {
        // "a=b,c=d" → LabelSet (values without commas or equals signs, enough for tests).
        if (labels.Length == 0) return LabelSet.Empty;
        var pairs = new List<Label>();
        foreach (var part in labels.Split(','))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(new Label(part[..eq], part[(eq + 1)..]));
        }
        return LabelSet.From(pairs);
    }

    public static Result Run(string line, string stream, params Stage[] stages) =>
        Run(line, Stream(stream), [], stages);

    public static Result Run(string line, LabelSet stream, Label[] metadata, params Stage[] stages)
    {
        var entry = new LogLine();
        var pipeline = new Strata.Query.LogQL.Pipeline.Pipeline(stages);
        bool kept = pipeline.Process(entry, stream, Ts, Encoding.UTF8.GetBytes(line), metadata);
        return new Result(kept, kept ? entry.LineString : null, kept ? Format(entry.GetLabels()) : null, entry);
    }

    public static string Format(IEnumerable<Label> labels)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var l in labels)
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(l.Name).Append("=\"").Append(l.Value).Append('"');
        }
        return sb.Append('}').ToString();
    }

    public sealed record Result(bool Kept, string? Line, string? Labels, LogLine Entry);
}
