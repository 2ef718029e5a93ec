"""Document language from its letters and a few function words: en, ru, kk (Cyrillic or Latin), ky, other.

The corpus languages are told apart by letters: Kazakh-only Cyrillic letters (ә ғ қ ұ һ) mark
Kazakh; ң ө ү without them Kyrgyz; і with them, or alone, Kazakh; other Cyrillic is Russian. Latin
text with Kazakh Latin letters is Kazakh (2021 ä ğ ı ş ū ñ ö ü, 2018 ǵ ń and the acutes á ó ú ý,
2017 apostrophe letters ``a' n' s' o'``...), and so is plain-ASCII Kazakh Latin (``zhane``,
``ushin``, ``Qazaqstan``) by its function words or by ``q`` before a vowel beside ``zh``/``sh``/``ch``.
Other Latin text is English.

Letters alone call other languages one of these: French and Uzbek Latin English, German (ä) and
Turkish (ğ ı ş) Kazakh, Belarusian and Ukrainian (і) Kazakh, Ukrainian, Tajik, Uzbek and
Bulgarian Cyrillic Russian. So a text is ``other`` when it shows

- letters no corpus language has: Ukrainian ї є ґ, Belarusian/Uzbek ў, Tajik ӣ ӯ ҷ, Tajik/Uzbek ҳ,
  Serbian/Macedonian ј љ њ ћ ђ џ ѓ ќ ѕ (more of them than Kazakh/Kyrgyz letters), Uzbek oʻ gʻ
  without Kazakh letters, or in Latin text é è ê à ù œ ß ł ř ő ø... (French, German, Polish, Czech);
- or, at least twice, another language's frequent function words, more of them than of its own
  language's (``le``, ``und``, ``va``, ``bilan``, ``için``, ``що``, ``гэта``, ``дар``, ``това``...
  against ``the``, ``and``, ``что``, ``және``, ``jäne``, ``жана``...).

Letters shared with other languages count for Kazakh Latin only where the text is not English
(``Peña``, ``Müller``, ``N'Diaye``, ``O'Brien`` in an English report are names), and the 2017
apostrophes only in more than one word or beside other Kazakh evidence (``Pic'n'Save``).

It runs on every document, so it reads a sample (the start and the middle, :data:`SAMPLE_CHARS` in
all, links left out), counts letters with ``bytes.count``/``str.count`` and function words in the
first :data:`WORD_SAMPLE_CHARS` of it: 0.05 ms for the average corpus document, and the sample
bounds a long one (the letter loop before it took 1 ms on an 8 000-character page).
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 2_000  # the language shows in a couple of thousand characters (half from the middle)
WORD_SAMPLE_CHARS = 800  # function words are counted in this much of the sample
MIN_SHARE = 0.002  # share of special letters among letters that decides a language
FOREIGN_SHARE = 0.01  # share of other languages' Latin letters that makes a text "other"
MIN_FOREIGN_WORDS = 2  # another language's function words needed to call a text "other"

KAZAKH_ONLY = "әғқұһ"  # Cyrillic letters of Kazakh and not Kyrgyz (і is counted apart: also be, uk)
KYRGYZ_HINTS = "ңөү"  # Kyrgyz and Kazakh
TURKIC_ONLY = "әұһңөү"  # Kazakh/Kyrgyz letters that none of the "other" Cyrillic languages below has
FOREIGN_CYRILLIC = "їєґўҳӣӯҷјљњћђџѓќѕ"  # uk, be/uz, tg, tg/uz, sr/mk
KAZAKH_LATIN = "äğışūǵ"  # 2021 letters, and the 2018 ǵ
KAZAKH_SHARED = "ñńöüáóúý"  # 2021/2018 letters that Spanish, German, Czech... have too
FOREIGN_LATIN = "éèêëàâùûîïôœßãõłśżźćąęřěůčšžőűøåæ"

_ASCII_LETTERS = bytes(range(ord("a"), ord("z") + 1))
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")  # UTF-8 lead bytes of U+0400..U+04FF
_LATIN_LEADS = tuple(bytes([lead]) for lead in range(0xC3, 0xCA))  # of U+00C0..U+027F
_APOSTROPHE = re.compile("[a-z][ʻ'’ʼ]")
_ENGLISH_CLITIC = re.compile(r"(?:s|t|ll|re|ve|d|m)\b")  # Kazakhstan's, don't, we'll
_FREE_Q = re.compile("q(?=[aoyıū])")  # Kazakh (and Uzbek) qa qo qy; English q comes with u (QTR, QED, Iraq)
_DIGRAPHS = re.compile("zh|sh|ch")
_FINAL_N = re.compile(r"ñ\b")  # the genitive -nyñ: Spanish has no word-final ñ
_FOREIGN_CYRILLIC = re.compile(f"[{FOREIGN_CYRILLIC}]")  # one scan tells whether to count them
_FOREIGN_LATIN = re.compile(f"[{FOREIGN_LATIN}]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_PUNCTUATION = '.,;:!?()[]{}«»"“”„‘*—–-…/|<>#@'

# Frequent function words, each given to the one language it marks. Left out: words two of the
# languages share, and words English news writes in names and abbreviations (el, del, al, von, mit,
# est, non, per, esa, jane, men, bar...). en/ru/kk/ky words weigh against "other".
_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "of", "to", "is", "was", "that", "with", "for", "are", "this", "from", "has", "have", "were"),
    "kk": (
        "jäne", "zhane", "ja'ne", "jáne", "üşin", "ushin", "úshin", "u'shin", "osy", "bul", "dep", "bolyp",
        "degen", "turaly", "boiynşa", "boiynsha", "boyynsha", "arqyly", "kezinde", "sondai", "alaida", "eken",
        "emes", "eger", "deiin", "biraq", "kerek", "boldy", "bolady",
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
    "es": ("los", "las", "por", "para", "una", "como", "más", "pero", "sus", "entre"),
    "it": ("il", "di", "che", "della", "sono", "gli", "delle", "nel"),
    "tr": ("ve", "için", "ile", "olarak", "olan", "çok", "daha", "gibi", "değil", "ise"),
    "uz": (
        "va", "bilan", "uchun", "bo'yicha", "boʻyicha", "bo'lgan", "boʻlgan", "bo'ldi", "boʻldi", "yil",
        "yili", "qildi", "hamda", "lekin", "билан", "учун", "ҳам", "бўйича", "йили",
    ),
    "uk": ("що", "це", "від", "його", "які", "був", "була", "було", "він", "вона", "також", "її"),
    "be": ("і", "ў", "што", "гэта", "ад", "яго", "быў", "таксама", "ці"),
    "tg": ("ва", "дар", "ки", "барои", "мебошад", "аст", "шуд"),
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
    sample = _sample(text).lower()
    data = sample.encode("utf-8", "surrogatepass")
    cyrillic = sum(map(data.count, _CYRILLIC_LEADS))
    latin = len(data) - len(data.translate(None, _ASCII_LETTERS)) + sum(map(data.count, _LATIN_LEADS))
    if cyrillic == latin == 0:
        return "other", ""
    words = _function_words(sample[:WORD_SAMPLE_CHARS])
    if cyrillic >= latin:
        return _cyrillic(sample, cyrillic, words), "Cyrl"
    return _latin(sample, latin, words), "Latn"


def _sample(text: str) -> str:
    """The start and the middle of a long text: a page can open with a line in another language."""
    if len(text) > SAMPLE_CHARS:
        half, middle = SAMPLE_CHARS // 2, len(text) // 2
        text = text[:half] + "\n" + text[middle : middle + half]
    return _URL.sub(" ", text) if "://" in text or "www." in text else text  # links are Latin whatever the text


def _cyrillic(sample: str, letters: int, words: dict[str, int]) -> str:
    foreign = _letters(sample, FOREIGN_CYRILLIC) if _FOREIGN_CYRILLIC.search(sample) else 0
    if foreign / letters >= MIN_SHARE and foreign > _letters(sample, TURKIC_ONLY):
        return "other"  # Ukrainian, Belarusian, Uzbek, Tajik, Serbian, Macedonian letters
    if _letters(sample, KAZAKH_ONLY) / letters >= MIN_SHARE:
        return "kk"
    kyrgyz = _letters(sample, KYRGYZ_HINTS) / letters >= MIN_SHARE
    if sample.count("і") / letters >= MIN_SHARE:  # Kazakh, or Belarusian/Ukrainian without ў ї є ґ
        return "other" if not kyrgyz and _foreign(words, ("uk", "be"), "kk") else "kk"
    if kyrgyz:
        return "other" if _foreign(words, ("mn",), "ky") else "ky"  # Mongolian has ө ү too
    return "other" if _foreign(words, _OTHER_CYRILLIC, "ru") else "ru"  # Bulgarian; Tajik without ҳ ӣ ӯ ҷ


def _latin(sample: str, letters: int, words: dict[str, int]) -> str:
    if _foreign(words, _OTHER_LATIN, "en", "kk"):
        return "other"  # French, German, Spanish, Italian, Turkish, Uzbek function words
    english = words["en"]
    strong = _letters(sample, KAZAKH_LATIN) + len(_FINAL_N.findall(sample))
    apostrophes, o_g = _apostrophe_letters(sample)
    uzbek = words["uz"] > words["kk"] or "ʻ" in sample  # an Uzbek word, or Uzbek's own apostrophe
    if uzbek and not strong and o_g > len(apostrophes) and not english:
        return "other"  # Uzbek oʻ gʻ, more of them than of the other apostrophe letters
    free_q = len(_FREE_Q.findall(sample))
    evidence = strong
    if strong or not english:  # in English, these are names: Peña, Müller, N'Diaye, O'Brien
        if strong or free_q or _in_words(sample, apostrophes) >= 2:  # not one Pic'n'Save
            evidence += len(apostrophes) + o_g
        if evidence or free_q or words["kk"] or not _FOREIGN_LATIN.search(sample):  # not Spanish, Czech...
            evidence += _letters(sample, KAZAKH_SHARED)
    kazakh_words = words["kk"] if words["kk"] >= 2 or evidence or free_q else 0  # one "dep" may be a ticker
    if (evidence / letters >= MIN_SHARE and evidence > english) or kazakh_words > english:
        return "kk"  # (a few Kazakh terms in an English text do not make it Kazakh)
    if not english and free_q and ("zh" in sample or (free_q >= 2 and _DIGRAPHS.search(sample))):
        return "kk"  # plain-ASCII Kazakh: Qazaqstan, Qaragandy, zhyl, Shymkent
    if _FOREIGN_LATIN.search(sample) and _letters(sample, FOREIGN_LATIN) / letters >= FOREIGN_SHARE:
        return "other"
    return "en"


def _apostrophe_letters(sample: str) -> tuple[list[int], int]:
    """Where the 2017 letters ``a' n' u' y' s' c'`` stand, and how many ``o' g'`` (Uzbek oʻ gʻ too) there are.

    Inside a word (not English ``n't``, ``'s``, ``'ll``...), and the genitive ``-nyn'`` at its end.
    """
    kazakh: list[int] = []
    o_g = 0
    for match in _APOSTROPHE.finditer(sample):
        start, end = match.start(), match.end()
        letter, follows = sample[start], sample[end : end + 1]
        inside = follows.isalpha() and not _ENGLISH_CLITIC.match(sample, end)
        genitive = letter == "n" and not follows.isalpha() and start > 0 and sample[start - 1] in "aeiouy"
        if letter in "og":
            o_g += inside
        elif letter in "anuysc" and (inside or genitive):
            kazakh.append(start)
    return kazakh, o_g


def _in_words(text: str, positions: list[int]) -> int:
    """How many different words the positions fall in: ``R'dam`` and ``(R'dam)`` are one."""
    words = set()
    for position in positions:
        start = end = position
        while start and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        words.add(text[start:end].strip(_PUNCTUATION))
    return len(words)


def _function_words(sample: str) -> dict[str, int]:
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    language_of = _LANGUAGE_OF.get
    for word in sample.split():
        lang = language_of(word) or language_of(word.strip(_PUNCTUATION))
        if lang is not None:
            counts[lang] += 1
    return counts


def _foreign(words: dict[str, int], others: tuple[str, ...], *own: str) -> bool:
    """Whether one of the ``others``' function words outnumber those of ``own``, and are at least two."""
    best = max(words[lang] for lang in others)
    return best >= MIN_FOREIGN_WORDS and best > max(words[lang] for lang in own)


def _letters(text: str, letters: str) -> int:
    return sum(map(text.count, letters))
