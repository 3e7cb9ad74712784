using System.Numerics.Tensors;

namespace Strata.Query.Engine.Functions;

/// <summary>
/// PromQL's element-wise instant-vector functions (abs, exp, sin, round, clamp, ...), applied in
/// place to the float values of a vector with the special cases of Go's math package.
/// </summary>
/// <remarks>
/// TensorPrimitives is used only where its result is bit-identical to the scalar operation:
/// abs, ceil, floor and sqrt (IEEE-exact), and the multiply/divide/add chains of deg, rad and
/// round. Measured against <see cref="Math"/> on 20k random and edge inputs (.NET 10, AVX-512
/// machine), its exp, ln, log2, log10, sin, cos and tan differ by up to 3 ulp, and sinh, cosh and
/// tanh by far more (tanh(+0) comes back −0, sinh of a subnormal comes back 0), so those stay
/// scalar: <see cref="Math"/> (the C runtime's correctly rounded functions) is the closer match to
/// Go's. Log2 and log10 follow Go's own formulas (see <see cref="GoMath"/>).
/// </remarks>
internal static class MathFunctions
{
    /// <summary>Whether <paramref name="name"/> is a function <see cref="Apply"/> knows (applying it to nothing is free).</summary>
    public static bool IsElementwise(string name) => Apply(name, []);

    /// <summary>Applies the unary function <paramref name="name"/> (PromQL spelling; <c>round</c> to the nearest 1); false for an unknown name or a function that needs arguments (clamp*).</summary>
    public static bool Apply(string name, Span<double> values)
    {
        switch (name)
        {
            case "abs": Abs(values); return true;
            case "ceil": Ceil(values); return true;
            case "floor": Floor(values); return true;
            case "exp": Exp(values); return true;
            case "sqrt": Sqrt(values); return true;
            case "ln": Ln(values); return true;
            case "log2": Log2(values); return true;
            case "log10": Log10(values); return true;
            case "sin": Sin(values); return true;
            case "cos": Cos(values); return true;
            case "tan": Tan(values); return true;
            case "asin": Asin(values); return true;
            case "acos": Acos(values); return true;
            case "atan": Atan(values); return true;
            case "sinh": Sinh(values); return true;
            case "cosh": Cosh(values); return true;
            case "tanh": Tanh(values); return true;
            case "asinh": Asinh(values); return true;
            case "acosh": Acosh(values); return true;
            case "atanh": Atanh(values); return true;
            case "deg": Deg(values); return true;
            case "rad": Rad(values); return true;
            case "sgn": Sgn(values); return true;
            case "round": Round(values, 1); return true;
            default: return false;
        }
    }

    /// <summary><c>abs</c>.</summary>
    public static void Abs(Span<double> values) => TensorPrimitives.Abs(values, values);

    /// <summary><c>ceil</c>; keeps −0 (ceil(−0.5) = −0) as Go does.</summary>
    public static void Ceil(Span<double> values) => TensorPrimitives.Ceiling(values, values);

    /// <summary><c>floor</c>.</summary>
    public static void Floor(Span<double> values) => TensorPrimitives.Floor(values, values);

    /// <summary><c>sqrt</c>; negative → NaN, −0 → −0.</summary>
    public static void Sqrt(Span<double> values) => TensorPrimitives.Sqrt(values, values);

