using System.Text.RegularExpressions;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// A parsed <c>.test</c> script (FORMAT.md): its commands in order, plus lines that are not part of
/// any command. Follows the upstream reader (<c>promql/promqltest/test.go</c>) where the prose leaves
/// room, but keeps going past a bad block instead of rejecting the file, so one odd case costs one
/// eval rather than a whole file.
/// </summary>
internal sealed partial class TestScript
{
    [GeneratedRegex(@"^load(?:_(with_nhcb))?\s+(.+?)$")]
    private static partial Regex LoadLine();

    [GeneratedRegex(@"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$")]
    private static partial Regex EvalInstantLine();

    [GeneratedRegex(@"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$")]
    private static partial Regex EvalRangeLine();

    [GeneratedRegex(@"^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$")]
    private static partial Regex ExpectLine();

    [GeneratedRegex(@"^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$")]
    private static partial Regex ExpectRangeLine();

    private const string ExpectStringPrefix = "expect string";

    public List<ScriptCommand> Commands { get; } = [];

    /// <summary>Lines outside any block that are not commands (1-based line, text).</summary>
    public List<(int Line, string Message)> Errors { get; } = [];

    public static TestScript Parse(IReadOnlyList<string> rawLines)
    {
        // Trimmed, with whole-line comments blanked: a comment ends a block just like an empty line.
        var lines = rawLines.Select(l => l.Trim()).Select(l => l.StartsWith('#') ? "" : l).ToArray();
        var script = new TestScript();
        for (int i = 0; i < lines.Length; i++)
        {
            string l = lines[i];
            if (l.Length == 0) continue;
            string word = l.Split([' ', '\t'], 2)[0].ToLowerInvariant();
            if (word == "clear") script.Commands.Add(new ClearCommand(i + 1));
            else if (word.StartsWith("load", StringComparison.Ordinal)) script.Commands.Add(ParseLoad(lines, ref i));
            else if (word.StartsWith("eval", StringComparison.Ordinal)) script.Commands.Add(ParseEval(lines, ref i));
            else script.Errors.Add((i + 1, $"invalid command \"{l}\""));
        }
        return script;
    }

    /// <summary>Consumes the load line and its block; <paramref name="i"/> ends on the block's last line.</summary>
    private static LoadCommand ParseLoad(string[] lines, ref int i)
    {
        int line = i + 1;
        var errors = new List<string>();
        var m = LoadLine().Match(lines[i]);
        long step = 0;
        if (!m.Success) errors.Add("invalid load command (load[_with_nhcb] <step>)");
        else if (!PromDuration.TryParse(m.Groups[2].Value, out step, out string? err)) errors.Add($"invalid step \"{m.Groups[2].Value}\": {err}");
        bool withNhcb = m.Success && m.Groups[1].Success;

        // Within a block a repeated series replaces the earlier line (upstream keys by label hash).
        var series = new Dictionary<LabelSet, LoadSeries>();
        var order = new List<LabelSet>();
        bool startTimestamps = false;
        while (i + 1 < lines.Length && lines[i + 1].Length > 0)
        {
            i++;
            if (IsStartTimestampLine(lines[i]))
            {
                // Start timestamps for the next line; the head has nowhere to keep them.
                startTimestamps = true;
                continue;
            }
            try
            {
                var (labels, slots) = SeriesNotation.ParseLine(lines[i]);
                if (!series.ContainsKey(labels)) order.Add(labels);
                series[labels] = new LoadSeries(i + 1, labels, slots);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                errors.Add($"line {i + 1}: {ex.Message}");
            }
        }
        return new LoadCommand(line, step, withNhcb, order.Select(l => series[l]).ToList(), startTimestamps, errors);
    }

    /// <summary>Upstream's rule: the first space-separated token ends in <c>@st</c> (also a bare <c>@st</c> default line).</summary>
    private static bool IsStartTimestampLine(string l)
    {
        int space = l.IndexOfAny([' ', '\t']);
        return space >= 0 && l.AsSpan(0, space).EndsWith("@st", StringComparison.Ordinal);
    }

