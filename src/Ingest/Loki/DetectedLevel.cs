using Strata.Storage.Labels;

namespace Strata.Ingest.Loki;

/// <summary>
/// Loki 3's log-level discovery (<c>discover_log_levels</c>, on by default): every accepted entry gets
/// a <c>detected_level</c> structured-metadata pair, which Grafana's log-volume histogram and level
/// colouring group by. Where the level comes from, first match wins:
/// <list type="number">
/// <item>an entry that already carries <c>detected_level</c> keeps it, with a known level spelled canonically;</item>
/// <item>a stream label, then an entry metadata pair, named like a level field (<see cref="FieldNames"/>),
///   normalized when it is a known level and kept as sent otherwise;</item>
/// <item>the line: a JSON object's first string field with a level name (at most one object deep), or a
///   logfmt line's level key (case-insensitive; earlier names in <see cref="FieldNames"/> win) — when
///   that value is a known level;</item>
/// <item>otherwise keywords in the line, in Loki's order (info, error, warn, critical, debug), else <c>unknown</c>.</item>
/// </list>
/// </summary>
/// <remarks>
/// The hot path allocates nothing for an entry without metadata: the canonical levels share one
/// immutable single-pair array each. Lines are scanned as UTF-8 bytes with vectorized searches.
/// </remarks>
public static class DetectedLevel
{
    public const string Name = "detected_level";

    /// <summary>Field names that carry a level, in priority order (Loki's default <c>log_level_fields</c>).</summary>
    public static readonly string[] FieldNames =
    [
        "level", "LEVEL", "Level", "log.level", "severity", "SEVERITY", "Severity", "SeverityText",
        "lvl", "LVL", "Lvl", "severity_text", "Severity_Text", "SEVERITY_TEXT",
    ];

    public const string Trace = "trace", Debug = "debug", Info = "info", Warn = "warn", Error = "error",
        Critical = "critical", Fatal = "fatal", Unknown = "unknown";

    // Shared, never mutated: the metadata of an entry that had none.
    private static readonly Label[] TraceOnly = [new(Name, Trace)], DebugOnly = [new(Name, Debug)],
        InfoOnly = [new(Name, Info)], WarnOnly = [new(Name, Warn)], ErrorOnly = [new(Name, Error)],
        CriticalOnly = [new(Name, Critical)], FatalOnly = [new(Name, Fatal)], UnknownOnly = [new(Name, Unknown)];

    private static readonly byte[][] FieldNamesUtf8 = Array.ConvertAll(FieldNames, System.Text.Encoding.UTF8.GetBytes);

    /// <summary>The level a stream's labels give (normalized), or null; computed once per cached label set.</summary>
    public static string? FromLabels(LabelSet labels)
    {
        foreach (var name in FieldNames)
        {
            string? v = labels.Get(name);
            if (v is not null) return Normalize(v);
        }
        return null;
    }

    /// <summary>
    /// The entry's metadata with <c>detected_level</c> added (or normalized in place when present).
    /// <paramref name="metadata"/> may be modified; the result may be a shared array that must not be.
    /// </summary>
    public static Label[] Attach(Label[] metadata, string? levelFromLabels, ReadOnlySpan<byte> line)
    {
        for (int i = 0; i < metadata.Length; i++)
        {
            if (metadata[i].Name != Name) continue;
            string normalized = Normalize(metadata[i].Value);
            if (!ReferenceEquals(normalized, metadata[i].Value)) metadata[i] = metadata[i] with { Value = normalized };
            return metadata;
        }

        string? level = levelFromLabels ?? FromMetadata(metadata);
        if (metadata.Length == 0 && level is null) return Shared(FromLine(line))!; // FromLine returns only canonical levels
        level ??= FromLine(line);
        if (metadata.Length == 0) return Shared(level) ?? [new Label(Name, level)];
        var withLevel = new Label[metadata.Length + 1];
        metadata.CopyTo(withLevel, 0);
        withLevel[^1] = new Label(Name, level);
        return withLevel;
    }

