#!/usr/bin/env python3
"""Learns the weights of hub/assist/sentiment_model.c from public training splits and writes
data/lexicon/sentiment_weights.tsv (standard library only).

Polarity: logistic regression over naive-Bayes-scaled features (NB-LR), no intercept (an utterance with no known feature is neutral),
on VADER's human-rated sentences of data/train/vader_train.tsv whose mean rating is at least
0.5 from zero, plus the GoEmotions training comments whose emotions are all positive or all
negative under the mapping below. Emotion: softmax regression on GoEmotions train, each
comment's mapped emotions sharing its target. Both read the features the C code cuts
(`bench_sentiment --features`), so training and scoring see the same words, negation scopes
and question clauses; one of them is the VADER-rule score.

The 27 GoEmotions emotions + neutral map onto agentdesk's seven (docs in data/train/SOURCES.md):
"""
import argparse
import math
import random
import subprocess
import sys

EMOTIONS = ["neutral", "anger", "frustration", "anxiety", "sadness", "confusion", "satisfaction"]
GOEMOTIONS_MAP = {
    "anger": "anger", "disgust": "anger",
    "annoyance": "frustration", "disappointment": "frustration", "disapproval": "frustration",
    "fear": "anxiety", "nervousness": "anxiety",
    "sadness": "sadness", "grief": "sadness", "remorse": "sadness", "embarrassment": "sadness",
    "confusion": "confusion", "curiosity": "confusion",
    "admiration": "satisfaction", "amusement": "satisfaction", "approval": "satisfaction",
    "caring": "satisfaction", "excitement": "satisfaction", "gratitude": "satisfaction",
    "joy": "satisfaction", "love": "satisfaction", "optimism": "satisfaction",
    "pride": "satisfaction", "relief": "satisfaction",
    "neutral": "neutral", "desire": "neutral", "surprise": "neutral", "realization": "neutral",
}
__doc__ += "\n".join("  %-15s <- %s" % (e, ", ".join(sorted(k for k, v in GOEMOTIONS_MAP.items() if v == e)))
                     for e in EMOTIONS)
NEGATIVE = {"anger", "frustration", "anxiety", "sadness"}
BINARY_SOURCES = {"movie", "amazon", "tweet"}   # review and comment sentences
POLAR = 0.5                                      # |mean rating| that counts as polar


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]


def features(bench, data, texts):
    out = subprocess.run([bench, "--features", "--data", data], input="\n".join(texts) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    rows = []
    for line in out[:len(texts)]:
        parts = line.split("\t")
        rows.append((float(parts[0]), parts[1:]))
    return rows


def vectorise(rows, vocab, grow):
    """[(index, value)] per row; the rules score is feature 0, "__bias__" 1 (emotion only)."""
    vecs = []
    for rules, feats in rows:
        v = {0: rules}
        for f in feats:
            i = vocab.get(f)
            if i is None and grow:
                i = vocab[f] = len(vocab)
            if i is not None:
                v[i] = 1.0
        vecs.append(list(v.items()))
    return vecs


def train_binary(vecs, ys, ws, dim, l2, epochs, lr, seed, average=0):
    """AdaGrad logistic regression; with average=k, the mean of the weights after each of
    the last k epochs (an average of iterates generalises better than the last one)."""
    w = [0.0] * dim
    g2 = [1e-8] * dim
    avg = [0.0] * dim
    order = list(range(len(vecs)))
    rnd = random.Random(seed)
    for epoch in range(epochs):
        rnd.shuffle(order)
        for k in order:
            x = vecs[k]
            z = sum(w[i] * v for i, v in x)
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            g = (p - ys[k]) * ws[k]
            for i, v in x:
                gi = g * v + l2 * w[i]
                g2[i] += gi * gi
                w[i] -= lr * gi / math.sqrt(g2[i])
        if average and epoch >= epochs - average:
            for i in range(dim):
                avg[i] += w[i] / average
    return avg if average else w


def train_softmax(vecs, targets, dim, l2, epochs, lr, seed, cw):
    K = len(EMOTIONS)
    w = [[0.0] * K for _ in range(dim)]
    g2 = [[1e-8] * K for _ in range(dim)]
    order = list(range(len(vecs)))
    rnd = random.Random(seed)
    for _ in range(epochs):
        rnd.shuffle(order)
        for k in order:
            x = vecs[k]
            z = [0.0] * K
            for i, v in x:
                wi = w[i]
                for c in range(K):
                    z[c] += wi[c] * v
            m = max(z)
            e = [math.exp(a - m) for a in z]
            s = sum(e)
            t = targets[k]
            scale = sum(cw[c] * t[c] for c in range(K))
            g = [(e[c] / s - t[c]) * scale for c in range(K)]
            for i, v in x:
                wi, gi2 = w[i], g2[i]
                for c in range(K):
                    gi = g[c] * v + l2 * wi[c]
                    gi2[c] += gi * gi
                    wi[c] -= lr * gi / math.sqrt(gi2[c])
    return w


def goemotion_targets(rows):
    out = []
    for names, _ in rows:
        mapped = sorted({GOEMOTIONS_MAP[n] for n in names.split(",")})
        out.append(mapped)
    return out


def binary_accuracy(w, vecs, ys):
    ok = sum((sum(w[i] * v for i, v in x) >= 0) == (y == 1) for x, y in zip(vecs, ys))
    return ok / max(1, len(ys))


def emotion_macro_f1(w, vecs, golds):
    K = len(EMOTIONS)
    tp, fp, fn = [0] * K, [0] * K, [0] * K
    for x, gold in zip(vecs, golds):
        z = [sum(w[i][c] * v for i, v in x) for c in range(K)]
        p = max(range(K), key=lambda c: z[c])
        gi = {EMOTIONS.index(g) for g in gold}
        if p in gi:
            tp[p] += 1
        else:
            fp[p] += 1
        for c in gi:
            if c != p:
                fn[c] += 1
    f1 = [2 * tp[c] / max(1, 2 * tp[c] + fp[c] + fn[c]) for c in range(K)]
    return sum(f1) / K, f1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default="build/bench/bench_sentiment")
    ap.add_argument("--data", default="data")
    ap.add_argument("--out", default="data/lexicon/sentiment_weights.tsv")
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--emo-l2", type=float, default=1e-4)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--emo-lr", type=float, default=0.03)
    ap.add_argument("--keep", type=float, default=0.01,
                    help="a feature is written when one of its weights reaches this (0.05 dropped enough small"
                         " weights to cost 0.002 of dev accuracy, for 2%% fewer rows)")
    ap.add_argument("--goemotions-weight", type=float, default=0.2,
                    help="weight of a GoEmotions comment in the polarity model (a VADER sentence weighs its |rating|, at most 2)")
    ap.add_argument("--class-power", type=float, default=0.5,
                    help="emotion classes weigh (median frequency / frequency) ** power")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=1,
                    help="polarity: the mean of this many models, each of another shuffle")
    ap.add_argument("--average", type=int, default=0,
                    help="polarity: the mean of the weights after each of the last N epochs (0: the last)")
    ap.add_argument("--polarity-only", action="store_true",
                    help="train the polarity model alone, print its dev accuracy and write nothing (to compare features)")
    a = ap.parse_args()

    vtrain = read_tsv(a.data + "/train/vader_train.tsv")
    vdev = read_tsv(a.data + "/eval/vader_dev.tsv")
    gtrain = read_tsv(a.data + "/train/goemotions_train.tsv")
    gdev = read_tsv(a.data + "/eval/goemotions_dev.tsv")
    print("features of %d + %d training sentences ..." % (len(vtrain), len(gtrain)), file=sys.stderr)
    fv = features(a.bench, a.data, [r[2] for r in vtrain])
    fg = features(a.bench, a.data, [r[1] for r in gtrain])

    counts = {}
    for _, feats in fv + fg:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    vocab = {"__rules__": 0, "__bias__": 1}
    for f, c in sorted(counts.items()):
        if c >= a.min_count:
            vocab[f] = len(vocab)
    dim = len(vocab)

    # polarity
    gtargets = goemotion_targets(gtrain)
    pv, py, pw = [], [], []
    for row, (_, score, _) in zip(vectorise(fv, vocab, False), vtrain):
        s = float(score)
        if abs(s) >= POLAR:
            # a sentence the raters agreed was strongly polar teaches more (dev: 0.842 vs 0.839)
            pv.append(row); py.append(1 if s > 0 else 0); pw.append(min(abs(s), 2.0))
    gvecs = vectorise(fg, vocab, False)
    for row, t in zip(gvecs, gtargets):
        if t == ["satisfaction"]:
            pv.append(row); py.append(1); pw.append(a.goemotions_weight)
        elif t and set(t) <= NEGATIVE:
            pv.append(row); py.append(0); pw.append(a.goemotions_weight)
    print("polarity: %d examples, %d features" % (len(pv), dim), file=sys.stderr)
    # NB-LR (Wang & Manning 2012): each word feature is scaled by its smoothed log-count ratio
    # between positive and negative examples before the regression, and the written weight is
    # the product, so scoring stays a plain sum (on dev: 0.838 against 0.832 without)
    pc, nc = [1.0] * dim, [1.0] * dim
    for x, y, wt in zip(pv, py, pw):
        for i, _ in x:
            if y:
                pc[i] += wt
            else:
                nc[i] += wt
    sp, sn = sum(pc), sum(nc)
    ratio = [1.0] + [math.log((pc[i] / sp) / (nc[i] / sn)) for i in range(1, dim)]
    scaled = [[(i, v * ratio[i]) for i, v in x] for x in pv]
    wp = [0.0] * dim
    for k in range(a.seeds):
        wk = train_binary(scaled, py, pw, dim, a.l2, a.epochs, a.lr, a.seed + k, a.average)
        wp = [x + y / a.seeds for x, y in zip(wp, wk)]
    wp = [w * r for w, r in zip(wp, ratio)]
    wp[1] = 0.0
    if a.polarity_only:
        fvd = features(a.bench, a.data, [r[2] for r in vdev])
        dv, dy = [], []
        for row, r in zip(vectorise(fvd, vocab, False), vdev):
            s = float(r[1])
            if r[0] in BINARY_SOURCES and abs(s) >= POLAR:
                dv.append(row); dy.append(1 if s > 0 else 0)
        print("dev binary accuracy (review + comment sentences, |rating| >= %.1f): %.4f (%d)"
              % (POLAR, binary_accuracy(wp, dv, dy), len(dy)))
        return

    # emotion: the bias feature on every comment
    K = len(EMOTIONS)
    evecs, etargets = [], []
    freq = [0.0] * K
    for row, t in zip(gvecs, gtargets):
        tv = [0.0] * K
        for e in t:
            tv[EMOTIONS.index(e)] = 1.0 / len(t)
        for c in range(K):
            freq[c] += tv[c]
        evecs.append(row + [(1, 1.0)]); etargets.append(tv)
    med = sorted(freq)[K // 2]
    cw = [(med / max(1.0, f)) ** a.class_power for c, f in enumerate(freq)]
    print("emotion: %d examples, class weights %s" % (len(evecs), " ".join("%s %.2f" % (EMOTIONS[c], cw[c]) for c in range(K))), file=sys.stderr)
    we = train_softmax(evecs, etargets, dim, a.emo_l2, a.epochs, a.emo_lr, a.seed, cw)

    # dev figures (the C bench prints the official ones)
    fvd = features(a.bench, a.data, [r[2] for r in vdev])
    dv, dy = [], []
    for row, r in zip(vectorise(fvd, vocab, False), vdev):
        s = float(r[1])
        if r[0] in BINARY_SOURCES and abs(s) >= POLAR:
            dv.append(row); dy.append(1 if s > 0 else 0)
    print("dev binary accuracy (review + comment sentences, |rating| >= %.1f): %.4f (%d)"
          % (POLAR, binary_accuracy(wp, dv, dy), len(dy)))
    fgd = features(a.bench, a.data, [r[1] for r in gdev])
    gdv = [row + [(1, 1.0)] for row in vectorise(fgd, vocab, False)]
    mf1, f1 = emotion_macro_f1(we, gdv, goemotion_targets(gdev))
    print("dev emotion macro-F1: %.4f (%s)" % (mf1, " ".join("%s %.3f" % (EMOTIONS[c], f1[c]) for c in range(K))))

    names = sorted(vocab, key=vocab.get)
    kept = 0
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Written by data/tools/train_sentiment.py %s\n" % " ".join(sys.argv[1:]))
        f.write("# from data/train/vader_train.tsv and data/train/goemotions_train.tsv (see data/train/SOURCES.md).\n")
        f.write("# Features are described in hub/assist/sentiment_model.h. Do not edit by hand.\n")
        f.write("feature\tpolarity\t" + "\t".join(EMOTIONS) + "\n")
        for name in names:
            i = vocab[name]
            ws = [wp[i]] + we[i]
            if i > 1 and max(abs(x) for x in ws) < a.keep:
                continue
            f.write(name + "\t" + "\t".join("%.3f" % x for x in ws) + "\n")
            kept += 1
    print("wrote %s: %d features" % (a.out, kept), file=sys.stderr)


if __name__ == "__main__":
    main()
