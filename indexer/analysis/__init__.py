"""Text → terms, for documents and queries alike (the search side imports this, never re-implements it).

Every class here is a small, picklable Whoosh tokenizer or filter: Whoosh stores the schema,
analyzers included, inside the index, so ICU and Snowball objects are built lazily and dropped
when pickled. ``analyzers`` assembles the chains used by the fields of ``indexer.schema``.

The steps that run once per word occurrence or once per new word are compiled (``_wordloop``,
``_fold``, ``_stems``, ``_keyforms``: C++ against the system ICU that PyICU uses, built by
``setup.py``), because a build meets hundreds of thousands of new words and millions of
occurrences, and in Python those steps cost three times the ICU segmentation they follow. The
rules' data stays in the Python modules, which hand it to the compiled code at import and keep
each algorithm in Python too (``*_python``): the reference that
``tests/test_native_analysis.py`` checks the compiled code against, on corpus text and on
generated text. Library calls (ICU transliteration, NFKC, Snowball) stay library calls.
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
