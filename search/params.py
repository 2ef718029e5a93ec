"""Request parameters validated at the boundary into frozen dataclasses.

Anything malformed raises :class:`~search.errors.ParamError` naming the parameter, so the HTTP
layer answers 400 and the CLI prints one clear line; nothing invalid reaches the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.config import Config
from search.errors import ParamError

Getter = Callable[[str], list[str]]


@dataclass(frozen=True)
class SearchParams:
    """A validated search request."""

    q: str
    page: int = 1
    per_page: int = 10
    exact: bool = False

    @property
    def offset(self) -> int:
        """Index of the first hit of the page in the full ranking."""
        return (self.page - 1) * self.per_page


def _single(get: Getter, name: str) -> str | None:
    values = get(name)
    if not values:
        return None
    if len({v for v in values}) > 1:
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
    """Validate ``q``, ``page``, ``per_page`` and ``exact``."""
    q = query_text(get, config)
    per_page = _int(get, "per_page", config.default_per_page, 1, config.max_per_page)
    page = _int(get, "page", 1, 1, config.max_page)
    return SearchParams(q=q, page=page, per_page=per_page, exact=_bool(get, "exact"))
