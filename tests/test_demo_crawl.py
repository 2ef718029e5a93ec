"""The demo crawl that `make run` serves: every article indexes, in every format and language."""

import json

from indexer.cli import build, stats
from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.params import SearchParams
from tests.conftest import DEMO_CRAWL


def test_demo_crawl_builds_completely(tmp_path):
    report = build([DEMO_CRAWL], tmp_path / "ix", max_skip_ratio=0.0, progress=False)
    assert report.skipped_total == 0
    assert report.indexed >= 30
    info = stats(tmp_path / "ix")
    assert {"en", "ru", "kk"} <= set(info["languages"])
    formats = {p.suffix for p in DEMO_CRAWL.rglob("*") if p.is_file() and p.suffix in {".txt", ".jsonl", ".html"}}
    assert formats == {".txt", ".jsonl", ".html"}
    latin = [json.loads(line) for line in (DEMO_CRAWL / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r.get("script") == "Latn" for r in latin)

    config = Config.from_env({}, index_dir=str(tmp_path / "ix"))
    engine = SearchEngine(IndexProvider(config.index_dir), config)
    # the ticker and pager of the raw pages never reach the index
    for q in ("USD", "KZT", '"Viewing results"'):
        assert engine.search(SearchParams(q=q)).total == 0, q
    # one name, four spellings, the same articles
    found = [
        {h.id for h in engine.search(SearchParams(q=q, per_page=50)).hits} for q in ("Tokayev", "Токаев", "Тоқаев", "Toqaev")
    ]
    assert found[0] == found[1] == found[2] == found[3] and len(found[0]) >= 5
