using System.Security.Cryptography;

namespace Strata.Storage.Blocks;

/// <summary>
/// A ULID (https://github.com/ulid/spec), the name of every block directory: 48 bits of Unix
/// milliseconds then 80 random bits, written as 26 Crockford base32 characters. Ordering by value
/// orders by creation time.
/// </summary>
public readonly record struct Ulid : IComparable<Ulid>
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly Lock GenLock = new();
    private static long _lastMs = -1;
    private static UInt128 _lastRandom;

    public Ulid(UInt128 value) => Value = value;

    public UInt128 Value { get; }

    /// <summary>Milliseconds since the Unix epoch at creation.</summary>
    public long TimestampMs => (long)(ulong)(Value >> 80);

    public static Ulid New() => New(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>
    /// A new ULID for <paramref name="unixMs"/>, monotonic within the process: a second ULID in the same
    /// millisecond is the previous random part plus one, so names created in a burst still sort in
    /// creation order. If the random part would overflow the clock part moves on by a millisecond.
    /// </summary>
    public static Ulid New(long unixMs)
    {
        if (unixMs < 0 || unixMs >= 1L << 48) throw new ArgumentOutOfRangeException(nameof(unixMs));
        const ulong RandomMaskHi = 0xFFFF; // 80 random bits = 16 high + 64 low
        var randomMax = new UInt128(RandomMaskHi, ulong.MaxValue);
        lock (GenLock)
        {
            UInt128 random;
            if (unixMs <= _lastMs)
            {
                unixMs = _lastMs;
                if (_lastRandom == randomMax)
                {
                    unixMs++;
                    random = NextRandom() & randomMax;
                }
                else
                {
                    random = _lastRandom + 1;
                }
            }
            else
            {
                random = NextRandom() & randomMax;
            }
            _lastMs = unixMs;
            _lastRandom = random;
            return new Ulid(((UInt128)(ulong)unixMs << 80) | random);
        }
    }

    private static UInt128 NextRandom()
    {
        Span<byte> b = stackalloc byte[16];
        RandomNumberGenerator.Fill(b);
        return new UInt128(BitConverter.ToUInt64(b), BitConverter.ToUInt64(b[8..]));
    }

    public static Ulid Parse(string s) =>
        TryParse(s, out var u) ? u : throw new FormatException($"invalid ULID \"{s}\"");

    public static bool TryParse(ReadOnlySpan<char> s, out Ulid ulid)
    {
        ulid = default;
        if (s.Length != 26) return false;
        UInt128 v = 0;
        for (int i = 0; i < 26; i++)
        {
            int d = Alphabet.IndexOf(char.ToUpperInvariant(s[i]));
            if (d < 0) return false;
            // 26 * 5 = 130 bits: the first character carries only the top 3 bits.
            if (i == 0 && d > 7) return false;
            v = (v << 5) | (uint)d;
        }
        ulid = new Ulid(v);
        return true;
    }

    public override string ToString() =>
        string.Create(26, Value, static (dst, v) =>
        {
            for (int i = 0; i < 26; i++) dst[i] = Alphabet[(int)(uint)((v >> (125 - 5 * i)) & 31)];
        });

    public int CompareTo(Ulid other) => Value.CompareTo(other.Value);
}
