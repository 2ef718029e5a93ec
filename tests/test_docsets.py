"""Match sets by set algebra equal what Whoosh's own matchers find, for every query shape."""

from __future__ import annotations

import time

import pytest
from whoosh import query as wq
from whoosh.collectors import TimeLimit

from search.docsets import DocSets
from search.index_provider import IndexProvider
from search.query import QueryCompiler, parse_query
from tests.conftest import QUERY_SHAPES

QUERIES = QUERY_SHAPES


@pytest.fixture(scope="module")
def searcher(fixture_index):
    provider = IndexProvider(fixture_index)
    yield provider.snapshot().searcher
    provider.close()


def _reference(searcher, q):
    """Whoosh's matchers, except for exclusions: Whoosh 2.7's AndNot matcher can let through a
    document that the excluded part matches (``банк -Астана`` kept an article naming Астана)."""
    if isinstance(q, wq.AndNot):
        return _reference(searcher, q.a) - _reference(searcher, q.b)
    return set(searcher.docs_for_query(q))


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("exact", [False, True])
def test_docsets_equal_whoosh_matches(searcher, text, exact):
    compiled = QueryCompiler().compile(parse_query(text, 32), searcher.reader(), exact=exact)
    sets = DocSets(searcher, deadline=time.perf_counter() + 30)
    for q in (compiled.strict, compiled.relaxed):
        if q is not None:
            assert sets.of(q) == _reference(searcher, q), (text, q)


def test_exclusion_removes_every_document_naming_the_excluded_word(searcher):
    compiled = QueryCompiler().compile(parse_query("банк -Астана", 32), searcher.reader(), exact=False)
    sets = DocSets(searcher, deadline=time.perf_counter() + 30)
    matched = sets.of(compiled.strict)
    assert matched and not matched & sets.of(compiled.strict.b)


def test_generic_shapes_and_filters(searcher):
    sets = DocSets(searcher, deadline=time.perf_counter() + 30)
    every = set(searcher.docs_for_query(wq.Every()))
    cases = [
        wq.Every(),
        wq.Not(wq.Term("body_exact", "astana")),
        wq.And([wq.Term("lang", "ru"), wq.ConstantScoreQuery(wq.Term("body", "банк"), 0.0)]),
        wq.Require(wq.Term("lang", "en"), wq.Term("body_exact", "tokayev")),
        wq.DisjunctionMax([wq.Term("lang", "kk"), wq.Term("lang", "ru")]),
        wq.Term("no_such_field", "x"),
        wq.NullQuery,
    ]
    for q in cases:
        assert sets.of(q) == (set(searcher.docs_for_query(q)) if q is not wq.NullQuery else set()), q
    assert sets.of(wq.Every()) == every and len(every) > 10


def test_docsets_respect_the_deadline(searcher):
    with pytest.raises(TimeLimit):
        DocSets(searcher, deadline=time.perf_counter() - 1).of(wq.Term("body", "банк"))
