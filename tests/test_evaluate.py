"""The array evaluator gives Whoosh's own matches and BM25F scores for every query shape."""

from __future__ import annotations

import time

import numpy as np
import pytest
from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.collectors import TimeLimit

from search.errors import ParamError
from search.evaluate import Evaluator, SnapshotArrays
from search.index_provider import IndexProvider
from search.query import QueryCompiler, parse_query
from tests.conftest import QUERY_SHAPES

QUERIES = [*QUERY_SHAPES, "what did the president of Kazakhstan say about the new banking law this year"]


@pytest.fixture(scope="module")
def searcher(fixture_index):
    provider = IndexProvider(fixture_index)
    searcher = provider.snapshot().searcher
    searcher.weighting = scoring.BM25F(B=0.75, K1=1.2, title_B=0.5)
    yield searcher
    provider.close()


def _whoosh_scores(searcher, q):
    collector = collectors.UnlimitedCollector()
    searcher.search_with_collector(q, collector)
    found = {docnum: score for score, docnum in collector.results().top_n}
    if isinstance(q, wq.AndNot):  # Whoosh 2.7's AndNot matcher can keep a document the excluded part matches
        excluded = set(searcher.docs_for_query(q.b))
        found = {d: s for d, s in found.items() if d not in excluded}
    return found


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("exact", [False, True])
def test_matches_and_scores_equal_whoosh(searcher, text, exact):
    try:
        compiled = QueryCompiler().compile(parse_query(text, 32), searcher.reader(), exact=exact)
    except ParamError:
        pytest.skip("nothing searchable")  # pragma: no cover - every listed query has words
    arrays = SnapshotArrays(searcher)
    for q in (compiled.strict, compiled.relaxed):
        if q is None:
            continue
        expected = _whoosh_scores(searcher, q)
        got = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(q)
        assert set(got.docnums().tolist()) == set(expected), (text, q)
        for docnum, score in expected.items():
            assert got.scores[docnum] == pytest.approx(score, rel=1e-9), (text, docnum)


def test_generic_shapes(searcher):
    arrays = SnapshotArrays(searcher)
    cases = [
        wq.Every(),
        wq.Not(wq.Term("body_exact", "astana")),
        wq.And([wq.Term("lang", "ru"), wq.ConstantScoreQuery(wq.Term("body", "банк"), 2.5)]),
        wq.Require(wq.Term("body_exact", "tokayev"), wq.Term("lang", "en")),
        wq.DisjunctionMax([wq.Term("body_exact", "astana"), wq.Term("body_exact", "tokayev")]),
        wq.Or([wq.Term("body_exact", "astana", boost=3.0), wq.Term("title_exact", "astana")], boost=2.0),
        wq.Or([wq.Term("body_exact", "astana")], boost=5.0),  # Whoosh ignores a one-child boost
        wq.Term("no_such_field", "x"),
    ]
    for q in cases:
        expected = _whoosh_scores(searcher, q)
        got = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(q)
        assert set(got.docnums().tolist()) == set(expected), q
        assert np.allclose([got.scores[d] for d in expected], list(expected.values()), rtol=1e-9), q
    assert Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(wq.NullQuery).count() == 0
    # A filter (constant score 0) adds nothing; Whoosh's ListMatcher reads the falsy 0.0 as "no
    # constant" and adds 1.0 instead (the same for every match, so the order is the same).
    filtered = wq.And([wq.Term("body_exact", "astana"), wq.ConstantScoreQuery(wq.Term("lang", "en"), 0.0)])
    alone = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(wq.Term("body_exact", "astana"))
    got = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(filtered)
    assert got.count() and np.allclose(got.scores[got.mask], alone.scores[got.mask])


def test_evaluation_respects_the_deadline(searcher):
    with pytest.raises(TimeLimit):
        evaluator = Evaluator(SnapshotArrays(searcher), searcher, searcher.weighting, time.perf_counter() - 1)
        evaluator.matches(wq.Term("body", "банк"))


def test_optional_bonus_only_for_the_best_required_matches(searcher, monkeypatch):
    import search.evaluate

    arrays = SnapshotArrays(searcher)
    required = wq.Or([wq.Term("lang", "en"), wq.Term("lang", "ru")])
    bonus = wq.Term("lang", "en", boost=100.0)
    q = wq.AndMaybe(required, bonus)
    full = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(q)
    base = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(required)
    boosted = set(np.flatnonzero(full.scores > base.scores + 1e-9).tolist())
    assert len(boosted) >= 2
    monkeypatch.setattr(search.evaluate, "OPTIONAL_CANDIDATES", 1)
    limited = Evaluator(arrays, searcher, searcher.weighting, time.perf_counter() + 30).matches(q)
    assert set(limited.docnums().tolist()) == set(full.docnums().tolist())  # matching is unchanged
    best = int(base.docnums()[np.argmax(base.scores[base.docnums()])])
    assert set(np.flatnonzero(limited.scores > base.scores + 1e-9).tolist()) <= {best}


@pytest.mark.parametrize("slop", [0, 1, 3])
def test_vectorised_two_word_rule_equals_whooshs_span_rule(slop):
    from search.evaluate import _ordered_pairs_within, _span_tree

    rng = np.random.default_rng(slop)
    count = 200
    first = (rng.integers(0, count, 600), rng.integers(0, 40, 600))
    second = (rng.integers(0, count, 600), rng.integers(0, 40, 600))
    got = _ordered_pairs_within(first, second, slop, count)
    for doc in range(count):
        spans = [[(p, p) for p in sorted(set(positions[index == doc].tolist()))] for index, positions in (first, second)]
        assert got[doc] == bool(_span_tree(spans, slop, True)), doc
