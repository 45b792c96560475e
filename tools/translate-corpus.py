#!/usr/bin/env python3
"""Fills the English store of the synthetic corpus (tools/make-corpus.sh) with English, so
`duiyi check` can be timed on real English text at scale.

    tools/make-corpus.sh 1000 bench-data-check
    (cd bench-data-check && duiyi set en toc¶0.1 Contents --as bench)  # writes a current store
    tools/translate-corpus.py bench-data-check                         # the reviewed English
    mkdir -p bench-data-check/glossary
    cp glossary/en.tsv bench-data-check/glossary/                      # so `terms` runs

    tools/translate-corpus.py BENCH [ENGLISH [DUIYI]]

ENGLISH is where the English comes from, by default this project's reviewed store
translations/en/intl-development-cooperation.jsonl (records with id/ref/source/target, see
src/store/record.rs): every corpus record whose source text is that of a reviewed record gets
its target and state. ENGLISH may instead be a drafts file (ref, id, English per tab-separated
line, such as tests/data/white-paper-en-drafts.tsv), keyed by the white paper's segment ids; the source text
of each id then comes from `DUIYI segments` on this project (DUIYI defaults to `duiyi`).

The corpus repeats the white paper, so each record finds its English through the source text
of the original segment. The store of BENCH is rewritten in place (its header line is kept).
"""
import json
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
bench = Path(sys.argv[1])
english_path = (
    Path(sys.argv[2])
    if len(sys.argv) > 2
    else root / "translations/en/intl-development-cooperation.jsonl"
)
# source text -> (target, state)
by_source = {}
if english_path.suffix == ".jsonl":
    with open(english_path, encoding="utf-8") as f:
        next(f)  # the store's header
        for line in f:
            r = json.loads(line)
            if r.get("target"):
                by_source.setdefault(r["source"], (r["target"], r.get("state", "translated")))
else:
    english = {}
    for line in open(english_path, encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 3:
            english[cols[1]] = cols[2]
    duiyi = sys.argv[3] if len(sys.argv) > 3 else "duiyi"
    segments = subprocess.run(
        [duiyi, "--project", str(root), "segments", "--format", "tsv"],
        capture_output=True, text=True, check=True).stdout
    for line in segments.splitlines()[1:]:
        cols = line.split("\t")
        if cols[2] in english:
            by_source.setdefault(cols[-1], (english[cols[2]], "translated"))
store = bench / "translations/en/synthetic.jsonl"
lines = store.read_text(encoding="utf-8").splitlines()
out = [lines[0]]
filled = 0
for line in lines[1:]:
    r = json.loads(line)
    found = by_source.get(r["source"])
    if found:
        r["target"], r["state"], r["who"] = found[0], found[1], "bench"
        r.pop("flags", None)
        filled += 1
    out.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
store.write_text("\n".join(out) + "\n", encoding="utf-8")
print(f"{store}: {filled} of {len(lines) - 1} records translated from {english_path}")
