"""The compiled hot paths of the analysis (``_wordloop.cpp``, ``_keyforms.cpp``) compute exactly
what their Python reference implementations compute: on hand-written edge cases, on generated
text over the characters the rules care about, and on the words of real corpus articles."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import _keyforms, _wordloop, document_language
from indexer.analysis.chains import WORD_TABLES, _analyse, _grouped_python
from indexer.analysis.fold import normalize_word
from indexer.analysis.tokenizer import ICUWordTokenizer, _compound, word_forms, word_positions, word_positions_python
from indexer.analysis.translit import key_forms, key_forms_python, spelling_key, spelling_key_python
from indexer.extract import entities
from tests.conftest import shared_or_skip

EDGE_TEXTS = [
    "",
    " ",
    "Nur-Sultan, 2025 Kassym-Jomart Tokayev-Tokayev Y-In in In",
    "Qazaqstan'ın eñ iri banki Kazakhstan’s s'ymkent o'zbek",
    "__Путин__ snake_case a_b_ _x_ ___ **Бейрута** бiз Kаzakhstan",
    "😀 Токаев\ufe0f 𝔘nicode-𝔘 Nur-Sultan's 😀😀a-b_c 😀",
    "\ud83d lone surrogate \udc00 x",
    "12-15 3,5 млрд ½ ٣ 二〇二五年 東京 ‐‑-",
    "Нұр-Сұлтан—Алматы–Бішкек - Астана",
]
# Letters, marks and separators the tokenizer and key rules treat specially.
_ALPHABET = st.sampled_from(
    list("aeiouyngkhszcxqw")
    + list("аәеёиоөұүыіэюяқғңһжшчщцхйъь")
    + list("äğıñöşūüçáǵńóúý")
    + list(" -‐‑_'’ʼ`.,0123456789")
    + ["😀", "𝔘", "\ufe0f", "\u200b", "\u0301", "Ё", "Q", "NG", "IE"]
)
TEXTS = st.lists(_ALPHABET, max_size=40).map("".join)


def _reference_positions(text: str) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for form, _start, _end, pos in word_forms(text):
        grouped.setdefault(form, []).append(pos)
    return grouped


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_word_positions_match_the_python_loop_on_edge_cases(text):
    compiled = word_positions(text)
    assert list(compiled.items()) == list(word_positions_python(text).items())  # same forms, same order
    assert compiled == _reference_positions(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_word_positions_match_the_python_loop_on_generated_text(text):
    assert list(word_positions(text).items()) == list(word_positions_python(text).items())


def _scanned(words: list) -> list[tuple[int, int, object]]:
    return [(w.start, w.end, w.spelling) for w in words]  # spellings compared by identity (one per word)


@pytest.mark.parametrize("text", [*EDGE_TEXTS, "PACE's Ablyazov (BTA Bank) 2025: https://x.kz Тоқаевтың 😀Астана"])
def test_gazetteer_word_scan_matches_the_python_loop_on_edge_cases(text):
    scanned = _wordloop.scan_words(text, entities._spelling, entities._Word)
    assert _scanned(scanned) == _scanned(entities._words(text))
    assert all(type(w) is entities._Word for w in scanned)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_gazetteer_word_scan_matches_the_python_loop_on_generated_text(text):
    assert _scanned(_wordloop.scan_words(text, entities._spelling, entities._Word)) == _scanned(entities._words(text))


def test_compiled_loops_reject_wrong_arguments_with_type_errors():
    with pytest.raises(TypeError):
        _wordloop.scan_words("text", entities._spelling, "not a type")
    with pytest.raises(ZeroDivisionError):  # an exception in the spelling propagates
        _wordloop.scan_words("some text", lambda raw: 1 / 0, entities._Word)
    with pytest.raises(TypeError):
        _wordloop.word_positions(b"bytes", ICUWordTokenizer._forms, _compound)
    with pytest.raises(TypeError):
        _wordloop.group_terms({"банк": [0]}, [], {}, _analyse, None)
    with pytest.raises(TypeError, match="exact, stem, key"):
        _wordloop.group_terms({"банк": [0]}, {"банк": ("банк",)}, {}, _analyse, None)
    with pytest.raises(ZeroDivisionError):  # an exception inside the analysis propagates
        _wordloop.group_terms({"банк": [0]}, {}, {}, lambda word, lang: 1 / 0, None)


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_group_terms_match_the_python_grouping(lang):
    for text in [*EDGE_TEXTS, "Банк банки банков банк — Tokayev-Tokayev", "in the Y-In"]:
        recent, older = WORD_TABLES.generations(lang)
        *groups, added = _wordloop.group_terms(word_positions(text), {}, dict(older), _analyse, lang)
        expected = _grouped_python(text, lang)
        assert tuple(groups) == expected, text
        assert [list(g) for g in groups] == [list(g) for g in expected]  # same term order
        assert added == len(word_positions(text))  # every word was new to the empty recent table


def test_group_terms_move_words_from_the_older_generation_and_count_them():
    older = {"банк": (("банк",), ("банк",), ("bank",))}
    recent: dict = {}
    exact, stems, keys, added = _wordloop.group_terms({"банк": [0, 2], "банков": [1]}, recent, older, _analyse, "ru")
    assert added == 2 and recent["банк"] is older["банк"] and "банков" in recent
    assert stems["банк"] == [0, 1, 2] and exact == {"банк": [0, 2], "банков": [1]}
    _, _, _, added_again = _wordloop.group_terms({"банк": [0]}, recent, older, _analyse, "ru")
    assert added_again == 0  # found in the recent generation: nothing added


KEY_WORDS = [
    "тоқаев",
    "токаев",
    "tokayev",
    "toqaev",
    "мәжіліс",
    "mazhilis",
    "жапаров",
    "japarov",
    "zhaparov",
    "навального",
    "нигерии",
    "ёж",
    "щука",
    "shchuka",
    "xinjiang",
    "kaspiidıñ",
    "qazaqstannyñ",
    "mūğalımmen",
    "поезд",
    "poiyzynda",
    "ie",
    "iezhov",
    "aiiu",
    "ngng",
    "2025",
    "½",
    "",
    "ә",
    "josé",
    "tajikistana",
    "баспанасыз",
    "ülken",
    "ağaş",
    "çay",
    "şymkent",
    "tselinograd",
    "целиноград",
]


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en", "ky"])
def test_key_forms_match_the_python_rules(lang):
    for word in KEY_WORDS:
        assert _keyforms.spelling_key(word) == spelling_key_python(word), word
        assert _keyforms.key_forms(word, lang) == key_forms_python(word, lang), (word, lang)
    assert spelling_key("тоқаев") == spelling_key("tokayev") == "tokaev"
    assert key_forms("навального", "ru")[:2] == ("navalnogo", "navaln")


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([None, "kk", "ru", "en"]))
def test_key_forms_match_the_python_rules_on_generated_words(text, lang):
    word = normalize_word(text.replace(" ", ""))
    assert _keyforms.spelling_key(word) == spelling_key_python(word)
    assert _keyforms.key_forms(word, lang) == key_forms_python(word, lang)


@pytest.mark.shared
def test_compiled_analysis_matches_python_on_real_corpus_words():
    corpus = shared_or_skip() / "corpus"
    files = (("kk_kaznerd_sentences.jsonl.gz", "kk"), ("ru_telegram_news_posts.jsonl.gz", "ru"))
    files += (("en_reuters21578.jsonl.gz", "en"), ("ky_24kg_topics.jsonl.gz", "ky"))
    words = texts = 0
    for name, lang in files:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as lines:
            for line in itertools.islice(lines, 150):
                body = json.loads(line)["body"]
                texts += 1
                assert list(word_positions(body).items()) == list(word_positions_python(body).items())
                scanned = _wordloop.scan_words(body, entities._spelling, entities._Word)
                assert _scanned(scanned) == _scanned(entities._words(body))
                with document_language(lang):
                    for form in word_positions(body):
                        word = normalize_word(form)
                        assert _keyforms.key_forms(word, lang) == key_forms_python(word, lang), (word, lang)
                        words += 1
    assert texts == 600 and words > 10_000


NORMALIZE_WORDS = ["Бiз\ufe0f", "Kаzakhstan", "ＴＯＫＡＥＶ\u200b", "\ufe0f", "Qazaqstannyń", "josé", "ß", "İstanbul", "Ёлка", ""]


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en", "ky"])
def test_stems_and_word_analysis_match_the_python_rules(lang):
    from indexer.analysis import _fold, _stems
    from indexer.analysis.chains import _analyse_python
    from indexer.analysis.fold import normalize_word_python
    from indexer.analysis.stem import stems_of_python

    for word in [*KEY_WORDS, *NORMALIZE_WORDS, "банктері", "банков", "wolves", "электричек", "мұғалімдердің", "тасқынға"]:
        assert _fold.normalize_word(word) == normalize_word_python(word), word
        folded = normalize_word_python(word)
        assert _stems.stems_of(folded, lang) == stems_of_python(folded, lang), (folded, lang)
        assert _analyse(word, lang) == _analyse_python(word, lang), (word, lang)
    assert _analyse("Банктері", "kk")[1] == ("банк",)
    assert _analyse("\ufe0f", lang) == ((), (), ())


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([None, "kk", "ru", "en"]))
def test_word_analysis_matches_the_python_rules_on_generated_words(text, lang):
    from indexer.analysis.chains import _analyse_python

    word = text.replace(" ", "")
    assert _analyse(word, lang) == _analyse_python(word, lang)
