"""Steppe over HTTP: the real ``steppe-search serve`` (gunicorn), queried on 127.0.0.1.

The server runs in its own process group so that stopping it (SIGTERM to the group, as
systemd would) takes its workers with it and nothing is left listening after the run.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from bench.engines.base import FULL, Result, Searcher
from search.params import FACETS

HOST = "127.0.0.1"
WORKERS = 2
START_TIMEOUT = 90.0


def free_port() -> int:
    """A port nobody listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def search_path(text: str, k: int) -> str:
    """The API request for one query."""
    return "/api/search?" + urllib.parse.urlencode({"q": text, "per_page": k, "facets": ",".join(FACETS)})


def _get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def serve(index_dir: Path, log_path: Path, workers: int = WORKERS) -> Iterator[tuple[int, int]]:
    """Run ``steppe-search serve`` on a free port until the block ends; yields (port, server pid)."""
    port = free_port()
    exe = Path(sys.executable).with_name("steppe-search")
    command = [str(exe), "serve", "--index", str(index_dir), "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    with serve_command(command, port, log_path) as pid:
        yield port, pid


@contextlib.contextmanager
def serve_peer(engine: str, index_dir: Path, log_path: Path, workers: int = WORKERS) -> Iterator[tuple[int, int]]:
    """A peer engine's ``bench.peer_server`` app under gunicorn (sync workers); yields (port, server pid)."""
    port = free_port()
    exe = Path(sys.executable).with_name("gunicorn")
    target = f"bench.peer_server:app({engine!r}, {str(index_dir)!r})"
    command = [str(exe), "--bind", f"{HOST}:{port}", "--workers", str(workers), "--worker-class", "sync", target]
    with serve_command(command, port, log_path) as pid:
        yield port, pid


@contextlib.contextmanager
def serve_command(command: list[str], port: int, log_path: Path) -> Iterator[int]:
    """Run a server command in its own process group until healthy on ``port``; yields its pid."""
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{Path(command[0]).name} exited with {proc.returncode}; see {log_path}")
            with contextlib.suppress(OSError):
                status, body = _get(port, "/healthz", timeout=2.0)
                if status == 200 and json.loads(body).get("status") == "ok":
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{Path(command[0]).name} not healthy after {START_TIMEOUT:.0f} s; see {log_path}")
            time.sleep(0.2)
        yield proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class SteppeHttpSearcher(Searcher):
    """One keep-alive client connection; what a single user's browser costs end to end."""

    modes = (FULL,)

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def _request(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def search(self, text: str, mode: str, k: int = 10) -> Result:
        """``GET /api/search`` and the parsed JSON."""
        status, body = self._request(search_path(text, k))
        if status != 200:
            return Result([], 0)
        data = json.loads(body)
        hits = data.get("hits", [])
        return Result([h["id"] for h in hits], data.get("total"), [h.get("snippet", "") for h in hits], bool(data.get("relaxed")))

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
