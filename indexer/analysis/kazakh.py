"""A light, data-driven suffix stripper for Kazakh (and Kyrgyz) nouns, in Cyrillic and Latin.

No library ships a Kazakh stemmer. Kazakh stacks suffixes in a fixed order, stem + plural +
possessive + case, and picks each suffix's shape by the sound before it (-ға after a vowel or
voiced consonant, -қа after a voiceless one, -на only after the possessive -ы/-сы...). We strip
at most one suffix per slot, from the end, only when that shape is allowed after what remains
and a stem of at least three letters with a vowel is left. Final б/ғ/г (voiced before a vowel
suffix: кітабы, тарағы) become п/қ/к again so that all forms of a stem meet.

Vowel harmony is deliberately *not* required: news text is full of loanwords that break it
(банктер, банкке). Derivational suffixes (-сыз 'without', -лық, -шы) are left alone: баспанасыз
'homeless' is not баспана 'housing'. First and second person singular possessives are left
alone too: rare in news, and they collide with stems ending in -м/-ң.

Latin-script Kazakh (2021 alphabet, after ``fold.canonical_kazakh_latin``) goes through the
same tables transliterated letter by letter: ``"mūğalımmen"`` → ``"mūğalım"``.
"""

from __future__ import annotations

from functools import lru_cache

from indexer.analysis.caches import PART_CACHE
from indexer.analysis.suffixes import SuffixTable

_VOWELS_CYR = "аәеиоөұүыіэюяу"
# в counts as voiceless: Russian surnames take -қа/-тың (Біртановқа, Мирзиёевтің).
_VOICELESS_CYR = "кқпстфхшщцчһв"
_NASALS_CYR = "мнң"
_POSSESSIVE_VOWELS_CYR = "ыі"


def _words(text: str) -> list[str]:
    return text.split()


# What may stand before a suffix: V vowel, Z voiced consonant, S voiceless consonant,
# N nasal (м н ң), P possessive vowel (ы і), X vowel other than ы/і.
_CASE_RULES: dict[str, str] = {
    # genitive: -ның after vowels and nasals, -дың after voiced, -тың after voiceless (ky -нын…)
    **dict.fromkeys(_words("ның нің нын нин нун нүн"), "VN"),
    **dict.fromkeys(_words("дың дің дын дин дун дүн"), "Z"),
    **dict.fromkeys(_words("тың тің тын тин тун түн"), "S"),
    # dative
    **dict.fromkeys(_words("ға ге га го гө"), "VZ"),
    **dict.fromkeys(_words("қа ке ка ко кө"), "S"),
    **dict.fromkeys(_words("на не"), "P"),
    # accusative: -ны after vowels (not ы/і: тасқыны is тасқын + ы), -ды, -ты, -н after possessive
    **dict.fromkeys(_words("ны ні ну нү ни"), "X"),
    **dict.fromkeys(_words("ды ді ду дү ди"), "Z"),
    **dict.fromkeys(_words("ты ті ту тү ти"), "S"),
    # locative, and the locative-adjectival -дағы
    **dict.fromkeys(_words("да де до дө дағы дегі"), "VZ"),
    **dict.fromkeys(_words("та те то тө тағы тегі"), "S"),
    **dict.fromkeys(_words("нда нде ндағы ндегі"), "P"),
    # ablative
    **dict.fromkeys(_words("дан ден дон дөн"), "VZ"),
    **dict.fromkeys(_words("тан тен тон төн"), "S"),
    **dict.fromkeys(_words("нан нен нон нөн"), "NP"),
    # instrumental (no harmony, no assimilation constraints worth checking)
    **dict.fromkeys(_words("мен бен пен менен бенен пенен"), "VZSNP"),
}
_POSSESSIVE_RULES: dict[str, str] = {
    **dict.fromkeys(_words("ымыз іміз"), "ZSN"),
    **dict.fromkeys(_words("мыз міз"), "V"),
    **dict.fromkeys(_words("ы і"), "ZSN"),
    **dict.fromkeys(_words("сы сі"), "V"),
}
_PLURAL_RULES: dict[str, str] = {
    **dict.fromkeys(_words("лар лер лор лөр"), "VZN"),
    **dict.fromkeys(_words("дар дер дор дөр"), "ZN"),
    **dict.fromkeys(_words("тар тер тор төр"), "S"),
}

