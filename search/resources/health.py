"""``GET /healthz`` (liveness plus index facts) and ``GET /readyz`` (an index is open and usable)."""

from __future__ import annotations

import datetime as dt
import time

import falcon

from indexer.analysis import SCHEMA_VERSION
from search.engine import SearchEngine


def index_facts(engine: SearchEngine) -> dict[str, object]:
    """Generation, document count, age and schema of the index this worker serves."""
    snap = engine.snapshot()
    created = snap.meta.get("created")
    age = None
    if isinstance(created, str):
        try:
            age = round((dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(created)).total_seconds())
        except ValueError:
            age = None
    return {
        "generation": snap.name,
        "doc_count": snap.searcher.doc_count(),
        "index_created": created,
        "index_age_seconds": age,
        "schema_version": snap.meta.get("schema_version"),
        "opened_seconds_ago": round(time.time() - snap.opened_at, 1),
    }


class HealthResource:
    """Liveness: 200 while the process answers and an index is open (503 JSON error otherwise)."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Status and index facts."""
        resp.media = {"status": "ok", **index_facts(self.engine)}
        resp.set_header("Cache-Control", "no-store")


class ReadyResource:
    """Readiness: an index is open, has documents and was built by this schema version."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """200 when ready to take traffic; 503 with the reason otherwise."""
        facts = index_facts(self.engine)
        problems = []
        if facts["schema_version"] != SCHEMA_VERSION:
            problems.append(f"index schema {facts['schema_version']} != service schema {SCHEMA_VERSION}: rebuild it")
        if not facts["doc_count"]:
            problems.append("the index has no documents")
        resp.set_header("Cache-Control", "no-store")
        if problems:
            raise falcon.HTTPServiceUnavailable(title="not_ready", description="; ".join(problems))
        resp.media = {"status": "ready", **facts}
