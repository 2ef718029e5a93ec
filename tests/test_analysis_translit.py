import pickle

import pytest

from indexer.analysis import exact_analyzer, key_analyzer, stem_analyzer
from indexer.analysis.translit import key_forms, spelling_key
from indexer.schema import build_schema


@pytest.mark.parametrize(
    "forms",
    [
        ["тоқаев", "токаев", "tokayev", "toqaev", "tokaev"],
        ["мәжіліс", "mazhilis", "majilis", "мажилис"],
        ["жапаров", "japarov", "zhaparov"],
        ["балқаш", "балхаш", "balqaş", "balkhash"],
        ["асылханұлы", "asylhanūly", "asylkhanuly"],
    ],
)
def test_spellings_share_a_key(forms):
    assert len({spelling_key(f) for f in forms}) == 1, {f: spelling_key(f) for f in forms}


def test_inflected_cyrillic_meets_romanisation():
    assert set(key_forms("навального")) & set(key_forms("navalny"))
    assert set(key_forms("тоқаевтың")) & set(key_forms("tokayev"))


@pytest.mark.parametrize(("a", "b"), [("niger", "нигерии"), ("taraz", "тарас"), ("oman", "amman"), ("таразда", "тараса")])
def test_look_alikes_stay_apart(a, b):
    assert not set(key_forms(a)) & set(key_forms(b))


def test_schema_pickles_round_trip():
    schema = build_schema()
    clone = pickle.loads(pickle.dumps(schema))
    text = "Тоқаев Nur-Sultan-да"
    for name in ("title", "title_exact", "title_key"):
        original = [t.text for t in schema[name].analyzer(text)]
        copied = [t.text for t in clone[name].analyzer(text)]
        assert original == copied and original


def test_offsets_survive_every_chain():
    text = "Президент Тоқаев met Tokayev in Нұр-Сұлтан"
    for analyzer in (exact_analyzer(), stem_analyzer(), key_analyzer()):
        for token in analyzer(text, chars=True):
            span = text[token.startchar : token.endchar]
            assert span and not span.isspace()


@pytest.mark.parametrize(
    "spellings",
    [
        ["Мәжіліс", "Mäjılıs", "Májilis", "Ma'jilis", "Mazhilis", "Majilis"],  # Cyrillic, 2021, 2018, 2017, informal
        ["Шымкент", "Şymkent", "S'ymkent", "Shymkent"],
        ["Қарағанды", "Qarağandy", "Qarag'andy", "Qaraghandy", "Karaganda"],
    ],
)
def test_every_kazakh_alphabet_meets_in_the_key_field(spellings):
    analyzer = key_analyzer()
    keys = [{t.text for t in analyzer(s, mode="query")} for s in spellings]
    for spelling, found in zip(spellings, keys, strict=True):
        assert found & keys[0], (spelling, found, keys[0])


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("ассамблея", "asamblea"),  # doubled letters collapse in the full key
        ("kassym", "kasim"),
        ("tokayev", "tokaev"),  # no digraph, nothing doubled: left as spelled
        ("khrushchev", "krušev"),  # digraphs before single letters: shch is one sound (š), kh is k
        ("2025", "2025"),  # a number keys as itself
    ],
)
def test_full_key_examples(word, key):
    assert key_forms(word)[0] == key


@pytest.mark.parametrize(
    ("word", "script"),
    [
        ("тоқаев", "Cyrl"),
        ("tokayev", "Latn"),
        ("qazaqstannyñ", "Latn"),
        ("kаzakh", "Latn"),  # one Cyrillic а among Latin letters
        ("бiз", "Cyrl"),  # one Latin i among Cyrillic letters
        ("2025", "Other"),
        ("東京", "Other"),
    ],
)
def test_script_is_the_majority_of_latin_and_cyrillic_letters(word, script):
    from indexer.analysis.scripts import script_of  # noqa: PLC0415

    assert script_of(word) == script
