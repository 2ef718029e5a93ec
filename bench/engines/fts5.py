"""SQLite FTS5 from the standard library, as its documentation sets it up.

One FTS5 table ``docs(id UNINDEXED, title, body)`` with ``unicode61 remove_diacritics 2``
(Unicode word splitting, case and diacritic folding, no stemming), rowid = corpus position,
plus a plain ``ids`` table so an update can find a document's rowid by its id. Ranking by
``bm25()`` with equal column weights, totals by ``COUNT(*)``, snippets by ``snippet()``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.corpora import read_docs
from bench.engines.base import COUNT, FULL, Engine, Result, Searcher, disjunction_fallback, query_words

DB_NAME = "fts5.sqlite"
TOKENIZER = "unicode61 remove_diacritics 2"
SCHEMA = f"""
CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize="{TOKENIZER}");
CREATE TABLE ids(id TEXT PRIMARY KEY, rid INTEGER NOT NULL);
"""
TOP_SQL = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
FULL_SQL = (
    "SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 32), highlight(docs, 1, '<mark>', '</mark>') "
    "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
)
COUNT_SQL = "SELECT count(*) FROM docs WHERE docs MATCH ?"


def match_expression(words: list[str], conjunction: bool) -> str:
    """Each word as a quoted FTS5 string (so no word is read as an operator), AND- or OR-joined."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return (" " if conjunction else " OR ").join(quoted)


class Fts5Searcher(Searcher):
    """One read connection; ``COUNT(*)`` is a second statement over the same MATCH."""

    def __init__(self, index_dir: Path) -> None:
        self.db = sqlite3.connect(f"file:{index_dir / DB_NAME}?mode=ro", uri=True)

    def _run(self, expression: str, mode: str, k: int) -> Result:
        total = self.db.execute(COUNT_SQL, (expression,)).fetchone()[0] if mode in (COUNT, FULL) else None
        if mode == FULL:
            rows = self.db.execute(FULL_SQL, (expression, k)).fetchall()
            return Result([r[0] for r in rows], total, [r[1] for r in rows])
        return Result([r[0] for r in self.db.execute(TOP_SQL, (expression, k))], total)

    def search(self, text: str, mode: str, k: int = 10) -> Result:
        """All words, else any word."""
        words = query_words(text)
        if not words:
            return Result([], 0)
        result = self._run(match_expression(words, True), mode, k)
        if disjunction_fallback(result.total, result.ids, words):
            result = self._run(match_expression(words, False), mode, k)
            result.relaxed = True
        return result

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


class Fts5Engine(Engine):
    """SQLite's FTS5 extension through Python's ``sqlite3``."""

    name = "fts5"
    label = "SQLite FTS5"
    work = "one analysed field per text (folded words, no stemming); stores the text in the table; snippets for body and title"

    def version(self) -> str:
        """The SQLite library Python is linked against."""
        return f"SQLite {sqlite3.sqlite_version}"

    def build(self, docs_path: Path, index_dir: Path) -> int:
        """Insert every document in one transaction."""
        index_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(index_dir / DB_NAME)
        db.executescript(SCHEMA)
        count = 0
        with db:
            for count, doc in enumerate(read_docs(docs_path), start=1):
                db.execute("INSERT INTO docs(rowid, id, title, body) VALUES (?, ?, ?, ?)", (count, doc.id, doc.title, doc.body))
                db.execute("INSERT OR REPLACE INTO ids(id, rid) VALUES (?, ?)", (doc.id, count))
        db.close()
        return count

    def update(self, full_path: Path, changed_path: Path, index_dir: Path) -> int:
        """``UPDATE`` each changed row, found through ``ids``, in one transaction."""
        db = sqlite3.connect(index_dir / DB_NAME)
        count = 0
        with db:
            for doc in read_docs(changed_path):
                db.execute(
                    "UPDATE docs SET title = ?, body = ? WHERE rowid = (SELECT rid FROM ids WHERE id = ?)",
                    (doc.title, doc.body, doc.id),
                )
                count += 1
        db.close()
        return count

    def open(self, index_dir: Path, *, relevance: bool = False) -> Searcher:
        """A read-only connection."""
        return Fts5Searcher(index_dir)
