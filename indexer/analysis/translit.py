"""The cross-script spelling key, so Тоқаев / Токаев / Tokayev / Toqaev / Tokaev all meet.

One loose Latin skeleton for Cyrillic (Russian, Kazakh, Kyrgyz) and every romanisation.

Cyrillic goes through ICU's ``Kazakh-Latin/BGN`` (it covers Kazakh *and* Russian letters;
``Any-Latin`` leaves ұ ө and emits ``kˌ``). The folding on top erases the differences between
romanisation systems: q/kh/h/x-ish → k, zh/j/dzh → j, gh/ğ → g, y/ı/й → i, ä/ö/ü/ū → a/o/u,
w → v, c → k, soft signs dropped, a glide i between vowels dropped (Tokayev → tokaev),
doubled letters collapsed. One light ending strip on top lets Navalny meet Навального.

The key lives in its own, lower-boosted field: it is a recall device, and exact spellings
must outrank it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

import icu
from whoosh.analysis import Filter, Token

from indexer.analysis import _keyforms, _stems  # type: ignore[attr-defined]  # compiled: _keyforms.cpp, _stems.cpp
from indexer.analysis.caches import PART_CACHE
from indexer.analysis.context import current_document_language
from indexer.analysis.scripts import candidate_languages, script_of
from indexer.analysis.stem import light_russian, stems_of
from indexer.analysis.suffixes import SuffixTable

_transliterator: icu.Transliterator | None = None

# Digraphs first, into placeholders that the single-letter table leaves alone.
_DIGRAPHS = (
    ("x", "ks"),
    ("shch", "S"),
    ("sch", "S"),
    ("tch", "C"),
    ("sh", "S"),
    ("ş", "S"),
    ("ch", "C"),
    ("ç", "C"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("ğ", "g"),
    ("ph", "f"),
)
_ANY_DIGRAPH = re.compile("|".join(re.escape(digraph) for digraph, _ in _DIGRAPHS))
_PLACEHOLDERS = str.maketrans({"S": "š", "C": "č"})
_LETTERS = str.maketrans(
    {
        "q": "k",
        "h": "k",
        "c": "k",
        "w": "v",
        "y": "i",
        "ı": "i",
        "ä": "a",
        "ə": "a",
        "ö": "o",
        "ü": "u",
        "ū": "u",
        "ñ": "n",
        "ė": "e",
        "ë": "e",
        "ʹ": None,
        "ʺ": None,
        "'": None,
        "’": None,
        "ʼ": None,
        "·": None,
        "-": None,
    }
)
_GLIDE = re.compile(r"(?<=[aeiou])i(?=[aeou])")
_INITIAL_YE = re.compile(r"^ie")
_DOUBLES = re.compile(r"(.)\1+")
_NG = re.compile(r"ng(?![aeiou])|ng$")

# Endings stripped once from a key, longest first: Russian case endings, Kazakh/Kyrgyz case
# and plural endings, English plurals. "ia"/"ii"/"iu" (Russian -ия nouns) become "i" so that
# Нигерии stays "nigeri", apart from Нигер "niger".
_KEY_ENDING_LIST = sorted(
    {
        **{
            e: ""
            for e in (
                "ogo ego omu emu ami imi akh ikh om em oi ei im a u e i ov ev oe ee ie aia uiu "
                "nin din tin nun dun tun ga ge ka ke na ne go ko ni di ti nu du tu "
                "da de ta te nda nde do to dan den tan ten nan nen don ton men ben pen "
                "lar ler dar der tar ter"
            ).split()
        },
        "ia": "i",
        "ii": "i",
        "iu": "i",
        "iei": "i",
        "iakh": "i",
        "iami": "i",
    }.items(),
    key=lambda item: len(item[0]),
    reverse=True,
)
MIN_KEY_STEM = 4
_KEY_ENDINGS = SuffixTable(_KEY_ENDING_LIST)


def _bgn(word: str) -> str:
    global _transliterator
    if _transliterator is None:
        _transliterator = icu.Transliterator.createInstance("Kazakh-Latin/BGN")
    return _transliterator.transliterate(word)


@functools.lru_cache(maxsize=PART_CACHE)
def spelling_key(word: str) -> str:
    """The loose Latin skeleton of one folded word (no ending stripped, doubles kept).

    >>> [spelling_key(w) for w in ("тоқаев", "tokayev", "toqaev", "мәжіліс", "mazhilis")]
    ['tokaev', 'tokaev', 'tokaev', 'majilis', 'majilis']

    Compiled (``_keyforms.cpp``); :func:`spelling_key_python` is the same rules in Python.
    """
    return _keyforms.spelling_key(word)


def spelling_key_python(word: str) -> str:
    """:func:`spelling_key` in Python: the reference the compiled rules are tested against."""
    if script_of(word) == "Cyrl":
        word = _bgn(word.replace("ё", "йо").replace("Ё", "Йо")).lower()
    if _ANY_DIGRAPH.search(word):  # (a word with none is left as it is by every replacement)
        for digraph, replacement in _DIGRAPHS:
            word = word.replace(digraph, replacement)
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word)
        word = "".join(ch for ch in word if not unicodedata.combining(ch))
    word = _NG.sub("n", word)
    word = word.translate(_LETTERS).translate(_PLACEHOLDERS)
    word = _INITIAL_YE.sub("e", word)
    word = _GLIDE.sub("", word)
    return word


def _strip_endings(key: str) -> list[str]:
    """Every way of removing one ending.

    The longest match is not always right: ``tajikistana`` is ``tajikistan`` + ``a``, not
    ``tajikista`` + Kazakh ``na``.
    """
    out = []
    for ending, replacement in _KEY_ENDINGS.matches(key):
        if len(key) - len(ending) + len(replacement) >= MIN_KEY_STEM:
            out.append(key[: len(key) - len(ending)] + replacement)
    return out


def _collapse(key: str) -> str:
    """``key`` with doubled letters collapsed (most keys have none: one search, no substitution)."""
    return _DOUBLES.sub(_first_letter, key) if _DOUBLES.search(key) else key


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


def _key_stems(word: str, doc_lang: str | None) -> list[str]:
    """Stems whose keys join the word's keys.

    Kazakh stems (with the light Russian stem of a Russian name inside Kazakh text) and the
    light Russian stem; never Snowball's Russian stem, which merges Нигерия with Нигер.
    """
    langs = candidate_languages(word, doc_lang)
    stems = []
    if "kk" in langs:
        stems += stems_of(word, "kk")
    if "ru" in langs:
        stems.append(light_russian(word))
    return stems


@functools.lru_cache(maxsize=PART_CACHE)
def key_forms(word: str, doc_lang: str | None = None) -> tuple[str, ...]:
    """Every key a folded word is indexed (or searched) under.

    The full key, the key with each possible ending stripped, and for a possibly-Kazakh word
    the key of its Kazakh stem: ``"навального"`` → ``('navalnogo', 'navaln', ...)``.
    Compiled (``_keyforms.cpp``: every new word of a build is keyed); :func:`key_forms_python`
    is the same in Python.
    """
    return _keyforms.key_forms(word, doc_lang)


def key_forms_python(word: str, doc_lang: str | None = None) -> tuple[str, ...]:
    """:func:`key_forms` in Python: the reference the compiled rules are tested against."""
    full = spelling_key_python(word)
    if not full.isalpha() and not any(ch.isalpha() for ch in full):
        return (full,) if full else ()
    forms = [_collapse(full), *(_collapse(stripped) for stripped in _strip_endings(full))]
    forms += [_collapse(spelling_key_python(stem)) for stem in _key_stems(word, doc_lang)]
    out: list[str] = []
    for form in forms:
        if form and form not in out:
            out.append(form)
    return tuple(out)


_keyforms.configure(
    _DIGRAPHS,
    _LETTERS,
    _PLACEHOLDERS,
    _KEY_ENDING_LIST,
    MIN_KEY_STEM,
    _bgn,
    functools.partial(unicodedata.normalize, "NFKD"),
    _stems.key_stems,  # the compiled twin of _key_stems
)


class CrossScriptKeyFilter(Filter):
    """Replace each token by its cross-script key(s): ``"Тоқаевтың"`` → ``tokaevtin``, ``tokaev``."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102 - Whoosh filter protocol
        doc_lang = current_document_language()
        for token in tokens:
            for key in key_forms(token.text, doc_lang):
                token.text = key
                yield token
