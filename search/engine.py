"""The search engine: parameters in, ranked hits with exact totals and snippets out.

Knows nothing of HTTP. A query is evaluated once, as arrays over every document
(``search.evaluate``: Whoosh's BM25F scores, computed with NumPy instead of a matcher walk per
match), which gives the exact total, the page of top hits, the match mask the facets count
(``search.facets.FacetTables``) and the date order, all from the same pass. The time limit is
one deadline for the whole search: evaluation stops at it, and the phases after the first
pass (the relaxed any-word pass, facets, ``did_you_mean``) are skipped once it has passed; the
answer is then flagged ``partial`` instead of hanging a worker.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.collectors import TimeLimit
from whoosh.searching import Searcher

from search.config import Config
from search.errors import IndexUnavailable
from search.evaluate import Evaluator, Matches, SnapshotArrays
from search.facets import FacetResult, FacetTables, count_facet_mask, date_column, date_of, date_query, filter_query
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

    def factors(self, days: np.ndarray) -> np.ndarray | None:
        """:meth:`final`'s factor for every document at once (``days``: ordinal day, 0 undated); ``None`` when off."""
        if not self.use_final:
            return None
        today = (self.today or dt.datetime.now(dt.UTC).date()).toordinal()
        age = np.maximum(0, today - days).astype(np.float64)
        return np.where(days > 0, 1.0 + self.weight * 0.5 ** (age / self.half_life_days), 1.0)


