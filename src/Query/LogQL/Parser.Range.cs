using Strata.Storage.Index;

namespace Strata.Query.LogQL;

internal sealed partial class Parser
{
    private readonly record struct LogRange(LogSelectorExpr Selector, long RangeMs, long OffsetNs);

    /// <summary><c>op ( [NUMBER ,] logRange ) [grouping]</c> with Loki's checks on parameter, grouping and unwrap.</summary>
    private RangeAggregationExpr ParseRangeAggregation()
    {
        var opTok = Advance();
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        string? param = null;
        TokenKind[] first = [TokenKind.Number, TokenKind.OpenBrace, TokenKind.OpenParen];
        if (At(TokenKind.Number))
        {
            param = Advance().Text;
            Expect(TokenKind.Comma, TokenKind.Comma);
            first = [TokenKind.OpenBrace, TokenKind.OpenParen];
        }
        var range = ParseLogRange(first);
        // A complete log range reduces by default, so whatever cannot extend it meets this state.
        Expect(TokenKind.CloseParen, TokenKind.CloseParen);
        Grouping? grouping = Peek().Kind is TokenKind.By or TokenKind.Without ? ParseGrouping() : null;
        var op = RangeOpOf(opTok.Kind);
        double? parameter = null;
        string? error = null;
        if (param is not null)
        {
            if (op != RangeOp.QuantileOverTime) error = $"parameter {param} not supported for operation {op.Name()}";
            else if (Lexer.ParseGoFloat(param, out string? perr) is { } p) parameter = p;
            else error = $"invalid parameter for operation {op.Name()}: {perr}";
        }
        else if (op == RangeOp.QuantileOverTime)
        {
            error = $"parameter required for operation {op.Name()}";
        }
        error ??= RangeAggregationError(op, grouping is not null, range.Selector.Unwrap is not null);
        var expr = new RangeAggregationExpr
        {
            Op = op,
            Selector = range.Selector,
            Range = TimeSpan.FromMilliseconds(range.RangeMs),
            Offset = TimeSpan.FromTicks(range.OffsetNs / 100),
            Parameter = parameter,
            Grouping = grouping,
            Start = opTok.Start,
            End = LastEnd,
        };
        if (error is not null) Defer(expr, error);
        return expr;
    }

    // RangeAggregationExpr.validate in Loki's ast.go.
    private static string? RangeAggregationError(RangeOp op, bool grouped, bool unwrapped)
    {
        if (grouped && op is not (RangeOp.AvgOverTime or RangeOp.StddevOverTime or RangeOp.StdvarOverTime or RangeOp.QuantileOverTime
                or RangeOp.MaxOverTime or RangeOp.MinOverTime or RangeOp.FirstOverTime or RangeOp.LastOverTime))
        {
            return $"grouping not allowed for {op.Name()} aggregation";
        }
        if (unwrapped)
        {
            return op is RangeOp.CountOverTime or RangeOp.BytesOverTime or RangeOp.BytesRate
                ? $"invalid aggregation {op.Name()} with unwrap"
                : null;
        }
        return op is RangeOp.BytesOverTime or RangeOp.BytesRate or RangeOp.CountOverTime or RangeOp.Rate or RangeOp.AbsentOverTime
            ? null
            : $"invalid aggregation {op.Name()} without unwrap";
    }

    private static RangeOp RangeOpOf(TokenKind k) => k switch
    {
        TokenKind.CountOverTime => RangeOp.CountOverTime,
        TokenKind.Rate => RangeOp.Rate,
        TokenKind.RateCounter => RangeOp.RateCounter,
        TokenKind.BytesOverTime => RangeOp.BytesOverTime,
        TokenKind.BytesRate => RangeOp.BytesRate,
        TokenKind.AvgOverTime => RangeOp.AvgOverTime,
        TokenKind.SumOverTime => RangeOp.SumOverTime,
        TokenKind.MinOverTime => RangeOp.MinOverTime,
        TokenKind.MaxOverTime => RangeOp.MaxOverTime,
        TokenKind.StdvarOverTime => RangeOp.StdvarOverTime,
        TokenKind.StddevOverTime => RangeOp.StddevOverTime,
        TokenKind.QuantileOverTime => RangeOp.QuantileOverTime,
        TokenKind.FirstOverTime => RangeOp.FirstOverTime,
        TokenKind.LastOverTime => RangeOp.LastOverTime,
        _ => RangeOp.AbsentOverTime,
    };

