using Strata.Query.PromQL;

namespace Strata.Query.Tests.PromQL;

public sealed class ParserFuzzTests
{
    private static readonly string[] Pieces =
    [
        "foo", "bar", "sum", "by", "without", "(", ")", "{", "}", "[", "]", ",", ":", "=", "!=", "=~", "!~",
        "\"a\"", "'b'", "`c`", "1", "-", "+", "*", "/", "%", "^", "==", ">", "<=", "</", "and", "or", "unless",
        "bool", "on", "ignoring", "group_left", "group_right", "offset", "@", "5m", "1h30m", "0.5", "Inf",
        "rate", "topk", "count_values", "label_replace", "step()", "range()", "min_of", "fill", "fill_left",
        "anchored", "smoothed", "start()", "end()", "#x\n", " ", "\n", "atan2", "time()", "histogram_quantile",
    ];

    /// <summary>
    /// Seeded random token soup: the parser must either throw <see cref="ParseException"/> or return
    /// a tree whose printed form parses back to the same text (never any other exception).
    /// </summary>
    [Fact]
    public void RandomInputEitherFailsCleanlyOrRoundTrips()
    {
        var rng = new Random(20240607);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++)
        {
            int n = rng.Next(1, 12);
            var parts = new string[n];
            for (int j = 0; j < n; j++) parts[j] = Pieces[rng.Next(Pieces.Length)];
            string query = string.Join(rng.Next(2) == 0 ? " " : "", parts);
            Expr expr;
            try
            {
                expr = PromQLParser.ParseExpr(query);
            }
            catch (ParseException ex)
            {
                Assert.InRange(ex.Position, 0, query.Length);
                continue;
            }
            parsed++;
            string printed = PromQLPrinter.Format(expr);
            // Prometheus prints +Inf as "+Inf", which re-parses as a unary plus when it is the left
            // operand of '^' (same value, different tree); upstream has the same quirk.
            if (printed.Contains("+Inf ^", StringComparison.Ordinal)) continue;
            Assert.True(printed == PromQLPrinter.Format(PromQLParser.ParseExpr(printed)), $"round trip failed for {query} -> {printed}");
            Assert.Equal(printed, PromQLPrinter.Format(PromQLParser.ParseExpr(PromQLPrinter.Prettify(expr))));
        }
        Assert.True(parsed > 100, $"only {parsed} random queries parsed; the generator is too weak");
    }

    [Fact]
    public void EveryPrefixOfAValidQueryFailsCleanly()
    {
        const string query = "sum by (job) (rate(foo{a=\"b\",c=~\"d.*\"}[5m:1m] offset -1m @ 100)) / on (job) group_left (x) fill(0) "
            + "sum by (job, x) (bar) + max_of(1, 2) * rate(foo[step() * 2 + 1m] anchored)";
        Assert.NotNull(PromQLParser.ParseExpr(query));
        for (int i = 0; i < query.Length; i++)
        {
            try
            {
                PromQLParser.ParseExpr(query[..i]);
            }
            catch (ParseException)
            {
            }
        }
    }
}
