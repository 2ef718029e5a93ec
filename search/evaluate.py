"""Whoosh's BM25F ranking of a whole query at once, with NumPy arrays instead of matcher trees.

Whoosh scores a match by walking its matcher tree: one Python call per sub-query per matching
document, and our queries have twenty or more sub-queries (every word in the stem, exact and
cross-script fields, aliases, proximity). The exact total and the facets need every match,
so every match was scored. Here each term's postings are read once into arrays (document
numbers, term frequencies) and the tree is evaluated bottom-up on dense per-document arrays:

* a term: ``boost × idf × tf·(K1+1) / (tf + K1·(1 − B + B·len/avglen))`` for its documents,
  exactly Whoosh's ``BM25FScorer`` (same idf, same byte-quantised field lengths);
* ``Or`` sums, ``And`` intersects and sums, ``AndMaybe`` adds the optional part where the
  required one matches, ``AndNot`` removes, ``ConstantScoreQuery`` gives its constant, and
  a compound's boost multiplies (not for a single sub-query: Whoosh ignores it there too);
* a ``Sequence`` (phrases, names, the proximity bonus) is the intersection of its positions'
  matches, kept where Whoosh's span rule holds (the same binary tree of ``SpanNear`` checks
  with its slop and order, on the positions stored in the postings), scored as Whoosh's span
  matcher scores it (the intersection's sum); other queries run Whoosh's own matcher;
* the optional part of an ``AndMaybe`` (the proximity bonus: words near each other rank
  higher) only decides the order near the top, so it is computed for the best
  :data:`OPTIONAL_CANDIDATES` matches of the required part, not for all of them (a positional
  check per document was most of a broad query's time). This is the one place where the
  ranking can differ from Whoosh's: a document below that line gets no bonus.

``tests/test_evaluate.py`` checks match sets and scores against Whoosh's collectors. One
deliberate difference: Whoosh 2.7's ``AndNot`` matcher can let through a document the excluded
part matches (``банк -Астана`` kept an article naming Астана); here exclusion is exact.
"""

from __future__ import annotations

import itertools
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.collectors import TimeLimit
from whoosh.columns import NumericColumn
from whoosh.matching import Matcher
from whoosh.matching.mcore import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from search.query import KEY_ONLY_FACTOR, KeyFallback

_NULL = type(wq.NullQuery)
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
OPTIONAL_CANDIDATES = 300  # matches of an AndMaybe's required part that can earn its optional bonus
TERM_CACHE_POSTINGS = 2_000_000  # postings kept decoded per index snapshot (8 bytes each: 16 MB)
TERM_CACHE_POSITIONS = 2_000_000  # positions kept decoded per index snapshot (about 12 bytes each: 24 MB)


@dataclass
class Matches:
    """A query's matches: a boolean mask and a score per document (dense, length N)."""

    mask: np.ndarray
    scores: np.ndarray

    def count(self) -> int:
        """How many documents match."""
        return int(np.count_nonzero(self.mask))

    def docnums(self) -> np.ndarray:
        """The matching document numbers, ascending."""
        return np.flatnonzero(self.mask)


