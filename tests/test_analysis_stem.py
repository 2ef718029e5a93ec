from indexer.analysis import document_language, stem_analyzer
from indexer.analysis.stem import stems_of


def test_russian_inflections_meet():
    for group in (["банк", "банков", "банками"], ["электричка", "электрички", "электричек"], ["ёж", "ежа", "ежей"]):
        shared = set.intersection(*(set(stems_of(w, "ru")) for w in group))
        assert shared, group


def test_russian_names_inside_kazakh_text_meet_russian_forms():
    assert set(stems_of("навальныйды", "ky")) & set(stems_of("навального", "ru"))


def test_english_plurals_meet():
    assert stems_of("wolves", "en") == stems_of("wolf", "en")
    assert stems_of("breweries", "en") == stems_of("brewery", "en")


def test_kazakh_letters_pick_the_kazakh_stemmer():
    assert stems_of("банктері", None) == ("банк",)


def test_ambiguous_query_word_keeps_both_readings():
    readings = set(stems_of("баспанамен", None))
    assert "баспана" in readings  # Kazakh
    assert readings - {"баспана"}  # and the Russian reading(s)


def test_document_language_decides_for_documents():
    with document_language("kk"):
        assert "баспана" in [t.text for t in stem_analyzer()("баспанамен")]
