using Strata.Storage.Index;

namespace Strata.Query.LogQL;

internal sealed partial class Parser
{
    /// <summary><c>{matchers} pipeline</c> as a log query (no unwrap: that exists only inside a range aggregation).</summary>
    private LogSelectorExpr ParseLogSelector(bool allowUnwrap)
    {
        var (matchers, start) = ParseSelectorBraces();
        var stages = new List<PipelineStage>();
        ParsePipeline(stages, allowUnwrap);
        return new LogSelectorExpr { Matchers = matchers, Stages = stages, Start = start, End = LastEnd };
    }

    // '{' [matcher {',' matcher}] '}' with matcher = IDENTIFIER op STRING; no trailing comma.
    private (List<LabelMatcher> Matchers, int Start) ParseSelectorBraces()
    {
        var open = Expect(TokenKind.OpenBrace, TokenKind.OpenBrace);
        var matchers = new List<LabelMatcher>();
        if (At(TokenKind.CloseBrace))
        {
            Advance();
            return (matchers, open.Start);
        }
        bool first = true;
        while (true)
        {
            var name = first
                ? Expect(TokenKind.Identifier, TokenKind.Identifier, TokenKind.CloseBrace)
                : Expect(TokenKind.Identifier, TokenKind.Identifier);
            matchers.Add(ParseMatcherRest(name));
            var sep = Peek();
            if (sep.Kind == TokenKind.CloseBrace)
            {
                Advance();
                return (matchers, open.Start);
            }
            if (sep.Kind != TokenKind.Comma) throw SyntaxError(sep, TokenKind.CloseBrace, TokenKind.Comma);
            Advance();
            first = false;
        }
    }

    // The operator and string of a matcher whose name was just consumed.
    private LabelMatcher ParseMatcherRest(Token name)
    {
        var op = Peek();
        if (!IsMatchOp(op.Kind)) throw SyntaxError(op, TokenKind.Eq, TokenKind.Neq, TokenKind.Re, TokenKind.Nre);
        Advance();
        var value = Expect(TokenKind.String, TokenKind.String);
        return NewMatcher(name.Text, op, value.Value!);
    }

    /// <summary>
    /// Pipeline stages until an item that cannot continue the pipeline. With
    /// <paramref name="allowUnwrap"/> a <c>| unwrap</c> ends the pipeline (only <c>| label filters</c>
    /// may follow it); returns whether one was parsed.
    /// </summary>
    private bool ParsePipeline(List<PipelineStage> stages, bool allowUnwrap)
    {
        while (true)
        {
            var t = Peek();
            if (t.IsLineFilterOp)
            {
                ParseLineFilter(stages);
                continue;
            }
            if (t.Kind != TokenKind.Pipe) return false;
            Advance();
            if (At(TokenKind.Unwrap))
            {
                // Outside a range aggregation Loki's state after '|' has no unwrap item.
                if (!allowUnwrap) throw SyntaxError(Peek());
                ParseUnwrap(stages, t.Start);
                return true;
            }
            stages.Add(ParseStageAfterPipe(t.Start));
        }
    }

    private static LineFilterOp LineFilterOpOf(TokenKind k) => k switch
    {
        TokenKind.PipeExact => LineFilterOp.Contains,
        TokenKind.Neq => LineFilterOp.NotContains,
        TokenKind.PipeMatch => LineFilterOp.Regex,
        TokenKind.Nre => LineFilterOp.NotRegex,
        TokenKind.PipePattern => LineFilterOp.Pattern,
        _ => LineFilterOp.NotPattern,
    };

    // op term {or term}; term = STRING | ip ( STRING ). After a line filter 'or' always continues
    // the chain (yacc shifts), so `|= "a" or vector(1)` is an error, not a binary operation.
    private void ParseLineFilter(List<PipelineStage> stages)
    {
        var opTok = Advance();
        var op = LineFilterOpOf(opTok.Kind);
        var terms = new List<(LineFilterTerm Term, int Start)> { ParseLineFilterTerm(opTok.Start) };
        while (At(TokenKind.Or))
        {
            var or = Advance();
            terms.Add(ParseLineFilterTerm(or.Start));
        }
        bool negative = op is LineFilterOp.NotContains or LineFilterOp.NotRegex or LineFilterOp.NotPattern;
        if (!negative || terms.Count == 1)
        {
            stages.Add(new LineFilterStage { Op = op, Terms = terms.ConvertAll(x => x.Term), Start = opTok.Start, End = LastEnd });
            return;
        }
        // !(a or b) is !a and !b: Loki rewrites `!= "a" or "b"` into `!= "a" != "b"`.
        for (int i = 0; i < terms.Count; i++)
        {
            int end = i + 1 < terms.Count ? terms[i + 1].Start : LastEnd;
            stages.Add(new LineFilterStage { Op = op, Terms = [terms[i].Term], Start = terms[i].Start, End = end });
        }
    }

