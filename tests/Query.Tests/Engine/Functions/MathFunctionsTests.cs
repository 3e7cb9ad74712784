using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>
/// The element-wise functions: values from functions.test and trig_functions.test (within the
/// promqltest tolerance), Go's documented special cases (bit-exact, so −0 counts), and the
/// vectorised paths against a scalar reference.
/// </summary>
public class MathFunctionsTests
{
    private const double NegZero = -0.0;

    private static double Apply(string name, double x)
    {
        double[] v = [x];
        Assert.True(MathFunctions.Apply(name, v), name);
        return v[0];
    }

    [Theory]
    [InlineData("exp", 10, 22026.465794806718)]
    [InlineData("exp", 20, 485165195.4097903)]
    [InlineData("exp", -10, 4.5399929762484854e-05)]
    [InlineData("ln", 10, 2.302585092994046)]
    [InlineData("ln", 20, 2.995732273553991)]
    [InlineData("sqrt", 10, 3.1622776601683795)]
    [InlineData("sqrt", 20, 4.47213595499958)]
    [InlineData("log2", 10, 3.3219280948873626)]
    [InlineData("log2", 20, 4.321928094887363)]
    [InlineData("log10", 10, 1)]
    [InlineData("log10", 20, 1.301029995663981)]
    [InlineData("sin", 10, -0.5440211108893699)]
    [InlineData("sin", 20, 0.9129452507276277)]
    [InlineData("cos", 10, -0.8390715290764524)]
    [InlineData("cos", 20, 0.40808206181339196)]
    [InlineData("tan", 10, 0.6483608274590867)]
    [InlineData("tan", 20, 2.2371609442247427)]
    [InlineData("asin", 10 - 10.1, -0.10016742116155944)]
    [InlineData("asin", 20 - 10.1, double.NaN)]
    [InlineData("acos", 10 - 10.1, 1.670963747956456)]
    [InlineData("acos", 20 - 10.1, double.NaN)]
    [InlineData("atan", 10, 1.4711276743037345)]
    [InlineData("atan", 20, 1.5208379310729538)]
    [InlineData("sinh", 10, 11013.232920103324)]
    [InlineData("sinh", 20, 2.4258259770489514e+08)]
    [InlineData("cosh", 10, 11013.232920103324)]
    [InlineData("cosh", 20, 2.4258259770489514e+08)]
    [InlineData("tanh", 10, 0.9999999958776927)]
    [InlineData("tanh", 20, 1)]
    [InlineData("asinh", 10, 2.99822295029797)]
    [InlineData("asinh", 20, 3.6895038689889055)]
    [InlineData("acosh", 10, 2.993222846126381)]
    [InlineData("acosh", 20, 3.6882538673612966)]
    [InlineData("atanh", 10 - 10.1, -0.10033534773107522)]
    [InlineData("atanh", 20 - 10.1, double.NaN)]
    [InlineData("rad", 10, 0.17453292519943295)]
    [InlineData("rad", 20, 0.3490658503988659)]
    [InlineData("rad", -10, -0.17453292519943295)]
    [InlineData("deg", 10, 572.9577951308232)]
    [InlineData("deg", 20, 1145.9155902616465)]
    [InlineData("deg", -10, -572.9577951308232)]
    public void Conformance_values(string name, double x, double expected)
    {
        Approx.Equal(expected, Apply(name, x), $"{name}({x})");
    }

