import json

import webtest

from indexer.cli import build
from search.app import create_app
from search.config import Config
from tests.conftest import CORPUS


def test_service_serves_a_new_generation_without_restart(tmp_path):
    index = tmp_path / "ix"
    build([CORPUS], index, max_skip_ratio=0.5, progress=False)
    app = webtest.TestApp(create_app(Config.from_env({}, index_dir=str(index), reload_interval=0.0)))
    assert app.get("/api/search", params={"q": "Semey"}).json["total"] == 0
    assert app.get("/healthz").json["generation"] == "gen-000001"

    extra = tmp_path / "new.jsonl"
    extra.write_text(json.dumps({"id": "new-1", "title": "Semey hosts a book fair", "body": "Semey book fair"}) + "\n")
    build([CORPUS, extra], index, max_skip_ratio=0.5, progress=False)

    body = app.get("/api/search", params={"q": "Semey"}).json
    assert body["total"] == 1 and body["hits"][0]["id"] == "new-1" and body["generation"] == "gen-000002"
    assert app.get("/healthz").json["doc_count"] == 12


def test_no_index_is_a_503_in_the_error_shape(tmp_path):
    app = webtest.TestApp(create_app(Config.from_env({}, index_dir=str(tmp_path / "empty"))))
    body = app.get("/api/search", params={"q": "x"}, status=503).json
    assert body["error"]["code"] == "index_unavailable"
    assert app.get("/healthz", status=503).json["error"]["code"] == "index_unavailable"
