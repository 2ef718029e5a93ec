import dataclasses
import html
import json
import re

import pytest
import webtest

from indexer.cli import build
from search.app import create_app
from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.params import SearchParams
from search.spelling import did_you_mean
from tests.conftest import SEED


def search(api, status=200, **params):
    return api.get("/api/search", params=params, status=status).json


def ids(body):
    return [h["id"] for h in body["hits"]]


def test_search_response_shape(api):
    body = search(api, q="Tokayev")
    assert set(body) >= {"query", "total", "page", "per_page", "took_ms", "hits"}
    hit = body["hits"][0]
    assert set(hit) >= {"id", "url", "title", "date", "lang", "score", "snippet"}
    assert body["total"] == len(body["hits"])


def test_cross_script_and_exact_first(api):
    for q in ("Tokayev", "Токаев", "Тоқаев", "Toqaev"):
        found = set(ids(search(api, q=q)))
        assert {"fx-en-tokayev", "fx-ru-tokayev", "fx-kk-tokayev", "fx-kklat-toqaev"} <= found, q
    assert ids(search(api, q="Токаев"))[0] == "fx-ru-tokayev"  # exact spelling outranks key-only


def test_exact_switch_turns_cross_script_off(api):
    assert set(ids(search(api, q="Токаев", exact=1))) == {"fx-ru-tokayev"}


def test_inflections(api):
    assert "fx-kk-tokayev" in ids(search(api, q="банк"))  # банктері / банктердің
    assert "fx-ru-tokayev" in ids(search(api, q="банк"))  # банков
    assert "fx-en-wolves" in ids(search(api, q="wolf"))  # wolves


def test_look_alikes_stay_apart(api):
    assert ids(search(api, q="Тараз")) == ["fx-ru-taraz"]
    assert ids(search(api, q="Тарас")) == ["fx-ru-taras"]


def test_snippet_marks_matches_and_escapes(api):
    body = search(api, q="Japarov")
    snippet = body["hits"][0]["snippet"]
    assert "<mark>Japarov</mark>" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    cross = search(api, q="Жапаров")["hits"][0]["snippet"]
    assert "<mark>Japarov</mark>" in cross  # cross-script matches are highlighted too


def test_boilerplate_never_matches(api):
    for q in ("USD", "KZT", "Viewing", "caption", "attachment_1001"):
        assert search(api, q=q)["total"] == 0, q


def test_seed_article_first_for_ablyazov(api):
    if not SEED.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    body = search(api, q="Ablyazov")
    assert body["hits"][0]["id"] == "000_ffbdb433fe674d96"
    assert "<mark>Ablyazov</mark>" in body["hits"][0]["snippet"]
    assert body["hits"][0]["date"] == "2025-03-29"


def test_total_is_exact_and_pages_partition_the_ranking(api):
    everything = search(api, q="Astana OR Астана OR Tokayev", per_page=100)
    total = everything["total"]
    assert total == len(everything["hits"]) >= 4
    paged = []
    for page in range(1, total + 1):
        body = search(api, q="Astana OR Астана OR Tokayev", per_page=1, page=page)
        assert body["total"] == total and body["page"] == page
        paged += ids(body)
    assert paged == ids(everything)
    beyond = search(api, q="Astana OR Астана OR Tokayev", per_page=1, page=total + 1)
    assert beyond["hits"] == [] and beyond["total"] == total


def test_phrase_exclusion_prefix(api):
    assert ids(search(api, q='"new session of parliament"')) == ["fx-en-tokayev"]
    assert "fx-en-tokayev" not in ids(search(api, q="Tokayev -Mazhilis"))
    assert "fx-en-bishkek" in ids(search(api, q="tract*"))


def test_relaxed_fallback(api):
    body = search(api, q="Japarov zzzyyyxxx")
    assert body["relaxed"] is True and ids(body)[0] == "fx-en-bishkek"


