"""Whoosh's W3 codec with inlined postings for rare terms, written by a leaner loop.

Most terms of a news index occur in one or two documents (half of the cross-script keys are
hapaxes). W3 writes every term's postings as a block of its own in the ``.pst`` file (a block
header, a pickle, a zlib stream) and that per-term work was the largest part of the build. The
format also knows *inlined* postings, kept inside the term's entry in the term table, and its
readers handle them, but the 2.7 writer calls a method that does not exist (``set_inline``
instead of ``set_inlined``), so ``inlinelimit`` has never worked. This codec fixes the call.

The segment's postings also go through :class:`LeanFieldWriter`, which writes the same bytes
as W3's ``FieldWriter.add_postings`` with less work per posting: field lengths are read once
per field instead of once per posting, an inlined term's entry is packed in one step (no
``W3TermInfo`` object, compiled: ``indexer/_postings.cpp``), so is a long list's run of blocks
(pickles, zlib, block headers and the term info in one call), the term table gathers its entries
in a buffer and writes each of its hash tables in one write (:class:`LeanTermIndex`), and its
term and postings files count their own position (W3 asks ``tell()`` for every term, and a
buffered file's ``tell()`` is an ``lseek`` system call: a seventh of a build worker's time).

Pickles that hold bytes use protocol 3 (:data:`PICKLE_PROTOCOL`) instead of W3's 2. Protocol 2
has no opcode for bytes: it pickles every posting's encoded positions as a call to
``codecs.encode`` on a latin-1 string, which made an inlined term's postings five times slower
to write and to read back and 60 % larger. W3's readers unpickle any protocol, so the index stays
a plain W3 index, and older indexes read as before.

``tests/test_codec.py`` checks that the files are byte for byte what W3 writes with the same
pickle protocol, and that stock W3 reads back the same postings as from its own files.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.columns import NumericColumn
from whoosh.compat import dumps
from whoosh.fields import Schema
from whoosh.filedb.filetables import OrderedHashWriter, md5_hash
from whoosh.filedb.filetables import _lengths as _ENTRY_LENGTHS  # a hash file entry's key and value lengths
from whoosh.filedb.filetables import _pointer as _POINTER  # a hash table slot: key hash, entry position
from whoosh.filedb.structfile import StructFile
from whoosh.system import emptybytes, pack_ushort
from whoosh.util.numeric import _length_byte_cache, byte_to_length, length_to_byte

from indexer import _postings

INLINE_LIMIT = 16  # postings lists shorter than this live in the term table (95 % of the terms of a news index)
PENDING_BYTES = 1 << 20  # term table entries gathered before they are written


PICKLE_PROTOCOL = 3  # the oldest protocol with a bytes opcode (see the module docstring)

_postings.set_length_table(list(_length_byte_cache))  # the compiled inliner's length_to_byte


class SteppeTermInfo(W3TermInfo):
    """``W3TermInfo`` whose inlined postings are pickled with :data:`PICKLE_PROTOCOL` (read by W3 as its own)."""

    def to_bytes(self) -> bytes:
        """W3's term info bytes: the stats struct, then inlined postings or the postings' extent."""
        if not self.is_inlined():
            return super().to_bytes()
        return _TERMINFO.pack(
            1,
            self._weight,
            self._df,
            0 if self._minlength is None else length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
            self._maxweight,
            0xFFFFFFFF if self._minid is None else self._minid,
            0xFFFFFFFF if self._maxid is None else self._maxid,
        ) + dumps(self._inlined, PICKLE_PROTOCOL)


class InliningPostingsWriter(W3PostingsWriter):
    """``W3PostingsWriter`` whose short postings lists are inlined into the term info.

    Its blocks are W3's, pickled with :data:`PICKLE_PROTOCOL`.
    """

    def start_postings(self, format_: object, terminfo: W3TermInfo) -> None:
        """Start a term; its info pickles inlined postings with our protocol."""
        if type(terminfo) is W3TermInfo:
            terminfo.__class__ = SteppeTermInfo
        super().start_postings(format_, terminfo)

    def _write_block(self, last: bool = False) -> None:
        """``W3PostingsWriter._write_block`` with :data:`PICKLE_PROTOCOL` pickles (same layout)."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), PICKLE_PROTOCOL)
        comp = self._compression
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = dumps(
            (len(ids), ids[-1], self._maxweight, comp, length_to_byte(self._minlength), length_to_byte(self._maxlength)),
            PICKLE_PROTOCOL,
        )
        blocklength = len(infobytes) + len(databytes)
        postfile = self._postfile
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()

    def finish_postings(self) -> W3TermInfo:
        """The term info; short lists go inline, the rest take W3's block path."""
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


