"""Engine adapters, one module each; this registry is how the rest of the bench finds them."""

from __future__ import annotations

import importlib.util

from bench.engines.base import Engine
from bench.engines.fts5 import Fts5Engine
from bench.engines.steppe import SteppeEngine
from bench.engines.tantivy_engine import TantivyEngine
from bench.engines.whoosh_plain import WhooshEngine, WhooshStemmingEngine

ENGINES: dict[str, type[Engine]] = {
    "steppe": SteppeEngine,
    "tantivy": TantivyEngine,
    "fts5": Fts5Engine,
    "whoosh": WhooshEngine,
}
# Built once for scale (bench.runner.Runner.reference_scale), never compared as a peer.
REFERENCE_ENGINES: dict[str, type[Engine]] = {"whoosh_stem": WhooshStemmingEngine}
PEERS: tuple[str, ...] = ("tantivy", "fts5", "whoosh")
EXTRA_PACKAGES: tuple[str, ...] = ("tantivy", "matplotlib", "psutil")


def get(name: str) -> Engine:
    """A fresh adapter by registry name."""
    return (ENGINES.get(name) or REFERENCE_ENGINES[name])()


def missing_packages() -> list[str]:
    """Benchmark-only packages that are not installed (``pip install --group bench``)."""
    return [name for name in EXTRA_PACKAGES if importlib.util.find_spec(name) is None]
