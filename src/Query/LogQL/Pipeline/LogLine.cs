using System.Text;
using Strata.Storage.Labels;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// The mutable state of one log entry while it runs through a <see cref="Pipeline"/>: the current line
/// (UTF-8), the timestamp, and Loki's labels builder over the stream labels, structured metadata and
/// parsed labels, plus <c>__error__</c>/<c>__error_details__</c>.
/// <para>
/// Lifecycle: one instance per worker thread, reused for every entry through <see cref="Reset"/>. It owns
/// every per-line buffer (line, extracted values, decode and template scratch), which is what lets the
/// stages stay immutable and shareable between threads, and what keeps steady-state processing free of
/// per-line allocations apart from the strings a caller asks for. Not thread-safe.
/// </para>
/// <para>
/// Label semantics follow <c>pkg/logql/log/labels.go</c>: lookups see parsed, then structured metadata,
/// then stream labels; <see cref="Set"/> enforces Parsed &gt; StructuredMetadata &gt; Stream; deleting a
/// name hides the stream label of that name until it is set again.
/// </para>
/// </summary>
public sealed partial class LogLine
{
    private byte[] _line = new byte[512];
    private byte[] _lineSpare = new byte[512];
    private int _lineLength;
    private string? _lineString;
    private char[] _lineChars = new char[512];
    private int _lineCharsLength = -1;

    private readonly Dictionary<string, string> _extractedNames = new(StringComparer.Ordinal);

    internal readonly Utf8StringCache Names = new();

    private readonly Dictionary<string, string> _sanitizedNames = new(StringComparer.Ordinal);

    /// <summary>Labels <c>unpack</c> holds back until it knows the line was packed.</summary>
    internal readonly List<(string Name, int Offset, int Length)> UnpackScratch = [];

    /// <summary>Per-thread char scratch for stages that decode label values (regex label filters, matchers).</summary>
    internal char[] CharScratch = new char[256];

    /// <summary>Per-thread byte scratch for stages that encode string values.</summary>
    internal byte[] ByteScratch = new byte[256];

    /// <summary>Scratch for unescaped JSON keys.</summary>
    internal byte[] KeyScratch = new byte[128];

    /// <summary>Scratch where parsers build label names (the flattened JSON prefix lives here).</summary>
    internal byte[] NameScratch = new byte[256];

    private TemplateExecutor? _templates;

    /// <summary>The template executor and its buffers, created on first use.</summary>
    internal TemplateExecutor Templates => _templates ??= new TemplateExecutor(this);

    /// <summary>Entry timestamp in Unix nanoseconds (what <c>__timestamp__</c> returns in templates).</summary>
    public long Timestamp { get; private set; }

    /// <summary>The stream (index) labels of the entry: the "base" labels of Loki's builder.</summary>
    public LabelSet Stream { get; private set; } = LabelSet.Empty;

    /// <summary>
    /// Starts a new entry: copies <paramref name="line"/> into the owned buffer, clears every label change
    /// and error, then adds <paramref name="structuredMetadata"/> as Loki does (names normalised, a name
    /// that is also a stream label gets <c>_extracted</c>, <c>__error__</c>/<c>__error_details__</c> entries
    /// set the error fields).
    /// </summary>
    public void Reset(LabelSet stream, long timestampNs, ReadOnlySpan<byte> line, ReadOnlySpan<Label> structuredMetadata = default)
    {
        Stream = stream;
        Timestamp = timestampNs;
        if (_line.Length < line.Length) _line = new byte[Math.Max(line.Length, _line.Length * 2)];
        line.CopyTo(_line);
        _lineLength = line.Length;
        _lineString = null;
        _lineCharsLength = -1;
        ClearLabels();
        foreach (ref readonly var l in structuredMetadata) Add(LabelCategory.StructuredMetadata, l.Name, l.Value);
    }

    /// <summary>Loki's <c>LabelsBuilder.Add</c>: <c>_extracted</c> on collision with a stream label, error names set the error fields.</summary>
    public void Add(LabelCategory category, string name, string value)
    {
        if (category == LabelCategory.StructuredMetadata) name = LabelNames.NormalizeMetadataName(name);
        if (StreamHas(name)) name = ExtractedName(name);
        if (name == PipelineErrors.ErrorLabel)
        {
            _error = value;
            return;
        }
        if (name == PipelineErrors.ErrorDetailsLabel)
        {
            _errorDetails = value;
            return;
        }
        Set(category, name, value);
    }

