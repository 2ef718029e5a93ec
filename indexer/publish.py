"""Index generations and their atomic publication.

Layout of an index directory::

    DIR/gen-000041/      previous generation, kept for rollback
    DIR/gen-000042/      the published one
    DIR/current  -> gen-000042     (symlink, replaced atomically with rename(2))
    DIR/previous -> gen-000041
    DIR/.lock            flock(2) held by the one indexer allowed at a time

A build writes a new generation next to the live one and flips ``current`` only after the
Whoosh commit and ``meta.json`` are on disk. A crash at any moment leaves ``current`` pointing
at a complete generation; the next run removes the half-written directory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import IndexLocked, NoIndex

CURRENT = "current"
PREVIOUS = "previous"
LOCK_FILE = ".lock"
_HELD_LOCK_FDS: set[int] = set()


def _drop_inherited_locks() -> None:
    """In a forked child (a parallel build's worker), close the parent's lock descriptor.

    flock(2) belongs to the open file, which a fork shares: a worker orphaned by a SIGKILLed
    indexer would otherwise keep the lock and make the next run report "another indexer".
    """
    for fd in list(_HELD_LOCK_FDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCK_FDS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)
META_FILE = "meta.json"
_GENERATION = re.compile(r"^gen-(\d{6,})$")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _point(root: Path, name: str, target: Path) -> None:
    """Atomically make ``root/name`` a symlink to ``target`` (relative, so the directory can move)."""
    tmp = root / f".{name}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target.name, tmp)
    os.replace(tmp, root / name)
    _fsync_dir(root)


class IndexDirectory:
    """One index directory: its generations, pointers and lock."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def generations(self) -> list[Path]:
        """Generation directories, oldest first."""
        if not self.root.is_dir():
            return []
        found = [(int(m.group(1)), p) for p in self.root.iterdir() if (m := _GENERATION.match(p.name)) and p.is_dir()]
        return [p for _, p in sorted(found)]

    def _pointer(self, name: str) -> Path | None:
        link = self.root / name
        try:
            target = os.readlink(link)
        except (FileNotFoundError, OSError):
            return None
        path = (self.root / target).resolve()
        return path if path.is_dir() else None

    def current(self) -> Path | None:
        """The published generation, or ``None`` when nothing was published yet."""
        return self._pointer(CURRENT)

    def previous(self) -> Path | None:
        """The generation published before the current one, kept for rollback."""
        return self._pointer(PREVIOUS)

    def require_current(self) -> Path:
        """The published generation; :class:`NoIndex` when there is none."""
        current = self.current()
        if current is None:
            raise NoIndex(f"no published index in {self.root} (run `steppe-index build ... --index {self.root}`)")
        return current

    def new_generation(self) -> Path:
        """Create and return an empty directory for the next generation."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(_GENERATION.match(p.name).group(1)) for p in self.generations()]
        path = self.root / f"gen-{(max(numbers) + 1 if numbers else 1):06d}"
        path.mkdir()
        return path

    def publish(self, generation: Path) -> None:
        """Make ``generation`` the served one; the one it replaces becomes ``previous``."""
        old = self.current()
        if old is not None and old != generation.resolve():
            _point(self.root, PREVIOUS, old)
        _point(self.root, CURRENT, generation)
        self.remove_unreferenced()

    def rollback(self) -> Path:
        """Serve the previous generation again (the current one becomes ``previous``)."""
        current, previous = self.require_current(), self.previous()
        if previous is None:
            raise NoIndex(f"no previous generation to roll back to in {self.root}")
        _point(self.root, CURRENT, previous)
        _point(self.root, PREVIOUS, current)
        return previous

    def remove_unreferenced(self) -> list[Path]:
        """Delete generations that are neither current nor previous (old or half-written)."""
        keep = {p for p in (self.current(), self.previous()) if p is not None}
        removed = []
        for path in self.generations():
            if path.resolve() not in keep:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        for stale in self.root.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        return removed

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the indexer lock; :class:`IndexLocked` at once if another process has it.

        flock(2) is released by the kernel when its holder dies, so a SIGKILLed indexer never
        leaves a stale lock behind.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
                raise IndexLocked(f"another indexer is running on {self.root}" + (f" (pid {holder})" if holder else "")) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            _HELD_LOCK_FDS.add(fd)
            yield
        finally:
            _HELD_LOCK_FDS.discard(fd)
            os.close(fd)


def write_meta(generation: Path, **fields: object) -> None:
    """Write ``meta.json`` into a generation (atomically, it is read by the service)."""
    meta = {"generation": generation.name, "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **fields}
    tmp = generation / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, generation / META_FILE)


def read_meta(generation: Path) -> dict[str, object]:
    """The generation's ``meta.json`` (empty dict when missing or unreadable)."""
    try:
        return json.loads((generation / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
