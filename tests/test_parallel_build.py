"""Builds on several cores: same index as one process, failures fail loudly, no orphans."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import webtest
from whoosh import index as whoosh_index

import indexer.parallel
from indexer.cli import build
from indexer.parallel import ParallelBuildWriter, WorkerFailed
from indexer.publish import IndexDirectory
from indexer.records import Article
from indexer.schema import build_schema
from search.app import create_app
from search.config import Config
from tests.conftest import CORPUS, DEMO_CRAWL
from tests.test_crash_safety import big_feed

CLI = Path(sys.executable).parent / "steppe-index"
QUERIES = ["Tokayev", "Токаев", "Astana", "банк", "Қазақстан", '"Central Asia"', "Bishkek OR Tashkent", "gas*"]


def _answers(index: Path) -> list[dict]:
    app = webtest.TestApp(create_app(Config.from_env({}, index_dir=str(index), reload_interval=0.0)))
    out = []
    for q in QUERIES:
        body = app.get("/api/search", params={"q": q, "per_page": 50, "facets": "lang,country,entity,date"}).json
        out.append(
            {
                "total": body["total"],
                "hits": sorted((h["id"], round(h["score"], 4), h["snippet"]) for h in body["hits"]),
                "facets": body["facets"],
            }
        )
    return out


def test_parallel_build_gives_the_same_answers_as_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.parallel, "BATCH_SIZE", 5)  # many job files, both workers busy
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    report_1 = build([CORPUS, DEMO_CRAWL], serial, max_skip_ratio=0.5, progress=False, jobs=1)
    report_2 = build([CORPUS, DEMO_CRAWL], parallel, max_skip_ratio=0.5, progress=False, jobs=2)
    assert report_1.indexed == report_2.indexed > 40
    assert report_1.warnings == report_2.warnings
    with whoosh_index.open_dir(str(IndexDirectory(parallel).current())).reader() as reader:
        assert len(reader.leaf_readers()) == 2  # one segment per worker: the postings were written in parallel
    assert _answers(parallel) == _answers(serial)


def _boom(writer, article):
    if article.id == "a-3":
        raise RuntimeError("analysis bug on a-3")
    writer.add_document(id=article.id, title=article.title, body=article.body)
    return None


def test_a_failing_worker_fails_the_build_without_hanging(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = ParallelBuildWriter(ix, 2, _boom, limitmb=32, codec=None, batchsize=2)
    for i in range(12):
        writer.add_article(Article(id=f"a-{i}", title=f"Title {i}", body="Astana"))
    started = time.monotonic()
    with pytest.raises(WorkerFailed, match="analysis bug on a-3"):
        writer.commit()
    writer.cancel()
    assert time.monotonic() - started < 30
    assert all(not task.is_alive() for task in writer.tasks)
    assert whoosh_index.open_dir(str(tmp_path)).doc_count() == 0  # nothing committed


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]  # a zombie has exited; only its parent's reaping is missing


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the workers")
def test_workers_exit_when_the_indexer_is_killed(tmp_path):
    index = tmp_path / "ix"
    feed = big_feed(tmp_path / "big.jsonl", n=6000)
    proc = subprocess.Popen([str(CLI), "build", str(feed), "--index", str(index), "--jobs", "2"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the build did not start its workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_running(w) for w in workers), "orphaned build workers kept running"
    finally:
        if proc.poll() is None:
            proc.kill()
    report = build([feed], index, max_skip_ratio=0.5, progress=False, jobs=2)  # no stale lock, no leftovers
    assert report.indexed == 6000
    assert json.loads((IndexDirectory(index).current() / "meta.json").read_text())["doc_count"] == 6000
