"""ICU word segmentation as a Whoosh tokenizer, with the splits real news text needs.

ICU's word break rules (UAX #29) find words in every script at once, but keep some things
whole that readers expect split, and split some things readers expect whole:

* ``__Путин__`` is one ICU word (underscore joins words): the underscores are cut off;
* ``Qazaqstan'ın`` / ``Kazakhstan’s`` are one ICU word: the part before the apostrophe is
  emitted, and the whole word without apostrophes at the same position;
* ``Nur-Sultan`` is two ICU words: both parts are emitted, and the joined compound
  ``NurSultan`` at the position of the first part, so the name is found whole and by parts.

Offsets (``startchar``/``endchar``) are Python string indices into the original text, also
when the text holds characters outside the BMP (ICU counts UTF-16 units).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache

import icu
from whoosh.analysis import Token, Tokenizer

from indexer.analysis import _wordloop  # type: ignore[attr-defined]  # compiled: _wordloop.cpp
from indexer.analysis.fold import kazakh_2017_to_2021

# ICU rule-status ranges for segments that are words: numbers, letters, kana, ideographs.
_WORD_STATUS_MIN = 100
_WORD_STATUS_MAX = 500
APOSTROPHES = "'’ʼ`´ʻ"
HYPHENS = "-‐‑"
_APOSTROPHE_SPLIT = re.compile(f"[{APOSTROPHES}]+")
_UNDERSCORES = re.compile(r"_+")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16_to_index(text: str) -> list[int] | None:
    """Map UTF-16 code-unit offsets to Python indices; ``None`` when they coincide (BMP only)."""
    if not _ASTRAL.search(text):
        return None
    mapping: list[int] = []
    for i, ch in enumerate(text):
        mapping.append(i)
        if ord(ch) >= 0x10000:
            mapping.append(i)
    mapping.append(len(text))
    return mapping


_LOCAL = threading.local()


def _breaker() -> icu.BreakIterator:
    """The word BreakIterator of the calling thread (building one costs more than segmenting a title; not thread-safe)."""
    breaker = getattr(_LOCAL, "breaker", None)
    if breaker is None:
        breaker = _LOCAL.breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return breaker


def icu_word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` Python indices of the word segments ICU finds in ``text``.

    >>> [("Nur-Sultan, 2025"[s:e]) for s, e in icu_word_spans("Nur-Sultan, 2025")]
    ['Nur', 'Sultan', '2025']
    """
    breaker = _breaker()
    breaker.setText(text)
    mapping = _utf16_to_index(text)
    start = breaker.first()
    for end in breaker:
        status = breaker.getRuleStatus()
        if _WORD_STATUS_MIN <= status < _WORD_STATUS_MAX:
            if mapping is None:
                yield start, end
            else:
                yield mapping[start], mapping[end]
        start = end


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split an ICU segment at underscore runs (markdown debris, snake_case)."""
    segment = text[start:end]
    if "_" not in segment:
        yield start, end
        return
    cursor = 0
    for match in _UNDERSCORES.finditer(segment):
        if match.start() > cursor:
            yield start + cursor, start + match.start()
        cursor = match.end()
    if cursor < len(segment):
        yield start + cursor, end


def _spans(value: str) -> list[tuple[int, int]]:
    """ICU word spans, split at underscore runs."""
    spans: list[tuple[int, int]] = []
    for start, end in icu_word_spans(value):
        if "_" in value[start:end]:
            spans.extend(_pieces(value, start, end))
        else:
            spans.append((start, end))
    return spans


def _compound(joined: str) -> str:
    """A hyphenated run as one word, hyphens and apostrophes dropped: ``Nur-Sultan`` → ``NurSultan``."""
    return "".join(_APOSTROPHE_SPLIT.sub("", part) for part in re.split(f"[{HYPHENS}]", joined))


@lru_cache(maxsize=16)
def word_forms(value: str) -> tuple[tuple[str, int, int, int], ...]:
    """``(text, start, end, position)`` of every form the tokenizer emits for ``value``.

    Cached for the last few values: the stem, exact and key chains of one field value all
    tokenize the same string object (its hash is cached by Python, so the lookup is cheap).
    """
    out: list[tuple[str, int, int, int]] = []
    pos = -1
    previous_end = -2
    compound_start = compound_pos = -1
    for start, end in _spans(value):
        joined_by_hyphen = start - previous_end == 1 and value[previous_end] in HYPHENS
        previous_end = end
        pos += 1
        if not joined_by_hyphen:
            compound_start, compound_pos = start, pos
        word = value[start:end]
        if word.isalnum():  # the common case: no apostrophe, nothing to split off
            out.append((word, start, end, pos))
        else:
            out.extend(ICUWordTokenizer._forms(value, start, end, pos))
        if joined_by_hyphen:
            out.append((_compound(value[compound_start:end]), compound_start, end, compound_pos))
    return tuple(out)


def word_positions(value: str) -> dict[str, list[int]]:
    """``form → positions`` of every form :func:`word_forms` emits for ``value`` (each list ascending).

    The index path needs no offsets, so this walks ICU's boundaries once and groups as it goes,
    without a tuple per word: it is the largest share of indexing a text, so the walk is
    compiled (``_wordloop.cpp``: ICU's BreakIterator called directly, one dictionary step per
    occurrence). It repeats :func:`word_forms`' hyphen and underscore handling and asks
    :meth:`ICUWordTokenizer._forms` for words with apostrophes; ``tests/test_native_analysis.py`` checks
    that it, :func:`word_positions_python` and :func:`word_forms` agree.
    """
    return _wordloop.word_positions(value, ICUWordTokenizer._forms, _compound)


def word_positions_python(value: str) -> dict[str, list[int]]:
    """:func:`word_positions` in Python: the reference the compiled loop is tested against."""
    if "_" in value or _ASTRAL.search(value):
        grouped: dict[str, list[int]] = {}
        for text, _start, _end, pos in word_forms(value):
            grouped.setdefault(text, []).append(pos)
        return grouped
    breaker = _breaker()
    breaker.setText(value)
    status = breaker.getRuleStatus
    out: dict[str, list[int]] = {}
    get = out.get
    pos = -1
    previous_end = -2
    compound_start = compound_pos = -1
    start = breaker.first()
    for end in breaker:
        if not _WORD_STATUS_MIN <= status() < _WORD_STATUS_MAX:
            start = end
            continue
        joined_by_hyphen = start - previous_end == 1 and value[previous_end] in HYPHENS
        previous_end = end
        pos += 1
        if not joined_by_hyphen:
            compound_start, compound_pos = start, pos
        word = value[start:end]
        if word.isalnum():
            poses = get(word)
            if poses is None:
                out[word] = [pos]
            else:
                poses.append(pos)
        else:
            for text, _s, _e, _p in ICUWordTokenizer._forms(value, start, end, pos):
                out.setdefault(text, []).append(pos)
        if joined_by_hyphen:
            out.setdefault(_compound(value[compound_start:end]), []).append(compound_pos)
        start = end
    return out


class ICUWordTokenizer(Tokenizer):
    """Words of any script via ICU, with apostrophe and hyphen handling (see module doc).

    ``"Nur-Sultan __Путин__"`` → ``Nur``@0, ``Sultan``@1, ``NurSultan``@0, ``Путин``@2.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(  # noqa: D102 - Whoosh tokenizer protocol
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
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return

        for text, start, end, pos in word_forms(value):
            yield self._emit(token, text, start + start_char, end + start_char, pos + start_pos, keeporiginal)

    @staticmethod
    def _forms(value: str, start: int, end: int, pos: int) -> Iterator[tuple[str, int, int, int]]:
        """The main form of one ICU word, plus its apostrophe-less whole when it has apostrophes."""
        word = value[start:end]
        parts = [p for p in _APOSTROPHE_SPLIT.split(word) if p]
        if len(parts) <= 1:
            yield (parts[0] if parts else word), start, end, pos
            return
        first = parts[0]
        if sum(ch.isalpha() for ch in first) >= 2:
            yield first, start, start + len(first), pos
        joined = "".join(parts)
        yield joined, start, end, pos
        letters_2017 = _APOSTROPHE_SPLIT.sub("", kazakh_2017_to_2021(word))
        if letters_2017 != joined:
            yield letters_2017, start, end, pos

    @staticmethod
    def _emit(token: Token, text: str, start: int, end: int, pos: int, keeporiginal: bool) -> Token:
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text
        if token.positions:
            token.pos = pos
        if token.chars:
            token.startchar = start
            token.endchar = end
        return token
