"""The search engine: parameters in, ranked hits with exact totals and snippets out.

Knows nothing of HTTP. One collector pass gives the top hits *and* the exact total (block-
quality skipping is off, so ``total`` never needs a second run). The time limit is one deadline
for the whole search: every collection stops at it, and the phases after the first pass (the
relaxed any-word pass, facets, ``did_you_mean``) are skipped once it has passed; the answer
then carries what was found so far, flagged ``partial``, instead of hanging a worker. (Building
a query's matchers is not interruptible; the query compiler's term budget keeps it short.)
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from whoosh import collectors, scoring, sorting
from whoosh import query as wq
from whoosh.searching import Searcher

from search.config import Config
from search.facets import FacetResult, count_facet, date_column, date_of, date_query, filter_query
from search.index_provider import IndexProvider, Snapshot
from search.params import SearchParams
from search.query import CompiledQuery, QueryCompiler, parse_query
from search.snippets import highlight_title, snippet
from search.spelling import FEW_HITS, did_you_mean


@dataclass(frozen=True)
class Hit:
    """One ranked article."""

    id: str
    url: str
    title: str
    title_html: str
    date: dt.date | None
    lang: str
    score: float | None  # None when sorted by date
    snippet: str


@dataclass
class SearchResult:
    """A page of hits plus what the caller needs to present it honestly."""

    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    took_ms: float = 0.0
    relaxed: bool = False
    partial: bool = False
    did_you_mean: str | None = None
    generation: str = ""
    version: str = ""
    facets: list[FacetResult] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


class ExactTotalCollector(collectors.TopCollector):
    """Top N plus the exact number of matches, in one pass.

    Whoosh's TopCollector prunes: block-quality skipping (off with ``usequality=False``) and
    matcher replacement with the current minimum score, which drops sub-queries that can no
    longer reach the top N, so their documents go uncounted. Keeping ``minscore`` at 0 keeps
    the cheap part of replacement (exhausted sub-matchers leave the tree) and none of the
    pruning, so ``total`` is exact.
    """

    def _collect(self, global_docnum: int, score: float) -> float:
        result = super()._collect(global_docnum, score)
        self.minscore = 0
        return result


class DeadlineCollector(collectors.WrappingCollector):
    """Raises :class:`whoosh.collectors.TimeLimit` once ``time.perf_counter()`` passes ``deadline``.

    Checked before every collected document (no timer thread, no signal); the wrapped
    collector keeps what it collected until then. ``docnums`` are the documents collected (the
    facets reuse them instead of matching the query again).
    """

    def __init__(self, child: collectors.Collector, deadline: float) -> None:
        super().__init__(child)
        self.deadline = deadline
        self.docnums: set[int] = set()

    def set_subsearcher(self, subsearcher: Searcher, offset: int) -> None:
        """Start on the next segment, unless the deadline passed (its matchers are not built then)."""
        if time.perf_counter() >= self.deadline:
            raise collectors.TimeLimit
        super().set_subsearcher(subsearcher, offset)

    def collect_matches(self) -> None:
        """Collect the current segment's matches until the deadline."""
        clock, deadline, child, docnums = time.perf_counter, self.deadline, self.child, self.docnums
        if clock() >= deadline:
            raise collectors.TimeLimit
        offset = child.offset
        for sub_docnum in child.matches():
            if clock() >= deadline:
                raise collectors.TimeLimit
            child.collect(sub_docnum)
            docnums.add(offset + sub_docnum)


def date_sort_facet(searcher: Searcher, newest_first: bool) -> sorting.FacetType:
    """Sort key by date, newest or oldest first, undated articles last either way."""
    column = date_column(searcher)

    def key(_searcher: Searcher, docnum: int) -> tuple[int, int]:
        if date_of(column, docnum) is None:
            return (1, 0)
        raw = int(column[docnum])  # type: ignore[index]
        return (0, -raw if newest_first else raw)

    return sorting.FunctionFacet(key)


