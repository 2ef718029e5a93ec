"""Every document a query matches, by set algebra on postings lists, without scoring.

The exact total and the facet counts need the whole match set, the page needs ten scored
hits. Scoring every match in Whoosh's matcher tree costs a Python call per sub-query per
document (a two-word query over the stem, exact and cross-script fields has some twenty
sub-queries), which made the broad queries slow. Here a term's documents are read once as a
Python set (block decoding only), and ``And``/``Or``/``AndNot`` become set intersections,
unions and differences in C; only positional sub-queries (phrases, ``Sequence``) still go
through a matcher, and only after their words' sets say a document can match at all. The
scored pass can then prune freely (Whoosh's block-quality skipping): it only has to find the
top hits, not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.collectors import TimeLimit
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

_NULL = type(wq.NullQuery)
DocSet = frozenset[int]
EMPTY: DocSet = frozenset()


class DocSets:
    """Match sets of queries on one searcher, terms remembered for the searcher's lifetime.

    ``deadline`` (a ``time.perf_counter()`` value) bounds the work: past it, :class:`TimeLimit`.
    """

    def __init__(self, searcher: Searcher, deadline: float, clock: Callable[[], float] = time.perf_counter) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.deadline = deadline
        self.clock = clock
        self._terms: dict[tuple[str, str], DocSet] = {}
        self._all: DocSet | None = None

    def of(self, q: wq.Query) -> DocSet:
        """The documents ``q`` matches (as ``searcher.docs_for_query(q)`` would find them)."""
        if self.clock() >= self.deadline:
            raise TimeLimit
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, _NULL):
            return EMPTY
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            out: set[int] = set()
            for child in q.subqueries:
                out |= self.of(child)
            return frozenset(out)
        if isinstance(q, wq.And):
            return self._intersection(q.subqueries)
        if isinstance(q, wq.AndMaybe):
            return self.of(q.a)  # the optional part only adds score
        if isinstance(q, wq.Require):
            return self._intersection([q.a, q.b])
        if isinstance(q, wq.AndNot):
            positive = self.of(q.a)
            return positive - self.of(q.b) if positive else EMPTY
        if isinstance(q, wq.Not):
            return self.every() - self.of(q.query)
        if isinstance(q, wq.ConstantScoreQuery):
            return self.of(q.child)
        if isinstance(q, wq.Every):
            return self.every()
        if isinstance(q, wq.Sequence):
            candidates = self._intersection(q.subqueries)
            return self._matched(q) & candidates if candidates else EMPTY
        return self._matched(q)

    def term(self, fieldname: str, text: str) -> DocSet:
        """The live documents holding one term (postings read block by block, segment by segment)."""
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is None:
            found = EMPTY
            if fieldname in self.reader.schema:
                btext = self.reader.schema[fieldname].to_bytes(text)
                out: set[int] = set()
                for leaf, offset in self.reader.leaf_readers():
                    if (fieldname, btext) not in leaf:
                        continue
                    matcher = leaf.postings(fieldname, btext)
                    ids = set(_posting_ids(matcher.child if isinstance(matcher, FilterMatcher) else matcher))
                    ids -= leaf.deleted_docs_set
                    out.update(map(offset.__add__, ids) if offset else ids)
                found = frozenset(out)
            self._terms[key] = found
        return found

    def every(self) -> DocSet:
        """All live documents."""
        if self._all is None:
            self._all = frozenset(self.reader.all_doc_ids())
        return self._all

    def _intersection(self, queries: list[wq.Query]) -> DocSet:
        sets: list[DocSet] = []
        for child in queries:
            found = self.of(child)
            if not found:
                return EMPTY
            sets.append(found)
        if not sets:
            return EMPTY
        sets.sort(key=len)
        out = set(sets[0])
        for other in sets[1:]:
            out &= other
            if not out:
                return EMPTY
        return frozenset(out)

    def _matched(self, q: wq.Query) -> DocSet:
        """Positional and other sub-queries: Whoosh's own matcher, unscored."""
        return frozenset(self.searcher.docs_for_query(q))


def _posting_ids(matcher: Matcher) -> list[int]:
    """All document numbers of one segment's postings list.

    Whole blocks at a time for the W3 on-disk matcher (Whoosh's ``all_ids`` makes three method
    calls per posting); the generic way for anything else (inlined terms, other codecs).
    """
    if not isinstance(matcher, W3LeafMatcher):
        return list(matcher.all_ids())
    out: list[int] = []
    while not matcher._atend and matcher._i < matcher._blocklength:
        if matcher._ids is None:
            matcher._read_ids()
        out.extend(matcher._ids[matcher._i :])
        matcher._i = matcher._blocklength
        matcher._next_block()
    return out
