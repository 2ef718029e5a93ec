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
from whoosh.searching import Searcher

from search.config import Config
from search.index_provider import IndexProvider, Snapshot
from search.params import SearchParams
from search.query import CompiledQuery, QueryCompiler, parse_query
from search.snippets import highlight_title, snippet


@dataclass(frozen=True)
class Hit:
    """One ranked article."""

    id: str
    url: str
    title: str
    title_html: str
    date: dt.date | None
    lang: str
    score: float
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
    generation: str = ""
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


class SearchEngine:
    """Runs searches on the provider's current snapshot."""

    def __init__(self, provider: IndexProvider, config: Config) -> None:
        self.provider = provider
        self.config = config
        self.compiler = QueryCompiler()
        self.weighting = scoring.BM25F(B=0.75, K1=1.2)

    def search(self, params: SearchParams) -> SearchResult:
        """Run one search; raises :class:`~search.errors.ParamError` for unusable queries."""
        started = time.perf_counter()
        snap = self.provider.snapshot()
        searcher = snap.searcher
        searcher.weighting = self.weighting
        parsed = parse_query(params.q, self.config.max_query_terms)
        compiled = self.compiler.compile(parsed, searcher.reader(), exact=params.exact)
        limit = params.page * params.per_page
        total, top, partial = self._collect(searcher, compiled.strict, limit)
        relaxed = False
        if total == 0 and compiled.relaxed is not None:
            total, top, partial = self._collect(searcher, compiled.relaxed, limit)
            relaxed = total > 0
        hits = [self._hit(searcher, docnum, score, compiled) for score, docnum in top[params.offset : limit]]
        return SearchResult(
            query=params.q,
            total=total,
            page=params.page,
            per_page=params.per_page,
            hits=hits,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            relaxed=relaxed,
            partial=partial,
            generation=snap.name,
        )

    def _collect(self, searcher: Searcher, q, limit: int) -> tuple[int, list[tuple[float, int]], bool]:  # noqa: ANN001
        top = ExactTotalCollector(limit=limit, usequality=False)
        timed = collectors.TimeLimitCollector(top, self.config.time_limit, use_alarm=False)
        partial = False
        try:
            searcher.search_with_collector(q, timed)
        except collectors.TimeLimit:
            partial = True
        results = top.results()
        return top.count(), [(score, docnum) for score, docnum in results.top_n], partial

    def _hit(self, searcher: Searcher, docnum: int, score: float, compiled: CompiledQuery) -> Hit:
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
            score=round(float(score), 4),
            snippet=snippet(stored.get("body") or "", compiled.highlight, lang, self.config.snippet_chars),
        )

    def snapshot(self) -> Snapshot:
        """The current snapshot (for health checks)."""
        return self.provider.snapshot()
