"""``GET /api/articles/{id}``: one stored article, or a 404 in the error shape."""

from __future__ import annotations

import datetime as dt

import falcon

from search.engine import SearchEngine


class ArticleResource:
    """The stored fields of one article, by its document id."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response, article_id: str) -> None:
        """200 with the article; 404 when the id is unknown."""
        snap = self.engine.snapshot()
        docnum = snap.searcher.document_number(id=article_id)
        if docnum is None:
            raise falcon.HTTPNotFound(title="not_found", description=f"no article with id {article_id!r}")
        stored = snap.searcher.stored_fields(docnum)
        req.context.index_version = snap.version
        date = stored.get("date")
        resp.media = {
            "id": stored["id"],
            "url": stored.get("url") or "",
            "title": stored.get("title") or "",
            "date": date.date().isoformat() if isinstance(date, dt.datetime) else None,
            "lang": stored.get("lang") or "",
            "countries": [c for c in (stored.get("country") or "").split(",") if c],
            "entities": stored.get("entities") or [],
            "body": stored.get("body") or "",
            "generation": snap.name,
        }
