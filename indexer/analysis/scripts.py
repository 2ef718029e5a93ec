"""Which alphabet a word is written in, and which language its letters point to.

Decided per token from its letters: Kazakh-only Cyrillic letters (ә ғ қ ң ө ұ ү һ і) or
Kazakh-Latin letters (ä ğ ı ñ ö ş ū ü ç, and the 2018 acutes) settle it; otherwise the
document's language breaks the tie, and on the query side both readings are kept.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from indexer.analysis.caches import PART_CACHE

KAZAKH_CYRILLIC_LETTERS = frozenset("әғқңөұүһі")
KYRGYZ_CYRILLIC_LETTERS = frozenset("ңөү")
KAZAKH_LATIN_LETTERS = frozenset("äğıñöşūüçáǵńóúý")
TURKIC_LANGS = frozenset({"kk", "ky"})


@lru_cache(maxsize=PART_CACHE)
def script_of(word: str) -> str:
    """``"Cyrl"``, ``"Latn"`` or ``"Other"`` by the majority of the word's letters."""
    cyr = lat = 0
    for ch in word:
        if "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f":
            cyr += 1
        elif ch.isalpha() and ch.isascii() or ("\u00c0" <= ch <= "\u024f"):
            lat += 1
    if cyr == lat == 0:
        return "Other"
    return "Cyrl" if cyr >= lat else "Latn"


def is_letter(ch: str) -> bool:
    """True for letters of any script (Unicode category L*)."""
    return unicodedata.category(ch).startswith("L")


def candidate_languages(word: str, doc_lang: str | None) -> tuple[str, ...]:
    """Languages whose morphology may apply to ``word`` (already case-folded).

    >>> candidate_languages("банктері", None)
    ('kk',)
    >>> candidate_languages("баспана", None)
    ('ru', 'kk')
    >>> candidate_languages("баспана", "kk")
    ('kk',)
    """
    script = script_of(word)
    if script == "Cyrl":
        if not KAZAKH_CYRILLIC_LETTERS.isdisjoint(word):
            return ("kk",)
        if doc_lang in TURKIC_LANGS:
            return ("kk",)
        if doc_lang == "ru":
            return ("ru",)
        return ("ru", "kk")
    if script == "Latn":
        if not KAZAKH_LATIN_LETTERS.isdisjoint(word) or doc_lang in TURKIC_LANGS:
            return ("kk",)
        if doc_lang is not None:
            return ("en",)
        return ("en", "kk")
    return ()