    /// <summary><paramref name="name"/> + <c>_extracted</c>, cached so collisions do not allocate per line.</summary>
    internal string ExtractedName(string name)
    {
        if (!_extractedNames.TryGetValue(name, out var extracted))
        {
            extracted = name + PipelineErrors.DuplicateSuffix;
            if (_extractedNames.Count < 4096) _extractedNames[name] = extracted;
        }
        return extracted;
    }

    /// <summary>Loki's <c>sanitizeLabelKey(name, true)</c>, cached per name.</summary>
    internal string SanitizedName(string name)
    {
        if (!_sanitizedNames.TryGetValue(name, out var sanitized))
        {
            sanitized = LabelNames.Sanitize(name);
            if (_sanitizedNames.Count < 4096) _sanitizedNames[name] = sanitized;
        }
        return sanitized;
    }

    /// <summary>Loki's <c>BaseHas</c>: true when the stream labels (not parsed or metadata) contain <paramref name="name"/>.</summary>
    public bool StreamHas(string name) => Stream.Get(name) != null;

    // ---- the line ----

    /// <summary>The current line as UTF-8. Valid until the line is replaced or the entry reset.</summary>
    public ReadOnlySpan<byte> Line => _line.AsSpan(0, _lineLength);

    /// <summary>The current line as a string, decoded once per line version.</summary>
    public string LineString => _lineString ??= Encoding.UTF8.GetString(_line, 0, _lineLength);

    /// <summary>The current line decoded to UTF-16 in a reused buffer (for regexes); valid until the line changes.</summary>
    internal ReadOnlySpan<char> LineChars
    {
        get
        {
            if (_lineCharsLength < 0)
            {
                int max = Encoding.UTF8.GetMaxCharCount(_lineLength);
                if (_lineChars.Length < max) _lineChars = new char[Math.Max(max, _lineChars.Length * 2)];
                _lineCharsLength = Encoding.UTF8.GetChars(_line, 0, _lineLength, _lineChars, 0);
            }
            return _lineChars.AsSpan(0, _lineCharsLength);
        }
    }

    /// <summary>Replaces the line. <paramref name="utf8"/> may alias the current line.</summary>
    public void SetLine(ReadOnlySpan<byte> utf8)
    {
        var dst = BeginLine(utf8.Length);
        utf8.CopyTo(dst);
        EndLine(utf8.Length);
    }

    public void SetLine(string text)
    {
        var dst = BeginLine(Encoding.UTF8.GetMaxByteCount(text.Length));
        EndLine(Encoding.UTF8.GetBytes(text, dst));
        _lineString = text;
    }

    /// <summary>Hands out the spare line buffer; <see cref="EndLine"/> swaps it in. The current line stays readable meanwhile.</summary>
    internal Span<byte> BeginLine(int maxLength)
    {
        if (_lineSpare.Length < maxLength) _lineSpare = new byte[Math.Max(maxLength, _lineSpare.Length * 2)];
        return _lineSpare;
    }

    internal void EndLine(int length)
    {
        (_line, _lineSpare) = (_lineSpare, _line);
        _lineLength = length;
        _lineString = null;
        _lineCharsLength = -1;
    }

    // ---- errors ----

    private string? _error;
    private string? _errorDetails;

    /// <summary>The <c>__error__</c> value, or null.</summary>
    public string? Error => string.IsNullOrEmpty(_error) ? null : _error;

    /// <summary>The <c>__error_details__</c> value, or null.</summary>
    public string? ErrorDetails => string.IsNullOrEmpty(_errorDetails) ? null : _errorDetails;

    public bool HasError => !string.IsNullOrEmpty(_error);

    public void SetError(string error) => _error = error;

    public void SetErrorDetails(string? details) => _errorDetails = details;

    /// <summary>Sets both fields unless an error is already present: the first, more specific error wins (Loki's label filters).</summary>
    public void SetErrorIfNone(string error, string? details)
    {
        if (HasError) return;
        _error = error;
        _errorDetails = details;
    }

    public void ResetError() => _error = null;

    public void ResetErrorDetails() => _errorDetails = null;
}
