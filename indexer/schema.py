"""The index schema: which fields exist, which analysis chain fills each, what is stored.

Facets (``lang``, ``month``, ``country``, ``entity``) are indexed for filtering and kept as
per-document columns (``facet_*``) so that counting over every match reads one column, not
stored documents. Text is indexed three ways (see ``indexer.analysis``): stemmed (``title``/``body``), exact
(``*_exact``: unstemmed, for proper nouns and exact-spelling priority) and cross-script keys
(``*_key``: a recall device, with positions so multi-word names match as phrases). Field weights are applied at query time
(``search.query``), so they can be tuned without reindexing.
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import SCHEMA_VERSION, exact_analyzer, key_analyzer, stem_analyzer

TEXT_FIELDS = {
    "stem": ("title", "body"),
    "exact": ("title_exact", "body_exact"),
    "key": ("title_key", "body_key"),
}


def build_schema() -> Schema:
    """A fresh schema instance (analyzers are created per call; they pickle into the index)."""
    stem, exact, key = stem_analyzer(), exact_analyzer(), key_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=STORED(),
        title=TEXT(analyzer=stem, stored=True),
        body=TEXT(analyzer=stem, stored=True),
        lead=TEXT(analyzer=stem),
        title_exact=TEXT(analyzer=exact),
        body_exact=TEXT(analyzer=exact),
        title_key=TEXT(analyzer=key),
        body_key=TEXT(analyzer=key),
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
