using System.Text.RegularExpressions;
using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// Runs one script's commands against a fresh in-memory head and the PromQL engine, with the settings
/// the scripts assume (FORMAT.md section 7), and scores every eval.
/// </summary>
internal sealed partial class ScriptRunner
{
    private const long Minute = 60_000;

    // Later loads may add samples older than earlier ones; the head only takes those inside its
    // out-of-order window, so make the window cover any time a script uses.
    private static readonly HeadOptions HeadSettings = new() { OutOfOrderWindowMs = (long)TimeSpan.FromDays(365 * 1000).TotalMilliseconds };

    private static readonly EngineOptions EngineSettings = new()
    {
        MaxSamples = 10_000,
        LookbackDelta = TimeSpan.FromMinutes(5),
        Timeout = TimeSpan.FromSeconds(100),
    };

    // A stuck evaluation should cost one eval, not the run.
    private static readonly TimeSpan EvalTimeout = TimeSpan.FromSeconds(30);

    // Upstream skips the range-mode re-run for these: they resolve differently per step.
    [GeneratedRegex(@"(start|end|range|step)\(\)")]
    private static partial Regex QueryContextFunctions();

    private readonly string _file;
    private readonly List<EvalOutcome> _evals = [];
    private readonly List<ScriptProblem> _problems = [];
    private Head _head = null!;
    private PromQLEngine _engine = null!;

    // Since the last clear: data the head cannot hold as the script means it (native histograms,
    // NHCB conversion, start timestamps). Evals over it are reported separately.
    private bool _unsupportedInput;

    private ScriptRunner(string file)
    {
        _file = file;
        Clear();
    }

    public static FileOutcome Run(string file, TestScript script)
    {
        var runner = new ScriptRunner(file);
        foreach (var (line, message) in script.Errors) runner._problems.Add(new ScriptProblem(file, line, message));
        foreach (var cmd in script.Commands)
        {
            switch (cmd)
            {
                case ClearCommand: runner.Clear(); break;
                case LoadCommand load: runner.Load(load); break;
                case EvalCommand ev: runner._evals.Add(runner.Eval(ev)); break;
            }
        }
        return new FileOutcome(file, runner._evals, runner._problems);
    }

    private void Clear()
    {
        _head = new Head(HeadSettings);
        _engine = new PromQLEngine(_head, EngineSettings);
        _unsupportedInput = false;
    }

    private void Load(LoadCommand load)
    {
        foreach (var e in load.Errors) _problems.Add(new ScriptProblem(_file, load.Line, $"load: {e}"));
        if (load.HasHistograms || load.UsesStartTimestamps) _unsupportedInput = true;
        foreach (var series in load.Series)
        {
            if (series.Labels.Count == 0)
            {
                _problems.Add(new ScriptProblem(_file, series.Line, "load: series without labels skipped"));
                continue;
            }
            var s = _head.GetOrCreate(series.Labels, out _);
            for (int k = 0; k < series.Slots.Count; k++)
            {
                var slot = series.Slots[k];
                // Histogram samples have no float form; the evals that see them are flagged instead.
                if (slot.Kind != SlotKind.Float) continue;
                long t = k * load.StepMs;
                var r = _head.Append(s, t, slot.Value);
                if (r is not (AppendResult.Appended or AppendResult.Duplicate))
                    _problems.Add(new ScriptProblem(_file, series.Line, $"load: {ResultComparer.Show(series.Labels)} at {ResultComparer.Time(t)}: {r}"));
            }
        }
    }

