"""The compiled posting loops (``indexer/_postings.cpp``) give exactly what their Python references give."""

from __future__ import annotations

import pickletools
import random
import zlib
from array import array
from io import BytesIO

import pytest
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filetables import _lengths as _ENTRY_LENGTHS
from whoosh.filedb.filetables import md5_hash
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint

from indexer import _postings
from indexer.analysis.chains import ChainAnalyzer, single_positions
from indexer.codec import InliningPostingsWriter, inlined_term_value
from indexer.segment_writer import append_chain_postings

ENCODE = Positions().encode


def _positions(rng: random.Random, n: int, gap: int) -> list[int]:
    out, pos = [], 0
    for _ in range(n):
        pos += rng.randrange(gap)
        out.append(pos)
    return out


@pytest.mark.parametrize("n", [1, 2, 3, 4, 999, 1000, 1001, 2500])
def test_encode_positions_is_whooshs_positions_encode(n):
    rng = random.Random(n)
    for gap in (1, 3, 300, 70_000, 20_000_000):  # deltas of 0, one byte, two bytes, four bytes
        poses = _positions(rng, n, gap)
        assert _postings.encode_positions(poses) == ENCODE(poses)
        assert Positions().decode_positions(_postings.encode_positions(poses)) == poses


def test_encode_positions_declines_what_leaves_32_bits():
    assert _postings.encode_positions([2**31 - 1]) == ENCODE([2**31 - 1])
    assert _postings.encode_positions([0, 2**31]) is None  # the Python path pickles a long
    assert _postings.encode_positions([5, 2]) == ENCODE([5, 2])  # a negative delta still fits


def _length_tables(rng: random.Random) -> list[list[int]]:
    """Documents' field lengths: none known, some, all; zero (no such field), small, past the byte scale."""
    return [[], *([rng.choice([0, 1, 5, 40, 900, 200_000]) for _ in range(size)] for size in (35_000, 70_000))]


def _inline_case(rng: random.Random, n: int, tables: list[list[int]]) -> tuple[memoryview, memoryview, list[bytes], list[int]]:
    ids = sorted(rng.sample(range(70_000), n))
    weights = [rng.choice([1.0, 2.0, 3.0, 0.5, 1.7, 0.0]) for _ in range(n)]
    shared = [ENCODE([0]), ENCODE([1]), ENCODE([3, 9])]
    values = [rng.choice(shared) if rng.random() < 0.5 else ENCODE(_positions(rng, rng.randrange(1, 80), 9)) for _ in range(n)]
    if rng.random() < 0.2:
        values[0] = b""  # a format without values (existence), dropped from the pickle
    lens = rng.choice(tables)
    return memoryview(array("I", ids)).cast("B").cast("I"), memoryview(array("f", weights)).cast("B").cast("f"), values, lens


def test_inline_term_is_the_python_inlined_term_value():
    rng = random.Random(7)
    tables = _length_tables(rng)
    for case in range(3000):
        ids, weights, values, lens = _inline_case(rng, 1 + case % 15, tables)
        assert _postings.inline_term(ids, weights, values, lens) == inlined_term_value(ids, weights, values, lens), case


def test_inline_term_memoises_shared_values_as_pickle_does():
    one = ENCODE([0])
    ids, weights = memoryview(array("I", [1, 2, 3, 4])), memoryview(array("f", [1.0] * 4))
    shared = _postings.inline_term(ids, weights, [one, one, one, one], [])
    equal = [one, *(bytes(bytearray(one)) for _ in range(3))]  # equal values, other objects
    copies = _postings.inline_term(ids, weights, equal, [])
    assert shared == inlined_term_value(ids, weights, [one] * 4, [])
    assert copies == inlined_term_value(ids, weights, equal, [])
    assert len(shared) < len(copies)  # the same object is written once, then referred to


def test_inline_term_leaves_lists_and_big_document_numbers_to_python():
    assert _postings.inline_term([1, 2], [1.0, 1.0], [b"a", b"b"], []) is None
    big = memoryview(array("I", [5, 2**31]))
    assert _postings.inline_term(big, memoryview(array("f", [1.0, 1.0])), [b"a", b"b"], []) is None


def test_append_postings_is_the_python_loop_on_real_analysis():
    analyzer = ChainAnalyzer("exact")
    texts = [
        "Тоқаев Астанада сөйледі. Tokayev spoke in Astana; Токаев выступил в Астане.",
        "Банк банков банктері " * 30,
        "Almaty Алматы Almaty",
    ]
    native: dict = {}
    python: dict = {}
    singles = single_positions()
    for docnum, text in enumerate(texts * 3):
        positions = analyzer.positions(text)
        ours = _postings.append_postings(native, positions, docnum, 1.5, singles, ENCODE)
        theirs = append_chain_postings(python, positions, docnum, 1.5, singles, ENCODE)
        assert ours == theirs
    assert native.keys() == python.keys()
    for term, (ids, weights, values) in native.items():
        assert (ids, weights, values) == python[term]
        for value in values:  # one occurrence: the shared encoding, not a copy
            poses = Positions().decode_positions(value)
            assert (value is singles[poses[0]]) == (len(poses) == 1)
    assert list(memoryview(native["банк"][0]).cast("I")) == [1, 4, 7]
    assert Positions().decode_positions(native["банк"][2][0]) == list(range(0, 90, 3))


