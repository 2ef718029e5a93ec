"""The machine and software a run measured, so numbers are never read without their context."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from bench import engines


def _cpuinfo_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def load_average() -> tuple[float, float, float]:
    """1/5/15-minute load; other jobs on the machine show up here."""
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


def machine() -> dict[str, object]:
    """CPU model, cores, RAM, OS and Python."""
    return {
        "cpu": _cpuinfo_model(),
        "cores": os.cpu_count() or 0,
        "ram_bytes": _ram_bytes(),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
    }


def versions() -> dict[str, str]:
    """Every engine's version plus the libraries the bench itself relies on."""
    out = {engines.get(name).label: engines.get(name).version() for name in engines.ENGINES}
    for package in ("gunicorn", "falcon", "PyICU", "PyStemmer", "matplotlib", "psutil"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "not installed"
    return out
