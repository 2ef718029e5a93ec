"""Renamed places, exonyms and official vs common names, from the curated gazetteer.

``indexer/data/gazetteer.tsv`` (data, not code) lists for each referent every name form in
every language and script: Astana = Nur-Sultan = Akmola = Tselinograd = Нұр-Сұлтан,
Kyrgyzstan = Kirghizia = Киргизия = Қырғызстан... The query side expands a word or phrase that
matches one form into the others (query-time expansion: a corrected table needs no reindex).

Forms are matched by their cross-script spelling keys, so a query in any script, spelling or
inflection (Астанада, Нұр-Сұлтанда) finds its entry; multi-word forms match on the joined key
of their words.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.analysis.fold import normalize_word
from indexer.analysis.tokenizer import _APOSTROPHE_SPLIT, icu_word_spans
from indexer.analysis.translit import key_forms, spelling_key

GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer.tsv"
COLUMNS = ("id", "type", "country", "name", "forms")


@dataclass(frozen=True)
class Entry:
    """One referent of the gazetteer."""

    id: str
    type: str
    country: str
    name: str
    forms: tuple[str, ...]


def load_entries(path: Path = GAZETTEER) -> list[Entry]:
    """Read the gazetteer TSV (header line, ``#`` comments allowed)."""
    entries: list[Entry] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != COLUMNS:
            raise ValueError(f"{path}: header must be the columns {', '.join(COLUMNS)}")
        for number, row in enumerate(reader, start=2):
            if len(row) != len(COLUMNS):
                raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated columns, got {len(row)}")
            forms = tuple(f.strip() for f in row[4].split("|") if f.strip())
            entries.append(Entry(row[0].strip(), row[1].strip(), row[2].strip(), row[3].strip(), forms))
    return entries


def _words(text: str) -> list[str]:
    words = []
    for start, end in icu_word_spans(text):
        word = normalize_word(_APOSTROPHE_SPLIT.sub("", text[start:end]))
        if word:
            words.append(word)
    return words


def form_keys(text: str) -> frozenset[str]:
    """The keys under which a name form (or a query word/phrase) is looked up.

    ``"Nur-Sultan"`` and ``"Нұр-Сұлтанда"`` both give ``"nursultan"``; single words give their
    key forms (full, ending stripped, Kazakh stem).
    """
    words = _words(text)
    if not words:
        return frozenset()
    if len(words) == 1:
        return frozenset(key_forms(words[0]))
    head = "".join(spelling_key(w) for w in words[:-1])
    return frozenset(head + tail for tail in key_forms(words[-1]))


class AliasTable:
    """Lookup from any name form to its gazetteer entries."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._by_key: dict[str, set[int]] = {}
        for index, entry in enumerate(entries):
            for form in entry.forms:
                for key in form_keys(form):
                    self._by_key.setdefault(key, set()).add(index)

    def lookup(self, text: str) -> list[Entry]:
        """Entries one of whose forms ``text`` is (in any script, spelling or inflection)."""
        found: set[int] = set()
        for key in form_keys(text):
            found |= self._by_key.get(key, set())
        return [self.entries[i] for i in sorted(found)]

    def expansions(self, text: str) -> list[str]:
        """The other forms of every entry ``text`` names, without those it already covers.

        A multi-word form that contains a searched one-word form ("Republic of Kazakhstan"
        next to "Kazakhstan") can only match documents the shorter form matches already: it is
        left out, which keeps frequent names from turning into dozens of phrase queries.
        """
        own = form_keys(text)
        forms: list[str] = []
        for entry in self.lookup(text):
            for form in entry.forms:
                if form not in forms and not (form_keys(form) & own):
                    forms.append(form)
        single_word_keys = set(own) if len(_words(text)) == 1 else set()
        for form in forms:
            if len(_words(form)) == 1:
                single_word_keys |= form_keys(form)
        return [
            form
            for form in forms
            if len(words := _words(form)) == 1 or not any(form_keys(word) & single_word_keys for word in words)
        ]


@lru_cache(maxsize=1)
def default_alias_table() -> AliasTable:
    """The table built from the packaged gazetteer (loaded once per process)."""
    return AliasTable(load_entries())
