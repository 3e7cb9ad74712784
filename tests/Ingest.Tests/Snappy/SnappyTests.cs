using System.Text;
using IronSnappyCodec = IronSnappy.Snappy;
using StrataSnappy = Strata.Ingest.Snappy.Snappy;

namespace Strata.Ingest.Tests.Snappy;

public sealed class SnappyTests
{
    // ---- inputs -------------------------------------------------------------------------------

    public static TheoryData<string> Inputs => new()
    {
        "empty",
        "one-byte",
        "16-bytes",
        "17-bytes",
        "random-1k",
        "random-65535",
        "random-65536",
        "random-65537",
        "text-65535",
        "text-65536",
        "text-65537",
        "text-131072",
        "text-131073",
        "zeros-100k",
        "periodic-64k",
        "protobuf-4k",
        "protobuf-200k",
        "random-1m",
        "text-1m",
        "protobuf-1m",
    };

    private static byte[] Input(string name) => name switch
    {
        "empty" => [],
        "one-byte" => [0x42],
        "16-bytes" => "abcdabcdabcdabcd"u8.ToArray(),
        "17-bytes" => "abcdabcdabcdabcda"u8.ToArray(),
        "random-1k" => RandomBytes(1024, seed: 1),
        "random-65535" => RandomBytes(65535, seed: 2),
        "random-65536" => RandomBytes(65536, seed: 3),
        "random-65537" => RandomBytes(65537, seed: 4),
        "text-65535" => Text(65535),
        "text-65536" => Text(65536),
        "text-65537" => Text(65537),
        "text-131072" => Text(131072),
        "text-131073" => Text(131073),
        "zeros-100k" => new byte[100_000],
        "periodic-64k" => Periodic(65536, seed: 5),
        "protobuf-4k" => ProtobufLike(4 * 1024, seed: 6),
        "protobuf-200k" => ProtobufLike(200 * 1024, seed: 7),
        "random-1m" => RandomBytes(1 << 20, seed: 8),
        "text-1m" => Text(1 << 20),
        "protobuf-1m" => ProtobufLike(1 << 20, seed: 9),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] Text(int n)
    {
        var sb = new StringBuilder(n + 128);
        var rnd = new Random(10);
        string[] words = ["level=info", "msg=\"request served\"", "method=GET", "path=/api/v1/query", "status=200", "duration_ms=", "caller=handler.go:42", "ts=2024-05-01T12:00:00Z"];
        while (sb.Length < n)
        {
            sb.Append(words[rnd.Next(words.Length)]).Append(' ');
            if (rnd.Next(8) == 0)
            {
                sb.Append(rnd.Next(100_000)).Append('\n');
            }
        }

        return Encoding.ASCII.GetBytes(sb.ToString(0, n));
    }

    // Runs with periods 1..9 of random lengths: exercises overlapping copies (offset < length).
    private static byte[] Periodic(int n, int seed)
    {
        var rnd = new Random(seed);
        var b = new byte[n];
        int i = 0;
        while (i < n)
        {
            int period = rnd.Next(1, 10);
            int run = rnd.Next(1, 300);
            for (int k = 0; k < period && i + k < n; k++)
            {
                b[i + k] = (byte)rnd.Next(256);
            }

            for (int k = period; k < run && i + k < n; k++)
            {
                b[i + k] = b[i + k - period];
            }

            i += Math.Max(run, period);
        }

        return b;
    }

