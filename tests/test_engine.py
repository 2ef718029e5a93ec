"""The engine on real news (../shared): exact totals whatever the page size."""

from __future__ import annotations

import pytest

from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.params import SearchParams
from search.query import QueryCompiler, parse_query
from tests.conftest import build_index, shared_or_skip

FILES = ("en_whitehouse_central_asia.jsonl.gz", "ru_factrueval2016.jsonl.gz", "en_kazakh_embassy_abai.jsonl.gz")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    corpus = shared_or_skip() / "corpus"
    root = build_index([corpus / name for name in FILES], tmp_path_factory.mktemp("news"))
    config = Config.from_env({}, index_dir=str(root))
    return SearchEngine(IndexProvider(config.index_dir), config)


@pytest.mark.shared
@pytest.mark.parametrize("q", ["Kazakhstan OR Uzbekistan", "Kazakhstan", "Астана", "Tokayev OR Россия"])
def test_total_is_exact_for_every_page_size(engine, q):
    # Whoosh's stock TopCollector prunes sub-queries that cannot reach the top N once the heap
    # is full, so with per_page=1 "Kazakhstan OR Uzbekistan" used to count 45 of 128 matches.
    totals = {pp: engine.search(SearchParams(q=q, per_page=pp)).total for pp in (1, 10, 100)}
    searcher = engine.provider.snapshot().searcher
    compiled = QueryCompiler().compile(parse_query(q), searcher.reader())
    expected = len(list(searcher.docs_for_query(compiled.strict)))
    assert set(totals.values()) == {expected} and expected > 10, totals
