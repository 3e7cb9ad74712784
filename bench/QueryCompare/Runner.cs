namespace Strata.QueryCompare;

/// <summary>Measures one query on both servers and compares the answers.</summary>
public static class Runner
{
    public static async Task<QueryOutcome> RunAsync(ApiClient client, Options o, QuerySpec q, int index)
    {
        var sUri = client.BuildUri(o.Strata, q);
        var pUri = client.BuildUri(o.Prometheus, q);
        // The warm-up answers are the ones compared: same evaluation time, and comparing before
        // timing keeps JSON parsing of big bodies out of the timed loop.
        var sWarm = await client.GetAsync(sUri);
        var pWarm = await client.GetAsync(pUri);
        var comparison = ResultComparer.Compare(sWarm, pWarm);

        var sTimes = new List<double>(o.Runs);
        var pTimes = new List<double>(o.Runs);
        var timedErrors = new List<string>();
        for (int r = 0; r < o.Runs; r++)
        {
            bool strataFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++)
            {
                bool strata = strataFirst == (k == 0);
                var resp = await client.GetAsync(strata ? sUri : pUri);
                (strata ? sTimes : pTimes).Add(resp.ElapsedMs);
                if (!resp.Ok && timedErrors.Count < 2)
                    timedErrors.Add($"{(strata ? "Strata" : "Prometheus")} timed run {r + 1}: {resp.Describe()}");
            }
        }
        // A server that answered the warm-up but failed a timed run (timeout, crash) makes the timing meaningless.
        if (timedErrors.Count > 0 && !comparison.Error)
            comparison = comparison with { Match = false, Error = true, Details = [.. comparison.Details, .. timedErrors] };
        return new QueryOutcome(index, q, Latency.Of(sTimes), Latency.Of(pTimes), comparison);
    }
}
