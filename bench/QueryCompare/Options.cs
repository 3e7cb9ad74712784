using System.Globalization;

namespace Strata.QueryCompare;

/// <summary>Command-line settings. All times are Unix milliseconds, all durations milliseconds.</summary>
public sealed record Options(
    Uri Strata,
    Uri Prometheus,
    string QueriesPath,
    int Runs,
    long EndMs,
    long RangeMs,
    long StepMs,
    TimeSpan Timeout,
    string? MarkdownPath,
    int WarmupRounds)
{
    // Off the whole-second grid on purpose: Prometheus 2.x range and lookback windows are
    // left-closed, 3.x left-open, so a sample sitting exactly on a window's left edge is counted
    // by one and not the other. Evaluation times 337 ms past a second never hit samples written
    // on whole seconds. bench/Load's samples sit at an arbitrary millisecond phase with ±50 ms
    // jitter, so an exact hit there stays possible but needs the 15 s phases to fall within the
    // same 100 ms band (under 1% of runs); a difference then shows a point off by one sample.
    public const long OffGridMs = 337;

    public const string Usage = """
        usage: Strata.QueryCompare --strata URL --prometheus URL --queries FILE
                                   [--runs 15] [--end UNIX_SECONDS] [--range 1h] [--step 15s]
                                   [--timeout 120s] [--markdown FILE] [--warmup 5]
               Strata.QueryCompare tee --listen HOST:PORT --to URL [--to URL ...]
        --end defaults to now - 2 min, rounded to a second, plus 0.337 s (off the sample grid).
        """;

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        string Required(string name) =>
            values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        string Optional(string name, string fallback) => values.GetValueOrDefault(name, fallback);

        long endMs = values.TryGetValue("end", out var end)
            ? ParseUnixSeconds(end)
            : (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120) * 1000 + OffGridMs;
        var known = new HashSet<string>(["strata", "prometheus", "queries", "runs", "end", "range", "step", "timeout", "markdown", "warmup"], StringComparer.Ordinal);
        foreach (var k in values.Keys)
        {
            if (!known.Contains(k)) throw new ArgumentException($"unknown option --{k}");
        }
        var o = new Options(
            new Uri(Required("strata")),
            new Uri(Required("prometheus")),
            Required("queries"),
            int.Parse(Optional("runs", "15"), CultureInfo.InvariantCulture),
            endMs,
            Durations.ParseMs(Optional("range", "1h")),
            Durations.ParseMs(Optional("step", "15s")),
            TimeSpan.FromMilliseconds(Durations.ParseMs(Optional("timeout", "120s"))),
            values.GetValueOrDefault("markdown"),
            int.Parse(Optional("warmup", "5"), CultureInfo.InvariantCulture));
        if (o.WarmupRounds < 0) throw new ArgumentException("--warmup must not be negative");
        if (o.Runs < 1) throw new ArgumentException("--runs must be at least 1");
        if (o.StepMs <= 0 || o.RangeMs < 0) throw new ArgumentException("--step must be positive and --range not negative");
        return o;
    }

    /// <summary>Decimal Unix seconds, parsed as decimal so "1700000000.337" is exactly 337 ms.</summary>
    public static long ParseUnixSeconds(string s) =>
        (long)Math.Round(decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) * 1000m, MidpointRounding.AwayFromZero);

    /// <summary>Milliseconds as the decimal seconds both APIs accept, without float rounding.</summary>
    public static string FormatSeconds(long ms) =>
        ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture)
            : (ms / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}
