"""Small endpoints: ``/api/suggest``, ``/metrics``, ``/openapi.json``."""

from __future__ import annotations

import falcon

from search.config import Config
from search.engine import SearchEngine
from search.errors import ParamError
from search.metrics import Metrics
from search.openapi import SPEC
from search.params import query_text
from search.suggest import Suggester

MAX_SUGGEST_CHARS = 100


class SuggestResource:
    """Completions for the search box."""

    def __init__(self, engine: SearchEngine, config: Config) -> None:
        self.engine = engine
        self.config = config
        self.suggester = Suggester()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """``{"query", "suggestions": [{"text", "kind", "id"}]}``."""
        q = query_text(lambda name: req.get_param_as_list(name) or [], self.config)
        if len(q) > MAX_SUGGEST_CHARS:
            raise ParamError("q", f"'q' for suggestions is limited to {MAX_SUGGEST_CHARS} characters")
        snap = self.engine.snapshot()
        suggestions = self.suggester.suggest(snap.searcher, q)
        req.context.index_version = snap.version
        resp.media = {"query": q, "suggestions": [{"text": s.text, "kind": s.kind, "id": s.id} for s in suggestions]}


class MetricsResource:
    """Prometheus exposition."""

    def __init__(self, metrics: Metrics, engine: SearchEngine) -> None:
        self.metrics = metrics
        self.engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Current counters, histograms and index gauges."""
        try:
            snap = self.engine.snapshot()
            self.metrics.doc_count.set(snap.searcher.doc_count())
            self.metrics.generation.set(int(snap.name.split("-")[-1]))
        except Exception:  # noqa: BLE001 - metrics must answer even without an index
            pass
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8"
        resp.data = self.metrics.render()
        resp.cache_control = ["no-store"]


class OpenAPIResource:
    """The API description."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The OpenAPI document."""
        resp.media = SPEC
