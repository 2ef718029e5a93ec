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
KAZAKH_LATIN = "äğışūǵ"  # 2021 letters (ö ü ç are German, Turkish, French too) and the 2018 ǵ
KAZAKH_SHARED = "ñńáóúý"  # 2021/2018 letters Spanish, Polish, Czech... have too: Kazakh beside other evidence
FOREIGN_LATIN = "éèêëàâùûîïôœßãõłśżźćąęřěůčšžőűøåæ"

_CYRILLIC = re.compile("[\u0400-\u04ff\u0500-\u052f]")
_LATIN = re.compile("[a-z\u00df-\u00f6\u00f8-\u024f]")
# 2017 apostrophe letters a' n' u' y' s' c' (ä ñ ü ū ş ç) inside a word, not English n't, 's, 'll...
_KAZAKH_2017 = re.compile(r"[anuysc]['’ʼ](?!(?:s|t|ll|re|ve|d|m)\b)(?=[a-z])")
_UZBEK_APOSTROPHE = re.compile(r"[og][ʻ'’ʼ](?!(?:s|t|ll|re|ve|d|m)\b)(?=[a-z])")  # Uzbek oʻ gʻ, Kazakh 2017 ö ğ
_FREE_Q = re.compile("q(?=[aeioyı])")  # Kazakh (and Uzbek) qa qo qy; English q comes with u (QTR, Iraq)
_DIGRAPHS = re.compile("zh|sh|ch")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼʻ][^\W\d_]+)*")

# Frequent function words, each given to the one language it marks. Left out: words two of the
# languages share, and words English news writes in names and abbreviations (el, los, al, von,
# mit, est, non, per, jane...). en/ru/kk/ky words weigh against "other".
_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "of", "to", "is", "was", "that", "with", "for", "are", "this", "from", "has", "have", "were"),
    "kk": (
        "jäne", "zhane", "ja'ne", "jáne", "üşin", "ushin", "úshin", "u'shin", "osy", "bul", "dep", "bolyp",
        "degen", "turaly", "boiynşa", "boiynsha", "boyynsha", "arqyly", "kezinde", "sondai", "alaida",
        "және", "бұл", "үшін", "осы", "деп", "болып", "туралы", "бойынша", "арқылы", "кезінде", "мен",
    ),
    "ky": ("жана", "менен", "үчүн", "бул", "болуп", "тууралуу", "боюнча", "аркылуу", "учурда"),
    "ru": (
        "и", "что", "это", "как", "который", "которые", "также", "его", "был", "была", "было", "были",
        "она", "они", "уже", "только", "чтобы", "для",
    ),
    "fr": (
        "le", "la", "les", "des", "du", "et", "une", "dans", "qui", "que", "sur", "au", "aux", "avec",
        "c'est", "n'est", "qu'il",
    ),
    "de": ("der", "die", "das", "und", "ist", "nicht", "den", "dem", "zu", "ein", "eine", "sich", "auf", "für"),
    "es": ("por", "para", "una", "es", "como", "más", "pero", "sus"),
    "it": ("il", "di", "che", "della", "sono", "gli", "delle", "nel"),
    "tr": ("ve", "bu", "için", "ile", "olarak", "olan", "çok", "daha", "gibi", "değil", "ise"),
    "uz": (
        "va", "bilan", "uchun", "bo'yicha", "boʻyicha", "bo'lgan", "boʻlgan", "bo'ldi", "boʻldi", "yil",
        "yili", "qildi", "emas", "hamda", "lekin", "o'z", "oʻz", "билан", "учун", "ҳам", "бўйича", "йили",
    ),
    "uk": ("що", "це", "від", "його", "які", "був", "була", "було", "він", "вона", "також", "її"),
    "be": ("і", "ў", "што", "гэта", "ад", "яго", "быў", "таксама", "ці"),
    "tg": ("ва", "дар", "аз", "ки", "барои", "мебошад", "аст", "шуд"),
    "bg": ("това", "че", "ще", "са", "които", "който", "във", "със"),
    "mn": ("нь", "юм", "байна", "болон", "энэ", "бөгөөд"),
}  # fmt: skip
_LANGUAGE_OF: dict[str, str] = {word: lang for lang, words in _FUNCTION_WORDS.items() for word in words}
_OTHER_LATIN = ("fr", "de", "es", "it", "tr", "uz")
_OTHER_CYRILLIC = ("uz", "uk", "be", "tg", "bg", "mn")


def detect_language(text: str) -> tuple[str, str]:
    """``(lang, script)`` of a text: ``("kk", "Cyrl")``, ``("en", "Latn")``, ``("other", "")``.

    ``script`` is given for ``other`` too when the text is Cyrillic or Latin.

    >>> detect_language("Қазақстан Президенті"), detect_language("Президент Казахстана")
    (('kk', 'Cyrl'), ('ru', 'Cyrl'))
    >>> detect_language("Le président a rencontré les ministres dans la capitale")
    ('other', 'Latn')
    """
    sample = text[:SAMPLE_CHARS].lower()
    cyrillic = _chars(_CYRILLIC, sample)
    latin = _chars(_LATIN, sample)
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
    if sample.count("і") / letters >= MIN_SHARE:  # Kazakh, or Belarusian/Ukrainian without ў ї є ґ
        return "kk" if kyrgyz or words["uk"] + words["be"] <= words["kk"] else "other"
    if kyrgyz:
        return "other" if _foreign(words, _OTHER_CYRILLIC, "ky") else "ky"  # Mongolian has ө ү too
    return "other" if _foreign(words, _OTHER_CYRILLIC, "ru") else "ru"  # Bulgarian; Tajik without ҳ ӣ ӯ ҷ


def _latin(sample: str, letters: int, words: dict[str, int]) -> str:
    if _foreign(words, _OTHER_LATIN, "en", "kk"):
        return "other"  # French, German, Spanish, Italian, Turkish, Uzbek function words
    strong = _letters(sample, KAZAKH_LATIN) + len(_KAZAKH_2017.findall(sample))
    o_g = len(_UZBEK_APOSTROPHE.findall(sample))
    if not strong and o_g and not words["en"] and (words["uz"] or o_g >= 2 or "ʻ" in sample):
        return "other"  # Uzbek oʻ gʻ, with an Uzbek word or more than one
    free_q = len(_FREE_Q.findall(sample))
    evidence = strong
    if strong or words["kk"]:  # o' g' count beside Kazakh evidence only (O'Brien, QTR)
        evidence += o_g
    if strong or free_q or words["kk"]:  # ñ and the acutes (Spanish, Czech...) beside a Kazakh q too
        evidence += _letters(sample, KAZAKH_SHARED)
    if evidence / letters >= MIN_SHARE or words["kk"] > words["en"]:
        return "kk"
    if free_q >= 2 and _DIGRAPHS.search(sample) and not words["en"]:
        return "kk"  # informal ASCII Kazakh: Qazaqstan, Shymkent, zhyl
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


def _foreign(words: dict[str, int], others: tuple[str, ...], *own: str) -> bool:
    """Whether one of the ``others`` languages' function words outnumber those of ``own`` (and are at least two)."""
    best = max(words[lang] for lang in others)
    return best >= MIN_FOREIGN_WORDS and best > max(words[lang] for lang in own)


def _chars(pattern: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` the one-character ``pattern`` matches (counted in C)."""
    return len(text) - len(pattern.sub("", text))


def _letters(text: str, letters: str) -> int:
    return sum(map(text.count, letters))