# Cyrillic → 2021 Latin, letter by letter, for the suffix tables.
_TO_LATIN = {
    "а": "a",
    "ә": "ä",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ñ",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "ū",
    "ү": "ü",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ч": "ç",
    "ш": "ş",
    "ы": "y",
    "і": "ı",
    "э": "e",
}


def _latin(text: str) -> str:
    return "".join(_TO_LATIN.get(ch, ch) for ch in text)


_VOWELS = frozenset(_VOWELS_CYR + _latin(_VOWELS_CYR) + "i")
_VOICELESS = frozenset(_VOICELESS_CYR + _latin(_VOICELESS_CYR))
_NASALS = frozenset(_NASALS_CYR + _latin(_NASALS_CYR))
_POSSESSIVE_VOWELS = frozenset(_POSSESSIVE_VOWELS_CYR + _latin(_POSSESSIVE_VOWELS_CYR) + "i")


def _expand(rules: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Add the Latin shapes (ı and plain i both) and sort longest first."""
    out = dict(rules)
    for suffix, context in rules.items():
        latin = _latin(suffix)
        out.setdefault(latin, context)
        out.setdefault(latin.replace("ı", "i"), context)
    return tuple(sorted(out.items(), key=lambda item: len(item[0]), reverse=True))


_SLOTS = tuple(SuffixTable(_expand(rules)) for rules in (_CASE_RULES, _POSSESSIVE_RULES, _PLURAL_RULES))
_FINAL_DEVOICE = {"б": "п", "ғ": "қ", "г": "к", "b": "p", "ğ": "q", "g": "k"}
MIN_STEM = 3


def _fits(stem: str, context: str) -> bool:
    last = stem[-1]
    is_vowel = last in _VOWELS
    if last == "i":  # Latin i writes both и (vowel) and й (voiced consonant): Kaspiidıñ
        return _fits(stem[:-1] + "a", context) or _fits(stem[:-1] + "r", context)
    return (
        ("V" in context and is_vowel)
        or ("X" in context and is_vowel and last not in _POSSESSIVE_VOWELS)
        or ("P" in context and last in _POSSESSIVE_VOWELS)
        or ("N" in context and last in _NASALS)
        or ("S" in context and last in _VOICELESS)
        or ("Z" in context and not is_vowel and last not in _VOICELESS)
    )


# Stem endings that look like suffixes: -стан (Қазақстан, not Қазақс + ablative -тан).
_PROTECTED_ENDINGS = ("стан", "stan")


def _strip_one(word: str, slot: SuffixTable[str]) -> str:
    if word.endswith(_PROTECTED_ENDINGS):
        return word
    for suffix, context in slot.matches(word, MIN_STEM):
        stem = word[: -len(suffix)]
        if not _VOWELS.isdisjoint(stem) and _fits(stem, context):
            return stem
    return word


@lru_cache(maxsize=PART_CACHE)
def stem_kazakh(word: str) -> str:
    """Strip case, possessive and plural endings from a folded Kazakh word.

    >>> stem_kazakh("мұғалімдердің"), stem_kazakh("тасқынға"), stem_kazakh("poiyzynda")
    ('мұғалім', 'тасқын', 'poiyz')
    """
    stem = word
    for slot in _SLOTS:
        stem = _strip_one(stem, slot)
    if stem and stem[-1] in _FINAL_DEVOICE:
        stem = stem[:-1] + _FINAL_DEVOICE[stem[-1]]
    return stem