    // Shaped like a Prometheus remote-write WriteRequest: repeated label names and values as
    // length-delimited fields, float64 samples and varint timestamps.
    internal static byte[] ProtobufLike(int approxSize, int seed)
    {
        var rnd = new Random(seed);
        var w = new List<byte>(approxSize + 1024);
        string[] metrics = ["http_requests_total", "http_request_duration_seconds_bucket", "process_cpu_seconds_total", "go_goroutines", "node_network_receive_bytes_total"];
        string[] jobs = ["api", "node-exporter", "kube-state-metrics", "ingester"];
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        string[] les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
        long ts = 1_714_564_800_000;
        var series = new List<byte>(512);
        var field = new List<byte>(128);
        while (w.Count < approxSize)
        {
            series.Clear();
            AddLabel(series, field, "__name__", metrics[rnd.Next(metrics.Length)]);
            AddLabel(series, field, "instance", $"10.0.{rnd.Next(4)}.{rnd.Next(256)}:9100");
            AddLabel(series, field, "job", jobs[rnd.Next(jobs.Length)]);
            AddLabel(series, field, "method", methods[rnd.Next(methods.Length)]);
            AddLabel(series, field, "namespace", "prod-eu-west-1");
            AddLabel(series, field, "pod", $"api-7d9f8b6c4-{rnd.Next(10_000):x4}");
            if (rnd.Next(3) == 0)
            {
                AddLabel(series, field, "le", les[rnd.Next(les.Length)]);
            }

            int samples = rnd.Next(1, 4);
            for (int i = 0; i < samples; i++)
            {
                field.Clear();
                field.Add(0x09); // field 1, fixed64
                double v = rnd.Next(4) == 0 ? rnd.NextDouble() * 1000 : rnd.Next(1_000_000);
                field.AddRange(BitConverter.GetBytes(v));
                field.Add(0x10); // field 2, varint
                AddVarint(field, (ulong)(ts + (i * 15_000) + rnd.Next(20)));
                series.Add(0x12); // TimeSeries.samples
                AddVarint(series, (ulong)field.Count);
                series.AddRange(field);
            }

            w.Add(0x0a); // WriteRequest.timeseries
            AddVarint(w, (ulong)series.Count);
            w.AddRange(series);
            ts += 15_000;
        }

        return [.. w];

        static void AddLabel(List<byte> series, List<byte> field, string name, string value)
        {
            field.Clear();
            field.Add(0x0a);
            AddVarint(field, (ulong)name.Length);
            field.AddRange(Encoding.ASCII.GetBytes(name));
            field.Add(0x12);
            AddVarint(field, (ulong)value.Length);
            field.AddRange(Encoding.ASCII.GetBytes(value));
            series.Add(0x0a); // TimeSeries.labels
            AddVarint(series, (ulong)field.Count);
            series.AddRange(field);
        }

        static void AddVarint(List<byte> b, ulong v)
        {
            while (v >= 0x80)
            {
                b.Add((byte)(v | 0x80));
                v >>= 7;
            }

            b.Add((byte)v);
        }
    }

    private static byte[] OurEncode(byte[] input)
    {
        var buf = new byte[StrataSnappy.MaxEncodedLength(input.Length)];
        int n = StrataSnappy.Encode(input, buf);
        return buf[..n];
    }

    // ---- round trips and cross-checks ----------------------------------------------------------

