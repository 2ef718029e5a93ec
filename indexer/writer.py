"""Fill a Whoosh index with articles: one code path for builds and updates.

Segments are written non-compound: a compound segment is copied into memory by every new
searcher (slow reopen, +RSS per worker), which the live-reloading service cannot afford.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import logging
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.columns import ColumnReader
from whoosh.reading import IndexReader
from whoosh.writing import SegmentWriter

from indexer.analysis import document_language
from indexer.codec import SteppeCodec
from indexer.enrich import enrich, prepare
from indexer.parallel import BATCH_SIZE, ParallelBuildWriter
from indexer.records import Article, SkippedRecord
from indexer.report import BuildReport
from indexer.schema import build_schema
from indexer.segment_writer import GroupingSegmentWriter

WRITER_MEMORY_MB = 256
MIN_WORKER_MEMORY_MB = 64
# The analysis caches hold millions of small objects that live for the whole run; every full
# collection walked all of them (a seventh of the build). Freezing moves what exists into the
# permanent generation, so collections only look at recent objects.
GC_FREEZE_EVERY = 256
# Articles whose extraction is readied together (see indexer.enrich.prepare): a build worker's job.
PREPARE_BATCH = BATCH_SIZE
log = logging.getLogger(__name__)


def article_fields(article: Article) -> dict[str, object]:
    """The Whoosh document for one article."""
    date = dt.datetime(article.date.year, article.date.month, article.date.day) if article.date else None
    fields: dict[str, object] = {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "body": article.body,
        "lead": lead_of(article.body),
        "title_exact": article.title,
        "body_exact": article.body,
        "title_key": article.title,
        "body_key": article.body,
        "lang": article.lang or "other",
        "script": article.script,
        "content_hash": article.content_hash(),
        "source": article.source,
    }
    if date is not None:
        fields["date"] = date
        fields["month"] = f"{date.year:04d}-{date.month:02d}"
    if article.countries:
        fields["country"] = ",".join(code for code, _ in article.countries)
        fields["facet_country"] = encode_facet_values(article.countries)
    if article.entities:
        fields["entity"] = ",".join(entity_id for entity_id, _, _ in article.entities)
        fields["facet_entity"] = encode_facet_values(article.entities)
        fields["entities"] = [{"id": i, "name": n, "type": t} for i, n, t in article.entities]
    return fields


FIELD_SEP, VALUE_SEP = "\x1f", "\x1e"


def encode_facet_values(values: Iterable[tuple[str, ...]]) -> bytes:
    r"""Column bytes for a multi-valued facet: ``(("KZ", "Kazakhstan"),)`` → ``b"KZ\x1fKazakhstan"``."""
    return VALUE_SEP.join(FIELD_SEP.join(v) for v in values).encode("utf-8")


def decode_facet_values(blob: bytes) -> list[list[str]]:
    """Inverse of :func:`encode_facet_values`."""
    if not blob:
        return []
    return [value.split(FIELD_SEP) for value in blob.decode("utf-8").split(VALUE_SEP)]


LEAD_CHARS = 400


def lead_of(body: str) -> str:
    """The article's lead: its first paragraph, at most ``LEAD_CHARS`` characters (cut at a space)."""
    first = body.split("\n\n", 1)[0]
    if len(first) <= LEAD_CHARS:
        return first
    cut = first.rfind(" ", 0, LEAD_CHARS)
    return first[: cut if cut > 0 else LEAD_CHARS]


