"""Text → terms, for documents and queries alike (the search side imports this, never re-implements it).

Every class here is a small, picklable Whoosh tokenizer or filter: Whoosh stores the schema,
analyzers included, inside the index, so ICU and Snowball objects are built lazily and dropped
when pickled. ``analyzers`` assembles the chains used by the fields of ``indexer.schema``.
"""

from indexer.analysis.analyzers import (
    SCHEMA_VERSION,
    exact_analyzer,
    key_analyzer,
    stem_analyzer,
)
from indexer.analysis.context import document_language

__all__ = [
    "SCHEMA_VERSION",
    "document_language",
    "exact_analyzer",
    "key_analyzer",
    "stem_analyzer",
]
