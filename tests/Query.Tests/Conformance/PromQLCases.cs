using Strata.TestSupport;

namespace Strata.Query.Tests.Conformance;

/// <summary>Where the upstream PromQL scripts live: <c>../shared/conformance/promql/cases</c> beside the checkout.</summary>
internal static class PromQLCases
{
    public static string? Directory
    {
        get
        {
            if (SharedDir.Find() is not { } shared) return null;
            string dir = Path.Combine(shared, "conformance", "promql", "cases");
            return System.IO.Directory.Exists(dir) ? dir : null;
        }
    }
}

/// <summary>Skips, saying why, when the shared conformance cases are not checked out next to the repository.</summary>
public sealed class PromQLCasesFactAttribute : FactAttribute
{
    public PromQLCasesFactAttribute()
    {
        if (PromQLCases.Directory is null)
            Skip = "shared conformance cases not found: no shared/conformance/promql/cases beside the checkout (see tests/TestSupport SharedDir)";
    }
}
