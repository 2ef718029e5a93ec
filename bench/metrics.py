"""Relevance metrics, trec_eval conventions, as pure functions of a ranking and judgments.

Gains are linear (nDCG's DCG sums ``gain / log2(rank + 1)``); average precision divides by all
relevant documents, not only those retrieved; recall@k divides by ``min(R, k)`` as the
public Steppe evaluation does, so a query with more than k relevant documents can still
reach 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def dcg(gains: Iterable[float]) -> float:
    """Discounted cumulative gain of gains in rank order."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k; the ideal ranking takes the best ``k`` judged gains."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg(judged.get(doc, 0.0) for doc in ranking[:k]) / ideal


def average_precision(ranking: Sequence[str], relevant: Iterable[str], k: int = 100) -> float:
    """AP@k: mean of precision at each relevant rank within ``k``, over all relevant documents."""
    rel = set(relevant)
    if not rel:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranking[:k], start=1):
        if doc in rel:
            hits += 1
            total += hits / i
    return total / len(rel)


def reciprocal_rank(ranking: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """1 / rank of the first relevant document within ``k``, else 0."""
    rel = set(relevant)
    for i, doc in enumerate(ranking[:k], start=1):
        if doc in rel:
            return 1.0 / i
    return 0.0


def recall_at(ranking: Sequence[str], relevant: Iterable[str], k: int = 100) -> float:
    """Share of relevant documents in the top ``k``, out of ``min(R, k)``."""
    rel = set(relevant)
    if not rel:
        return 0.0
    return len(rel.intersection(ranking[:k])) / min(len(rel), k)


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; NaN for nothing (so an empty family is visible, not zero)."""
    vals = list(values)
    return sum(vals) / len(vals) if vals else float("nan")
