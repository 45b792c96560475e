#!/usr/bin/env python3
"""A toy `command` backend for duiyi's tests: JSON lines in, JSON lines out.

Answers each request with "EN " + its `text` (placeholders kept). Arguments:
  --crash-after N   exit with status 3 after N answers (a crash mid-stream)
  --sleep S         wait S seconds before each answer
"""
import json
import sys
import time

args = sys.argv[1:]
crash_after = int(args[args.index("--crash-after") + 1]) if "--crash-after" in args else None
sleep = float(args[args.index("--sleep") + 1]) if "--sleep" in args else 0.0
done = 0
for line in sys.stdin:
    if crash_after is not None and done >= crash_after:
        sys.exit(3)
    request = json.loads(line)
    time.sleep(sleep)
    print(json.dumps({"id": request["id"], "text": "EN " + request["text"]}, ensure_ascii=False), flush=True)
    done += 1