Posting = tuple[str, bytes, int, float, bytes | None]


class PositionedWriter:
    """A write-only file that keeps its own position, so ``tell()`` makes no system call.

    Everything Whoosh writes goes through ``write`` (``StructFile``'s typed writers, pickles,
    arrays); ``seek`` asks the file itself. Other attributes are the wrapped file's.
    """

    __slots__ = ("_file", "_position")

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._position = file.tell()

    def write(self, data: bytes) -> int:
        """Write ``data`` and advance the position."""
        written = self._file.write(data)
        self._position += written
        return written

    def tell(self) -> int:
        """The position, without asking the operating system."""
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move (Whoosh's hash tables go back to write their headers)."""
        self._position = self._file.seek(offset, whence)
        return self._position

    def flush(self) -> None:
        """Flush the wrapped file."""
        self._file.flush()

    def close(self) -> None:
        """Close the wrapped file."""
        self._file.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def positioned(structfile: StructFile) -> StructFile:
    """``structfile`` writing through a :class:`PositionedWriter` (same bytes, cheaper ``tell``)."""
    structfile.file = PositionedWriter(structfile.file)
    structfile.is_real = False  # arrays go through write(), not tofile() on the raw descriptor
    return structfile


_TERMINFO = W3TermInfo._struct  # flags, weight, doc frequency, min/max length bytes, max weight, first/last id


class LeanTermIndex(OrderedHashWriter):
    """The term table's ``OrderedHashWriter``, leaner in time and memory (same bytes).

    A segment's term table gets one entry per term, a million and more per build worker. Entries
    are gathered in a buffer (:data:`PENDING_BYTES` at a time) by the compiled
    ``_postings.add_entry``, which also takes the key's md5 hash, instead of three writes through
    three layers of file objects and a hashlib call each. Each hash-table slot (hash value, file
    position) is kept in two typed arrays per bucket, 12 bytes, instead of a tuple of two ints in
    a list, about 130 bytes: a build worker's term table holds a million and more of them when
    its segment is finished, the moment its memory peaks (main-corpus build: peak 1,551 → 1,428 MB).
    """

    def adopt(self) -> None:
        """Take over from a freshly made ``OrderedHashWriter`` (nothing added yet): slots go to arrays."""
        if any(self.buckets):
            raise ValueError("the term table already has entries")
        self._hashes = [array("I") for _ in range(256)]
        self._positions = [array("q") for _ in range(256)]
        self._md5 = self.hashfn is md5_hash
        self._pending = bytearray()
        self._pending_at = self.dbfile.tell()  # where the buffer's first byte goes in the file

    def tell(self) -> int:
        """The file position the next entry gets (the buffer counted in)."""
        return self._pending_at + len(self._pending)

    def add(self, key: bytes, value: bytes) -> None:
        """``OrderedHashWriter.add`` + ``HashWriter.add``: the entry, its hash slot and its place in the index."""
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        pending = self._pending
        pos = self._pending_at + len(pending)
        self.index.append(pos)
        if self._md5:
            h = _postings.add_entry(pending, key, value)
        else:
            pending += _ENTRY_LENGTHS.pack(len(key), len(value)) + key + value
            h = self.hashfn(key)
        self._hashes[h & 255].append(h)
        self._positions[h & 255].append(pos)
        self.lastkey = key
        if len(pending) >= PENDING_BYTES:
            self._write_pending()

    def _write_pending(self) -> None:
        self.dbfile.write(bytes(self._pending))
        self._pending.clear()
        self._pending_at = self.dbfile.tell()

    def _write_hashes(self) -> None:
        """``HashWriter._write_hashes`` (the 256 open-addressing tables), each table in one write instead of one per slot."""
        self._write_pending()  # the entries first: the tables follow them
        dbfile = self.dbfile
        null = (0, 0)
        pack = _POINTER.pack
        for hashes, positions in zip(self._hashes, self._positions, strict=True):
            numslots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), numslots))
            table = [null] * numslots
            for hashval, position in zip(hashes, positions, strict=True):
                slot = (hashval >> 8) % numslots
                while table[slot] != null:
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            dbfile.write(b"".join([pack(hashval, position) for hashval, position in table]))


