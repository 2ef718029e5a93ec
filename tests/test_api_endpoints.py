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


def test_suggest_offers_titles_holding_the_completed_word(fixture_index):
    from search.index_provider import IndexProvider
    from search.suggest import Suggester

    provider = IndexProvider(fixture_index)
    try:
        suggestions = Suggester().suggest(provider.snapshot().searcher, "farm", limit=30)
    finally:
        provider.close()
    titles = [s for s in suggestions if s.kind == "title"]
    assert titles and all(s.id for s in titles)
    assert all("farm" in s.text.lower() for s in titles), titles


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


def test_latency_histogram_by_endpoint_and_status(api):
    api.get("/api/search", params={"q": "Astana"})
    api.get("/api/search", params={"q": "astana", "page": "0"}, status=400)
    text = api.get("/metrics").text
    assert 'steppe_request_seconds_count{endpoint="/api/search",status="200"}' in text
    assert 'steppe_request_seconds_count{endpoint="/api/search",status="400"}' in text
    assert 'steppe_request_seconds_bucket{endpoint="/api/search",le="0.1",status="200"}' in text


WORKER = """
import sys, webtest
from search.app import create_app
from search.config import Config
api = webtest.TestApp(create_app(Config.from_env({}, index_dir=sys.argv[1], reload_interval=0.0)))
for _ in range(int(sys.argv[2])):
    api.get("/api/search", params={"q": "Astana"})
api.get("/api/search", params={"q": ""}, status=400)
print(api.get("/metrics").text)
"""


def run_worker(fixture_index, requests, env):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(fixture_index), str(requests)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def sample(text, name):
    return next(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name + " "))


def test_metrics_add_up_across_worker_processes(fixture_index, tmp_path):
    # what gunicorn workers do in multi-process mode: each writes its own files, /metrics sums them
    import os

    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    ok = 'steppe_requests_total{endpoint="/api/search",status="200"}'
    bad = 'steppe_requests_total{endpoint="/api/search",status="400"}'
    first = run_worker(fixture_index, 3, env)
    assert sample(first, ok) == 3 and sample(first, bad) == 1
    second = run_worker(fixture_index, 4, env)
    assert sample(second, ok) == 7 and sample(second, bad) == 2  # not this worker's 4: the service's 7
    assert sample(second, 'steppe_request_seconds_count{endpoint="/api/search",status="200"}') == 7
    assert sample(second, "steppe_index_documents") >= 11


def test_gunicorn_config_sets_up_multiprocess_metrics(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    script = """
import json, os, runpy, sys, types
given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if given:
    open(os.path.join(given, "counter_999.db"), "wb").close()  # left by an earlier run
conf = runpy.run_path(sys.argv[1])
conf["on_starting"](None)
directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
listed = os.listdir(directory)
open(os.path.join(directory, "gauge_livemostrecent_4242.db"), "wb").close()
conf["child_exit"](None, types.SimpleNamespace(pid=4242))
print(json.dumps({"dir": directory, "listed": listed, "after": os.listdir(directory)}))
conf["on_exit"](None)
print(os.path.exists(directory))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR", "prometheus_multiproc_dir")}
    conf = str(REPO / "deploy" / "gunicorn.conf.py")
    done = subprocess.run([sys.executable, "-c", script, conf], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    facts, exists = done.stdout.splitlines()
    facts = json.loads(facts)
    assert facts["dir"] and facts["listed"] == [] and facts["after"] == []  # fresh, and the dead worker's gauges removed
    assert exists == "False"  # the temp dir we made is removed when gunicorn exits
    given = dict(env, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script, conf], env=given, capture_output=True, text=True, timeout=60)
    facts = json.loads(done.stdout.splitlines()[0])
    assert facts["dir"] == str(tmp_path) and facts["listed"] == []  # stale counters cleared at start
    assert done.stdout.splitlines()[1] == "True"  # a directory we were given is not ours to remove
