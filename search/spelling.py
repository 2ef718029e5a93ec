"""``did_you_mean``: a nearby spelling that finds more, for queries with few or no hits.

Only words the index does not know are corrected, from the unstemmed indexed words of the same
script (Whoosh's edit-distance corrector, distance ≤ 2, first letter kept), and a correction
is offered only when the corrected query really finds more articles. Cross-script names the
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

FEW_HITS = 3
_PLAIN_WORD = re.compile(r"^[^\W\d_][^\W_]*$")


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
    for suggestion in searcher.corrector("body_exact").suggest(folded, limit=1, maxdist=2, prefix=1):
        return suggestion
    key = spelling_key(folded)
    near = [(edit_distance(key, k), form) for k, form in _gazetteer_words().items() if abs(len(key) - len(k)) <= 1]
    best = min(((d, form) for d, form in near if d <= 1), default=None)
    return best[1] if best else None


def did_you_mean(searcher: Searcher, q: str, total: int, count: Callable[[str], int]) -> str | None:
    """A better query for ``q`` (``count`` tells how many articles a query finds), or ``None``."""
    if total >= FEW_HITS:
        return None
    tokens = q.split()
    if not tokens or len(tokens) > 6:
        return None
    changed = False
    corrected = []
    for token in tokens:
        replacement = _correct_word(searcher, token) if _PLAIN_WORD.match(token) else None
        if replacement and replacement != normalize_word(token):
            corrected.append(replacement)
            changed = True
        else:
            corrected.append(token)
    if not changed:
        return None
    candidate = " ".join(corrected)
    return candidate if count(candidate) > total else None