class RecencyBM25F(scoring.BM25F):
    """BM25F with a gentle boost for recent news: ``score × (1 + weight × 0.5^(age / half_life))``.

    A week-old article gains almost ``weight`` (10 % by default), a year-old one half of it;
    undated articles gain nothing. ``weight = 0`` turns it off.
    """

    def __init__(self, weight: float, half_life_days: float, today: dt.date | None = None) -> None:
        super().__init__(B=0.75, K1=1.2)
        self.weight = weight
        self.half_life_days = half_life_days
        self.today = today
        self.use_final = weight > 0
        self._columns: dict[int, object] = {}

    def final(self, searcher: Searcher, docnum: int, score: float) -> float:
        """Apply the recency factor to one document's BM25F score."""
        key = id(searcher)
        if key not in self._columns:
            self._columns = {key: date_column(searcher)}
        value = date_of(self._columns[key], docnum)
        if value is None:
            return score
        today = self.today or dt.datetime.now(dt.UTC).date()
        age = max(0, (today - value.date()).days)
        return score * (1.0 + self.weight * 0.5 ** (age / self.half_life_days))


class SearchEngine:
    """Runs searches on the provider's current snapshot."""

    def __init__(self, provider: IndexProvider, config: Config) -> None:
        self.provider = provider
        self.config = config
        self.compiler = QueryCompiler()
        self.weighting = RecencyBM25F(config.recency_weight, config.recency_half_life_days)

    def search(self, params: SearchParams) -> SearchResult:
        """Run one search; raises :class:`~search.errors.ParamError` for unusable queries."""
        started = time.perf_counter()
        deadline = started + self.config.time_limit
        snap = self.provider.snapshot()
        searcher = snap.searcher
        searcher.weighting = self.weighting
        parsed = parse_query(params.q, self.config.max_query_terms)
        compiled = self.compiler.compile(parsed, searcher.reader(), exact=params.exact)
        restrictions = self._restrictions(params)
        limit = params.page * params.per_page
        query, relaxed = _restricted(compiled.strict, restrictions), False
        total, top, partial, matched = self._collect(searcher, query, limit, params.sort, deadline)
        if total == 0 and compiled.relaxed is not None and not partial:
            if time.perf_counter() < deadline:
                relaxed_query = _restricted(compiled.relaxed, restrictions)
                relaxed_total, relaxed_top, partial, relaxed_matched = self._collect(
                    searcher, relaxed_query, limit, params.sort, deadline
                )
                if relaxed_total:
                    query, relaxed = relaxed_query, True
                    total, top, matched = relaxed_total, relaxed_top, relaxed_matched
            else:
                partial = True
        facets: list[FacetResult] = []
        if params.facets:
            unfiltered = compiled.relaxed if relaxed else compiled.strict
            # without filters the pass above matched exactly what the facets count
            known = matched if not restrictions and not partial else None
            facets, complete = self._facets(searcher, unfiltered, params, restrictions, deadline, known)
            partial = partial or not complete
        suggestion = None
        if (0 if relaxed else total) < FEW_HITS:
            if time.perf_counter() < deadline and not partial:
                suggestion = did_you_mean(
                    searcher, params.q, 0 if relaxed else total, lambda text: self._count(searcher, text, params, deadline)
                )
            else:
                partial = True
        hits = [
            self._hit(searcher, docnum, score if params.sort == "relevance" else None, compiled)
            for score, docnum in top[params.offset : limit]
        ]
        return SearchResult(
            query=params.q,
            total=total,
            page=params.page,
            per_page=params.per_page,
            hits=hits,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            relaxed=relaxed,
            partial=partial,
            did_you_mean=suggestion,
            generation=snap.name,
            version=snap.version,
            facets=facets,
        )

    def _count(self, searcher: Searcher, text: str, params: SearchParams, deadline: float) -> int:
        """How many articles ``text`` finds under the same filters (for spelling suggestions); 0 past the deadline."""
        try:
            compiled = self.compiler.compile(parse_query(text, self.config.max_query_terms), searcher.reader(), params.exact)
            return len(_docs(searcher, _restricted(compiled.strict, self._restrictions(params)), deadline))
        except (ValueError, collectors.TimeLimit):
            return 0

    @staticmethod
    def _restrictions(params: SearchParams) -> dict[str, wq.Query]:
        """The query of each active filter (facet selections and the date range)."""
        out: dict[str, wq.Query] = {name: filter_query(name, values) for name, values in params.filters}
        dates = date_query(params.date_from, params.date_to)
        if dates is not None:
            out["date_range"] = dates
        return out

    def _facets(
        self,
        searcher: Searcher,
        query: wq.Query,
        params: SearchParams,
        restrictions: dict[str, wq.Query],
        deadline: float,
        matched: set[int] | None = None,
    ) -> tuple[list[FacetResult], bool]:
        """The requested facets over ``query``'s matches (``matched``, when already known).

        Also whether they are complete: facets not counted by the deadline are left empty.
        """
        results = [FacetResult(name=name) for name in params.facets]
        try:
            if matched is None:
                matched = _docs(searcher, query, deadline)
            allowed = {name: _docs(searcher, q, deadline) for name, q in restrictions.items()}
        except collectors.TimeLimit:
            return results, False
        for i, name in enumerate(params.facets):
            if time.perf_counter() >= deadline:
                return results, False
            docnums = matched
            for key, docs in allowed.items():
                if key != name:  # a facet's counts ignore its own selection
                    docnums = docnums & docs
            results[i] = count_facet(
                searcher,
                name,
                docnums,
                params.selected(name),
                self.config.facet_limit,
                date_range=(params.date_from, params.date_to),
            )
        return results, True

    def _collect(
        self, searcher: Searcher, q: wq.Query, limit: int, sort: str, deadline: float
    ) -> tuple[int, list[tuple[float, int]], bool, set[int]]:
        """Total, top ``limit`` (score or sort key, docnum), whether cut by the deadline, and every match."""
        if sort == "relevance":
            inner: collectors.Collector = ExactTotalCollector(limit=limit, usequality=False)
        else:
            inner = collectors.SortingCollector(sortedby=date_sort_facet(searcher, newest_first=sort == "-date"), limit=limit)
        timed = DeadlineCollector(inner, deadline)
        partial = False
        try:
            searcher.search_with_collector(q, timed)
        except collectors.TimeLimit:
            partial = True
        results = inner.results()
        return inner.count(), [(score, docnum) for score, docnum in results.top_n], partial, timed.docnums

    def _hit(self, searcher: Searcher, docnum: int, score: float | None, compiled: CompiledQuery) -> Hit:
        stored = searcher.stored_fields(docnum)
        lang = stored.get("lang") or None
        date = stored.get("date")
        return Hit(
            id=stored["id"],
            url=stored.get("url") or "",
            title=stored.get("title") or "",
            title_html=highlight_title(stored.get("title") or "", compiled.highlight, lang),
            date=date.date() if isinstance(date, dt.datetime) else None,
            lang=lang or "",
            score=round(float(score), 4) if score is not None else None,
            snippet=snippet(stored.get("body") or "", compiled.highlight, lang, self.config.snippet_chars),
        )

    def snapshot(self) -> Snapshot:
        """The current snapshot (for health checks)."""
        return self.provider.snapshot()


def _docs(searcher: Searcher, query: wq.Query, deadline: float) -> set[int]:
    """Every document ``query`` matches (unscored); raises ``TimeLimit`` past ``deadline``."""
    timed = DeadlineCollector(collectors.UnsortedCollector(), deadline)
    searcher.search_with_collector(query, timed)
    return timed.docnums


def _restricted(query: wq.Query, restrictions: dict[str, wq.Query]) -> wq.Query:
    """``query`` limited by every filter; filters add nothing to the score."""
    if not restrictions:
        return query
    return wq.And([query, *(wq.ConstantScoreQuery(r, 0.0) for r in restrictions.values())])