    [Theory]
    // functions.test abs/ceil/floor/round over 2.5 2 -2.5 -2 0 -0 Inf -Inf NaN, plus Go's signed zeros.
    [InlineData("abs", -2.5, 2.5)]
    [InlineData("abs", NegZero, 0.0)]
    [InlineData("abs", double.NegativeInfinity, double.PositiveInfinity)]
    [InlineData("abs", double.NaN, double.NaN)]
    [InlineData("ceil", 2.5, 3.0)]
    [InlineData("ceil", -2.5, -2.0)]
    [InlineData("ceil", -0.5, NegZero)]
    [InlineData("ceil", NegZero, NegZero)]
    [InlineData("ceil", double.NegativeInfinity, double.NegativeInfinity)]
    [InlineData("floor", 2.5, 2.0)]
    [InlineData("floor", -2.5, -3.0)]
    [InlineData("floor", NegZero, NegZero)]
    [InlineData("floor", double.NaN, double.NaN)]
    // round: ties up, and floor(−0 + 0.5) makes −0 into +0.
    [InlineData("round", 2.5, 3.0)]
    [InlineData("round", 2.0, 2.0)]
    [InlineData("round", -2.5, -2.0)]
    [InlineData("round", -2.0, -2.0)]
    [InlineData("round", NegZero, 0.0)]
    [InlineData("round", -0.4, 0.0)]
    [InlineData("round", -0.6, -1.0)]
    [InlineData("round", double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData("round", double.NegativeInfinity, double.NegativeInfinity)]
    [InlineData("round", double.NaN, double.NaN)]
    [InlineData("sqrt", NegZero, NegZero)]
    [InlineData("sqrt", -1, double.NaN)]
    [InlineData("sqrt", double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData("exp", 0, 1.0)]
    [InlineData("exp", double.NegativeInfinity, 0.0)]
    [InlineData("exp", 710, double.PositiveInfinity)]
    [InlineData("exp", -746, 0.0)]
    [InlineData("exp", double.NaN, double.NaN)]
    [InlineData("ln", 1, 0.0)]
    [InlineData("ln", 0, double.NegativeInfinity)]
    [InlineData("ln", NegZero, double.NegativeInfinity)]
    [InlineData("ln", -10, double.NaN)]
    [InlineData("ln", double.NegativeInfinity, double.NaN)]
    [InlineData("ln", double.PositiveInfinity, double.PositiveInfinity)]
    // log2: exact on powers of two, including the smallest subnormal.
    [InlineData("log2", 8, 3.0)]
    [InlineData("log2", 0.125, -3.0)]
    [InlineData("log2", 1, 0.0)]
    [InlineData("log2", double.Epsilon, -1074.0)]
    [InlineData("log2", 0, double.NegativeInfinity)]
    [InlineData("log2", NegZero, double.NegativeInfinity)]
    [InlineData("log2", -8, double.NaN)]
    [InlineData("log2", double.PositiveInfinity, double.PositiveInfinity)]
    // log10 is Go's ln(x)·log10(e): exact for 1000 and 1e14, but not for 1e15, 1e29 or 1e30.
    [InlineData("log10", 1000, 3.0)]
    [InlineData("log10", 1e14, 14.0)]
    [InlineData("log10", 1e15, 14.999999999999998)]
    [InlineData("log10", 1e16, 16.0)]
    [InlineData("log10", 1e29, 28.999999999999996)]
    [InlineData("log10", 1e30, 29.999999999999996)]
    [InlineData("log10", 0, double.NegativeInfinity)]
    [InlineData("log10", -10, double.NaN)]
    [InlineData("sin", NegZero, NegZero)]
    [InlineData("sin", double.PositiveInfinity, double.NaN)]
    [InlineData("cos", 0, 1.0)]
    [InlineData("cos", double.NegativeInfinity, double.NaN)]
    [InlineData("tan", NegZero, NegZero)]
    [InlineData("tan", double.PositiveInfinity, double.NaN)]
    [InlineData("asin", NegZero, NegZero)]
    [InlineData("asin", 1.5, double.NaN)]
    [InlineData("acos", 1, 0.0)]
    [InlineData("acos", -1.5, double.NaN)]
    [InlineData("atan", NegZero, NegZero)]
    [InlineData("atan", double.PositiveInfinity, Math.PI / 2)]
    [InlineData("atan", double.NegativeInfinity, -Math.PI / 2)]
    [InlineData("sinh", NegZero, NegZero)]
    [InlineData("sinh", double.NegativeInfinity, double.NegativeInfinity)]
    [InlineData("sinh", double.Epsilon, double.Epsilon)]
    [InlineData("cosh", NegZero, 1.0)]
    [InlineData("cosh", double.NegativeInfinity, double.PositiveInfinity)]
    [InlineData("tanh", 0, 0.0)]
    [InlineData("tanh", NegZero, NegZero)]
    [InlineData("tanh", double.PositiveInfinity, 1.0)]
    [InlineData("tanh", double.NegativeInfinity, -1.0)]
    [InlineData("asinh", NegZero, NegZero)]
    [InlineData("asinh", double.NegativeInfinity, double.NegativeInfinity)]
    [InlineData("acosh", 1, 0.0)]
    [InlineData("acosh", 0.5, double.NaN)]
    [InlineData("acosh", double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData("atanh", 1, double.PositiveInfinity)]
    [InlineData("atanh", -1, double.NegativeInfinity)]
    [InlineData("atanh", NegZero, NegZero)]
    [InlineData("atanh", 2, double.NaN)]
    [InlineData("deg", NegZero, NegZero)]
    [InlineData("deg", double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData("rad", NegZero, NegZero)]
    [InlineData("rad", double.NaN, double.NaN)]
    // functions.test sgn; ±0 and NaN come back as they are.
    [InlineData("sgn", double.NegativeInfinity, -1.0)]
    [InlineData("sgn", double.PositiveInfinity, 1.0)]
    [InlineData("sgn", double.NaN, double.NaN)]
    [InlineData("sgn", -50, -1.0)]
    [InlineData("sgn", 0, 0.0)]
    [InlineData("sgn", NegZero, NegZero)]
    [InlineData("sgn", 100, 1.0)]
    public void Special_cases(string name, double x, double expected)
    {
        Approx.Same(expected, Apply(name, x), $"{name}({x})");
    }

    [Theory]
    [InlineData(1.23456, 0.01, 1.23)]
    [InlineData(0.15, 0.1, 0.2)]
    [InlineData(5, 10, 10.0)]
    [InlineData(-5, 10, 0.0)]
    [InlineData(12345, 100, 12300.0)]
    [InlineData(7, 0.5, 7.0)]
    [InlineData(7.3, 0.5, 7.5)]
    public void Round_to_nearest(double x, double toNearest, double expected)
    {
        double[] v = [x];
        MathFunctions.Round(v, toNearest);
        Approx.Equal(expected, v[0], $"round({x}, {toNearest})");
    }

    [Fact]
    public void Clamp_conformance()
    {
        // functions.test over -50 0 100.
        double[] v = [-50, 0, 100];
        MathFunctions.ClampMax(v, 75);
        Assert.Equal([-50.0, 0, 75], v);
        v = [-50, 0, 100];
        MathFunctions.ClampMin(v, -25);
        Assert.Equal([-25.0, 0, 100], v);
        v = [-50, 0, 100];
        Assert.True(MathFunctions.Clamp(v, -25, 75));
        Assert.Equal([-25.0, 0, 75], v);
        v = [-50, 0, 100];
        Assert.True(MathFunctions.Clamp(v, 0, double.NaN));
        Assert.All(v, x => Assert.True(double.IsNaN(x)));
        v = [-50, 0, 100];
        Assert.True(MathFunctions.Clamp(v, double.NaN, 0));
        Assert.All(v, x => Assert.True(double.IsNaN(x)));
        // min > max: Prometheus returns nothing; the values are left alone.
        v = [-50, 0, 100];
        Assert.False(MathFunctions.Clamp(v, 5, -5));
        Assert.Equal([-50.0, 0, 100], v);
    }

    [Fact]
    public void Clamp_follows_Gos_min_and_max_on_infinities()
    {
        // Go's Min(−Inf, NaN) is −Inf and Max(+Inf, NaN) is +Inf; IEEE (and .NET) say NaN.
        double[] v = [double.NaN];
        MathFunctions.ClampMax(v, double.NegativeInfinity);
        Approx.Same(double.NegativeInfinity, v[0], "clamp_max(NaN, -Inf)");
        v = [double.NaN];
        MathFunctions.ClampMin(v, double.PositiveInfinity);
        Approx.Same(double.PositiveInfinity, v[0], "clamp_min(NaN, +Inf)");
        v = [double.NaN];
        MathFunctions.ClampMax(v, 5);
        Approx.Same(double.NaN, v[0], "clamp_max(NaN, 5)");
        v = [NegZero];
        MathFunctions.ClampMin(v, 0);
        Approx.Same(0.0, v[0], "clamp_min(-0, 0)");
        v = [0.0];
        MathFunctions.ClampMax(v, NegZero);
        Approx.Same(NegZero, v[0], "clamp_max(0, -0)");
    }

    [Theory]
    [InlineData(double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NaN)]
    [InlineData(double.PositiveInfinity, double.NaN, double.NaN, double.PositiveInfinity)]
    [InlineData(1.0, double.NaN, double.NaN, double.NaN)]
    // Both argument orders are checked below, so (-0, 0) is covered too.
    [InlineData(0.0, NegZero, NegZero, 0.0)]
    [InlineData(2.0, 3.0, 2.0, 3.0)]
    public void GoMath_min_max(double x, double y, double min, double max)
    {
        Approx.Same(min, GoMath.Min(x, y), $"Min({x}, {y})");
        Approx.Same(min, GoMath.Min(y, x), $"Min({y}, {x})");
        Approx.Same(max, GoMath.Max(x, y), $"Max({x}, {y})");
        Approx.Same(max, GoMath.Max(y, x), $"Max({y}, {x})");
    }

    [Theory]
    [InlineData(8.0, 0.5, 4)]
    [InlineData(-3.0, -0.75, 2)]
    [InlineData(1.0, 0.5, 1)]
    [InlineData(double.Epsilon, 0.5, -1073)]
    [InlineData(0.0, 0.0, 0)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, 0)]
    public void GoMath_frexp(double x, double frac, int exp)
    {
        Assert.Equal(frac, GoMath.Frexp(x, out int e));
        Assert.Equal(exp, e);
    }

    [Fact]
    public void Vectorised_paths_match_the_scalar_formulas()
    {
        // Lengths around the vector widths so both the SIMD body and the scalar tail run.
        var rnd = new Random(20240611);
        double[] specials = [0, -0.0, 0.5, -0.5, 2.5, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 1e300, -1e-300];
        for (int n = 0; n <= 40; n++)
        {
            var input = new double[n];
            for (int i = 0; i < n; i++)
            {
                input[i] = i % 5 == 0 ? specials[rnd.Next(specials.Length)] : (rnd.NextDouble() - 0.5) * Math.Pow(10, rnd.Next(-6, 12));
            }
            Check(input, v => MathFunctions.Abs(v), Math.Abs, "abs");
            Check(input, v => MathFunctions.Ceil(v), Math.Ceiling, "ceil");
            Check(input, v => MathFunctions.Floor(v), Math.Floor, "floor");
            Check(input, v => MathFunctions.Sqrt(v), Math.Sqrt, "sqrt");
            Check(input, v => MathFunctions.Deg(v), x => x * 180 / Math.PI, "deg");
            Check(input, v => MathFunctions.Rad(v), x => x * Math.PI / 180, "rad");
            foreach (double toNearest in new[] { 1, 0.1, 0.01, 7, 1e-9 })
            {
                double inverse = 1 / toNearest;
                Check(input, v => MathFunctions.Round(v, toNearest), x => Math.Floor(x * inverse + 0.5) / inverse, $"round {toNearest}");
            }
        }
    }

    private static void Check(double[] input, Action<double[]> kernel, Func<double, double> reference, string name)
    {
        double[] actual = (double[])input.Clone();
        kernel(actual);
        for (int i = 0; i < input.Length; i++)
        {
            Approx.Same(reference(input[i]), actual[i], $"{name}({input[i]:R}) at {i} of {input.Length}");
        }
    }

    [Fact]
    public void Apply_knows_the_unary_functions_only()
    {
        string[] known = ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan",
            "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "deg", "rad", "sgn", "round"];
        foreach (string name in known)
        {
            Assert.True(MathFunctions.IsElementwise(name), name);
            Assert.True(MathFunctions.Apply(name, new double[3]), name);
        }
        foreach (string name in new[] { "clamp", "clamp_min", "clamp_max", "year", "rate", "", "ABS" })
        {
            Assert.False(MathFunctions.IsElementwise(name), name);
            Assert.False(MathFunctions.Apply(name, new double[1]), name);
        }
    }
}