    /// <summary><c>exp</c>.</summary>
    public static void Exp(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Exp(values[i]);
        }
    }

    /// <summary><c>ln</c>; 0 → −Inf, negative → NaN.</summary>
    public static void Ln(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Log(values[i]);
        }
    }

    /// <summary><c>log2</c> (Go's formula: exact on powers of two).</summary>
    public static void Log2(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = GoMath.Log2(values[i]);
        }
    }

    /// <summary><c>log10</c> (Go's formula: ln(x)·log10(e), not exact on every power of ten).</summary>
    public static void Log10(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = GoMath.Log10(values[i]);
        }
    }

    /// <summary><c>sin</c>.</summary>
    public static void Sin(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Sin(values[i]);
        }
    }

    /// <summary><c>cos</c>.</summary>
    public static void Cos(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Cos(values[i]);
        }
    }

    /// <summary><c>tan</c>.</summary>
    public static void Tan(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Tan(values[i]);
        }
    }

    /// <summary><c>asin</c>; |x| &gt; 1 → NaN.</summary>
    public static void Asin(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Asin(values[i]);
        }
    }

    /// <summary><c>acos</c>; |x| &gt; 1 → NaN.</summary>
    public static void Acos(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Acos(values[i]);
        }
    }

    /// <summary><c>atan</c>.</summary>
    public static void Atan(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Atan(values[i]);
        }
    }

    /// <summary><c>sinh</c>.</summary>
    public static void Sinh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Sinh(values[i]);
        }
    }

    /// <summary><c>cosh</c>.</summary>
    public static void Cosh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Cosh(values[i]);
        }
    }

    /// <summary><c>tanh</c>.</summary>
    public static void Tanh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Tanh(values[i]);
        }
    }

    /// <summary><c>asinh</c>.</summary>
    public static void Asinh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Asinh(values[i]);
        }
    }

    /// <summary><c>acosh</c>; x &lt; 1 → NaN.</summary>
    public static void Acosh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Acosh(values[i]);
        }
    }

    /// <summary><c>atanh</c>; ±1 → ±Inf, |x| &gt; 1 → NaN.</summary>
    public static void Atanh(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Atanh(values[i]);
        }
    }

    /// <summary><c>deg</c>: v·180/π, multiplied then divided as Prometheus does (not one multiplication by a folded constant).</summary>
    public static void Deg(Span<double> values)
    {
        TensorPrimitives.Multiply(values, 180.0, values);
        TensorPrimitives.Divide(values, Math.PI, values);
    }

    /// <summary><c>rad</c>: v·π/180, multiplied then divided.</summary>
    public static void Rad(Span<double> values)
    {
        TensorPrimitives.Multiply(values, Math.PI, values);
        TensorPrimitives.Divide(values, 180.0, values);
    }

    /// <summary><c>sgn</c>: −1, 1, or the value itself for ±0 and NaN (<see cref="Math.Sign(double)"/> would throw on NaN).</summary>
    public static void Sgn(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            values[i] = v < 0 ? -1 : v > 0 ? 1 : v;
        }
    }

    /// <summary>
    /// <c>round(v, toNearest)</c>: floor(v·(1/toNearest) + 0.5) / (1/toNearest), so ties go up
    /// (round(−2.5) = −2) and −0 becomes +0; unlike <see cref="Math.Round(double)"/>, which rounds
    /// ties to even. Prometheus divides by the inverse rather than multiplying by toNearest because
    /// it lands on the intended decimal more often (round(x, 0.1)).
    /// </summary>
    public static void Round(Span<double> values, double toNearest)
    {
        double inverse = 1.0 / toNearest;
        // Separate passes keep multiply and add unfused, as Go on amd64 computes them.
        TensorPrimitives.Multiply(values, inverse, values);
        TensorPrimitives.Add(values, 0.5, values);
        TensorPrimitives.Floor(values, values);
        TensorPrimitives.Divide(values, inverse, values);
    }

    /// <summary>
    /// <c>clamp(v, min, max)</c> as Go's Max(min, Min(max, v)). Returns false, leaving the values
    /// untouched, when <paramref name="max"/> &lt; <paramref name="min"/>: Prometheus then returns an
    /// empty vector. A NaN bound makes every result NaN.
    /// </summary>
    public static bool Clamp(Span<double> values, double min, double max)
    {
        if (max < min)
        {
            return false;
        }
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = GoMath.Max(min, GoMath.Min(max, values[i]));
        }
        return true;
    }

    /// <summary><c>clamp_min(v, min)</c>: clamp with max = +Inf.</summary>
    public static void ClampMin(Span<double> values, double min)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = GoMath.Max(min, GoMath.Min(double.PositiveInfinity, values[i]));
        }
    }

    /// <summary><c>clamp_max(v, max)</c>: clamp with min = −Inf.</summary>
    public static void ClampMax(Span<double> values, double max)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = GoMath.Max(double.NegativeInfinity, GoMath.Min(max, values[i]));
        }
    }
}