class SnapshotArrays:
    """Per-index-snapshot data: live documents, field lengths, decoded postings (bounded LRU).

    Shared by every thread of a worker that serves the same snapshot (the arrays are
    read-only; the caches take a lock). Reading goes through the *calling* thread's reader,
    since Whoosh's file handles are not safe to share.
    """

    def __init__(self, searcher: Searcher) -> None:
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        for leaf, offset in reader.leaf_readers():
            deleted = list(leaf.deleted_docs_set)
            if deleted:
                self.live[np.asarray(deleted, dtype=np.int64) + offset] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._terms: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_postings = 0
        self._positions: OrderedDict[tuple[str, bytes], PositionArrays] = OrderedDict()
        self._cached_positions = 0
        self._lock = threading.Lock()

    def field_lengths(self, reader: IndexReader, fieldname: str) -> np.ndarray:
        """Whoosh's quantised length of ``fieldname`` in every document (1 where it has none)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            codes = np.zeros(self.size, dtype=np.uint8)
            for leaf, offset in reader.leaf_readers():
                per_doc = getattr(leaf, "_perdoc", None)
                name = f"_{fieldname}_len"
                if per_doc is not None and per_doc.has_column(name):
                    count = leaf.doc_count_all()
                    codes[offset : offset + count] = numeric_column(per_doc.column_reader(name, LENGTHS_COLUMN), count)
            lengths = _BYTE_TO_LENGTH[codes]
            lengths[codes == 0] = 1.0  # Whoosh's doc_field_length(..., default=1) for an empty field
            self._lengths[fieldname] = lengths
        return lengths

    def postings(self, reader: IndexReader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Live document numbers and weights (term frequencies) of one term, across segments."""
        key = (fieldname, btext)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        ids_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        for leaf, offset in reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            matcher = leaf.postings(fieldname, btext)
            ids, weights = _posting_arrays(matcher.child if isinstance(matcher, FilterMatcher) else matcher)
            ids_parts.append(ids + offset)
            weight_parts.append(weights)
        if ids_parts:
            ids = np.concatenate(ids_parts)
            weights = np.concatenate(weight_parts)
            live = self.live[ids]
            if not live.all():
                ids, weights = ids[live], weights[live]
        else:
            ids, weights = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        with self._lock:
            self._terms[key] = (ids, weights)
            self._cached_postings += len(ids)
            while self._cached_postings > TERM_CACHE_POSTINGS and len(self._terms) > 1:
                _, (old, _) = self._terms.popitem(last=False)
                self._cached_postings -= len(old)
        return ids, weights

    def positions(self, reader: IndexReader, fieldname: str, btext: bytes) -> PositionArrays:
        """Live document numbers of one term and its decoded positions in each (for phrase checks).

        Decoded once per snapshot and kept (bounded by :data:`TERM_CACHE_POSITIONS`): a phrase
        or proximity check then reads array slices instead of unpickling a posting per document.
        """
        key = (fieldname, btext)
        with self._lock:
            found = self._positions.get(key)
            if found is not None:
                self._positions.move_to_end(key)
                return found
        ids: list[int] = []
        counts: list[int] = []
        flat: list[int] = []
        for leaf, offset in reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            matcher = leaf.postings(fieldname, btext)
            raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
            deleted = leaf.deleted_docs_set
            for docnum, value in _posting_values(raw):
                if docnum not in deleted:
                    decoded = _positions(value)
                    ids.append(docnum + offset)
                    counts.append(len(decoded))
                    flat.extend(decoded)
        starts = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        found = PositionArrays(np.asarray(ids, dtype=np.int64), starts, np.asarray(flat, dtype=np.int64))
        with self._lock:
            self._positions[key] = found
            self._cached_positions += len(flat)
            while self._cached_positions > TERM_CACHE_POSITIONS and len(self._positions) > 1:
                _, old = self._positions.popitem(last=False)
                self._cached_positions -= len(old.flat)
        return found


