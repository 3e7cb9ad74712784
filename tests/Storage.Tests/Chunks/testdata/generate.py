#!/usr/bin/env python3
"""Regenerates the XOR chunk golden files from the real Prometheus (promtool).

Usage: python3 generate.py [path/to/promtool]   (default: promtool on PATH)

For every case below it writes, next to this script:
  <case>.samples    one "timestamp_ms value_bits_hex" line per sample (what was fed to promtool)
  <case>.chunk.hex  the chunk bytes Prometheus persisted (2-byte count header + bit stream)

Each case becomes its own OpenMetrics file and its own promtool block, so the block's
chunks/000001 segment holds exactly one chunk. The script checks that, checks the chunk CRC, and
cross-checks every timestamp and value against `promtool tsdb dump`.
See README.md for the constraints (2h block windows, Prometheus's chunk-cut prediction).
"""
import glob
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROMTOOL = sys.argv[1] if len(sys.argv) > 1 else "promtool"

# 4h-aligned (and so 2h-aligned) start: promtool cuts blocks at 2h boundaries and the head it uses
# cuts chunks at 4h boundaries, so every case must stay inside [START, START + 2h).
START = 1700006400000
assert START % (4 * 3600 * 1000) == 0
WINDOW = 2 * 3600 * 1000

CHUNKS_MAGIC = 0x85BD40DD


def bits(v):
    return struct.unpack(">Q", struct.pack(">d", v))[0]


def from_bits(b):
    return struct.unpack(">d", struct.pack(">Q", b))[0]


GO_NAN = 0x7FF8000000000001  # math.NaN(), what Go's strconv.ParseFloat("NaN") returns


# ---------------------------------------------------------------- cases

def case_counter_15s():
    rnd = random.Random(1)
    out, v = [], 1000.0
    for i in range(119):
        out.append((START + i * 15000, v))
        v += rnd.choice([0, 0, 1, 2, 3, 5, 8, 13, 21, 120])
    return out


def case_counter_float_15s():
    # Counter of seconds (e.g. cpu_seconds_total): many distinct mantissa bits.
    rnd = random.Random(2)
    out, v = [], 12345.67
    for i in range(100):
        out.append((START + 30000 + i * 15000, v))
        v = v + rnd.randint(0, 15000) / 1000.0
    return out


def case_jitter_gauge():
    # 15s scrapes with up to +/-250 ms jitter; gauge values on a 0.1 grid (random walk).
    rnd = random.Random(3)
    out, g = [], 50.0
    for i in range(110):
        t = START + 307 + i * 15000 + rnd.randint(-250, 250)
        out.append((t, round(g, 1)))
        g += rnd.choice([-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3])
    return out


def case_irregular_ms():
    # Irregular intervals with millisecond resolution (1 ms .. 20 s).
    rnd = random.Random(4)
    out, t = [], START + 123
    for _ in range(29):
        out.append((t, rnd.uniform(-1000, 1000)))
        t += rnd.choice([1, 2, 999, 1000, 1001, 5000, 14999, 15000, 15001, 20000]) + rnd.randint(0, 3)
    return out


def deltas_for(first_delta, dods):
    deltas = [first_delta]
    for d in dods:
        deltas.append(deltas[-1] + d)
        assert deltas[-1] > 0, "timestamps must increase"
    return deltas


def series_from_deltas(t0, deltas, values):
    out, t = [(t0, values[0])], t0
    for i, d in enumerate(deltas):
        t += d
        out.append((t, values[(i + 1) % len(values)]))
    return out


def case_dod_small():
    # Boundaries of the 0, 14-bit and 17-bit buckets. "Fits n bits" is -(2^(n-1)-1) <= dod <= 2^(n-1).
    dods = [0, 0, 1, -1, 8191, -8191, 8192, -8192, 8193, -8193, 0,
            65535, -65535, 65536, -65536, 65537, -65537, 0]
    deltas = deltas_for(70000, dods)
    return series_from_deltas(START + 1, deltas, [1.0, 2.0, 2.0, 3.5, -1.0])


def case_dod_large():
    # Boundaries of the 20-bit bucket and the 64-bit escape, both signs.
    dods = [524287, -524287, 524288, -524288, 524289, -524289, 0, 1000000, -1000001, 0]
    deltas = deltas_for(10, dods)
    assert sum(deltas) < WINDOW - 1000
    return series_from_deltas(START + 999, deltas, [0.0, 1.0])


def case_special_values():
    vals = [0.0, 0.1, -0.1, 1e300, -1e300, -0.0, 0.0, float("nan"), float("nan"), 1.0,
            -1.0000000000000002,  # XOR with 1.0 is 0x8000000000000001: 64 significant bits
            1.0, 1.0000000000000002,  # XOR of 1: 63 leading zeros, clamped to 31
            float("inf"), float("-inf"), float("inf"), 5e-324, -5e-324, 1.7976931348623157e308,
            2.2250738585072014e-308, -2.5, 1e-300, 0.1, 0.2, 0.30000000000000004, 42.0, 42.0, 42.0,
            float("nan"), float("-inf"), 123456789.123, -0.0, -0.0, 0.0]
    return [(START + 15000 * i, v) for i, v in enumerate(vals)]