def test_append_postings_rejects_what_is_not_a_group():
    with pytest.raises(TypeError):
        _postings.append_postings({"x": (array("I"), array("f"), [])}, {"x": [0]}, 0, 1.0, single_positions(), ENCODE)


def test_md5_low32_is_whooshs_md5_hash():
    rng = random.Random(3)
    for size in [*range(130), 1000, 4096]:  # every padding case: one block, two, several
        data = rng.randbytes(size)
        assert _postings.md5_low32(data) == md5_hash(data), size


def test_add_entry_appends_what_hashwriter_writes():
    buffer = bytearray(b"head")
    key, value = "\x00\x03тоқаев".encode(), bytes(range(256)) * 3
    assert _postings.add_entry(buffer, key, value) == md5_hash(key)
    assert buffer == b"head" + _ENTRY_LENGTHS.pack(len(key), len(value)) + key + value
    with pytest.raises(TypeError):
        _postings.add_entry(bytes(buffer), key, value)


def test_inline_term_pickles_long_lists_with_four_byte_memo_indexes():
    n = 300  # past 256 memo entries: LONG_BINPUT, and LONG_BINGET for a value seen again
    values = [ENCODE([i, i + 1]) for i in range(n - 1)]
    values.append(values[-1])
    ids, weights = memoryview(array("I", range(n))), memoryview(array("f", [1.0] * n))
    ours = _postings.inline_term(ids, weights, values, [])
    assert ours == inlined_term_value(ids, weights, values, [])
    opcodes = {op.name for op, _, _ in pickletools.genops(ours[23:])}  # after W3's 23-byte term info struct
    assert {"LONG_BINPUT", "LONG_BINGET"} <= opcodes


def _w3_long_list(ids, weights, values, lens, blocklimit: int, fmt: object, offset: int) -> tuple[bytes, bytes]:
    """W3's own writer, a posting at a time (protocol-3 pickles): the postings bytes and the term info."""
    out = BytesIO()
    postfile = StructFile(out)
    postfile.write(b"x" * offset)
    writer = InliningPostingsWriter(postfile, blocklimit=blocklimit, compression=3, inlinelimit=1)
    writer.start_postings(fmt, W3TermInfo())
    for docnum, weight, value in zip(ids, weights, values, strict=True):
        writer.add_posting(docnum, weight, value, lens[docnum] if docnum < len(lens) else 0)
    info = writer.finish_postings().to_bytes()
    return out.getvalue()[offset:], info


@pytest.mark.parametrize("fmt", [Positions(), Existence(), Frequency()], ids=lambda f: type(f).__name__)
def test_write_blocks_is_w3s_postings_writer(fmt):
    rng = random.Random(11)
    tables = _length_tables(rng)
    fixed = fmt.fixed_value_size()
    declined = 0
    for case in range(300):
        n = rng.choice([1, 2, 16, 127, 128, 129, 300, 1000])
        blocklimit = rng.choice([3, 128])
        ids, weights, values, lens = _inline_case(rng, n, tables)
        if case % 7 == 0:
            weights = memoryview(array("f", [1.0] * n))  # W3 pickles None for all-1.0 weights ...
        elif case % 7 == 1:
            weights = memoryview(array("f", [2.5] * n))  # ... and one float when they are all equal
        elif case % 7 == 2:
            weights = memoryview(array("f", [0.0] * n))  # max(0, *weights) stays the int 0
        if fixed == 0:
            values = [b""] * n
        elif fixed:
            values = [pack_uint(rng.randrange(1, 9)) for _ in range(n)]  # Frequency: a 4-byte count
        offset = rng.randrange(0, 5000)
        fixed_size = -1 if fixed is None else fixed
        ours = _postings.write_blocks(ids, weights, values, lens, blocklimit, 3, fixed_size, zlib.compress, offset)
        try:
            theirs = _w3_long_list(ids, weights, values, lens, blocklimit, fmt, offset)
        except TypeError:  # a block without lengths after one with: W3 fails on min(int, None) ...
            assert ours is None, case  # ... so the compiled writer leaves it to the Python path
            declined += 1
            continue
        assert ours == theirs, case
    assert declined < 100  # most cases were compared (the length tables have many zeros)


def test_write_blocks_leaves_lists_and_big_document_numbers_to_python():
    args = ([b"a", b"b"], [], 128, 3, -1, zlib.compress, 0)
    assert _postings.write_blocks([1, 2], [1.0, 1.0], *args) is None
    big = memoryview(array("I", [5, 2**31]))
    assert _postings.write_blocks(big, memoryview(array("f", [1.0, 1.0])), *args) is None
