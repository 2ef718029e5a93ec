"""The peers behind HTTP: a Tantivy- or SQLite-FTS5-backed ``/api/search`` under gunicorn.

For the side-by-side HTTP run the peers get the serving stack Steppe has (Falcon app, gunicorn
on 127.0.0.1, the same number of workers), doing the same job per request as their in-process
full-work mode: top 10, exact count, snippets for body and title, JSON out. Each worker opens
its own searcher (sync workers: one request at a time each, as those libraries' handles are
not shared between threads here).

``gunicorn 'bench.peer_server:app("tantivy", "/path/to/index")'`` (``bench.runner`` starts it).
"""

from __future__ import annotations

import json
from pathlib import Path

import falcon

from bench import engines
from bench.engines.base import FULL

MAX_PER_PAGE = 100


class PeerSearch:
    """``GET /api/search?q=&per_page=``: ``{"total", "hits": [{"id", "snippet"}]}``."""

    def __init__(self, engine: str, index_dir: Path) -> None:
        self.searcher = engines.get(engine).open(index_dir)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:  # noqa: D102 - Falcon responder
        text = req.get_param("q") or ""
        per_page = min(MAX_PER_PAGE, req.get_param_as_int("per_page", min_value=1) or 10)
        result = self.searcher.search(text, FULL, per_page)
        snippets = result.snippets or [""] * len(result.ids)
        resp.text = json.dumps(
            {
                "total": result.total,
                "relaxed": result.relaxed,
                "hits": [{"id": i, "snippet": s} for i, s in zip(result.ids, snippets, strict=False)],
            },
            ensure_ascii=False,
        )


class Health:
    """``GET /healthz``: the server is up."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:  # noqa: D102 - Falcon responder
        resp.text = json.dumps({"status": "ok"})


def app(engine: str, index_dir: str) -> falcon.App:
    """The WSGI app for one peer engine's index."""
    wsgi = falcon.App()
    wsgi.add_route("/api/search", PeerSearch(engine, Path(index_dir)))
    wsgi.add_route("/healthz", Health())
    return wsgi
