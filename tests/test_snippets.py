"""Snippets: the passage with the query's words, found fast, marked by the real analysis."""

from __future__ import annotations

from indexer.analysis.chains import analyse_word
from search.query import HighlightTerms
from search.snippets import MAX_SCAN_CHARS, highlight_title, snippet

FILLER = " ".join(f"filler{i}" for i in range(40))


def terms_for(*words: str, lang: str | None = "en") -> HighlightTerms:
    """The forms the query compiler marks for ``words`` (exact, stems, keys)."""
    terms = HighlightTerms()
    for word in words:
        exact, stems, keys = analyse_word(word, lang)
        terms.exact.update(exact)
        terms.stem.update(stems)
        terms.key.update(keys)
    return terms


def test_a_match_deep_in_a_long_article_is_found():
    body = " ".join([FILLER] * 60) + " Herders moved the yurt to the summer pasture. " + FILLER
    assert len(body) > 2 * MAX_SCAN_CHARS
    text = snippet(body, terms_for("yurt"), "en")
    assert "<mark>yurt</mark>" in text and text.startswith("…")


def test_the_passage_with_most_distinct_words_wins_over_the_first_mention():
    body = f"wheat {FILLER} {FILLER} the wheat harvest on the steppe {FILLER}"
    text = snippet(body, terms_for("wheat", "harvest", "steppe"), "en")
    assert "<mark>harvest</mark>" in text and "<mark>steppe</mark>" in text


def test_inflected_forms_are_marked_through_stems():
    body = f"{FILLER} Банктері мен банков {FILLER}"
    text = snippet(body, terms_for("банк", lang="kk"), "kk")
    assert "<mark>Банктері</mark>" in text


def test_cross_script_matches_are_marked_without_a_literal_candidate():
    body = f"{FILLER} President Tokayev met the delegation. {FILLER}"
    text = snippet(body, terms_for("Токаев", lang="ru"), "en")
    assert "<mark>Tokayev</mark>" in text


def test_a_substring_that_is_no_word_match_is_not_marked():
    body = f"The embankment held. {FILLER} {FILLER} The bank opened a branch."
    text = snippet(body, terms_for("bank"), "en")
    assert "<mark>bank</mark> opened" in text and "<mark>embank" not in text


def test_shared_memo_gives_the_same_snippets():
    terms = terms_for("wolf")
    bodies = [f"{FILLER} wolves {FILLER}", f"a wolf {FILLER}", f"{FILLER} Wolff said {FILLER} wolf"]
    memo: dict[str, bool] = {}
    assert [snippet(b, terms, "en", memo=memo) for b in bodies] == [snippet(b, terms, "en") for b in bodies]
    assert memo  # the answers were remembered


def test_markup_is_escaped_and_titles_marked():
    terms = terms_for("Astana")
    assert snippet("<b>Astana</b> & Almaty", terms, "en") == "&lt;b&gt;<mark>Astana</mark>&lt;/b&gt; &amp; Almaty"
    assert highlight_title("Astana <today>", terms, "en") == "<mark>Astana</mark> &lt;today&gt;"


def test_may_match_false_gives_the_opening_unscanned():
    body = f"Opening words here. {FILLER} yurt {FILLER}"
    text = snippet(body, terms_for("yurt"), "en", size=60, may_match=False)
    assert text.startswith("Opening words here.") and "<mark>" not in text


def test_a_title_only_match_shows_the_body_opening(tmp_path):
    from search.params import SearchParams
    from tests.test_ranking import engine_for

    records = [
        {"id": "title-only", "title": "Baikonur launch", "body": f"The rocket left on time. {FILLER}"},
        {"id": "both", "title": "Report", "body": f"{FILLER} Baikonur {FILLER}"},
    ]
    hits = {h.id: h for h in engine_for(tmp_path, records, recency_weight=0.0).search(SearchParams(q="Baikonur")).hits}
    assert hits["title-only"].snippet.startswith("The rocket left on time.")
    assert "<mark>Baikonur</mark>" in hits["title-only"].title_html
    assert "<mark>Baikonur</mark>" in hits["both"].snippet


def test_a_passage_in_another_script_too_is_analysed_word_by_word():
    body = f"{FILLER} Tokayev met Токаев supporters in Astana. {FILLER}"
    text = snippet(body, terms_for("Tokayev"), "en")
    assert "<mark>Tokayev</mark>" in text and "<mark>Токаев</mark>" in text


def test_same_script_passages_mark_the_words_holding_a_candidate():
    body = f"{FILLER} The banks and the bank; embankments too. {FILLER}"
    text = snippet(body, terms_for("bank"), "en")
    assert "<mark>banks</mark>" in text and "<mark>bank</mark>;" in text and "<mark>embank" not in text
