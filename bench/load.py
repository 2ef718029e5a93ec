"""HTTP throughput: requests per second at zero errors under a bounded concurrent load.

``wrk`` (a C load generator, Debian package ``wrk``; ``make bench`` installs it when it can)
with a Lua script that cycles through the query list, one keep-alive connection per unit of
concurrency, on 127.0.0.1 only. Without ``wrk``, Python client threads do the same, slower:
they take a good part of the 2 cores the server needs, so their figures are a floor.

The load walks the whole list: each wrk thread starts at its own place and every run picks up
where the previous one stopped, so the levels do not replay the first few queries. Before the
levels, :func:`warm_up` sends the list once over two connections, unmeasured, as the in-process
latency rounds have their warm-up pass (a server's caches hold its recent queries' terms).
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
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
        threading.Thread(target=_worker, args=(port, paths, i * len(paths) // concurrency, deadline, done, errors), daemon=True)
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


_WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("STEPPE_WRK_PATHS")) do paths[#paths + 1] = line end
local offset = tonumber(os.getenv("STEPPE_WRK_OFFSET") or "0")
local threads = tonumber(os.getenv("STEPPE_WRK_THREADS") or "1")
local next_id = 0
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
local counter = 0
init = function(args)
  counter = offset + math.floor((id or 0) * #paths / threads)
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("STEPPE %d %d %d %d %d %f %f\\n", summary.requests, summary.errors.connect,
    summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_available() -> bool:
    """Whether the ``wrk`` load generator is on the PATH."""
    return shutil.which("wrk") is not None


def warm_up(port: int, paths: Sequence[str]) -> None:
    """Every path once, over two connections (half the list each), unmeasured; errors ignored."""
    half = (len(paths) + 1) // 2
    threads = [
        threading.Thread(target=_send_all, args=(port, part), daemon=True) for part in (paths[:half], paths[half:]) if part
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _send_all(port: int, paths: Sequence[str]) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    for path in paths:
        try:
            conn.request("GET", path)
            conn.getresponse().read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.close()


_WRK_OFFSET = [0]  # where the next wrk run starts in the path list (shared by all levels of a bench)


def wrk_load(port: int, paths: Sequence[str], concurrency: int, seconds: float, windows: int = 3) -> LoadResult:
    """``wrk`` at ``concurrency`` connections (2 threads) for ``seconds``, cycling through ``paths``."""
    with tempfile.TemporaryDirectory(prefix="steppe-wrk-") as tmp:
        script, listing = f"{tmp}/cycle.lua", f"{tmp}/paths.txt"
        with open(script, "w", encoding="utf-8") as out:
            out.write(_WRK_SCRIPT)
        with open(listing, "w", encoding="utf-8") as out:
            out.write("\n".join(paths) + "\n")
        per_window: list[float] = []
        total = errors = 0
        p50 = p99 = 0.0
        wall = 0.0
        for _ in range(windows):  # equal slices, for a spread like the Python client's
            threads = min(2, concurrency)
            command = [shutil.which("wrk") or "wrk", "-t", str(threads), "-c", str(concurrency)]
            command += ["-d", f"{max(1, round(seconds / windows))}s"]  # wrk takes whole seconds
            command += ["--timeout", "30s", "-s", script, f"http://{HOST}:{port}/"]
            proc = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                env={
                    "STEPPE_WRK_PATHS": listing,
                    "STEPPE_WRK_OFFSET": str(_WRK_OFFSET[0]),
                    "STEPPE_WRK_THREADS": str(threads),
                    "PATH": "/usr/bin:/bin",
                },
            )
            match = re.search(r"STEPPE (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", proc.stdout)
            if proc.returncode != 0 or match is None:
                raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr[-500:] or proc.stdout[-500:]}")
            requests, connect, io_errors, status, duration_us = (int(match.group(i)) for i in range(1, 6))
            _WRK_OFFSET[0] = (_WRK_OFFSET[0] + requests // threads) % len(paths)
            slice_s = duration_us / 1e6
            per_window.append(requests / slice_s)
            total += requests
            errors += connect + io_errors + status
            wall += slice_s
            p50 = max(p50, float(match.group(6)) / 1000)
            p99 = max(p99, float(match.group(7)) / 1000)
    return LoadResult(concurrency, wall, total, errors, total / wall, spread(per_window).to_dict(), p50, p99, "wrk")


def ramp(port: int, paths: Sequence[str], levels: Sequence[int], seconds: float, windows: int = 3) -> list[LoadResult]:
    """Each concurrency level in turn; stops raising the load after the first level with errors."""
    results = []
    run = wrk_load if wrk_available() else python_load
    warm_up(port, paths)
    for level in levels:
        result = run(port, paths, level, seconds, windows)
        results.append(result)
        if result.errors:
            break
    return results


def best_clean(results: Sequence[LoadResult]) -> LoadResult | None:
    """The highest throughput among levels without a single error."""
    clean = [r for r in results if r.errors == 0]
    return max(clean, key=lambda r: r.rps) if clean else None
