"""The three analysis chains, fused: one pass over a text feeds the exact, stem and key fields.

The chains are defined by composition (``ICUWordTokenizer | NormalizeFilter | ...``, see
``indexer.analysis.analyzers``) and this module computes exactly what those compositions emit,
only faster:

* every distinct word is analysed once per document language (normalised form, stems, keys)
  and remembered, so running text (Zipfian: a few thousand words make most tokens) costs a
  dictionary lookup per token instead of a walk through three generator chains; at index time
  a text's occurrences are grouped by word first, so each distinct word of a text is looked
  up once;
* a text value is segmented and analysed once for all three fields (the indexer hands the same
  string to ``body``, ``body_exact`` and ``body_key``), and the result is kept for the next
  two calls;
* at index time :class:`ChainPositions` takes the grouped ``term → positions`` straight from
  the analysis, without building a Whoosh ``Token`` per occurrence.

``tests/test_analysis_chains.py`` checks on real corpus text that every fused chain emits the
same tokens, positions and offsets as its composition.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Token
from whoosh.formats import Positions

from indexer.analysis import _fold, _keyforms, _stems, _wordloop  # type: ignore[attr-defined]  # compiled: *.cpp
from indexer.analysis.caches import WORD_CACHE
from indexer.analysis.context import current_document_language
from indexer.analysis.fold import normalize_word
from indexer.analysis.stem import stems_of
from indexer.analysis.tokenizer import word_forms, word_positions
from indexer.analysis.translit import key_forms

KINDS = ("exact", "stem", "key")
_KIND_INDEX = {kind: i for i, kind in enumerate(KINDS)}

Emission = tuple[str, int, int, int]  # (term, startchar, endchar, position)


WordTerms = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # exact, stem and key terms


def _analyse_python(word: str, doc_lang: str | None) -> WordTerms:
    """:data:`_analyse` in Python, through the cached steps: the reference the compiled one is tested against."""
    exact = normalize_word(word)
    if not exact:
        return (), (), ()
    return (exact,), stems_of(exact, doc_lang), key_forms(exact, doc_lang)


# The analysis of a word first seen: ``((exact,), stems, keys)``, composed in C++ from the compiled
# steps (``_fold``, ``_stems``, ``_keyforms``) without their per-step caches, which a build's new
# words would only churn (the word tables below remember the result).
_fold.compose(_stems.stems_of, _keyforms.key_forms)
_analyse = _fold.analyse_word


class WordTables:
    """The analysed words, per document language, bounded in total, in two generations.

    Looked up once per distinct word of every text indexed, the hottest line of a build: a
    plain ``dict.get`` on the word in its language's dictionary is several times cheaper than
    ``lru_cache``'s call with a ``(word, language)`` key and its recency bookkeeping. Recency is
    approximated by generations: a word found in the older generation moves to the recent one,
    and once ``limit`` words have entered the recent generation (all languages together) it
    becomes the older one and the previous older one is dropped. Words in use stay; at most
    ``2 * limit`` words are held, the memory of the ``lru_cache`` of ``2 * limit`` it replaced.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.added = 0
        self.recent: dict[str | None, dict[str, WordTerms]] = {}
        self.older: dict[str | None, dict[str, WordTerms]] = {}

    def generations(self, doc_lang: str | None) -> tuple[dict[str, WordTerms], dict[str, WordTerms]]:
        """The recent and older dictionaries of ``doc_lang`` (put words found or analysed into the recent one)."""
        recent = self.recent.get(doc_lang)
        if recent is None:
            recent = self.recent.setdefault(doc_lang, {})
        return recent, self.older.get(doc_lang) or {}

    def terms(self, word: str, doc_lang: str | None) -> WordTerms:
        """The word's terms, analysed on first sight."""
        recent, older = self.generations(doc_lang)
        terms = recent.get(word)
        if terms is None:
            terms = older.get(word)
            if terms is None:
                terms = _analyse(word, doc_lang)
            recent[word] = terms
            self.note_added(1)
        return terms

    def note_added(self, count: int) -> None:
        """``count`` words entered a recent generation; start a new one when ``limit`` have."""
        self.added += count
        if self.added >= self.limit:
            self.older, self.recent, self.added = self.recent, {}, 0


