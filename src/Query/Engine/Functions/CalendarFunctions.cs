namespace Strata.Query.Engine.Functions;

/// <summary>
/// PromQL's calendar functions (year, month, day_of_month, day_of_week, day_of_year,
/// days_in_month, hour, minute): each sample VALUE is read as Unix seconds and replaced, in place,
/// by a field of that instant in UTC on the proleptic Gregorian calendar.
/// </summary>
/// <remarks>
/// Like Prometheus, the value is truncated toward zero to whole seconds first (−0.5 is 1970-01-01,
/// −1.5 is 1969-12-31T23:59:59). The no-argument forms use the evaluation time: the caller passes
/// <c>evalMs / 1000</c> (integer division, also toward zero). NaN, ±Inf and values outside the
/// 64-bit seconds range give NaN; Prometheus converts them with Go's int64(), whose result is
/// platform-defined (a date near year −292 billion on amd64), so there is nothing to match there.
/// The civil-date arithmetic is done on day numbers rather than through <see cref="DateTime"/>,
/// which stops at year 9999 where Go's time does not.
/// </remarks>
internal static class CalendarFunctions
{
    /// <summary>Which calendar field <see cref="Map"/> extracts.</summary>
    private enum Field : byte
    {
        Year,
        Month,
        DayOfMonth,
        DayOfWeek,
        DayOfYear,
        DaysInMonth,
        Hour,
        Minute,
    }

    private const long SecondsPerDay = 86_400;

    // 2^63 as a double: every double strictly below it in magnitude truncates into a long.
    private const double Int64Limit = 9_223_372_036_854_775_808.0;

    /// <summary>Applies the calendar function <paramref name="name"/> (PromQL spelling); false for an unknown name.</summary>
    public static bool Apply(string name, Span<double> values)
    {
        switch (name)
        {
            case "year": Year(values); return true;
            case "month": Month(values); return true;
            case "day_of_month": DayOfMonth(values); return true;
            case "day_of_week": DayOfWeek(values); return true;
            case "day_of_year": DayOfYear(values); return true;
            case "days_in_month": DaysInMonth(values); return true;
            case "hour": Hour(values); return true;
            case "minute": Minute(values); return true;
            default: return false;
        }
    }

    /// <summary><c>year</c>: astronomical year (1 BC is 0), as Go's Time.Year.</summary>
    public static void Year(Span<double> values) => Map(values, Field.Year);

    /// <summary><c>month</c>: 1 (January) to 12.</summary>
    public static void Month(Span<double> values) => Map(values, Field.Month);

    /// <summary><c>day_of_month</c>: 1 to 31.</summary>
    public static void DayOfMonth(Span<double> values) => Map(values, Field.DayOfMonth);

    /// <summary><c>day_of_week</c>: 0 (Sunday) to 6.</summary>
    public static void DayOfWeek(Span<double> values) => Map(values, Field.DayOfWeek);

    /// <summary><c>day_of_year</c>: 1 to 365, 366 in leap years.</summary>
    public static void DayOfYear(Span<double> values) => Map(values, Field.DayOfYear);

    /// <summary><c>days_in_month</c>: 28 to 31.</summary>
    public static void DaysInMonth(Span<double> values) => Map(values, Field.DaysInMonth);

    /// <summary><c>hour</c>: 0 to 23.</summary>
    public static void Hour(Span<double> values) => Map(values, Field.Hour);

    /// <summary><c>minute</c>: 0 to 59.</summary>
    public static void Minute(Span<double> values) => Map(values, Field.Minute);

    private static void Map(Span<double> values, Field field)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            // The negated test also catches NaN.
            if (!(Math.Abs(v) < Int64Limit))
            {
                values[i] = double.NaN;
                continue;
            }
            values[i] = Compute((long)v, field);
        }
    }

    private static double Compute(long unixSeconds, Field field)
    {
        long days = Math.DivRem(unixSeconds, SecondsPerDay, out long secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += SecondsPerDay;
            days--;
        }
        switch (field)
        {
            case Field.Hour:
                return secondOfDay / 3600;
            case Field.Minute:
                return secondOfDay % 3600 / 60;
            case Field.DayOfWeek:
                // 1970-01-01 was a Thursday (4).
                long dow = (days + 4) % 7;
                return dow < 0 ? dow + 7 : dow;
        }

        CivilFromDays(days, out long year, out int month, out int day);
        return field switch
        {
            Field.Year => year,
            Field.Month => month,
            Field.DayOfMonth => day,
            Field.DaysInMonth => DaysIn(year, month),
            Field.DayOfYear => DaysBeforeMonth(month) + (month > 2 && IsLeap(year) ? 1 : 0) + day,
            _ => double.NaN,
        };
    }

    /// <summary>
    /// Converts days since 1970-01-01 to a Gregorian date by counting in 400-year eras of 146 097
    /// days, with years starting on 1 March so the leap day is the last day of the year
    /// (Howard Hinnant's civil_from_days). Exact for any day count a long second count produces.
    /// </summary>
    private static void CivilFromDays(long days, out long year, out int month, out int day)
    {
        long z = days + 719_468; // days from 0000-03-01 to 1970-01-01
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long dayOfEra = z - era * 146_097;                                                         // [0, 146096]
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365; // [0, 399]
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);          // [0, 365], from 1 March
        long monthIndex = (5 * dayOfYear + 2) / 153;                                             // [0, 11], 0 = March
        day = (int)(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    }

    private static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    private static int DaysIn(long year, int month) => month switch
    {
        2 => IsLeap(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    // Days in the months before `month` in a common year.
    private static int DaysBeforeMonth(int month) => month switch
    {
        1 => 0,
        2 => 31,
        3 => 59,
        4 => 90,
        5 => 120,
        6 => 151,
        7 => 181,
        8 => 212,
        9 => 243,
        10 => 273,
        11 => 304,
        _ => 334,
    };
}
