"""The lean driver of slovnet's Russian NER against slovnet and razdel themselves (real models, no mocks).

The driver reorders float additions in the CNN, so activations may differ in the last digits;
what must not differ is razdel's tokens, slovnet's tags and the spans they make.
"""

from __future__ import annotations

import gzip
import itertools
import json

import numpy as np
import pytest
from natasha import NewsEmbedding, NewsNERTagger
from razdel import tokenize

from indexer.extract import _viterbi
from indexer.extract.russian_ner import RussianNER, razdel_tokens
from tests.conftest import shared_or_skip

# Written for these tests: every razdel join rule, its look past a space, and plain news prose.
TRICKY = [
    "cho-to cho- to -x word -x a--b a_b _x x_",
    "в 2020. 5 человек, 1,5 млн; 3/4 и 3\\4, 1.2.3",
    "Yahoo! yahoo!! :-) ;) =((( ... ?! !? -- ** *** …",
    "ΔP Δσ mβж СИЗО-6 2011-2020 Ivanов",
    "«Ромашка» (ТАСС) т.е. т.д. 10.12.2020 — тире – дефис",
    "",
    "   \n\t ",
    "x",
    "Вчера Ивану Сергеевичу Петрову вручили премию. Компания «Ромашка» промолчала.",
    "Президент России Владимир Путин встретился в Москве с главой МИД Казахстана. " * 5,
    "Х",
]


@pytest.fixture(scope="module")
def taggers():
    """slovnet's own tagger and the lean driver over a second, untouched copy of the same model."""
    return NewsNERTagger(NewsEmbedding()), RussianNER(NewsNERTagger(NewsEmbedding()))


def _razdel(text):
    return [(token.start, token.stop, token.text) for token in tokenize(text)]


def _slovnet_spans(tagger, text):
    return [(span.type, span.start, span.stop) for span in tagger(text).spans]


def _corpus_texts(limit):
    corpus = shared_or_skip() / "corpus"
    texts = []
    for name in ("ru_telegram_news_posts.jsonl.gz", "ru_factrueval2016.jsonl.gz", "ru_tengrinews_titles.jsonl.gz"):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as lines:
            for line in itertools.islice(lines, limit):
                record = json.loads(line)
                texts += [record.get("title") or "", record["body"][:4000]]
    return [text for text in texts if text.strip()]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_are_razdels(text):
    assert razdel_tokens(text) == _razdel(text)


def test_tokens_depend_on_the_atoms_past_a_space():
    # "2020." stays one token because an integer follows the point after the space (razdel's float rule)
    assert [t for _, _, t in razdel_tokens("в 2020. 5 человек")] == ["в", "2020.", "5", "человек"]
    assert [t for _, _, t in razdel_tokens("в 2020. Пять")] == ["в", "2020", ".", "Пять"]


@pytest.mark.shared
def test_tokens_are_razdels_on_real_corpus_text():
    texts = _corpus_texts(150)
    assert len(texts) > 300
    for text in texts:
        assert razdel_tokens(text) == _razdel(text)


@pytest.mark.parametrize("text", [t for t in TRICKY if t.strip()])
def test_spans_are_slovnets(taggers, text):
    reference, lean = taggers
    assert lean.spans(text) == _slovnet_spans(reference, text)


def test_spans_find_the_names(taggers):
    _, lean = taggers
    text = TRICKY[8]
    found = {(kind, text[start:stop]) for kind, start, stop in lean.spans(text)}
    assert ("PER", "Ивану Сергеевичу Петрову") in found and ("ORG", "Ромашка") in found


def test_emissions_match_slovnets_model(taggers):
    reference, lean = taggers
    text = TRICKY[9]
    from slovnet.exec.infer import text_words  # noqa: PLC0415

    (batch,) = list(reference.infer.encoder([text_words(text)]))
    expected = reference.infer.model(batch.word_id, batch.shape_id, batch.pad_mask)[0]
    got = lean.emissions(batch.word_id[0], batch.shape_id[0])
    assert got.shape == expected.shape
    assert np.allclose(got, expected, rtol=1e-4, atol=1e-4)
    assert (got.argmax(1) == expected.argmax(1)).all()


