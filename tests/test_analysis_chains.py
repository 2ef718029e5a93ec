"""The fused chains emit exactly what their compositions emit: terms, positions, offsets."""

from __future__ import annotations

import gzip
import itertools
import json
import pickle

import pytest
from whoosh.formats import Positions

from indexer.analysis import document_language
from indexer.analysis.analyzers import (
    exact_analyzer,
    exact_composition,
    key_analyzer,
    key_composition,
    stem_analyzer,
    stem_composition,
)
from indexer.analysis.chains import ChainAnalyzer, ChainPositions
from tests.conftest import shared_or_skip

CHAINS = [
    ("exact", exact_analyzer, exact_composition),
    ("stem", stem_analyzer, stem_composition),
    ("key", key_analyzer, key_composition),
]
HAND_WRITTEN = [
    "Тоқаевтың Нұр-Сұлтанға сапары: Kassym-Jomart Tokayev met Zhaparov in Bishkek.",
    "Qazaqstan'ın eñ iri banki __Путин__ **Бейрута** бiз Kаzakhstan 😀\ufe0f Токаев\ufe0f",
    "Банктері банков banks wolves, Астана Астане Астаны — 2025 жылғы 29 наурыз.",
    "",
    "\ufe0f",
    "s'ymkent Shymkent Şymkent Sımkent qazaqstannyń",
]


def _emitted(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, mode="index", **kwargs)]


@pytest.mark.parametrize(("kind", "fused", "composed"), CHAINS)
@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_fused_equals_composition_on_hand_written_text(kind, fused, composed, lang):
    for text in HAND_WRITTEN:
        with document_language(lang):
            assert _emitted(fused(), text) == _emitted(composed(), text), (kind, text)


@pytest.mark.parametrize(("kind", "fused", "composed"), CHAINS)
def test_fused_equals_composition_with_offsets_and_untokenized(kind, fused, composed):
    text = "Тоқаев пен Токаев"
    assert _emitted(fused(), text, start_pos=5, start_char=100) == _emitted(composed(), text, start_pos=5, start_char=100)
    assert [t.text for t in fused()(text, tokenize=False)] == [t.text for t in composed()(text, tokenize=False)]


def test_chain_positions_writes_the_same_postings_as_whoosh_positions():
    text = "Банктері банков банк Банк Тоқаев Токаев Tokayev Тоқаевтың"
    for analyzer in (stem_analyzer(), key_analyzer(), exact_analyzer()):
        ours = sorted(ChainPositions().word_values(text, analyzer, mode="index"))
        theirs = sorted(Positions().word_values(text, analyzer, mode="index"))
        assert ours == theirs
        assert any(freq > 1 for _, freq, _, _ in ours)  # repeated terms really are grouped


def test_chain_analyzer_pickles_and_rejects_unknown_kinds():
    for kind in ("exact", "stem", "key"):
        restored = pickle.loads(pickle.dumps(ChainAnalyzer(kind)))
        assert restored == ChainAnalyzer(kind) and restored != ChainAnalyzer("exact" if kind != "exact" else "key")
    with pytest.raises(ValueError, match="unknown chain"):
        ChainAnalyzer("soundex")


@pytest.mark.shared
def test_fused_equals_composition_on_real_corpus_text():
    corpus = shared_or_skip() / "corpus"
    checked = 0
    for name, lang in (
        ("kk_kaznerd_sentences.jsonl.gz", "kk"),
        ("ru_telegram_news_posts.jsonl.gz", "ru"),
        ("en_whitehouse_central_asia.jsonl.gz", "en"),
        ("ky_24kg_topics.jsonl.gz", "ky"),
    ):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as lines:
            for line in itertools.islice(lines, 60):
                body = json.loads(line)["body"][:3000]
                for doc_lang in (lang, None):
                    with document_language(doc_lang):
                        for _kind, fused, composed in CHAINS:
                            assert _emitted(fused(), body) == _emitted(composed(), body)
                checked += 1
    assert checked == 240


def _grouped_composition(composed, text):
    grouped: dict[str, list[int]] = {}
    for token in composed()(text, positions=True, mode="index"):
        grouped.setdefault(token.text, []).append(token.pos)
    return {term: sorted(poses) for term, poses in grouped.items()}


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_index_positions_are_the_compositions_tokens_grouped(lang):
    # The index path groups by word first and merges the lists of words sharing a term.
    for text in [*HAND_WRITTEN, "Y-In in In", "Банк банки банков банк — Tokayev-Tokayev"]:
        with document_language(lang):
            for kind, fused, composed in CHAINS:
                assert fused().positions(text) == _grouped_composition(composed, text), (kind, text)


def test_positions_merged_from_several_words_stay_ascending():
    # The compound "YIn" (keyed "in") is emitted after its part "In" but at the position of "Y":
    # in emission order the key's positions would run 0, 3, 2.
    positions = key_analyzer().positions("in the Y-In")
    assert positions["in"] == [0, 2, 3]
    stems = stem_analyzer().positions("банков банк банки")
    assert stems["банк"] == [0, 1, 2]


def test_word_positions_groups_every_tokenizer_form():
    from indexer.analysis.tokenizer import word_forms, word_positions

    for text in [*HAND_WRITTEN, "snake_case __Путин__ 𝔘nicode Nur-Sultan's"]:
        expected: dict[str, list[int]] = {}
        for form, _start, _end, pos in word_forms(text):
            expected.setdefault(form, []).append(pos)
        assert word_positions(text) == expected, text


@pytest.mark.shared
def test_index_positions_equal_composition_on_real_corpus_text():
    corpus = shared_or_skip() / "corpus"
    checked = 0
    files = (("kk_kaznerd_sentences.jsonl.gz", "kk"), ("ru_telegram_news_posts.jsonl.gz", "ru"))
    files += (("en_reuters21578.jsonl.gz", "en"),)
    for name, lang in files:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as lines:
            for line in itertools.islice(lines, 40):
                body = json.loads(line)["body"][:3000]
                with document_language(lang):
                    for kind, fused, composed in CHAINS:
                        assert fused().positions(body) == _grouped_composition(composed, body), (kind, body[:60])
                checked += 1
    assert checked == 120


def test_word_tables_stay_bounded_and_keep_words_in_use():
    from indexer.analysis.chains import WordTables

    tables = WordTables(limit=4)
    for i in range(20):
        tables.terms(f"слово{i}", "ru")
        tables.terms("банк", "ru")  # in use all along: moved to every new generation
    held = sum(len(d) for gen in (tables.recent, tables.older) for d in gen.values())
    assert held <= 2 * 4
    recent, older = tables.generations("ru")
    assert "банк" in recent or "банк" in older
    assert tables.terms("банк", "ru")[:2] == (("банк",), ("банк",))
    assert "слово0" not in recent and "слово0" not in older
