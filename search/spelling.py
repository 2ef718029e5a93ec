"""``did_you_mean``: a nearby spelling that finds more, for queries with few or no hits.

Only words the index does not know are corrected, from the unstemmed indexed words of the same
script (Whoosh's edit-distance corrector, distance ≤ 2, first letter kept; the nearest spelling
wins, a swap of two letters counting as one edit, then the most frequent). All-caps tokens
(acronyms, tickers: USD, KZT) and words of three letters or fewer are never corrected: too many
words are that near to them. A correction is offered only when the corrected query finds clearly
more articles: at least ``MIN_GAIN`` times as many, and at least one. Cross-script names the
reader misspells (Tokaeyv) are corrected against the gazetteer's forms by their spelling key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from whoosh.searching import Searcher

from indexer.analysis.aliases import load_entries
from indexer.analysis.distance import edit_distance
from indexer.analysis.fold import normalize_word
from indexer.analysis.translit import spelling_key
from search.query import split_colons

FEW_HITS = 3
MIN_GAIN = 3
MIN_LETTERS = 4
CANDIDATES = 10
_PLAIN_WORD = re.compile(r"^[^\W\d_][^\W_]*$")


def _correctable(token: str) -> bool:
    """A plain word of four letters or more that is not all capitals."""
    return bool(_PLAIN_WORD.match(token)) and len(token) >= MIN_LETTERS and not token.isupper()


def _swap_distance(a: str, b: str) -> int:
    """Edit distance where swapping two neighbouring letters is one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


@lru_cache(maxsize=1)
def _gazetteer_words() -> dict[str, str]:
    """Spelling key → a displayable one-word form of the gazetteer (Tokayev, Astana...)."""
    words: dict[str, str] = {}
    for entry in load_entries():
        for form in entry.forms:
            if " " not in form and "-" not in form:
                words.setdefault(spelling_key(normalize_word(form)), form)
    return words


def _correct_word(searcher: Searcher, word: str) -> str | None:
    folded = normalize_word(word)
    reader = searcher.reader()
    if any((field, folded) in reader for field in ("title_exact", "body_exact")):
        return None
    # Whoosh ranks its candidates by frequency alone; the nearest spelling should win
    candidates = searcher.corrector("body_exact").suggest(folded, limit=CANDIDATES, maxdist=2, prefix=1)
    if candidates:
        return min(candidates, key=lambda c: _swap_distance(folded, c))  # min is stable: most frequent on ties
    key = spelling_key(folded)
    near = [(edit_distance(key, k), form) for k, form in _gazetteer_words().items() if abs(len(key) - len(k)) <= 1]
    best = min(((d, form) for d, form in near if d <= 1), default=None)
    return best[1] if best else None


def did_you_mean(searcher: Searcher, q: str, total: int, count: Callable[[str], int]) -> str | None:
    """A better query for ``q`` (``count`` tells how many articles a query finds), or ``None``."""
    if total >= FEW_HITS:
        return None
    tokens = split_colons(q).split()
    if not tokens or len(tokens) > 6:
        return None
    changed = False
    corrected = []
    for token in tokens:
        replacement = _correct_word(searcher, token) if _correctable(token) else None
        if replacement and replacement != normalize_word(token):
            corrected.append(replacement)
            changed = True
        else:
            corrected.append(token)
    if not changed:
        return None
    candidate = " ".join(corrected)
    return candidate if count(candidate) >= max(1, MIN_GAIN * total) else None
