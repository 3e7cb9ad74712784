using Strata.Query.Engine;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// The <c>expect warn|info|no_warn|no_info</c> directives (FORMAT.md section 5.2, upstream's
/// <c>checkAnnotations</c>): every directive must match some annotation of its level and every
/// annotation of a checked level must match some directive. Reasons start with "annotations:" so a
/// failure that is only about annotations stands out in the report.
/// </summary>
internal static class AnnotationCheck
{
    public static string? Check(EvalCommand ev, IReadOnlyList<Annotation> annotations)
    {
        if (!ev.ChecksAnnotations) return null;
        var warnings = annotations.Where(a => a.Level == AnnotationLevel.Warning).Select(a => a.Message).ToList();
        var infos = annotations.Where(a => a.Level == AnnotationLevel.Info).Select(a => a.Message).ToList();
        if (ev.RequireWarn && warnings.Count == 0) return "annotations: expected warnings (eval_warn) got none";
        if (ev.RequireInfo && infos.Count == 0) return "annotations: expected infos (eval_info) got none";
        return CheckLevel("warn", ev.Warn, warnings, annotations)
            ?? CheckLevel("info", ev.Info, infos, annotations)
            ?? (ev.NoWarn && warnings.Count > 0 ? $"annotations: expected no warnings got {All(annotations)}" : null)
            ?? (ev.NoInfo && infos.Count > 0 ? $"annotations: expected no infos got {All(annotations)}" : null);
    }

    private static string? CheckLevel(string level, List<TextMatch> expected, List<string> actual, IReadOnlyList<Annotation> all)
    {
        if (expected.Count == 0) return null;
        if (actual.Count == 0) return $"annotations: expected {level} {expected[0]} got {All(all)}";
        foreach (var e in expected)
        {
            if (!actual.Any(e.IsMatch)) return $"annotations: expected {level} matching {e} got {All(all)}";
        }
        foreach (var a in actual)
        {
            if (!expected.Any(e => e.IsMatch(a))) return $"annotations: unexpected {level} \"{a}\"";
        }
        return null;
    }

    private static string All(IReadOnlyList<Annotation> all) =>
        all.Count == 0 ? "none" : "[" + string.Join(", ", all.Select(a => $"\"{a.Message}\"")) + "]";
}
