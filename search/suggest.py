"""Search-as-you-type: entity names, frequent indexed words and titles completing a prefix.

Entities come from the gazetteer and match on the cross-script spelling key, so "Tok" and
"Ток" both offer *Kassym-Jomart Tokayev*. Words come from the exact-spelling lexicon, most
frequent first; titles from a prefix search on title words.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.searching import Searcher

from indexer.analysis.aliases import Entry, load_entries
from indexer.analysis.fold import normalize_word
from indexer.analysis.translit import spelling_key

MIN_PREFIX = 2
MAX_EXPANSION = 50  # indexed words looked at per field for a prefix (each costs a lexicon lookup)
TITLE_TERMS = 3  # most frequent title completions whose articles are offered
TITLES = 3
ENTITY_TYPES = {"person": "person", "parliament": "org", "org": "org", "company": "org"}


@dataclass(frozen=True)
class Suggestion:
    """One completion and where it came from."""

    text: str
    kind: str  # entity | word | title
    id: str = ""


class Suggester:
    """Completions for a typed prefix; the entity table is built once per process."""

    def __init__(self, entries: list[Entry] | None = None) -> None:
        entries = entries if entries is not None else load_entries()
        self._forms: list[tuple[str, str, Entry]] = []
        for entry in entries:
            for form in entry.forms:
                folded = " ".join(normalize_word(w) for w in form.split())
                self._forms.append((folded, spelling_key(folded.replace(" ", "")), entry))

    def suggest(self, searcher: Searcher, text: str, limit: int = 8) -> list[Suggestion]:
        """Up to ``limit`` completions of ``text`` (empty below two letters)."""
        words = text.split()
        if not words or len("".join(words)) < MIN_PREFIX:
            return []
        prefix = " ".join(normalize_word(w) for w in words)
        out: list[Suggestion] = []
        seen: set[str] = set()

        def add(suggestion: Suggestion) -> None:
            if suggestion.text.lower() not in seen and len(out) < limit:
                seen.add(suggestion.text.lower())
                out.append(suggestion)

        key = spelling_key(prefix.replace(" ", ""))
        for folded, form_key, entry in self._forms:
            if folded.startswith(prefix) or (len(key) >= MIN_PREFIX and form_key.startswith(key)):
                add(Suggestion(entry.name, "entity", entry.id))
        last = normalize_word(words[-1])
        head = " ".join(words[:-1])
        reader = searcher.reader()
        frequency: dict[str, int] = {}
        in_titles: dict[bytes, int] = {}
        for field in ("title_exact", "body_exact"):
            for term in _take(reader.expand_prefix(field, last), MAX_EXPANSION):
                raw = term if isinstance(term, bytes) else term.encode("utf-8")
                count = reader.doc_frequency(field, raw)
                frequency[raw.decode("utf-8")] = frequency.get(raw.decode("utf-8"), 0) + count
                if field == "title_exact":
                    in_titles[raw] = count
        frequent = sorted(((count, word) for word, count in frequency.items()), reverse=True)
        for _, term in frequent[:limit]:
            add(Suggestion(f"{head} {term}".strip(), "word"))
        # Titles holding the most frequent title completions: read off their postings, unscored
        # (a scored prefix query over a two-letter prefix's thousands of words took seconds).
        docnums: list[int] = []
        for term, _ in sorted(in_titles.items(), key=lambda item: -item[1])[:TITLE_TERMS]:
            for docnum in _take(reader.postings("title_exact", term).all_ids(), TITLES):
                if docnum not in docnums:
                    docnums.append(docnum)  # type: ignore[arg-type]
            if len(docnums) >= TITLES:
                break
        for docnum in docnums[:TITLES]:
            stored = searcher.stored_fields(docnum)
            add(Suggestion(stored.get("title") or "", "title", stored.get("id") or ""))
        return out


def _take(iterable: object, n: int) -> list[object]:
    out = []
    for item in iterable:  # type: ignore[attr-defined]
        out.append(item)
        if len(out) >= n:
            break
    return out