@dataclass(frozen=True)
class PositionArrays:
    """One term's postings with positions: document ``ids[i]`` has ``flat[starts[i]:starts[i + 1]]``."""

    ids: np.ndarray
    starts: np.ndarray
    flat: np.ndarray

    def gather(self, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(index into docnums, position)`` of every position of this term in ``docnums`` (sorted)."""
        if not len(self.ids) or not len(docnums):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        where = np.minimum(np.searchsorted(self.ids, docnums), len(self.ids) - 1)
        present = np.flatnonzero(self.ids[where] == docnums)
        lo = self.starts[where[present]]
        lengths = self.starts[where[present] + 1] - lo
        total = int(lengths.sum())
        runs = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        return np.repeat(present, lengths), self.flat[runs]


def numeric_column(column: object, count: int) -> np.ndarray:
    """A segment's fixed-width numeric column as an array (one read, not one call per document)."""
    if isinstance(column, NumericColumn.Reader):
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        dtype = np.dtype(column._typecode).newbyteorder(">")
        values = np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="))
        if stored == count:
            return values
        out = np.full(count, column._default, dtype=values.dtype)
        out[:stored] = values
        return out
    return np.asarray([column[i] for i in range(count)])  # type: ignore[index]


def _posting_values(matcher: Matcher) -> list[tuple[int, bytes]]:
    """``(document, encoded value)`` of one segment's postings, block by block."""
    if isinstance(matcher, W3LeafMatcher):
        out: list[tuple[int, bytes]] = []
        while not matcher._atend and matcher._i < matcher._blocklength:
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._values is None:
                matcher._read_values()
            out.extend(zip(matcher._ids[matcher._i :], matcher._values[matcher._i :], strict=False))
            matcher._i = matcher._blocklength
            matcher._next_block()
        return out
    pairs = []
    while matcher.is_active():
        pairs.append((matcher.id(), matcher.value()))
        matcher.next()
    return pairs


def _positions(value: bytes) -> list[int]:
    """``Positions.decode_positions``: the delta-coded positions of one posting."""
    data = value[_INT_SIZE:]
    deltas = pickle.loads(data if data.endswith(b".") else data + b".")
    return list(itertools.accumulate(deltas))


Span = tuple[int, int]


def _near(a_spans: list[Span], b_spans: list[Span], slop: int, ordered: bool) -> list[Span]:
    """Whoosh's ``SpanNear`` rule (``mindist`` 1) on two sorted span lists."""
    out: set[Span] = set()
    for a_start, a_end in a_spans:
        for b_start, b_end in b_spans:
            if b_end < a_start - slop or (ordered and a_start > b_start):
                continue
            if b_start > a_end + slop:
                break
            if (
                a_start <= b_start <= a_end
                or a_start <= b_end <= a_end
                or b_start <= a_start <= b_end
                or b_start <= a_end <= b_end
            ):
                distance = 0
            elif a_end < b_start:
                distance = b_start - a_end
            else:
                distance = a_start - b_end
            if 1 <= distance <= slop:
                out.add((min(a_start, b_start), max(a_end, b_end)))
    return sorted(out)


def _span_tree(spans: list[list[Span]], slop: int, ordered: bool) -> list[Span]:
    """``make_binary_tree(SpanNearMatcher, ...)``: halves combined recursively."""
    if len(spans) == 1:
        return spans[0]
    half = len(spans) // 2
    return _near(_span_tree(spans[:half], slop, ordered), _span_tree(spans[half:], slop, ordered), slop, ordered)


def _posting_arrays(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of one segment's postings, block by block."""
    if isinstance(matcher, W3LeafMatcher):
        ids: list[int] = []
        weights: list[float] = []
        while not matcher._atend and matcher._i < matcher._blocklength:
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.extend(matcher._ids[matcher._i :])
            weights.extend(matcher._weights[matcher._i :])
            matcher._i = matcher._blocklength
            matcher._next_block()
        return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)
    if isinstance(matcher, ListMatcher):
        ids_list = list(matcher._ids)
        if matcher._all_weights:
            weights_arr = np.full(len(ids_list), float(matcher._all_weights), dtype=np.float32)
        elif matcher._weights is not None:
            weights_arr = np.asarray(matcher._weights, dtype=np.float32)
        else:
            weights_arr = np.ones(len(ids_list), dtype=np.float32)
        return np.asarray(ids_list, dtype=np.int32), weights_arr
    pairs = []
    while matcher.is_active():
        pairs.append((matcher.id(), matcher.weight()))
        matcher.next()
    return np.asarray([p[0] for p in pairs], dtype=np.int32), np.asarray([p[1] for p in pairs], dtype=np.float32)


class Evaluator:
    """Evaluates queries on one snapshot with one BM25F weighting; past ``deadline``, :class:`TimeLimit`."""

    def __init__(
        self,
        arrays: SnapshotArrays,
        searcher: Searcher,
        weighting: BM25F,
        deadline: float,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.arrays = arrays
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weighting = weighting
        self.deadline = deadline
        self.clock = clock
        self.size = arrays.size

    def _empty(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64))

    def matches(self, q: wq.Query, within: np.ndarray | None = None) -> Matches:
        """Mask and scores of ``q`` (scores as Whoosh's BM25F gives them, before ``final``).

        ``within`` (sorted document numbers) asks only about those documents: positional
        sub-queries skip the rest (cheap sub-queries may still answer for every document).
        """
        if self.clock() >= self.deadline:
            raise TimeLimit
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, _NULL):
            return self._empty()
        if isinstance(q, wq.ConstantScoreQuery):
            inner = self.matches(q.child)
            return Matches(inner.mask, np.where(inner.mask, float(q.score), 0.0))
        if isinstance(q, wq.Sequence):
            return self._sequence(q, within)
        if not isinstance(q, (wq.CompoundQuery, wq.BinaryQuery)):
            return self._whoosh(q, within)
        if isinstance(q, wq.AndMaybe):
            required = self.matches(q.a, within)
            if not required.mask.any():
                return required
            best = self._best(required)
            optional = self.matches(q.b, best)
            both = required.mask & optional.mask
            if best is not None:
                eligible = np.zeros(self.size, dtype=bool)
                eligible[best] = True
                both &= eligible
            return Matches(required.mask, required.scores + np.where(both, optional.scores, 0.0))
        if isinstance(q, wq.AndNot):
            positive = self.matches(q.a)
            if not positive.mask.any():
                return positive
            negative = self.matches(q.b)
            mask = positive.mask & ~negative.mask
            return Matches(mask, np.where(mask, positive.scores, 0.0))
        if isinstance(q, wq.Require):
            required = self.matches(q.a)
            scope = self.matches(q.b)
            mask = required.mask & scope.mask
            return Matches(mask, np.where(mask, required.scores, 0.0))
        if isinstance(q, KeyFallback):
            fast = self._flat_key_fallback(q)
            return fast if fast is not None else self._boosted(q, self._key_fallback(q, within))
        if isinstance(q, wq.And):
            return self._boosted(q, self._intersection(q.subqueries, within))
        if isinstance(q, wq.Or) and not q.minmatch and not q.scale:
            return self._boosted(q, self._union(q.subqueries, within))
        return self._whoosh(q, within)

    @staticmethod
    def _best(found: Matches) -> np.ndarray | None:
        """The best :data:`OPTIONAL_CANDIDATES` matches (sorted), or ``None`` when there are no more than that."""
        docnums = np.flatnonzero(found.mask)
        if len(docnums) <= OPTIONAL_CANDIDATES:
            return None
        keep = np.argpartition(-found.scores[docnums], OPTIONAL_CANDIDATES - 1)[:OPTIONAL_CANDIDATES]
        return np.sort(docnums[keep])

    def _boosted(self, q: wq.CompoundQuery, result: Matches) -> Matches:
        # Whoosh applies a compound's boost only when it has several sub-queries.
        if q.boost != 1.0 and len(q.subqueries) > 1:
            result.scores *= q.boost
        return result

    def _union(self, queries: list[wq.Query], within: np.ndarray | None = None) -> Matches:
        out = self._empty()
        for child in queries:
            if isinstance(child, wq.Term):  # the common case: add the term's postings in place
                if self.clock() >= self.deadline:
                    raise TimeLimit
                ids, scores = self._term_postings(child)
                out.mask[ids] = True
                out.scores[ids] += scores
                continue
            part = self.matches(child, within)
            out.mask |= part.mask
            out.scores += part.scores
        return out

    def _key_fallback(self, q: KeyFallback, within: np.ndarray | None = None) -> Matches:
        """Literal fields plus key fields, the key score cut to ``KEY_ONLY_FACTOR`` where only keys match."""
        literal_parts, key_parts = q.split()
        literal = self._union(literal_parts, within)
        if not key_parts:
            return literal
        keys = self._union(key_parts, within)
        factor = np.where(literal.mask, 1.0, KEY_ONLY_FACTOR)
        return Matches(literal.mask | keys.mask, literal.scores + keys.scores * factor)

    def _flat_key_fallback(self, q: KeyFallback) -> Matches | None:
        """:meth:`_key_fallback` for a word (terms and ``Or`` s of terms only), on postings, not on whole arrays.

        A word's query has a dozen terms, each matching a few thousand of the documents: adding
        postings into one score array costs far less than a dense array per field. ``None``
        for other shapes (phrases): the general path answers.
        """
        outer = q.boost if q.boost != 1.0 and len(q.subqueries) > 1 else 1.0
        literal_parts, key_parts = q.split()
        literal = [t for sub in literal_parts for t in (_flat_terms(sub, outer) or [(None, 0.0)])]
        keys = [t for sub in key_parts for t in (_flat_terms(sub, outer) or [(None, 0.0)])]
        if any(term is None for term, _ in literal) or any(term is None for term, _ in keys):
            return None
        scores = np.zeros(self.size, dtype=np.float64)
        literal_mask = np.zeros(self.size, dtype=bool)
        for term, multiplier in literal:
            if self.clock() >= self.deadline:
                raise TimeLimit
            ids, term_scores = self._term_postings(term)  # type: ignore[arg-type]
            scores[ids] += term_scores * multiplier if multiplier != 1.0 else term_scores
            literal_mask[ids] = True
        mask = literal_mask.copy()
        for term, multiplier in keys:
            ids, term_scores = self._term_postings(term)  # type: ignore[arg-type]
            factor = np.where(literal_mask[ids], multiplier, multiplier * KEY_ONLY_FACTOR)
            scores[ids] += term_scores * factor
            mask[ids] = True
        return Matches(mask, scores)

    def _intersection(self, queries: list[wq.Query], within: np.ndarray | None = None) -> Matches:
        if not queries:
            return self._empty()
        parts = []
        mask = None
        for child in queries:
            part = self.matches(child, within)
            mask = part.mask.copy() if mask is None else mask & part.mask
            parts.append(part)
            if not mask.any():
                return self._empty()
        scores = np.zeros(self.size, dtype=np.float64)
        for part in parts:
            scores += part.scores
        scores[~mask] = 0.0
        return Matches(mask, scores)

    def _term(self, q: wq.Term) -> Matches:
        out = self._empty()
        ids, scores = self._term_postings(q)
        out.mask[ids] = True
        out.scores[ids] = scores
        return out

    def _term_postings(self, q: wq.Term) -> tuple[np.ndarray, np.ndarray]:
        """A term's documents and their BM25F scores (boost applied)."""
        schema = self.searcher.schema
        if q.fieldname not in schema:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        field = schema[q.fieldname]
        ids, weights = self.arrays.postings(self.reader, q.fieldname, field.to_bytes(q.text))
        if not len(ids):
            return ids, np.zeros(0, dtype=np.float64)
        if field.scorable:
            k1 = self.weighting.K1
            b = self.weighting._field_B.get(q.fieldname, self.weighting.B)
            idf = self.searcher.idf(q.fieldname, q.text)
            avgfl = self.searcher.avg_field_length(q.fieldname) or 1
            lengths = self.arrays.field_lengths(self.reader, q.fieldname)[ids]
            tf = weights.astype(np.float64)
            scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl)))
        else:
            scores = weights.astype(np.float64)
        return ids, (scores * q.boost if q.boost != 1.0 else scores)

    def _sequence(self, q: wq.Sequence, within: np.ndarray | None = None) -> Matches:
        """A phrase: its positions' intersection, kept where the span rule holds (see the module docstring)."""
        alternatives = [_terms_of(sub) for sub in q.subqueries]
        if not q.subqueries or any(alts is None for alts in alternatives):
            return self._whoosh(q, within)
        parts = [self.matches(sub) for sub in q.subqueries]
        candidates = parts[0].mask.copy()
        for part in parts[1:]:
            candidates &= part.mask
        if within is not None:
            allowed = np.zeros(self.size, dtype=bool)
            allowed[within] = True
            candidates &= allowed
        docnums = np.flatnonzero(candidates)
        out = self._empty()
        if not len(docnums):
            return out
        schema = self.searcher.schema
        per_position = []  # per position of the sequence: (index into docnums, position) of each occurrence
        for alts in alternatives:
            pairs = [
                self.arrays.positions(self.reader, fieldname, schema[fieldname].to_bytes(text)).gather(docnums)
                for fieldname, text in alts  # type: ignore[union-attr]
            ]
            per_position.append((np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])))
        if len(per_position) == 2 and q.ordered:
            keep = _ordered_pairs_within(per_position[0], per_position[1], q.slop, len(docnums))
        else:
            keep = self._span_checks(per_position, q, len(docnums))
        matched = docnums[keep]
        out.mask[matched] = True
        total = np.zeros(self.size, dtype=np.float64)
        for part in parts:
            total += part.scores
        out.scores[matched] = total[matched] * (q.boost if q.boost != 1.0 and len(q.subqueries) > 1 else 1.0)
        return out

    def _span_checks(self, per_position: list[tuple[np.ndarray, np.ndarray]], q: wq.Sequence, count: int) -> np.ndarray:
        """Whoosh's span rule per candidate, in Python (sequences of three or more positions)."""
        grouped = []
        for index, positions in per_position:
            order = np.lexsort((positions, index))
            index, positions = index[order], positions[order]
            bounds = np.searchsorted(index, np.arange(count + 1))
            grouped.append((bounds, positions.tolist()))
        keep = np.zeros(count, dtype=bool)
        clock, deadline = self.clock, self.deadline
        for i in range(count):
            if i % 64 == 0 and clock() >= deadline:
                raise TimeLimit
            spans = []
            for bounds, positions in grouped:
                mine = sorted(set(positions[bounds[i] : bounds[i + 1]]))
                spans.append([(p, p) for p in mine])
            keep[i] = bool(_span_tree(spans, q.slop, q.ordered))
        return keep

    def _whoosh(self, q: wq.Query, within: np.ndarray | None = None) -> Matches:
        """Whoosh's own matcher (positional and other queries), its scores kept; only ``within`` if given."""
        out = self._empty()
        matcher = q.matcher(self.searcher, self.searcher.context(weighting=self.weighting))
        ids: list[int] = []
        scores: list[float] = []
        clock, deadline = self.clock, self.deadline
        if within is not None:
            for docnum in within.tolist():
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() == docnum:
                    ids.append(docnum)
                    scores.append(matcher.score())
                if len(ids) % 64 == 0 and clock() >= deadline:
                    raise TimeLimit
        while within is None and matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
            if len(ids) % 256 == 0 and clock() >= deadline:
                raise TimeLimit
        if ids:
            index = np.asarray(ids, dtype=np.int64)
            keep = self.arrays.live[index]
            out.mask[index[keep]] = True
            out.scores[index[keep]] = np.asarray(scores, dtype=np.float64)[keep]
        return out


