namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| decolorize</c>: strips ANSI escape sequences (colours, cursor movement, OSC titles) with Loki's
/// pattern (from acarl005/stripansi). Lines without ESC (0x1B) or CSI (U+009B) are left untouched
/// without decoding, which is nearly all of them.
/// </summary>
public sealed class Decolorize : Stage
{
    public static readonly Decolorize Instance = new();

    private static readonly Re2Regex Ansi = Re2Regex.Compile(
        "[\u001B\u009B][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))");

    public override bool Process(LogLine entry)
    {
        var line = entry.Line;
        if (line.IndexOf((byte)0x1B) < 0 && line.IndexOf("\u009B"u8) < 0) return true;
        entry.SetLine(Ansi.Regex.Replace(entry.LineString, ""));
        return true;
    }
}
