namespace Strata.Query.Engine;

/// <summary>Prometheus API error types; the API maps each to its HTTP status.</summary>
public enum ErrorType : byte
{
    BadData,
    Execution,
    Canceled,
    Timeout,
    Internal,
}

/// <summary>
/// A user-facing error that ends a query (bad input, limits, evaluation failures). Thrown out of line
/// and caught once at the engine's entry point or the API edge; never used for per-sample outcomes.
/// </summary>
public sealed class QueryException(ErrorType type, string message) : Exception(message)
{
    public ErrorType Type { get; } = type;
}
