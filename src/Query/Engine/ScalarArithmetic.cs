using Strata.Query.PromQL;

namespace Strata.Query.Engine;

/// <summary>Binary operators on two floats with Prometheus's semantics (<c>%</c> is fmod, <c>^</c> is pow).</summary>
public static class ScalarArithmetic
{
    public static double Apply(BinaryOp op, double l, double r, bool returnBool) => op switch
    {
        BinaryOp.Add => l + r,
        BinaryOp.Sub => l - r,
        BinaryOp.Mul => l * r,
        BinaryOp.Div => l / r,
        BinaryOp.Mod => l % r, // C# % on doubles is fmod, as Go's math.Mod
        BinaryOp.Pow => Math.Pow(l, r),
        BinaryOp.Atan2 => Math.Atan2(l, r),
        BinaryOp.Eql => Compare(l == r, l, returnBool),
        BinaryOp.Neq => Compare(l != r, l, returnBool),
        BinaryOp.Gtr => Compare(l > r, l, returnBool),
        BinaryOp.Lss => Compare(l < r, l, returnBool),
        BinaryOp.Gte => Compare(l >= r, l, returnBool),
        BinaryOp.Lte => Compare(l <= r, l, returnBool),
        _ => throw new QueryException(ErrorType.BadData, $"operator {op} not allowed between scalars"),
    };

    // Between scalars a comparison needs bool (the parser enforces it); the result is 0 or 1.
    private static double Compare(bool result, double l, bool returnBool) => returnBool ? (result ? 1 : 0) : (result ? l : double.NaN);
}
