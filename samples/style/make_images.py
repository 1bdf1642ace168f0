#!/usr/bin/env python3
"""Writes the two pictures of the style-transfer sample (standard library only):
content.png, a Fashion-MNIST test item (needs `samples/data/fetch.sh fashion-mnist`), and
stripes.png, a synthetic texture of diagonal stripes. Both 28x28 grayscale."""
import gzip, os, struct, sys, zlib

here = os.path.dirname(os.path.abspath(__file__))

def png(path, rows):
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

def item(index):
    with gzip.open(os.path.join(here, "..", "data", "fashion", "fashion-t10k-images-idx3-ubyte.gz")) as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        f.seek(16 + index * h * w)
        data = f.read(h * w)
    return [list(data[i * w:(i + 1) * w]) for i in range(h)]

index = int(sys.argv[1]) if len(sys.argv) > 1 else 0
png(os.path.join(here, "content.png"), item(index))
# diagonal stripes, 3 pixels white and 3 black
png(os.path.join(here, "stripes.png"), [[255 if (i + j) % 6 < 3 else 0 for j in range(28)] for i in range(28)])
