"""The other endpoints of the real app: articles, suggest, readiness, metrics, OpenAPI, CORS, ETags."""

import pytest


def test_article_by_id_and_unknown_id(api):
    body = api.get("/api/articles/fx-en-bishkek").json
    assert body["title"] == "Japarov meets farmers near Bishkek" and body["date"] == "2022-06-01"
    assert "Chui valley" in body["body"]
    missing = api.get("/api/articles/no-such-article", status=404).json
    assert missing["error"]["code"] == "not_found" and "no-such-article" in missing["error"]["message"]


@pytest.mark.parametrize("typed", ["Tok", "Ток", "Тоқ", "toqa"])
def test_suggest_offers_tokayev_from_any_script(api, typed):
    suggestions = api.get("/api/suggest", params={"q": typed}).json["suggestions"]
    assert "Kassym-Jomart Tokayev" in [s["text"] for s in suggestions], suggestions


def test_suggest_words_and_errors(api):
    texts = [s["text"] for s in api.get("/api/suggest", params={"q": "tract"}).json["suggestions"]]
    assert "tractors" in texts
    assert api.get("/api/suggest", params={"q": "T"}).json["suggestions"] == []
    assert api.get("/api/suggest", params={"q": ""}, status=400).json["error"]["param"] == "q"


def test_readyz(api):
    body = api.get("/readyz").json
    assert body["status"] == "ready" and body["doc_count"] >= 11 and body["schema_version"] >= 2


def test_metrics_count_requests_by_endpoint_and_status(api):
    api.get("/api/search", params={"q": "Astana"})
    api.get("/api/search", params={"q": ""}, status=400)
    text = api.get("/metrics").text
    assert 'steppe_requests_total{endpoint="/api/search",status="200"}' in text
    assert 'steppe_requests_total{endpoint="/api/search",status="400"}' in text
    assert "steppe_request_seconds_bucket" in text and "steppe_index_documents" in text


def test_openapi_describes_every_route(api):
    spec = api.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in ("/api/search", "/api/suggest", "/api/articles/{id}", "/healthz", "/readyz", "/metrics", "/"):
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "page", "per_page", "sort", "lang", "country", "entity", "date_from", "date_to", "facets", "exact"} <= names


def test_cors_headers(api):
    response = api.get("/api/search", params={"q": "Astana"}, headers={"Origin": "https://news.example"})
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://news.example")


def test_etag_and_not_modified(api):
    first = api.get("/api/search", params={"q": "Astana"})
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    again = api.get("/api/search", params={"q": "Astana"}, headers={"If-None-Match": etag}, status=304)
    assert again.body == b""
    other = api.get("/api/search", params={"q": "Bishkek"})
    assert other.headers["ETag"] != etag