class SearchEngine:
    """Runs searches on the provider's current snapshot."""

    def __init__(self, provider: IndexProvider, config: Config) -> None:
        self.provider = provider
        self.config = config
        self.compiler = QueryCompiler(question_words=config.question_words)
        self.weighting = RecencyBM25F(config.recency_weight, config.recency_half_life_days)

    def search(self, params: SearchParams) -> SearchResult:
        """Run one search; raises :class:`~search.errors.ParamError` for unusable queries."""
        started = time.perf_counter()
        deadline = started + self.config.time_limit
        snap = self.provider.snapshot()
        searcher = snap.searcher
        searcher.weighting = self.weighting
        parsed = parse_query(params.q, self.config.max_query_terms)
        compiled = self.compiler.compile(parsed, searcher.reader(), exact=params.exact, deadline=deadline)
        restrictions = self._restrictions(params)
        limit = params.page * params.per_page
        evaluator = Evaluator(_arrays(snap), snap.searcher, self.weighting, deadline)
        relaxed = partial = False
        found: Matches | None = None
        try:
            found = evaluator.matches(_restricted(compiled.strict, restrictions))
            if compiled.question is not None:  # ranked any-word already: relaxed when no match has every word
                every = compiled.question.docs_with_every_word(searcher)
                relaxed = bool(found.mask.any()) and not any(found.mask[d] for d in every if d < len(found.mask))
            elif not found.mask.any() and compiled.relaxed is not None:
                loose = evaluator.matches(_restricted(compiled.relaxed, restrictions))
                if loose.mask.any():
                    found, relaxed = loose, True
        except TimeLimit:
            partial = True
        total = found.count() if found is not None else 0
        top = self._top(snap, found, limit, params.sort) if found is not None and total else []
        facets: list[FacetResult] = []
        if params.facets:
            unfiltered = compiled.relaxed if relaxed and compiled.relaxed is not None else compiled.strict
            facets, complete = self._facets(snap, evaluator, unfiltered, params, restrictions, found if not partial else None)
            partial = partial or not complete
        suggestion = None
        if (0 if relaxed else total) < FEW_HITS:
            if time.perf_counter() < deadline and not partial:
                suggestion = did_you_mean(
                    searcher, params.q, 0 if relaxed else total, lambda text: self._count(snap, text, params, deadline)
                )
            else:
                partial = True
        memos: dict[str | None, dict[str, bool]] = {}  # per language: each word's match answer, shared by the hits
        page = top[params.offset : limit]
        in_body = _body_matches(snap, compiled.strict, [docnum for _, docnum in page])
        hits = [
            self._hit(searcher, docnum, score if params.sort == "relevance" else None, compiled, memos, has_match)
            for (score, docnum), has_match in zip(page, in_body, strict=True)
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

    def _top(self, snap: Snapshot, found: Matches, limit: int, sort: str) -> list[tuple[float, int]]:
        """The first ``limit`` matches: by score (recency factor applied), or by date with undated last."""
        docnums = found.docnums()
        if sort == "relevance":
            scores = found.scores[docnums]
            factors = _recency(snap, self.weighting)
            if factors is not None:
                scores = scores * factors[docnums]
            if len(docnums) > limit:
                keep = np.argpartition(-scores, limit - 1)[:limit]
                docnums, scores = docnums[keep], scores[keep]
            order = np.lexsort((docnums, -scores))  # best first; equal scores by document number, as Whoosh
            return [(float(scores[i]), int(docnums[i])) for i in order]
        days = _facet_tables(snap).date_arrays()[2][docnums]
        undated = days == 0
        key = np.where(undated, 0, -days if sort == "-date" else days)
        order = np.lexsort((docnums, key, undated))[:limit]  # dated first, then by day, then document number
        return [(float(days[i]), int(docnums[i])) for i in order]

    def _count(self, snap: Snapshot, text: str, params: SearchParams, deadline: float) -> int:
        """How many articles ``text`` finds under the same filters (for spelling suggestions); 0 past the deadline."""
        try:
            compiled = self.compiler.compile(parse_query(text, self.config.max_query_terms), snap.searcher.reader(), params.exact)
            evaluator = Evaluator(_arrays(snap), snap.searcher, self.weighting, deadline)
            return evaluator.matches(_restricted(compiled.strict, self._restrictions(params))).count()
        except (ValueError, TimeLimit):
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
        snap: Snapshot,
        evaluator: Evaluator,
        query: wq.Query,
        params: SearchParams,
        restrictions: dict[str, wq.Query],
        found: Matches | None,
    ) -> tuple[list[FacetResult], bool]:
        """The requested facets over ``query``'s matches; and whether they are complete.

        A facet's counts ignore its own selection and honour every other filter (multi-select).
        Facets not counted by the deadline are left empty.
        """
        results = [FacetResult(name=name) for name in params.facets]
        if found is None:
            return results, False
        try:
            base = found.mask if not restrictions else evaluator.matches(query).mask
            allowed = {name: evaluator.matches(q).mask for name, q in restrictions.items()}
        except TimeLimit:
            return results, False
        tables = _facet_tables(snap)
        for i, name in enumerate(params.facets):
            if time.perf_counter() >= evaluator.deadline:
                return results, False
            mask = base
            for key, docs in allowed.items():
                if key != name:  # a facet's counts ignore its own selection
                    mask = mask & docs
            results[i] = count_facet_mask(
                tables,
                name,
                mask,
                params.selected(name),
                self.config.facet_limit,
                date_range=(params.date_from, params.date_to),
            )
        return results, True

    def _hit(
        self,
        searcher: Searcher,
        docnum: int,
        score: float | None,
        compiled: CompiledQuery,
        memos: dict[str | None, dict[str, bool]],
        body_matches: bool = True,
    ) -> Hit:
        stored = searcher.stored_fields(docnum)
        lang = stored.get("lang") or None
        memo = memos.setdefault(lang, {})
        date = stored.get("date")
        return Hit(
            id=stored["id"],
            url=stored.get("url") or "",
            title=stored.get("title") or "",
            title_html=highlight_title(stored.get("title") or "", compiled.highlight, lang, memo),
            date=date.date() if isinstance(date, dt.datetime) else None,
            lang=lang or "",
            score=round(float(score), 4) if score is not None else None,
            snippet=snippet(stored.get("body") or "", compiled.highlight, lang, self.config.snippet_chars, memo, body_matches),
        )

    def warm_up(self) -> None:
        """Open the index and build the per-snapshot arrays now, not in a reader's first request.

        Then freeze what exists for the garbage collector: the arrays, tables and caches live
        as long as the snapshot, and full collections walking them were the tail of p99.
        """
        try:
            snap = self.provider.snapshot()
        except IndexUnavailable:
            return
        _arrays(snap)
        _facet_tables(snap)
        _recency(snap, self.weighting)
        gc.freeze()

    def snapshot(self) -> Snapshot:
        """The current snapshot (for health checks)."""
        return self.provider.snapshot()


