"""Clocks and summaries: percentiles, spreads over repeats, and timed child-process jobs.

Index builds run in a fresh child process (:mod:`bench.buildjob`) so that peak RSS is that of
the build alone and no engine inherits another's caches or heap; imports happen before the
clock starts, everything from reading the JSON Lines file to the committed index is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpora import REPO


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass(frozen=True)
class Spread:
    """Median and the spread of repeated measurements (min–max and inter-quartile range)."""

    median: float
    lo: float
    hi: float
    q1: float
    q3: float
    n: int

    def to_dict(self) -> dict[str, float]:
        """Plain numbers for the JSON results."""
        return asdict(self)


def spread(values: Sequence[float]) -> Spread:
    """Summarise repeats; a single value has zero spread, and says so with ``n = 1``."""
    vals = [float(v) for v in values]
    return Spread(percentile(vals, 50), min(vals), max(vals), percentile(vals, 25), percentile(vals, 75), len(vals))


@dataclass(frozen=True)
class JobResult:
    """What one build or update cost, measured inside the child process."""

    engine: str
    action: str
    docs: int
    seconds: float
    cpu_seconds: float
    peak_rss: int
    base_rss: int
    size_bytes: int

    def to_dict(self) -> dict[str, object]:
        """Plain values for the JSON results."""
        return asdict(self)


def run_child(module: str, args: Sequence[str]) -> dict[str, object]:
    """Run ``python -m module args…`` from the repository; its last stdout line is JSON."""
    command = [sys.executable, "-m", module, *args]
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_job(engine: str, action: str, index_dir: Path, docs_path: Path, changed_path: Path | None = None) -> JobResult:
    """Run one :mod:`bench.buildjob` build or update and return its measurements."""
    args = [engine, action, str(index_dir), str(docs_path)]
    if changed_path is not None:
        args.append(str(changed_path))
    return JobResult(**run_child("bench.buildjob", args))  # type: ignore[arg-type]


class Stopwatch:
    """Wall time since the start of the run, for the time budget and the log."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def elapsed(self) -> float:
        """Seconds since start."""
        return time.monotonic() - self.start


def dir_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