class LeanFieldWriter(W3FieldWriter):
    """``W3FieldWriter`` with a faster ``add_postings`` (same output, see the module docstring)."""

    def __init__(self, codec: W3Codec, storage: object, segment: object) -> None:
        super().__init__(codec, storage, segment)
        # W3's constructor made the term table (and wrote its header); only how it writes entries
        # and hash tables differs (:class:`LeanTermIndex`, same bytes).
        self._tindex.__class__ = LeanTermIndex
        self._tindex.adopt()

    def _create_file(self, ext: str) -> StructFile:
        return positioned(super()._create_file(ext))

    def add_postings(self, schema: Schema, lengths: object, items: Iterable[Posting]) -> None:
        """Write sorted ``(field, term, docnum, weight, value)`` postings as terms and blocks."""
        inline_limit = self._codec._inlinelimit
        field_lengths: Callable[[str], list[int]] = _length_table(lengths)
        lastfn: str | None = None
        lasttext: bytes | None = None
        lens: list[int] = []
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self._write_term(lasttext, ids, weights, values, lens, inline_limit)
                    ids, weights, values = [], [], []
                if lastfn is not None:
                    if fieldname < lastfn:
                        raise ValueError(f"postings out of order: field {lastfn!r} .. {fieldname!r}")
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lens = field_lengths(fieldname)
                lastfn, lasttext = fieldname, None
            if docnum == -1:  # a spelling-graph entry, not a posting (as in W3)
                continue
            if btext != lasttext:
                if lasttext is not None:
                    if btext < lasttext:
                        raise ValueError(f"postings out of order: term {lasttext!r} .. {btext!r}")
                    self._write_term(lasttext, ids, weights, values, lens, inline_limit)
                    ids, weights, values = [], [], []
                lasttext = btext
            ids.append(docnum)
            weights.append(weight)
            values.append(emptybytes if value is None else value)
        if lasttext is not None:
            self._write_term(lasttext, ids, weights, values, lens, inline_limit)

    def add_grouped_postings(self, schema: Schema, lengths: object, groups: Iterable[tuple]) -> None:
        """Write ``(field, term, docnums, weights, values)`` groups, sorted by field and term."""
        inline_limit = self._codec._inlinelimit
        field_lengths: Callable[[str], list[int]] = _length_table(lengths)
        lastfn: str | None = None
        lens: list[int] = []
        for fieldname, btext, ids, weights, values in groups:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lens = field_lengths(fieldname)
                lastfn = fieldname
            self._write_term(btext, ids, weights, values, lens, inline_limit)

    def _write_term(
        self, btext: bytes, ids: list[int], weights: list[float], values: list[bytes], lens: list[int], inline_limit: int
    ) -> None:
        writer = self._postwriter
        size = writer._blocklimit
        # W3 inlines a list only while it fits one unwritten block: the same rule, so the bytes match.
        if len(ids) >= inline_limit or len(ids) > size:  # a long list: W3's blocks
            fixed_size = self._fieldobj.format.fixed_value_size()
            postfile = writer._postfile
            written = _postings.write_blocks(
                ids,
                weights,
                values,
                lens,
                size,
                writer._compression,
                -1 if fixed_size is None else fixed_size,
                zlib.compress,
                postfile.tell(),
            )
            if written is not None:
                postfile.write(written[0])
                self._tindex.add(pack_ushort(self._fieldid) + btext, written[1])
                return
            self._write_blocks_python(btext, ids, weights, values, lens)
            return
        value = _postings.inline_term(ids, weights, values, lens)
        if value is None:  # beyond what the compiled writer handles (a document number past 2**31)
            value = inlined_term_value(ids, weights, values, lens)
        self._tindex.add(pack_ushort(self._fieldid) + btext, value)

    def _write_blocks_python(
        self, btext: bytes, ids: Sequence[int], weights: Sequence[float], values: list[bytes], lens: list[int]
    ) -> None:
        """A long list through W3's own postings writer, each block buffered in one step.

        The reference for the compiled ``_postings.write_blocks`` and its fallback.
        """
        writer = self._postwriter
        size = writer._blocklimit
        self.start_term(btext)
        for begin in range(0, len(ids), size):
            if begin:  # add_posting writes a full block when the next posting comes
                writer._write_block()
            end = begin + size
            _fill_block(writer, ids[begin:end], weights[begin:end], values[begin:end], lens)
        self.finish_term()


