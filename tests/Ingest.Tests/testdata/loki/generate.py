#!/usr/bin/env python3
"""Writes the compressed forms of the JSON golden bodies with Python's zlib, an encoder independent
of .NET's: <case>.json.gz.hex (gzip), .json.deflate.hex (raw DEFLATE, what Loki's flate.NewReader
reads) and .json.zlib.hex (zlib-wrapped, what HTTP "deflate" means). Deterministic: gzip's mtime is
fixed at 0. Run from this directory: python3 generate.py"""
import gzip
import zlib

def write_hex(path, data):
    h = data.hex()
    with open(path, "w") as f:
        for i in range(0, len(h), 128):
            f.write(h[i:i + 128] + "\n")

for case in ["json_basic", "json_partial"]:
    raw = open(case + ".json", "rb").read()
    write_hex(case + ".json.gz.hex", gzip.compress(raw, compresslevel=9, mtime=0))
    if case == "json_basic":
        d = zlib.compressobj(9, zlib.DEFLATED, -15)
        write_hex(case + ".json.deflate.hex", d.compress(raw) + d.flush())
        write_hex(case + ".json.zlib.hex", zlib.compress(raw, 9))
