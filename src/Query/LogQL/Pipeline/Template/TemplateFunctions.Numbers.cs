using System.Globalization;

namespace Strata.Query.LogQL.Pipeline;

internal static partial class TemplateFunctions
{
    // sprig's toInt64 (spf13/cast): strings go through ParseInt(s, 0, 64) after trimming ".000",
    // floats truncate, and anything unconvertible is 0.
    private static long ToInt64(TemplateExecutor ex, TemplateValue v)
    {
        switch (v.Kind)
        {
            case ValueKind.Int or ValueKind.Bool: return v.I;
            case ValueKind.Float: return double.IsNaN(v.F) ? long.MinValue : (long)Math.Clamp(v.F, long.MinValue, long.MaxValue);
            case ValueKind.String or ValueKind.Utf8:
                string s = TrimZeroDecimal(ex.Str(v));
                return GoStrconv.TryParseIntBase0(s, out long r) ? r : 0;
            default: return 0;
        }
    }

    private static string TrimZeroDecimal(string s)
    {
        bool foundZero = false;
        for (int i = s.Length; i > 0; i--)
        {
            switch (s[i - 1])
            {
                case '.':
                    if (foundZero) return s[..(i - 1)];
                    break;
                case '0':
                    foundZero = true;
                    break;
                default:
                    return s;
            }
        }
        return s;
    }

    private static double ToFloat64(TemplateExecutor ex, TemplateValue v) => v.Kind switch
    {
        ValueKind.Float => v.F,
        ValueKind.Int or ValueKind.Bool => v.I,
        ValueKind.String or ValueKind.Utf8 => GoStrconv.TryParseFloat(ex.Str(v), out double f, out _) ? f : 0,
        _ => 0,
    };

    private static TemplateValue Add_(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        long sum = 0;
        foreach (var v in a) sum = unchecked(sum + ToInt64(ex, v));
        return TemplateValue.Of(sum);
    }

    private static TemplateValue Mul(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        long p = ToInt64(ex, a[0]);
        for (int i = 1; i < a.Length; i++) p = unchecked(p * ToInt64(ex, a[i]));
        return TemplateValue.Of(p);
    }

    private static TemplateValue IntDiv(TemplateExecutor ex, string name, ReadOnlySpan<TemplateValue> a, bool modulo)
    {
        long x = ToInt64(ex, a[0]), y = ToInt64(ex, a[1]);
        if (y == 0) return ex.CallError(name, "runtime error: integer divide by zero");
        if (y == -1) return TemplateValue.Of(modulo ? 0 : unchecked(-x));
        return TemplateValue.Of(modulo ? x % y : x / y);
    }

    private static TemplateValue MinMax(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a, bool max)
    {
        long r = ToInt64(ex, a[0]);
        for (int i = 1; i < a.Length; i++)
        {
            long v = ToInt64(ex, a[i]);
            if (max ? v > r : v < r) r = v;
        }
        return TemplateValue.Of(r);
    }

    private static TemplateValue MinMaxF(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a, bool max)
    {
        double r = ToFloat64(ex, a[0]);
        for (int i = 1; i < a.Length; i++)
        {
            double v = ToFloat64(ex, a[i]);
            r = max ? Math.Max(r, v) : Math.Min(r, v);
        }
        return TemplateValue.Of(r);
    }

    // sprig's decimal arithmetic (shopspring/decimal from each float's shortest text); huge values
    // that do not fit System.Decimal fall back to double arithmetic.
    private static TemplateValue DecimalOp(TemplateExecutor ex, string name, TemplateValue first, ReadOnlySpan<TemplateValue> rest, char op)
    {
        double acc = ToFloat64(ex, first);
        bool exact = TryDecimal(acc, out decimal dacc);
        foreach (var v in rest)
        {
            double x = ToFloat64(ex, v);
            if (op == '/' && x == 0) return ex.CallError(name, "decimal division by 0");
            if (exact && TryDecimal(x, out decimal dx))
            {
                try
                {
                    dacc = op switch
                    {
                        '+' => dacc + dx,
                        '-' => dacc - dx,
                        '*' => dacc * dx,
                        _ => dacc / dx,
                    };
                    acc = (double)dacc;
                    continue;
                }
                catch (OverflowException)
                {
                    exact = false;
                }
            }
            exact = false;
            acc = op switch
            {
                '+' => acc + x,
                '-' => acc - x,
                '*' => acc * x,
                _ => acc / x,
            };
        }
        return TemplateValue.Of(exact ? (double)dacc : acc);
    }

