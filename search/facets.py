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

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from indexer.writer import decode_facet_values
from search.evaluate import numeric_column

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


class FacetTables:
    """Every document's facet values as arrays, built once per index snapshot.

    Counting a facet over a query's matches is then one ``numpy.bincount`` over a boolean mask
    (the evaluator's output) instead of a column read and a string split per matching
    document, which for a broad query (tens of thousands of matches, four facets) cost more
    than the search itself.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.size = searcher.reader().doc_count_all()
        self._tables: dict[str, tuple[list[tuple[str, ...]], np.ndarray, np.ndarray]] = {}
        self._dates: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._month_index: np.ndarray | None = None
        self._first_year: int | None = None
        # Built now, once: the tables are then read-only and shared by the worker's threads.
        for name in COLUMN_OF:
            self._table(name)
        self.date_arrays()
        self.month_index()
        self.searcher = None  # type: ignore[assignment] - never read again from another thread

    def _table(self, name: str) -> tuple[list[tuple[str, ...]], np.ndarray, np.ndarray]:
        """``(keys, doc of each entry, key index of each entry)`` for a multi-valued facet."""
        table = self._tables.get(name)
        if table is None:
            reader = self.searcher.reader()
            column = COLUMN_OF[name]
            keys: dict[tuple[str, ...], int] = {}
            docs: list[int] = []
            codes: list[int] = []
            if reader.has_column(column):
                values = reader.column_reader(column)
                for docnum in range(self.size):
                    raw = values[docnum]
                    if not raw:
                        continue
                    if name == "lang":
                        found = [(raw if isinstance(raw, str) else raw.decode("utf-8"),)]
                    else:
                        found = [tuple(v) for v in decode_facet_values(raw)]
                    for key in found:
                        docs.append(docnum)
                        codes.append(keys.setdefault(key, len(keys)))
            table = (list(keys), np.asarray(docs, dtype=np.int64), np.asarray(codes, dtype=np.int64))
            self._tables[name] = table
        return table

    def values(
        self, name: str, mask: np.ndarray, keep: int | None = None, selected: tuple[str, ...] = ()
    ) -> Counter[tuple[str, ...]]:
        """How many matching documents carry each value of facet ``name``.

        With ``keep``, only the values that can be among the ``keep`` most frequent (ties
        included) and the ``selected`` ones: a broad query has thousands of entities, and the
        answer lists ten.
        """
        keys, docs, codes = self._table(name)
        if not keys:
            return Counter()
        counts = np.bincount(_codes_of_matches(docs, codes, mask), minlength=len(keys))
        present = np.flatnonzero(counts)
        if keep is not None and len(present) > keep:
            threshold = np.partition(counts[present], len(present) - keep)[len(present) - keep]
            chosen = set(present[counts[present] >= threshold].tolist())
            if selected:
                chosen |= {i for i in present.tolist() if keys[i][0] in selected}
            present = np.asarray(sorted(chosen), dtype=np.int64)
        return Counter({keys[i]: int(counts[i]) for i in present})

    def first_year(self) -> int:
        """The earliest year of a dated document (1900 when none is dated)."""
        if self._first_year is None:
            years, _ = self.dates()
            dated = years[years > 0]
            self._first_year = int(dated.min()) if len(dated) else 1900
        return self._first_year

    def month_index(self) -> np.ndarray:
        """Every document's month counted from January of :meth:`first_year` (0 for undated ones: masked out)."""
        if self._month_index is None:
            years, months = self.dates()
            self._month_index = np.where(years > 0, (years - self.first_year()) * 12 + months - 1, 0).astype(np.int64)
        return self._month_index

    def dates(self) -> tuple[np.ndarray, np.ndarray]:
        """Year (0 when undated) and month (1–12) of every document."""
        years, months, _ = self.date_arrays()
        return years, months

    def date_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Year (0 when undated), month and proleptic ordinal day (0 when undated) of every document."""
        if self._dates is None:
            raw = np.zeros(self.size, dtype=np.int64)
            reader = self.searcher.reader()
            for leaf, offset in reader.leaf_readers():
                if leaf.has_column("date"):
                    count = leaf.doc_count_all()
                    raw[offset : offset + count] = numeric_column(leaf.column_reader("date", translate=False), count)
            self._dates = date_parts(raw)
        return self._dates


_USECS_PER_DAY = 86_400_000_000
SPARSE_MATCHES = 8  # a mask matching fewer than 1 in this many table rows reads only its own rows


def _codes_of_matches(docs: np.ndarray, codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The value codes of the rows (``docs`` ascending) whose document ``mask`` holds.

    Few matches: each matching document's rows are found by binary search (a query with 300
    matches need not look at the 500,000 rows of the entity table); many: one gather over all rows.
    """
    matched = np.flatnonzero(mask)
    if len(matched) * SPARSE_MATCHES >= len(docs):
        return codes[mask[docs]]
    starts = np.searchsorted(docs, matched, side="left")
    lengths = np.searchsorted(docs, matched, side="right") - starts
    total = int(lengths.sum())
    if not total:
        return codes[:0]
    # row indices: each document's run starts..starts+length, concatenated
    run_offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return codes[run_offsets + np.arange(total)]


