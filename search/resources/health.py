"""``GET /healthz``: the service is up and which index generation it serves."""

from __future__ import annotations

import time

import falcon

from search.engine import SearchEngine


class HealthResource:
    """Liveness plus index facts (generation, document count, age)."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """200 with the served generation; 503 (JSON error) while no index can be opened."""
        snap = self.engine.snapshot()
        resp.media = {
            "status": "ok",
            "generation": snap.name,
            "doc_count": snap.searcher.doc_count(),
            "index_created": snap.meta.get("created"),
            "opened_seconds_ago": round(time.time() - snap.opened_at, 1),
        }
        resp.set_header("Cache-Control", "no-store")