def assert_error(response, param):
    assert response.status_int == 400
    error = response.json["error"]
    assert set(error) == {"code", "message", "param"} and error["param"] == param and error["message"]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"q": ""}, "q"),
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 100_000}, "q"),
        ({"q": '"unbalanced'}, "q"),
        ({"q": "astana", "page": "0"}, "page"),
        ({"q": "astana", "page": "-3"}, "page"),
        ({"q": "astana", "page": "abc"}, "page"),
        ({"q": "astana", "per_page": "10000"}, "per_page"),
        ({"q": "astana", "exact": "maybe"}, "exact"),
        ({"q": "-astana"}, "q"),
        ({"q": "!!! ???"}, "q"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(api, params, param):
    assert_error(api.get("/api/search", params=params, status=400), param)


def test_repeated_parameter_with_different_values(api):
    assert_error(api.get("/api/search?q=a&q=b", status=400), "q")


def test_unknown_route_uses_error_shape(api):
    body = api.get("/api/nothing", status=404).json
    assert body["error"]["code"] and body["error"]["message"]


def test_healthz(api, config):
    body = api.get("/healthz").json
    assert body["status"] == "ok" and body["generation"] == "gen-000001" and body["doc_count"] >= 11


def test_request_id_echoed(api):
    response = api.get("/api/search", params={"q": "Astana"}, headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


def test_search_page(api):
    page = api.get("/", params={"q": "Жапаров"})
    assert page.content_type == "text/html"
    assert "<mark>Japarov</mark> meets farmers near Bishkek" in page.text
    assert "1 result" in page.text
    form = api.get("/")
    assert '<form action="/"' in form.text
    bad = api.get("/", params={"q": '"open'}, status=400)
    assert "unbalanced" in bad.text
    escaped = api.get("/", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert" not in escaped.text


def test_did_you_mean_for_a_misspelling(api):
    body = search(api, q="Japarvo")
    assert body["did_you_mean"] == "japarov"
    assert search(api, q="Japarov")["did_you_mean"] is None


def test_time_limit_returns_partial_results(config):
    hurried = dataclasses.replace(config, time_limit=0.0)
    result = SearchEngine(IndexProvider(hurried.index_dir), hurried).search(SearchParams(q="Astana OR Tokayev OR банк"))
    assert result.partial is True


def test_search_page_facets_toggle_and_sort(api):
    page = api.get("/", params={"q": "Tokayev OR Токаев", "lang": "ru"})
    assert 'class="on"' in page.text and "Russian" in page.text and "English" in page.text
    assert "sort:" in page.text and "newest" in page.text
    assert "поручил проверить работу банков" in page.text and "opens new session" not in page.text
    misspelt = api.get("/", params={"q": "Japarvo"})
    assert "Did you mean" in misspelt.text and "japarov" in misspelt.text


def app_for(tmp_path, records, **settings):
    """The real app over a tmp index of ``records`` (JSON Lines through the real indexer)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    build([feed], tmp_path / "ix", max_skip_ratio=0.5, progress=False, jobs=1)
    return webtest.TestApp(create_app(Config.from_env({}, index_dir=str(tmp_path / "ix"), reload_interval=0.0, **settings)))


HOSTILE = "<script>alert(1)</script> &amp; & \"quotes\" 'single' <mark>fake</mark>"
HOSTILE_RECORDS = [
    {
        "id": "hostile",
        "url": "https://evil.example/zarafshan",
        "title": f"Zarafshan {HOSTILE}",
        "date": "2024-03-01",
        "lang": "en",
        "body": f"Zarafshan river report. {HOSTILE} Farmers spoke about Zarafshan water.",
    },
    {"id": "js-url", "url": "javascript:alert(1)", "title": "Zarafshan valley", "lang": "en", "body": "The Zarafshan valley."},
    {"id": "js-url-2", "url": " JaVa\tScript:alert(2)", "title": "Zarafshan dam", "lang": "en", "body": "A Zarafshan dam."},
]


@pytest.fixture(scope="module")
def hostile_api(tmp_path_factory):
    return app_for(tmp_path_factory.mktemp("hostile"), HOSTILE_RECORDS)


def only_our_marks(marked, plain):
    """``marked`` is ``plain`` escaped, with nothing unescaped but our own <mark> tags."""
    bare = re.sub(r"</?mark>", "", marked)
    assert "<" not in bare and ">" not in bare and '"' not in bare and "'" not in bare, marked
    assert html.unescape(bare) in plain


def test_hostile_article_text_is_escaped_in_api(hostile_api):
    article = hostile_api.get("/api/articles/hostile").json
    assert "<script>alert(1)</script>" in article["title"] and "<mark>fake</mark>" in article["body"]
    for q in ("Zarafshan", "Zarafshan mark", "script alert", "quotes single"):
        hit = next(h for h in search(hostile_api, q=q)["hits"] if h["id"] == "hostile")
        only_our_marks(hit["title_html"], article["title"])
        only_our_marks(hit["snippet"].strip("…"), article["body"])
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit["title_html"].replace("<mark>", "").replace("</mark>", "")
    hit = next(h for h in search(hostile_api, q="Zarafshan")["hits"] if h["id"] == "hostile")
    assert hit["title_html"].startswith("<mark>Zarafshan</mark> &lt;script&gt;")
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in hit["title_html"] and "&quot;quotes&quot; &#x27;single&#x27;" in hit["snippet"]
    assert hit["title_html"].count("<mark>") == 1 and hit["snippet"].count("<mark>") == 2


def test_hostile_article_text_is_escaped_on_the_page(hostile_api):
    page = hostile_api.get("/", params={"q": "Zarafshan"}).text
    assert "<script>" not in page and "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in page and "<mark>fake" not in page
    assert "&quot;quotes&quot; &#x27;single&#x27;" in page


def test_only_http_urls_become_links(hostile_api):
    page = hostile_api.get("/", params={"q": "Zarafshan"}).text
    assert "javascript" not in page.lower().replace("\t", "")
    assert '<a href="https://evil.example/zarafshan">' in page
    assert "<h2><mark>Zarafshan</mark> valley</h2>" in page  # shown, but not as a link


SPELLING_RECORDS = [
    {"id": f"common-{i}", "title": "Notes", "body": "We use the kul end and run to the ata river."} for i in range(5)
] + [
    {"id": "astana", "title": "Astana report", "body": "Astana news."},
    {"id": "japarov", "title": "Japarov visit", "body": "Sadyr Japarov visited."},
    {"id": "tax-1", "title": "Taxes", "body": "The tax office."},
]


@pytest.fixture(scope="module")
def spelling_api(tmp_path_factory):
    return app_for(tmp_path_factory.mktemp("spelling"), SPELLING_RECORDS)


def test_did_you_mean_leaves_acronyms_and_short_words_alone(spelling_api):
    for q in ("USD", "KZT", "EUR", "RUB", "tex", "ATANA"):
        assert search(spelling_api, q=q)["did_you_mean"] is None, q
    assert search(spelling_api, q="Japarvo")["did_you_mean"] == "japarov"


def test_did_you_mean_prefers_the_nearest_spelling(spelling_api):
    # "astana" is one edit away; "ata" is two edits away but five times as frequent
    assert search(spelling_api, q="Astna")["did_you_mean"] == "astana"


def test_did_you_mean_needs_clearly_more_hits(config):
    searcher = IndexProvider(config.index_dir).snapshot().searcher
    assert did_you_mean(searcher, "Japarvo", 0, lambda text: 1) == "japarov"
    assert did_you_mean(searcher, "Japarvo", 1, lambda text: 2) is None  # one more is not clearly more
    assert did_you_mean(searcher, "Japarvo", 1, lambda text: 3) == "japarov"
    assert did_you_mean(searcher, "Japarvo", 0, lambda text: 0) is None


def test_colon_separates_words(api):
    for q, same_as in (("Japarov:Bishkek", "Japarov Bishkek"), ("title:bank", "title bank")):
        body, expected = search(api, q=q), search(api, q=same_as)
        assert ids(body) == ids(expected) and body["total"] == expected["total"] > 0, q
        assert body["relaxed"] == expected["relaxed"]
    assert "<mark>Japarov</mark>" in search(api, q="Japarov:Bishkek")["hits"][0]["snippet"]


def test_time_limit_skips_the_later_phases(config):
    hurried = dataclasses.replace(config, time_limit=0.0)
    engine = SearchEngine(IndexProvider(hurried.index_dir), hurried)
    result = engine.search(SearchParams(q="Japarvo Astana", facets=("lang", "country", "date")))
    assert result.partial is True and result.did_you_mean is None
    assert [f.name for f in result.facets] == ["lang", "country", "date"]
    assert all(not f.values and not f.years and not f.months for f in result.facets)
