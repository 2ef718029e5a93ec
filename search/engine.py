"""The search engine: parameters in, ranked hits with exact totals and snippets out.

Knows nothing of HTTP. One collector pass gives the top hits *and* the exact total (block-
quality skipping is off, so ``total`` never needs a second run); a time limit returns what
was collected so far, flagged ``partial``, instead of hanging a worker.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.searching import Searcher

from search.config import Config
from search.facets import FacetResult, count_facet, date_column, date_of, date_query, filter_query
from search.index_provider import IndexProvider, Snapshot
from search.params import SearchParams
from search.query import CompiledQuery, QueryCompiler, parse_query
from search.snippets import highlight_title, snippet
from search.spelling import did_you_mean


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
        snap = self.provider.snapshot()
        searcher = snap.searcher
        searcher.weighting = self.weighting
        parsed = parse_query(params.q, self.config.max_query_terms)
        compiled = self.compiler.compile(parsed, searcher.reader(), exact=params.exact)
        restrictions = self._restrictions(params)
        limit = params.page * params.per_page
        query, relaxed = _restricted(compiled.strict, restrictions), False
        total, top, partial = self._collect(searcher, query, limit, params.sort)
        if total == 0 and compiled.relaxed is not None:
            relaxed_query = _restricted(compiled.relaxed, restrictions)
            relaxed_total, relaxed_top, relaxed_partial = self._collect(searcher, relaxed_query, limit, params.sort)
            if relaxed_total:
                query, relaxed = relaxed_query, True
                total, top, partial = relaxed_total, relaxed_top, relaxed_partial
        unfiltered = compiled.relaxed if relaxed else compiled.strict
        facets = self._facets(searcher, unfiltered, params, restrictions) if params.facets else []
        suggestion = did_you_mean(searcher, params.q, 0 if relaxed else total, lambda text: self._count(searcher, text, params))
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

    def _count(self, searcher: Searcher, text: str, params: SearchParams) -> int:
        """How many articles ``text`` finds under the same filters (for spelling suggestions)."""
        try:
            compiled = self.compiler.compile(parse_query(text, self.config.max_query_terms), searcher.reader(), params.exact)
        except ValueError:
            return 0
        return len(list(searcher.docs_for_query(_restricted(compiled.strict, self._restrictions(params)))))

    @staticmethod
    def _restrictions(params: SearchParams) -> dict[str, wq.Query]:
        """The query of each active filter (facet selections and the date range)."""
        out: dict[str, wq.Query] = {name: filter_query(name, values) for name, values in params.filters}
        dates = date_query(params.date_from, params.date_to)
        if dates is not None:
            out["date_range"] = dates
        return out

    def _facets(
        self, searcher: Searcher, query: wq.Query, params: SearchParams, restrictions: dict[str, wq.Query]
    ) -> list[FacetResult]:
        matched = set(searcher.docs_for_query(query))
        allowed = {name: set(searcher.docs_for_query(q)) for name, q in restrictions.items()}
        results = []
        for name in params.facets:
            docnums = matched
            for key, docs in allowed.items():
                if key != name:  # a facet's counts ignore its own selection
                    docnums = docnums & docs
            results.append(count_facet(searcher, name, docnums, params.selected(name), self.config.facet_limit))
        return results

    def _collect(self, searcher: Searcher, q: wq.Query, limit: int, sort: str) -> tuple[int, list[tuple[float, int]], bool]:
        if sort == "relevance":
            inner: collectors.Collector = ExactTotalCollector(limit=limit, usequality=False)
        else:
            inner = collectors.SortingCollector(sortedby="date", limit=limit, reverse=(sort == "-date"))
        timed = collectors.TimeLimitCollector(inner, self.config.time_limit, use_alarm=False)
        partial = False
        try:
            searcher.search_with_collector(q, timed)
        except collectors.TimeLimit:
            partial = True
        results = inner.results()
        return inner.count(), [(score, docnum) for score, docnum in results.top_n], partial

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


def _restricted(query: wq.Query, restrictions: dict[str, wq.Query]) -> wq.Query:
    """``query`` limited by every filter; filters add nothing to the score."""
    if not restrictions:
        return query
    return wq.And([query, *(wq.ConstantScoreQuery(r, 0.0) for r in restrictions.values())])
