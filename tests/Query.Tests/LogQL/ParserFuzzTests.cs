using Strata.Query.LogQL;

namespace Strata.Query.Tests.LogQL;

/// <summary>
/// Every prefix and many mutations of the valid test queries must either parse, with a printed
/// form that parses back to itself, or fail with a <see cref="LogQLParseException"/> whose
/// position lies inside the query. Nothing else may escape the parser.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "[5m]", "[", "]", ",", "|", "|=", "!=", "|~", "!~", "|>", "!>", "=", "=~", "==", ">", ">=",
        "\"x\"", "`y`", "\"", "`", "or", "and", "unless", "by", "without", "on", "ignoring", "group_left", "bool",
        "offset", "1h", "-5m", "5", "-", "+", "*", "/", "^", "%", "json", "logfmt", "--strict", "unwrap", "bytes(",
        "ip(", "rate(", "sum(", "topk(", "vector(", "label_replace(", "a", "__error__", "20MB", "#", "\n", " ",
    ];

    public static IEnumerable<object[]> Seeds() => ParserTests.Printed.Select(row => new object[] { (string)row[0] });

    private static void Check(string query)
    {
        LogQLExpr expr;
        try
        {
            expr = LogQLParser.ParseExpr(query);
        }
        catch (LogQLParseException ex)
        {
            Assert.InRange(ex.Line, 0, query.Count(c => c == '\n') + 1);
            Assert.InRange(ex.Column, 0, query.Length + 1);
            return;
        }
        string printed = LogQLPrinter.Format(expr);
        // Folded literals may print as NaN or Inf, which LogQL cannot read back (nor can Loki).
        if (expr is LiteralExpr { Value: var v } && !double.IsFinite(v)) return;
        Assert.Equal(printed, LogQLPrinter.Format(LogQLParser.ParseExpr(printed)));
        Assert.Equal(printed, LogQLPrinter.Format(LogQLParser.ParseExpr(LogQLPrinter.Prettify(expr))));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PrefixesParseOrFailCleanly(string query)
    {
        for (int i = 0; i <= query.Length; i++) Check(query[..i]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MutationsParseOrFailCleanly(string query)
    {
        var rng = new Random(query.Length * 7919 + query[0]);
        for (int round = 0; round < 40; round++)
        {
            int at = rng.Next(query.Length + 1);
            string mutated = rng.Next(3) switch
            {
                0 => query.Insert(at, Fragments[rng.Next(Fragments.Length)]),
                1 when at < query.Length => query.Remove(at, Math.Min(1 + rng.Next(4), query.Length - at)),
                _ => query.Insert(at, " " + Fragments[rng.Next(Fragments.Length)] + " "),
            };
            Check(mutated);
        }
    }
}
