#!/usr/bin/env python3
"""Fills the English store of the synthetic corpus (tools/make-corpus.sh) with our translators'
drafts, so `duiyi check` can be timed on real English text at scale.

    tools/make-corpus.sh 1000 bench-data
    (cd bench-data && duiyi set en toc¶0.1 Contents --as bench)   # writes a current store
    tools/translate-corpus.py bench-data /work/drafts/en/all.tsv

The drafts (ref, id, English) are keyed by the white paper's segment ids; the corpus repeats the
white paper, so each record finds its English through the source text of the original segment.
"""
import json
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
bench = Path(sys.argv[1])
drafts = sys.argv[2]
english = {}
for line in open(drafts, encoding="utf-8"):
    cols = line.rstrip("\n").split("\t")
    if len(cols) >= 3:
        english[cols[1]] = cols[2]
segments = subprocess.run(
    [sys.argv[3] if len(sys.argv) > 3 else "duiyi", "--project", str(root), "segments", "--format", "tsv"],
    capture_output=True, text=True, check=True).stdout
by_source = {}
for line in segments.splitlines()[1:]:
    cols = line.split("\t")
    if cols[2] in english:
        by_source.setdefault(cols[-1], english[cols[2]])
store = bench / "translations/en/synthetic.jsonl"
lines = store.read_text(encoding="utf-8").splitlines()
out = [lines[0]]
filled = 0
for line in lines[1:]:
    r = json.loads(line)
    t = by_source.get(r["source"])
    if t:
        r["target"], r["state"], r["who"] = t, "translated", "bench"
        r.pop("flags", None)
        filled += 1
    out.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
store.write_text("\n".join(out) + "\n", encoding="utf-8")
print(f"{store}: {filled} of {len(lines) - 1} records translated")
