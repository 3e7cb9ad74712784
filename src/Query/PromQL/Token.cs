namespace Strata.Query.PromQL;

/// <summary>Lexer item types, grouped as in Prometheus's <c>lex.go</c> (the groups decide how an item is described in errors).</summary>
internal enum TokenKind : byte
{
    Eof,
    Error,

    Identifier,
    MetricIdentifier,
    Number,
    Duration,
    String,

    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Comma,
    Eql,
    Colon,
    DoubleColon,

    // Operators (described as <op:...>).
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    EqlC,
    Neq,
    Lte,
    Lss,
    Gte,
    Gtr,
    TrimUpper,
    TrimLower,
    EqlRegex,
    NeqRegex,
    At,
    Atan2,
    LAnd,
    LOr,
    LUnless,

    // Aggregators (described as <aggr:...>).
    Avg,
    Bottomk,
    Count,
    CountValues,
    Group,
    Max,
    Min,
    Quantile,
    Stddev,
    Stdvar,
    Sum,
    Topk,
    LimitK,
    LimitRatio,

    // Keywords (described as <...>).
    Bool,
    By,
    GroupLeft,
    GroupRight,
    Ignoring,
    Offset,
    On,
    Without,
    Fill,
    FillLeft,
    FillRight,
    Anchored,
    Smoothed,

    // Preprocessors and duration-expression functions (described as "...").
    Start,
    End,
    Step,
    Range,
    MinOf,
    MaxOf,
}

/// <summary>
/// One lexer item. <see cref="Start"/>/<see cref="End"/> are character offsets into the query;
/// <see cref="Value"/> holds the unescaped text of a string, or the message of an error item.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, string Text, string? Value = null)
{
    public bool IsOperator => Kind is >= TokenKind.Add and <= TokenKind.LUnless;
    public bool IsAggregator => Kind is >= TokenKind.Avg and <= TokenKind.LimitRatio;
    public bool IsKeyword => Kind is >= TokenKind.Bool and <= TokenKind.Smoothed;

    /// <summary>How Prometheus names the item in "unexpected ..." errors (<c>Item.desc()</c>).</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Eof => "end of input",
        TokenKind.Error => Value ?? "error",
        TokenKind.Identifier => "identifier " + GoText.Quote(Text),
        TokenKind.MetricIdentifier => "metric identifier " + GoText.Quote(Text),
        TokenKind.Number => "number " + GoText.QuoteTruncated(Text),
        TokenKind.Duration => "duration " + GoText.QuoteTruncated(Text),
        TokenKind.String => "string " + GoText.QuoteTruncated(Text),
        _ when IsOperator => "<op:" + Text + ">",
        _ when IsAggregator => "<aggr:" + Text + ">",
        _ when IsKeyword => "<" + Text + ">",
        _ => GoText.Quote(Text),
    };
}
