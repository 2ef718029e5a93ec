"""Document language from its letters: en, ru, kk (Cyrillic or Latin), ky, other.

Kazakh-only letters (ә ғ қ ұ һ і) mark Kazakh; ң ө ү without them mark Kyrgyz; other Cyrillic
is Russian. Latin text with the 2021 Kazakh letters (ä ğ ı ñ ş ū) is Kazakh, other Latin English.
"""

from __future__ import annotations

KAZAKH_ONLY = frozenset("әғқұһіӘҒҚҰҺІ")
KYRGYZ_HINTS = frozenset("ңөүҢӨҮ")
KAZAKH_LATIN = frozenset("äğıñşūÄĞŅŞŪ")
MIN_SHARE = 0.002  # share of special letters among letters that decides a Turkic language


def detect_language(text: str) -> tuple[str, str]:
    """``(lang, script)`` of a text: ``("kk", "Cyrl")``, ``("en", "Latn")``, ``("other", "")``.

    >>> detect_language("Қазақстан Президенті"), detect_language("Президент Казахстана")
    (('kk', 'Cyrl'), ('ru', 'Cyrl'))
    """
    cyrillic = latin = kazakh = kyrgyz = kazakh_latin = 0
    for ch in text:
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
            if ch in KAZAKH_ONLY:
                kazakh += 1
            elif ch in KYRGYZ_HINTS:
                kyrgyz += 1
        elif ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u024f"):
            latin += 1
            if ch in KAZAKH_LATIN:
                kazakh_latin += 1
    letters = cyrillic + latin
    if letters == 0:
        return "other", ""
    if cyrillic >= latin:
        if kazakh / cyrillic >= MIN_SHARE:
            return "kk", "Cyrl"
        if kyrgyz / cyrillic >= MIN_SHARE:
            return "ky", "Cyrl"
        return "ru", "Cyrl"
    if kazakh_latin / latin >= MIN_SHARE:
        return "kk", "Latn"
    return "en", "Latn"
