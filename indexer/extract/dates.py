"""Publication dates in English, Russian and Kazakh forms, normalised to a UTC calendar date.

Parsing is dateparser's; we only reorder the Kazakh "2025 жылғы 29 наурыз" (year first) into
a day-month-year shape it reads, and reject dates outside the plausible news range. Machine
formats (ISO 8601, RFC 2822), which most crawl records carry, are read by the standard library
first: dateparser spends milliseconds per call trying every locale, which was a tenth of the
indexing time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import lru_cache

import dateparser
from dateparser.search import search_dates

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


def _utc_date(value: dt.datetime) -> dt.date:
    return value.astimezone(dt.UTC).date() if value.tzinfo else value.date()


_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_RFC_2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")


def _parse_machine_format(text: str) -> dt.date | None:
    """ISO 8601 or RFC 2822 via the standard library; ``None`` when it is neither."""
    if _ISO_START.match(text):
        try:
            return _utc_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text))
        except ValueError:
            return None
    if _RFC_2822.match(text):
        try:
            return _utc_date(email.utils.parsedate_to_datetime(text))
        except (TypeError, ValueError):
            return None
    return None


@lru_cache(maxsize=4096)
def _parse(text: str) -> dt.date | None:
    fast = _parse_machine_format(text)
    if fast is not None:
        return fast
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


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
TEXT_WINDOW = 160
_TEXT_SETTINGS = {**_SETTINGS, "REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]}


def date_in_text(text: str) -> dt.date | None:
    """A full date (day, month, year) written near the start of an article's text, or ``None``.

    For records whose source gave no date. Cheap when there is no year in the window (the
    common case), since dateparser's search is slow.
    """
    window = text[:TEXT_WINDOW]
    if not _YEAR.search(window):
        return None
    try:
        found = search_dates(window, languages=LANGUAGES, settings=_TEXT_SETTINGS)
    except (ValueError, OverflowError):
        return None
    for _, value in found or ():
        date = value.astimezone(dt.UTC).date() if value.tzinfo else value.date()
        if EARLIEST <= date <= latest_plausible():
            return date
    return None
