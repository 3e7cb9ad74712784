namespace Strata.Api.Configuration;

/// <summary>The kinds of values a flag accepts; each has one parser in <see cref="FlagParser"/>.</summary>
public enum FlagKind : byte
{
    String,
    Bool,
    Int,
    Duration,
    Bytes,
    ListenAddress,
    Choice,
}

/// <summary>One command-line flag: Prometheus-style name, kind, default, help, and allowed choices.</summary>
public sealed record Flag(string Name, FlagKind Kind, string Default, string Help, string[]? Choices = null)
{
    /// <summary>Environment variable that sets this flag: STRATA_ + name upper-cased with '.' and '-' as '_'.</summary>
    public string EnvVar => "STRATA_" + Name.Replace('.', '_').Replace('-', '_').ToUpperInvariant();
}
