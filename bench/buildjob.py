"""Child-process entry: ``python -m bench.buildjob ENGINE build|update INDEX_DIR DOCS [CHANGED]``.

Prints one JSON line (:class:`bench.timing.JobResult`). A separate process per job means the
peak memory belongs to this build only: the process's peak RSS (``ru_maxrss``), or, when the
build forks worker processes, the peak of the summed PSS of the process and its workers
(sampled every 0.2 s from ``/proc``; shared pages counted once), whichever is larger. CPU
seconds (user + system, all threads and workers) show how much of the wall time was parallel.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

from bench import engines
from bench.timing import JobResult

# Imported before the clock starts, as a long-running indexer would have them loaded.
LIBRARIES = {
    "steppe": "indexer.cli",
    "tantivy": "tantivy",
    "fts5": "sqlite3",
    "whoosh": "whoosh.index",
    "whoosh_stem": "whoosh.index",
}


def _cpu() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _tree_pss(pid: int) -> int:
    """Bytes of PSS of ``pid`` and all its descendants (0 where ``/proc`` cannot tell)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                total += next((int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending += [int(c) for c in children.read().split()]
        except OSError:
            continue
    return total


class _MemorySampler(threading.Thread):
    """Peak summed PSS of this process tree while a job runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, _tree_pss(os.getpid()))


def main(argv: list[str]) -> int:
    """Run one build or update and print its measurements."""
    name, action, index_dir, docs_path = argv[0], argv[1], Path(argv[2]), Path(argv[3])
    changed = Path(argv[4]) if len(argv) > 4 else None
    engine = engines.get(name)
    importlib.import_module(LIBRARIES[name])
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    sampler = _MemorySampler()
    sampler.start()
    cpu0, t0 = _cpu(), time.perf_counter()
    if action == "build":
        docs = engine.build(docs_path, index_dir)
    elif action == "update" and changed is not None:
        docs = engine.update(docs_path, changed, index_dir)
    else:
        print(f"usage: {__doc__}", file=sys.stderr)
        return 2
    seconds, cpu = time.perf_counter() - t0, _cpu() - cpu0
    sampler.done.set()
    sampler.join()
    peak_rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, sampler.peak)
    result = JobResult(name, action, docs, seconds, cpu, peak_rss, base_rss, engine.index_dir_size(index_dir))
    print(json.dumps(asdict(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
