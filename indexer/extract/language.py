"""Document language from its letters and a few function words: en, ru, kk (Cyrillic or Latin), ky, other.

The corpus languages are told apart by letters alone: Kazakh-only Cyrillic letters (ә ғ қ ұ һ)
mark Kazakh; ң ө ү without them Kyrgyz; і with them, or alone, Kazakh; other Cyrillic Russian.
Latin text with Kazakh Latin letters (2021 ä ğ ı ñ ş ū, 2018 ǵ ń and the acutes, 2017 apostrophe
letters ``a' n' s'``...) is Kazakh, other Latin English.

Letters alone would also call every other language one of these: French and Uzbek Latin English,
German (ä) and Turkish (ğ ı ş) Kazakh, Belarusian and Ukrainian (і) Kazakh, Ukrainian, Tajik,
Uzbek and Bulgarian Cyrillic Russian. So a text is ``other`` when it shows

- letters no corpus language has: Ukrainian ї є ґ, Belarusian/Uzbek ў, Tajik ӣ ӯ ҷ, Tajik/Uzbek ҳ,
  Serbian/Macedonian ј љ њ ћ ђ џ ѓ ќ ѕ (more of them than Kazakh/Kyrgyz letters), or in Latin
  text é è ê à ù œ ß ł ř ő ø... (letters of French, German, Polish, Czech...);
- or more of another language's frequent function words (``le``, ``und``, ``va``, ``bilan``,
  ``için``, ``що``, ``гэта``, ``дар``, ``това``...) than of its own language's (``the``, ``and``,
  ``и``, ``в``, ``және``, ``jäne``, ``zhane``, ``жана``...), at least two of them.

Kazakh Latin written informally in plain ASCII (``zhane``, ``ushin``, ``Qazaqstan``) is Kazakh by
its function words, or by a ``q`` that is not ``qu`` together with ``zh``/``sh``/``ch``.

It runs on every document, so it reads at most :data:`SAMPLE_CHARS` characters, counts letters
with ``str.count`` and function words in the first :data:`WORD_SAMPLE_CHARS` (well under 0.1 ms).
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 4_000  # the language shows in the first few thousand characters
WORD_SAMPLE_CHARS = 1_500  # function words are counted in this much
MIN_SHARE = 0.002  # share of special letters among letters that decides a language
FOREIGN_SHARE = 0.01  # share of other languages' Latin letters that makes a text "other"
MIN_FOREIGN_WORDS = 2  # another language's function words needed to call a text "other"

KAZAKH_ONLY = "әғқұһ"  # Cyrillic letters of Kazakh and not Kyrgyz (і is counted apart: also be, uk)
KYRGYZ_HINTS = "ңөү"  # Kyrgyz and Kazakh
TURKIC_ONLY = "әұһңөү"  # Kazakh/Kyrgyz letters none of the "other" Cyrillic languages below has
FOREIGN_CYRILLIC = "їєґўҳӣӯҷјљњћђџѓќѕ"  # uk, be/uz, tg, tg/uz, sr/mk
KAZAKH_LATIN = "äğıñşūǵń"  # 2021 letters (ö ü ç are German/Turkish/French too) and 2018 ǵ ń
KAZAKH_ACUTES = "áóúý"  # 2018 letters that Spanish, Czech... share: Kazakh only beside other evidence
FOREIGN_LATIN = "éèêëàâùûîïôœßãõłśżźćąęřěůčšžőűøåæ"

_CYRILLIC = re.compile("[\u0400-\u04ff\u0500-\u052f]")
_LATIN = re.compile("[a-z\u00df-\u00f6\u00f8-\u024f]")
_KAZAKH_2017 = re.compile("[agnuysc]['’ʼ](?=[a-zа-я])")  # a' g' n' u' y' s' c' inside a word (ä ğ ñ ü ū ş ç)
_UZBEK_APOSTROPHE = re.compile("[og][ʻ'’ʼ](?=[a-z])")  # oʻ gʻ: Uzbek, and Kazakh 2017 ö ğ
_FREE_Q = re.compile("q(?!u)")  # Kazakh (and Uzbek) q; English q comes with u
_DIGRAPHS = re.compile("zh|sh|ch")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼʻ][^\W\d_]+)*")

# Frequent function words, each given to the one language it marks (words two languages share
# are left out: ``de``, ``bir``, ``men`` in English...). en/ru/kk/ky words weigh against "other".
_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "of", "to", "is", "was", "that", "with", "for", "are", "this", "from", "has", "have", "were"),
    "kk": (
        "jäne", "jane", "zhane", "ja'ne", "jáne", "üşin", "ushin", "úshin", "u'shin", "osy", "bul", "dep",
        "bolyp", "degen", "turaly", "boiynşa", "boiynsha", "boyynsha", "arqyly", "kezinde", "sondai", "alaida",
        "және", "бұл", "үшін", "осы", "деп", "болып", "туралы", "бойынша", "арқылы", "кезінде", "мен",
    ),  # fmt: skip
    "ky": ("жана", "менен", "үчүн", "бул", "болуп", "тууралуу", "боюнча", "аркылуу", "учурда"),
    "ru": ("и", "в", "не", "на", "что", "с", "по", "это", "как", "из", "за", "от", "для", "который", "также"),
    "fr": ("le", "la", "les", "des", "du", "et", "est", "une", "dans", "pour", "qui", "que", "sur", "au", "aux", "avec"),
    "de": ("der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "von", "zu", "ein", "eine", "sich", "auf", "für"),
    "es": ("el", "los", "las", "del", "y", "por", "para", "con", "una", "es", "su", "al", "como", "más"),
    "it": ("il", "di", "che", "della", "per", "non", "sono", "gli", "delle", "nel"),
    "tr": ("ve", "bu", "için", "ile", "olarak", "olan", "çok", "daha", "gibi", "değil", "ise"),
    "uz": (
        "va", "bilan", "uchun", "ham", "bo'yicha", "boʻyicha", "bo'lgan", "boʻlgan", "bo'ldi", "boʻldi",
        "esa", "edi", "yil", "yili", "qildi", "emas", "hamda", "lekin", "o'z", "oʻz",
        "билан", "учун", "ҳам", "бўйича", "эди", "йили",
    ),  # fmt: skip
    "uk": ("що", "це", "та", "від", "його", "які", "був", "була", "було", "він", "вона", "також", "її"),
    "be": ("і", "ў", "што", "гэта", "ад", "яго", "быў", "была", "таксама", "ці"),
    "tg": ("ва", "дар", "ба", "аз", "бо", "ки", "барои", "мебошад", "аст", "шуд"),
    "bg": ("това", "че", "ще", "са", "които", "който", "във", "със"),
    "mn": ("нь", "юм", "байна", "болон", "энэ", "бөгөөд"),
}
_LANGUAGE_OF: dict[str, str] = {word: lang for lang, words in _FUNCTION_WORDS.items() for word in words}
_OTHER = frozenset(_FUNCTION_WORDS) - {"en", "kk", "ky", "ru"}


def detect_language(text: str) -> tuple[str, str]:
    """``(lang, script)`` of a text: ``("kk", "Cyrl")``, ``("en", "Latn")``, ``("other", "")``.

    ``script`` is given for ``other`` too when the text is Cyrillic or Latin.

    >>> detect_language("Қазақстан Президенті"), detect_language("Президент Казахстана")
    (('kk', 'Cyrl'), ('ru', 'Cyrl'))
    >>> detect_language("Le président a rencontré les ministres dans la capitale")
    ('other', 'Latn')
    """
    sample = text[:SAMPLE_CHARS].lower()
    cyrillic = _count(_CYRILLIC, sample)
    latin = _count(_LATIN, sample)
    if cyrillic == latin == 0:
        return "other", ""
    words = _function_words(sample[:WORD_SAMPLE_CHARS])
    if cyrillic >= latin:
        return _cyrillic(sample, cyrillic, words), "Cyrl"
    return _latin(sample, latin, words), "Latn"


def _cyrillic(sample: str, letters: int, words: dict[str, int]) -> str:
    foreign = _letters(sample, FOREIGN_CYRILLIC)
    if foreign / letters >= MIN_SHARE and foreign > _letters(sample, TURKIC_ONLY):
        return "other"  # Ukrainian, Belarusian, Uzbek, Tajik, Serbian, Macedonian letters
    if _letters(sample, KAZAKH_ONLY) / letters >= MIN_SHARE:
        return "kk"
    kyrgyz = _letters(sample, KYRGYZ_HINTS) / letters >= MIN_SHARE
    if _letters(sample, "і") / letters >= MIN_SHARE:  # Kazakh, or Belarusian/Ukrainian without ў ї є ґ
        return "kk" if kyrgyz or words["uk"] + words["be"] <= words["kk"] else "other"
    if kyrgyz:
        return "other" if _foreign(words, "ky") else "ky"  # Mongolian has ө ү too
    return "other" if _foreign(words, "ru") else "ru"  # Bulgarian, Tajik without ҳ ӣ ӯ ҷ...


def _latin(sample: str, letters: int, words: dict[str, int]) -> str:
    if _foreign(words, "en", "kk"):
        return "other"  # French, German, Spanish, Turkish, Uzbek... function words
    kazakh_2017 = _count(_KAZAKH_2017, sample)
    uzbek = _count(_UZBEK_APOSTROPHE, sample)
    if uzbek > kazakh_2017 and words["uz"] > words["kk"]:
        return "other"  # oʻ gʻ and an Uzbek function word
    free_q = _count(_FREE_Q, sample)
    kazakh = _letters(sample, KAZAKH_LATIN) + kazakh_2017 + (uzbek if kazakh_2017 else 0)
    if kazakh or free_q or words["kk"]:
        kazakh += _letters(sample, KAZAKH_ACUTES)
    if kazakh / letters >= MIN_SHARE or words["kk"] > words["en"]:
        return "kk"
    if free_q >= 2 and _count(_DIGRAPHS, sample) and words["en"] == 0:
        return "kk"  # informal ASCII Kazakh: Qazaqstan, zhane, Shymkent
    if _letters(sample, FOREIGN_LATIN) / letters >= FOREIGN_SHARE:
        return "other"
    return "en"


def _function_words(sample: str) -> dict[str, int]:
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(sample):
        lang = _LANGUAGE_OF.get(word)
        if lang is not None:
            counts[lang] += 1
    return counts


def _foreign(words: dict[str, int], *own: str) -> bool:
    """Whether another language's function words outnumber those of ``own`` (and there are enough)."""
    best = max(words[lang] for lang in _OTHER)
    return best >= MIN_FOREIGN_WORDS and best > max(words[lang] for lang in own)


def _count(pattern: re.Pattern[str], text: str) -> int:
    """How many times ``pattern`` (one character, or a zero-width tail) matches: in C, not a Python loop."""
    return len(text) - len(pattern.sub("", text)) if pattern.groups == 0 and "(?" not in pattern.pattern else len(pattern.findall(text))


def _letters(text: str, letters: str) -> int:
    return sum(map(text.count, letters))
