"""The OpenAPI 3.1 description served at ``/openapi.json``.

Kept next to the code it describes; a test checks every route of the app appears here.
"""

from __future__ import annotations

from search.params import FACETS, SORTS

_ERROR = {"$ref": "#/components/schemas/Error"}


def _param(name: str, description: str, schema: dict[str, object], required: bool = False) -> dict[str, object]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def _json(description: str, schema: dict[str, object]) -> dict[str, object]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SEARCH_PARAMS = [
    _param(
        "q",
        'Query: words (all must match), "phrases", -exclusion, OR, prefix*; a colon separates words',
        {"type": "string", "maxLength": 1000},
        True,
    ),
    _param("page", "Page number", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1}),
    _param("per_page", "Hits per page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
    _param("sort", "Ranking or date order (-date: newest first; undated last)", {"type": "string", "enum": list(SORTS)}),
    _param("lang", "Language filter (repeatable, OR)", {"type": "array", "items": {"type": "string"}}),
    _param("country", "ISO country filter (repeatable, OR)", {"type": "array", "items": {"type": "string"}}),
    _param("entity", "Entity id filter (repeatable, OR)", {"type": "array", "items": {"type": "string"}}),
    _param("date_from", "First day (ISO date)", {"type": "string", "format": "date"}),
    _param("date_to", "Last day (ISO date)", {"type": "string", "format": "date"}),
    _param("facets", "Facets to count", {"type": "array", "items": {"type": "string", "enum": list(FACETS)}}),
    _param("exact", "Turn cross-script and alias matching off", {"type": "boolean"}),
]

SPEC: dict[str, object] = {
    "openapi": "3.1.0",
    "info": {"title": "Steppe Search", "version": "1", "description": "Search Central Asia news in any script."},
    "paths": {
        "/api/search": {
            "get": {
                "summary": "Ranked, highlighted search with exact totals and facets",
                "parameters": SEARCH_PARAMS,
                "responses": {
                    "200": _json("Results", {"$ref": "#/components/schemas/SearchResult"}),
                    "400": _json("Bad parameter", _ERROR),
                },
            }
        },
        "/api/suggest": {
            "get": {
                "summary": "Search-as-you-type completions",
                "parameters": [_param("q", "What was typed so far", {"type": "string"}, True)],
                "responses": {"200": _json("Completions", {"type": "object"}), "400": _json("Bad parameter", _ERROR)},
            }
        },
        "/api/articles/{id}": {
            "get": {
                "summary": "One stored article",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("The article", {"type": "object"}), "404": _json("Unknown id", _ERROR)},
            }
        },
        "/healthz": {"get": {"summary": "Liveness and index facts", "responses": {"200": _json("Up", {"type": "object"})}}},
        "/readyz": {
            "get": {
                "summary": "Readiness: an index is open and usable",
                "responses": {"200": _json("Ready", {"type": "object"}), "503": _json("Not ready", _ERROR)},
            }
        },
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Exposition text"}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        "/": {"get": {"summary": "The search page (HTML)", "responses": {"200": {"description": "HTML"}}}},
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message", "param"],
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "param": {"type": ["string", "null"]},
                        },
                    }
                },
            },
            "SearchResult": {
                "type": "object",
                "required": ["query", "total", "page", "per_page", "took_ms", "hits"],
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer"},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "took_ms": {"type": "number"},
                    "relaxed": {"type": "boolean"},
                    "partial": {"type": "boolean"},
                    "did_you_mean": {"type": ["string", "null"]},
                    "generation": {"type": "string"},
                    "hits": {"type": "array", "items": {"type": "object"}},
                    "facets": {"type": "object"},
                },
            },
        }
    },
}
