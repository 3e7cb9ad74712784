using System.Globalization;
using System.Text;
using Strata.Query.PromQL;

namespace Strata.Api.Configuration;

/// <summary>
/// Parses <c>--flag=value</c>, <c>--flag value</c>, boolean <c>--flag</c> / <c>--no-flag</c>, and
/// STRATA_* environment variables (command line wins). Unknown flags and malformed values are
/// errors with a message that names the flag, as kingpin reports them for Prometheus.
/// </summary>
public static class FlagParser
{
    /// <summary>Returns the value of every flag (as text) or an error; <paramref name="help"/> is set for --help/-h, <paramref name="version"/> for --version.</summary>
    public static string? Parse(IReadOnlyList<Flag> flags, string[] args, IReadOnlyDictionary<string, string> env,
        out Dictionary<string, string> values, out bool help, out bool version)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        help = false;
        version = false;
        var byName = flags.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var f in flags)
        {
            values[f.Name] = env.TryGetValue(f.EnvVar, out var e) ? e : f.Default;
        }
        foreach (var f in flags)
        {
            if (env.ContainsKey(f.EnvVar))
            {
                string? err = Check(f, values[f.Name]);
                if (err != null) return $"invalid value \"{values[f.Name]}\" for environment variable {f.EnvVar}: {err}";
            }
        }

        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a is "--help" or "-h" or "--help-long")
            {
                help = true;
                return null;
            }
            if (a == "--version")
            {
                version = true;
                return null;
            }
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
                return $"unexpected argument '{a}', try --help";
            string body = a[2..];
            string name = body;
            string? value = null;
            int eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                name = body[..eq];
                value = body[(eq + 1)..];
            }
            if (!byName.TryGetValue(name, out var flag))
            {
                if (name.StartsWith("no-", StringComparison.Ordinal) && byName.TryGetValue(name[3..], out var neg) && neg.Kind == FlagKind.Bool && value == null)
                {
                    values[neg.Name] = "false";
                    continue;
                }
                return $"unknown long flag '--{name}', try --help";
            }
            if (value == null)
            {
                if (flag.Kind == FlagKind.Bool)
                {
                    value = "true";
                }
                else
                {
                    if (i + 1 >= args.Length) return $"expected argument for flag '--{name}'";
                    value = args[++i];
                }
            }
            string? error = Check(flag, value);
            if (error != null) return $"invalid value \"{value}\" for flag '--{name}': {error}";
            values[flag.Name] = value;
        }
        return null;
    }

    /// <summary>Null if <paramref name="value"/> is acceptable for the flag's kind.</summary>
    public static string? Check(Flag flag, string value) => flag.Kind switch
    {
        FlagKind.Bool => bool.TryParse(value, out _) ? null : "expected true or false",
        FlagKind.Int => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) && n >= 0 ? null : "expected a non-negative integer",
        FlagKind.Duration => PromDuration.TryParse(value, out _, out _) ? null : "expected a duration such as 30d, 1h30m or 0s",
        FlagKind.Bytes => TryParseBytes(value, out _) ? null : "expected a size such as 512MB, 10GB or 0",
        FlagKind.ListenAddress => TryParseListenAddress(value, out _, out _) ? null : "expected host:port, e.g. 0.0.0.0:9090",
        FlagKind.Choice => flag.Choices!.Contains(value) ? null : "expected one of " + string.Join(", ", flag.Choices!),
        _ => null,
    };

    /// <summary>Prometheus's byte units: B, KB, MB, GB, TB, PB, EB (powers of 1024); 0 means unlimited.</summary>
    public static bool TryParseBytes(string s, out long bytes)
    {
        bytes = 0;
        s = s.Trim();
        if (s == "0") return true;
        string[] units = ["EB", "PB", "TB", "GB", "MB", "KB", "B"];
        long[] mult = [1L << 60, 1L << 50, 1L << 40, 1L << 30, 1L << 20, 1L << 10, 1];
        for (int i = 0; i < units.Length; i++)
        {
            if (!s.EndsWith(units[i], StringComparison.OrdinalIgnoreCase)) continue;
            if (!long.TryParse(s[..^units[i].Length], NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
            if (n > long.MaxValue / mult[i]) return false;
            bytes = n * mult[i];
            return true;
        }
        return false;
    }

    public static bool TryParseListenAddress(string s, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon = s.LastIndexOf(':');
        if (colon < 0) return false;
        host = s[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return int.TryParse(s[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
    }

    public static string Usage(IReadOnlyList<Flag> flags)
    {
        var sb = new StringBuilder();
        sb.AppendLine("usage: strata [<flags>]");
        sb.AppendLine();
        sb.AppendLine("Strata: one service that stores Prometheus metrics and Loki logs and answers PromQL and LogQL.");
        sb.AppendLine();
        sb.AppendLine("Flags (each can also be set by the environment variable shown):");
        sb.AppendLine("  -h, --help      Show this help.");
        sb.AppendLine("      --version   Show the version.");
        foreach (var f in flags)
        {
            string arg = f.Kind == FlagKind.Bool ? "" : "=<" + f.Kind.ToString().ToLowerInvariant() + ">";
            sb.Append("      --").Append(f.Name).Append(arg).AppendLine();
            sb.Append("          ").Append(f.Help);
            if (f.Default.Length > 0) sb.Append(" (default: ").Append(f.Default).Append(')');
            sb.Append(" [").Append(f.EnvVar).AppendLine("]");
        }
        return sb.ToString();
    }
}