    private static bool TryDecimal(double f, out decimal d)
    {
        d = 0;
        if (double.IsNaN(f) || double.IsInfinity(f) || Math.Abs(f) > 7.9e27) return false;
        return decimal.TryParse(f.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    // sprig's round(a, places, roundOn = .5).
    private static TemplateValue Round(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        double roundOn = a.Length > 2 ? a[2].F : .5;
        double val = ToFloat64(ex, a[0]);
        double pow = Math.Pow(10, a[1].I);
        double digit = pow * val;
        double frac = digit - Math.Truncate(digit);
        double r = frac >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit);
        return TemplateValue.Of(r / pow);
    }

    private static TemplateValue Default(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        if (a.Length < 2 || IsEmpty(ex, a[1])) return a[0];
        return a[1];
    }

    // sprig's empty().
    private static bool IsEmpty(TemplateExecutor ex, TemplateValue v) => v.Kind switch
    {
        ValueKind.Nil => true,
        ValueKind.String => v.StringRef!.Length == 0,
        ValueKind.Utf8 => v.N == 0,
        ValueKind.Int or ValueKind.Bool => v.I == 0,
        ValueKind.Float => v.F == 0,
        ValueKind.Map => ex.LabelCount == 0,
        _ => false,
    };

    private static TemplateValue ConvertBytes(TemplateExecutor ex, string name, TemplateValue v)
    {
        if (!GoBytes.TryParse(ex.Str(v), out ulong b, out string? err)) return ex.CallError(name, err!);
        return TemplateValue.Of((double)b);
    }

    private static TemplateValue ConvertDuration(TemplateExecutor ex, string name, TemplateValue v)
    {
        if (!GoDuration.TryParse(ex.Str(v), out long ns, out string? err)) return ex.CallError(name, err!);
        return TemplateValue.Of(GoDuration.Seconds(ns));
    }

    // ---- time ----

    private static long Millis(TemplateValue t) => unchecked(t.I * 1000 + t.N / 1_000_000);

    private static TemplateValue ToDateInZone(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        var zone = GoTime.LoadZone(ex.Str(a[1]), out _);
        return GoTime.TryParse(ex.Str(a[0]), ex.Str(a[2]), zone, out var t) ? t : GoTime.Zero;
    }

    // Loki's unixToTime: the digit count tells the unit (days, s, ms, µs, ns).
    private static TemplateValue UnixToTime(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        string s = ex.Str(a[0]);
        bool ok = long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long i);
        if (!ok) return ex.CallError("unixToTime", $"unable to parse time '{s}': strconv.ParseInt: parsing {GoStrconv.Quote(s)}: invalid syntax");
        return s.Length switch
        {
            5 => TemplateValue.Time(i * 86400, 0, null),
            10 => TemplateValue.Time(i, 0, null),
            13 => GoTime.FromUnixNanos(i * 1_000_000),
            16 => GoTime.FromUnixNanos(i * 1000),
            19 => GoTime.FromUnixNanos(i),
            _ => ex.CallError("unixToTime", $"unable to parse time '{s}': %!w(<nil>)"),
        };
    }

    // sprig's date(fmt, date): formats time.Time or Unix seconds in the local zone (UTC); any other
    // argument formats the current time, as sprig does.
    private static TemplateValue Date(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        var d = a[1];
        TemplateValue t = d.Kind switch
        {
            ValueKind.Time => TemplateValue.Time(d.I, d.N, null),
            ValueKind.Int => TemplateValue.Time(d.I, 0, null),
            _ => GoTime.Now(),
        };
        return TemplateValue.Of(GoTime.Format(t, ex.Str(a[0])));
    }
}
