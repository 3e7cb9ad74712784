using System.Text;
using Strata.Storage.Wal;

namespace Strata.Storage.Tests.Wal;

public class Crc32CTests
{
    public static readonly TheoryData<string, uint> Vectors = new()
    {
        { "", 0x00000000 },
        { "a", 0xC1D04330 },
        { "abc", 0x364B3FB7 },
        { "123456789", 0xE3069283 },
        { "The quick brown fox jumps over the lazy dog", 0x22620404 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void KnownVectors(string input, uint expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        Assert.Equal(expected, Crc32C.Compute(bytes));
        Assert.Equal(expected, Crc32C.ComputeSoftware(bytes));
    }

    [Fact]
    public void Rfc3720ZeroAndOnesVectors()
    {
        // iSCSI (RFC 3720 B.4): 32 bytes of zeros and of 0xFF.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
    }

    [Fact]
    public void HardwareMatchesTableOnRandomData()
    {
        var rnd = new Random(20240611);
        for (int len = 0; len < 300; len++)
        {
            var data = new byte[len];
            rnd.NextBytes(data);
            uint seed = (uint)rnd.Next();
            Assert.Equal(Crc32C.ComputeSoftware(data, seed), Crc32C.Compute(data, seed));
        }
        var big = new byte[1 << 20];
        rnd.NextBytes(big);
        Assert.Equal(Crc32C.ComputeSoftware(big), Crc32C.Compute(big));
    }

    [Fact]
    public void ChainsLikeConcatenation()
    {
        var rnd = new Random(7);
        var data = new byte[1000];
        rnd.NextBytes(data);
        for (int split = 0; split <= data.Length; split += 37)
        {
            Assert.Equal(Crc32C.Compute(data), Crc32C.Compute(data.AsSpan(split), Crc32C.Compute(data.AsSpan(0, split))));
        }
    }
}