_SHARED: OrderedDict[tuple[str, int, tuple[str, ...]], dict[str, object]] = OrderedDict()
_SHARED_LOCK = threading.RLock()  # re-entrant: one shared value may be built from another
SHARED_SNAPSHOTS = 2  # the snapshot being served and the one it replaced


def _shared(snap: Snapshot, name: str, build: Callable[[Searcher], object]) -> object:
    """One per worker process and snapshot, built by the first thread that needs it.

    Keyed by the snapshot's segments too: an index rebuilt from scratch in the same directory
    reuses its generation name and commit number (``gen-000001``, 1), and must not get the old
    index's arrays (wrong document counts, out-of-range document numbers).
    """
    key = (str(snap.generation), snap.toc, _segment_ids(snap))
    with _SHARED_LOCK:
        entry = _SHARED.get(key)
        if entry is None:
            entry = _SHARED[key] = {}
            while len(_SHARED) > SHARED_SNAPSHOTS:
                _SHARED.popitem(last=False)
        _SHARED.move_to_end(key)
        value = entry.get(name)
        if value is None:
            value = entry[name] = build(snap.searcher)
    return value


def _segment_ids(snap: Snapshot) -> tuple[str, ...]:
    """The ids of the snapshot's segments (random per segment written), remembered on the snapshot."""
    ids = snap.cache.get("segment_ids")
    if ids is None:
        ids = snap.cache["segment_ids"] = tuple(
            leaf.segment().segment_id() if leaf.segment() is not None else "" for leaf, _ in snap.searcher.reader().leaf_readers()
        )
    return ids  # type: ignore[return-value]


def _arrays(snap: Snapshot) -> SnapshotArrays:
    """The snapshot's evaluation arrays (per worker, shared by its threads)."""
    return _shared(snap, "arrays", SnapshotArrays)  # type: ignore[return-value]


def _recency(snap: Snapshot, weighting: RecencyBM25F) -> np.ndarray | None:
    """Every document's recency factor, computed once per snapshot and day."""
    name = f"recency:{dt.datetime.now(dt.UTC).date()}:{weighting.weight}:{weighting.half_life_days}"
    factors = _shared(snap, name, lambda _searcher: weighting.factors(_facet_tables(snap).date_arrays()[2]))
    return factors if isinstance(factors, np.ndarray) else None


def _facet_tables(snap: Snapshot) -> FacetTables:
    """The snapshot's facet and date arrays (per worker, shared by its threads)."""
    return _shared(snap, "facets", FacetTables)  # type: ignore[return-value]


BODY_FIELDS = ("body", "body_exact", "body_key")
MAX_BODY_CHECK_TERMS = 64  # beyond this (prefix expansions), every body is scanned


def _body_matches(snap: Snapshot, query: wq.Query, docnums: list[int]) -> list[bool]:
    """Whether each document's body holds any term of ``query`` (from the postings already read).

    A body without one cannot yield a marked passage, so its snippet is its opening, unscanned
    (the title matched). Unknown (``True``) when the query has too many body terms to look up.
    """
    if not docnums:
        return []
    terms = {(name, text) for name, text in query.iter_all_terms() if name in BODY_FIELDS}
    if len(terms) > MAX_BODY_CHECK_TERMS:
        return [True] * len(docnums)
    arrays = _arrays(snap)
    reader = snap.searcher.reader()
    schema = snap.searcher.schema
    found = np.zeros(len(docnums), dtype=bool)
    for name, text in terms:
        ids, _ = arrays.postings(reader, name, schema[name].to_bytes(text))
        if len(ids):
            wanted = np.asarray(docnums, dtype=ids.dtype)  # same dtype: no copy of the postings in searchsorted
            where = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
            found |= ids[where] == wanted
        if found.all():
            break
    return found.tolist()


def _restricted(query: wq.Query, restrictions: dict[str, wq.Query]) -> wq.Query:
    """``query`` limited by every filter; filters add nothing to the score."""
    if not restrictions:
        return query
    return wq.And([query, *(wq.ConstantScoreQuery(r, 0.0) for r in restrictions.values())])
