"""Running judged queries through an engine and scoring the rankings.

Classic collections get their queries as plain words (no engine reads an IR question's
punctuation as syntax); the public Steppe evaluation's queries go to every engine as the
speed runs send them (Steppe: text as typed; peers: its words).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping

from bench import metrics
from bench.corpora import EvalSet, IRCollection
from bench.engines.base import COUNT, Searcher, query_words

IR_DEPTH = 100


def ranked(searcher: Searcher, queries: Mapping[str, str], k: int) -> tuple[dict[str, list[str]], int]:
    """Top-``k`` ids per query id (``count`` mode where the engine has it: ranking is the same).

    Also returns how many answers were partial (Steppe's time limit cut the search short).
    """
    mode = COUNT if COUNT in searcher.modes else searcher.modes[-1]
    runs, partial = {}, 0
    for qid, text in queries.items():
        result = searcher.search(text, mode, k)
        runs[qid] = result.ids
        partial += result.partial
    return runs, partial


def score_ir(searcher: Searcher, collection: IRCollection) -> dict[str, float]:
    """Mean nDCG@10 / MAP@100 / MRR@10 (what the collection's spec lists) over judged queries."""
    plain = {qid: " ".join(query_words(text)) for qid, text in collection.queries.items()}
    started = time.perf_counter()
    runs, partial = ranked(searcher, plain, collection.spec.depth)
    seconds = time.perf_counter() - started
    out: dict[str, float] = {}
    for metric in collection.spec.metrics:
        per_query = []
        for qid, judged in collection.qrels.items():
            ranking = runs.get(qid, [])
            if metric == "ndcg@10":
                per_query.append(metrics.ndcg_at(ranking, judged, 10))
            elif metric == "map@100":
                per_query.append(metrics.average_precision(ranking, judged, 100))
            elif metric == "mrr@10":
                per_query.append(metrics.reciprocal_rank(ranking, judged, 10))
        out[metric] = metrics.mean(per_query)
    out["queries"] = float(len(collection.qrels))
    out["partial"] = float(partial)
    out["mean_s"] = seconds / max(1, len(plain))
    return out


def score_eval(searcher: Searcher, evalset: EvalSet, present: set[str] | None = None) -> dict[str, dict[str, float]]:
    """Recall@100 per family (neutral documents removed first), and per-family query counts.

    ``present``: ids in the indexed corpus; on a subsample, judgments are restricted to them
    and queries left without a relevant document are not scored.
    """
    texts = {q.qid: q.text for q in evalset.queries}
    depth = IR_DEPTH + max((len(v) for v in evalset.neutral.values()), default=0)
    runs, _ = ranked(searcher, texts, depth)
    by_family: dict[str, list[float]] = defaultdict(list)
    for query in evalset.queries:
        relevant = evalset.relevant.get(query.qid, set())
        if present is not None:
            relevant = relevant & present
        if not relevant:
            continue
        neutral = evalset.neutral.get(query.qid, set())
        ranking = [d for d in runs[query.qid] if d not in neutral][:IR_DEPTH]
        by_family[query.family].append(metrics.recall_at(ranking, relevant, IR_DEPTH))
    return {family: {"recall@100": metrics.mean(v), "queries": float(len(v))} for family, v in sorted(by_family.items())}
