"""Fill a Whoosh index with articles: one code path for builds and (later) updates.

Segments are written non-compound: a compound segment is copied into memory by every new
searcher (slow reopen, +RSS per worker), which the live-reloading service cannot afford.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.analysis import document_language
from indexer.enrich import enrich
from indexer.records import Article, SkippedRecord
from indexer.report import BuildReport
from indexer.schema import build_schema

WRITER_MEMORY_MB = 256


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


def open_writer(index_dir: Path, create: bool) -> SegmentWriter:
    """A writer on a new (``create``) or existing index, with our segment settings."""
    if create:
        ix = whoosh_index.create_in(str(index_dir), build_schema())
    else:
        ix = whoosh_index.open_dir(str(index_dir))
    return ix.writer(limitmb=WRITER_MEMORY_MB, compound=False)


def _accepted(records: Iterable[Article | SkippedRecord], report: BuildReport, seen: set[str]) -> Iterable[Article]:
    """Articles to write: skipped records and repeated ids are counted in the report instead."""
    for record in records:
        report.read += 1
        if isinstance(record, SkippedRecord):
            report.skip(record)
            continue
        if record.id in seen:
            report.skip(SkippedRecord("duplicate_id", record.source, f"id {record.id!r} seen earlier in this run"))
            continue
        seen.add(record.id)
        warning = record.extra.get("warning")
        if warning:
            report.warnings[str(warning).split(":")[0]] += 1
        yield record


def add_articles(writer: SegmentWriter, records: Iterable[Article | SkippedRecord], report: BuildReport) -> None:
    """Add every article of a fresh build; duplicate ids after the first are skipped and counted."""
    for article in _accepted(records, report, set()):
        enrich(article)
        with document_language(article.lang):
            writer.add_document(**article_fields(article))
        report.indexed += 1


def upsert_articles(writer: SegmentWriter, records: Iterable[Article | SkippedRecord], report: BuildReport, prune: bool) -> None:
    """Add new articles, replace changed ones, skip unchanged ones (same content hash).

    With ``prune``, articles whose id did not come up in this run (their source is gone) are
    deleted. Everything happens in the writer's transaction: readers see all of it at commit,
    or nothing if the run dies first.
    """
    reader = writer.reader()
    hashes = reader.column_reader("content_hash") if reader.has_column("content_hash") else None
    seen: set[str] = set()
    for article in _accepted(records, report, seen):
        docnum = next(iter(reader.postings("id", article.id).all_ids()), None) if ("id", article.id) in reader else None
        if docnum is not None and hashes is not None and hashes[docnum] == article.content_hash():
            report.unchanged += 1
            continue
        enrich(article)
        with document_language(article.lang):
            writer.update_document(**article_fields(article))
        report.indexed += 1
    if prune:
        for docnum, stored in reader.iter_docs():
            if stored["id"] not in seen:
                writer.delete_document(docnum)
                report.deleted += 1
