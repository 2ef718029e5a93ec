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


# Deletion tables for str.translate: what is left tells how many characters were Cyrillic
# (U+0400-U+052F) or Latin (ASCII letters and U+00C0-U+024F); one C call instead of a loop.
_DROP_CYRILLIC = dict.fromkeys(range(0x0400, 0x0530))
_DROP_LATIN = dict.fromkeys([*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0x00C0, 0x0250)])


@lru_cache(maxsize=PART_CACHE)
def script_of(word: str) -> str:
    """``"Cyrl"``, ``"Latn"`` or ``"Other"`` by the majority of the word's letters."""
    size = len(word)
    if word.isascii():
        return "Latn" if size - len(word.translate(_DROP_LATIN)) else "Other"
    cyr = size - len(word.translate(_DROP_CYRILLIC))
    lat = size - len(word.translate(_DROP_LATIN))
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
