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


def test_an_index_rebuilt_in_the_same_directory_gets_fresh_arrays(tmp_path):
    # The same root, generation name and commit number, other documents: the per-snapshot
    # arrays of the first index must not serve the second (the bench's growth points did).
    import shutil

    import search.engine
    from tests.conftest import CORPUS, DEMO_CRAWL

    root = tmp_path / "index"
    params = SearchParams(q="Astana OR Kazakhstan OR Tokayev OR Bishkek", per_page=50, facets=("lang", "country"))
    totals = []
    for sources in ([DEMO_CRAWL], [CORPUS, DEMO_CRAWL]):
        shutil.rmtree(root, ignore_errors=True)
        build_index(sources, root)
        config = Config.from_env({}, index_dir=str(root))
        served = SearchEngine(IndexProvider(config.index_dir), config).search(params)
        search.engine._SHARED.clear()
        fresh = SearchEngine(IndexProvider(config.index_dir), config).search(params)
        assert served.total == fresh.total
        assert [h.id for h in served.hits] == [h.id for h in fresh.hits]
        totals.append(served.total)
    assert totals[1] > totals[0]