WORD_TABLES = WordTables(WORD_CACHE // 2)


def analyse_word(word: str, doc_lang: str | None) -> WordTerms:
    """The exact, stem and key terms of one tokenizer form: ``"Тоқаевтың"`` → ``(("тоқаевтың",), ("тоқаев",), (...))``.

    Empty tuples when normalisation leaves nothing (a lone variation selector, say).
    """
    return WORD_TABLES.terms(word, doc_lang)


@lru_cache(maxsize=6)
def analyse_value(value: str, doc_lang: str | None) -> tuple[tuple[Emission, ...], ...]:
    """Every term the three chains emit for ``value``, in emission order, one tuple per kind."""
    out: tuple[list[Emission], list[Emission], list[Emission]] = ([], [], [])
    for text, start, end, pos in word_forms(value):
        for kind_terms, emitted in zip(analyse_word(text, doc_lang), out, strict=True):
            for term in kind_terms:
                emitted.append((term, start, end, pos))
    return tuple(tuple(kind) for kind in out)


@lru_cache(maxsize=2)
def _grouped(value: str, doc_lang: str | None) -> tuple[dict[str, list[int]], ...]:
    """``term → positions`` (ascending, repeats kept) for each kind: what the chains emit, grouped.

    The index path needs only these groups. The text's words are grouped first (one dictionary
    step per word occurrence), then each distinct word's terms take its whole positions list;
    a term that several words share (``банк`` from ``банк`` and ``банков``) gets the merged,
    sorted union. The lists may be shared between kinds and terms: read them, do not change them.
    This loop runs once per distinct word of every text indexed, so it is compiled
    (``_wordloop.cpp``); :func:`_grouped_python` is the same in Python.
    """
    recent, older = WORD_TABLES.generations(doc_lang)
    exact_groups, stem_groups, key_groups, added = _wordloop.group_terms(word_positions(value), recent, older, _analyse, doc_lang)
    if added:
        WORD_TABLES.note_added(added)
    return exact_groups, stem_groups, key_groups


def _grouped_python(value: str, doc_lang: str | None) -> tuple[dict[str, list[int]], ...]:
    """:func:`_grouped`'s loop in Python, the reference for the compiled one (``_wordloop.group_terms``)."""
    recent, older = WORD_TABLES.generations(doc_lang)
    added = 0
    exact_groups: dict[str, list[int]] = {}
    stem_groups: dict[str, list[int]] = {}
    key_groups: dict[str, list[int]] = {}
    for word, poses in word_positions(value).items():
        terms = recent.get(word)
        if terms is None:  # WordTables.terms, inlined: this loop is most of indexing a text
            terms = older.get(word)
            if terms is None:
                terms = _analyse_python(word, doc_lang)
            recent[word] = terms
            added += 1
        exact, stems, keys = terms
        for term in exact:
            seen = exact_groups.get(term)
            exact_groups[term] = poses if seen is None else sorted(seen + poses)
        for term in stems:
            seen = stem_groups.get(term)
            stem_groups[term] = poses if seen is None else sorted(seen + poses)
        for term in keys:
            seen = key_groups.get(term)
            key_groups[term] = poses if seen is None else sorted(seen + poses)
    if added:
        WORD_TABLES.note_added(added)
    return exact_groups, stem_groups, key_groups


def _single_word(value: str, doc_lang: str | None, kind: int) -> tuple[Emission, ...]:
    """The composition with ``tokenize=False``: the whole value is one word."""
    return tuple((term, 0, len(value), 0) for term in analyse_word(value, doc_lang)[kind])


class ChainAnalyzer(Analyzer):
    """One of the three chains (``exact``, ``stem``, ``key``) as a single Whoosh analyzer.

    ``ChainAnalyzer("stem")("Банктері мен банков")`` → ``банк``, ``мен``, ``банк``: the same
    tokens as ``ICUWordTokenizer() | NormalizeFilter() | MultilingualStemFilter()``.
    """

    def __init__(self, kind: str) -> None:
        if kind not in _KIND_INDEX:
            raise ValueError(f"unknown chain {kind!r}; expected one of {', '.join(KINDS)}")
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.kind == other.kind  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.kind))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind!r})"

    def positions(self, value: str) -> dict[str, list[int]]:
        """``term → positions`` of ``value`` for the index (the document language applies)."""
        return _grouped(value, current_document_language())[_KIND_INDEX[self.kind]]

    def __call__(  # noqa: D102 - Whoosh analyzer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        doc_lang = current_document_language()
        kind = _KIND_INDEX[self.kind]
        emissions = analyse_value(value, doc_lang)[kind] if tokenize else _single_word(value, doc_lang, kind)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term, start, end, pos in emissions:
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = pos + start_pos
            if chars:
                token.startchar = start + start_char
                token.endchar = end + start_char
            yield token


class ChainPositions(Positions):
    """Whoosh's ``Positions`` format (same bytes on disk), fed by a :class:`ChainAnalyzer` without tokens.

    Any other analyzer takes Whoosh's own path, so the format stays correct for every field.
    """

    def word_values(self, value: str, analyzer: Analyzer, **kwargs: object) -> Iterator[tuple[str, int, float, bytes]]:
        """``(term, frequency, weight, encoded positions)`` per distinct term of ``value``."""
        if not isinstance(analyzer, ChainAnalyzer) or kwargs.get("start_pos"):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        singles = single_positions()
        for term, poses in analyzer.positions(value).items():
            if len(poses) == 1 and poses[0] < SINGLE_POSITION_LIMIT:
                yield term, 1, boost, singles[poses[0]]
            else:
                yield term, len(poses), len(poses) * boost, encode(poses)


SINGLE_POSITION_LIMIT = 65_536


@lru_cache(maxsize=1)
def single_positions() -> list[bytes]:
    """``Positions.encode([pos])`` for every position below ``SINGLE_POSITION_LIMIT``: most postings are one occurrence."""
    encode = Positions().encode
    return [encode([pos]) for pos in range(SINGLE_POSITION_LIMIT)]