def date_parts(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`date_of` for a whole column of raw DATETIME values: year, month, ordinal day (0s when undated).

    Raw values count microseconds since 0001-01-01; 0 (and anything before 1900 or past 9999) is no date.
    """
    days = np.where(raw > 0, raw // _USECS_PER_DAY, 0)
    calendar = np.datetime64("0001-01-01", "D") + np.minimum(days, 3_652_058).astype("timedelta64[D]")
    years = calendar.astype("datetime64[Y]").astype(np.int64) + 1970
    months = calendar.astype("datetime64[M]").astype(np.int64) % 12 + 1
    valid = (raw > 0) & (years >= 1900) & (days < 3_652_059)
    return (
        np.where(valid, years, 0).astype(np.int32),
        np.where(valid, months, 0).astype(np.int32),
        np.where(valid, days + 1, 0).astype(np.int64),
    )


def count_facet_mask(
    tables: FacetTables,
    name: str,
    mask: np.ndarray,
    selected: tuple[str, ...],
    limit: int,
    date_range: DateRange = (None, None),
) -> FacetResult:
    """:func:`count_facet` over a boolean match mask, with the snapshot's facet arrays."""
    if name == "date":
        years, months = tables.dates()
        dated = mask & (years > 0)
        # months since the earliest dated month, counted by bincount (no sort of the matches)
        month_index = tables.month_index()
        counts = np.bincount(month_index[dated])
        first_year = tables.first_year()
        month_counts: Counter[tuple[int, int]] = Counter()
        year_counts: Counter[int] = Counter()
        for i in np.flatnonzero(counts).tolist():
            year, month = first_year + i // 12, i % 12 + 1
            month_counts[(year, month)] = int(counts[i])
            year_counts[year] += int(counts[i])
        return _date_result(year_counts, month_counts, date_range)
    return _value_result(name, tables.values(name, mask, keep=limit, selected=selected), selected, limit)


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
    return _value_result(name, _values_of(searcher, name, docnums), selected, limit)


def _value_result(name: str, counts: Counter[tuple[str, ...]], selected: tuple[str, ...], limit: int) -> FacetResult:
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
    return _date_result(years, months, date_range)


def _date_result(years: Counter[int], months: Counter[tuple[int, int]], date_range: DateRange) -> FacetResult:
    year_values = []
    for year, count in sorted(years.items(), reverse=True):
        label = f"{year:04d}"
        year_values.append(FacetValue(label, label, count, year_range(year) == date_range))
    month_values = []
    for (year, month), count in sorted(months.items(), reverse=True):
        label = f"{year:04d}-{month:02d}"
        month_values.append(FacetValue(label, label, count, month_range(year, month) == date_range))
    return FacetResult(name="date", years=tuple(year_values), months=tuple(month_values))
