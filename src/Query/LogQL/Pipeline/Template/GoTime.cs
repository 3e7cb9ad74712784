using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Go's <c>time.Time</c> as far as LogQL templates use it: layout-based formatting and parsing with
/// Go's reference time (<c>2006-01-02 15:04:05.999999999 -0700 MST</c>), <c>Time.String()</c>, and time
/// zones via <see cref="TimeZoneInfo"/>. Dates use proleptic Gregorian day arithmetic, not
/// <see cref="DateTime"/>, because Go's zero time (year 1) and parsed year-0 dates must work.
/// Loki servers run in UTC, so "Local" in sprig's <c>date</c>/<c>toDate</c> is UTC here.
/// </summary>
internal static class GoTime
{
    /// <summary>Unix seconds of Go's zero time, 0001-01-01 00:00:00 UTC.</summary>
    public const long ZeroUnix = -62135596800;

    public static TemplateValue Zero => TemplateValue.Time(ZeroUnix, 0, null);

    public static TemplateValue FromUnixNanos(long ns)
    {
        long sec = Math.DivRem(ns, 1_000_000_000, out long rem);
        if (rem < 0)
        {
            sec--;
            rem += 1_000_000_000;
        }
        return TemplateValue.Time(sec, (int)rem, null);
    }

    public static TemplateValue Now()
    {
        long ticks = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        return FromUnixNanos(ticks * 100);
    }

