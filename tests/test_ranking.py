"""Ranking signals on tiny hand-made corpora where only one signal differs."""

from __future__ import annotations

import json
from pathlib import Path

from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.params import SearchParams
from tests.conftest import build_index

FILLER = " ".join(f"filler{i}" for i in range(60))


def engine_for(tmp_path: Path, records: list[dict], **settings: object) -> SearchEngine:
    tmp_path.mkdir(parents=True, exist_ok=True)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    root = build_index([feed], tmp_path / "ix")
    config = Config.from_env({}, index_dir=str(root), **settings)
    return SearchEngine(IndexProvider(config.index_dir), config)


def ranking(engine: SearchEngine, q: str) -> list[str]:
    return [h.id for h in engine.search(SearchParams(q=q, per_page=20)).hits]


def test_words_close_together_rank_higher(tmp_path):
    records = [
        {"id": "apart", "title": "Report", "body": f"wheat {FILLER} harvest"},
        {"id": "together", "title": "Report", "body": f"wheat harvest {FILLER}"},
    ]
    assert ranking(engine_for(tmp_path, records, recency_weight=0.0), "wheat harvest") == ["together", "apart"]


def test_title_beats_lead_beats_body(tmp_path):
    records = [
        {"id": "body", "title": "Report", "body": f"{FILLER}\n\n{FILLER} Baikonur {FILLER}"},
        {"id": "lead", "title": "Report", "body": f"Baikonur {FILLER}\n\n{FILLER} {FILLER}"},
        {"id": "title", "title": "Baikonur report", "body": f"{FILLER}\n\n{FILLER} {FILLER}"},
    ]
    assert ranking(engine_for(tmp_path, records, recency_weight=0.0), "Baikonur") == ["title", "lead", "body"]


def test_recency_boost_breaks_ties_and_can_be_turned_off(tmp_path):
    records = [
        {"id": "old", "title": "Aral Sea", "body": "The Aral Sea", "date": "2001-05-01"},
        {"id": "new", "title": "Aral Sea", "body": "The Aral Sea", "date": "2025-05-01"},
    ]
    assert ranking(engine_for(tmp_path, records), "Aral") == ["new", "old"]
    flat = engine_for(tmp_path / "flat", records, recency_weight=0.0).search(SearchParams(q="Aral"))
    assert flat.hits[0].score == flat.hits[1].score
