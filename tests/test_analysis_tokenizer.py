from indexer.analysis import exact_analyzer
from indexer.analysis.tokenizer import ICUWordTokenizer, icu_word_spans


def tokens(text):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in ICUWordTokenizer()(text, positions=True, chars=True)]


def test_words_of_mixed_scripts_with_offsets():
    text = "Токаев met Tokayev in Астана"
    out = tokens(text)
    assert [t[0] for t in out] == ["Токаев", "met", "Tokayev", "in", "Астана"]
    for word, _, start, end in out:
        assert text[start:end] == word


def test_offsets_stay_right_after_astral_characters():
    text = "👍🏽 Токаев 😀 Astana"
    for word, _, start, end in tokens(text):
        assert text[start:end] == word
    assert [t[0] for t in tokens(text)] == ["Токаев", "Astana"]


def test_markdown_debris_is_split_off():
    assert [t[0] for t in tokens("**Бейрута** __Путин__")] == ["Бейрута", "Путин"]


def test_hyphenated_name_findable_whole_and_by_parts():
    out = tokens("in Nur-Sultan today")
    texts = [t[0] for t in out]
    assert "Nur" in texts and "Sultan" in texts and "NurSultan" in texts
    positions = {t[0]: t[1] for t in out}
    assert positions["NurSultan"] == positions["Nur"]
    assert positions["Sultan"] == positions["Nur"] + 1
    compound = next(t for t in out if t[0] == "NurSultan")
    assert "in Nur-Sultan today"[compound[2] : compound[3]] == "Nur-Sultan"


def test_apostrophe_forms():
    texts = [t[0] for t in tokens("Qazaqstan'ın Kazakhstan’s")]
    assert "Qazaqstan" in texts and "Kazakhstan" in texts
    assert "Kazakhstans" in texts  # the whole word without apostrophe, at the same position


def test_icu_spans_skip_punctuation_and_space():
    text = "Nur-Sultan, 2025!"
    assert [text[s:e] for s, e in icu_word_spans(text)] == ["Nur", "Sultan", "2025"]


def test_emoji_variation_selector_glued_to_word_is_dropped():
    assert [t.text for t in exact_analyzer()("Токаев\ufe0f сказал")] == ["токаев", "сказал"]
