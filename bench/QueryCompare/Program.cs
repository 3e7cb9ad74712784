using Strata.QueryCompare;

// End-to-end PromQL comparison against a real Prometheus holding the same data: per query, one
// warm-up request to each server, then --runs timed rounds alternating which server goes first
// (so neither always benefits from a warmer CPU cache or a quieter moment), then a series-by-series
// comparison of the two answers. Always exits 0 on a completed run: it is a measurement tool and
// differences are reported, not fatal. See bench/compare-query.sh for the full setup.
try
{
    if (args.Length > 0 && args[0] == "tee") return await WriteTee.RunAsync(args[1..]);
    var options = Options.Parse(args);
    var queries = QueryFile.Read(options.QueriesPath);
    using var client = new ApiClient(options);
    // Warm-up rounds over the whole set first: both servers then answer from steady state (JIT
    // tiering on our side, page cache and allocator on both) rather than timing their first calls.
    for (int w = 0; w < options.WarmupRounds; w++)
    {
        Console.Error.WriteLine($"warm-up round {w + 1}/{options.WarmupRounds}");
        foreach (var q in queries)
        {
            await client.GetAsync(client.BuildUri(options.Strata, q));
            await client.GetAsync(client.BuildUri(options.Prometheus, q));
        }
    }
    var outcomes = new List<QueryOutcome>();
    for (int i = 0; i < queries.Count; i++)
    {
        var q = queries[i];
        Console.Error.WriteLine($"[{i + 1}/{queries.Count}] {q.Kind.ToString().ToLowerInvariant()} {q.PromQL}");
        outcomes.Add(await Runner.RunAsync(client, options, q, i + 1));
    }
    Console.Write(Report.Text(outcomes, options));
    if (options.MarkdownPath != null)
    {
        await File.WriteAllTextAsync(options.MarkdownPath, Report.Markdown(outcomes, options));
        Console.WriteLine($"markdown written to {options.MarkdownPath}");
    }
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or IOException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}
