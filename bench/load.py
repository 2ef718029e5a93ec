"""HTTP throughput: requests per second at zero errors under a bounded concurrent load.

Python client threads with one keep-alive connection each, cycling through the query list
on 127.0.0.1 only. The client shares the 2 cores with gunicorn, so this is a floor for what
the server could do with the cores to itself (a C client such as ``wrk`` would take less of
them, but cannot cycle through a query list without a Lua script, and is not installed here).
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bench.timing import percentile, spread

HOST = "127.0.0.1"


@dataclass(frozen=True)
class LoadResult:
    """One load level."""

    concurrency: int
    seconds: float
    requests: int
    errors: int
    rps: float
    rps_windows: dict[str, float]  # spread of requests/s over equal time windows of the run
    p50_ms: float
    p99_ms: float
    client: str

    def to_dict(self) -> dict[str, object]:
        """Plain values for the JSON results."""
        return asdict(self)


def _worker(
    port: int, paths: Sequence[str], start: int, deadline: float, done: list[tuple[float, float]], errors: list[int]
) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    i = start
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        began = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (http.client.HTTPException, OSError):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        if ok:
            done.append((time.monotonic(), time.perf_counter() - began))
        else:
            errors.append(1)
    conn.close()


def python_load(port: int, paths: Sequence[str], concurrency: int, seconds: float, windows: int = 3) -> LoadResult:
    """``concurrency`` client threads for ``seconds``; requests/s also per window for a spread."""
    done: list[tuple[float, float]] = []
    errors: list[int] = []
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=_worker, args=(port, paths, i * 7, deadline, done, errors), daemon=True)
        for i in range(concurrency)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    width = seconds / windows
    per_window = [
        sum(1 for at, _ in done if started + w * width <= at < started + (w + 1) * width) / width for w in range(windows)
    ]
    latencies = [d for _, d in done]
    return LoadResult(
        concurrency,
        wall,
        len(done),
        len(errors),
        len(done) / wall,
        spread(per_window).to_dict(),
        percentile(latencies, 50) * 1000,
        percentile(latencies, 99) * 1000,
        "python threads",
    )


def ramp(port: int, paths: Sequence[str], levels: Sequence[int], seconds: float, windows: int = 3) -> list[LoadResult]:
    """Each concurrency level in turn; stops raising the load after the first level with errors."""
    results = []
    for level in levels:
        result = python_load(port, paths, level, seconds, windows)
        results.append(result)
        if result.errors:
            break
    return results


def best_clean(results: Sequence[LoadResult]) -> LoadResult | None:
    """The highest throughput among levels without a single error."""
    clean = [r for r in results if r.errors == 0]
    return max(clean, key=lambda r: r.rps) if clean else None
