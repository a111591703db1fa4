"""listed_little_giants(): first call in a fresh process, without and with the on-disk cache (target <= 0.2 s warm).

Run on demand: ``LGRESEARCH_EXTERNAL_DIR=... .venv/bin/python benchmarks/bench_listed.py``.

Each measurement runs in a fresh child process (what a notebook or a user's script pays), in the same run:

* ``old``: today's path before release 1.0, the table built from the vendor files (``listed.tags._build_listed``),
  which every new process paid (the in-process ``lru_cache`` only helps repeated calls);
* ``cold``: ``listed_little_giants()`` with an empty cache folder (build + write the cache);
* ``warm``: ``listed_little_giants()`` in a new process with the cache written (target <= 0.2 s);
* ``repeat``: a second call in the same process (in-process cache).

Exit status 1 when the warm target is missed; 2 when the vendor folder is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

CHILD = {
    "old": """
import json, time
from lgresearch import listed, paths
t0 = time.perf_counter()
frame, _ = listed.tags._build_listed(str(paths.external_dir()))
print(json.dumps({"first": time.perf_counter() - t0, "rows": len(frame)}))
""",
    "new": """
import json, time
from lgresearch import listed
t0 = time.perf_counter()
frame = listed.listed_little_giants()
t1 = time.perf_counter()
listed.listed_little_giants()
print(json.dumps({"first": t1 - t0, "repeat": time.perf_counter() - t1, "rows": len(frame)}))
""",
}


def _child(name: str, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD[name]], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{name}: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    from lgresearch import listed, paths

    if not paths.has_external(listed.LLG_DIR, listed.HISTORY_DIR):
        print("listed-little-giants folder not found: set LGRESEARCH_EXTERNAL_DIR")
        return 2
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["LGRESEARCH_CACHE_DIR"] = tmp
        old = _child("old", env)
        cold = _child("new", env)
        warm = _child("new", env)
    print(f"rows: {warm['rows']:,} codes (old path {old['rows']:,})")
    print(f"old (build in every new process): {old['first']:6.3f} s")
    print(f"new, cold cache (build + write) : {cold['first']:6.3f} s")
    print(f"new, warm cache (new process)   : {warm['first']:6.3f} s   target <= 0.2 s; "
          f"{old['first'] / warm['first']:.0f}x faster than old")
    print(f"repeat call in the same process : {warm['repeat']:6.4f} s")
    failed = warm["first"] > 0.2 or warm["rows"] != old["rows"]
    print("RESULT:", "FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
