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


QUESTION = "what is the wheat harvest of the steppe"


def test_question_ranks_articles_with_every_word_first(tmp_path):
    records = [
        {"id": "some", "title": "Wheat wheat wheat", "body": f"wheat harvest {FILLER}"},
        {"id": "every", "title": "Report", "body": f"{FILLER} wheat {FILLER} harvest on the steppe"},
        {"id": "function", "title": "What is the", "body": f"what is of the {FILLER}"},
    ]
    engine = engine_for(tmp_path, records, recency_weight=0.0)
    result = engine.search(SearchParams(q=QUESTION, per_page=20))
    assert [h.id for h in result.hits] == ["every", "some"] and result.total == 2
    assert result.relaxed is False  # an article has every word
    assert "<mark>steppe</mark>" in result.hits[0].snippet and "<mark>the</mark>" not in result.hits[0].snippet


def test_question_is_relaxed_when_no_article_has_every_word(tmp_path):
    records = [
        {"id": "wheat", "title": "Report", "body": f"wheat {FILLER}"},
        {"id": "harvest", "title": "Report", "body": f"harvest harvest {FILLER}"},
    ]
    result = engine_for(tmp_path, records, recency_weight=0.0).search(SearchParams(q=QUESTION))
    assert result.relaxed is True and {h.id for h in result.hits} == {"wheat", "harvest"}


def test_a_word_asked_twice_weighs_more(tmp_path):
    records = [
        {"id": "barley", "title": "Report", "body": f"barley {FILLER}"},
        {"id": "wheat", "title": "Report", "body": f"wheat {FILLER}"},
    ]
    engine = engine_for(tmp_path, records, recency_weight=0.0)
    assert ranking(engine, "is wheat better than barley for wheat growers") == ["wheat", "barley"]
    assert ranking(engine, "is barley better than wheat for barley growers") == ["barley", "wheat"]


def test_question_ranking_can_be_turned_off(tmp_path):
    records = [
        {"id": "every", "title": "Report", "body": f"wheat harvest steppe tractors ploughing {FILLER}"},
        {"id": "four", "title": "Report", "body": f"wheat harvest steppe tractors {FILLER}"},
    ]
    q = "wheat harvest steppe tractors ploughing"
    assert ranking(engine_for(tmp_path / "on", records, recency_weight=0.0), q) == ["every", "four"]
    assert ranking(engine_for(tmp_path / "off", records, recency_weight=0.0, question_words=0), q) == ["every"]


def test_question_skips_replaced_documents(tmp_path):
    from indexer.cli import update

    records = [
        {"id": "a", "title": "Report", "body": f"wheat harvest on the steppe {FILLER}"},
        {"id": "b", "title": "Report", "body": f"barley {FILLER}"},
    ]
    engine = engine_for(tmp_path, records, recency_weight=0.0)
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({"id": "a", "title": "Report", "body": f"wheat only {FILLER}"}) + "\n", encoding="utf-8")
    update([changed], tmp_path / "ix", prune=False, max_skip_ratio=0.5, progress=False)
    fresh = SearchEngine(IndexProvider(engine.config.index_dir), engine.config)
    result = fresh.search(SearchParams(q=QUESTION, per_page=20))
    assert [h.id for h in result.hits] == ["a"] and result.total == 1 and result.relaxed is True


def test_question_past_the_deadline_is_partial(tmp_path):
    records = [{"id": "every", "title": "Report", "body": f"wheat harvest steppe {FILLER}"}]
    engine = engine_for(tmp_path, records, recency_weight=0.0, time_limit=0.0)
    result = engine.search(SearchParams(q=QUESTION))
    assert result.partial is True


def test_question_postings_and_lengths_match_whoosh(fixture_index):
    from whoosh.util.numeric import length_to_byte

    from search.query import _length_bytes, _postings

    reader = IndexProvider(fixture_index).snapshot().searcher.reader()
    leaves = [(reader, 0)] if reader.is_atomic() else list(reader.leaf_readers())
    checked = 0
    for leaf, _ in leaves:
        for name in ("body", "title_exact", "body_key"):
            lengths = _length_bytes(leaf, name)
            assert len(lengths) == leaf.doc_count_all()
            assert all(lengths[d] == length_to_byte(leaf.doc_field_length(d, name, 0)) for d in range(leaf.doc_count_all()))
            for text in list(leaf.field_terms(name))[:200]:
                m = leaf.postings(name, text)
                expected = []
                while m.is_active():
                    expected.append((m.id(), m.weight()))
                    m.next()
                assert list(_postings(leaf, name, text)) == expected, (name, text)
                checked += 1
    assert checked > 100


def test_stem_matches_outrank_short_key_only_matches(tmp_path):
    # "Вольф" and "Wolff" meet "wolf" only through the cross-script key; the long article
    # about wolves meets it through the English stem and must come first despite its length.
    records = [
        {"id": "wolves", "title": "Steppe wildlife", "body": f"{FILLER} Herders report wolves near the camps. {FILLER} {FILLER}"},
        {"id": "volf", "title": "Вольф Мессинг", "body": "Вольф Мессинг выступил."},
        {"id": "wolff", "title": "Wolff", "body": "Jonathan Wolff said."},
    ]
    engine = engine_for(tmp_path, records, recency_weight=0.0)
    ranked = ranking(engine, "wolf")
    assert ranked[0] == "wolves"
    assert set(ranked) == {"wolves", "volf", "wolff"}  # key-only matches still count, below