    private (LineFilterTerm, int) ParseLineFilterTerm(int start)
    {
        var t = Peek();
        if (t.Kind == TokenKind.String)
        {
            Advance();
            return (new LineFilterTerm(t.Value!), start);
        }
        if (t.Kind == TokenKind.Ip) return (new LineFilterTerm(ParseIpCall(), Ip: true), start);
        throw SyntaxError(t, TokenKind.String, TokenKind.Ip);
    }

    // ip ( STRING ); the ip item is next.
    private string ParseIpCall()
    {
        Advance();
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        string pattern = Expect(TokenKind.String, TokenKind.String).Value!;
        Expect(TokenKind.CloseParen, TokenKind.CloseParen);
        return pattern;
    }

    // The stage after '|' (the pipe was consumed). Loki's state here has a dozen items: no list.
    private PipelineStage ParseStageAfterPipe(int start)
    {
        var t = Peek();
        switch (t.Kind)
        {
            case TokenKind.Json:
            {
                Advance();
                var parameters = At(TokenKind.Identifier) ? ParseExtractions() : [];
                return new JsonParserStage { Parameters = parameters, Start = start, End = LastEnd };
            }
            case TokenKind.Logfmt:
            {
                Advance();
                bool strict = false;
                bool keepEmpty = false;
                while (At(TokenKind.ParserFlag))
                {
                    if (Advance().Text == "--strict") strict = true;
                    else keepEmpty = true;
                }
                var parameters = At(TokenKind.Identifier) ? ParseExtractions() : [];
                return new LogfmtParserStage { Strict = strict, KeepEmpty = keepEmpty, Parameters = parameters, Start = start, End = LastEnd };
            }
            case TokenKind.Regexp:
            {
                Advance();
                string pattern = Expect(TokenKind.String, TokenKind.String).Value!;
                if (RegexpParserError(pattern) is { } error) throw LogQLParseException.NoPosition("invalid regexp parser: " + error);
                return new RegexpParserStage { Pattern = pattern, Start = start, End = LastEnd };
            }
            case TokenKind.Pattern:
            {
                Advance();
                string pattern = Expect(TokenKind.String, TokenKind.String).Value!;
                if (LogPattern.Validate(pattern) is { } error) throw LogQLParseException.NoPosition("invalid pattern parser: " + error);
                return new PatternParserStage { Pattern = pattern, Start = start, End = LastEnd };
            }
            case TokenKind.Unpack:
                Advance();
                return new UnpackStage { Start = start, End = LastEnd };
            case TokenKind.LineFmt:
            {
                Advance();
                string template = Expect(TokenKind.String, TokenKind.String).Value!;
                return new LineFormatStage { Template = template, Start = start, End = LastEnd };
            }
            case TokenKind.LabelFmt:
                Advance();
                return new LabelFormatStage { Items = ParseLabelFormats(), Start = start, End = LastEnd };
            case TokenKind.Decolorize:
                Advance();
                return new DecolorizeStage { Start = start, End = LastEnd };
            case TokenKind.Drop:
                Advance();
                return new DropStage { Labels = ParseNamedMatchers(), Start = start, End = LastEnd };
            case TokenKind.Keep:
                Advance();
                return new KeepStage { Labels = ParseNamedMatchers(), Start = start, End = LastEnd };
            case TokenKind.Identifier or TokenKind.OpenParen:
            {
                var filter = ParseLabelFilterExpr(0);
                return new LabelFilterStage { Filter = filter, Start = start, End = LastEnd };
            }
            default:
                throw SyntaxError(t);
        }
    }

