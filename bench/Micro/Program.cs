using System.Diagnostics;
using BenchmarkDotNet.Running;
using Strata.Bench.Query;

namespace Strata.Bench;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher, plus <c>--loop &lt;PromQL benchmark method&gt; [iterations]</c>, which runs one
    /// PromQL benchmark in a plain loop so a profiler (dotnet-trace) can attach to a steady state.
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--loop")
        {
            Loop(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Loop(string method, int iterations)
    {
        var bench = new PromQLBenchmarks();
        bench.Setup();
        var run = typeof(PromQLBenchmarks).GetMethod(method) ?? throw new ArgumentException($"no benchmark {method}");
        for (int i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            run.Invoke(bench, null);
            Console.WriteLine($"{method} #{i}: {sw.Elapsed.TotalMilliseconds:F1} ms");
        }
    }
}
