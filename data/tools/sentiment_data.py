#!/usr/bin/env python3
"""Builds the public sentiment and emotion sets of data/train/ and data/eval/ from git mirrors.

VADER's human-rated corpora (cjhutto/vaderSentiment, additional_resources/hutto_ICWSM_2014.tar.gz,
MIT) have no official split, so each sentence goes to train / dev / test by the SHA-1 of its text
(before anyone looked at the sentences): 14 of 20 buckets train, 3 dev, 3 test. The same text always
lands in the same split, so duplicates cannot leak across. GoEmotions keeps its own train / dev / test
split (data/original/ of monologg/GoEmotions-pytorch, a copy of google-research/goemotions).

Usage: sentiment_data.py VADER_GIT_DIR GOEMOTIONS_GIT_DIR [OUT_DATA_DIR]
(standard library and git only; the GIT_DIRs are bare clones or mirrors)."""
import hashlib
import io
import os
import subprocess
import sys
import tarfile

VADER_FILES = [  # (name in the tarball, source tag)
    ("tweets_GroundTruth.txt", "tweet"),
    ("movieReviewSnippets_GroundTruth.txt", "movie"),
    ("amazonReviewSnippets_GroundTruth.txt", "amazon"),
    ("nytEditorialSnippets_GroundTruth.txt", "nyt"),
]


def git_show(git_dir, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", "HEAD:" + path],
                          check=True, capture_output=True).stdout


def split_of(text):
    bucket = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 20
    return "train" if bucket < 14 else "dev" if bucket < 17 else "test"


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def vader(git_dir, out):
    blob = git_show(git_dir, "additional_resources/hutto_ICWSM_2014.tar.gz")
    rows = {"train": [], "dev": [], "test": []}
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        for name, tag in VADER_FILES:
            raw = tar.extractfile("hutto_ICWSM_2014/" + name).read().decode("utf-8", "replace")
            for line in raw.splitlines():
                parts = line.split("\t", 2)
                if len(parts) != 3:
                    continue
                text = clean(parts[2])
                if not text:
                    continue
                rows[split_of(text)].append("%s\t%.4f\t%s" % (tag, float(parts[1]), text))
    for split, lines in rows.items():
        where = "train" if split == "train" else "eval"
        with open(os.path.join(out, where, "vader_%s.tsv" % split), "w", encoding="utf-8") as f:
            f.write("# source\tmean rating (-4..4)\ttext; see SOURCES.md\n")
            f.write("\n".join(lines) + "\n")
        print("vader %s: %d" % (split, len(lines)))


def goemotions(git_dir, out):
    labels = git_show(git_dir, "data/original/labels.txt").decode().split()
    for split in ("train", "dev", "test"):
        raw = git_show(git_dir, "data/original/%s.tsv" % split).decode("utf-8")
        lines = []
        for line in raw.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            names = ",".join(labels[int(i)] for i in parts[1].split(","))
            lines.append("%s\t%s" % (names, clean(parts[0])))
        where = "train" if split == "train" else "eval"
        with open(os.path.join(out, where, "goemotions_%s.tsv" % split), "w", encoding="utf-8") as f:
            f.write("# GoEmotions labels (comma-separated)\ttext; see SOURCES.md\n")
            f.write("\n".join(lines) + "\n")
        print("goemotions %s: %d" % (split, len(lines)))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[3] if len(sys.argv) > 3 else "data"
    for d in ("train", "eval"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    vader(sys.argv[1], out)
    goemotions(sys.argv[2], out)


if __name__ == "__main__":
    main()
