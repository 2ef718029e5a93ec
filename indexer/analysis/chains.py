"""The three analysis chains, fused: one pass over a text feeds the exact, stem and key fields.

The chains are defined by composition (``ICUWordTokenizer | NormalizeFilter | ...``, see
``indexer.analysis.analyzers``) and this module computes exactly what those compositions emit,
only faster:

* every distinct word is analysed once per document language (normalised form, stems, keys)
  and remembered, so running text (Zipfian: a few thousand words make most tokens) costs a
  dictionary lookup per token instead of a walk through three generator chains;
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

from indexer.analysis.caches import WORD_CACHE
from indexer.analysis.context import current_document_language
from indexer.analysis.fold import normalize_word
from indexer.analysis.stem import stems_of
from indexer.analysis.tokenizer import word_forms
from indexer.analysis.translit import key_forms

KINDS = ("exact", "stem", "key")
_KIND_INDEX = {kind: i for i, kind in enumerate(KINDS)}

Emission = tuple[str, int, int, int]  # (term, startchar, endchar, position)


@lru_cache(maxsize=WORD_CACHE)
def analyse_word(word: str, doc_lang: str | None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The exact, stem and key terms of one tokenizer form: ``"Тоқаевтың"`` → ``(("тоқаевтың",), ("тоқаев",), (...))``.

    Empty tuples when normalisation leaves nothing (a lone variation selector, say).
    """
    exact = normalize_word(word)
    if not exact:
        return (), (), ()
    return (exact,), stems_of(exact, doc_lang), key_forms(exact, doc_lang)


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
    """``term → positions`` (in emission order, repeats kept) for each kind, in one pass.

    The index path needs only these groups, so it skips building the per-token emissions.
    """
    groups: tuple[dict[str, list[int]], ...] = ({}, {}, {})
    for text, _start, _end, pos in word_forms(value):
        for kind_terms, kind_groups in zip(analyse_word(text, doc_lang), groups, strict=True):
            for term in kind_terms:
                poses = kind_groups.get(term)
                if poses is None:
                    kind_groups[term] = [pos]
                else:
                    poses.append(pos)
    return groups


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
        single = single_position_bytes
        for term, poses in analyzer.positions(value).items():
            if len(poses) == 1:
                yield term, 1, boost, single(poses[0])
            else:
                yield term, len(poses), len(poses) * boost, encode(poses)


@lru_cache(maxsize=65_536)
def single_position_bytes(pos: int) -> bytes:
    """``Positions.encode([pos])``, remembered: most postings are one occurrence at a small position."""
    return Positions().encode([pos])
