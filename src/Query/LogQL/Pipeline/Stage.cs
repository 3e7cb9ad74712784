namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// One step of a log pipeline (Loki's <c>Stage</c>): reads and mutates a <see cref="LogLine"/> and says
/// whether the entry continues. Stages are immutable after construction and keep all per-line state in
/// the <see cref="LogLine"/>, so one instance is safe to share between threads that each use their own
/// <see cref="LogLine"/>. Per-line failures set <c>__error__</c> and return true; constructor failures
/// (bad regex, bad template) throw <see cref="Engine.QueryException"/> because they end the query.
/// </summary>
public abstract class Stage
{
    /// <summary>Runs the stage; false drops the entry.</summary>
    public abstract bool Process(LogLine entry);
}
