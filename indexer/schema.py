"""The index schema: which fields exist, which analysis chain fills each, what is stored.

Facets (``lang``, ``month``, ``country``, ``entity``) are indexed for filtering and kept as
per-document columns (``facet_*``) so that counting over every match reads one column, not
stored documents. Text is indexed three ways (see ``indexer.analysis``): stemmed (``title``/``body``), exact
(``*_exact``: unstemmed, for proper nouns and exact-spelling priority) and cross-script keys
(``*_key``: a recall device, with positions so multi-word names match as phrases). Field weights are applied at query time
(``search.query``), so they can be tuned without reindexing.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import SCHEMA_VERSION, exact_analyzer, key_analyzer, stem_analyzer
from indexer.analysis.chains import ChainPositions

TEXT_FIELDS = {
    "stem": ("title", "body"),
    "exact": ("title_exact", "body_exact"),
    "key": ("title_key", "body_key"),
}


def chain_text(analyzer: Analyzer, *, stored: bool = False) -> TEXT:
    """A positional text field whose postings come straight from the fused analysis chain."""
    field = TEXT(analyzer=analyzer, stored=stored)
    field.format = ChainPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    """A fresh schema instance (analyzers are created per call; they pickle into the index)."""
    stem, exact, key = stem_analyzer(), exact_analyzer(), key_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=STORED(),
        title=chain_text(stem, stored=True),
        body=chain_text(stem, stored=True),
        lead=chain_text(stem),
        title_exact=chain_text(exact),
        body_exact=chain_text(exact),
        title_key=chain_text(key),
        body_key=chain_text(key),
        date=DATETIME(stored=True, sortable=True),
        month=ID(sortable=True),
        lang=ID(stored=True, sortable=True),
        country=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        entity=KEYWORD(commas=True, lowercase=False, scorable=False),
        facet_country=COLUMN(VarBytesColumn()),
        facet_entity=COLUMN(VarBytesColumn()),
        entities=STORED(),
        script=STORED(),
        content_hash=ID(stored=True, sortable=True),
        source=STORED(),
    )


__all__ = ["SCHEMA_VERSION", "TEXT_FIELDS", "build_schema"]
