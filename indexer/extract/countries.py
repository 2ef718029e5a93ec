"""The countries an article is about: ISO 3166-1 alpha-2 code and English display name.

Explicit metadata wins: when the record says which countries it is about (codes like ``KZ`` or
names in any script, ``Kazakhstan``, ``Казахстан``, ``Qazaqstan``), those are the countries.

Otherwise the text decides (multi-valued), from two kinds of evidence:

- **Places, people and organisations of a country** (any gazetteer mention whose entry has a
  country and is not the country itself: Bishkek, Osh Region, Sadyr Japarov, Kumtor): one
  mention is enough. A mention of Bishkek makes the article about Kyrgyzstan.
- **The country's name or demonym** (``indexer/data/demonyms.tsv``: Kazakh, казахстанский,
  қазақстандық, Kyrgyz, кыргызский, қырғыз...): counts once in the title, twice in the body,
  or once in a short body (under :data:`SHORT_BODY` characters, a news brief or a single
  sentence). A long report that names Tajikistan once in passing is not about Tajikistan.

Countries come most prominent first: named in the title, then by number of mentions, then by
first mention.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import icu

from indexer.analysis.aliases import Entry, load_entries
from indexer.analysis.fold import normalize_word
from indexer.extract.entities import EntityMention, Gazetteer, default_gazetteer, extract_entities

DEMONYMS = Path(__file__).resolve().parent.parent / "data" / "demonyms.tsv"
SHORT_BODY = 2_500  # characters: a brief or a readout this short is about whatever it names at all
BODY_MENTIONS = 2  # a name or demonym this often in a longer body


@dataclass(frozen=True)
class Country:
    """One country an article is about."""

    code: str
    name: str


def load_demonyms(path: Path = DEMONYMS) -> list[Entry]:
    """``demonyms.tsv`` (``code<TAB>forms``, forms separated by ``|``) as gazetteer entries."""
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
        header = next(rows, None)
        if header is None or [h.strip() for h in header] != ["code", "forms"]:
            raise ValueError(f"{path}: header must be the columns code, forms")
        for number, row in enumerate(rows, start=2):
            if len(row) != 2 or len(row[0].strip()) != 2:
                raise ValueError(f"{path}:{number}: expected an ISO code and the forms, tab-separated")
            code = row[0].strip().upper()
            forms = tuple(f.strip() for f in row[1].split("|") if f.strip())
            entries.append(Entry(f"demonym-{code.lower()}", "demonym", code, code, forms))
    return entries


@lru_cache(maxsize=1)
def _demonym_matcher() -> Gazetteer:
    """Demonyms together with the gazetteer, so that a longer name wins.

    The ``Kyrgyz`` of ``Kyrgyz Republic`` is the country's name (counted once, as an entity), not
    a demonym besides.
    """
    return Gazetteer.build([*load_demonyms(), *default_gazetteer().entries], strict_spelling=True)


@lru_cache(maxsize=1)
def _country_table() -> tuple[dict[str, str], dict[str, str]]:
    """``(code → English name, folded country name → code)``.

    The gazetteer's country rows, then ICU's English, Russian and Kazakh names for the countries
    the gazetteer does not list.
    """
    names: dict[str, str] = {}
    forms: dict[str, str] = {}
    for entry in load_entries():
        if entry.type == "country" and entry.country:
            names[entry.country] = entry.name
            for form in entry.forms:
                forms[_folded(form)] = entry.country
    for code in icu.Locale.getISOCountries():
        for language in ("en", "ru", "kk"):
            display = str(icu.Locale("", code).getDisplayCountry(icu.Locale(language)))
            if display and display != code:
                forms.setdefault(_folded(display), code)
    return names, forms


def _folded(name: str) -> str:
    return " ".join(normalize_word(w) for w in name.split())


def country_name(code: str) -> str:
    """The English display name of an ISO code (the gazetteer's, else ICU's; ``""`` if unknown)."""
    code = code.upper()
    name = _country_table()[0].get(code)
    if name:
        return name
    if len(code) == 2 and code.isalpha():
        display = icu.Locale("", code).getDisplayCountry(icu.Locale("en"))
        if display and display.upper() != code:
            return str(display)
    return ""


def resolve_country(value: str) -> Country | None:
    """A country from a metadata value: an ISO alpha-2 code or a country's name in any script or spelling."""
    value = value.strip()
    if not value:
        return None
    if len(value) == 2 and value.isascii() and value.isalpha():
        name = country_name(value)
        return Country(value.upper(), name) if name else None
    code = _country_table()[1].get(_folded(value))
    if code is None:  # another spelling or an inflection: the gazetteer matcher, on the whole value
        for candidate in (value, value.title()):
            found = [(entry, start, end) for entry, start, end in default_gazetteer().matches(candidate, None)]
            if len(found) == 1 and found[0][0].type == "country" and found[0][1] == 0 and found[0][2] == len(candidate):
                code = found[0][0].country
                break
    return Country(code, country_name(code)) if code else None


def extract_countries(
    title: str,
    body: str,
    lang: str | None,
    entities: Iterable[EntityMention] | None = None,
    explicit: list[str] | None = None,
) -> list[Country]:
    """The countries an article is about (see the module doc for the rule).

    ``entities`` are the article's :func:`~indexer.extract.entities.extract_entities` (computed
    here when ``None``); ``explicit`` the countries its metadata names, which win when any of
    them is recognised.
    """
    if explicit:
        chosen: dict[str, Country] = {}
        for value in explicit:
            country = resolve_country(value) if isinstance(value, str) else None
            if country is not None:
                chosen.setdefault(country.code, country)
        if chosen:
            return list(chosen.values())
    if entities is None:
        entities = extract_entities(title, body, lang, long_tail=False)
    # code → [strong evidence, title mentions, body mentions, first seen]
    evidence: dict[str, list[int]] = {}

    def note(code: str, strong: bool, in_title: int, in_body: int) -> None:
        item = evidence.setdefault(code, [0, 0, 0, len(evidence)])
        item[0] |= strong
        item[1] += in_title
        item[2] += in_body

    for mention in entities:
        if not mention.country or mention.source != "gazetteer":
            continue
        if mention.kind == "country":
            in_title = 1 if mention.in_title else 0
            note(mention.country, False, in_title, mention.mentions - in_title)
        else:
            note(mention.country, True, int(mention.in_title), mention.mentions)
    demonyms = _demonym_matcher()
    for part, text in enumerate((title or "", body or "")):
        for entry, _start, _end in demonyms.matches(text, lang if lang in ("en", "ru", "kk", "ky") else None):
            if entry.type == "demonym":
                note(entry.country, False, part == 0, part == 1)

    short = len(body or "") < SHORT_BODY
    kept = [
        (code, item)
        for code, item in evidence.items()
        if item[0] or item[1] or item[2] >= BODY_MENTIONS or (short and item[2] >= 1)
    ]
    kept.sort(key=lambda pair: (-pair[1][1], -(pair[1][1] + pair[1][2]), pair[1][3]))
    return [Country(code, country_name(code) or code) for code, _ in kept]
