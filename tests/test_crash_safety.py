"""SIGKILL the indexer mid-build: the published index keeps serving, the next run recovers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from indexer.cli import ExitCode, build, stats
from indexer.publish import IndexDirectory
from tests.conftest import CORPUS

CLI = Path(sys.executable).parent / "steppe-index"


def big_feed(path: Path, n: int = 4000) -> Path:
    words = "Astana Bishkek Tashkent Dushanbe Ashgabat wheat cotton uranium gas railway".split()
    with path.open("w", encoding="utf-8") as feed:
        for i in range(n):
            body = " ".join(words[(i + j) % len(words)] for j in range(120))
            feed.write(json.dumps({"id": f"big-{i}", "title": f"Report {i}", "body": body}) + "\n")
    return path


def test_sigkill_during_build_leaves_old_index_and_next_run_recovers(tmp_path):
    index = tmp_path / "ix"
    build([CORPUS], index, max_skip_ratio=0.5, progress=False)
    feed = big_feed(tmp_path / "big.jsonl")
    proc = subprocess.Popen([str(CLI), "build", str(feed), "--index", str(index)], stderr=subprocess.PIPE)
    directory = IndexDirectory(index)
    deadline = time.monotonic() + 60
    while len(directory.generations()) < 2 and time.monotonic() < deadline:  # the new generation exists
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the build
    assert proc.poll() is None, "the build finished before it could be killed; make the feed bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    info = stats(index)
    assert info["generation"] == "gen-000001" and info["doc_count"] == 11  # untouched, still served
    report = build([feed], index, max_skip_ratio=0.5, progress=False)  # no stale lock, no manual cleanup
    assert report.indexed == 4000 and stats(index)["doc_count"] == 4000
    assert {p.name for p in directory.generations()} == {"gen-000001", report.generation}


def test_second_indexer_exits_with_its_own_code_touching_nothing(tmp_path):
    index = tmp_path / "ix"
    build([CORPUS], index, max_skip_ratio=0.5, progress=False)
    # big enough that the first build still holds the lock when the second has started up (~15 s)
    feed = big_feed(tmp_path / "big.jsonl", n=10_000)
    first = subprocess.Popen([str(CLI), "build", str(feed), "--index", str(index)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(IndexDirectory(index).generations()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        second = subprocess.run(
            [str(CLI), "build", str(CORPUS), "--index", str(index)], capture_output=True, text=True, timeout=60
        )
        still_running = first.poll() is None
        assert second.returncode == ExitCode.LOCKED, "the first build may have finished first" if not still_running else ""
        assert "another indexer is running" in second.stderr
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0 and stats(index)["doc_count"] == 10_000
