"""A real gunicorn (via `steppe-search serve`) on a free 127.0.0.1 port, queried over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from indexer.cli import build
from tests.conftest import CORPUS

STARTUP_DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def start_server(index: Path, tmp_path: Path):
    """Start `steppe-search serve` on a free port; returns (process, base URL, log file)."""
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "wb")
    cli = Path(sys.executable).parent / "steppe-search"
    proc = subprocess.Popen(
        [str(cli), "serve", "--index", str(index), "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_DEADLINE
    while True:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited {proc.returncode}: {(tmp_path / 'gunicorn.log').read_text()[-2000:]}")
        try:
            if get(base + "/healthz")[0] == 200:
                return proc, base, log
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            pytest.fail(f"gunicorn did not answer in {STARTUP_DEADLINE}s: {(tmp_path / 'gunicorn.log').read_text()[-2000:]}")
        time.sleep(0.2)


@pytest.fixture
def server(fixture_index: Path, tmp_path: Path):
    proc, base, log = start_server(fixture_index, tmp_path)
    try:
        yield base
    finally:
        stop(proc)
        log.close()


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the whole process group (master and workers), SIGKILL after a deadline."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_gunicorn_serves_search_over_http(server: str):
    status, body = get(server + "/api/search?" + urllib.parse.urlencode({"q": "Tokayev"}))
    assert status == 200 and body["total"] >= 4
    status, body = get(server + "/api/search?" + urllib.parse.urlencode({"q": "Жапаров"}))
    assert status == 200 and body["hits"][0]["id"] == "fx-en-bishkek"
    assert "<mark>Japarov</mark>" in body["hits"][0]["snippet"]
    status, body = get(server + "/api/search?q=astana&page=0")
    assert status == 400 and body["error"]["param"] == "page"
    status, body = get(server + "/healthz")
    assert status == 200 and body["generation"] == "gen-000001"
    with urllib.request.urlopen(server + "/?q=Astana", timeout=10) as page:
        assert page.status == 200 and "Steppe Search" in page.read().decode()


def test_new_generation_served_under_load_without_a_failed_request(tmp_path: Path):
    index = tmp_path / "ix"
    build([CORPUS], index, max_skip_ratio=0.5, progress=False)
    proc, base, log = start_server(index, tmp_path)
    statuses: list[int] = []
    generations: list[tuple[float, str, int]] = []
    stop_load = threading.Event()

    def load() -> None:
        url = base + "/api/search?" + urllib.parse.urlencode({"q": "Semey"})
        while not stop_load.is_set():
            try:
                status, body = get(url)
            except OSError:
                status, body = -1, {}
            statuses.append(status)
            if status == 200:
                generations.append((time.monotonic(), body["generation"], body["total"]))

    threads = [threading.Thread(target=load) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        extra = tmp_path / "new.jsonl"
        extra.write_text(json.dumps({"id": "semey-1", "title": "Semey book fair", "body": "Semey hosts a book fair."}) + "\n")
        build([CORPUS, extra], index, max_skip_ratio=0.5, progress=False)
        published = time.monotonic()
        time.sleep(6.0)
    finally:
        stop_load.set()
        for thread in threads:
            thread.join(timeout=20)
        stop(proc)
        log.close()
    assert len(statuses) > 50 and set(statuses) == {200}, sorted(set(statuses))
    late = [g for g in generations if g[0] > published + 5.0]
    assert late and all(gen == "gen-000002" and total == 1 for _, gen, total in late)
    assert any(gen == "gen-000001" for _, gen, _ in generations)  # the switch happened under load


def _search_count(metrics_text: str) -> float:
    for line in metrics_text.splitlines():
        if line.startswith("steppe_requests_total{") and 'endpoint="/api/search"' in line and 'status="200"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_add_up_across_workers(server: str):
    for i in range(20):
        assert get(server + "/api/search?" + urllib.parse.urlencode({"q": f"Astana {i}"}))[0] == 200
    readings = []
    for _ in range(6):  # each scrape may land on either worker: all must report the same sum
        with urllib.request.urlopen(server + "/metrics", timeout=10) as response:
            readings.append(_search_count(response.read().decode()))
    assert readings == [20.0] * 6, readings
