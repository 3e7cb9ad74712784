namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| logfmt [--strict] [--keep-empty]</c> (Loki's <c>LogfmtParser</c>): every pair becomes a parsed
/// label, names sanitised and suffixed <c>_extracted</c> on collision with a stream label. By default a
/// malformed pair is skipped silently and parsing continues; <c>--strict</c> stops at the first
/// malformed pair and sets <c>LogfmtParserErr</c> (pairs before it stay). Empty values, including bare
/// keys, are dropped unless <c>--keep-empty</c>. Invalid UTF-8 and U+FFFD in values become spaces.
/// </summary>
public sealed class LogfmtParser(bool strict = false, bool keepEmpty = false) : Stage
{
    public static readonly LogfmtParser Default = new();

    public bool Strict { get; } = strict;

    public bool KeepEmpty { get; } = keepEmpty;

    public override bool Process(LogLine entry)
    {
        var dec = new LogfmtDecoder(entry.Line);
        while (!dec.EndOfLine)
        {
            if (!dec.ScanKeyval(ref entry.ByteScratch))
            {
                if (Strict) break;
                continue;
            }
            string? name = SanitizedName(entry, dec.Key);
            if (name == null) continue;
            if (entry.StreamHas(name)) name = entry.ExtractedName(name);
            var value = dec.Value;
            if (!KeepEmpty && value.IsEmpty) continue;
            SetValue(entry, name, value, replaceInvalid: true);
        }
        if (Strict && dec.Error != null)
        {
            entry.SetError(PipelineErrors.LogfmtParser);
            entry.SetErrorDetails(dec.Error);
        }
        return true;
    }

    internal static string? SanitizedName(LogLine entry, ReadOnlySpan<byte> key)
    {
        if (entry.NameScratch.Length < key.Length + 1) entry.NameScratch = new byte[Math.Max(key.Length + 1, entry.NameScratch.Length * 2)];
        int n = LabelNames.Sanitize(key, entry.NameScratch, prefixDigit: true);
        return n == 0 ? null : entry.Names.Get(entry.NameScratch.AsSpan(0, n));
    }

    /// <summary>
    /// Stores a value; with <paramref name="replaceInvalid"/> invalid UTF-8 becomes spaces (the plain
    /// parser), otherwise such a value becomes empty (the expression parser).
    /// </summary>
    internal static void SetValue(LogLine entry, string name, ReadOnlySpan<byte> value, bool replaceInvalid)
    {
        if (GoUtf8.IsCleanValue(value))
        {
            entry.Set(LabelCategory.Parsed, name, value);
            return;
        }
        if (!replaceInvalid)
        {
            entry.Set(LabelCategory.Parsed, name, "");
            return;
        }
        var dst = entry.BeginValue(value.Length, out int offset);
        int n = GoUtf8.CopyReplacingInvalid(value, dst);
        entry.EndValue(LabelCategory.Parsed, name, offset, n);
    }
}
