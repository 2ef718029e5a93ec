"""Per-token stemming, the stemmer chosen from the token's letters and the document's language.

Snowball (PyStemmer, the C implementation) for English and Russian, our light stripper for Kazakh.

On the query side the document language is unknown, so an ambiguous word (Cyrillic without
Kazakh-only letters, plain Latin) yields the stem of every candidate language at the same
position; the query builder ORs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, Token

from indexer.analysis import _stems  # type: ignore[attr-defined]  # compiled: _stems.cpp
from indexer.analysis.caches import PART_CACHE
from indexer.analysis.context import current_document_language
from indexer.analysis.kazakh import (
    _CASE_RULES,
    _FINAL_DEVOICE,
    _NASALS,
    _PLURAL_RULES,
    _POSSESSIVE_RULES,
    _POSSESSIVE_VOWELS,
    _PROTECTED_ENDINGS,
    _VOICELESS,
    _VOWELS,
    MIN_STEM,
    _expand,
    stem_kazakh,
)
from indexer.analysis.scripts import KAZAKH_CYRILLIC_LETTERS, KAZAKH_LATIN_LETTERS, candidate_languages, script_of
from indexer.analysis.suffixes import SuffixTable

_SNOWBALL = {"en": "english", "ru": "russian"}
_stemmers: dict[str, Stemmer.Stemmer] = {}


def _snowball(lang: str) -> Stemmer.Stemmer:
    stemmer = _stemmers.get(lang)
    if stemmer is None:
        stemmer = _stemmers[lang] = Stemmer.Stemmer(_SNOWBALL[lang])
        # PyStemmer's own memo costs an exception per new word and a purge every 10,000: three
        # times the stemming itself. Our per-word tables already remember what repeats.
        stemmer.maxCacheSize = 0
    return stemmer


def _english(word: str) -> str:
    # Snowball leaves f/v plurals apart (wolves → wolv, wolf → wolf): undo the alternation first.
    if word.endswith("ves") and len(word) > 4 and word[-4] in "lr":
        word = word[:-3] + "f"
    return _snowball("en").stemWord(word)


# Noun/adjective endings for the light Russian stem, longest first (after ё → е).
_RUSSIAN_ENDINGS = tuple(
    sorted(
        (
            "иями ями ами иях ях ах ов ев ей ём ом ем ам ям ою ею ой ий ый ая яя ое ее ые ие ую юю ых их ым им "
            "ого его ому ему ыми ими а я у ю е ы и о ь й"
        ).split(),
        key=len,
        reverse=True,
    )
)
MIN_RUSSIAN_STEM = 2
_RUSSIAN_ENDING_TABLE = SuffixTable((ending, True) for ending in _RUSSIAN_ENDINGS)


def light_russian(word: str) -> str:
    """Strip one noun/adjective ending; -ия nouns keep their и (нигерия, нигерии → нигери).

    >>> light_russian("вулканов"), light_russian("навального"), light_russian("нигерии")
    ('вулкан', 'навальн', 'нигери')
    """
    word = word.replace("ё", "е")
    if len(word) > 3 and word[-2] == "и" and word[-1] in "яию":
        return word[:-1]
    if word.endswith("ией") and len(word) > 4:
        return word[:-2]
    for ending, _ in _RUSSIAN_ENDING_TABLE.matches(word, MIN_RUSSIAN_STEM):
        return word[: -len(ending)]
    return word


def _russian(word: str) -> tuple[str, ...]:
    """Snowball's stem plus a light noun stem.

    Snowball alone splits вулкан/вулкана (вулка) from вулканов (вулкан); the light stem
    (вулкан for all three) joins them again.
    """
    word = word.replace("ё", "е")
    stem = _snowball("ru").stemWord(word)
    # Genitive plurals with an inserted vowel (электричек, сумок): электричк-/сумк- elsewhere.
    if stem == word and len(stem) > 5 and stem[-2:] in ("ек", "ок") and stem[-3] in "чшщжкнц":
        stem = stem[:-2] + stem[-1]
    light = light_russian(word)
    return (stem,) if light == stem else (stem, light)


def _turkic(word: str) -> tuple[str, ...]:
    """The Kazakh stem, plus the light Russian stem of a Russian name inside Kazakh text.

    Навальныйды → навальный (no Kazakh-only letter) → also навальн, to meet Навального.
    """
    stem = stem_kazakh(word)
    if script_of(stem) == "Cyrl" and KAZAKH_CYRILLIC_LETTERS.isdisjoint(stem):
        russian = light_russian(stem)
        if russian != stem:
            return (stem, russian)
    return (stem,)


_STEMMERS = {"en": _english, "ru": _russian, "kk": _turkic}


@lru_cache(maxsize=PART_CACHE)
def stems_of(word: str, doc_lang: str | None) -> tuple[str, ...]:
    """Distinct stems of a folded word for every candidate language, most likely first.

    >>> stems_of("банктері", None), stems_of("банков", "ru"), stems_of("banks", "en")
    (('банк',), ('банк',), ('bank',))

    Compiled (``_stems.cpp``: every new word of a build is stemmed); :func:`stems_of_python`
    is the same rules in Python.
    """
    return _stems.stems_of(word, doc_lang)


def stems_of_python(word: str, doc_lang: str | None) -> tuple[str, ...]:
    """:func:`stems_of` in Python: the reference the compiled rules are tested against."""
    langs = candidate_languages(word, doc_lang)
    if not langs or not any(ch.isalpha() for ch in word):
        return (word,)
    if doc_lang is None and len(langs) > 1 and script_of(word) == "Latn":
        # A query word in plain Latin: its Kazakh reading (navalny → naval) only adds noise to
        # the stem fields; Kazakh-Latin inflections are still matched through the keys.
        langs = ("en",)
    out: list[str] = []
    for lang in langs:
        stems = _STEMMERS[lang](word)
        for stem in (stems,) if isinstance(stems, str) else stems:
            if stem and stem not in out:
                out.append(stem)
    return tuple(out) or (word,)


_stems.configure(
    [_expand(rules) for rules in (_CASE_RULES, _POSSESSIVE_RULES, _PLURAL_RULES)],
    "".join(sorted(_VOWELS)),
    "".join(sorted(_VOICELESS)),
    "".join(sorted(_NASALS)),
    "".join(sorted(_POSSESSIVE_VOWELS)),
    _PROTECTED_ENDINGS,
    MIN_STEM,
    _FINAL_DEVOICE,
    [(ending, "") for ending in _RUSSIAN_ENDINGS],
    MIN_RUSSIAN_STEM,
    "".join(sorted(KAZAKH_CYRILLIC_LETTERS)),
    "".join(sorted(KAZAKH_LATIN_LETTERS)),
    _snowball("en").stemWord,
    _snowball("ru").stemWord,
)


class MultilingualStemFilter(Filter):
    """Replace each token by its stem(s): ``"Тоқаевтың"`` → ``"тоқаев"``, ``"банков"`` → ``"банк"``.

    Several stems (query side, ambiguous word) are emitted at the same position.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102 - Whoosh filter protocol
        doc_lang = current_document_language()
        for token in tokens:
            for stem in stems_of(token.text, doc_lang):
                token.text = stem
                yield token