@pytest.mark.shared
def test_spans_are_slovnets_on_real_corpus_text(taggers):
    reference, lean = taggers
    texts = _corpus_texts(120)
    found = 0
    for text in texts:
        spans = lean.spans(text)
        assert spans == _slovnet_spans(reference, text), text[:120]
        found += len(spans)
    assert found > 100


def test_texts_tagged_together_get_the_spans_they_get_alone(taggers):
    _, lean = taggers
    texts = TRICKY + [TRICKY[8] + " " + TRICKY[9], "Х"]  # empty, blank and one-word texts among them
    assert lean.spans_many(texts) == [lean.spans(text) for text in texts]


@pytest.mark.shared
def test_texts_tagged_together_are_slovnets_on_real_corpus_text(taggers):
    reference, lean = taggers
    texts = _corpus_texts(100)
    together = [spans for i in range(0, len(texts), 40) for spans in lean.spans_many(texts[i : i + 40])]
    assert together == [_slovnet_spans(reference, text) for text in texts]


def test_prefetched_articles_extract_what_they_extract_alone():
    from indexer.extract.entities import _Natasha, extract_entities, prefetch_long_tail  # noqa: PLC0415

    articles = [
        ("Вчера Ивану Сергеевичу Петрову вручили премию", TRICKY[8], "ru"),
        ("Компания «Ромашка» промолчала", "Глава МИД Казахстана прилетел в Москву к Сергею Лаврову.", "ru"),
        ("Tokayev in Astana", "The President met Ivanov.", "en"),
    ]
    alone = [extract_entities(*article) for article in articles]
    prefetch_long_tail(articles)
    assert len(_Natasha.get()._ahead) == 4  # the Russian titles and bodies, not the English article
    assert [extract_entities(*article) for article in articles] == alone
    assert not _Natasha.get()._ahead  # each prefetched text is used once
    assert any(m.source == "ner" for m in alone[1])


def test_texts_over_the_batch_limit_are_tagged_in_several_passes(taggers, monkeypatch):
    import indexer.extract.russian_ner as russian_ner  # noqa: PLC0415

    _, lean = taggers
    texts = TRICKY + [TRICKY[9] * 3]  # one text longer than the limit on its own
    expected = [lean.spans(text) for text in texts]
    monkeypatch.setattr(russian_ner, "BATCH_WORDS", 12)
    assert lean.spans_many(texts) == expected


def test_compiled_viterbi_walks_the_numpy_paths(taggers):
    _, lean = taggers
    texts = [text for text in TRICKY if text.strip()]
    emissions = lean.emissions_many([lean._encode(razdel_tokens(text)) for text in texts])
    assert lean._viterbi(emissions) == lean._viterbi_numpy(emissions)
    rng = np.random.default_rng(5)
    tags = lean.transitions.shape[0]
    random_ones = [rng.normal(size=(n, tags)).astype(np.float32) for n in (1, 2, 3, 50, 700)]
    ties = [np.zeros((n, tags), dtype=np.float32) for n in (1, 4)]  # every score equal: the first index wins
    ties.append(np.round(rng.normal(size=(40, tags)), 0).astype(np.float32))  # many equal sums
    for batch in (random_ones, ties, random_ones[::-1] + ties):
        assert lean._viterbi(batch) == lean._viterbi_numpy(batch)
    with pytest.raises(TypeError):  # float64 emissions: the compiled walk refuses, the driver takes numpy's
        _viterbi.viterbi([np.zeros((3, tags))], lean.transitions)
    assert lean._viterbi([np.zeros((3, tags))]) == lean._viterbi_numpy([np.zeros((3, tags))])
