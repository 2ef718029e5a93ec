"""Child-process entry: ``python -m bench.buildjob ENGINE build|update INDEX_DIR DOCS [CHANGED]``.

Prints one JSON line (:class:`bench.timing.JobResult`). A separate process per job means the
peak RSS (``ru_maxrss``, all threads) belongs to this build only; CPU seconds (user + system,
all threads) show how much of the wall time was parallel work.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench import engines
from bench.timing import JobResult

# Imported before the clock starts, as a long-running indexer would have them loaded.
LIBRARIES = {"steppe": "indexer.cli", "tantivy": "tantivy", "fts5": "sqlite3", "whoosh": "whoosh.index"}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    """Run one build or update and print its measurements."""
    name, action, index_dir, docs_path = argv[0], argv[1], Path(argv[2]), Path(argv[3])
    changed = Path(argv[4]) if len(argv) > 4 else None
    engine = engines.get(name)
    importlib.import_module(LIBRARIES[name])
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cpu0, t0 = _cpu(), time.perf_counter()
    if action == "build":
        docs = engine.build(docs_path, index_dir)
    elif action == "update" and changed is not None:
        docs = engine.update(docs_path, changed, index_dir)
    else:
        print(f"usage: {__doc__}", file=sys.stderr)
        return 2
    seconds, cpu = time.perf_counter() - t0, _cpu() - cpu0
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = JobResult(name, action, docs, seconds, cpu, peak_rss, base_rss, engine.index_dir_size(index_dir))
    print(json.dumps(asdict(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
