"""Engine results → the JSON documents of the public API (one place for the wire format)."""

from __future__ import annotations

from search.engine import Hit, SearchResult
from search.facets import FacetResult, FacetValue


def _value(v: FacetValue) -> dict[str, object]:
    out: dict[str, object] = {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
    if v.type:
        out["type"] = v.type
    return out


def facet_to_json(facet: FacetResult) -> object:
    """A facet: a list of values, or for ``date`` its ``year`` and ``month`` buckets."""
    if facet.name == "date":
        return {"year": [_value(v) for v in facet.years], "month": [_value(v) for v in facet.months]}
    return [_value(v) for v in facet.values]


def hit_to_dict(hit: Hit) -> dict[str, object]:
    """One hit as the API returns it."""
    return {
        "id": hit.id,
        "url": hit.url,
        "title": hit.title,
        "title_html": hit.title_html,
        "date": hit.date.isoformat() if hit.date else None,
        "lang": hit.lang,
        "score": hit.score,
        "snippet": hit.snippet,
    }


def result_to_dict(result: SearchResult) -> dict[str, object]:
    """A search response body."""
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "took_ms": result.took_ms,
        "relaxed": result.relaxed,
        "partial": result.partial,
        "did_you_mean": result.did_you_mean,
        "generation": result.generation,
        "hits": [hit_to_dict(h) for h in result.hits],
        "facets": {f.name: facet_to_json(f) for f in result.facets},
    }
