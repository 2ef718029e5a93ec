"""The speed-run query list: the committed news queries plus the public evaluation's query texts.

Fixed and committed so that runs on different days and machines time the same work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.corpora import EvalSet

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


def speed_queries(evalset: EvalSet) -> list[Query]:
    """News queries first, then the evaluation texts (deduplicated, order kept)."""
    seen: set[str] = set()
    out = []
    for query in [*news_queries(), *(Query(q.text, q.lang, q.family) for q in evalset.queries)]:
        if query.text not in seen:
            seen.add(query.text)
            out.append(query)
    return out
