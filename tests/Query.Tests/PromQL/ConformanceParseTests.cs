using System.Text.RegularExpressions;
using Strata.Query.PromQL;
using Xunit.Abstractions;

namespace Strata.Query.Tests.PromQL;

/// <summary>Skips when the shared conformance corpus is not checked out next to the repository.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (ConformanceCorpus.Directory is null) Skip = $"conformance cases not found (looked for {ConformanceCorpus.DefaultPath})";
    }
}

internal static partial class ConformanceCorpus
{
    public const string DefaultPath = "/work/shared/conformance/promql/cases";

    public static string? Directory =>
        Environment.GetEnvironmentVariable("STRATA_PROMQL_CASES") is { Length: > 0 } p && System.IO.Directory.Exists(p) ? p
        : System.IO.Directory.Exists(DefaultPath) ? DefaultPath
        : null;

    // eval instant at <t> <q> | eval range from <a> to <b> step <s> <q> (plus the old eval_* spellings).
    [GeneratedRegex(@"^eval(?:_fail|_warn|_info|_ordered)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(?<q>.+)$")]
    private static partial Regex EvalLine();

    public static IEnumerable<(string File, int Line, string Query)> EvalQueries(string dir)
    {
        foreach (var path in System.IO.Directory.GetFiles(dir, "*.test").Order(StringComparer.Ordinal))
        {
            int n = 0;
            foreach (var raw in File.ReadLines(path))
            {
                n++;
                var line = raw.Trim();
                if (!line.StartsWith("eval", StringComparison.Ordinal)) continue;
                var m = EvalLine().Match(line);
                if (!m.Success) throw new InvalidDataException($"{Path.GetFileName(path)}:{n}: unrecognised eval line: {line}");
                yield return (Path.GetFileName(path), n, m.Groups["q"].Value);
            }
        }
    }
}

public sealed class ConformanceParseTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every eval query of the upstream conformance scripts is valid PromQL (FORMAT.md: a query
    /// that does not parse invalidates the file), so all of them must parse and type-check, and
    /// printing must round-trip: parse(print(q)) prints the same again.
    /// </summary>
    [ConformanceFact]
    public void EveryEvalQueryParses()
    {
        var failures = new List<string>();
        int total = 0;
        foreach (var (file, line, query) in ConformanceCorpus.EvalQueries(ConformanceCorpus.Directory!))
        {
            total++;
            try
            {
                var expr = PromQLParser.ParseExpr(query);
                string printed = PromQLPrinter.Format(expr);
                string reprinted = PromQLPrinter.Format(PromQLParser.ParseExpr(printed));
                if (printed != reprinted) failures.Add($"{file}:{line}: {query}\n    printed   {printed}\n    reprinted {reprinted}");
            }
            catch (ParseException ex)
            {
                failures.Add($"{file}:{line}: {query}\n    {ex.Message}");
            }
        }
        output.WriteLine($"parsed {total - failures.Count}/{total} eval queries");
        Assert.True(total > 1000, $"expected the full corpus, found {total} eval lines");
        Assert.True(failures.Count == 0, $"{failures.Count}/{total} queries failed:\n" + string.Join("\n", failures));
    }
}
