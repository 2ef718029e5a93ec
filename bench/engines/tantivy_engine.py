"""Tantivy (PyPI ``tantivy``) set up as its README shows a new user.

Schema ``id`` (raw, for deletes) + ``title`` + ``body``, default tokenizer (split on
non-alphanumerics, lower-case, no stemming); the writer with its default heap and thread
count (it uses every core, unlike the single-threaded Python engines).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from bench.corpora import read_docs
from bench.engines.base import COUNT, FULL, Engine, Result, Searcher, disjunction_fallback, query_words

FIELDS = ["title", "body"]


def _schema():  # noqa: ANN202 - tantivy.Schema, imported lazily
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True)
    builder.add_text_field("body", stored=True)
    return builder.build()


class TantivySearcher(Searcher):
    """``searcher.search(query, 10, count=...)`` plus ``SnippetGenerator`` for snippets."""

    def __init__(self, index_dir: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(index_dir))
        self.index.reload()
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _query(self, words: list[str], conjunction: bool):  # noqa: ANN202 - tantivy.Query
        return self.index.parse_query(" ".join(words), FIELDS, conjunction_by_default=conjunction)

    def search(self, text: str, mode: str, k: int = 10) -> Result:
        """All words, else any word; ids, the exact count and snippets as ``mode`` asks."""
        words = query_words(text)
        if not words:
            return Result([], 0)
        count = mode in (COUNT, FULL)
        query = self._query(words, True)
        found = self.searcher.search(query, k, count=count)
        relaxed = False
        if disjunction_fallback(found.count if count else None, found.hits, words):
            query = self._query(words, False)
            found = self.searcher.search(query, k, count=count)
            relaxed = True
        docs = [self.searcher.doc(address) for _, address in found.hits]
        result = Result([d["id"][0] for d in docs], found.count if count else None, relaxed=relaxed)
        if mode == FULL:
            body = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
            title = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "title")
            for doc in docs:
                title.snippet_from_doc(doc).to_html()
                result.snippets.append(body.snippet_from_doc(doc).to_html())
        return result


class TantivyEngine(Engine):
    """Tantivy via its Python bindings."""

    name = "tantivy"
    label = "Tantivy"
    work = "one analysed field per text (lower-cased words, no stemming); multi-threaded writer; snippets for body and title"

    def version(self) -> str:
        """The ``tantivy`` wheel's version."""
        return metadata.version("tantivy")

    def build(self, docs_path: Path, index_dir: Path) -> int:
        """Add every document with the default writer, commit, wait for merges."""
        import tantivy

        index_dir.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(_schema(), path=str(index_dir))
        writer = index.writer()
        count = 0
        for doc in read_docs(docs_path):
            writer.add_document(tantivy.Document(id=doc.id, title=doc.title, body=doc.body))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        return count

    def update(self, full_path: Path, changed_path: Path, index_dir: Path) -> int:
        """Delete each changed id by term, add the new version, commit."""
        import tantivy

        index = tantivy.Index.open(str(index_dir))
        writer = index.writer()
        count = 0
        for doc in read_docs(changed_path):
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(tantivy.Document(id=doc.id, title=doc.title, body=doc.body))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        return count

    def open(self, index_dir: Path, *, relevance: bool = False) -> Searcher:
        """A searcher on the last commit."""
        return TantivySearcher(index_dir)
