using Strata.Storage.Labels;
using System.Text;
using Strata.Storage.Blocks;

namespace Strata.Storage.Tests.Blocks;

public class BlockPrimitivesTests
{
    public static readonly TheoryData<string, uint> CrcCases = new()
    {
        { "", 0x00000000 },
        { "123456789", 0xE3069283 },                 // the CRC-32C check value
        { "a", 0xC1D04330 },
        { "The quick brown fox jumps over the lazy dog", 0x22620404 },
    };

    [Theory]
    [MemberData(nameof(CrcCases))]
    public void Crc32C_MatchesCastagnoliCheckValues(string input, uint expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        Assert.Equal(expected, Crc32C.Compute(bytes));
        // Split at every point: incremental updates give the same result.
        for (int i = 0; i <= bytes.Length; i++)
        {
            Assert.Equal(expected, Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Seed, bytes.AsSpan(0, i)), bytes.AsSpan(i))));
        }
    }

    public static readonly TheoryData<string, long> UlidCases = new()
    {
        { "01ARYZ6S41TSV4RRFFQ69G5FAV", 1469918176385 }, // ulid(1469918176385) in the ULID spec
        { "00000000000000000000000000", 0 },
        { "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", (1L << 48) - 1 },
    };

    [Theory]
    [MemberData(nameof(UlidCases))]
    public void Ulid_ParsesAndFormats(string text, long ms)
    {
        var u = Ulid.Parse(text);
        Assert.Equal(ms, u.TimestampMs);
        Assert.Equal(text, u.ToString());
        Assert.Equal(u, Ulid.Parse(text.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAVX")]
    [InlineData("81ARZ3NDEKTSV4RRFFQ69G5FAV")] // overflows 128 bits
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")] // U is not in Crockford's alphabet
    public void Ulid_RejectsInvalid(string text) => Assert.False(Ulid.TryParse(text, out _));

    [Fact]
    public void Ulid_IsMonotonicWithinAMillisecond()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 1000).Select(_ => Ulid.New(now)).ToList();
        for (int i = 1; i < ids.Count; i++)
        {
            Assert.True(ids[i].CompareTo(ids[i - 1]) > 0);
            Assert.True(string.CompareOrdinal(ids[i].ToString(), ids[i - 1].ToString()) > 0, "string order follows value order");
        }
        Assert.All(ids, u => Assert.InRange(u.TimestampMs, now, now + 1));
        Assert.True(Ulid.New().TimestampMs >= now);
    }

    [Fact]
    public void Utf8Order_IsUtf8ByteOrder()
    {
        var rnd = new Random(5);
        string[] alphabet = ["a", "z", "é", "\uE000", "\uFFFD", "😀", "𝄞", "\u007F", "\u0800", "\uD7FF"];
        var strings = Enumerable.Range(0, 500).Select(_ => string.Concat(Enumerable.Range(0, rnd.Next(4)).Select(_ => alphabet[rnd.Next(alphabet.Length)]))).ToArray();
        foreach (var a in strings)
        {
            foreach (var b in strings.Take(60))
            {
                int want = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
                Assert.True(want == Math.Sign(Utf8Order.CompareStrings(a, b)), $"\"{a}\" vs \"{b}\"");
            }
        }
        // Where UTF-16 order disagrees: U+E000 sorts before U+1F600 in UTF-8 but after it in UTF-16.
        Assert.True(Utf8Order.CompareStrings("\uE000", "😀") < 0);
        Assert.True(string.CompareOrdinal("\uE000", "😀") > 0);
    }

    [Fact]
    public void Tombstones_RoundTripAndMergeIntervals()
    {
        var t = new Dictionary<long, TombstoneInterval[]>
        {
            [7] = [new(10, 20), new(-5, 0)],
            [1] = [new(long.MinValue, long.MaxValue)],
        };
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "tombstones");
        File.WriteAllBytes(path, TombstonesFile.Encode(t));
        var back = TombstonesFile.Read(path);
        Assert.Equal([new TombstoneInterval(-5, 0), new TombstoneInterval(10, 20)], back[7]);
        Assert.Equal([new TombstoneInterval(long.MinValue, long.MaxValue)], back[1]);
        Assert.Equal([new TombstoneInterval(0, 30)], TombstonesFile.Merge([new(0, 10), new(11, 20), new(15, 30)]));
        Assert.Empty(TombstonesFile.Read(Path.Combine(dir.Path, "missing")));
    }
}