    private static readonly string[] LongMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    // Howard Hinnant's days_from_civil / civil_from_days (valid for any year, including 0 and negatives).
    public static long DaysFromCivil(long y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int)(doy - (153 * mp + 2) / 5 + 1);
        int m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (y + (m <= 2 ? 1 : 0), m, d);
    }

    private static bool IsLeap(long y) => y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

    private static int DaysIn(int month, long year) => month switch
    {
        2 => IsLeap(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Offset (seconds east of UTC) and abbreviation of <paramref name="zone"/> at an instant.</summary>
    public static (int Offset, string Name) ZoneAt(TimeZoneInfo? zone, long unix)
    {
        if (zone == null) return (0, "UTC");
        TimeSpan off;
        bool dst = false;
        if (unix is > -62135596800 and < 253402300799)
        {
            var dto = DateTimeOffset.FromUnixTimeSeconds(unix);
            off = zone.GetUtcOffset(dto);
            dst = zone.IsDaylightSavingTime(dto);
        }
        else off = zone.BaseUtcOffset;
        string name = dst ? zone.DaylightName : zone.StandardName;
        if (name.Length is < 3 or > 6 || name.AsSpan().ContainsAny(' ', ':')) name = "";
        if (zone.Id is "UTC" or "Etc/UTC") name = "UTC";
        return ((int)off.TotalSeconds, name);
    }

    private readonly record struct Parts(long Year, int Month, int Day, int Hour, int Minute, int Second, int Nanos, int Weekday, int YearDay, int Offset, string ZoneName);

    private static Parts Split(TemplateValue t)
    {
        var (offset, name) = ZoneAt(t.Zone, t.I);
        long local = t.I + offset;
        long days = Math.DivRem(local, 86400, out long sod);
        if (sod < 0)
        {
            sod += 86400;
            days--;
        }
        var (y, m, d) = CivilFromDays(days);
        int weekday = (int)(((days + 4) % 7 + 7) % 7);
        int yday = (int)(days - DaysFromCivil(y, 1, 1)) + 1;
        return new Parts(y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), t.N, weekday, yday, offset, name);
    }

    /// <summary>Go's <c>Time.String()</c>: <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public static string ToGoString(TemplateValue t) => Format(t, "2006-01-02 15:04:05.999999999 -0700 MST");

    // ---- layout chunks (Go's nextStdChunk) ----

    private enum Std
    {
        None, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay, UnderYearDay, ZeroYearDay,
        Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond, LongYear, Year, PM, pm, TZ,
        ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ, ISO8601ColonSecondsTZ,
        NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ, FracSecond0, FracSecond9,
    }

    private static bool StartsLower(string s, int i) => i < s.Length && s[i] is >= 'a' and <= 'z';

    private static bool At(string s, int i, string what) => i + what.Length <= s.Length && string.CompareOrdinal(s, i, what, 0, what.Length) == 0;

    /// <summary>Finds the next layout element: returns the literal prefix length, the element, its length and (fractions) digit count and separator.</summary>
    private static (int Prefix, Std Std, int Length, int Digits, char Sep) NextChunk(string l, int from)
    {
        for (int i = from; i < l.Length; i++)
        {
            char c = l[i];
            switch (c)
            {
                case 'J':
                    if (At(l, i, "January")) return (i, Std.LongMonth, 7, 0, '\0');
                    if (At(l, i, "Jan") && !StartsLower(l, i + 3)) return (i, Std.Month, 3, 0, '\0');
                    break;
                case 'M':
                    if (At(l, i, "Monday")) return (i, Std.LongWeekDay, 6, 0, '\0');
                    if (At(l, i, "Mon") && !StartsLower(l, i + 3)) return (i, Std.WeekDay, 3, 0, '\0');
                    if (At(l, i, "MST")) return (i, Std.TZ, 3, 0, '\0');
                    break;
                case '0':
                    if (i + 1 < l.Length && l[i + 1] is >= '1' and <= '6')
                    {
                        var std = l[i + 1] switch
                        {
                            '1' => Std.ZeroMonth,
                            '2' => Std.ZeroDay,
                            '3' => Std.ZeroHour12,
                            '4' => Std.ZeroMinute,
                            '5' => Std.ZeroSecond,
                            _ => Std.Year,
                        };
                        return (i, std, 2, 0, '\0');
                    }
                    if (At(l, i, "002")) return (i, Std.ZeroYearDay, 3, 0, '\0');
                    break;
                case '1':
                    if (At(l, i, "15")) return (i, Std.Hour, 2, 0, '\0');
                    return (i, Std.NumMonth, 1, 0, '\0');
                case '2':
                    if (At(l, i, "2006")) return (i, Std.LongYear, 4, 0, '\0');
                    return (i, Std.Day, 1, 0, '\0');
                case '_':
                    if (i + 1 < l.Length && l[i + 1] == '2')
                    {
                        if (At(l, i + 1, "2006")) return (i + 1, Std.LongYear, 4, 0, '\0');
                        return (i, Std.UnderDay, 2, 0, '\0');
                    }
                    if (At(l, i, "__2")) return (i, Std.UnderYearDay, 3, 0, '\0');
                    break;
                case '3': return (i, Std.Hour12, 1, 0, '\0');
                case '4': return (i, Std.Minute, 1, 0, '\0');
                case '5': return (i, Std.Second, 1, 0, '\0');
                case 'P':
                    if (At(l, i, "PM")) return (i, Std.PM, 2, 0, '\0');
                    break;
                case 'p':
                    if (At(l, i, "pm")) return (i, Std.pm, 2, 0, '\0');
                    break;
                case '-':
                    if (At(l, i, "-070000")) return (i, Std.NumSecondsTz, 7, 0, '\0');
                    if (At(l, i, "-07:00:00")) return (i, Std.NumColonSecondsTZ, 9, 0, '\0');
                    if (At(l, i, "-0700")) return (i, Std.NumTZ, 5, 0, '\0');
                    if (At(l, i, "-07:00")) return (i, Std.NumColonTZ, 6, 0, '\0');
                    if (At(l, i, "-07")) return (i, Std.NumShortTZ, 3, 0, '\0');
                    break;
                case 'Z':
                    if (At(l, i, "Z070000")) return (i, Std.ISO8601SecondsTZ, 7, 0, '\0');
                    if (At(l, i, "Z07:00:00")) return (i, Std.ISO8601ColonSecondsTZ, 9, 0, '\0');
                    if (At(l, i, "Z0700")) return (i, Std.ISO8601TZ, 5, 0, '\0');
                    if (At(l, i, "Z07:00")) return (i, Std.ISO8601ColonTZ, 6, 0, '\0');
                    if (At(l, i, "Z07")) return (i, Std.ISO8601ShortTZ, 3, 0, '\0');
                    break;
                case '.' or ',':
                    if (i + 1 < l.Length && l[i + 1] is '0' or '9')
                    {
                        char ch = l[i + 1];
                        int j = i + 1;
                        while (j < l.Length && l[j] == ch) j++;
                        if (!(j < l.Length && char.IsAsciiDigit(l[j])))
                            return (i, ch == '0' ? Std.FracSecond0 : Std.FracSecond9, j - i, j - (i + 1), c);
                    }
                    break;
            }
        }
        return (l.Length, Std.None, 0, 0, '\0');
    }

    /// <summary>Go's <c>Time.Format(layout)</c>.</summary>
    public static string Format(TemplateValue t, string layout)
    {
        var p = Split(t);
        var sb = new StringBuilder(layout.Length + 10);
        int pos = 0;
        while (pos < layout.Length)
        {
            var (prefix, std, len, digits, sep) = NextChunk(layout, pos);
            sb.Append(layout, pos, prefix - pos);
            if (std == Std.None) break;
            pos = prefix + len;
            switch (std)
            {
                case Std.Year: Pad(sb, Mod(p.Year, 100), 2); break;
                case Std.LongYear: Pad(sb, p.Year, 4); break;
                case Std.Month: sb.Append(LongMonths[p.Month - 1], 0, 3); break;
                case Std.LongMonth: sb.Append(LongMonths[p.Month - 1]); break;
                case Std.NumMonth: sb.Append(p.Month); break;
                case Std.ZeroMonth: Pad(sb, p.Month, 2); break;
                case Std.WeekDay: sb.Append(LongDays[p.Weekday], 0, 3); break;
                case Std.LongWeekDay: sb.Append(LongDays[p.Weekday]); break;
                case Std.Day: sb.Append(p.Day); break;
                case Std.UnderDay:
                    if (p.Day < 10) sb.Append(' ');
                    sb.Append(p.Day);
                    break;
                case Std.ZeroDay: Pad(sb, p.Day, 2); break;
                case Std.UnderYearDay:
                    if (p.YearDay < 100) sb.Append(' ');
                    if (p.YearDay < 10) sb.Append(' ');
                    sb.Append(p.YearDay);
                    break;
                case Std.ZeroYearDay: Pad(sb, p.YearDay, 3); break;
                case Std.Hour: Pad(sb, p.Hour, 2); break;
                case Std.Hour12: sb.Append(p.Hour % 12 == 0 ? 12 : p.Hour % 12); break;
                case Std.ZeroHour12: Pad(sb, p.Hour % 12 == 0 ? 12 : p.Hour % 12, 2); break;
                case Std.Minute: sb.Append(p.Minute); break;
                case Std.ZeroMinute: Pad(sb, p.Minute, 2); break;
                case Std.Second: sb.Append(p.Second); break;
                case Std.ZeroSecond: Pad(sb, p.Second, 2); break;
                case Std.PM: sb.Append(p.Hour >= 12 ? "PM" : "AM"); break;
                case Std.pm: sb.Append(p.Hour >= 12 ? "pm" : "am"); break;
                case Std.TZ:
                    if (p.ZoneName.Length > 0) sb.Append(p.ZoneName);
                    else AppendOffset(sb, p.Offset, colon: false, seconds: false, shortForm: p.Offset % 3600 == 0);
                    break;
                case Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ
                    when p.Offset == 0:
                    sb.Append('Z');
                    break;
                case Std.ISO8601TZ or Std.NumTZ: AppendOffset(sb, p.Offset, false, false, false); break;
                case Std.ISO8601ColonTZ or Std.NumColonTZ: AppendOffset(sb, p.Offset, true, false, false); break;
                case Std.ISO8601SecondsTZ or Std.NumSecondsTz: AppendOffset(sb, p.Offset, false, true, false); break;
                case Std.ISO8601ColonSecondsTZ or Std.NumColonSecondsTZ: AppendOffset(sb, p.Offset, true, true, false); break;
                case Std.ISO8601ShortTZ or Std.NumShortTZ: AppendOffset(sb, p.Offset, false, false, true); break;
                case Std.FracSecond0:
                    sb.Append(sep);
                    sb.Append(p.Nanos.ToString("D9", CultureInfo.InvariantCulture), 0, digits);
                    break;
                case Std.FracSecond9:
                    string frac = p.Nanos.ToString("D9", CultureInfo.InvariantCulture)[..digits].TrimEnd('0');
                    if (frac.Length > 0) sb.Append(sep).Append(frac);
                    break;
            }
        }
        return sb.ToString();
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;

    private static void Pad(StringBuilder sb, long v, int width)
    {
        if (v < 0)
        {
            sb.Append('-');
            v = -v;
        }
        string s = v.ToString(CultureInfo.InvariantCulture);
        for (int i = s.Length; i < width; i++) sb.Append('0');
        sb.Append(s);
    }

    private static void AppendOffset(StringBuilder sb, int offset, bool colon, bool seconds, bool shortForm)
    {
        int zone = offset / 60;
        int absOffset = offset;
        if (zone < 0)
        {
            sb.Append('-');
            zone = -zone;
            absOffset = -absOffset;
        }
        else sb.Append('+');
        Pad(sb, zone / 60, 2);
        if (shortForm) return;
        if (colon) sb.Append(':');
        Pad(sb, zone % 60, 2);
        if (seconds)
        {
            if (colon) sb.Append(':');
            Pad(sb, absOffset % 60, 2);
        }
    }

    // ---- parsing ----

    /// <summary>
    /// Go's <c>time.ParseInLocation(layout, value, zone)</c> for the layout elements above. Returns false
    /// on any mismatch (callers then use the zero time, as sprig's <c>toDate</c> does).
    /// </summary>
    public static bool TryParse(string layout, string value, TimeZoneInfo? zone, out TemplateValue result)
    {
        result = Zero;
        long year = 0;
        int month = -1, day = -1, hour = 0, minute = 0, second = 0, nanos = 0;
        bool pm = false, am = false, utc = false;
        int zoneOffset = int.MinValue;
        int pos = 0, v = 0;
        while (true)
        {
            var (prefix, std, len, digits, _) = NextChunk(layout, pos);
            if (!Skip(layout.AsSpan(pos, prefix - pos), value, ref v)) return false;
            if (std == Std.None)
            {
                if (v != value.Length) return false;
                break;
            }
            pos = prefix + len;
            int n;
            switch (std)
            {
                case Std.Year:
                    if (!Digits(value, ref v, 2, 2, out n)) return false;
                    year = n >= 69 ? 1900 + n : 2000 + n;
                    break;
                case Std.LongYear:
                    if (!Digits(value, ref v, 4, 4, out n)) return false;
                    year = n;
                    break;
                case Std.Month or Std.LongMonth:
                    if (!Lookup(LongMonths, std == Std.Month, value, ref v, out n)) return false;
                    month = n + 1;
                    break;
                case Std.NumMonth or Std.ZeroMonth:
                    if (!Digits(value, ref v, std == Std.ZeroMonth ? 2 : 1, 2, out month) || month is < 1 or > 12) return false;
                    break;
                case Std.WeekDay or Std.LongWeekDay:
                    if (!Lookup(LongDays, std == Std.WeekDay, value, ref v, out _)) return false;
                    break;
                case Std.Day or Std.UnderDay or Std.ZeroDay:
                    if (std == Std.UnderDay && v < value.Length && value[v] == ' ') v++;
                    if (!Digits(value, ref v, std == Std.ZeroDay ? 2 : 1, 2, out day)) return false;
                    break;
                case Std.UnderYearDay or Std.ZeroYearDay:
                    while (std == Std.UnderYearDay && v < value.Length && value[v] == ' ') v++;
                    if (!Digits(value, ref v, std == Std.ZeroYearDay ? 3 : 1, 3, out _)) return false;
                    break;
                case Std.Hour:
                    if (!Digits(value, ref v, 1, 2, out hour) || hour > 23) return false;
                    break;
                case Std.Hour12 or Std.ZeroHour12:
                    if (!Digits(value, ref v, std == Std.ZeroHour12 ? 2 : 1, 2, out hour) || hour > 12) return false;
                    break;
                case Std.Minute or Std.ZeroMinute:
                    if (!Digits(value, ref v, std == Std.ZeroMinute ? 2 : 1, 2, out minute) || minute > 59) return false;
                    break;
                case Std.Second or Std.ZeroSecond:
                    if (!Digits(value, ref v, std == Std.ZeroSecond ? 2 : 1, 2, out second) || second > 59) return false;
                    // A fraction in the value that the layout does not mention is still read.
                    if (v + 1 < value.Length && value[v] is '.' or ',' && char.IsAsciiDigit(value[v + 1]) &&
                        NextChunk(layout, pos).Std is not (Std.FracSecond0 or Std.FracSecond9))
                    {
                        v++;
                        nanos = Fraction(value, ref v, int.MaxValue);
                    }
                    break;
                case Std.PM:
                    if (At(value, v, "PM")) pm = true;
                    else if (At(value, v, "AM")) am = true;
                    else return false;
                    v += 2;
                    break;
                case Std.pm:
                    if (At(value, v, "pm")) pm = true;
                    else if (At(value, v, "am")) am = true;
                    else return false;
                    v += 2;
                    break;
                case Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ
                    when v < value.Length && value[v] == 'Z':
                    v++;
                    utc = true;
                    break;
                case Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ or
                    Std.NumTZ or Std.NumColonTZ or Std.NumSecondsTz or Std.NumShortTZ or Std.NumColonSecondsTZ:
                    if (!ParseOffset(std, value, ref v, out zoneOffset)) return false;
                    break;
                case Std.TZ:
                    if (At(value, v, "UTC"))
                    {
                        v += 3;
                        utc = true;
                        break;
                    }
                    int z = v;
                    while (z < value.Length && char.IsAsciiLetterUpper(value[z])) z++;
                    if (z - v < 3) return false;
                    v = z;
                    zoneOffset = 0; // Go fabricates a zero-offset zone for an unknown abbreviation.
                    break;
                case Std.FracSecond0:
                    if (v >= value.Length || value[v] is not ('.' or ',')) return false;
                    v++;
                    int before = v;
                    nanos = Fraction(value, ref v, digits);
                    if (v - before != digits) return false;
                    break;
                case Std.FracSecond9:
                    if (v + 1 < value.Length && value[v] is '.' or ',' && char.IsAsciiDigit(value[v + 1]))
                    {
                        v++;
                        nanos = Fraction(value, ref v, int.MaxValue);
                    }
                    break;
            }
        }
        if (pm && hour < 12) hour += 12;
        else if (am && hour == 12) hour = 0;
        if (month < 0) month = 1;
        if (day < 0) day = 1;
        if (day > DaysIn(month, year)) return false;
        long local = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
        if (utc)
        {
            result = TemplateValue.Time(local, nanos, null);
            return true;
        }
        if (zoneOffset != int.MinValue)
        {
            var fixedZone = zoneOffset == 0 ? null : TimeZoneInfo.CreateCustomTimeZone("fixed", TimeSpan.FromSeconds(zoneOffset), "", "");
            result = TemplateValue.Time(local - zoneOffset, nanos, fixedZone);
            return true;
        }
        int offset = LocalOffset(zone, local);
        result = TemplateValue.Time(local - offset, nanos, zone);
        return true;
    }

    private static int LocalOffset(TimeZoneInfo? zone, long localSeconds)
    {
        if (zone == null) return 0;
        if (localSeconds is > -62135596800 and < 253402300799)
        {
            var dt = new DateTime(DateTime.UnixEpoch.Ticks + localSeconds * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
            return (int)zone.GetUtcOffset(dt).TotalSeconds;
        }
        return (int)zone.BaseUtcOffset.TotalSeconds;
    }

    private static bool Skip(ReadOnlySpan<char> prefix, string value, ref int v)
    {
        int i = 0;
        while (i < prefix.Length)
        {
            if (prefix[i] == ' ')
            {
                if (v < value.Length && value[v] != ' ') return false;
                while (i < prefix.Length && prefix[i] == ' ') i++;
                while (v < value.Length && value[v] == ' ') v++;
                continue;
            }
            if (v >= value.Length || value[v] != prefix[i]) return false;
            i++;
            v++;
        }
        return true;
    }

    private static bool Digits(string s, ref int v, int min, int max, out int n)
    {
        n = 0;
        int start = v;
        while (v < s.Length && v - start < max && char.IsAsciiDigit(s[v])) n = n * 10 + (s[v++] - '0');
        return v - start >= min;
    }

    private static int Fraction(string s, ref int v, int maxDigits)
    {
        long n = 0;
        int count = 0;
        while (v < s.Length && count < maxDigits && char.IsAsciiDigit(s[v]))
        {
            if (count < 9) n = n * 10 + (s[v] - '0');
            count++;
            v++;
        }
        for (int i = Math.Min(count, 9); i < 9; i++) n *= 10;
        return (int)n;
    }

    private static bool Lookup(string[] names, bool abbreviated, string s, ref int v, out int index)
    {
        for (index = 0; index < names.Length; index++)
        {
            string name = abbreviated ? names[index][..3] : names[index];
            if (v + name.Length <= s.Length && string.Compare(s, v, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                v += name.Length;
                return true;
            }
        }
        return false;
    }

    private static bool ParseOffset(Std std, string s, ref int v, out int offset)
    {
        offset = 0;
        if (v >= s.Length || s[v] is not ('+' or '-')) return false;
        int sign = s[v] == '-' ? -1 : 1;
        v++;
        if (!Digits(s, ref v, 2, 2, out int hh)) return false;
        int mm = 0, ss = 0;
        bool colon = std is Std.ISO8601ColonTZ or Std.NumColonTZ or Std.ISO8601ColonSecondsTZ or Std.NumColonSecondsTZ;
        if (std is not (Std.ISO8601ShortTZ or Std.NumShortTZ))
        {
            if (colon && (v >= s.Length || s[v++] != ':')) return false;
            if (!Digits(s, ref v, 2, 2, out mm)) return false;
            if (std is Std.ISO8601SecondsTZ or Std.NumSecondsTz or Std.ISO8601ColonSecondsTZ or Std.NumColonSecondsTZ)
            {
                if (colon && (v >= s.Length || s[v++] != ':')) return false;
                if (!Digits(s, ref v, 2, 2, out ss)) return false;
            }
        }
        offset = sign * (hh * 3600 + mm * 60 + ss);
        return true;
    }

    /// <summary>Go's <c>time.LoadLocation</c>: an IANA name, "UTC" or "" (UTC), "Local" (UTC on our servers).</summary>
    public static TimeZoneInfo? LoadZone(string name, out bool ok)
    {
        ok = true;
        if (name is "" or "UTC" or "Local") return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (TimeZoneNotFoundException)
        {
            ok = false;
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            ok = false;
            return null;
        }
    }
}
