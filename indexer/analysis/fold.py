"""Normalisation every field shares.

Case, compatibility forms, invisible characters, homoglyphs, and the several Kazakh Latin alphabets.

Only ``token.text`` changes, never the offsets, so highlighting stays right.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Filter, Token

from indexer.analysis import _fold  # type: ignore[attr-defined]  # compiled: _fold.cpp
from indexer.analysis.caches import PART_CACHE
from indexer.analysis.scripts import KAZAKH_LATIN_LETTERS

# Zero-width and formatting characters that crawls leave inside words (ZWSP, ZWJ, word joiner,
# soft hyphen, BOM, variation selectors, combining grapheme joiner).
INVISIBLE_CHARACTERS = "".join(
    chr(code)
    for first, last in ((0xAD, 0xAD), (0x34F, 0x34F), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064))
    + ((0xFEFF, 0xFEFF), (0xFE00, 0xFE0F))
    for code in range(first, last + 1)
)
_INVISIBLE = re.compile(f"[{re.escape(INVISIBLE_CHARACTERS)}]")

# Lower-case letters that look the same in Latin and Cyrillic: repaired to the word's dominant script.
LATIN_TO_CYRILLIC = str.maketrans("aceopxyikmhtb", "асеорхуікмһтв")
CYRILLIC_TO_LATIN = str.maketrans("асеорхуіјкмһтѕ", "aceopxyijkmhts")
_HOMOGLYPHS_LATIN = frozenset("aceopxyikmhtb")
_HOMOGLYPHS_CYRILLIC = frozenset("асеорхуіјкмһтѕ")

# Kazakh Latin, every official variant, to the 2021 alphabet (ä ğ ı ñ ö ş ū ü ç, q for қ).
# 2018 acute-accent alphabet: á ǵ ń ó ú(ү) ý(у) í(ы/и ambiguity: kept as i).
_KAZAKH_2018_TO_2021 = str.maketrans({"á": "ä", "ǵ": "ğ", "ń": "ñ", "ó": "ö", "ú": "ü", "ý": "u"})
# 2017 apostrophe alphabet: a' g' n' o' u' y' s' c' i' (apostrophes already removed by the
# tokenizer, so this can only be applied on the raw word; see ``kazakh_2017_to_2021``).
_KAZAKH_2017 = re.compile("([agnouyscAGNOUYSC])['’ʼ]")
_KAZAKH_2017_MAP = {"a": "ä", "g": "ğ", "n": "ñ", "o": "ö", "u": "ü", "y": "ū", "s": "ş", "c": "ç"}


def fold_case(text: str) -> str:
    """NFKC case folding with invisible characters removed: ``"ＴＯＫＡＥＶ\u200b"`` → ``"tokaev"``."""
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def repair_homoglyphs(word: str) -> str:
    """Rewrite look-alike letters of the minority script into the word's dominant script.

    ``"бiз"`` (Latin i) → ``"біз"``; ``"kаzakhstan"`` (Cyrillic а) → ``"kazakhstan"``.
    Words that are really bilingual (more than look-alikes from the other script) are left alone.
    """
    if word.isascii():
        return word
    cyr = [ch for ch in word if "\u0400" <= ch <= "\u04ff"]
    if not cyr:
        return word
    lat = [ch for ch in word if ch.isascii() and ch.isalpha() or "\u00c0" <= ch <= "\u024f"]
    if not lat:
        return word
    if len(cyr) >= len(lat) and all(ch in _HOMOGLYPHS_LATIN for ch in lat):
        return word.translate(LATIN_TO_CYRILLIC)
    if len(lat) > len(cyr) and all(ch in _HOMOGLYPHS_CYRILLIC for ch in cyr):
        return word.translate(CYRILLIC_TO_LATIN)
    return word


def canonical_kazakh_latin(word: str) -> str:
    """Map 2018 acute-accent Kazakh Latin to the 2021 alphabet: ``"qazaqstannyń"`` → ``"qazaqstannyñ"``.

    Only words that already show a Kazakh-Latin letter are touched, so ``"josé"`` stays.
    """
    if KAZAKH_LATIN_LETTERS.isdisjoint(word):
        return word
    return word.translate(_KAZAKH_2018_TO_2021)


def kazakh_2017_to_2021(word: str) -> str:
    """Rewrite 2017 apostrophe letters: ``"s'ymkent"`` → ``"şymkent"``, ``"qazaqstan"`` unchanged."""
    return _KAZAKH_2017.sub(lambda m: _KAZAKH_2017_MAP[m.group(1).lower()], word)


@functools.lru_cache(maxsize=PART_CACHE)
def normalize_word(word: str) -> str:
    """The full shared normalisation of one token: ``"Бiз\ufe0f"`` → ``"біз"``.

    Compiled (``_fold.cpp``: every new word of a build is normalised);
    :func:`normalize_word_python` is the same steps in Python.
    """
    return _fold.normalize_word(word)


def normalize_word_python(word: str) -> str:
    """:func:`normalize_word` in Python: the reference the compiled steps are tested against."""
    return canonical_kazakh_latin(repair_homoglyphs(fold_case(word)))


_fold.configure(
    INVISIBLE_CHARACTERS,
    LATIN_TO_CYRILLIC,
    CYRILLIC_TO_LATIN,
    "".join(sorted(_HOMOGLYPHS_LATIN)),
    "".join(sorted(_HOMOGLYPHS_CYRILLIC)),
    "".join(sorted(KAZAKH_LATIN_LETTERS)),
    _KAZAKH_2018_TO_2021,
    functools.partial(unicodedata.normalize, "NFKC"),
)


class NormalizeFilter(Filter):
    """Case-fold (NFKC), drop invisibles, repair homoglyphs, canonicalise Kazakh Latin.

    ``"Kаzakhstan"`` (Cyrillic а) → ``"kazakhstan"``; ``"Qazaqstannyń"`` → ``"qazaqstannyñ"``.
    Tokens that end up empty are dropped.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102 - Whoosh filter protocol
        for token in tokens:
            text = normalize_word(token.text)
            if not text:
                continue
            token.text = text
            yield token
