"""Filters, sorting and exact multi-select facets through the real app (fixture corpus)."""

import pytest

from tests.test_api import assert_error

BROAD = "Astana OR Астана OR Tokayev OR Токаев OR банк OR Bishkek OR Тараз OR wolves OR snowfall"


def search(api, **params):
    return api.get("/api/search", params=params).json


def test_sort_by_date_both_ways(api):
    by_date = search(api, q=BROAD, sort="-date", per_page=100)
    assert all(h["score"] is None for h in by_date["hits"])
    newest = [h["date"] for h in by_date["hits"]]
    oldest = [h["date"] for h in search(api, q=BROAD, sort="date", per_page=100)["hits"]]
    dated_newest = [d for d in newest if d]
    assert len(dated_newest) >= 5 and dated_newest == sorted(dated_newest, reverse=True)
    assert [d for d in oldest if d] == sorted(d for d in oldest if d)


def test_language_filter_and_disjunctive_counts(api):
    everything = search(api, q=BROAD, per_page=100, facets="lang")
    counts = {v["value"]: v["count"] for v in everything["facets"]["lang"]}
    assert sum(counts.values()) == everything["total"]
    assert counts["ru"] == sum(1 for h in everything["hits"] if h["lang"] == "ru")

    only_ru = search(api, q=BROAD, per_page=100, lang="ru", facets="lang")
    assert only_ru["total"] == counts["ru"] and {h["lang"] for h in only_ru["hits"]} == {"ru"}
    # the lang facet ignores its own selection, so the other languages can still be ticked
    ru_facet = {v["value"]: v for v in only_ru["facets"]["lang"]}
    assert {k: v["count"] for k, v in ru_facet.items()} == counts
    assert ru_facet["ru"]["selected"] and not ru_facet["en"]["selected"]

    two = search(api, q=BROAD, per_page=100, lang=["ru", "kk"])
    assert two["total"] == counts["ru"] + counts["kk"]


def test_date_range_and_date_facet(api):
    body = search(api, q=BROAD, per_page=100, date_from="2024-01-01", date_to="2024-12-31", facets="date,lang")
    assert body["total"] >= 3 and all(h["date"].startswith("2024") for h in body["hits"])
    years = {v["value"]: v["count"] for v in body["facets"]["date"]["year"]}
    assert years == {"2024": body["total"]}
    months = {v["value"]: v["count"] for v in body["facets"]["date"]["month"]}
    assert sum(months.values()) == body["total"] and all(m.startswith("2024-") for m in months)
    # the lang facet honours the date filter (another facet's selection)
    assert sum(v["count"] for v in body["facets"]["lang"]) == body["total"]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"q": "astana", "sort": "popularity"}, "sort"),
        ({"q": "astana", "facets": "colour"}, "facets"),
        ({"q": "astana", "date_from": "2025-13-01"}, "date_from"),
        ({"q": "astana", "date_to": "yesterday"}, "date_to"),
        ({"q": "astana", "date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_from"),
        ({"q": "astana", "country": "<script>"}, "country"),
        ({"q": "astana", "lang": ",".join(f"l{i}" for i in range(30))}, "lang"),
    ],
)
def test_bad_filters_are_400(api, params, param):
    assert_error(api.get("/api/search", params=params, status=400), param)


def test_country_and_entity_facets_from_extraction(api):
    body = search(api, q="Tokayev", per_page=100, facets="country,entity")
    countries = {v["value"]: v for v in body["facets"]["country"]}
    assert countries["KZ"]["label"] == "Kazakhstan" and countries["KZ"]["count"] == body["total"]
    entities = {v["label"]: v for v in body["facets"]["entity"]}
    tokayev = entities["Kassym-Jomart Tokayev"]  # Tokayev, Токаев, Тоқаев, Toqaev: one entity
    assert tokayev["count"] == body["total"] >= 4 and tokayev["type"] == "person"

    only_kg = search(api, q="Japarov OR Tokayev", country="KG", facets="country")
    assert [h["id"] for h in only_kg["hits"]] == ["fx-en-bishkek"]
    kg_counts = {v["value"]: v["count"] for v in only_kg["facets"]["country"]}
    assert kg_counts["KZ"] >= 4 and kg_counts["KG"] == 1  # multi-select: KZ can still be added

    by_entity = search(api, q="банк", entity=tokayev["value"])
    assert by_entity["total"] >= 2 and all(h["id"].endswith("tokayev") for h in by_entity["hits"])