    private static string? FromMetadata(Label[] metadata)
    {
        foreach (var name in FieldNames)
        {
            foreach (var l in metadata)
            {
                if (l.Name == name) return Normalize(l.Value);
            }
        }
        return null;
    }

    private static Label[]? Shared(string level) => level switch
    {
        Trace => TraceOnly,
        Debug => DebugOnly,
        Info => InfoOnly,
        Warn => WarnOnly,
        Error => ErrorOnly,
        Critical => CriticalOnly,
        Fatal => FatalOnly,
        Unknown => UnknownOnly,
        _ => null,
    };

    /// <summary>A known level in its canonical spelling; anything else unchanged (same instance).</summary>
    public static string Normalize(string value)
    {
        Span<byte> utf8 = stackalloc byte[16];
        if (value.Length > utf8.Length) return value;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] > 0x7f) return value;
            utf8[i] = (byte)value[i];
        }
        return Known(utf8[..value.Length]) ?? value;
    }

    /// <summary>The canonical level a value spells (ASCII case-insensitive), or null.</summary>
    private static string? Known(ReadOnlySpan<byte> v)
    {
        if (v.Length < 3 || v.Length > 11) return null;
        if (Is(v, "trace"u8) || Is(v, "trc"u8)) return Trace;
        if (Is(v, "debug"u8) || Is(v, "dbg"u8)) return Debug;
        if (Is(v, "info"u8) || Is(v, "inf"u8) || Is(v, "information"u8)) return Info;
        if (Is(v, "warn"u8) || Is(v, "wrn"u8) || Is(v, "warning"u8)) return Warn;
        if (Is(v, "error"u8) || Is(v, "err"u8)) return Error;
        if (Is(v, "critical"u8)) return Critical;
        if (Is(v, "fatal"u8)) return Fatal;
        return null;
    }

    private static bool Is(ReadOnlySpan<byte> v, ReadOnlySpan<byte> lower) =>
        System.Text.Ascii.EqualsIgnoreCase(v, lower);

    /// <summary>The level of a line with no level in its labels or metadata.</summary>
    public static string FromLine(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> value = default;
        bool found = IsJsonObject(line) ? JsonLevel(line, out value) : line.IndexOf((byte)'=') >= 0 && LogfmtLevel(line, out value);
        return (found ? Known(value) : null) ?? FromKeywords(line);
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> line)
    {
        var t = line.Trim(" \t\r\n"u8);
        return t.Length >= 2 && t[0] == '{' && t[^1] == '}';
    }

    private static int FieldIndex(ReadOnlySpan<byte> key, bool ignoreCase)
    {
        for (int i = 0; i < FieldNamesUtf8.Length; i++)
        {
            if (ignoreCase ? System.Text.Ascii.EqualsIgnoreCase(key, FieldNamesUtf8[i]) : key.SequenceEqual(FieldNamesUtf8[i])) return i;
        }
        return -1;
    }

    /// <summary>
    /// Walks a JSON object for the first string-valued key that names a level, at the top level or
    /// one object down (Loki's default <c>log_level_from_json_max_depth</c> of 2), in document order.
    /// Strings are skipped with vectorized searches for the next quote or backslash. Malformed JSON
    /// simply ends the walk.
    /// </summary>
    private static bool JsonLevel(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        value = default;
        int depth = 0;               // object/array nesting of the current position
        bool expectKey = false;      // the next string inside the current object is a key
        Span<bool> isObject = stackalloc bool[64];
        int pendingKey = -1;         // index of a level name whose value comes next
        for (int i = 0; i < line.Length; i++)
        {
            byte c = line[i];
            switch (c)
            {
                case (byte)'{':
                    if (depth >= isObject.Length) return false;
                    isObject[depth++] = true;
                    expectKey = true;
                    pendingKey = -1;
                    break;
                case (byte)'[':
                    if (depth >= isObject.Length) return false;
                    isObject[depth++] = false;
                    expectKey = false;
                    pendingKey = -1;
                    break;
                case (byte)'}':
                case (byte)']':
                    if (depth == 0) return false;
                    depth--;
                    expectKey = false;
                    break;
                case (byte)',':
                    expectKey = depth > 0 && isObject[depth - 1];
                    pendingKey = -1;
                    break;
                case (byte)'"':
                {
                    int end = StringEnd(line, i + 1);
                    if (end < 0) return false;
                    var s = line[(i + 1)..end];
                    if (expectKey)
                    {
                        // Only depths 1 and 2 (top-level object and one object below) are searched.
                        pendingKey = depth <= 2 && s.IndexOf((byte)'\\') < 0 ? FieldIndex(s, ignoreCase: false) : -1;
                        expectKey = false;
                    }
                    else if (pendingKey >= 0)
                    {
                        value = s;
                        return true;
                    }
                    i = end;
                    break;
                }
                case (byte)':':
                    break;
                default:
                    // A non-string value (number, true, null) for a level key does not count.
                    if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) pendingKey = -1;
                    break;
            }
        }
        return false;
    }

    // Index of the closing quote of a string whose content starts at `start`, or -1.
    private static int StringEnd(ReadOnlySpan<byte> line, int start)
    {
        int i = start;
        while (i < line.Length)
        {
            int k = line[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0) return -1;
            i += k;
            if (line[i] == '"') return i;
            i += 2; // skip the escaped character
        }
        return -1;
    }

    /// <summary>
    /// Scans logfmt pairs for a level key, ASCII case-insensitively; the earliest name in
    /// <see cref="FieldNames"/> wins and <c>level</c> stops the scan at once.
    /// </summary>
    private static bool LogfmtLevel(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        value = default;
        int best = FieldNamesUtf8.Length;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] <= ' ') i++;
            int keyStart = i;
            while (i < line.Length && line[i] > ' ' && line[i] != '=' && line[i] != '"') i++;
            var key = line[keyStart..i];
            ReadOnlySpan<byte> v = default;
            if (i < line.Length && line[i] == '=')
            {
                i++;
                if (i < line.Length && line[i] == '"')
                {
                    int end = StringEnd(line, i + 1);
                    if (end < 0) return best < FieldNamesUtf8.Length;
                    v = line[(i + 1)..end];
                    i = end + 1;
                }
                else
                {
                    int vs = i;
                    while (i < line.Length && line[i] > ' ') i++;
                    v = line[vs..i];
                }
            }
            else if (i < line.Length && line[i] == '"')
            {
                return best < FieldNamesUtf8.Length; // a stray quote: logfmt decoding stops here
            }
            if (key.IsEmpty)
            {
                if (i == keyStart) i++;
                continue;
            }
            int index = FieldIndex(key, ignoreCase: true);
            if (index >= 0 && index < best)
            {
                best = index;
                value = v;
                if (index == 0) return true;
            }
        }
        return best < FieldNamesUtf8.Length;
    }

    /// <summary>Keyword search in Loki's order; the plain words "info", "warning" and "debug" count anywhere.</summary>
    private static string FromKeywords(ReadOnlySpan<byte> line)
    {
        if (line.IndexOf("info"u8) >= 0 || line.IndexOf("INFO"u8) >= 0) return Info;
        if (line.IndexOf("err:"u8) >= 0 || line.IndexOf("ERR:"u8) >= 0 || line.IndexOf("[err]"u8) >= 0 || line.IndexOf("[ERR]"u8) >= 0
            || line.IndexOf("[error]"u8) >= 0 || line.IndexOf("[ERROR]"u8) >= 0) return Error;
        if (line.IndexOf("warn:"u8) >= 0 || line.IndexOf("WARN:"u8) >= 0 || line.IndexOf("[warn]"u8) >= 0 || line.IndexOf("[WARN]"u8) >= 0
            || line.IndexOf("warning"u8) >= 0 || line.IndexOf("WARNING"u8) >= 0) return Warn;
        if (line.IndexOf("critical:"u8) >= 0 || line.IndexOf("CRITICAL:"u8) >= 0 || line.IndexOf("[critical]"u8) >= 0
            || line.IndexOf("[CRITICAL]"u8) >= 0) return Critical;
        if (line.IndexOf("debug"u8) >= 0 || line.IndexOf("DEBUG"u8) >= 0) return Debug;
        return Unknown;
    }
}
