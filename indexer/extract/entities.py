"""People, organisations and places named in an article, each under one canonical name.

Two recognisers:

1. **The gazetteer** (``indexer/data/gazetteer.tsv``, shared with the query-time alias table):
   every form of every entry is matched on the same ICU words and cross-script spelling keys
   the analysers use, so ``Тоқаев``, ``Токаева``, ``Тоқаевтың``, ``Tokayev`` and ``Toqaev`` are
   all *Kassym-Jomart Tokayev* (id ``kz-tokayev``) and count once.
2. **The long tail** (optional): for Russian text, Natasha's NER (slovnet models shipped inside
   the PyPI packages, no network) finds the people, organisations and places the gazetteer
   does not know; each is named by its nominative lemma (``Юрия Лужкова`` → ``Юрий Лужков``)
   and keyed by the spelling key of that lemma (id ``ner-person-iurii-lujkov``), so inflections
   and other scripts of the same name share one id.

How a gazetteer form matches the text (precision first, see ``indexer/data/README.md``):

- Word by word, in order, consecutive words separated only by spaces or a hyphen (or what the
  form itself has there), longest form first (up to :data:`MAX_FORM_WORDS` words).
- A text word matches a form word of the **same script** when their spelling keys meet: the
  whole keys are equal, or a stem of the text word from its own language (Russian light stem,
  Kazakh suffix stripping; English words are not stemmed) is one of the form word's keys. An
  uninflected word must equal the form (``Frank`` is not ``France`` stripped of its ``e``).
  Requiring the same script keeps apart the pairs that meet only under the loose key
  (Ghana/Гайана, Kaspi/Каспий, SCO/СКО); using only language-aware stems (not every ending of
  every language) keeps ``Индиана`` from ``Индия``.
- An inflected word must continue the form's key less at most a final vowel run or a fleeting
  vowel (``Лавра`` the saint is not ``Лавров``), and a one-word form met by another spelling of
  the same key must start alike and differ in at most one letter per four, so the loose key
  alone (doubled letters dropped, q/k, y/i, -ng/-n) cannot make ``Аман`` ("hello") the city
  Amman nor ``Sharing`` the Sharyn canyon: the gazetteer lists the real variants itself.
- Acronym forms (``UN``, ``КНБ``) match only the same letters written in capitals.
- A one-word form that starts with a capital matches only a capitalised word (``астана``
  "capital" and ``мәжіліс`` "assembly" in Kazakh prose are not the city or the chamber); a
  multi-word form needs at least one capitalised word where the form has one.
- The forms the README keeps on purpose although they are ordinary words or common names
  (:data:`AMBIGUOUS_FORMS`: ``Oral``, ``Jordan``, ``Georgia``, ``Turkey``, ``Жамбыл``, ``Қонаев``...)
  also must not start a sentence nor stand next to another capitalised word (``Michael
  Jordan``, ``Жамбыл Жабаев``, ``Oral Arguments``).
- A country named as part of a currency (``долларов США``, ``АҚШ доллары``) is not a mention.
- When several entries match the same words equally well, none is taken.

Speed (extraction was a third of indexing time): a text is segmented once for both the entity and
the demonym matcher; a written word's folded readings and full keys are worked out once
(whatever the language) and its stems only when a form is compared with it; which forms a word
can start is looked up by the prefixes of its full keys and decided once per written word and
language. For the long tail, the nominative of a name is remembered, and slovnet's model is run
by a leaner driver (:mod:`indexer.extract.russian_ner`: same tokens, same tags). The results are
those of the straightforward matcher (checked on 4 000 corpus articles).

Precision of the long tail, measured on 100 entities it added to Russian articles of a 4 000-article
corpus sample (one per article and name, drawn at random, judged by hand): 87 are real people,
organisations or places of the right kind; 72 also carry a correct, clean nominative name. The 13
misses are products and events (``Pi-Star``, ``RSA``, ``PEARL``, ``Взятие Масады``), common nouns
(``Интернет``, ``ВПК``, ``Запад``), slang (``Регайтесь``) and fragments (``Калужской`` of
``Калужской области``, a first name alone); the 15 misnamed ones are foreign or indeclinable
surnames put into Russian paradigms (``Рютте`` → ``Рютта``, ``Ахметели`` → ``Ахметель``,
``Кулеба`` → ``Кулеб``, ``Газа`` → ``Газ``, ``МАИ`` → ``МАЯ``), phrases whose first word pymorphy
takes for a noun (``Ближнем Востоке`` → ``Ближний Востоке``, ``Белом доме`` → ``Бел доме``), and
spans that end in ``(`` or lack their closing quote.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis import _wordloop
from indexer.analysis.aliases import Entry, load_entries
from indexer.analysis.distance import edit_distance
from indexer.analysis.fold import kazakh_2017_to_2021, normalize_word
from indexer.analysis.scripts import candidate_languages, script_of
from indexer.analysis.tokenizer import APOSTROPHES, HYPHENS, icu_word_spans
from indexer.analysis.translit import _collapse, _key_stems, key_forms, spelling_key
from indexer.extract.russian_ner import RussianNER

MAX_FORM_WORDS = 10  # the longest listed names (CICA's, 9 words) are phrases too
SEEN_WORDS = 100_000  # written words remembered per gazetteer and language (with the forms they start)
SPELLINGS = 200_000  # written words remembered with their spelling (and, when asked for, their stems)
PREFIX = 3  # a one-word form and another spelling of it agree on this many first letters
MIN_STEM_KEY = 4  # a one-word form meets a word on a stem key this long at least (or on the full key)
FACET_TYPE = {
    "person": "person",
    "parliament": "org",
    "org": "org",
    "company": "org",
    "country": "place",
    "capital": "place",
    "region": "place",
    "city": "place",
    "place": "place",
}
# Forms kept in the gazetteer although they are ordinary words or common names (README,
# "Kept on purpose"); compared after normalize_word folding.
AMBIGUOUS_FORMS = frozenset(
    normalize_word(form)
    for form in (
        "Oral Орал Frunze Фрунзе Kuibyshev Kuybyshev Куйбышев Konaev Konayev Qonaev Конаев Қонаев "
        "Zhambyl Жамбыл Dzhambul Djambul Джамбул Turkmenbashi Türkmenbaşy Туркменбаши Боровое "
        "Jordan Georgia Turkey Guinea Macedonia PACE"
    ).split()
)
# Natasha's span types → facet types.
NER_TYPES = {"PER": "person", "ORG": "org", "LOC": "place"}
SEEN_LEMMAS = 50_000  # long-tail names remembered with their nominative
NER_MAX_CHARS = 20_000  # the long tail is looked for in the first 20 000 characters
_APOSTROPHE_SPLIT = re.compile(f"[{APOSTROPHES}]+")
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.IGNORECASE)
_GAP_DROP = re.compile(r"\s+")
_HYPHEN_RUN = re.compile(f"[{HYPHENS}–]+")
_SENTENCE_END = frozenset(".!?…\n\r")
_OPENERS = frozenset("\"'«“„‘([{—–-*•#>")
_KEY_VOWELS = "aeiou"
_VOWELS = "aeiouyäöüūıаеёиоуыэюяәөұүіійь"


@dataclass(frozen=True)
class EntityMention:
    """One entity an article names, once per article.

    ``name`` is the canonical display name, ``type`` the facet type (``person``/``org``/
    ``place``), ``country`` the ISO code of the entity's country (``""`` when none or unknown),
    ``kind`` the gazetteer type (``capital``, ``city``, ``company``...; ``ner`` for the long tail),
    ``mentions`` how often it is named and ``in_title`` whether the title names it.
    """

    id: str
    name: str
    type: str
    country: str
    kind: str = ""
    mentions: int = 1
    in_title: bool = False
    source: str = "gazetteer"


# --- words -------------------------------------------------------------------------------------
#
# Most of the matching time went on words that can never be part of a name: every word had its
# stems taken (Kazakh suffix stripping, the light Russian stem, a transliteration per stem) only to
# be found in no form. So a word is described in two steps: what every word needs (its folded
# readings and full keys, once per written word, since neither depends on the document's
# language) and, only when a form is compared with it, its stems (per language, memoised).


@dataclass(frozen=True, slots=True, eq=False)
class _Spelling:
    """What matching needs to know of one written word (cached: news repeats its words).

    Hashed by identity (``eq=False``): the cache hands out one object per written word, and the
    per-gazetteer candidate tables are keyed by it.
    """

    folded: tuple[str, ...]  # the word folded, plus its apostrophe readings (first: the whole word)
    full: tuple[str, ...]  # full keys of every folded reading (a tuple of strings: the collector soon stops tracking it)
    script: str
    capital: bool  # starts with an upper-case letter
    upper: bool  # written in capitals (two letters or more)


@dataclass(slots=True)
class _Word:
    """One word of the text (or of a form) where it stands (not frozen: a frozen one costs four times as much to make)."""

    start: int
    end: int
    spelling: _Spelling


@lru_cache(maxsize=100_000)
def _word_keys(word: str, lang: str | None) -> tuple[str, frozenset[str]]:
    """``(full key, stem keys)`` of one folded word.

    The stem keys are those of the word's stems in its own language that differ from the word:
    the light Russian stem for Russian, none for English, and for a possibly-Kazakh (or Kyrgyz)
    word every ending-stripped key as well, since the Kazakh stemmer alone does not bring
    ``Qarağandyda`` and ``Qarağandy`` to one stem.
    """
    full = _full_key(word)
    stems: set[str] = set()
    if "kk" in candidate_languages(word, lang):
        stems.update(key_forms(word, lang)[1:])
    for stem in _key_stems(word, lang):
        if stem != word:
            stems.add(_collapse(spelling_key(stem)))
    return full, frozenset(k for k in stems if k)


def _full_key(word: str) -> str:
    """The spelling key of one folded word, doubled letters collapsed (language-independent)."""
    return _collapse(spelling_key(word))


def _readings(raw: str) -> list[str]:
    """The spellings one ICU word stands for.

    The whole without apostrophes, the part before an apostrophe (``Kazakhstan’s``), and the
    2017 Kazakh apostrophe letters (``S'ymkent``).
    """
    parts = [p for p in _APOSTROPHE_SPLIT.split(raw) if p]
    out = ["".join(parts) or raw]
    if len(parts) > 1:
        if sum(ch.isalpha() for ch in parts[0]) >= 2:
            out.append(parts[0])
        letters_2017 = _APOSTROPHE_SPLIT.sub("", kazakh_2017_to_2021(raw))
        if letters_2017 not in out:
            out.append(letters_2017)
    return out


def _is_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


@lru_cache(maxsize=SPELLINGS)
def _spelling(raw: str, readings: bool = True) -> _Spelling | None:
    """One written word's spelling, or ``None`` for a word without letters (numbers)."""
    letters = [ch for ch in raw if ch.isalpha()]
    if not letters:
        return None
    if _APOSTROPHE.search(raw) is None:  # most words: one reading, and the head is the whole word
        folded = [word] if (word := normalize_word(raw)) else []
        head = letters
    else:
        folded = []
        for reading in _readings(raw) if readings else [_APOSTROPHE_SPLIT.sub("", raw)]:
            word = normalize_word(reading)
            if word and word not in folded:
                folded.append(word)
        head = [ch for ch in _APOSTROPHE_SPLIT.split(raw)[0] if ch.isalpha()] or letters  # NATO's → NATO
    if not folded:
        return None
    return _Spelling(
        folded=tuple(folded),
        full=tuple(dict.fromkeys(_full_key(word) for word in folded)),
        script=script_of(folded[0]),
        capital=letters[0].isupper(),
        upper=len(head) >= 2 and all(ch.isupper() for ch in head),
    )


@lru_cache(maxsize=SPELLINGS)
def _stems(spelling: _Spelling, lang: str | None) -> frozenset[str]:
    """Keys of the word's stems in ``lang`` (when it has an ending to take off), all readings together.

    Only asked for when a form is compared with the word and neither spelling nor full key agree.
    """
    if len(spelling.folded) == 1:
        return _word_keys(spelling.folded[0], lang)[1]
    return frozenset().union(*(_word_keys(word, lang)[1] for word in spelling.folded))


def _words(text: str, *, readings: bool = True) -> list[_Word]:
    """The words of ``text``; ``readings=False`` keeps only the apostrophe-less whole (for forms).

    Texts are scanned by the compiled twin of this loop (``_wordloop.scan_words``, see :func:`_scan`).
    """
    if readings:  # one argument: the cache's key is the word itself, as for the compiled scan
        return [_Word(start, end, spelling) for start, end in icu_word_spans(text) if (spelling := _spelling(text[start:end]))]
    return [
        _Word(start, end, spelling)
        for start, end in icu_word_spans(text)
        if (spelling := _spelling(text[start:end], False)) is not None
    ]


_SCANS: dict[str, tuple[str, list[_Word]]] = {}
RECENT_TEXTS = 8  # texts whose words are kept: an article's title and body, seen by two matchers


def _scan(text: str) -> tuple[str, list[_Word]]:
    """``text`` with its URLs blanked out, and its words.

    Remembered for the last few texts: the entity gazetteer and the demonym matcher of
    :mod:`indexer.extract.countries` read the same title and body one after the other, and
    segmenting a text is a good share of matching it.
    """
    hit = _SCANS.get(text)
    if hit is None:
        blanked = _URL.sub(lambda m: " " * len(m.group()), text)
        hit = (blanked, _wordloop.scan_words(blanked, _spelling, _Word))
        if len(_SCANS) >= RECENT_TEXTS:
            _SCANS.clear()
        _SCANS[text] = hit
    return hit


def _gap(text: str) -> str:
    """What separates two words, for comparison: spaces dropped, hyphens and dashes as ``-``."""
    if text == " ":  # the usual gap
        return ""
    return _HYPHEN_RUN.sub("-", _GAP_DROP.sub("", text))


# --- the gazetteer index -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FormWord:
    folded: str
    keys: frozenset[str]  # full key and stem keys
    full: str
    bases: frozenset[str]  # what an inflected word's key starts with (:func:`_bases`)
    script: str
    capital: bool
    acronym: bool


@dataclass(frozen=True, slots=True)
class _Form:
    entry: int
    words: tuple[_FormWord, ...]
    gaps: tuple[str, ...]  # what the form has between its words (``-``, ``.``, ``""``)
    ambiguous: bool
    any_capital: bool


def _bases(full: str) -> set[str]:
    """What the key of an inflected word must start with to be ``full`` with an ending (see :func:`_inflection`)."""
    bases = {full, full.rstrip(_KEY_VOWELS)}
    if len(full) >= 4 and full[-2] in "eo" and full[-1] not in _KEY_VOWELS:
        bases.add(full[:-2] + full[-1])  # a fleeting vowel: Египет, Египта
    return bases


def _shortest_base(n: int) -> int:
    """The shortest base an inflected word may continue: inside a phrase the other words vouch for a short one (Алма-Ате)."""
    return 3 if n == 1 else 2


@dataclass
class Gazetteer:
    """Every form of every entry, indexed by what the key of a word that starts it must begin with.

    A text word can start a form only when it is spelled as the form's first word, shares its full
    key, or is that word with an ending, and then one of the word's full keys begins with one of
    the first word's bases (:func:`_bases`). So the candidates of a word are found from its full
    keys alone, by looking up each of their prefixes; stems are taken only of words compared with
    a candidate. (Every candidate is then checked in full by :meth:`_score`, so the index only has
    to keep no form out that could match.)
    """

    entries: list[Entry]
    by_prefix: dict[str, list[_Form]] = field(default_factory=dict)
    strict_spelling: bool = False  # words must be the form's own spelling (inflected), not another one
    # language → written word → the forms it starts, with its agreement (see :meth:`_begun`)
    _starts: dict[str | None, dict[_Spelling, tuple[tuple[_Form, _Agreement], ...]]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[Entry], *, strict_spelling: bool = False) -> Gazetteer:
        """Index the forms of ``entries`` (forms of more than :data:`MAX_FORM_WORDS` words are dropped).

        ``strict_spelling`` accepts only the forms' own spellings and their inflections, not other
        spellings that share the key (for lists that give every language's form, like demonyms).
        """
        gazetteer = cls(list(entries), strict_spelling=strict_spelling)
        for index, entry in enumerate(gazetteer.entries):
            seen: set[tuple[str, ...]] = set()
            for form in entry.forms:
                words = _words(form, readings=False)
                if not words or len(words) > MAX_FORM_WORDS:
                    continue
                form_words = tuple(
                    _FormWord(
                        folded=w.spelling.folded[0],
                        keys=frozenset({w.spelling.full[0], *_stems(w.spelling, None)}),
                        full=w.spelling.full[0],
                        bases=frozenset(_bases(w.spelling.full[0])),
                        script=w.spelling.script,
                        capital=w.spelling.capital,
                        acronym=w.spelling.upper and w.end - w.start <= 6,
                    )
                    for w in words
                )
                signature = tuple(w.folded for w in form_words)
                if signature in seen:
                    continue
                seen.add(signature)
                gaps = tuple(_gap(form[a.end : b.start]) for a, b in zip(words, words[1:], strict=False))
                compiled = _Form(
                    entry=index,
                    words=form_words,
                    gaps=gaps,
                    ambiguous=len(words) == 1 and form_words[0].folded in AMBIGUOUS_FORMS,
                    any_capital=any(w.capital for w in form_words),
                )
                first = form_words[0].full
                shortest = _shortest_base(len(form_words))
                for base in form_words[0].bases:
                    if base == first or len(base) >= shortest:
                        gazetteer.by_prefix.setdefault(base, []).append(compiled)
        return gazetteer

    def matches(self, text: str, lang: str | None) -> Iterator[tuple[Entry, int, int]]:
        """``(entry, start, end)`` of every gazetteer mention in ``text``, left to right (not in URLs)."""
        text, words = _scan(text)
        starts = self._starts.get(lang)
        if starts is None:
            starts = self._starts[lang] = {}
        i = 0
        while i < len(words):
            spelling = words[i].spelling
            begun = starts.get(spelling)
            if begun is None:
                begun = self._begun(spelling, lang, starts)
            found = self._match_at(text, words, i, begun, lang) if begun else None
            if found is None:
                i += 1
                continue
            entry, length = found
            start, end = words[i].start, words[i + length - 1].end
            if not (self.entries[entry].type == "country" and _is_currency(text, start, end)):
                yield self.entries[entry], start, end
            i += length

    def _begun(self, spelling: _Spelling, lang: str | None, starts: dict) -> tuple[tuple[_Form, _Agreement], ...]:
        """The forms a word of this spelling starts, with its agreement (remembered per written word).

        Whether a word can be the first word of a form does not depend on where it stands, so it
        is decided once per written word and language; most words start no form at all.
        """
        forms: dict[int, _Form] = {}
        for key in spelling.full:
            for end in range(1, len(key) + 1):
                for form in self.by_prefix.get(key[:end], ()):
                    forms[id(form)] = form
        begun = []
        for form in forms.values():
            agreement = _agreement_of(form.words[0], spelling, lang, len(form.words), self.strict_spelling)
            if agreement is not None:
                begun.append((form, agreement))
        if len(starts) >= SEEN_WORDS:
            starts.clear()
        starts[spelling] = result = tuple(begun)
        return result

    def _match_at(
        self, text: str, words: list[_Word], i: int, begun: tuple[tuple[_Form, _Agreement], ...], lang: str | None
    ) -> tuple[int, int] | None:
        best: list[tuple[int, int, int, int]] = []  # (length, full-key agreement, exact agreement, entry)
        for form, first in begun:
            score = self._score(text, words, i, form, first, lang, self.strict_spelling)
            if score is not None:
                best.append((len(form.words), *score, form.entry))
        if not best:
            return None
        best.sort(reverse=True)
        top = best[0]
        rivals = {b[3] for b in best if b[:3] == top[:3]}
        if len(rivals) > 1:
            return None  # two referents fit equally well: take neither
        return top[3], top[0]

    @staticmethod
    def _score(
        text: str, words: list[_Word], i: int, form: _Form, first: _Agreement, lang: str | None, strict: bool = False
    ) -> tuple[int, int] | None:
        """``(full-key agreement, exact agreement)`` of the form at word ``i``, whose first word agrees as ``first``."""
        n = len(form.words)
        if i + n > len(words):
            return None
        full_agree, exact_agree, capital_seen = first
        for j in range(1, n):
            if _gap(text[words[i + j - 1].end : words[i + j].start]) not in ("", "-", form.gaps[j - 1]):
                return None
            agreement = _agreement_of(form.words[j], words[i + j].spelling, lang, n, strict)
            if agreement is None:
                return None
            full_agree += agreement[0]
            exact_agree += agreement[1]
            capital_seen |= agreement[2]
        if form.any_capital and not capital_seen:
            return None
        if n == 1 and form.ambiguous:
            clear = _clear_acronym if form.words[0].acronym else _clear_single_name
            if not clear(text, words, i):
                return None
        return full_agree, exact_agree


_Agreement = tuple[int, int, bool]  # (full key agrees, spelled as the form, capital where the form has one)


def _agreement_of(form_word: _FormWord, word: _Spelling, lang: str | None, n: int, strict: bool) -> _Agreement | None:
    """How a text word agrees with one word of an ``n``-word form, or ``None`` when it is not that word."""
    if word.script != form_word.script:
        return None
    if form_word.acronym:
        if not word.upper or form_word.folded not in word.folded:
            return None
    elif form_word.folded in word.folded:
        pass  # spelled as the form
    elif strict and not any(w.startswith(form_word.folded.rstrip(_VOWELS)) for w in word.folded):
        return None
    elif form_word.full in word.full:  # another spelling of the same key
        if n == 1 and not _near(form_word.folded, word):
            return None
    elif not _inflection(form_word, word, lang, n):
        return None
    return form_word.full in word.full, form_word.folded in word.folded, form_word.capital and word.capital


def _near(form: str, word: _Spelling) -> bool:
    """Whether a one-word form and an uninflected word of the same key are close enough.

    Another spelling must start alike and differ in at most one letter per four (``Tokaiev`` for ``Tokaev``; not
    ``Аман`` "hello" for ``Амман``, nor ``Sharing`` for ``Sharyn``).
    """
    return any(w[:PREFIX] == form[:PREFIX] and edit_distance(w, form) <= max(1, len(form) // 4) for w in word.folded)


def _inflection(form_word: _FormWord, word: _Spelling, lang: str | None, n: int) -> bool:
    """Whether the word is the form word with an ending.

    The word's key continues the form's key, less a final vowel run or a fleeting vowel, and a
    stem of the word (from its own language) is a key of the form word (``Москве``, ``России``,
    ``Египта``, ``Қарағандыда``, ``Джапарова`` for ``Жапаров``; not ``Лавра`` for ``Лавров`` nor ``Frank`` for ``France``).
    The keys are compared first: they are at hand, while the stems are taken now, on first need.
    """
    shortest = _shortest_base(n)
    if not any(len(base) >= shortest and key.startswith(base) for base in form_word.bases for key in word.full):
        return False
    shared = form_word.keys & _stems(word, lang)
    return bool(shared) and not (n == 1 and max(map(len, shared)) < MIN_STEM_KEY)


_CURRENCY_BEFORE = re.compile(r"(?:доллар|dollar|цент)\w*\s*$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"^[\s-]*(?:доллар|dollar)", re.IGNORECASE)


def _is_currency(text: str, start: int, end: int) -> bool:
    """``долларов США``, ``АҚШ доллары``: the name of a currency, not a mention of the country."""
    return bool(_CURRENCY_BEFORE.search(text[max(0, start - 16) : start]) or _CURRENCY_AFTER.match(text[end : end + 12]))


def _clear_single_name(text: str, words: list[_Word], i: int) -> bool:
    """A capitalised word in mid-sentence that is not part of a longer capitalised name."""
    word = words[i]
    if not word.spelling.capital or _is_initial(text, word.start):
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            neighbour = words[j]
            between = text[min(word.end, neighbour.end) : max(word.start, neighbour.start)]
            if neighbour.spelling.capital and _gap(between) in ("", "-"):
                return False
    return True


def _clear_acronym(text: str, words: list[_Word], i: int) -> bool:
    """An acronym that is also a word or a product name (``PACE``) standing on its own.

    Not in a run of capitals (``AT SNAIL'S PACE``, ``PACE MEMBERSHIP BUYS BACK NOTES``: headlines in
    capitals) and not hyphen-joined to another word (``Jaguar I-PACE``).
    """
    word = words[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            neighbour = words[j]
            gap = _gap(text[min(word.end, neighbour.end) : max(word.start, neighbour.start)])
            if gap == "-" or (gap == "" and neighbour.spelling.upper):
                return False
    return True


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The matcher over the packaged gazetteer (built once per process)."""
    return Gazetteer.build(load_entries())


# --- the long tail: Natasha for Russian --------------------------------------------------------


class _Natasha:
    """Natasha's NER and pymorphy2 lemmas, loaded once (the models ship inside the packages)."""

    _lock = threading.Lock()
    _instance: _Natasha | None = None
    _failed = False

    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsNERTagger  # noqa: PLC0415 - heavy, optional

        try:  # slovnet's small matrix products run slower on several BLAS threads than on one
            from threadpoolctl import threadpool_limits  # noqa: PLC0415

            threadpool_limits(limits=1, user_api="blas")
        except ImportError:
            pass
        self.ner = RussianNER(NewsNERTagger(NewsEmbedding()))
        self._ahead: dict[str, list[tuple[str, int, int]]] = {}
        self.morph = MorphVocab()
        self._lemmas: dict[tuple[tuple[str, ...], str], str] = {}

    @classmethod
    def get(cls) -> _Natasha | None:
        if cls._instance is None and not cls._failed:
            with cls._lock:
                if cls._instance is None and not cls._failed:
                    try:
                        cls._instance = cls()
                    except Exception as err:  # noqa: BLE001 - not installed or broken: no long tail, never a failed build
                        cls._failed = True
                        logging.getLogger(__name__).warning("long-tail entity recogniser unavailable: %s", err)
        return cls._instance

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """The model's spans of ``text``: tagged ahead by :meth:`prefetch`, or now."""
        spans = self._ahead.pop(text, None)
        return self.ner.spans(text) if spans is None else spans

    def prefetch(self, texts: list[str]) -> None:
        """Tag ``texts`` together now (faster than one at a time); what is left from before is dropped."""
        self._ahead = {}
        if texts:
            self._ahead = dict(zip(texts, self.ner.spans_many(texts), strict=True))

    def lemma(self, words: list[str], kind: str) -> str:
        """:meth:`_lemma`, remembered: news names the same people and bodies in the same words again and again."""
        key = (tuple(words), kind)
        name = self._lemmas.get(key)
        if name is None:
            name = self._lemma(words, kind)
            if len(self._lemmas) >= SEEN_LEMMAS:
                self._lemmas.clear()
            self._lemmas[key] = name
        return name

    def _lemma(self, words: list[str], kind: str) -> str:
        """The nominative of a name, its words agreeing in case, number and gender.

        A person: every (Cyrillic) word of the name (``Николая Азарова`` → ``Николай Азаров``,
        ``Надежды Толоконниковой`` → ``Надежда Толоконникова``; a lone ``Алехина`` that may be a
        woman's nominative stays). A place or an organisation: its head (first noun) and the
        adjectives before it; what follows the head is its complement and stays (``Советского
        Союза`` → ``Советский Союз``, ``Министерства иностранных дел`` → ``Министерство
        иностранных дел``).
        """
        parses = [self.morph.parse(w) if any(ch.isalpha() for ch in w) and script_of(w) == "Cyrl" else [] for w in words]
        if kind == "person":  # particles (де, фон, ибн) have no name reading and are left out
            span = [
                i
                for i, options in enumerate(parses)
                if any(t in p.tag for p in options for t in ("Name", "Surn", "Patr", "NOUN"))
            ]
            wanted = {i: ("Name", "Surn", "Patr", "NOUN") for i in span}
            genders: tuple[str | None, ...] = ("masc", "femn")
        else:
            head = next((i for i, options in enumerate(parses) if any("NOUN" in p.tag for p in options)), None)
            if head is None:
                return " ".join(words)
            span = [i for i in range(head) if any("ADJF" in p.tag or "PRTF" in p.tag for p in parses[i])] + [head]
            wanted = {i: ("ADJF", "PRTF") for i in span}
            wanted[head] = ("NOUN",)
            genders = ("masc", "femn", "neut", None)
        out = list(words)
        agreement = _agreement({i: [p for p in parses[i] if any(t in p.tag for t in wanted[i])] for i in span}, genders)
        if agreement is None and kind == "person":  # no common reading: each word on its own
            agreement = ({i: max(options, key=lambda p: p.score) for i in span if (options := parses[i])}, "", {"Nom"})
        if agreement is None:
            return " ".join(out)
        chosen, case, grams = agreement
        if case != "nomn":
            for i, parse in chosen.items():
                if not case and "nomn" in parse.tag:
                    continue
                inflected = parse.inflect(grams)  # natasha's parses take UD grammemes
                if inflected is not None:
                    out[i] = _same_case(words[i], _keep_e(words[i], inflected.word))
        return " ".join(out)


_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CASE_VARIANT = {"gent": "gen2", "loct": "loc2", "nomn": "voct"}
_UD = {"sing": "Sing", "plur": "Plur", "masc": "Masc", "femn": "Fem", "neut": "Neut"}


def _agreement(options: dict, genders: tuple[str | None, ...]) -> tuple[dict, str, set[str]] | None:
    """A parse per word, all in one case and number (and gender, where it shows).

    The likeliest such reading by pymorphy2's scores, the nominative on a tie; without one, gender is let go
    (``Кисой Воробьяниновым``).
    """
    if not options or not all(options.values()):
        return None
    for allowed in (genders, (None,)):
        best: tuple[float, int, dict, str, set[str]] | None = None
        for rank, case in enumerate(_CASES):
            for number in ("sing", "plur"):
                for gender in allowed if number == "sing" else (None,):
                    chosen, score = {}, 1.0
                    for i, parses in options.items():
                        fit = [p for p in parses if "Fixd" in p.tag or _fits(p, case, number, gender)]
                        if not fit:
                            break
                        chosen[i] = max(fit, key=lambda p: p.score)
                        score *= chosen[i].score
                    else:
                        if best is None or (score, -rank) > (best[0], best[1]):
                            grams = {"Nom", _UD[number]} | ({_UD[gender]} if gender else set())
                            best = (score, -rank, chosen, case, grams)
        if best is not None:
            return best[2], best[3], best[4]
    return None


def _fits(parse, case: str, number: str, gender: str | None) -> bool:  # noqa: ANN001 - a pymorphy2 parse
    tag = parse.tag
    if not (case in tag or _CASE_VARIANT.get(case, case) in tag) or number not in tag:
        return False
    return gender is None or tag.gender is None or tag.gender == gender or "Ms-f" in tag


def _keep_e(original: str, word: str) -> str:
    """pymorphy2 writes ё where the text had е (Фешин → Фёшин): keep the text's letter."""
    return word if "ё" in original.lower() else word.replace("ё", "е")


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


_ASCII_KEY = str.maketrans({"š": "sh", "č": "ch"})
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def _slug(name: str) -> str:
    keys = [spelling_key(normalize_word(w)) for w in _APOSTROPHE_SPLIT.sub("", name).split()]
    return _SLUG_JUNK.sub("-", "-".join(_collapse(k) for k in keys).translate(_ASCII_KEY)).strip("-")


def _long_tail_texts(title: str, body: str, lang: str | None) -> list[str]:
    """The texts of an article the long tail reads (the first :data:`NER_MAX_CHARS` of each)."""
    if lang != "ru":
        return []
    return [text[:NER_MAX_CHARS] for text in (title or "", body or "") if text.strip()]


def prefetch_long_tail(articles: Iterable[tuple[str, str, str | None]]) -> None:
    """Run the long tail's model over the ``(title, body, lang)`` of several articles at once.

    A build worker calls this for each batch of articles before extracting them one by one:
    :func:`extract_entities` then finds the model's spans ready.
    """
    natasha = _Natasha.get()
    if natasha is not None:
        natasha.prefetch([text for title, body, lang in articles for text in _long_tail_texts(title, body, lang)])


def _long_tail(text: str, covered: list[tuple[int, int]]) -> Iterator[tuple[EntityMention, int]]:
    natasha = _Natasha.get()
    if natasha is None:
        return
    text = text[:NER_MAX_CHARS]
    for span_type, start, stop in natasha.spans(text):
        kind = NER_TYPES.get(span_type)
        if kind is None or any(start < end and stop > begin for begin, end in covered):
            continue
        words = text[start:stop].split()
        letters = [ch for ch in text[start:stop] if ch.isalpha()]
        if len(letters) < 3 or not words[0][:1].isupper():
            continue
        name = natasha.lemma(words, kind)
        slug = _slug(name)
        if not slug:
            continue
        yield EntityMention(id=f"ner-{kind}-{slug}", name=name, type=kind, country="", kind="ner", source="ner"), start


def _merge_surnames(found: dict[str, dict]) -> None:
    """Merge a long-tail surname alone into the full name it stands for in the same article.

    ``Зимину`` joins ``Дмитрий Зимин``, so the person counts once.
    """
    people = [item for item in found.values() if item["mention"].source == "ner" and item["mention"].type == "person"]
    full_names = [item for item in people if " " in item["mention"].name]
    for item in people:
        if " " in item["mention"].name:
            continue
        surname = item["mention"].id.removeprefix("ner-person-")
        for other in full_names:
            last = other["mention"].id.rsplit("-", 1)[-1]
            short, long_ = sorted((surname, last), key=len)
            if long_.startswith(short) and len(long_) - len(short) <= 2 and len(short) >= 3:
                other["mentions"] += item["mentions"]
                other["in_title"] |= item["in_title"]
                other["order"] = min(other["order"], item["order"])
                del found[item["mention"].id]
                break


# --- the API -----------------------------------------------------------------------------------


def extract_entities(
    title: str,
    body: str,
    lang: str | None,
    *,
    long_tail: bool = True,
    gazetteer: Gazetteer | None = None,
) -> list[EntityMention]:
    """The entities ``title`` and ``body`` name, each once, in order of first mention.

    ``lang`` (``en``/``ru``/``kk``/``ky``/None) picks the stemming of the text's words and
    whether the Russian long-tail recogniser runs (``long_tail=False`` turns it off).
    """
    gazetteer = gazetteer or default_gazetteer()
    doc_lang = lang if lang in ("en", "ru", "kk", "ky") else None
    found: dict[str, dict] = {}

    def add(mention: EntityMention, order: tuple[int, int], in_title: bool) -> None:
        seen = found.get(mention.id)
        if seen is None:
            found[mention.id] = {"mention": mention, "order": order, "mentions": 1, "in_title": in_title}
        else:
            seen["mentions"] += 1
            seen["in_title"] |= in_title
            seen["order"] = min(seen["order"], order)

    for part, text in enumerate((title or "", body or "")):
        covered: list[tuple[int, int]] = []
        for entry, start, end in gazetteer.matches(text, doc_lang):
            covered.append((start, end))
            facet = FACET_TYPE.get(entry.type, "place")
            add(EntityMention(entry.id, entry.name, facet, entry.country, kind=entry.type), (part, start), part == 0)
        if long_tail and doc_lang == "ru" and text.strip():
            for mention, start in _long_tail(text, covered):
                add(mention, (part, start), part == 0)

    _merge_surnames(found)
    ordered = sorted(found.values(), key=lambda item: item["order"])
    return [
        EntityMention(
            id=item["mention"].id,
            name=item["mention"].name,
            type=item["mention"].type,
            country=item["mention"].country,
            kind=item["mention"].kind,
            mentions=item["mentions"],
            in_title=item["in_title"],
            source=item["mention"].source,
        )
        for item in ordered
    ]
