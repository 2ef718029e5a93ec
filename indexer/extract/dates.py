"""Publication dates in English, Russian and Kazakh forms, normalised to a UTC calendar date.

Parsing is dateparser's; we only reorder the Kazakh "2025 жылғы 29 наурыз" (year first) into
a day-month-year shape it reads, and reject dates outside the plausible news range.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import dateparser

LANGUAGES = ["en", "ru", "kk"]
_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TO_TIMEZONE": "UTC",
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year"],
}
_KAZAKH_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*(?:ж\.|жылғы|жылы)?\s+(\d{1,2})\s+([^\d\s]+)\s*$", re.IGNORECASE)
_LOOKS_LIKE_DATE = re.compile(r"\d")
EARLIEST = dt.date(1900, 1, 1)
MAX_LINE = 64


class ImplausibleDate(ValueError):
    """A date was found but lies outside the plausible range (e.g. in 2099)."""


def latest_plausible() -> dt.date:
    """Tomorrow in UTC: allows for time zones ahead of UTC, nothing further."""
    return dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)


@lru_cache(maxsize=4096)
def _parse(text: str) -> dt.date | None:
    match = _KAZAKH_YEAR_FIRST.match(text)
    if match:
        text = f"{match.group(2)} {match.group(3)} {match.group(1)}"
    parsed = dateparser.parse(text, languages=LANGUAGES, settings=_SETTINGS)
    return parsed.astimezone(dt.UTC).date() if parsed else None


def parse_date(text: str) -> dt.date | None:
    """The UTC date written in ``text``, or ``None`` when it is not a date.

    >>> parse_date("2025 жылғы 29 наурыз"), parse_date("29 марта 2025")
    (datetime.date(2025, 3, 29), datetime.date(2025, 3, 29))

    Raises :class:`ImplausibleDate` for a real date outside 1900 … tomorrow.
    """
    text = text.strip()
    if not text or len(text) > MAX_LINE or not _LOOKS_LIKE_DATE.search(text):
        return None
    date = _parse(text)
    if date is None:
        return None
    if not EARLIEST <= date <= latest_plausible():
        raise ImplausibleDate(f"date {date.isoformat()} is outside {EARLIEST.isoformat()} … tomorrow")
    return date