def test_article_carries_entities_and_countries(api):
    article = api.get("/api/articles/fx-ru-taraz").json
    assert "KZ" in article["countries"]
    assert "Taraz" in {e["name"] for e in article["entities"]}
    assert "Taraz" not in {e["name"] for e in api.get("/api/articles/fx-ru-taras").json["entities"]}


def test_undated_articles_come_last_both_ways(tmp_path):
    from tests.test_api import app_for

    records = [
        {"id": "undated-1", "title": "Aral one", "body": "Aral sea"},
        {"id": "old", "title": "Aral two", "body": "Aral sea", "date": "2001-05-01"},
        {"id": "undated-2", "title": "Aral three", "body": "Aral sea"},
        {"id": "new", "title": "Aral four", "body": "Aral sea", "date": "2025-05-01"},
        {"id": "middle", "title": "Aral five", "body": "Aral sea", "date": "2012-05-01"},
    ]
    app = app_for(tmp_path, records)
    newest = [h["id"] for h in search(app, q="Aral", sort="-date")["hits"]]
    oldest = [h["id"] for h in search(app, q="Aral", sort="date")["hits"]]
    assert newest[:3] == ["new", "middle", "old"] and set(newest[3:]) == {"undated-1", "undated-2"}
    assert oldest[:3] == ["old", "middle", "new"] and set(oldest[3:]) == {"undated-1", "undated-2"}
    # pages of one hit partition the same order
    paged = [search(app, q="Aral", sort="-date", per_page=1, page=p)["hits"][0]["id"] for p in range(1, 6)]
    assert paged == newest


def selected(bucket):
    return {v["value"] for v in bucket if v["selected"]}


def test_date_buckets_selected_by_their_exact_range(api):
    year = search(api, q=BROAD, date_from="2024-01-01", date_to="2024-12-31", facets="date")["facets"]["date"]
    assert selected(year["year"]) == {"2024"} and selected(year["month"]) == set()
    month = search(api, q=BROAD, date_from="2024-10-01", date_to="2024-10-31", facets="date")["facets"]["date"]
    assert selected(month["month"]) == {"2024-10"} and selected(month["year"]) == set()
    for date_from, date_to in (("2024-01-02", "2024-12-31"), ("2024-10-01", None), ("2024-10-01", "2024-10-30")):
        params = {"date_from": date_from, **({"date_to": date_to} if date_to else {})}
        buckets = search(api, q=BROAD, facets="date", **params)["facets"]["date"]
        assert selected(buckets["year"]) == selected(buckets["month"]) == set(), params
    unfiltered = search(api, q=BROAD, facets="date")["facets"]["date"]
    assert not selected(unfiltered["year"]) and not selected(unfiltered["month"])


def test_selected_year_is_a_toggle_on_the_page(api):
    page = api.get("/", params={"q": BROAD, "date_from": "2024-01-01", "date_to": "2024-12-31"}).text
    assert 'class="on">2024</a>' in page


def test_facet_arrays_count_exactly_what_the_per_document_count_gives(fixture_index):
    import numpy as np

    from search.facets import FacetTables, count_facet, count_facet_mask
    from search.index_provider import IndexProvider

    provider = IndexProvider(fixture_index)
    searcher = provider.snapshot().searcher
    try:
        tables = FacetTables(searcher)
        size = searcher.reader().doc_count_all()
        rng = np.random.default_rng(7)
        masks = [rng.random(size) < density for density in (0.5, 0.2, 0.05, 0.01) for _ in range(5)]
        single = np.zeros(size, bool)
        single[size // 2] = True
        masks += [single, np.zeros(size, bool)]  # sparse masks read their own rows only (see _codes_of_matches)
        for mask in masks:
            docnums = set(np.flatnonzero(mask).tolist())
            for name in ("lang", "country", "entity", "date"):
                for selected in ((), ("KZ",)):
                    assert count_facet_mask(tables, name, mask, selected, 3, (None, None)) == count_facet(
                        searcher, name, docnums, selected, 3, (None, None)
                    )
        assert any(v.count for v in count_facet_mask(tables, "country", np.ones(size, bool), (), 10).values)
    finally:
        provider.close()
