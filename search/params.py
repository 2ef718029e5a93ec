"""Request parameters validated at the boundary into frozen dataclasses.

Anything malformed raises :class:`~search.errors.ParamError` naming the parameter, so the HTTP
layer answers 400 and the CLI prints one clear line; nothing invalid reaches the engine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from search.config import Config
from search.errors import ParamError

Getter = Callable[[str], list[str]]

SORTS = ("relevance", "date", "-date")
FACETS = ("lang", "country", "entity", "date")
FILTERS = ("lang", "country", "entity")
MAX_FILTER_VALUES = 20
_FILTER_VALUE = re.compile(r"^[\w.:-]{1,64}$")


@dataclass(frozen=True)
class SearchParams:
    """A validated search request."""

    q: str
    page: int = 1
    per_page: int = 10
    exact: bool = False
    sort: str = "relevance"
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    facets: tuple[str, ...] = ()

    @property
    def offset(self) -> int:
        """Index of the first hit of the page in the full ranking."""
        return (self.page - 1) * self.per_page

    def selected(self, facet: str) -> tuple[str, ...]:
        """Values selected for one facet (OR within the facet)."""
        return dict(self.filters).get(facet, ())


def _single(get: Getter, name: str) -> str | None:
    values = get(name)
    if not values:
        return None
    if len(set(values)) > 1:
        raise ParamError(name, f"'{name}' was given {len(values)} different values; give it once")
    return values[0]


def _int(get: Getter, name: str, default: int, low: int, high: int) -> int:
    raw = _single(get, name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ParamError(name, f"'{name}' must be an integer, got {raw[:40]!r}") from None
    if not low <= value <= high:
        raise ParamError(name, f"'{name}' must be between {low} and {high}, got {value}")
    return value


def _bool(get: Getter, name: str) -> bool:
    raw = _single(get, name)
    if raw is None or raw == "":
        return False
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ParamError(name, f"'{name}' must be 1/0 or true/false, got {raw[:40]!r}")


def _date(get: Getter, name: str) -> dt.date | None:
    raw = _single(get, name)
    if raw is None or raw == "":
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ParamError(name, f"'{name}' must be an ISO date like 2025-03-29, got {raw[:40]!r}") from None


def _choice(get: Getter, name: str, choices: tuple[str, ...], default: str) -> str:
    raw = _single(get, name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise ParamError(name, f"'{name}' must be one of {', '.join(choices)}, got {raw[:40]!r}")
    return raw


def _values(get: Getter, name: str) -> tuple[str, ...]:
    """A repeatable parameter (``country=KZ&country=KG`` or ``country=KZ,KG``), de-duplicated."""
    values: list[str] = []
    for raw in get(name):
        for value in raw.split(","):
            value = value.strip()
            if not value:
                continue
            if not _FILTER_VALUE.match(value):
                raise ParamError(name, f"'{name}' values are codes or ids (letters, digits, . : - _), got {value[:40]!r}")
            if value not in values:
                values.append(value)
    if len(values) > MAX_FILTER_VALUES:
        raise ParamError(name, f"'{name}' accepts at most {MAX_FILTER_VALUES} values")
    return tuple(values)


def query_text(get: Getter, config: Config, required: bool = True) -> str:
    """The ``q`` parameter, trimmed and bounded."""
    raw = _single(get, "q")
    if raw is None or not raw.strip():
        if required:
            raise ParamError("q", "'q' is required and must not be empty", code="missing_parameter")
        return ""
    if "\x00" in raw:
        raise ParamError("q", "'q' must not contain NUL characters")
    if len(raw) > config.max_query_chars:
        raise ParamError("q", f"'q' is {len(raw)} characters long; the limit is {config.max_query_chars}")
    return raw.strip()


def parse_search_params(get: Getter, config: Config) -> SearchParams:
    """Validate every search parameter; see README's API section for their meaning."""
    q = query_text(get, config)
    per_page = _int(get, "per_page", config.default_per_page, 1, config.max_per_page)
    page = _int(get, "page", 1, 1, config.max_page)
    date_from, date_to = _date(get, "date_from"), _date(get, "date_to")
    if date_from and date_to and date_from > date_to:
        raise ParamError("date_from", f"'date_from' ({date_from}) is after 'date_to' ({date_to})")
    facets = _values(get, "facets")
    unknown = [f for f in facets if f not in FACETS]
    if unknown:
        raise ParamError("facets", f"unknown facet {unknown[0]!r}; known facets: {', '.join(FACETS)}")
    filters = tuple((name, values) for name in FILTERS if (values := _values(get, name)))
    return SearchParams(
        q=q,
        page=page,
        per_page=per_page,
        exact=_bool(get, "exact"),
        sort=_choice(get, "sort", SORTS, "relevance"),
        filters=filters,
        date_from=date_from,
        date_to=date_to,
        facets=facets,
    )
