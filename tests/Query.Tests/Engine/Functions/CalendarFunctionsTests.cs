using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>year() … minute() on sample values read as Unix seconds, UTC.</summary>
public class CalendarFunctionsTests
{
    private static double Apply(string name, double seconds)
    {
        double[] v = [seconds];
        Assert.True(CalendarFunctions.Apply(name, v), name);
        return v[0];
    }

    [Theory]
    // functions.test: the epoch (a Thursday) and 2006-01-02T22:04:05Z (a Monday).
    [InlineData("year", 0, 1970)]
    [InlineData("month", 0, 1)]
    [InlineData("day_of_month", 0, 1)]
    [InlineData("day_of_year", 0, 1)]
    [InlineData("day_of_week", 0, 4)]
    [InlineData("hour", 0, 0)]
    [InlineData("minute", 0, 0)]
    [InlineData("year", 1136239445, 2006)]
    [InlineData("month", 1136239445, 1)]
    [InlineData("day_of_month", 1136239445, 2)]
    [InlineData("day_of_year", 1136239445, 2)]
    [InlineData("day_of_week", 1136239445, 1)]
    [InlineData("hour", 1136239445, 22)]
    [InlineData("minute", 1136239445, 4)]
    // functions.test: around the 2008 leap second (ignored, as in Unix time), 29 Feb 2016, day 366/365, February lengths.
    [InlineData("year", 1230767999, 2008)]
    [InlineData("year", 1230768000, 2009)]
    [InlineData("month", 1456790399, 2)]
    [InlineData("day_of_month", 1456790399, 29)]
    [InlineData("month", 1456790400, 3)]
    [InlineData("day_of_month", 1456790400, 1)]
    [InlineData("day_of_year", 1483191420, 366)]
    [InlineData("day_of_year", 1672493820, 365)]
    [InlineData("days_in_month", 1454284800, 29)]
    [InlineData("days_in_month", 1485907200, 28)]
    // Century rules: 1900 is not a leap year, 2000 and 1600 are.
    [InlineData("days_in_month", -2206310400, 28)]
    [InlineData("day_of_week", -2206310400, 4)]
    [InlineData("days_in_month", 949363200, 29)]
    [InlineData("days_in_month", -11672208000, 29)]
    [InlineData("day_of_month", -11672208000, 15)]
    [InlineData("days_in_month", 1454284800 + 86400 * 60, 30)] // 1 April 2016
    // Before the epoch: -1 is 1969-12-31T23:59:59, a Wednesday. Fractions truncate toward zero.
    [InlineData("year", -1, 1969)]
    [InlineData("month", -1, 12)]
    [InlineData("day_of_month", -1, 31)]
    [InlineData("day_of_year", -1, 365)]
    [InlineData("day_of_week", -1, 3)]
    [InlineData("hour", -1, 23)]
    [InlineData("minute", -1, 59)]
    [InlineData("year", -0.5, 1970)]
    [InlineData("minute", -1.5, 59)]
    [InlineData("minute", 59.9, 0)]
    // Outside DateTime's range, where Go's time still works: year 1, year 0 (1 BC, leap), year 10000.
    [InlineData("year", -62135596800, 1)]
    [InlineData("day_of_week", -62135596800, 1)]
    [InlineData("year", -62135596801, 0)]
    [InlineData("day_of_year", -62135596801, 366)]
    [InlineData("day_of_week", -62135596801, 0)]
    [InlineData("year", 253402300800, 10000)]
    [InlineData("day_of_week", 253402300800, 6)]
    [InlineData("year", 1e15, 31690708)] // by 400-year cycles: 31690708-07-05
    [InlineData("month", 1e15, 7)]
    // Not a time: NaN (Go's int64() of these is platform-defined garbage).
    [InlineData("year", double.NaN, double.NaN)]
    [InlineData("hour", double.PositiveInfinity, double.NaN)]
    [InlineData("month", double.NegativeInfinity, double.NaN)]
    [InlineData("day_of_week", 1e19, double.NaN)]
    [InlineData("minute", -9.3e18, double.NaN)]
    public void Fields(string name, double seconds, double expected)
    {
        Approx.Same(expected, Apply(name, seconds), $"{name}({seconds:R})");
    }

    [Fact]
    public void Matches_DateTime_on_random_instants()
    {
        var rnd = new Random(7);
        long min = DateTimeOffset.MinValue.ToUnixTimeSeconds(), max = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        var seconds = new double[2000];
        for (int i = 0; i < seconds.Length; i++)
        {
            seconds[i] = rnd.NextInt64(min, max);
        }
        string[] names = ["year", "month", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute"];
        foreach (string name in names)
        {
            double[] v = (double[])seconds.Clone();
            Assert.True(CalendarFunctions.Apply(name, v));
            for (int i = 0; i < v.Length; i++)
            {
                var t = DateTimeOffset.FromUnixTimeSeconds((long)seconds[i]).UtcDateTime;
                double expected = name switch
                {
                    "year" => t.Year,
                    "month" => t.Month,
                    "day_of_month" => t.Day,
                    "day_of_week" => (int)t.DayOfWeek,
                    "day_of_year" => t.DayOfYear,
                    "days_in_month" => DateTime.DaysInMonth(t.Year, t.Month),
                    "hour" => t.Hour,
                    _ => t.Minute,
                };
                Assert.True(expected == v[i], $"{name}({seconds[i]:R}): expected {expected}, got {v[i]}");
            }
        }
    }

    [Fact]
    public void Unknown_names_are_refused()
    {
        Assert.False(CalendarFunctions.Apply("week", new double[1]));
        Assert.False(CalendarFunctions.Apply("abs", new double[1]));
    }
}
