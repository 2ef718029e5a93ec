"""Plain Whoosh (the same Whoosh-Reloaded Steppe runs on), as its quick-start sets it up.

``StandardAnalyzer`` (regex words, lower-case, English stop words, no stemming) on ``title``
and ``body``, BM25F, default writer. This isolates what Steppe's analysis and query expansion
cost on top of the library they share.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from bench.corpora import read_docs
from bench.engines.base import COUNT, FULL, Engine, Result, Searcher, disjunction_fallback, query_words

FIELDS = ["title", "body"]


def _schema(stemming: bool = False):  # noqa: ANN202 - whoosh.fields.Schema, imported lazily
    from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    analyzer = StemmingAnalyzer if stemming else StandardAnalyzer
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=analyzer()),
        body=TEXT(stored=True, analyzer=analyzer()),
    )


class WhooshSearcher(Searcher):
    """``searcher.search``: block-quality skipping for plain top-10, ``optimize=False`` for exact counts."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index, qparser, scoring

        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher(weighting=scoring.BM25F())
        self.strict = qparser.MultifieldParser(FIELDS, self.ix.schema, group=qparser.AndGroup)
        self.loose = qparser.MultifieldParser(FIELDS, self.ix.schema, group=qparser.OrGroup)

    def _run(self, parser, words: list[str], mode: str, k: int) -> Result:  # noqa: ANN001
        query = parser.parse(" ".join(words))
        exact = mode in (COUNT, FULL)
        results = self.searcher.search(query, limit=k, optimize=not exact)
        result = Result([hit["id"] for hit in results], len(results) if exact else None)
        if mode == FULL:
            for hit in results:
                hit.highlights("title")
                result.snippets.append(hit.highlights("body"))
        return result

    def search(self, text: str, mode: str, k: int = 10) -> Result:
        """All words, else any word."""
        words = query_words(text)
        if not words:
            return Result([], 0)
        result = self._run(self.strict, words, mode, k)
        if disjunction_fallback(result.total, result.ids, words):
            result = self._run(self.loose, words, mode, k)
            result.relaxed = True
        return result

    def close(self) -> None:
        """Close the searcher's files."""
        self.searcher.close()


class WhooshEngine(Engine):
    """Whoosh with its standard analyzer."""

    name = "whoosh"
    label = "Whoosh (plain)"
    stemming = False
    work = "one analysed field per text (lower-cased words minus English stop words, no stemming); snippets for body and title"

    def version(self) -> str:
        """The Whoosh-Reloaded version."""
        return f"Whoosh-Reloaded {metadata.version('Whoosh-Reloaded')}"

    def build(self, docs_path: Path, index_dir: Path) -> int:
        """Add every document with the default writer and commit."""
        from whoosh import index

        index_dir.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(index_dir), _schema(self.stemming))
        writer = ix.writer()
        count = 0
        for doc in read_docs(docs_path):
            writer.add_document(id=doc.id, title=doc.title, body=doc.body)
            count += 1
        writer.commit()
        return count

    def update(self, full_path: Path, changed_path: Path, index_dir: Path) -> int:
        """``update_document`` (delete by unique id + add) for each changed document, then commit."""
        from whoosh import index

        writer = index.open_dir(str(index_dir)).writer()
        count = 0
        for doc in read_docs(changed_path):
            writer.update_document(id=doc.id, title=doc.title, body=doc.body)
            count += 1
        writer.commit()
        return count

    def open(self, index_dir: Path, *, relevance: bool = False) -> Searcher:
        """A BM25F searcher on the latest commit."""
        return WhooshSearcher(index_dir)


class WhooshStemmingEngine(WhooshEngine):
    """Plain Whoosh with ``StemmingAnalyzer``: the build the issue's speed figures are scaled by.

    The ingestion issue states its build target next to "a plain Whoosh ``StemmingAnalyzer``
    index of the same corpus builds at 308 docs/s on one core" on the machine it was measured
    on; building that same index here tells how fast this machine is by comparison. Only built
    (once, on the main corpus), never searched.
    """

    name = "whoosh_stem"
    label = "Whoosh (StemmingAnalyzer)"
    work = "one stemmed field per text, default writer, one core: the reference build of the ingestion issue"
    stemming = True
