"""``GET /``: the server-rendered search page (works without JavaScript).

Same parameters as ``/api/search``; the page always asks for every facet and renders each
value as a link that toggles it, keeping the rest of the query string.
"""

from __future__ import annotations

import html
import urllib.parse
from importlib import resources
from string import Template

import falcon

from search.config import Config
from search.engine import Hit, SearchEngine, SearchResult
from search.errors import ParamError
from search.facets import FacetResult
from search.params import FACETS, SearchParams, parse_search_params

_TEMPLATE = Template(resources.files("search").joinpath("templates/page.html").read_text(encoding="utf-8"))
SORT_LABELS = {"relevance": "best match", "-date": "newest", "date": "oldest"}


LINK_SCHEMES = ("http", "https")


def safe_href(url: str) -> str | None:
    """``url`` when it is an absolute http(s) URL, else ``None``.

    A crawled ``javascript:`` or ``data:`` URL must never become a link (browsers ignore case,
    spaces and tabs in the scheme, and so does ``urlsplit``).
    """
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return parts.geturl()


def _hit_html(hit: Hit) -> str:
    title = hit.title_html or html.escape(hit.id)
    href = safe_href(hit.url)
    link = f'<a href="{html.escape(href, quote=True)}">{title}</a>' if href else title
    meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.lang) if x)
    return f'<li class="hit"><h2>{link}</h2><p class="meta">{html.escape(meta)}</p><p class="snippet">{hit.snippet}</p></li>'


def _link(pairs: list[tuple[str, str]], label: str, css: str = "") -> str:
    href = html.escape("/?" + urllib.parse.urlencode(pairs), quote=True)
    css_attr = f' class="{css}"' if css else ""
    return f'<a href="{href}"{css_attr}>{label}</a>'


class PageResource:
    """Search form, results, facets and pager, rendered on the server."""

    def __init__(self, engine: SearchEngine, config: Config) -> None:
        self.engine = engine
        self.config = config

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Render the form, and the results when ``q`` is given."""
        q = req.get_param("q") or ""
        pairs = [(k, v) for k, v in urllib.parse.parse_qsl(req.query_string, keep_blank_values=False) if k != "facets"]
        body = ""
        status = falcon.HTTP_200
        if q.strip():
            values: dict[str, list[str]] = {}
            for key, value in pairs:
                values.setdefault(key, []).append(value)
            values["facets"] = list(FACETS)
            try:
                params = parse_search_params(lambda name: values.get(name, []), self.config)
                body = self._results(params, self.engine.search(params), pairs)
            except ParamError as err:
                status = falcon.HTTP_400
                body = f'<p class="error">{html.escape(err.message)}</p>'
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.text = _TEMPLATE.substitute(q=html.escape(q, quote=True), results=body)

    def _results(self, params: SearchParams, result: SearchResult, pairs: list[tuple[str, str]]) -> str:
        shown_from = params.offset + 1 if result.hits else 0
        shown_to = params.offset + len(result.hits)
        summary = f"{result.total} result{'s' if result.total != 1 else ''}" + (
            f", showing {shown_from}–{shown_to}" if result.hits else ""
        )
        notes = []
        if result.relaxed:
            notes.append("No article has every word; showing articles with some of them.")
        if result.partial:
            notes.append("The search took too long; these are the results found so far.")
        if result.did_you_mean:
            suggestion = [(k, v) for k, v in pairs if k not in ("q", "page")] + [("q", result.did_you_mean)]
            notes.append("Did you mean " + _link(suggestion, f"<em>{html.escape(result.did_you_mean)}</em>") + "?")
        unpaged = [(k, v) for k, v in pairs if k != "page"]
        sorts = " · ".join(
            f"<strong>{label}</strong>"
            if params.sort == key
            else _link([(k, v) for k, v in unpaged if k != "sort"] + [("sort", key)], label)
            for key, label in SORT_LABELS.items()
        )
        pager = []
        if params.page > 1:
            pager.append(_link(unpaged + [("page", str(params.page - 1))], "← previous"))
        if shown_to < result.total:
            pager.append(_link(unpaged + [("page", str(params.page + 1))], "next →"))
        facets = "".join(self._facet_html(f, unpaged) for f in result.facets)
        items = "".join(_hit_html(h) for h in result.hits)
        return (
            f'<p class="summary">{html.escape(summary)} <span class="took">({result.took_ms:.0f} ms)</span>'
            f' <span class="sort">sort: {sorts}</span></p>'
            + "".join(f'<p class="note">{n}</p>' for n in notes)
            + f'<div class="layout"><aside class="facets">{facets}</aside>'
            f'<div><ol class="hits">{items}</ol><nav class="pager">{" ".join(pager)}</nav></div></div>'
        )

    @staticmethod
    def _facet_html(facet: FacetResult, pairs: list[tuple[str, str]]) -> str:
        rows = []
        if facet.name == "date":
            for value in facet.years:
                year, selected = value.value, value.selected
                rest = [(k, v) for k, v in pairs if k not in ("date_from", "date_to")]
                target = rest if selected else rest + [("date_from", f"{year}-01-01"), ("date_to", f"{year}-12-31")]
                rows.append(f"<li>{_link(target, html.escape(year), 'on' if selected else '')} {value.count}</li>")
        else:
            for value in facet.values:
                pair = (facet.name, value.value)
                target = [p for p in pairs if p != pair] if value.selected else pairs + [pair]
                label = html.escape(value.label)
                rows.append(f"<li>{_link(target, label, 'on' if value.selected else '')} {value.count}</li>")
        if not rows:
            return ""
        return f"<section><h3>{html.escape(facet.name)}</h3><ul>{''.join(rows)}</ul></section>"