    [Theory]
    [MemberData(nameof(Inputs))]
    public void RoundTrip(string name)
    {
        byte[] input = Input(name);
        byte[] encoded = OurEncode(input);
        Assert.True(encoded.Length <= StrataSnappy.MaxEncodedLength(input.Length), name);

        Assert.True(StrataSnappy.TryGetDecodedLength(encoded, out int length), name);
        Assert.Equal(input.Length, length);

        // dst longer than needed: bytes past the decoded length stay untouched.
        var dst = new byte[length + 64];
        dst.AsSpan().Fill(0xA5);
        bool ok = StrataSnappy.TryDecode(encoded, dst, out int written, out string? error);
        Assert.True(ok, $"{name}: {error}");
        Assert.Null(error);
        Assert.Equal(input.Length, written);
        Assert.True(input.AsSpan().SequenceEqual(dst.AsSpan(0, written)), name);
        Assert.True(dst.AsSpan(written).IndexOfAnyExcept((byte)0xA5) < 0, name);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void OurEncodingDecodesWithIronSnappy(string name)
    {
        byte[] input = Input(name);
        byte[] decoded = IronSnappyCodec.Decode(OurEncode(input));
        Assert.True(input.AsSpan().SequenceEqual(decoded), name);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void IronSnappyEncodingDecodesWithOurs(string name)
    {
        byte[] input = Input(name);
        byte[] encoded = IronSnappyCodec.Encode(input);
        var dst = new byte[input.Length];
        bool ok = StrataSnappy.TryDecode(encoded, dst, out int written, out string? error);
        Assert.True(ok, $"{name}: {error}");
        Assert.Equal(input.Length, written);
        Assert.True(input.AsSpan().SequenceEqual(dst), name);
    }

    // Same algorithm as Go's encoder (which IronSnappy ports), so sizes should match closely.
    [Theory]
    [MemberData(nameof(Inputs))]
    public void CompressesAsWellAsIronSnappy(string name)
    {
        byte[] input = Input(name);
        int ours = OurEncode(input).Length;
        int theirs = IronSnappyCodec.Encode(input).Length;
        Assert.True(ours <= theirs + (theirs / 100) + 8, $"{name}: {ours} bytes vs IronSnappy {theirs}");
    }

    // ---- golden encodings ----------------------------------------------------------------------

    public static TheoryData<string, byte[], byte[]> Golden()
    {
        byte[] abcd = "abcd"u8.ToArray();
        byte[] seq261 = Seq(261);
        byte[] seq64 = Seq(64);
        return new()
        {
            { "empty", [0x00], [] },
            { "non-minimal-header", [0x85, 0x00, 0x10, .. "hello"u8], "hello"u8.ToArray() },
            { "literal", [0x05, 0x10, .. "hello"u8], "hello"u8.ToArray() },
            { "literal-1-byte-length", [100, 60 << 2, 99, .. Seq(100)], Seq(100) },
            { "literal-2-byte-length", [0xAC, 0x02, 61 << 2, 0x2B, 0x01, .. Seq(300)], Seq(300) },
            { "literal-3-byte-length", [0x05, 62 << 2, 0x04, 0x00, 0x00, .. "abcde"u8], "abcde"u8.ToArray() },
            { "literal-4-byte-length", [0x05, 63 << 2, 0x04, 0x00, 0x00, 0x00, .. "abcde"u8], "abcde"u8.ToArray() },
            { "copy-1", [0x10, 0x1C, .. "abcdefgh"u8, 0x11, 0x08], "abcdefghabcdefgh"u8.ToArray() },
            { "copy-1-high-offset-bits", [0x89, 0x02, 61 << 2, 0x04, 0x01, .. seq261, 0x21, 0x05], [.. seq261, .. seq261[..4]] },
            { "copy-2", [0x08, 0x0C, .. abcd, 0x0E, 0x04, 0x00], "abcdabcd"u8.ToArray() },
            { "copy-2-length-64", [0x80, 0x01, 60 << 2, 63, .. seq64, 0xFE, 0x40, 0x00], [.. seq64, .. seq64] },
            { "copy-4", [0x08, 0x0C, .. abcd, 0x0F, 0x04, 0x00, 0x00, 0x00], "abcdabcd"u8.ToArray() },
            { "overlap-offset-1", [0x0B, 0x00, (byte)'a', 0x19, 0x01], "aaaaaaaaaaa"u8.ToArray() },
            { "overlap-offset-4-copy-1", [0x0C, 0x0C, .. abcd, 0x11, 0x04], "abcdabcdabcd"u8.ToArray() },
            { "overlap-offset-3-long", [23, 0x08, .. "abc"u8, 0x4E, 0x03, 0x00], "abcabcabcabcabcabcabcab"u8.ToArray() },
            { "overlap-offset-8-length-16", [24, 0x1C, .. "abcdefgh"u8, 0x3E, 0x08, 0x00], "abcdefghabcdefghabcdefgh"u8.ToArray() },
            { "overlap-offset-5-copy-4-length-64", [69, 0x10, .. "12345"u8, 0xFF, 0x05, 0x00, 0x00, 0x00], Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("12345", 14)))[..69] },
        };
    }

    private static byte[] Seq(int n) => [.. Enumerable.Range(0, n).Select(i => (byte)(i * 7))];