def case_negative_values():
    rnd = random.Random(5)
    out, v = [], -3.0
    for i in range(80):
        out.append((START + 500 + i * 10000 + rnd.randint(0, 40), v))
        v = round(v - rnd.random() * 7, rnd.choice([0, 1, 3, 6]))
        if rnd.random() < 0.1:
            v = -v
    return out


def case_one_sample():
    return [(START + 42, 3.14)]


def case_two_samples():
    return [(START, -7.5), (START + 15000, -7.5)]


CASES = {
    "counter_15s": case_counter_15s,
    "counter_float_15s": case_counter_float_15s,
    "jitter_gauge": case_jitter_gauge,
    "irregular_ms": case_irregular_ms,
    "dod_small": case_dod_small,
    "dod_large": case_dod_large,
    "special_values": case_special_values,
    "negative_values": case_negative_values,
    "one_sample": case_one_sample,
    "two_samples": case_two_samples,
}

# ---------------------------------------------------------------- OpenMetrics text


def om_timestamp(ms):
    """Seconds with a fraction such that Go's int64(ParseFloat(s) * 1000) == ms."""
    sec, frac = divmod(ms, 1000)
    base = f"{sec}.{frac:03d}"
    for extra in ["", "0001", "00001", "000001", "0000001"]:
        s = base + extra
        if int(float(s) * 1000) == ms:
            return s
    raise ValueError(f"no decimal form for {ms}")


def om_value(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    s = repr(v)
    assert bits(float(s)) == bits(v)
    return s


def stored_bits(v):
    # OpenMetrics text can only say "NaN"; Go parses it to math.NaN().
    return GO_NAN if math.isnan(v) else bits(v)


# ---------------------------------------------------------------- chunk segment parsing

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def uvarint(buf, pos):
    x, s = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        x |= (b & 0x7F) << s
        if b < 0x80:
            return x, pos
        s += 7


def read_chunks(path):
    d = open(path, "rb").read()
    magic, version = struct.unpack(">IB", d[:5])
    assert magic == CHUNKS_MAGIC, hex(magic)
    assert version == 1
    pos, chunks = 8, []
    while pos < len(d):
        n, p = uvarint(d, pos)
        enc = d[p]
        data = d[p + 1:p + 1 + n]
        (crc,) = struct.unpack(">I", d[p + 1 + n:p + 5 + n])
        assert crc == crc32c(d[p:p + 1 + n]), "chunk CRC mismatch"
        chunks.append((enc, data))
        pos = p + 5 + n
    return chunks


def parse_dump(text):
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        _, v, t = line.rsplit(" ", 2)
        out.append((int(t), float(v)))
    return out


def main():
    work = tempfile.mkdtemp(prefix="xor-golden-")
    try:
        for name, fn in CASES.items():
            samples = fn()
            assert 1 <= len(samples) < 120
            ts = [t for t, _ in samples]
            assert ts == sorted(ts) and len(set(ts)) == len(ts)
            assert START <= ts[0] and ts[-1] < START + WINDOW

            om = os.path.join(work, name + ".om")
            with open(om, "w") as f:
                f.write("# TYPE golden gauge\n")
                for t, v in samples:
                    f.write(f'golden{{case="{name}"}} {om_value(v)} {om_timestamp(t)}\n')
                f.write("# EOF\n")
            out = os.path.join(work, name)
            subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", "-q", om, out], check=True)
            segs = glob.glob(os.path.join(out, "*", "chunks", "*"))
            assert len(segs) == 1, segs
            chunks = read_chunks(segs[0])
            assert len(chunks) == 1, f"{name}: Prometheus cut {len(chunks)} chunks"
            enc, data = chunks[0]
            assert enc == 1, "expected XOR encoding"
            assert struct.unpack(">H", data[:2])[0] == len(samples)

            os.makedirs(os.path.join(out, "wal"), exist_ok=True)  # promtool tsdb dump wants one
            dump = subprocess.run([PROMTOOL, "tsdb", "dump", out], check=True, capture_output=True, text=True).stdout
            dumped = parse_dump(dump)
            assert len(dumped) == len(samples), name
            for (t, v), (dt, dv) in zip(samples, dumped):
                assert t == dt, f"{name}: timestamp {t} stored as {dt}"
                assert (math.isnan(v) and math.isnan(dv)) or bits(v) == bits(dv), f"{name}: {v!r} vs {dv!r}"

            with open(os.path.join(HERE, name + ".samples"), "w") as f:
                f.write(f"# {name}: timestamp_ms value_bits_hex (value)\n")
                for t, v in samples:
                    f.write(f"{t} {stored_bits(v):016x} {om_value(v)}\n")
            with open(os.path.join(HERE, name + ".chunk.hex"), "w") as f:
                f.write(data.hex() + "\n")
            print(f"{name}: {len(samples)} samples, {len(data)} bytes, last byte {data[-1]:02x}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
