"""The speed-run query list: committed news queries, the public evaluation's texts, and title words.

The first two are fixed and committed. The rest (up to :data:`SPEED_QUERIES`) are drawn, with a
fixed seed, from the titles of the main corpus: one to three neighbouring words of a real
headline, or two of them as a quoted phrase, in every language the corpus has, so that the set
has the mix of a real search box (mostly short queries, many names, four languages) rather than
the handful of words a person would think of. Same corpus and seed, same queries.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.corpora import Doc, EvalSet

SPEED_QUERIES = 500
MIN_WORD = 4  # shorter title words are mostly function words in all four languages
_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD},}}")
# How many words a drawn query has, and how often (a phrase is two quoted words).
_SHAPES = (("word", 1, 40), ("two", 2, 30), ("three", 3, 15), ("phrase", 2, 15))

NEWS_QUERIES = Path(__file__).with_name("news_queries.tsv")


@dataclass(frozen=True)
class Query:
    """One timed query and where it comes from."""

    text: str
    lang: str
    kind: str  # word, two, three, name, latin, or the evaluation family


def news_queries(path: Path = NEWS_QUERIES) -> list[Query]:
    """The committed news queries (``lang<TAB>kind<TAB>text``; ``#`` lines are comments)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, kind, text = line.split("\t", 2)
        out.append(Query(text.strip(), lang, kind))
    return out


def title_queries(docs: Sequence[Doc], n: int, seed: int) -> list[Query]:
    """``n`` queries of neighbouring title words (see the module docstring), seeded."""
    rng = random.Random(seed)
    titled = [d for d in docs if len(_WORD.findall(d.title)) >= 1]
    shapes = [shape for shape in _SHAPES for _ in range(shape[2])]
    out: list[Query] = []
    seen: set[str] = set()
    attempts = 0
    while len(out) < n and titled and attempts < n * 50:
        attempts += 1
        doc = rng.choice(titled)
        words = _WORD.findall(doc.title)
        kind, size, _ = rng.choice(shapes)
        if len(words) < size:
            continue
        start = rng.randrange(len(words) - size + 1)
        text = " ".join(words[start : start + size])
        if kind == "phrase":
            text = f'"{text}"'
        if text.lower() not in seen:
            seen.add(text.lower())
            out.append(Query(text, doc.lang, f"title-{kind}"))
    return out


def speed_queries(evalset: EvalSet, docs: Sequence[Doc] = (), total: int = SPEED_QUERIES, seed: int = 0) -> list[Query]:
    """News queries first, then the evaluation texts, then title queries up to ``total`` (deduplicated)."""
    seen: set[str] = set()
    out = []
    fixed = [*news_queries(), *(Query(q.text, q.lang, q.family) for q in evalset.queries)]
    for query in [*fixed, *title_queries(docs, max(0, total - len(fixed)) * 2, seed)]:
        if len(out) >= max(total, len(fixed)):
            break
        if query.text not in seen:
            seen.add(query.text)
            out.append(query)
    return out
