using System.Text;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// How one eval went. <see cref="NativeHistogram"/>: the eval ran over data we cannot store as the
/// script means it (native histograms, NHCB, start timestamps) or expects histogram output.
/// <see cref="AnnotationsOnly"/>: the values were right and only the annotation checks failed.
/// <see cref="RangeChecked"/>: the instant query was also re-run in range mode (FORMAT.md section 8).
/// </summary>
internal sealed record EvalOutcome(string File, int Line, string Query, bool Passed, bool NativeHistogram, bool AnnotationsOnly, string? Reason)
{
    public bool RangeChecked { get; init; }
}

/// <summary>Something in a script that is not an eval but went wrong (unreadable line, rejected sample).</summary>
internal sealed record ScriptProblem(string File, int Line, string Message);

internal sealed record FileOutcome(string File, IReadOnlyList<EvalOutcome> Evals, IReadOnlyList<ScriptProblem> Problems)
{
    public int Passed => Evals.Count(e => e.Passed);
    public int Failed => Evals.Count(e => !e.Passed);
    public int NativeHistogram => Evals.Count(e => e.NativeHistogram);
    public int NativeHistogramPassed => Evals.Count(e => e.NativeHistogram && e.Passed);
}

/// <summary>The text report: per-file counts, a total, then every failure as <c>file:line: query: reason</c>.</summary>
internal static class ConformanceReport
{
    public static string Render(string casesDir, IReadOnlyList<FileOutcome> files, int? floor)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"PromQL conformance scripts from {casesDir}");
        foreach (var f in files) sb.AppendLine(Counts(f.File, f.Passed, f.Failed, f.NativeHistogram, f.NativeHistogramPassed));

        var all = files.SelectMany(f => f.Evals).ToList();
        int passed = all.Count(e => e.Passed);
        sb.AppendLine(Counts("total", passed, all.Count - passed, all.Count(e => e.NativeHistogram), all.Count(e => e.NativeHistogram && e.Passed)));
        int annotationsOnly = all.Count(e => e.AnnotationsOnly);
        int rangeCheck = all.Count(e => e.Reason?.StartsWith("range-check:", StringComparison.Ordinal) == true);
        sb.AppendLine($"failures only in annotations: {annotationsOnly}; range-mode re-runs: {all.Count(e => e.RangeChecked)}, failed: {rangeCheck}");
        sb.AppendLine(floor is { } fl ? $"floor: {fl} passing evals{(passed > fl ? $" (can be raised to {passed})" : "")}" : "floor: not checked (single file)");

        var problems = files.SelectMany(f => f.Problems).ToList();
        if (problems.Count > 0)
        {
            sb.AppendLine().AppendLine($"script problems ({problems.Count}):");
            foreach (var p in problems) sb.AppendLine($"{p.File}:{p.Line}: {p.Message}");
        }

        var failures = all.Where(e => !e.Passed).ToList();
        sb.AppendLine().AppendLine($"failures ({failures.Count}; [nh] = native histogram or other unsupported input):");
        foreach (var e in failures) sb.AppendLine($"{e.File}:{e.Line}: {e.Query}: {(e.NativeHistogram ? "[nh] " : "")}{OneLine(e.Reason)}");
        return sb.ToString();
    }

    private static string Counts(string name, int passed, int failed, int nh, int nhPassed) =>
        $"{name}: passed {passed}, failed {failed} (native histogram: {nh} evals, of which passed {nhPassed})";

    // Engine messages may span lines; one failure per line keeps the report greppable.
    private static string OneLine(string? s) => (s ?? "").ReplaceLineEndings(" | ");
}
