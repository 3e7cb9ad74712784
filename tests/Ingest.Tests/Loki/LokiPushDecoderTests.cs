using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Strata.Ingest.Loki;
using Strata.Storage.Labels;

namespace Strata.Ingest.Tests.Loki;

public class LokiPushDecoderTests
{
    private const long S = 1_000_000_000;
    private const long T0 = LokiBodies.T0;

    private static LokiPushResult Json(string body, LokiLimits? limits = null) =>
        LokiBodies.Decoder(limits).Decode(Encoding.UTF8.GetBytes(body), "application/json", null);

    private static LokiPushResult Proto(LokiLimits? limits, params TestStream[] streams) =>
        LokiBodies.Decoder(limits).Decode(LokiBodies.Protobuf(streams), "application/x-protobuf", null);

    private static void Fails(LokiPushResult result, LokiPushStatus status, string message)
    {
        using (result)
        {
            Assert.Equal(status, result.Status);
            Assert.Equal(message, result.Message);
            Assert.Empty(result.Streams);
            Assert.Equal(0, result.AcceptedEntries);
        }
    }

    public static TheoryData<string, string> MalformedJson => new()
    {
        { """{"streams":[{"stream":{"a":"b"},"values":[[1700000000000000000,"line"]]}]}""",
            "malformed JSON push request: timestamp of entry 0 in stream 0 must be a string of Unix nanoseconds, got a number" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1.7e18","line"]]}]}""",
            "malformed JSON push request: timestamp \"1.7e18\" of entry 0 in stream 0 is not an integer number of Unix nanoseconds" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["","line"]]}]}""",
            "malformed JSON push request: timestamp \"\" of entry 0 in stream 0 is not an integer number of Unix nanoseconds" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["99999999999999999999","line"]]}]}""",
            "malformed JSON push request: timestamp \"99999999999999999999\" of entry 0 in stream 0 is not an integer number of Unix nanoseconds" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1",2]]}]}""",
            "malformed JSON push request: line of entry 0 in stream 0 must be a string, got a number" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1","x"],["1"]]}]}""",
            "malformed JSON push request: entry 1 in stream 0 must be [\"<ns>\", \"<line>\"] or [\"<ns>\", \"<line>\", {structured metadata}]" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1","x",{},"extra"]]}]}""",
            "malformed JSON push request: entry 0 in stream 0 must be [\"<ns>\", \"<line>\"] or [\"<ns>\", \"<line>\", {structured metadata}]" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1","x","not an object"]]}]}""",
            "malformed JSON push request: entry 0 in stream 0 must be [\"<ns>\", \"<line>\"] or [\"<ns>\", \"<line>\", {structured metadata}]" },
        { """{"streams":[{"stream":{"a":"b"},"values":["1","x"]}]}""",
            "malformed JSON push request: entry 0 in stream 0 must be [\"<ns>\", \"<line>\"] or [\"<ns>\", \"<line>\", {structured metadata}]" },
        { """{"streams":[{},{"stream":{"a":"b"},"values":[["1","x",{"ok":"1","user":{"id":1}}]]}]}""",
            "malformed JSON push request: structured metadata \"user\" of entry 0 in stream 1 must be a string or a number, got an object" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1","x",{"tags":["a"]}]]}]}""",
            "malformed JSON push request: structured metadata \"tags\" of entry 0 in stream 0 must be a string or a number, got an array" },
        { """{"streams":[{"stream":{"a":{"b":"c"}},"values":[["1","x"]]}]}""",
            "malformed JSON push request: label \"a\" of stream 0 must be a string, got an object" },
        { """{"streams":[{"stream":"{a=\"b\"}","values":[["1","x"]]}]}""",
            "malformed JSON push request: \"stream\" of stream 0 must be an object of label names to values" },
        { """{"streams":[{"stream":{"a":"b"},"values":{"1":"x"}}]}""",
            "malformed JSON push request: \"values\" of stream 0 must be an array" },
        { """{"streams":{"stream":{}}}""", "malformed JSON push request: \"streams\" must be an array" },
        { """{"streams":["x"]}""", "malformed JSON push request: stream 0 must be an object" },
        { """[]""", "malformed JSON push request: the body must be a JSON object" },
        { "", "malformed JSON push request: the body is empty" },
        { " \n", "malformed JSON push request: the body is empty" },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1","x"]]}]""",
            "malformed JSON push request: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 54." },
        { """{"streams":[]} x""",
            "malformed JSON push request: 'x' is invalid after a single JSON value. Expected end of data. LineNumber: 0 | BytePositionInLine: 15." },
        { """{"streams":[{"stream":{"a":"b"},"values":[["1","\ud800"]]}]}""",
            "malformed JSON push request: Cannot read incomplete UTF-16 JSON text as string with missing low surrogate." },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public void MalformedJsonFailsTheWholeRequest(string body, string message) =>
        Fails(Json(body), LokiPushStatus.BadRequest, message);

    [Fact]
    public void MalformedProtobufFailsTheWholeRequest()
    {
        var decoder = LokiBodies.Decoder();
        Fails(decoder.Decode("not snappy"u8.ToArray(), null, null), LokiPushStatus.BadRequest,
            "snappy: corrupt input: copy offset 1853038708 beyond 0 bytes decoded");
        Fails(decoder.Decode(Array.Empty<byte>(), null, null), LokiPushStatus.BadRequest,
            "snappy: corrupt input: malformed or truncated length header");
        // Valid snappy around bytes that are not a PushRequest: field 1 with wire type 0.
        Fails(decoder.Decode(IronSnappy.Snappy.Encode([0x08, 0x01]), null, null), LokiPushStatus.BadRequest,
            "malformed logproto.PushRequest: field PushRequest.streams has wire type 0, expected 2");
        // A stream whose entry claims more bytes than there are.
        Fails(decoder.Decode(IronSnappy.Snappy.Encode([0x0a, 0x04, 0x12, 0x09, 0x12, 0x01]), null, null), LokiPushStatus.BadRequest,
            "malformed logproto.PushRequest: length 9 at offset 4 exceeds the 2 bytes left");
        // An entry whose timestamp is a varint instead of a message.
        byte[] entry = [0x08, 0x05];
        byte[] stream = [0x12, (byte)entry.Length, .. entry];
        Fails(decoder.Decode(IronSnappy.Snappy.Encode([0x0a, (byte)stream.Length, .. stream]), null, null), LokiPushStatus.BadRequest,
            "malformed logproto.PushRequest: field EntryAdapter.timestamp has wire type 0, expected 2");
    }

    [Theory]
    [InlineData("br", "Content-Encoding \"br\" not supported")]
    [InlineData("zstd", "Content-Encoding \"zstd\" not supported")]
    [InlineData("gzip, br", "Content-Encoding \"gzip, br\" not supported")]
    public void UnsupportedContentEncodingIs400(string encoding, string message) =>
        Fails(LokiBodies.Decoder().Decode(LokiBodies.Protobuf(), null, encoding), LokiPushStatus.BadRequest, message);

    [Fact]
    public void CorruptCompressedBodiesAre400()
    {
        var decoder = LokiBodies.Decoder();
        Fails(decoder.Decode("not gzip at all"u8.ToArray(), "application/json", "gzip"), LokiPushStatus.BadRequest,
            "gzip: The archive entry was compressed using an unsupported compression method.");
        Fails(decoder.Decode(new byte[] { 0xff, 0xff, 0xff }, "application/json", "deflate"), LokiPushStatus.BadRequest,
            "flate: The archive entry was compressed using an unsupported compression method.");
    }

    [Fact]
    public void HeaderValuesAreMatchedLikeLokiButLeniently()
    {
        string json = $$"""{"streams":[{"stream":{"a":"b"},"values":[["{{T0}}","x"]]}]}""";
        var decoder = LokiBodies.Decoder();
        foreach (string contentType in new[] { "application/json", "Application/JSON", " application/json ; charset=utf-8" })
        {
            using var r = decoder.Decode(Encoding.UTF8.GetBytes(json), contentType, " GZIP ".Trim() == "GZIP" ? null : "x");
            Assert.Equal(LokiPushStatus.Ok, r.Status);
        }
        using var gz = decoder.Decode(Gzip(Encoding.UTF8.GetBytes(json)), "application/json", " GZip ");
        Assert.Equal(1, gz.AcceptedEntries);
        // Everything that is not application/json is protobuf, as in Loki.
        using var notJson = decoder.Decode(Encoding.UTF8.GetBytes(json), "text/plain", null);
        Assert.Equal(LokiPushStatus.BadRequest, notJson.Status);
        Assert.StartsWith("snappy: corrupt input", notJson.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedBodiesAre413BeforeTheyAreDecoded()
    {
        var limits = new LokiLimits { MaxDecompressedBytes = 1000 };
        var streams = new TestStream("""{a="b"}""", Enumerable.Range(0, 50).Select(i => new TestEntry(T0 + i, new string('x', 100))).ToArray());
        Fails(LokiBodies.Decoder(limits).Decode(LokiBodies.Protobuf(streams), null, null), LokiPushStatus.TooLarge,
            $"request body too large: {LokiBodies.Message(streams).CalculateSize()} bytes, limit: 1000 bytes");
        byte[] bomb = Gzip(new byte[1_000_000]);
        Fails(LokiBodies.Decoder(limits).Decode(bomb, "application/json", "gzip"), LokiPushStatus.TooLarge,
            "request body too large: more than 1000 bytes after decompression, limit: 1000 bytes");
        Fails(LokiBodies.Decoder(limits).Decode(Deflate(new byte[1_000_000]), "application/json", "deflate"), LokiPushStatus.TooLarge,
            "request body too large: more than 1000 bytes after decompression, limit: 1000 bytes");
    }

    [Fact]
    public void ProtobufLinesAreSlicesOfOneBufferAndJsonLinesOfTheBody()
    {
        var streams = Enumerable.Range(0, 5).Select(s => new TestStream($$"""{app="a{{s}}"}""",
            Enumerable.Range(0, 20).Select(i => new TestEntry(T0 + i, $"line {s} {i}")).ToArray())).ToArray();
        using var proto = LokiBodies.Decoder().Decode(LokiBodies.Protobuf(streams), null, null);
        var arrays = proto.Streams.SelectMany(s => s.Entries).Select(e => MemoryMarshal.TryGetArray(e.Line, out var seg) ? seg.Array : null).Distinct().ToList();
        Assert.NotNull(Assert.Single(arrays));

        byte[] body = Encoding.UTF8.GetBytes($$"""{"streams":[{"stream":{"a":"b"},"values":[["{{T0}}","plain"],["{{T0}}","esc\"aped"]]}]}""");
        using var json = LokiBodies.Decoder().Decode(body, "application/json", null);
        var entries = json.Streams[0].Entries;
        Assert.True(MemoryMarshal.TryGetArray(entries[0].Line, out var plain));
        Assert.Same(body, plain.Array);
        Assert.Equal("plain", Encoding.UTF8.GetString(body, plain.Offset, plain.Count));
        Assert.True(MemoryMarshal.TryGetArray(entries[1].Line, out var escaped));
        Assert.NotSame(body, escaped.Array);
        Assert.Equal("esc\"aped", Encoding.UTF8.GetString(entries[1].Line.Span));
    }

    [Fact]
    public void LabelTextIsParsedOncePerDecoder()
    {
        var decoder = LokiBodies.Decoder();
        byte[] body = LokiBodies.Protobuf(new TestStream("""{app="x", env="prod"}""", new TestEntry(T0, "a")));
        using var first = decoder.Decode(body, null, null);
        using var second = decoder.Decode(body, null, null);
        Assert.Same(first.Streams[0].Labels, second.Streams[0].Labels);

        string json = $$"""{"streams":[{"stream":{"app":"x"},"values":[["{{T0}}","a"]]}]}""";
        using var j1 = decoder.Decode(Encoding.UTF8.GetBytes(json), "application/json", null);
        using var j2 = decoder.Decode(Encoding.UTF8.GetBytes(json), "application/json", null);
        Assert.Same(j1.Streams[0].Labels, j2.Streams[0].Labels);
    }

    [Fact]
    public void ATinyCacheEvictsWithoutChangingResults()
    {
        var streams = Enumerable.Range(0, 40).Select(s => new TestStream($$"""{app="a{{s}}", bad{{(s % 7 == 0 ? "-" : "")}}x="1"}""",
            new TestEntry(T0 + s, $"line {s}"))).ToArray();
        byte[] body = LokiBodies.Protobuf(streams);
        string expected;
        using (var r = LokiBodies.Decoder().Decode(body, null, null)) expected = LokiBodies.Render(r);
        var tiny = LokiBodies.Decoder(new LokiLimits { LabelCacheSize = 2 });
        for (int i = 0; i < 3; i++)
        {
            using var r = tiny.Decode(body, null, null);
            Assert.Equal(expected, LokiBodies.Render(r));
        }
    }

    [Fact]
    public void ConcurrentDecodesAgree()
    {
        var bodies = Enumerable.Range(0, 8).Select(b => LokiBodies.Protobuf(Enumerable.Range(0, 30).Select(s =>
            new TestStream($$"""{app="a{{(s + b) % 40}}", pod="p{{s % 3}}"}""", new TestEntry(T0 + s, $"l{b}.{s}"))).ToArray())).ToArray();
        var decoder = LokiBodies.Decoder(new LokiLimits { LabelCacheSize = 16 });
        var expected = bodies.Select(b =>
        {
            using var r = LokiBodies.Decoder().Decode(b, null, null);
            return LokiBodies.Render(r);
        }).ToArray();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var r = decoder.Decode(bodies[i % bodies.Length], null, null);
            Assert.Equal(expected[i % bodies.Length], LokiBodies.Render(r));
        });
    }

    [Fact]
    public void LongLinesAreTruncatedWhenConfigured()
    {
        var limits = new LokiLimits { MaxLineSize = 10, TruncateLongLines = true };
        using var r = Proto(limits, new TestStream("""{a="b"}""", new TestEntry(T0, "0123456789abcdef"), new TestEntry(T0, "short")));
        Assert.Equal(LokiPushStatus.Ok, r.Status);
        Assert.Equal(["0123456789", "short"], r.Streams[0].Entries.Select(e => Encoding.UTF8.GetString(e.Line.Span)));
    }

    [Fact]
    public void StructuredMetadataLimits()
    {
        var entry = new TestEntry(T0, "line", ("trace_id", "0123456789"), ("user", "u"));
        using (var r = Proto(new LokiLimits { AllowStructuredMetadata = false }, new TestStream("""{a="b"}""", entry, new TestEntry(T0, "no metadata"))))
        {
            Assert.Equal(LokiPushStatus.BadRequest, r.Status);
            Assert.Equal("stream '{a=\"b\", service_name=\"unknown_service\"}' includes structured metadata, but this feature is disallowed. Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it.", r.Message);
            Assert.Equal(1, r.AcceptedEntries);
            Assert.Equal(1, r.RejectedEntries(LokiRejectReason.DisallowedStructuredMetadata));
            Assert.Equal(4 + 8 + 10 + 4 + 1, r.RejectedBytes(LokiRejectReason.DisallowedStructuredMetadata));
        }
        using (var r = Proto(new LokiLimits { MaxStructuredMetadataSize = 20 }, new TestStream("""{a="b"}""", entry)))
        {
            Assert.Equal("stream '{a=\"b\", service_name=\"unknown_service\"}' has structured metadata too large: '23' bytes, limit: '20' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it.", r.Message);
        }
        using (var r = Proto(new LokiLimits { MaxStructuredMetadataCount = 1 }, new TestStream("""{a="b"}""", entry)))
        {
            Assert.Equal("stream '{a=\"b\", service_name=\"unknown_service\"}' has too many structured metadata labels: '2', limit: '1'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase it.", r.Message);
        }
    }

    [Fact]
    public void EveryEntryRejectedMeansNoStreams()
    {
        using var r = Proto(null, new TestStream("""{a="b"}""", new TestEntry(0, "epoch"), new TestEntry(long.MaxValue, "far future")));
        Assert.Equal(LokiPushStatus.BadRequest, r.Status);
        Assert.Empty(r.Streams);
        Assert.Equal("1 errors like: entry for stream '{a=\"b\", service_name=\"unknown_service\"}' has timestamp too old: 1970-01-01T00:00:00Z, oldest acceptable timestamp is: 2023-11-07T23:13:20Z; "
            + "1 errors like: entry for stream '{a=\"b\", service_name=\"unknown_service\"}' has timestamp too new: 2262-04-11T23:47:16Z", r.Message);
    }

    [Fact]
    public void RepeatedErrorsAreCountedAsLokiDoes()
    {
        var entries = Enumerable.Range(0, 100).Select(i => new TestEntry(T0 + i, new string('x', 11))).ToArray();
        using var r = Proto(new LokiLimits { MaxLineSize = 10 }, new TestStream("""{foo="bar"}""", entries));
        Assert.Equal("100 errors like: Max entry size '10' bytes exceeded for stream '{foo=\"bar\", service_name=\"unknown_service\"}' while adding an entry with length '11' bytes", r.Message);
    }

    [Fact]
    public void DistinctMessagesAreBounded()
    {
        var entries = Enumerable.Range(0, 300).Select(i => new TestEntry(i * S, "old")).ToArray();
        using var r = Proto(null, new TestStream("""{a="b"}""", entries));
        Assert.Equal(300, r.RejectedEntries(LokiRejectReason.GreaterThanMaxSampleAge));
        Assert.EndsWith("; 200 more errors", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceNameDiscoveryCanBeTurnedOff()
    {
        var off = new LokiLimits { DiscoverServiceName = [] };
        using (var r = Proto(off, new TestStream("""{app="x"}""", new TestEntry(T0, "a"))))
            Assert.Equal(LabelSet.From(("app", "x")), r.Streams[0].Labels);
        using (var r = Proto(off, new TestStream("{}", new TestEntry(T0, "a")), new TestStream("""{a=""}""", new TestEntry(T0, "b"))))
            Assert.Equal("2 errors like: error at least one label pair is required per stream", r.Message);
        // The label text of label errors is the text as sent when no service_name was added.
        using (var r = Proto(off with { MaxLabelNamesPerSeries = 1 }, new TestStream("""{b="1",a="2"}""", new TestEntry(T0, "a"))))
            Assert.Equal("entry for stream '{b=\"1\",a=\"2\"}' has 2 label names; limit 1", r.Message);
    }

    [Theory]
    [InlineData("""{service="svc", app="a", job="j"}""", "svc")]
    [InlineData("""{app="a", application="b", job="j"}""", "a")]
    [InlineData("""{app_name="an", name="n"}""", "an")]
    [InlineData("""{name="n", app_kubernetes_io_name="k"}""", "n")]
    [InlineData("""{container="c", container_name="cn", job="j"}""", "c")]
    [InlineData("""{k8s_container_name="kc", component="co"}""", "kc")]
    [InlineData("""{workload="w", job="j"}""", "w")]
    [InlineData("""{job="ns/j", k8s_job_name="kj"}""", "ns/j")]
    [InlineData("""{k8s_job_name="kj"}""", "kj")]
    [InlineData("""{app="", job="j"}""", "j")]
    [InlineData("""{service_name="", app="a"}""", "a")]
    [InlineData("""{namespace="n", pod="p"}""", "unknown_service")]
    public void ServiceNameIsDerivedInLokisOrder(string labels, string expected)
    {
        using var r = Proto(null, new TestStream(labels, new TestEntry(T0, "x")));
        Assert.Equal(expected, r.Streams[0].Labels.Get("service_name"));
    }

    [Fact]
    public void LokisInternalStreamsSkipLabelChecks()
    {
        string labels = "{__aggregated_metric__=\"svc\", " + string.Join(", ", Enumerable.Range(0, 20).Select(i => $"l{i}=\"v\"")) + "}";
        using var r = Proto(null, new TestStream(labels, new TestEntry(T0, "count=1")));
        Assert.Equal(LokiPushStatus.Ok, r.Status);
        Assert.Null(r.Streams[0].Labels.Get("service_name"));
        Assert.Equal(21, r.Streams[0].Labels.Count);
    }

    [Fact]
    public void Utf8LabelNamesCanBeAllowed()
    {
        using var r = Proto(new LokiLimits { AllowUtf8LabelNames = true }, new TestStream("""{"k8s.pod"="p"}""", new TestEntry(T0, "x")));
        Assert.Equal(LokiPushStatus.Ok, r.Status);
        Assert.Equal("p", r.Streams[0].Labels.Get("k8s.pod"));
        string json = $$"""{"streams":[{"stream":{"k8s.pod":"p"},"values":[["{{T0}}","x"]]}]}""";
        using var j = Json(json, new LokiLimits { AllowUtf8LabelNames = true });
        Assert.Equal("p", j.Streams[0].Labels.Get("k8s.pod"));
    }

    [Fact]
    public void ProtobufTimestampsAreSecondsPlusNanos()
    {
        // Negative nanos and seconds far outside int64 nanoseconds must not wrap into the window.
        var req = LokiBodies.Message(new TestStream("""{a="b"}""", new TestEntry(T0, "x"), new TestEntry(T0, "y"), new TestEntry(T0, "z")));
        req.Streams[0].Entries[0].Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = T0 / S + 1, Nanos = -1 };
        req.Streams[0].Entries[1].Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = long.MaxValue / 2 };
        req.Streams[0].Entries[2].Timestamp = null;
        using var r = LokiBodies.Decoder().Decode(IronSnappy.Snappy.Encode(req.ToByteArray()), null, null);
        Assert.Equal(T0 + S - 1, Assert.Single(r.Streams[0].Entries).TimestampNs);
        Assert.Equal(1, r.RejectedEntries(LokiRejectReason.TooFarInFuture));
        Assert.Equal(1, r.RejectedEntries(LokiRejectReason.GreaterThanMaxSampleAge));
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        var req = LokiBodies.Message(new TestStream("""{a="b"}""", new TestEntry(T0, "x", ("k", "v"))));
        req.Format = "loki";
        req.Streams[0].Hash = 12345;
        req.Streams[0].Entries[0].Parsed.Add(new TestSupport.Logproto.LabelPairAdapter { Name = "p", Value = "q" });
        byte[] raw = [.. req.ToByteArray(), 0x78, 0x05, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x95, 0x01, 1, 2, 3, 4];
        using var r = LokiBodies.Decoder().Decode(IronSnappy.Snappy.Encode(raw), null, null);
        Assert.Equal(LokiPushStatus.Ok, r.Status);
        Assert.Equal([new Label("k", "v"), new Label("detected_level", "unknown")], r.Streams[0].Entries[0].Metadata);
    }

    [Fact]
    public void EveryTruncationOfAProtobufBodyFailsCleanly()
    {
        byte[] raw = LokiBodies.Message(
            new TestStream("""{app="x", env="é"}""", new TestEntry(T0, "line one", ("trace_id", "t")), new TestEntry(T0 + 1, "line two")),
            new TestStream("""{app="y"}""", new TestEntry(T0 + 2, "line three"))).ToByteArray();
        var decoder = LokiBodies.Decoder();
        for (int n = 0; n < raw.Length; n++)
        {
            using var r = decoder.Decode(IronSnappy.Snappy.Encode(raw.AsSpan(0, n).ToArray()), null, null);
            Assert.True(r.Status != LokiPushStatus.Ok || r.AcceptedEntries <= 3, $"prefix {n}");
            if (r.Status == LokiPushStatus.BadRequest) Assert.False(string.IsNullOrEmpty(r.Message), $"prefix {n}");
        }
    }

    [Fact]
    public void EveryTruncationOfAJsonBodyFailsCleanly()
    {
        byte[] json = File.ReadAllBytes(Path.Combine(LokiBodies.TestData(), "json_basic.json"));
        int end = Array.LastIndexOf(json, (byte)'}');
        var decoder = LokiBodies.Decoder();
        for (int n = 0; n <= end; n++)
        {
            using var r = decoder.Decode(json.AsMemory(0, n), "application/json", null);
            Assert.True(r.Status == LokiPushStatus.BadRequest, $"prefix {n}");
            Assert.StartsWith("malformed JSON push request: ", r.Message, StringComparison.Ordinal);
            Assert.Empty(r.Streams);
        }
    }

    [Fact]
    public void RandomCorruptionNeverThrows()
    {
        var rng = new Random(11);
        byte[] proto = LokiBodies.Message(new TestStream("""{app="x"}""", new TestEntry(T0, "line", ("k", "v")))).ToByteArray();
        byte[] json = File.ReadAllBytes(Path.Combine(LokiBodies.TestData(), "json_basic.json"));
        var decoder = LokiBodies.Decoder();
        for (int i = 0; i < 3000; i++)
        {
            byte[] p = (byte[])proto.Clone();
            byte[] j = (byte[])json.Clone();
            for (int k = 0; k < 3; k++)
            {
                p[rng.Next(p.Length)] = (byte)rng.Next(256);
                j[rng.Next(j.Length)] = (byte)rng.Next(256);
            }
            using (var r = decoder.Decode(IronSnappy.Snappy.Encode(p), null, null)) Invariants(r);
            using (var r = decoder.Decode(j, "application/json", null)) Invariants(r);
            using (var r = decoder.Decode(p, "application/json", "gzip")) Invariants(r);
        }

        static void Invariants(LokiPushResult r)
        {
            Assert.Equal(r.Status == LokiPushStatus.Ok, r.Message is null);
            Assert.Equal(r.AcceptedEntries, r.Streams.Sum(s => s.Entries.Count));
            Assert.All(r.Streams, s => Assert.NotEmpty(s.Entries));
        }
    }

    [Fact]
    public void LegacyJsonFormIsAccepted()
    {
        const string body = """
            {"streams":[
              {"labels":"{app=\"legacy\", env=\"dev\"}","entries":[
                {"ts":"2023-11-14T22:13:20.123456789Z","line":"first"},
                {"ts":"2023-11-14T23:13:20+01:00","line":"offset \"quoted\""},
                {"line":"late ts","ts":"2023-11-14T22:13:21Z","extra":[1]}]},
              {"labels":"{app=\"legacy\", env=\"dev\"}","entries":[{"ts":"2023-11-14T22:13:22.5Z","line":"again"}]}]}
            """;
        using var r = Json(body);
        Assert.Equal(LokiPushStatus.Ok, r.Status);
        Assert.Same(r.Streams[0].Labels, r.Streams[1].Labels);
        Assert.Equal("""
            status: Ok
            accepted: 4 entries, 32 bytes
            stream {app="legacy", env="dev", service_name="legacy"}
              1700000000123456789 "first" {detected_level="unknown"}
              1700000000000000000 "offset \"quoted\"" {detected_level="unknown"}
              1700000001000000000 "late ts" {detected_level="unknown"}
            stream {app="legacy", env="dev", service_name="legacy"}
              1700000002500000000 "again" {detected_level="unknown"}

            """.ReplaceLineEndings("\n"), LokiBodies.Render(r));

        Fails(Json("""{"streams":[{"labels":"{a=\"b\"}","entries":[{"ts":"yesterday","line":"x"}]}]}"""), LokiPushStatus.BadRequest,
            "malformed JSON push request: \"ts\" of entry 0 in stream 0 must be an RFC 3339 time string");
        Fails(Json("""{"streams":[{"labels":"{a=\"b\"}","entries":[{"line":"x"}]}]}"""), LokiPushStatus.BadRequest,
            "malformed JSON push request: entry 0 in stream 0 has no \"ts\"");
        using var bad = Json("""{"streams":[{"labels":"{a=b}","entries":[{"ts":"2023-11-14T22:13:20Z","line":"x"}]}]}""");
        Assert.Equal("Error parsing labels '{a=b}' with error: 1:4: parse error: unexpected identifier \"b\" in label set, expected string", bad.Message);
    }

    [Theory]
    [InlineData("2023-11-14T22:13:20Z", 1_700_000_000_000_000_000)]
    [InlineData("2023-11-14T22:13:20.1Z", 1_700_000_000_100_000_000)]
    [InlineData("2023-11-14T22:13:20.000000001Z", 1_700_000_000_000_000_001)]
    [InlineData("2023-11-14T22:13:20.1234567891Z", 1_700_000_000_123_456_789)]
    [InlineData("2023-11-15T00:13:20+02:00", 1_700_000_000_000_000_000)]
    [InlineData("2023-11-14T20:13:20.5-02:00", 1_700_000_000_500_000_000)]
    [InlineData("1970-01-01T00:00:00Z", 0)]
    public void Rfc3339(string text, long ns)
    {
        Assert.True(LokiPushDecoder.TryParseRfc3339(text, out long parsed));
        Assert.Equal(ns, parsed);
    }

    [Theory]
    [InlineData("2023-11-14 22:13:20Z")]
    [InlineData("2023-11-14T22:13:20")]
    [InlineData("2023-11-14T22:13:20.Z")]
    [InlineData("1700000000")]
    public void Rfc3339Rejects(string text) => Assert.False(LokiPushDecoder.TryParseRfc3339(text, out _));

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest)) z.Write(data);
        return ms.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new DeflateStream(ms, CompressionLevel.Fastest)) z.Write(data);
        return ms.ToArray();
    }
}