def inlined_term_value(ids: Sequence[int], weights: Sequence[float], values: list[bytes], lens: list[int]) -> bytes:
    """An inlined term's entry in the term table: what ``W3TermInfo.to_bytes`` makes of one block.

    What W3PostingsWriter.add_posting + W3TermInfo.add_block compute for the block, packed
    without building the objects. The reference for the compiled ``_postings.inline_term``.
    """
    stored_weights = array("f", weights)
    doc_lengths = [length for length in (lens[d] if d < len(lens) else 0 for d in ids) if length]
    info = _TERMINFO.pack(
        1,  # inlined
        sum(stored_weights),
        len(ids),
        length_to_byte(min(doc_lengths)) if doc_lengths else 0,
        length_to_byte(max(doc_lengths)) if doc_lengths else length_to_byte(0),
        max(0, *weights),
        ids[0],
        ids[-1],
    )
    return info + dumps((tuple(ids), tuple(stored_weights), tuple(v for v in values if v)), PICKLE_PROTOCOL)


def _fill_block(
    writer: W3PostingsWriter, ids: Sequence[int], weights: Sequence[float], values: list[bytes], lens: list[int]
) -> None:
    """Buffer one block's postings as ``W3PostingsWriter.add_posting`` would, one at a time."""
    writer._ids = array("I", ids)
    writer._weights = array("f", weights)
    writer._values = [v for v in values if v]
    writer._maxweight = max(0, *weights)
    doc_lengths = [length for length in (lens[d] if d < len(lens) else 0 for d in ids) if length]
    writer._minlength = min(doc_lengths) if doc_lengths else None
    writer._maxlength = max(doc_lengths) if doc_lengths else 0


def _length_table(lengths: object) -> Callable[[str], list[int]]:
    """Per field, the length of every document, read once (W3 asked the column per posting)."""
    tables: dict[str, list[int]] = {}

    def table(fieldname: str) -> list[int]:
        if fieldname not in tables:
            tables[fieldname] = [] if lengths is None else field_lengths(lengths, fieldname)
        return tables[fieldname]

    return table


def field_lengths(lengths: object, fieldname: str) -> list[int]:
    """``[lengths.doc_field_length(d, fieldname) for d in range(doc_count_all())]``.

    W3's lengths column holds one length byte per document: read in one call and mapped
    through the byte table, instead of a method call, a file read and an unpack per document.
    Any other reader takes the per-document way.
    """
    count = lengths.doc_count_all()  # type: ignore[attr-defined]
    if isinstance(lengths, W3PerDocReader):
        reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return [0] * count
        if type(reader) is NumericColumn.Reader and reader._typecode == "B" and reader._doccount == count:
            stored = min(reader._count, count)
            return [*map(byte_to_length, reader._dbfile.get(reader._basepos, stored)), *([0] * (count - stored))]
    length_of = lengths.doc_field_length  # type: ignore[attr-defined]
    return [length_of(d, fieldname) for d in range(count)]


class SteppeCodec(W3Codec):
    """W3 with working inlined postings (see the module docstring)."""

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage: object, segment: object) -> LeanFieldWriter:
        """The segment's term and postings writer."""
        return LeanFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: object, byteids: bool = False) -> InliningPostingsWriter:
        """Postings writer for one field's terms."""
        return InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )
