"""The index codec: rare terms inlined and read back; the lean writer writes W3's exact bytes (with protocol 3 pickles)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.query import Phrase, Term

import indexer.codec
from indexer.cli import build
from indexer.codec import INLINE_LIMIT, PICKLE_PROTOCOL, field_lengths
from indexer.publish import IndexDirectory
from tests.conftest import CORPUS, DEMO_CRAWL


def _segment_files(index: Path) -> dict[str, str]:
    current = IndexDirectory(index).current()
    return {
        p.name.split(".", 1)[1]: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in current.iterdir()
        if p.suffix in (".trm", ".pst", ".col")
    }


def _stock_w3(monkeypatch: pytest.MonkeyPatch, protocol: int) -> None:
    """Make SteppeCodec write through Whoosh's own W3 writers (pickling with ``protocol``).

    W3's inlining calls ``set_inline``, a method W3TermInfo lacks (the 2.7 bug our codec fixes):
    the reference gets the method under that name, and nothing else of ours.
    """
    monkeypatch.setattr(whoosh3.W3TermInfo, "set_inline", whoosh3.W3TermInfo.set_inlined, raising=False)
    monkeypatch.setattr(whoosh3, "dumps", lambda obj, _protocol=2: pickle.dumps(obj, protocol))
    monkeypatch.setattr(indexer.codec.SteppeCodec, "field_writer", lambda self, st, seg: W3FieldWriter(self, st, seg))
    monkeypatch.setattr(indexer.codec.SteppeCodec, "postings_writer", whoosh3.W3Codec.postings_writer)


@pytest.mark.parametrize("blocklimit", [128, 3])  # 3: long postings lists span several blocks
def test_lean_field_writer_writes_the_bytes_w3_writes(tmp_path, monkeypatch, blocklimit):
    monkeypatch.setattr(indexer.codec.SteppeCodec.__init__, "__defaults__", (blocklimit, 3, INLINE_LIMIT))
    lean = tmp_path / "lean"
    build([CORPUS, DEMO_CRAWL], lean, max_skip_ratio=0.5, progress=False, jobs=1)
    _stock_w3(monkeypatch, PICKLE_PROTOCOL)
    reference = tmp_path / "w3"
    build([CORPUS, DEMO_CRAWL], reference, max_skip_ratio=0.5, progress=False, jobs=1)
    ours, theirs = _segment_files(lean), _segment_files(reference)
    assert {".trm", ".pst"} <= {"." + name.rsplit(".", 1)[-1] for name in ours}
    assert ours == theirs


def test_stock_w3_reads_the_same_postings_as_from_its_own_protocol_2_files(tmp_path, monkeypatch):
    ours = tmp_path / "ours"
    build([CORPUS, DEMO_CRAWL], ours, max_skip_ratio=0.5, progress=False, jobs=1)
    with monkeypatch.context() as patched:
        _stock_w3(patched, 2)
        stock = tmp_path / "stock"
        build([CORPUS, DEMO_CRAWL], stock, max_skip_ratio=0.5, progress=False, jobs=1)
    assert _segment_files(ours) != _segment_files(stock)  # other pickles ...
    assert _postings(ours) == _postings(stock)  # ... same postings, term stats and inlining
    assert _inlined(ours) == _inlined(stock)
    assert _terms_bytes(ours) < _terms_bytes(stock)


def _inlined(index: Path) -> set:
    ix = whoosh_index.open_dir(str(IndexDirectory(index).current()))
    with ix.reader() as reader:
        return {(f, t) for f, t in reader.all_terms() if reader.term_info(f, t).is_inlined()}


def _terms_bytes(index: Path) -> int:
    return sum(p.stat().st_size for p in IndexDirectory(index).current().iterdir() if p.suffix in (".trm", ".pst"))


def test_rare_terms_are_inlined_and_found_again(tmp_path):
    index = tmp_path / "ix"
    build([CORPUS, DEMO_CRAWL], index, max_skip_ratio=0.5, progress=False, jobs=1)
    ix = whoosh_index.open_dir(str(IndexDirectory(index).current()))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        rare = [(f, t) for f, t in reader.all_terms() if f == "body_exact" and reader.doc_frequency(f, t) < INLINE_LIMIT]
        common = [(f, t) for f, t in reader.all_terms() if f == "body_exact" and reader.doc_frequency(f, t) >= INLINE_LIMIT]
        assert rare and common
        for field, term in rare[:200]:
            assert reader.term_info(field, term).is_inlined()
            text = term.decode("utf-8")
            hits = searcher.search(Term(field, text), limit=None)
            assert len(hits) == reader.doc_frequency(field, term)
            assert all(text in [t.text for t in ix.schema[field].analyzer(h["body"])] for h in hits)
        assert not reader.term_info(*common[0]).is_inlined()
        # positions of inlined postings work for phrases: the first two words of some article body
        doc = next(d for d in searcher.documents() if len(d["body"].split()) > 3)
        words = [t.text for t in ix.schema["body_exact"].analyzer(doc["body"])][:2]
        assert doc["id"] in [h["id"] for h in searcher.search(Phrase("body_exact", words), limit=None)]


def _postings(index: Path) -> dict:
    ix = whoosh_index.open_dir(str(IndexDirectory(index).current()))
    with ix.reader() as reader:
        out = {}
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight())
            out[(field, term)] = (stats, list(reader.postings(field, term).all_items()))
        return out


def test_grouped_postings_spilled_to_runs_merge_back_exactly(tmp_path, monkeypatch):
    import indexer.segment_writer
    import indexer.writer

    whole = tmp_path / "whole"
    build([CORPUS, DEMO_CRAWL], whole, max_skip_ratio=0.5, progress=False, jobs=1)
    spills = []
    spill = indexer.segment_writer.GroupingSegmentWriter._spill
    monkeypatch.setattr(indexer.segment_writer.GroupingSegmentWriter, "_spill", lambda self: spills.append(1) or spill(self))
    monkeypatch.setattr(indexer.segment_writer, "TERM_BYTES", 20_000)  # a few documents fill the memory budget
    monkeypatch.setattr(indexer.writer, "WRITER_MEMORY_MB", 1)
    spilled = tmp_path / "spilled"
    build([CORPUS, DEMO_CRAWL], spilled, max_skip_ratio=0.5, progress=False, jobs=1)
    assert len(spills) >= 3
    assert _postings(spilled) == _postings(whole)


def test_inlined_term_info_of_the_update_path_is_w3s_with_protocol_3(monkeypatch):
    # Updates and merges take Whoosh's per-posting path, where the term info pickles itself.
    from whoosh.formats import Positions

    from indexer.codec import SteppeTermInfo

    def info(cls: type) -> whoosh3.W3TermInfo:
        made = cls()
        made._weight, made._df, made._minlength, made._maxlength, made._maxweight = 3.0, 2, 4, 9, 2.0
        made._minid, made._maxid = 7, 70_000
        made.set_inlined([7, 70_000], [1.0, 2.0], [Positions().encode([3]), Positions().encode([1, 5])])
        return made

    ours = info(SteppeTermInfo).to_bytes()
    monkeypatch.setattr(whoosh3, "dumps", lambda obj, _protocol=2: pickle.dumps(obj, PICKLE_PROTOCOL))
    assert ours == info(whoosh3.W3TermInfo).to_bytes()
    back = whoosh3.W3TermInfo.from_bytes(ours)
    assert back.is_inlined() and back.inlined_postings() == info(SteppeTermInfo).inlined_postings()
    assert (back.doc_frequency(), back.max_id()) == (2, 70_000)


def test_field_lengths_read_in_one_go_are_the_per_document_lengths(tmp_path):
    index = tmp_path / "ix"
    build([CORPUS, DEMO_CRAWL], index, max_skip_ratio=0.5, progress=False, jobs=1)
    ix = whoosh_index.open_dir(str(IndexDirectory(index).current()))
    with ix.reader() as reader:
        per_doc = reader._perdoc  # the segment's W3PerDocReader
        assert isinstance(per_doc, whoosh3.W3PerDocReader)
        count = per_doc.doc_count_all()
        for field in ("title", "body", "body_key", "lang", "no_such_field"):
            expected = [per_doc.doc_field_length(d, field) for d in range(count)]
            assert field_lengths(per_doc, field) == expected, field
        assert any(field_lengths(per_doc, "body"))  # real lengths, not only the default


def test_plain_fields_postings_remembered_per_value_are_whooshs(tmp_path, monkeypatch):
    import datetime as dt

    import indexer.segment_writer
    from indexer.schema import build_schema
    from indexer.segment_writer import GroupingSegmentWriter

    monkeypatch.setattr(indexer.segment_writer, "FIELD_POSTINGS_MEMO", 3)  # the memo fills up and starts again
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = GroupingSegmentWriter(ix)
    try:
        schema = ix.schema
        cases = [
            ("date", dt.datetime(2025, 3, 29)),
            ("month", "2025-03"),
            ("lang", "kk"),
            ("country", "KZ,KG"),
            ("date", dt.datetime(2025, 3, 30)),
            ("date", dt.datetime(2025, 3, 29, tzinfo=dt.UTC)),  # aware: not remembered, still right
            ("lang", "ru"),
            ("lang", "kk"),
        ]
        for _ in range(3):
            for field, value in cases:
                assert tuple(writer._field_postings(field, schema[field], value)) == tuple(schema[field].index(value))
        assert set(writer._postings_memo) == {"date", "month", "lang", "country"}
        assert all(len(memo) <= 3 for memo in writer._postings_memo.values())
    finally:
        writer.cancel()