def _ordered_pairs_within(
    first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray], slop: int, count: int
) -> np.ndarray:
    """Per candidate: a position of the first word with one of the second ``1..slop`` after it.

    Whoosh's ``SpanNear`` rule for two single positions in order (``mindist`` 1), on arrays.
    """
    keep = np.zeros(count, dtype=bool)
    (a_index, a_pos), (b_index, b_pos) = first, second
    if not len(a_pos) or not len(b_pos):
        return keep
    width = int(max(a_pos.max(), b_pos.max())) + slop + 1
    targets = np.unique(b_index * width + b_pos)
    starts = a_index * width + a_pos
    for distance in range(1, slop + 1):
        found = np.isin(starts + distance, targets, assume_unique=False)
        keep[a_index[found]] = True
    return keep


def _flat_terms(q: wq.Query, multiplier: float = 1.0) -> list[tuple[wq.Term, float]] | None:
    """The terms of a term or a plain ``Or`` tree of terms, each with the factor its enclosing boosts give it.

    ``None`` for any other shape. A compound's boost counts only when it has several
    sub-queries, as Whoosh (and :meth:`Evaluator._boosted`) apply it.
    """
    if isinstance(q, wq.Term):
        return [(q, multiplier)]
    if type(q) is wq.Or and not q.minmatch and not q.scale:
        inner = multiplier * (q.boost if q.boost != 1.0 and len(q.subqueries) > 1 else 1.0)
        out: list[tuple[wq.Term, float]] = []
        for sub in q.subqueries:
            terms = _flat_terms(sub, inner)
            if terms is None:
                return None
            out += terms
        return out
    return None


def _terms_of(q: wq.Query) -> list[tuple[str, str]] | None:
    """The terms of one sequence position (a term, or an ``Or`` of terms); ``None`` for anything else."""
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text)]
    if isinstance(q, wq.Or) and not q.minmatch and not q.scale and all(isinstance(s, wq.Term) for s in q.subqueries):
        return [(s.fieldname, s.text) for s in q.subqueries]
    return None
