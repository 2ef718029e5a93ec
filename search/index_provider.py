"""The open index, kept fresh: opened once per worker, reopened when ``current`` moves.

Whoosh searchers read through shared file handles and are not safe to share between threads,
so each thread keeps its own searcher on the shared ``Index``; a thread notices a newly
published generation (or a commit into the current one) within ``reload_interval`` seconds,
opens the new searcher first and only then closes its old one, so no request ever fails
during the switch.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher

from indexer.publish import IndexDirectory, read_meta
from search.errors import IndexUnavailable


@dataclass
class Snapshot:
    """One thread's view of one generation."""

    generation: Path
    searcher: Searcher
    meta: dict[str, object]
    opened_at: float
    toc: int = 0  # Whoosh commit number inside the generation
    cache: dict[str, object] = field(default_factory=dict)  # per-snapshot arrays (search.evaluate, facets)

    @property
    def version(self) -> str:
        """Changes whenever the served content changes (new generation or new commit): ETags use it."""
        return f"{self.generation.name}.{self.toc}"

    @property
    def name(self) -> str:
        """Generation directory name, e.g. ``gen-000042``."""
        return self.generation.name


class IndexProvider:
    """Hands each request a fresh-enough searcher of the published generation."""

    def __init__(self, root: Path, reload_interval: float = 1.0) -> None:
        self.directory = IndexDirectory(root)
        self.reload_interval = reload_interval
        self._lock = threading.Lock()
        self._indexes: dict[Path, Index] = {}
        self._local = threading.local()

    def _index(self, generation: Path) -> Index:
        with self._lock:
            ix = self._indexes.get(generation)
            if ix is None:
                try:
                    ix = whoosh_index.open_dir(str(generation))
                except (OSError, whoosh_index.IndexError) as err:
                    raise IndexUnavailable(f"cannot open index generation {generation.name}: {err}") from err
                # Keep only the generations some thread may still use: current and the one before.
                for old in list(self._indexes)[:-1]:
                    del self._indexes[old]
                self._indexes[generation] = ix
            return ix

    def snapshot(self) -> Snapshot:
        """The calling thread's snapshot, reopened if the index changed since the last check."""
        snap: Snapshot | None = getattr(self._local, "snap", None)
        now = time.monotonic()
        if snap is not None and now - getattr(self._local, "checked", 0.0) < self.reload_interval:
            return snap
        self._local.checked = now
        current = self.directory.current()
        if current is None:
            if snap is not None:
                return snap  # keep serving what we have rather than failing
            raise IndexUnavailable(f"no published index in {self.directory.root}")
        if snap is not None and snap.generation == current:
            try:
                if snap.searcher.up_to_date():
                    return snap
                # Not Searcher.refresh(): it reuses the old segment readers and their deletion
                # sets, so a document replaced by an update would still match.
                ix = self._index(current)
                fresh = ix.searcher()
            except (OSError, whoosh_index.IndexError):
                return snap
            new = Snapshot(current, fresh, read_meta(current), time.time(), ix.latest_generation())
            self._local.snap = new
            with contextlib.suppress(Exception):
                snap.searcher.close()
            return new
        ix = self._index(current)
        new = Snapshot(current, ix.searcher(), read_meta(current), time.time(), ix.latest_generation())
        self._local.snap = new
        if snap is not None:
            with contextlib.suppress(Exception):
                snap.searcher.close()
        return new

    def close(self) -> None:
        """Close the calling thread's searcher (tests and shutdown)."""
        snap: Snapshot | None = getattr(self._local, "snap", None)
        if snap is not None:
            snap.searcher.close()
            self._local.snap = None
