#!/usr/bin/env python3
"""Make development variants of the Bible alignment set (docs/PERFORMANCE.md), seeded so they
are always the same: English sentences deleted, Chinese sentences deleted, neighbouring English
sentences merged into one line, and neighbouring English sentences of different verses swapped.

Usage: python3 tools/bible_variants.py BIBLE_DIR OUT_DIR
Writes OUT_DIR/<variant>/{zh.txt,en.txt,zh.verse,en.verse,gold.align} for the variants
en-deleted, zh-deleted, merged and reordered.
"""

import os
import random
import sys


def read(path):
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]


def parse_gold(lines):
    beads = []
    for line in lines:
        src, tgt = line.strip().split(":")
        side = lambda s: [int(x) for x in s.strip("[]").split(",") if x]
        beads.append((side(src), side(tgt)))
    return beads


def write(out, name, zh, en, zh_verse, en_verse, gold):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    for fname, lines in (("zh.txt", zh), ("en.txt", en), ("zh.verse", zh_verse), ("en.verse", en_verse)):
        with open(os.path.join(d, fname), "w", encoding="utf-8") as fh:
            fh.writelines(l + "\n" for l in lines)
    with open(os.path.join(d, "gold.align"), "w", encoding="utf-8") as fh:
        for s, t in gold:
            fh.write("[{}]:[{}]\n".format(",".join(map(str, s)), ",".join(map(str, t))))


def delete(lines, verses, gold, side, share, seed):
    """Drops a share of one side's lines; gold indices are renumbered."""
    random.seed(seed)
    drop = set(random.sample(range(len(lines)), int(len(lines) * share)))
    new = {}
    for j in range(len(lines)):
        if j not in drop:
            new[j] = len(new)
    kept = [l for j, l in enumerate(lines) if j not in drop]
    kept_verses = [v for j, v in enumerate(verses) if j not in drop]
    out = []
    for s, t in gold:
        ids = t if side == 1 else s
        ids = [new[j] for j in ids if j in new]
        bead = (s, ids) if side == 1 else (ids, t)
        if bead[0] or bead[1]:
            out.append(bead)
    return kept, kept_verses, out


def merge(en, en_verse, gold, share, seed):
    """Joins a share of neighbouring English lines into one line."""
    random.seed(seed)
    starts = set(random.sample(range(len(en) - 1), int(len(en) * share)))
    groups, j = [], 0
    while j < len(en):
        if j in starts and j + 1 < len(en):
            groups.append([j, j + 1])
            j += 2
        else:
            groups.append([j])
            j += 1
    new = {}
    for g, members in enumerate(groups):
        for j in members:
            new[j] = g
    lines = [" ".join(en[j] for j in g) for g in groups]
    verses = [en_verse[g[0]] for g in groups]
    # Beads that now share a line are merged.
    out = []
    for s, t in gold:
        t = sorted({new[j] for j in t})
        if out and t and out[-1][1] and t[0] <= out[-1][1][-1]:
            ps, pt = out.pop()
            s, t = ps + s, sorted(set(pt) | set(t))
        out.append((s, t))
    return lines, verses, out


def reorder(en, en_verse, gold, share, seed):
    """Swaps a share of neighbouring English lines that belong to different gold beads; the two
    beads become one (their order is no longer monotone)."""
    random.seed(seed)
    bead_of = {}
    for b, (s, t) in enumerate(gold):
        for j in t:
            bead_of[j] = b
    candidates = [j for j in range(len(en) - 1) if bead_of.get(j) is not None
                  and bead_of.get(j + 1) is not None and bead_of[j + 1] == bead_of[j] + 1]
    swaps = set()
    for j in random.sample(candidates, int(len(en) * share)):
        if j - 1 not in swaps and j + 1 not in swaps:
            swaps.add(j)
    lines, verses = list(en), list(en_verse)
    joined = set()
    for j in swaps:
        lines[j], lines[j + 1] = lines[j + 1], lines[j]
        verses[j], verses[j + 1] = verses[j + 1], verses[j]
        joined.add(bead_of[j])
    out = []
    b = 0
    while b < len(gold):
        s, t = gold[b]
        if b in joined and b + 1 < len(gold):
            s2, t2 = gold[b + 1]
            out.append((s + s2, t + t2))
            b += 2
        else:
            out.append((s, t))
            b += 1
    return lines, verses, out


def main(bible, out):
    zh, en = read(os.path.join(bible, "zh.txt")), read(os.path.join(bible, "en.txt"))
    zv, ev = read(os.path.join(bible, "zh.verse")), read(os.path.join(bible, "en.verse"))
    gold = parse_gold(read(os.path.join(bible, "gold.align")))
    e, v, g = delete(en, ev, gold, 1, 0.05, 3)
    write(out, "en-deleted", zh, e, zv, v, g)
    z, v, g = delete(zh, zv, gold, 0, 0.05, 5)
    write(out, "zh-deleted", z, en, v, ev, g)
    e, v, g = merge(en, ev, gold, 0.1, 7)
    write(out, "merged", zh, e, zv, v, g)
    e, v, g = reorder(en, ev, gold, 0.02, 11)
    write(out, "reordered", zh, e, zv, v, g)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
