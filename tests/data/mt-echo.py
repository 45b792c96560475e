#!/usr/bin/env python3
"""A toy `command` backend for duiyi's tests: JSON lines in, JSON lines out.

Answers each request with "EN " + its `text` (placeholders kept). Arguments:
  --crash-after N   exit with status 3 after N answers (a crash mid-stream)
  --sleep S         wait S seconds before each answer
  --hang-on TEXT    never answer a request whose source contains TEXT (a hung engine)
  --pid-file PATH   append "PID PGID" to PATH when starting (to check that no engine survives)
"""
import json
import os
import sys
import time

args = sys.argv[1:]


def option(name):
    return args[args.index(name) + 1] if name in args else None


crash_after = int(option("--crash-after")) if "--crash-after" in args else None
sleep = float(option("--sleep") or 0.0)
hang_on = option("--hang-on")
pid_file = option("--pid-file")
if pid_file:
    with open(pid_file, "a") as f:
        f.write(f"{os.getpid()} {os.getpgrp()}\n")
done = 0
for line in sys.stdin:
    if crash_after is not None and done >= crash_after:
        sys.exit(3)
    request = json.loads(line)
    if hang_on and hang_on in request["source"]:
        time.sleep(3600)
    time.sleep(sleep)
    print(json.dumps({"id": request["id"], "text": "EN " + request["text"]}, ensure_ascii=False), flush=True)
    done += 1
