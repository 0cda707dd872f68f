#!/usr/bin/python3
"""A tagger saving through the mount beside a benchmark, as Picard saves (mutagen).

Every 50 ms it sets COMMENT on the next file (round robin) to "save #N#" and records how long the save
took and whether it was acknowledged (save() returned) or refused (it raised). On SIGTERM it finishes the
save under way, prints the saves as JSON ([{path, comment, at, ms, error}]; at: when it began, ms since the epoch) and
exits.
Usage: mount-saver.py FILE...
"""
import json
import signal
import sys
import time

from mutagen.flac import FLAC

stopped = False


def stop(*_):
    global stopped
    stopped = True


signal.signal(signal.SIGTERM, stop)
files = sys.argv[1:]
saves = []
print("ready", flush=True)
n = 0
while not stopped:
    path = files[n % len(files)]
    comment = f"save #{n}#"
    at = time.time() * 1000
    t0 = time.perf_counter()
    error = None
    try:
        f = FLAC(path)
        f["comment"] = [comment]
        f.save()
    except Exception as e:  # a refusal reaches the tagger as an error: that is what is measured
        error = f"{type(e).__name__}: {e}"
    saves.append({"path": path, "comment": comment, "at": at, "ms": (time.perf_counter() - t0) * 1000, "error": error})
    n += 1
    time.sleep(0.05)
print(json.dumps(saves), flush=True)