    [Theory]
    [MemberData(nameof(Golden))]
    public void DecodesGolden(string name, byte[] encoded, byte[] expected)
    {
        Assert.True(StrataSnappy.TryGetDecodedLength(encoded, out int length), name);
        Assert.Equal(expected.Length, length);
        var dst = new byte[length];
        bool ok = StrataSnappy.TryDecode(encoded, dst, out int written, out string? error);
        Assert.True(ok, $"{name}: {error}");
        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, dst);
        Assert.Equal(expected, IronSnappyCodec.Decode(encoded)); // the goldens themselves are valid snappy
    }

    public static TheoryData<string, byte[], int, string> Corrupt() => new()
    {
        { "empty-input", [], 16, "length header" },
        { "truncated-header", [0x80], 16, "length header" },
        { "header-over-10-bytes", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 16, "length header" },
        { "header-over-uint32", [0xFF, 0xFF, 0xFF, 0xFF, 0x1F], 16, "int.MaxValue" },
        { "header-over-int-max", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], 16, "int.MaxValue" },
        { "header-exceeds-dst", [0x0A, 0x24, .. "0123456789"u8], 5, "decoded length 10 exceeds destination of 5 bytes" },
        { "offset-zero", [0x05, 0x00, (byte)'a', 0x01, 0x00], 16, "copy offset 0 after 1 bytes decoded" },
        { "offset-beyond-output", [0x08, 0x0C, .. "abcd"u8, 0x0E, 0x05, 0x00], 16, "copy offset 5 beyond 4 bytes decoded" },
        { "copy-4-offset-huge", [0x08, 0x0C, .. "abcd"u8, 0x0F, 0x70, 0x11, 0x01, 0x00], 16, "copy offset 70000 beyond 4 bytes decoded" },
        { "copy-4-offset-uint-max", [0x08, 0x0C, .. "abcd"u8, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF], 16, "copy offset 4294967295 beyond 4 bytes decoded" },
        { "copy-before-any-literal", [0x04, 0x01, 0x01], 16, "copy offset 1 beyond 0 bytes decoded" },
        { "literal-beyond-input", [0x05, 0x10, (byte)'h', (byte)'e'], 16, "literal of 5 bytes but only 2 input bytes remain" },
        { "literal-4-byte-length-max", [0x05, 63 << 2, 0xFF, 0xFF, 0xFF, 0xFF], 16, "literal of 4294967296 bytes" },
        { "literal-overruns-declared", [0x02, 0x10, .. "hello"u8], 16, "literal of 5 bytes at 0 overruns declared length 2" },
        { "copy-overruns-declared", [0x05, 0x0C, .. "abcd"u8, 0x11, 0x04], 16, "copy of 8 bytes at 4 overruns declared length 5" },
        { "short-output", [0x06, 0x10, .. "hello"u8], 16, "decoded 5 bytes but header declared 6" },
        { "trailing-element", [0x05, 0x10, .. "hello"u8, 0x00, (byte)'x'], 16, "overruns declared length 5" },
        { "truncated-literal-length", [0x05, 61 << 2, 0x04], 16, "truncated literal length" },
        { "truncated-copy-1", [0x05, 0x0C, .. "abcd"u8, 0x01], 16, "truncated copy-1 element" },
        { "truncated-copy-2", [0x05, 0x0C, .. "abcd"u8, 0x02, 0x04], 16, "truncated copy-2 element" },
        { "truncated-copy-4", [0x05, 0x0C, .. "abcd"u8, 0x03, 0x04, 0x00, 0x00], 16, "truncated copy-4 element" },
    };

    [Theory]
    [MemberData(nameof(Corrupt))]
    public void RejectsCorruptGolden(string name, byte[] encoded, int dstLength, string expectedError)
    {
        var dst = new byte[dstLength];
        bool ok = StrataSnappy.TryDecode(encoded, dst, out int written, out string? error);
        Assert.False(ok, name);
        Assert.Equal(0, written);
        Assert.NotNull(error);
        Assert.StartsWith("snappy: ", error, StringComparison.Ordinal);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], false, 0)]
    [InlineData(new byte[] { 0x00 }, true, 0)]
    [InlineData(new byte[] { 0x7F }, true, 127)]
    [InlineData(new byte[] { 0x80 }, false, 0)]
    [InlineData(new byte[] { 0x80, 0x01 }, true, 128)]
    [InlineData(new byte[] { 0x80, 0x00 }, true, 0)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, true, int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x08 }, false, 0)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02 }, false, 0)]
    [InlineData(new byte[] { 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, true, 1)]
    public void ReadsDecodedLength(byte[] src, bool expectedOk, int expectedLength)
    {
        bool ok = StrataSnappy.TryGetDecodedLength(src, out int length);
        Assert.Equal(expectedOk, ok);
        Assert.Equal(expectedLength, length);
    }

    [Theory]
    [InlineData(0, 32)]
    [InlineData(1, 33)]
    [InlineData(6, 39)]
    [InlineData(65536, 65536 + 32 + 10922)]
    [InlineData(1_840_700_241, int.MaxValue - 1)]
    [InlineData(int.MaxValue, -1)]
    [InlineData(-1, -1)]
    public void MaxEncodedLengthMatchesGo(int srcLength, int expected)
        => Assert.Equal(expected, StrataSnappy.MaxEncodedLength(srcLength));

    [Fact]
    public void EncodeRejectsSmallDestination()
    {
        byte[] input = Text(1000);
        var dst = new byte[StrataSnappy.MaxEncodedLength(input.Length) - 1];
        Assert.Throws<ArgumentException>(() => StrataSnappy.Encode(input, dst));
    }

    // ---- truncation and corruption -------------------------------------------------------------

    private static readonly string[] CorruptionBases =
    [
        "golden-all-kinds",
        "protobuf-4k",
        "periodic-4k",
        "random-1k",
        "text-65537",
        "ironsnappy-protobuf-4k",
    ];

    public static TheoryData<string> TruncationInputs => new(CorruptionBases);

    private static byte[] EncodedForCorruption(string name) => name switch
    {
        // Every element kind, including 3- and 4-byte literal lengths that our encoder never emits.
        "golden-all-kinds" => [
            0x80, 0x01,
            0x10, .. "hello"u8,
            62 << 2, 0x0A, 0x00, 0x00, .. "0123456789a"u8,
            0x15, 0x0B,
            63 << 2, 0x02, 0x00, 0x00, 0x00, .. "xyz"u8,
            0x4E, 0x03, 0x00,
            0x0F, 0x10, 0x00, 0x00, 0x00,
            0x11, 0x09,
            0x00, (byte)'!',
            0x01, 0x01,
            0x6E, 0x2A, 0x00,
            0x8A, 0x32, 0x00,
        ],
        "periodic-4k" => OurEncode(Periodic(4096, seed: 11)),
        "ironsnappy-protobuf-4k" => IronSnappyCodec.Encode(ProtobufLike(4096, seed: 12)),
        _ => OurEncode(Input(name)),
    };

    [Fact]
    public void AllKindsStreamIsValid()
    {
        byte[] encoded = EncodedForCorruption("golden-all-kinds");
        byte[]? expected = ReferenceDecode(encoded);
        Assert.NotNull(expected);
        Assert.Equal(128, expected.Length);
        var dst = new byte[128];
        Assert.True(StrataSnappy.TryDecode(encoded, dst, out _, out string? error), error);
        Assert.Equal(expected, dst);
        Assert.Equal(expected, IronSnappyCodec.Decode(encoded));
    }

    [Theory]
    [MemberData(nameof(TruncationInputs))]
    public void EveryTruncationFailsCleanly(string name)
    {
        byte[] encoded = EncodedForCorruption(name);
        Assert.True(StrataSnappy.TryGetDecodedLength(encoded, out int length), name);
        var buffer = new byte[length + 32];
        for (int cut = 0; cut < encoded.Length; cut++)
        {
            Span<byte> dst = buffer.AsSpan(0, length);
            buffer.AsSpan(length).Fill(0xA5);
            bool ok = StrataSnappy.TryDecode(encoded.AsSpan(0, cut), dst, out int written, out string? error);

            // Every element produces at least one byte, so no strict prefix can reach the declared length.
            Assert.False(ok, $"{name}: prefix of {cut} bytes decoded");
            Assert.Equal(0, written);
            Assert.False(string.IsNullOrEmpty(error), $"{name}: prefix of {cut} bytes has no error");
            Assert.True(buffer.AsSpan(length).IndexOfAnyExcept((byte)0xA5) < 0, $"{name}: prefix of {cut} bytes wrote past dst");
        }
    }

    [Theory]
    [InlineData(20240501, 4000)]
    [InlineData(42, 4000)]
    public void RandomCorruptionMatchesReferenceAndStaysInBounds(int seed, int iterations)
    {
        var rnd = new Random(seed);
        byte[][] bases = [.. CorruptionBases.Select(EncodedForCorruption)];
        var buffer = new byte[(1 << 16) + 64];
        int successes = 0;
        for (int iter = 0; iter < iterations; iter++)
        {
            byte[] input = iter % 8 == 7
                ? RandomBytes(rnd.Next(0, 48), seed: rnd.Next())
                : Mutate(bases[rnd.Next(bases.Length)], rnd);
            string label = $"seed {seed} iteration {iter}: {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 32)))}";

            // Usually the declared length (so decoding proceeds into the body), sometimes less or more.
            int dstLength = StrataSnappy.TryGetDecodedLength(input, out int declared) && declared <= 1 << 16
                ? Math.Clamp(declared + (rnd.Next(4) == 0 ? rnd.Next(-8, 9) : 0), 0, 1 << 16)
                : rnd.Next(0, 1024);
            buffer.AsSpan().Fill(0xA5);
            Span<byte> dst = buffer.AsSpan(0, dstLength);

            bool ok = StrataSnappy.TryDecode(input, dst, out int written, out string? error);

            Assert.True(buffer.AsSpan(dstLength).IndexOfAnyExcept((byte)0xA5) < 0, $"{label}: wrote past dst");
            byte[]? expected = ReferenceDecode(input);
            if (ok)
            {
                successes++;
                Assert.Null(error);
                Assert.NotNull(expected);
                Assert.Equal(expected.Length, written);
                Assert.True(expected.AsSpan().SequenceEqual(dst[..written]), $"{label}: differs from reference");
                Assert.True(buffer.AsSpan(written).IndexOfAnyExcept((byte)0xA5) < 0, $"{label}: wrote past decoded length");
            }
            else
            {
                Assert.Equal(0, written);
                Assert.False(string.IsNullOrEmpty(error), label);
                Assert.True(expected is null || expected.Length > dstLength, $"{label}: reference decoded but ours failed: {error}");
            }
        }

        // Both outcomes must be well represented, or the comparison with the reference proves little.
        Assert.InRange(successes, iterations / 20, iterations - (iterations / 20));
    }

    private static byte[] Mutate(byte[] src, Random rnd)
    {
        var b = new List<byte>(src);
        int edits = rnd.Next(1, 4);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = rnd.Next(b.Count);
            switch (rnd.Next(6))
            {
                case 0: b[at] ^= (byte)(1 << rnd.Next(8)); break;
                case 1: b[at] = (byte)rnd.Next(256); break;
                case 2: b.Insert(at, (byte)rnd.Next(256)); break;
                case 3: b.RemoveAt(at); break;
                case 4: b.RemoveRange(at, b.Count - at); break;
                default:
                    // Rewrite the first bytes of the body, where tags and lengths live.
                    int p = Math.Min(rnd.Next(0, 4), b.Count - 1);
                    b[p] = (byte)rnd.Next(256);
                    break;
            }
        }

        return [.. b];
    }

    // Byte-at-a-time decoder written straight from format_description.txt, with Go's checks;
    // null means corrupt. The fast decoder must agree with it on every input.
    private static byte[]? ReferenceDecode(ReadOnlySpan<byte> src)
    {
        ulong n = 0;
        int s = 0;
        for (int shift = 0; ; shift += 7, s++)
        {
            if (s >= src.Length || s >= 10 || (s == 9 && src[s] > 1))
            {
                return null;
            }

            n |= (ulong)(src[s] & 0x7f) << shift;
            if (src[s] < 0x80)
            {
                s++;
                break;
            }
        }

        if (n > int.MaxValue || n > 1 << 20)
        {
            return null;
        }

        var dst = new byte[(int)n];
        int d = 0;
        while (s < src.Length)
        {
            int tag = src[s];
            long length;
            long offset;
            switch (tag & 3)
            {
                case 0:
                    length = tag >> 2;
                    s++;
                    if (length >= 60)
                    {
                        int extra = (int)length - 59;
                        if (s + extra > src.Length)
                        {
                            return null;
                        }

                        length = 0;
                        for (int i = 0; i < extra; i++)
                        {
                            length |= (long)src[s + i] << (8 * i);
                        }

                        s += extra;
                    }

                    length++;
                    if (length > src.Length - s || length > dst.Length - d)
                    {
                        return null;
                    }

                    for (int i = 0; i < length; i++)
                    {
                        dst[d++] = src[s++];
                    }

                    continue;
                case 1:
                    if (s + 2 > src.Length)
                    {
                        return null;
                    }

                    length = 4 + ((tag >> 2) & 7);
                    offset = ((tag & 0xe0) << 3) | src[s + 1];
                    s += 2;
                    break;
                case 2:
                    if (s + 3 > src.Length)
                    {
                        return null;
                    }

                    length = 1 + (tag >> 2);
                    offset = src[s + 1] | (src[s + 2] << 8);
                    s += 3;
                    break;
                default:
                    if (s + 5 > src.Length)
                    {
                        return null;
                    }

                    length = 1 + (tag >> 2);
                    offset = (uint)(src[s + 1] | (src[s + 2] << 8) | (src[s + 3] << 16)) | ((uint)src[s + 4] << 24);
                    s += 5;
                    break;
            }

            if (offset <= 0 || offset > d || length > dst.Length - d)
            {
                return null;
            }

            for (int i = 0; i < length; i++, d++)
            {
                dst[d] = dst[d - offset];
            }
        }

        return d == dst.Length ? dst : null;
    }
}