    private static EvalCommand ParseEval(string[] lines, ref int i)
    {
        int line = i + 1;
        string header = lines[i];
        var instant = EvalInstantLine().Match(header);
        var range = instant.Success ? Match.Empty : EvalRangeLine().Match(header);
        EvalCommand ev;
        string mod;
        if (instant.Success)
        {
            mod = instant.Groups[1].Value;
            ev = new EvalCommand(line, instant.Groups[3].Value);
            if (!TryDuration(instant.Groups[2].Value, out long at, ev, "timestamp")) return SkipBlock(lines, ref i, ev);
            ev.StartMs = ev.EndMs = at;
        }
        else if (range.Success)
        {
            mod = range.Groups[1].Value;
            ev = new EvalCommand(line, range.Groups[5].Value) { IsRange = true };
            if (!TryDuration(range.Groups[2].Value, out long from, ev, "start") ||
                !TryDuration(range.Groups[3].Value, out long to, ev, "end") ||
                !TryDuration(range.Groups[4].Value, out long step, ev, "step"))
            {
                return SkipBlock(lines, ref i, ev);
            }
            if (to < from) ev.FormatError = "end timestamp is before start timestamp";
            (ev.StartMs, ev.EndMs, ev.StepMs) = (from, to, step);
        }
        else
        {
            ev = new EvalCommand(line, header) { FormatError = "invalid eval command" };
            return SkipBlock(lines, ref i, ev);
        }
        switch (mod)
        {
            case "fail": ev.ExpectFail = true; break;
            case "warn": ev.RequireWarn = true; break;
            case "info": ev.RequireInfo = true; break;
            case "ordered": ev.Ordered = true; break;
        }

        int position = 0;
        while (i + 1 < lines.Length && lines[i + 1].Length > 0)
        {
            string l = lines[++i];
            try
            {
                if (ev.ExpectFail && l.StartsWith("expected_fail_message", StringComparison.Ordinal))
                {
                    ev.FailMatch = TextMatch.Exact(l["expected_fail_message".Length..].Trim());
                    break; // upstream ends the block here
                }
                if (ev.ExpectFail && l.StartsWith("expected_fail_regexp", StringComparison.Ordinal))
                {
                    ev.FailMatch = TextMatch.Pattern(l["expected_fail_regexp".Length..].Trim());
                    break;
                }
                if (l.StartsWith("expect range vector", StringComparison.Ordinal))
                {
                    var rm = ExpectRangeLine().Match(l);
                    if (!rm.Success) throw new FormatException($"invalid range vector definition \"{l}\"");
                    if (!TryDuration(rm.Groups[1].Value, out long a, ev, "start") || !TryDuration(rm.Groups[2].Value, out long b, ev, "end") ||
                        !TryDuration(rm.Groups[3].Value, out long s, ev, "step"))
                    {
                        continue;
                    }
                    ev.RangeVector = (a, b, s);
                    continue;
                }
                if (l.StartsWith(ExpectStringPrefix, StringComparison.Ordinal))
                {
                    if (l == ExpectStringPrefix || !l.StartsWith(ExpectStringPrefix + " ", StringComparison.Ordinal))
                        throw new FormatException("expect string needs a quoted string literal");
                    string lit = l[(ExpectStringPrefix.Length + 1)..];
                    if (lit.Length == 0 || lit[0] is not ('"' or '`')) throw new FormatException("expect string needs a quoted string literal");
                    ev.ExpectedString = SeriesNotation.Unquote(lit);
                    continue;
                }
                if (l.Split(' ')[0] == "expect")
                {
                    ParseExpect(l, ev);
                    continue;
                }
                if (SeriesNotation.TryParseNumber(l, out double scalar))
                {
                    ev.ExpectedScalar = Slot.Float(scalar);
                    break; // upstream ends the block after a scalar
                }
                var (labels, slots) = SeriesNotation.ParseLine(l);
                if (slots.Count == 0) throw new FormatException($"result line without a value: {l}");
                if (slots.Count > 1 && !ev.IsRange && ev.RangeVector == null)
                    throw new FormatException("multiple values in an instant eval need 'expect range vector'");
                ev.Series[labels] = new ExpectedSeries(i + 1, ++position, labels, slots);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                ev.FormatError ??= $"line {i + 1}: {ex.Message}";
            }
        }
        return ev;
    }

    private static void ParseExpect(string l, EvalCommand ev)
    {
        var m = ExpectLine().Match(l.Trim());
        if (!m.Success) throw new FormatException($"invalid expect statement \"{l}\"");
        var match = !m.Groups[2].Success ? TextMatch.Any
            : m.Groups[2].Value == "msg" ? TextMatch.Exact(m.Groups[3].Value.Trim())
            : TextMatch.Pattern(m.Groups[3].Value.Trim());
        switch (m.Groups[1].Value)
        {
            case "ordered": ev.Ordered = true; break;
            case "fail":
                if (ev.FailMatch != null) throw new FormatException("multiple expect fail lines");
                ev.ExpectFail = true;
                ev.FailMatch = match;
                break;
            case "warn": ev.Warn.Add(match); break;
            case "info": ev.Info.Add(match); break;
            case "no_warn": ev.NoWarn = true; break;
            case "no_info": ev.NoInfo = true; break;
        }
        if (ev.Warn.Count > 0 && ev.NoWarn) throw new FormatException("warn and no_warn cannot be used together");
        if (ev.Info.Count > 0 && ev.NoInfo) throw new FormatException("info and no_info cannot be used together");
    }

    private static bool TryDuration(string s, out long ms, EvalCommand ev, string what)
    {
        if (PromDuration.TryParse(s, out ms, out string? err)) return true;
        ev.FormatError ??= $"invalid {what} \"{s}\": {err}";
        return false;
    }

    /// <summary>Steps past the block of an eval whose header could not be read.</summary>
    private static EvalCommand SkipBlock(string[] lines, ref int i, EvalCommand ev)
    {
        while (i + 1 < lines.Length && lines[i + 1].Length > 0) i++;
        return ev;
    }
}
