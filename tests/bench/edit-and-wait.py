#!/usr/bin/env python3
"""One saved edit, timed by its caller: appends a unique line to a chapter
and returns when the served page holds it (the time a writer waits between
saving and seeing the change). Exits 1 after TIMEOUT seconds.

    edit-and-wait.py CHAPTER_FILE PAGE_URL [TIMEOUT]
"""
import sys
import time
import urllib.request
import uuid

chapter, url = sys.argv[1], sys.argv[2]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
marker = "edit-" + uuid.uuid4().hex
with open(chapter, "a", encoding="utf-8") as f:
    f.write(f"\n{marker}\n")
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=5) as page:
            if marker.encode() in page.read():
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
sys.exit(f"{url} did not show the edit within {timeout} s")