    private EvalOutcome Eval(EvalCommand ev)
    {
        bool nh = _unsupportedInput || ev.ExpectsHistogram;
        EvalOutcome Fail(string reason, bool annotationsOnly = false) => new(_file, ev.Line, ev.Query, false, nh, annotationsOnly, reason);
        var pass = new EvalOutcome(_file, ev.Line, ev.Query, true, nh, false, null);

        if (ev.FormatError != null) return Fail($"script: {ev.FormatError}");
        Expr expr;
        try
        {
            expr = PromQLParser.ParseExpr(ev.Query);
        }
        catch (ParseException ex)
        {
            return Fail($"parse error: {ex.Message}");
        }
        catch (Exception ex)
        {
            return Fail($"parser exception {ex.GetType().Name}: {ex.Message}");
        }

        // With "expect range vector" upstream evaluates at the end of that range, not at the "at" time.
        long evalTime = ev.RangeVector?.EndMs ?? ev.StartMs;
        QueryValue result;
        try
        {
            using var cts = new CancellationTokenSource(EvalTimeout);
            result = ev.IsRange
                ? _engine.Range(expr, ev.StartMs, ev.EndMs, ev.StepMs, default, cts.Token)
                : _engine.Instant(expr, evalTime, default, cts.Token);
        }
        catch (QueryException ex)
        {
            if (!ev.ExpectFail) return Fail($"unexpected error: {ex.Message}");
            return ev.FailMatch == null || ev.FailMatch.IsMatch(ex.Message) ? pass : Fail($"expected error matching {ev.FailMatch} got: {ex.Message}");
        }
        catch (Exception ex)
        {
            // Anything but QueryException is an engine bug, even when the case expects a failure.
            return Fail($"engine exception {ex.GetType().Name}: {ex.Message}");
        }
        if (ev.ExpectFail) return Fail("expected failure but succeeded");

        string? valueReason = result switch
        {
            null => "engine returned null",
            MatrixResult m when ev.IsRange => ResultComparer.CompareMatrix(ev, m, ev.StartMs, ev.EndMs, ev.StepMs),
            _ when ev.IsRange => $"range query returned {result.GetType().Name}",
            _ => ResultComparer.CompareInstant(ev, result),
        };
        bool rangeChecked = false;
        if (valueReason == null && !ev.IsRange && !SkipsRangeCheck(ev))
        {
            rangeChecked = true;
            valueReason = RangeCheck(ev, expr, evalTime, result!);
        }
        string? annotationReason = result == null ? null : AnnotationCheck.Check(ev, result.Annotations ?? []);

        var outcome = valueReason == null && annotationReason == null ? pass
            : valueReason == null ? Fail(annotationReason!, annotationsOnly: true)
            : Fail(annotationReason == null ? valueReason : $"{valueReason} (annotations also wrong)");
        return outcome with { RangeChecked = rangeChecked };
    }

    /// <summary>Upstream's skips: string and range-vector results, ordered results, and queries whose value depends on the range.</summary>
    private static bool SkipsRangeCheck(EvalCommand ev) =>
        ev.ExcludeFromRangeCheck || ev.Ordered || QueryContextFunctions().IsMatch(ev.Query);

    /// <summary>
    /// FORMAT.md section 8, check 1: the instant query re-run as a range query from t-1m to t+1m,
    /// step 1m, must give the expected result at its middle step (order not checked).
    /// </summary>
    private string? RangeCheck(EvalCommand ev, Expr expr, long t, QueryValue instantResult)
    {
        MatrixResult m;
        try
        {
            using var cts = new CancellationTokenSource(EvalTimeout);
            m = _engine.Range(expr, t - Minute, t + Minute, Minute, default, cts.Token);
        }
        catch (QueryException ex)
        {
            return $"range-check: unexpected error: {ex.Message}";
        }
        catch (Exception ex)
        {
            return $"range-check: engine exception {ex.GetType().Name}: {ex.Message}";
        }
        if (m == null) return "range-check: engine returned null";
        for (int i = 0; i + 1 < m.Series.Count; i++)
        {
            if (m.Series[i].Labels.CompareTo(m.Series[i + 1].Labels) > 0)
                return $"range-check: matrix not sorted by labels: {ResultComparer.Show(m.Series[i].Labels)} before {ResultComparer.Show(m.Series[i + 1].Labels)}";
        }
        var middle = new List<VectorSample>();
        foreach (var s in m.Series)
        {
            for (int i = 0; i < s.Count; i++)
            {
                if (s.Timestamps[i] != t) continue;
                middle.Add(new VectorSample(s.Labels, t, s.Values[i]));
                break;
            }
        }
        string? why = instantResult is ScalarResult
            ? middle.Count == 0 ? "no point at the middle step" : ResultComparer.CompareScalar(ev, middle[0].Value)
            : ResultComparer.CompareInstant(ev, new VectorResult(middle));
        return why == null ? null : $"range-check: {why}";
    }
}
