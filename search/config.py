"""Service settings, declared once as a table: name, default, environment variable, help.

README's settings section is generated from the same table (a test checks they agree).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One tunable: its default, the environment variable that overrides it, what it does."""

    name: str
    default: object
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("index_dir", "", "STEPPE_INDEX", "Index directory (the one holding `current`). Required."),
    Setting("reload_interval", 1.0, "STEPPE_RELOAD_INTERVAL", "Seconds between checks for a newly published index."),
    Setting("max_query_chars", 1000, "STEPPE_MAX_QUERY_CHARS", "Longest accepted `q`, in characters."),
    Setting("max_query_terms", 32, "STEPPE_MAX_QUERY_TERMS", "Most words/phrases accepted in one query."),
    Setting("max_per_page", 100, "STEPPE_MAX_PER_PAGE", "Largest `per_page`."),
    Setting("max_page", 1000, "STEPPE_MAX_PAGE", "Largest `page`."),
    Setting("default_per_page", 10, "STEPPE_DEFAULT_PER_PAGE", "`per_page` when not given."),
    Setting("time_limit", 0.8, "STEPPE_TIME_LIMIT", "Seconds a search may run before returning partial results."),
    Setting("snippet_chars", 250, "STEPPE_SNIPPET_CHARS", "Approximate length of a snippet."),
    Setting("facet_limit", 10, "STEPPE_FACET_LIMIT", "Values listed per facet (country, entity, lang)."),
    Setting("recency_weight", 0.1, "STEPPE_RECENCY_WEIGHT", "Score boost of a brand-new article (0 turns recency off)."),
    Setting("recency_half_life_days", 365.0, "STEPPE_RECENCY_HALF_LIFE_DAYS", "Age at which the boost halves."),
    Setting(
        "question_words",
        5,
        "STEPPE_QUESTION_WORDS",
        "Plain words from which a query is ranked as a question (function words dropped, not every word required,"
        " BM25F; see docs/relevance.md); 0 turns question ranking off.",
    ),
    Setting("cors_origins", "*", "STEPPE_CORS_ORIGINS", "Origins allowed to call the API from a browser (comma list or *)."),
    Setting("cache_max_age", 60, "STEPPE_CACHE_MAX_AGE", "Cache-Control max-age of API answers, in seconds."),
)


@dataclass(frozen=True)
class Config:
    """Resolved settings of one service instance."""

    index_dir: Path
    reload_interval: float = 1.0
    max_query_chars: int = 1000
    max_query_terms: int = 32
    max_per_page: int = 100
    max_page: int = 1000
    default_per_page: int = 10
    time_limit: float = 0.8
    snippet_chars: int = 250
    facet_limit: int = 10
    recency_weight: float = 0.1
    recency_half_life_days: float = 365.0
    question_words: int = 5
    cors_origins: str = "*"
    cache_max_age: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Defaults, overridden by environment variables, overridden by keyword arguments."""
        environ = os.environ if environ is None else environ
        types = {f.name: f.type for f in fields(cls)}
        values: dict[str, object] = {}
        for setting in SETTINGS:
            raw = overrides.get(setting.name, environ.get(setting.env, setting.default))
            kind = types[setting.name]
            if kind in ("float", float):
                values[setting.name] = float(raw)
            elif kind in ("int", int):
                values[setting.name] = int(raw)
            elif kind in ("str", str):
                values[setting.name] = str(raw)
            else:
                values[setting.name] = Path(str(raw)) if raw else Path()
        if not str(values["index_dir"]) or str(values["index_dir"]) == ".":
            raise ValueError("no index directory: set STEPPE_INDEX or pass --index")
        return cls(**values)