    /// <summary>
    /// syntax.y's <c>logRangeExpr</c>, all 25 forms:
    /// <list type="bullet">
    /// <item><c>{s} [pipeline] [unwrap] [5m] [offset d]</c></item>
    /// <item><c>{s} [5m] [offset d] [pipeline] [unwrap]</c> (range first)</item>
    /// <item><c>( {s} [pipeline] [unwrap] ) [5m] [offset d]</c>, and for a bare <c>( {s} )</c> an unwrap after that</item>
    /// <item><c>( logRange )</c></item>
    /// </list>
    /// </summary>
    private LogRange ParseLogRange(TokenKind[] expectedFirst)
    {
        var t = Peek();
        if (t.Kind == TokenKind.OpenBrace)
        {
            var (matchers, start) = ParseSelectorBraces();
            var stages = new List<PipelineStage>();
            bool unwrapped = ParsePipeline(stages, allowUnwrap: true);
            return FinishBareLogRange(matchers, stages, unwrapped, start);
        }
        if (t.Kind != TokenKind.OpenParen) throw SyntaxError(t, expectedFirst);
        Advance();
        if (At(TokenKind.OpenParen))
        {
            var inner = ParseLogRange([TokenKind.OpenBrace, TokenKind.OpenParen]);
            Expect(TokenKind.CloseParen, TokenKind.CloseParen);
            return inner;
        }
        if (!At(TokenKind.OpenBrace)) throw SyntaxError(Peek(), TokenKind.OpenBrace, TokenKind.OpenParen);
        var (innerMatchers, innerStart) = ParseSelectorBraces();
        var innerStages = new List<PipelineStage>();
        bool innerUnwrapped = ParsePipeline(innerStages, allowUnwrap: true);
        if (At(TokenKind.Range))
        {
            // ( {s} ... [5m] ... ) is the ( logRange ) form around a bare range.
            var lr = FinishBareLogRange(innerMatchers, innerStages, innerUnwrapped, innerStart);
            Expect(TokenKind.CloseParen, TokenKind.CloseParen);
            return lr;
        }
        // After an unwrap the state holds only ')', RANGE and '|' (post filters); otherwise every
        // pipeline stage start too.
        if (innerUnwrapped) Expect(TokenKind.CloseParen, TokenKind.Range, TokenKind.CloseParen, TokenKind.Pipe);
        else Expect(TokenKind.CloseParen);
        var rangeTok = Expect(TokenKind.Range, TokenKind.Range);
        long offset = ParseOptionalOffset();
        if (innerStages.Count == 0 && At(TokenKind.Pipe))
        {
            var pipe = Advance();
            if (!At(TokenKind.Unwrap)) throw SyntaxError(Peek(), TokenKind.Unwrap);
            ParseUnwrap(innerStages, pipe.Start);
        }
        var selector = new LogSelectorExpr { Matchers = innerMatchers, Stages = innerStages, Start = innerStart, End = LastEnd };
        return new LogRange(selector, rangeTok.Amount, offset);
    }

    private LogRange FinishBareLogRange(List<LabelMatcher> matchers, List<PipelineStage> stages, bool unwrapped, int start)
    {
        // After an unwrap (and its filters) only RANGE or another '|' can follow.
        var rangeTok = unwrapped ? Expect(TokenKind.Range, TokenKind.Range, TokenKind.Pipe) : Expect(TokenKind.Range);
        long offset = ParseOptionalOffset();
        if (stages.Count == 0) ParsePipeline(stages, allowUnwrap: true);
        var selector = new LogSelectorExpr { Matchers = matchers, Stages = stages, Start = start, End = LastEnd };
        return new LogRange(selector, rangeTok.Amount, offset);
    }

    private long ParseOptionalOffset()
    {
        if (!At(TokenKind.Offset)) return 0;
        Advance();
        return Expect(TokenKind.Duration, TokenKind.Duration).Amount;
    }
}
