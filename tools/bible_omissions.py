#!/usr/bin/env python3
"""Make an "omissions" variant of the Bible alignment set: drop 5% of the English sentences
(seeded, so the variant is always the same) and rewrite the gold and verse files to match.

Usage: python3 tools/bible_omissions.py BIBLE_DIR OUT_DIR   (the Bible set: docs/PERFORMANCE.md)
Writes OUT_DIR/en.txt, OUT_DIR/en.verse and OUT_DIR/gold.align; zh.txt and zh.verse are unchanged.
"""

import os
import random
import sys


def main(bible, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(bible, "en.txt"), encoding="utf-8") as fh:
        en = [line.rstrip("\n") for line in fh]
    with open(os.path.join(bible, "en.verse"), encoding="utf-8") as fh:
        verse = [line.strip() for line in fh]
    random.seed(3)
    drop = set(random.sample(range(len(en)), len(en) // 20))
    new_index = {}
    for j in range(len(en)):
        if j not in drop:
            new_index[j] = len(new_index)
    with open(os.path.join(out, "en.txt"), "w", encoding="utf-8") as fh:
        fh.writelines(e + "\n" for j, e in enumerate(en) if j not in drop)
    with open(os.path.join(out, "en.verse"), "w", encoding="utf-8") as fh:
        fh.writelines(v + "\n" for j, v in enumerate(verse) if j not in drop)
    with open(os.path.join(bible, "gold.align"), encoding="utf-8") as fh, open(
        os.path.join(out, "gold.align"), "w", encoding="utf-8"
    ) as gold:
        for line in fh:
            src, tgt = line.strip().split(":")
            tgt = [new_index[int(j)] for j in tgt.strip("[]").split(",") if j and int(j) in new_index]
            gold.write("{}:[{}]\n".format(src, ",".join(map(str, tgt))))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
