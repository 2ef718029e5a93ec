"""A Whoosh segment writer that groups postings by term as documents come in.

Whoosh's ``SegmentWriter`` puts every posting into a ``PostingPool`` as a 5-tuple (field,
term, document, weight, positions), sizes it, sorts all of them at the end (or in runs on disk
that are merged again) and hands them one by one to the codec. A news article here makes about
300 postings over its seven text fields, so that per-posting path was the largest part of a
build. This writer appends each posting to its term's group instead (a dictionary lookup and
three appends, in compiled code for the analysis chains' fields: ``indexer/_postings.cpp``,
with :func:`append_chain_postings` as its Python reference), sorts only the distinct terms at
the end, and gives the codec whole postings lists (``LeanFieldWriter.add_grouped_postings``).
Memory stays bounded the same way: past ``limitmb`` the groups are spilled to a sorted run on
disk, and runs are merged by term.

Everything else (stored fields, columns, lengths, deletions, merges of older segments) is
Whoosh's own code. Postings that reach the classic pool anyway (a merge of existing segments
during an update) make the writer fall back to Whoosh's path for that segment.
``tests/test_codec.py`` checks that both paths write the same bytes.
"""

from __future__ import annotations

import heapq
import pickle
import struct
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from whoosh.index import Index
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from indexer import _postings
from indexer.analysis.chains import ChainAnalyzer, ChainPositions, single_positions

# A term's postings while the segment is written: document numbers (uint32) and weights
# (float32) as raw bytes, which the compiled loop appends to, and the encoded positions.
Postings = tuple[bytearray, bytearray, list]
# In (field, term) order for the codec: the numbers as memoryviews cast to "I" and "f".
Group = tuple[str, bytes, memoryview, memoryview, list]
_DOCNUM = struct.Struct("=I")  # the native uint32 and float32 memoryview's "I" and "f" read
_WEIGHT = struct.Struct("=f")
SPILL_CHUNK = 4096  # groups per pickle in a spilled run
TERM_BYTES = 360  # rough memory of one term's group (dict slot, key, three containers)
POSTING_BYTES = 16  # one posting: a document number, a float32 weight, a pointer to shared bytes
FIELD_POSTINGS_MEMO = 2048  # values remembered per plain field with their postings (dropped all when full)


class GroupingSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with term-grouped postings (see the module docstring)."""

    def __init__(self, ix: Index, limitmb: int = 128, **kwargs: object) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self._groups: dict[str, dict[str | bytes, Postings]] = {}
        self._group_bytes = 0
        self._group_limit = limitmb * 1024 * 1024
        self._runs: list[str] = []
        self._postings_memo: dict[str, dict[object, tuple]] = {}

    # ------------------------------------------------------------------ adding documents
    def add_document(self, **fields: object) -> None:
        """Whoosh's ``add_document``, with postings going to the term groups."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    length = self._add_postings(fieldname, field, value, fieldboost, docnum)
                if field.separate_spelling():
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        self.pool.add((spellfield, word.encode("utf-8"), 0, 1, None))
                if field.vector:
                    vitems = field.vector.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        if self._group_bytes > self._group_limit:
            self._spill()

    def _add_postings(self, fieldname: str, field: object, value: object, fieldboost: float, docnum: int) -> int:
        """Append this field value's postings to their groups; returns the field length (if scorable)."""
        groups = self._groups.get(fieldname)
        if groups is None:
            groups = self._groups[fieldname] = {}
        fmt = field.format  # type: ignore[attr-defined]
        analyzer = field.analyzer  # type: ignore[attr-defined]
        if isinstance(fmt, ChainPositions) and isinstance(analyzer, ChainAnalyzer) and fmt.field_boost == 1.0:
            # The fused chains' fast path: positions straight from the analysis, terms kept as
            # str (encoded once per term when the groups are sorted, not once per posting),
            # appended by the compiled loop (:func:`append_chain_postings` is the same in Python).
            positions = analyzer.positions(value)  # type: ignore[arg-type]
            length, new_terms = _postings.append_postings(groups, positions, docnum, fieldboost, single_positions(), fmt.encode)
        else:
            length, new_terms = append_field_postings(groups, self._field_postings(fieldname, field, value), docnum, fieldboost)
        self._group_bytes += new_terms * TERM_BYTES + POSTING_BYTES * length
        return length if field.scorable else 0  # type: ignore[attr-defined]

    def _field_postings(self, fieldname: str, field: object, value: object) -> Iterable[tuple]:
        """``field.index(value)``, remembered per value.

        Dates, months, languages and countries repeat from article to article, and Whoosh analyses
        each anew (a date makes a term per precision tier). Only strings and naive datetimes are
        remembered: equal values of those always index alike (unlike ``1 == 1.0 == True``, or two
        aware datetimes of one instant in different zones).
        """
        kind = type(value)
        if not (kind is str or (kind is datetime and value.tzinfo is None)):  # type: ignore[attr-defined]
            return field.index(value)  # type: ignore[attr-defined]
        memo = self._postings_memo.get(fieldname)
        if memo is None:
            memo = self._postings_memo[fieldname] = {}
        postings = memo.get(value)
        if postings is None:
            if len(memo) >= FIELD_POSTINGS_MEMO:
                memo.clear()
            postings = memo[value] = tuple(field.index(value))  # type: ignore[attr-defined]
        return postings

    # ------------------------------------------------------------------ spilling and merging
    def _sorted_groups(self) -> Iterator[tuple[str, bytes, bytes | bytearray, bytes | bytearray, list]]:
        # Sorting str terms sorts their UTF-8 bytes the same way (UTF-8 keeps code point order).
        for fieldname in sorted(self._groups):
            groups = self._groups[fieldname]
            for term in sorted(groups):
                ids, weights, values = groups[term]
                yield fieldname, term.encode("utf-8") if isinstance(term, str) else term, ids, weights, values

    def _spill(self) -> None:
        """Write the groups, sorted, to a run file and start afresh.

        Pickled ``SPILL_CHUNK`` groups at a time: a third faster to write and read back than one
        pickle per group.
        """
        name = f"{random_name()}.groups"
        with self._tempstorage.create_file(name).raw_file() as run:
            chunk: list[tuple] = []
            for group in self._sorted_groups():
                chunk.append(group)
                if len(chunk) >= SPILL_CHUNK:
                    pickle.dump(chunk, run, pickle.HIGHEST_PROTOCOL)
                    chunk = []
            if chunk:
                pickle.dump(chunk, run, pickle.HIGHEST_PROTOCOL)
        self._runs.append(name)
        self._groups = {}
        self._group_bytes = 0

    def _read_run(self, name: str) -> Iterator[tuple[str, bytes, bytes | bytearray, bytes | bytearray, list]]:
        with self._tempstorage.open_file(name).raw_file() as run:
            while True:
                try:
                    chunk = pickle.load(run)
                except EOFError:
                    break
                yield from chunk
        self._tempstorage.delete_file(name)

    def iter_groups(self) -> Iterator[Group]:
        """Every term's postings, in (field, term) order, runs and memory merged."""
        if not self._runs:  # the usual segment: nothing spilled, nothing to merge
            for fieldname, term, ids, weights, values in self._sorted_groups():
                yield fieldname, term, memoryview(ids).cast("I"), memoryview(weights).cast("f"), values
            return
        sources = [self._read_run(name) for name in self._runs]
        sources.append(self._sorted_groups())
        current: list | None = None
        # A term in several runs comes from the earlier run first (heapq.merge is stable), and
        # documents come in order: joined in that order, its document numbers stay ascending.
        for group in heapq.merge(*sources, key=_group_key):
            if current is not None and current[0] == group[0] and current[1] == group[1]:
                current[2] += group[2]
                current[3] += group[3]
                current[4] += group[4]
                continue
            if current is not None:
                yield _cast(current)
            current = [group[0], group[1], bytearray(group[2]), bytearray(group[3]), list(group[4])]
        if current is not None:
            yield _cast(current)

    def _pool_in_use(self) -> bool:
        return bool(self.pool.current or self.pool.runs)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        grouped = getattr(self.fieldwriter, "add_grouped_postings", None)
        if grouped is None or self._pool_in_use():
            # Postings from merged segments are in Whoosh's pool: join them there.
            add = self.pool.add
            for fieldname, term, ids, weights, values in self.iter_groups():
                for docnum, weight, value in zip(ids, weights, values, strict=True):
                    add((fieldname, term, docnum, weight, value))
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        else:
            grouped(self.schema, lengths, self.iter_groups())
        self.fieldwriter.close()
        if lengths:
            lengths.close()

    def _close_segment(self) -> None:
        super()._close_segment()
        for name in self._runs:
            if self._tempstorage.file_exists(name):
                self._tempstorage.delete_file(name)
        self._runs = []


def _group_key(group: tuple) -> tuple[str, bytes]:
    return group[0], group[1]


def _cast(group: list) -> Group:
    fieldname, term, ids, weights, values = group
    return fieldname, term, memoryview(ids).cast("I"), memoryview(weights).cast("f"), values


def append_chain_postings(
    groups: dict, positions: dict[str, list[int]], docnum: int, boost: float, singles: list[bytes], encode: Callable
) -> tuple[int, int]:
    """One field value's postings from a chain analyzer's ``term → positions``, appended to ``groups``.

    The reference for the compiled ``_postings.append_postings``: returns the field length
    (occurrences) and how many terms are new to ``groups``.
    """
    length = new_terms = 0
    for term, poses in positions.items():
        freq = len(poses)
        group = groups.get(term)
        if group is None:
            group = groups[term] = (bytearray(), bytearray(), [])
            new_terms += 1
        group[0].extend(_DOCNUM.pack(docnum))
        group[1].extend(_WEIGHT.pack(freq * boost))
        if freq == 1 and poses[0] < len(singles):
            group[2].append(singles[poses[0]])
        else:
            group[2].append(encode(poses))
        length += freq
    return length, new_terms


def append_field_postings(groups: dict, postings: Iterable[tuple], docnum: int, boost: float) -> tuple[int, int]:
    """Any other field's postings (Whoosh's ``field.index`` tuples), appended to ``groups``: (length, new terms)."""
    length = new_terms = 0
    for tbytes, freq, weight, vbytes in postings:
        group = groups.get(tbytes)
        if group is None:
            group = groups[tbytes] = (bytearray(), bytearray(), [])
            new_terms += 1
        group[0].extend(_DOCNUM.pack(docnum))
        group[1].extend(_WEIGHT.pack(weight * boost))
        group[2].append(vbytes)
        length += freq
    return length, new_terms