    // IDENTIFIER [= STRING] {, IDENTIFIER [= STRING]}; a bare name extracts the key of the same name.
    private List<LabelExtraction> ParseExtractions()
    {
        var list = new List<LabelExtraction>();
        while (true)
        {
            string label = Expect(TokenKind.Identifier, TokenKind.Identifier).Text;
            string expression = label;
            if (At(TokenKind.Eq))
            {
                Advance();
                expression = Expect(TokenKind.String, TokenKind.String).Value!;
            }
            list.Add(new LabelExtraction(label, expression));
            if (!At(TokenKind.Comma)) return list;
            Advance();
        }
    }

    // IDENTIFIER = (IDENTIFIER | STRING) {, ...}: a rename or a template.
    private List<LabelFormatItem> ParseLabelFormats()
    {
        var list = new List<LabelFormatItem>();
        while (true)
        {
            string target = Expect(TokenKind.Identifier, TokenKind.Identifier).Text;
            Expect(TokenKind.Eq, TokenKind.Eq);
            var v = Peek();
            if (v.Kind == TokenKind.Identifier) list.Add(new LabelFormatItem(target, Advance().Text, IsRename: true));
            else if (v.Kind == TokenKind.String) list.Add(new LabelFormatItem(target, Advance().Value!, IsRename: false));
            else throw SyntaxError(v, TokenKind.Identifier, TokenKind.String);
            if (!At(TokenKind.Comma)) return list;
            Advance();
        }
    }

    // namedMatcher {, namedMatcher}; namedMatcher = IDENTIFIER | IDENTIFIER op STRING.
    private List<LabelNameOrMatcher> ParseNamedMatchers()
    {
        var list = new List<LabelNameOrMatcher>();
        while (true)
        {
            var name = Expect(TokenKind.Identifier, TokenKind.Identifier);
            list.Add(IsMatchOp(Peek().Kind)
                ? new LabelNameOrMatcher(name.Text, ParseMatcherRest(name))
                : new LabelNameOrMatcher(name.Text));
            if (!At(TokenKind.Comma)) return list;
            Advance();
        }
    }

    // unwrap IDENTIFIER | unwrap conv ( IDENTIFIER ), then { | labelFilter }. The unwrap item is next.
    private void ParseUnwrap(List<PipelineStage> stages, int start)
    {
        Advance();
        var t = Peek();
        string label;
        var conversion = UnwrapConversion.None;
        if (t.Kind == TokenKind.Identifier)
        {
            label = Advance().Text;
        }
        else if (t.Kind is TokenKind.BytesConv or TokenKind.DurationConv or TokenKind.DurationSecondsConv)
        {
            Advance();
            conversion = t.Kind switch
            {
                TokenKind.BytesConv => UnwrapConversion.Bytes,
                TokenKind.DurationConv => UnwrapConversion.Duration,
                _ => UnwrapConversion.DurationSeconds,
            };
            Expect(TokenKind.OpenParen, TokenKind.OpenParen);
            label = Expect(TokenKind.Identifier, TokenKind.Identifier).Text;
            Expect(TokenKind.CloseParen, TokenKind.CloseParen);
        }
        else
        {
            throw SyntaxError(t, TokenKind.Identifier, TokenKind.BytesConv, TokenKind.DurationConv, TokenKind.DurationSecondsConv);
        }
        stages.Add(new UnwrapStage { Label = label, Conversion = conversion, Start = start, End = LastEnd });
        while (At(TokenKind.Pipe))
        {
            var pipe = Advance();
            var filter = ParseLabelFilterExpr(0);
            stages.Add(new LabelFilterStage { Filter = filter, Start = pipe.Start, End = LastEnd });
        }
    }

    /// <summary>
    /// Loki's <c>log.NewRegexpParser</c> checks: the Go regex compiles and has at least one named
    /// group, with no name twice. Returns its error text or null.
    /// </summary>
    private static string? RegexpParserError(string pattern)
    {
        if (GoRegex.CompileError(pattern, pattern) is { } error) return error;
        var names = GoRegex.GroupNames(pattern);
        if (names.Count == 0) return "at least one named capture must be supplied";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string n in names)
        {
            if (!seen.Add(n)) return $"duplicate extracted label name '{n}'";
        }
        return null;
    }
}
