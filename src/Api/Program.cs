using System.Collections;
using Strata.Api;
using Strata.Api.Configuration;
using Strata.Api.Endpoints;

var env = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
{
    if (e.Key is string k && k.StartsWith("STRATA_", StringComparison.Ordinal) && e.Value is string v) env[k] = v;
}

string? error = ServerOptions.TryCreate(args, env, out var options, out bool help, out bool version);
if (help)
{
    Console.Out.Write(FlagParser.Usage(ServerOptions.Flags));
    return 0;
}
if (version)
{
    Console.Out.WriteLine($"strata, version {StatusEndpoints.Version} (Prometheus API {StatusEndpoints.CompatibleVersion})");
    return 0;
}
if (error != null)
{
    Console.Error.WriteLine($"strata: error: {error}");
    return 1;
}

await using var server = await StrataServer.CreateAsync(options!);
await server.StartAsync();
Console.Out.WriteLine($"strata {StatusEndpoints.Version} listening on {options!.ListenHost}:{options.ListenPort}, data in {Path.GetFullPath(options.Tsdb.Path)}");
await server.WaitForShutdownAsync();
return 0;
