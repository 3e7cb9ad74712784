using System.Globalization;
using Xunit.Abstractions;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// Runs every upstream PromQL conformance script (FORMAT.md) through the engine and reports per-file
/// and total pass counts plus every failure. The engine is still growing, so the test only guards
/// against regressions: it fails when fewer evals pass than <c>passing-floor.txt</c> says.
/// </summary>
/// <remarks>
/// STRATA_CONFORMANCE_FILE=functions.test runs one file (no floor check);
/// STRATA_CONFORMANCE_REPORT overrides where the report is written (default /tmp/promql-conformance.txt).
/// </remarks>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private const string DefaultReportPath = "/tmp/promql-conformance.txt";

    [PromQLCasesFact]
    public void PromQLScriptsPassAtLeastTheFloor()
    {
        string dir = PromQLCases.Directory!;
        var files = System.IO.Directory.GetFiles(dir, "*.test").Order(StringComparer.Ordinal).ToList();
        string? only = Environment.GetEnvironmentVariable("STRATA_CONFORMANCE_FILE") is { Length: > 0 } f ? f : null;
        if (only != null)
        {
            files = files.Where(p => Path.GetFileName(p) == only || Path.GetFileNameWithoutExtension(p) == only).ToList();
            Assert.True(files.Count > 0, $"STRATA_CONFORMANCE_FILE={only}: no such .test file in {dir}");
        }
        Assert.NotEmpty(files);

        var outcomes = files.Select(p => ScriptRunner.Run(Path.GetFileName(p), TestScript.Parse(File.ReadAllLines(p)))).ToList();
        int passed = outcomes.Sum(o => o.Passed);
        int? floor = only == null ? ReadFloor() : null;

        string report = ConformanceReport.Render(dir, outcomes, floor);
        string reportPath = Environment.GetEnvironmentVariable("STRATA_CONFORMANCE_REPORT") is { Length: > 0 } r ? r : DefaultReportPath;
        if (Path.GetDirectoryName(Path.GetFullPath(reportPath)) is { } reportDir) System.IO.Directory.CreateDirectory(reportDir);
        File.WriteAllText(reportPath, report);
        output.WriteLine($"report written to {reportPath}");
        output.WriteLine(report);

        if (floor is { } fl)
            Assert.True(passed >= fl, $"{passed} PromQL conformance evals passed, below the floor of {fl} in Conformance/passing-floor.txt; see {reportPath}");
    }

    /// <summary>The floor file is copied next to the test binaries (see Query.Tests.csproj).</summary>
    private static int ReadFloor()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Conformance", "passing-floor.txt");
        string text = File.ReadAllText(path).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int floor)
            ? floor
            : throw new InvalidDataException($"{path}: expected one non-negative integer, found \"{text}\"");
    }
}
