"""Readers that turn crawl files into :class:`~indexer.records.Article` records.

The reader is picked by extension (``.txt`` raw page, ``.jsonl``/``.jsonl.gz`` records,
``.html``/``.htm`` pages, ``.warc``/``.warc.gz`` archives); directories are walked recursively
in sorted order; gzip is transparent. A reader never raises for bad content: it yields a
:class:`~indexer.records.SkippedRecord` with the reason instead, and the run goes on.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from indexer.records import Article, SkippedRecord
from indexer.sources import html, jsonl, rawtext, warc

Reader = Callable[[Path, bytes], Iterator[Article | SkippedRecord]]

READERS: dict[str, Reader] = {
    ".txt": rawtext.read,
    ".jsonl": jsonl.read,
    ".ndjson": jsonl.read,
    ".html": html.read,
    ".htm": html.read,
    ".warc": warc.read,
}
MAX_FILE_BYTES = 512 * 1024 * 1024


def reader_for(path: Path) -> Reader | None:
    """The reader for a file name (``.gz`` looks at the extension underneath), or ``None``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return READERS.get(suffixes[-1]) if suffixes else None


def iter_files(sources: Iterable[Path]) -> Iterator[Path]:
    """Every readable file under ``sources`` (files as given, directories recursively, sorted)."""
    for source in sources:
        if source.is_dir():
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                hidden = any(part.startswith(".") for part in path.relative_to(source).parts)
                if reader_for(path) is not None and not hidden:
                    yield path
        else:
            yield source


def _load(path: Path) -> bytes:
    data = path.read_bytes()
    # WARC gzip is per record and warcio reads it as is: a truncated .warc.gz still gives its first records.
    if path.suffix.lower() == ".gz" and reader_for(path) is not warc.read:
        data = gzip.decompress(data)
    return data


def read_sources(sources: Iterable[Path]) -> Iterator[Article | SkippedRecord]:
    """Read every record of every source, in a stable order."""
    for path in iter_files(sources):
        reader = reader_for(path)
        if reader is None:
            yield SkippedRecord("unknown_format", str(path), "no reader for this file extension")
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                yield SkippedRecord("too_large", str(path), f"file over {MAX_FILE_BYTES} bytes")
                continue
            data = _load(path)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            yield SkippedRecord("unreadable", str(path), str(err))
            continue
        yield from reader(path, data)
