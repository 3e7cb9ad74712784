using System.Text;
using Strata.Ingest.Loki;

namespace Strata.Ingest.Tests.Loki;

/// <summary>
/// Golden wire-format tests (testdata/loki/README.md). Protobuf bodies are generated here with
/// Google.Protobuf + IronSnappy and frozen as hex, so a change in either encoder or in the case
/// definitions shows up as a diff; JSON bodies are hand-written, and their gzip/deflate/zlib forms
/// come from Python's zlib (generate.py). Every body is decoded and its rendering compared with the
/// reviewed <c>.expected</c> file, which pins lines byte for byte, labels, metadata, statuses and
/// error texts. Set STRATA_UPDATE_GOLDEN=1 to rewrite the generated files after reviewing a change.
/// </summary>
public class LokiPushGoldenTests
{
    private const long S = 1_000_000_000;
    private const long T0 = LokiBodies.T0;
    private static readonly bool Update = Environment.GetEnvironmentVariable("STRATA_UPDATE_GOLDEN") == "1";

    /// <summary>Everything valid: label syntax variants, service_name derivation, metadata, escapes, UTF-8.</summary>
    private static readonly TestStream[] ProtoBasic =
    [
        new("""{app="checkout", namespace="shop", pod="checkout-7d9f8-x2x4z"}""",
            new TestEntry(T0, """level=info msg="order placed" order_id=1042 duration=12.5ms"""),
            new TestEntry(T0 + 5 * S + 123_456_789, """{"level":"error","msg":"payment \"declined\"","code":402}""",
                ("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), ("k8s.node", "node-7"), ("empty", ""), ("9lives", "x")),
            new TestEntry(T0 - 2 * S, "Grüße aus Köln — 日本語 😀")),
        new("""{container="nginx",job="ingress/nginx",stream="stderr"}""",
            new TestEntry(T0 + 1, """10.0.0.1 - - [14/Nov/2023:22:13:20 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.28" """),
            new TestEntry(T0, "")),
        new("""{service_name="billing", app="other"}""", new TestEntry(T0, "kept service_name")),
        new("""up{env="prod", empty=""}""", new TestEntry(T0, "metric name and an empty label")),
        new("""{ a = "esc\"aped\\ \n" , b='single', c=`raw\n`, }""", new TestEntry(T0, "multi\nline\twith tabs\r\n")),
        new("""{app="no-entries"}"""),
        new("""{app="checkout", namespace="shop", pod="checkout-7d9f8-x2x4z"}""", new TestEntry(T0 + 60 * S, "same labels again")),
    ];

    /// <summary>Partial failure: valid entries are kept, the rest named in Loki's grouped message.</summary>
    private static readonly TestStream[] ProtoPartial =
    [
        new("""{app="api"}""",
            new TestEntry(T0, "ok 1"),
            new TestEntry(T0 - 8 * 24 * 3600 * S, "eight days old"),
            new TestEntry(T0 + 3600 * S + 11 * 60 * S, "eleven minutes ahead"),
            new TestEntry(T0 + 1, new string('x', 101)),
            new TestEntry(T0 + 2, new string('y', 101)),
            new TestEntry(T0 + 3, "ok 2")),
        new("""{app="x",""", new TestEntry(T0, "bad labels")),
        new("{" + string.Join(", ", Enumerable.Range(0, 16).Select(i => $"l{i:00}=\"v\"")) + "}", new TestEntry(T0, "too many labels")),
        new("""{app="dup", app="dup2"}""", new TestEntry(T0, "duplicate names")),
        new("{app=\"" + new string('v', 65) + "\"}", new TestEntry(T0, "long value")),
        new("""{"k8s.pod"="p1"}""", new TestEntry(T0, "utf-8 label name")),
    ];

    private static readonly LokiLimits PartialLimits = new() { MaxLineSize = 100, MaxLabelValueLength = 64 };

    public static TheoryData<string> ProtoCases => new() { "proto_basic", "proto_partial" };

    private static TestStream[] Streams(string name) => name == "proto_basic" ? ProtoBasic : ProtoPartial;
    private static LokiLimits Limits(string name) => name.Contains("partial", StringComparison.Ordinal) ? PartialLimits : new LokiLimits();

    [Theory]
    [MemberData(nameof(ProtoCases))]
    public void ProtobufBodiesAreFrozen(string name)
    {
        string path = Path.Combine(LokiBodies.TestData(), name + ".pb.sz.hex");
        string generated = Convert.ToHexStringLower(LokiBodies.Protobuf(Streams(name)));
        if (Update) File.WriteAllText(path, Wrap(generated));
        Assert.Equal(Unwrap(File.ReadAllText(path)), generated);
    }

    [Theory]
    [MemberData(nameof(ProtoCases))]
    public void DecodesGoldenProtobufBodies(string name)
    {
        byte[] body = Convert.FromHexString(Unwrap(File.ReadAllText(Path.Combine(LokiBodies.TestData(), name + ".pb.sz.hex"))));
        foreach (string? contentType in new[] { "application/x-protobuf", null, "" })
        {
            using var result = LokiBodies.Decoder(Limits(name)).Decode(body, contentType, null);
            Check(name, LokiBodies.Render(result));
        }
        // "snappy" is only a marker (Loki #3407): the body is the same.
        using var marked = LokiBodies.Decoder(Limits(name)).Decode(body, "application/x-protobuf", "snappy");
        Check(name, LokiBodies.Render(marked));
    }

    public static TheoryData<string, string, string?> JsonCases => new()
    {
        { "json_basic", ".json", null },
        { "json_basic", ".json.gz.hex", "gzip" },
        { "json_basic", ".json.deflate.hex", "deflate" },
        { "json_basic", ".json.zlib.hex", "deflate" },
        { "json_partial", ".json", null },
        { "json_partial", ".json.gz.hex", "gzip" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void DecodesGoldenJsonBodies(string name, string suffix, string? encoding)
    {
        string path = Path.Combine(LokiBodies.TestData(), name + suffix);
        byte[] body = suffix.EndsWith(".hex", StringComparison.Ordinal) ? Convert.FromHexString(Unwrap(File.ReadAllText(path))) : File.ReadAllBytes(path);
        using var result = LokiBodies.Decoder(Limits(name)).Decode(body, "application/json; charset=utf-8", encoding);
        Check(name, LokiBodies.Render(result));
    }

    [Fact]
    public void ProtobufAndJsonFormsOfOnePushDecodeAlike()
    {
        // json_basic.json carries the same streams as this protobuf body (checked here so that the
        // two formats cannot drift apart in what they mean).
        byte[] body = LokiBodies.Protobuf(
            new TestStream("""{app="web", env="prod"}""",
                new TestEntry(T0, "GET /index.html 200"),
                new TestEntry(T0 + 1, "quote \" backslash \\ newline \n é 😀", ("trace_id", "abc"), ("user", "u1"), ("retries", "3"), ("cached", "true"))),
            new TestStream("""{app="worker", "level"="warn"}""",
                new TestEntry(T0 + 2, "job done")));
        using var proto = LokiBodies.Decoder().Decode(body, null, null);
        using var json = LokiBodies.Decoder().Decode(File.ReadAllBytes(Path.Combine(LokiBodies.TestData(), "json_basic.json")), "application/json", null);
        Assert.Equal(LokiBodies.Render(proto), LokiBodies.Render(json));
    }

    private static void Check(string name, string rendered)
    {
        string path = Path.Combine(LokiBodies.TestData(), name + ".expected");
        if (Update) File.WriteAllText(path, rendered);
        Assert.Equal(File.ReadAllText(path), rendered);
    }

    // Hex files hold 64 bytes per line so that diffs stay readable.
    private static string Wrap(string hex)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < hex.Length; i += 128) sb.Append(hex.AsSpan(i, Math.Min(128, hex.Length - i))).Append('\n');
        return sb.ToString();
    }

    private static string Unwrap(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
