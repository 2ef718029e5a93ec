"""``GET /``: a small server-rendered search page (works without JavaScript)."""

from __future__ import annotations

import html
import urllib.parse
from importlib import resources
from string import Template

import falcon

from search.config import Config
from search.engine import SearchEngine
from search.errors import ParamError
from search.params import parse_search_params

_TEMPLATE = Template(resources.files("search").joinpath("templates/page.html").read_text(encoding="utf-8"))


def _hit_html(hit) -> str:  # noqa: ANN001 - engine.Hit
    title = hit.title_html or html.escape(hit.id)
    link = f'<a href="{html.escape(hit.url, quote=True)}">{title}</a>' if hit.url else title
    meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.lang) if x)
    return f'<li class="hit"><h2>{link}</h2><p class="meta">{html.escape(meta)}</p><p class="snippet">{hit.snippet}</p></li>'


class PageResource:
    """Search form and results, rendered on the server."""

    def __init__(self, engine: SearchEngine, config: Config) -> None:
        self.engine = engine
        self.config = config

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Render the form, and the results when ``q`` is given."""
        q = req.get_param("q") or ""
        body = ""
        status = falcon.HTTP_200
        if q.strip():
            try:
                params = parse_search_params(lambda name: req.get_param_as_list(name) or [], self.config)
                result = self.engine.search(params)
                shown_from = params.offset + 1 if result.hits else 0
                shown_to = params.offset + len(result.hits)
                summary = (
                    f"{result.total} result{'s' if result.total != 1 else ''}"
                    + (f", showing {shown_from}–{shown_to}" if result.hits else "")
                    + (" (no article has every word; showing articles with some of them)" if result.relaxed else "")
                )
                items = "".join(_hit_html(h) for h in result.hits)
                pager = []
                base = {"q": q, "per_page": params.per_page}
                for rel, page, label in (("prev", params.page - 1, "← previous"), ("next", params.page + 1, "next →")):
                    if (rel == "prev" and page >= 1) or (rel == "next" and shown_to < result.total):
                        href = html.escape("/?" + urllib.parse.urlencode({**base, "page": page}), quote=True)
                        pager.append(f'<a rel="{rel}" href="{href}">{label}</a>')
                body = (
                    f'<p class="summary">{html.escape(summary)} <span class="took">({result.took_ms:.0f} ms)</span></p>'
                    f'<ol class="hits">{items}</ol><nav class="pager">{" ".join(pager)}</nav>'
                )
            except ParamError as err:
                status = falcon.HTTP_400
                body = f'<p class="error">{html.escape(err.message)}</p>'
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.text = _TEMPLATE.substitute(q=html.escape(q, quote=True), results=body)