def open_writer(index_dir: Path, create: bool, jobs: int = 1) -> SegmentWriter:
    """A writer on a new (``create``) or existing index, with our segment settings.

    ``jobs > 1`` (new indexes only) gives a :class:`ParallelBuildWriter` with that many worker
    processes; each worker's memory limit is the same as the single writer's.
    """
    if create:
        ix = whoosh_index.create_in(str(index_dir), build_schema())
    else:
        ix = whoosh_index.open_dir(str(index_dir))
    if create and jobs > 1:
        # The workers share the memory budget of one writer: the build's peak stays the same with more cores.
        per_worker = max(MIN_WORKER_MEMORY_MB, WRITER_MEMORY_MB // jobs)
        return ParallelBuildWriter(ix, jobs, write_article, limitmb=per_worker, codec=SteppeCodec())
    return GroupingSegmentWriter(ix, limitmb=WRITER_MEMORY_MB, compound=False, codec=SteppeCodec())


EXTRACT_FAILED = "extract_failed"


def write_article(writer: SegmentWriter, article: Article, *, replace: bool = False) -> str | None:
    """Enrich one article and add (or ``replace``) it; returns a warning kind, or ``None``.

    Entity and country extraction is best effort: if it fails on some odd text, the article is
    still indexed (without facets) and the failure is counted, rather than ending the run.
    """
    warning = None
    try:
        enrich(article)
    except Exception:  # noqa: BLE001 - one odd article must not abort a nightly build
        log.exception("entity/country extraction failed for %s (%s); indexed without facets", article.id, article.source)
        article.entities, article.countries = [], []
        warning = EXTRACT_FAILED
    with document_language(article.lang):
        if replace:
            writer.update_document(**article_fields(article))
        else:
            writer.add_document(**article_fields(article))
    return warning


FILE_LEVEL_FAILURES = frozenset({"unreadable", "too_large", "unknown_format", "invalid_archive", "truncated_archive"})


def _accepted(
    records: Iterable[Article | SkippedRecord], report: BuildReport, seen: set[str], failed: set[str] | None = None
) -> Iterable[Article]:
    """Articles to write: skipped records and repeated ids are counted in the report instead.

    ``failed`` collects what an update must not prune: the ids of bad records, and the paths
    of files (or archive positions) that could not be read at all.
    """
    for record in records:
        report.read += 1
        if isinstance(record, SkippedRecord):
            report.skip(record)
            if failed is not None:
                failed.add(record.record_id or record.where)
            continue
        if record.id in seen:
            report.skip(SkippedRecord("duplicate_id", record.source, f"id {record.id!r} seen earlier in this run"))
            continue
        seen.add(record.id)
        for warning in record.extra.get("warnings") or ():
            report.warn(record.source, str(warning))
        yield record


def add_articles(writer: SegmentWriter, records: Iterable[Article | SkippedRecord], report: BuildReport) -> None:
    """Add every article of a fresh build; duplicate ids after the first are skipped and counted.

    With a :class:`ParallelBuildWriter` the articles go to its workers, whose warnings reach
    the report at commit (see ``indexer.cli.build``).
    """
    if isinstance(writer, ParallelBuildWriter):
        for article in _accepted(records, report, set()):
            writer.add_article(article)
            report.indexed += 1
        return
    _write_in_batches(writer, _accepted(records, report, set()), report, replace=False)


def _write_in_batches(writer: SegmentWriter, articles: Iterable[Article], report: BuildReport, *, replace: bool) -> None:
    """Write (or ``replace``) articles, readying their extraction a batch at a time (see ``enrich.prepare``)."""
    pending = iter(articles)
    while batch := list(itertools.islice(pending, PREPARE_BATCH)):
        prepare(batch)
        for article in batch:
            warning = write_article(writer, article, replace=replace)
            if warning:
                report.warn(article.source, warning)
            if report.indexed % GC_FREEZE_EVERY == 0:
                gc.freeze()
            report.indexed += 1


def upsert_articles(writer: SegmentWriter, records: Iterable[Article | SkippedRecord], report: BuildReport, prune: bool) -> None:
    """Add new articles, replace changed ones, skip unchanged ones (same content hash).

    With ``prune``, articles whose id did not come up in this run (their source is gone) are
    deleted; not those whose record or file this run could not read (a bad line today does not
    delete yesterday's good copy). Everything happens in the writer's transaction: readers see all of it at commit,
    or nothing if the run dies first. Changed articles are enriched in batches, as in a build
    (the NER model tags a batch's Russian texts in one pass).
    """
    reader = writer.reader()
    hashes = reader.column_reader("content_hash") if reader.has_column("content_hash") else None
    seen: set[str] = set()
    failed: set[str] = set()
    changed = (article for article in _accepted(records, report, seen, failed) if not _unchanged(reader, hashes, article, report))
    _write_in_batches(writer, changed, report, replace=True)
    if prune:
        for docnum, stored in reader.iter_docs():
            if stored["id"] not in seen and not _read_failed(stored, failed):
                writer.delete_document(docnum)
                report.deleted += 1


def _unchanged(reader: IndexReader, hashes: ColumnReader | None, article: Article, report: BuildReport) -> bool:
    """Whether the index already holds ``article`` with the same content hash (counted as unchanged)."""
    docnum = next(iter(reader.postings("id", article.id).all_ids()), None) if ("id", article.id) in reader else None
    if docnum is not None and hashes is not None and hashes[docnum] == article.content_hash():
        report.unchanged += 1
        return True
    return False


def _read_failed(stored: dict[str, object], failed: set[str]) -> bool:
    """Whether this run failed to read the record behind ``stored`` (so its source is not gone)."""
    if stored["id"] in failed:
        return True
    source = str(stored.get("source") or "")
    return any(source == where or source.startswith((where + ":", where + "@")) for where in failed if where)
