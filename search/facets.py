"""Exact facet counts over every match, with multi-select ("disjunctive") semantics.

A facet's counts ignore that facet's own selection (so a reader can tick a second country and
see how many articles it would add) but honour every other filter. Counting reads one column
value per matching document: no stored documents are loaded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from indexer.writer import decode_facet_values

LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh", "ky": "Kyrgyz", "other": "Other"}
COLUMN_OF = {"lang": "lang", "country": "facet_country", "entity": "facet_entity"}
FIELD_OF = {"lang": "lang", "country": "country", "entity": "entity"}


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its exact count."""

    value: str
    label: str
    count: int
    selected: bool
    type: str = ""


@dataclass(frozen=True)
class FacetResult:
    """A facet's values, most frequent first (``date`` has year and month buckets instead)."""

    name: str
    values: tuple[FacetValue, ...] = ()
    years: tuple[FacetValue, ...] = ()
    months: tuple[FacetValue, ...] = ()


def date_column(searcher: Searcher) -> object | None:
    """The raw (untranslated) date column, or ``None`` when no document has a date."""
    reader = searcher.reader()
    return reader.column_reader("date", translate=False) if reader.has_column("date") else None


def date_of(column: object | None, docnum: int) -> dt.datetime | None:
    """A document's date from the raw column; ``None`` for undated documents (column default)."""
    if column is None:
        return None
    raw = column[docnum]  # type: ignore[index]
    if not raw:
        return None
    try:
        value = long_to_datetime(raw)
    except (OverflowError, ValueError):
        return None
    return value if value.year >= 1900 else None


def filter_query(name: str, values: Iterable[str]) -> wq.Query:
    """The query a facet selection stands for (OR within the facet)."""
    terms = [wq.Term(FIELD_OF[name], v) for v in values]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def date_query(date_from: dt.date | None, date_to: dt.date | None) -> wq.Query | None:
    """Inclusive calendar-date range, or ``None`` when unbounded."""
    if date_from is None and date_to is None:
        return None
    start = dt.datetime.combine(date_from, dt.time.min) if date_from else None
    end = dt.datetime.combine(date_to, dt.time.max) if date_to else None
    return wq.DateRange("date", start, end)


def _values_of(searcher: Searcher, name: str, docnums: Iterable[int]) -> Counter[tuple[str, ...]]:
    reader = searcher.reader()
    column = COLUMN_OF[name]
    counts: Counter[tuple[str, ...]] = Counter()
    if not reader.has_column(column):
        return counts
    values = reader.column_reader(column)
    if name == "lang":
        for docnum in docnums:
            value = values[docnum]
            if value:
                counts[(value if isinstance(value, str) else value.decode("utf-8"),)] += 1
        return counts
    for docnum in docnums:
        for value in decode_facet_values(values[docnum]):
            counts[tuple(value)] += 1
    return counts


DateRange = tuple[dt.date | None, dt.date | None]


def count_facet(
    searcher: Searcher,
    name: str,
    docnums: set[int],
    selected: tuple[str, ...],
    limit: int,
    date_range: DateRange = (None, None),
) -> FacetResult:
    """Exact counts of one facet over ``docnums``; selected values always listed.

    ``date_range`` (``date_from``, ``date_to``) selects a ``date`` bucket when it is exactly that
    bucket's year or month, first to last day.
    """
    if name == "date":
        return _count_dates(searcher, docnums, date_range)
    counts = _values_of(searcher, name, docnums)
    values = [
        FacetValue(
            value=key[0],
            label=key[1] if len(key) > 1 else LANGUAGE_NAMES.get(key[0], key[0]),
            count=count,
            selected=key[0] in selected,
            type=key[2] if len(key) > 2 else "",
        )
        for key, count in counts.items()
    ]
    values.sort(key=lambda v: (-v.count, v.label))
    top = values[:limit]
    top += [v for v in values[limit:] if v.selected]
    listed = {v.value for v in top}
    top += [FacetValue(value=s, label=s, count=0, selected=True) for s in selected if s not in listed]
    return FacetResult(name=name, values=tuple(top))


def year_range(year: int) -> DateRange:
    """First and last day of ``year``: the range that selects its bucket."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def month_range(year: int, month: int) -> DateRange:
    """First and last day of a month: the range that selects its bucket."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, 1), following - dt.timedelta(days=1)


def _count_dates(searcher: Searcher, docnums: set[int], date_range: DateRange = (None, None)) -> FacetResult:
    column = date_column(searcher)
    years: Counter[int] = Counter()
    months: Counter[tuple[int, int]] = Counter()
    for docnum in docnums:
        value = date_of(column, docnum)
        if value is not None:
            years[value.year] += 1
            months[(value.year, value.month)] += 1
    year_values = []
    for year, count in sorted(years.items(), reverse=True):
        label = f"{year:04d}"
        year_values.append(FacetValue(label, label, count, year_range(year) == date_range))
    month_values = []
    for (year, month), count in sorted(months.items(), reverse=True):
        label = f"{year:04d}-{month:02d}"
        month_values.append(FacetValue(label, label, count, month_range(year, month) == date_range))
    return FacetResult(name="date", years=tuple(year_values), months=tuple(month_values))
