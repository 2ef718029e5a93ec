"""The three analysis chains behind the index fields (see ``indexer.schema``).

* ``exact``: ICU words, normalised, unstemmed: proper nouns survive (Астана stays астана).
* ``stem``: the same, stemmed per token language: банктері → банк, банков → банк.
* ``key``: the same, reduced to the cross-script spelling key: Тоқаев → tokaev.

The chains are written as compositions here (``*_composition``: the definition, and what the
filter tests exercise) and served fused (``indexer.analysis.chains``: one pass per text for all
three, the same tokens, several times faster).

Bump ``SCHEMA_VERSION`` whenever any chain changes what it emits: an index built by another
version is rebuilt rather than searched with mismatched terms.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer

from indexer.analysis.chains import ChainAnalyzer
from indexer.analysis.fold import NormalizeFilter
from indexer.analysis.stem import MultilingualStemFilter
from indexer.analysis.tokenizer import ICUWordTokenizer
from indexer.analysis.translit import CrossScriptKeyFilter

SCHEMA_VERSION = 2


def exact_composition() -> Analyzer:
    """ICU words, case-folded and normalised, not stemmed."""
    return ICUWordTokenizer() | NormalizeFilter()


def stem_composition() -> Analyzer:
    """ICU words, normalised, stemmed by the token's language."""
    return ICUWordTokenizer() | NormalizeFilter() | MultilingualStemFilter()


def key_composition() -> Analyzer:
    """ICU words, normalised, reduced to cross-script spelling keys."""
    return ICUWordTokenizer() | NormalizeFilter() | CrossScriptKeyFilter()


def exact_analyzer() -> Analyzer:
    """The exact chain, fused (same tokens as :func:`exact_composition`)."""
    return ChainAnalyzer("exact")


def stem_analyzer() -> Analyzer:
    """The stem chain, fused (same tokens as :func:`stem_composition`)."""
    return ChainAnalyzer("stem")


def key_analyzer() -> Analyzer:
    """The key chain, fused (same tokens as :func:`key_composition`)."""
    return ChainAnalyzer("key")
