"""Steppe Search in process: the indexer's ``build`` and the service's ``SearchEngine``.

Exactly the code paths the product runs (``steppe-index build`` and the API's engine), with
the settings a fresh install has. A 1 % update is ``steppe-index update`` with the changed
records, in place, as the nightly job's incremental path runs it.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from bench.engines.base import FULL, Engine, Result, Searcher

# Only for relevance runs: CISI queries run to 300 words and 2,000 characters, and recall@100
# needs more than one page; the public API limits (32 words, 1,000 characters, 100 per page)
# would reject them. Ranking is unaffected.
RELEVANCE_OVERRIDES: dict[str, object] = {"max_query_terms": 1000, "max_query_chars": 100_000, "max_per_page": 1000}
MAX_SKIP_RATIO = 0.25  # the CLI default


class SteppeSearcher(Searcher):
    """``SearchEngine.search``: ranking, exact total and snippets always come together."""

    modes = (FULL,)

    def __init__(self, root: Path, relevance: bool) -> None:
        from search.config import Config
        from search.engine import SearchEngine
        from search.index_provider import IndexProvider

        self.relevance = relevance
        overrides = RELEVANCE_OVERRIDES if relevance else {}
        self.provider = IndexProvider(root)
        self.engine = SearchEngine(self.provider, Config.from_env({}, index_dir=str(root), **overrides))
        self.engine.warm_up()  # as a server worker does at start: arrays built, startup objects frozen for the GC

    def search(self, text: str, mode: str, k: int = 10) -> Result:
        """One search as the API runs it (``per_page=k``, page 1)."""
        from search.errors import ParamError
        from search.params import FACETS, SearchParams

        try:
            # the search page's full request: the four facets too (the relevance runs need only the ranking)
            facets = () if self.relevance else FACETS
            result = self.engine.search(SearchParams(q=text, per_page=k, facets=facets))
        except ParamError:  # nothing searchable in the text: the API would answer 400
            return Result([], 0)
        return Result(
            [h.id for h in result.hits],
            result.total,
            [h.snippet for h in result.hits],
            relaxed=result.relaxed,
            partial=result.partial,
        )

    def close(self) -> None:
        """Close this thread's Whoosh searcher."""
        self.provider.close()


class SteppeEngine(Engine):
    """Steppe's own indexer and engine."""

    name = "steppe"
    label = "Steppe"
    work = (
        "cleans text, parses dates, detects script; indexes every text three times (stems, exact folded words, "
        "cross-script keys) with ICU segmentation; queries add aliases and cross-script forms; snippets for body and title"
    )

    def version(self) -> str:
        """Steppe's package version and the Whoosh it runs on."""
        return f"{metadata.version('steppe-search')} (Whoosh-Reloaded {metadata.version('Whoosh-Reloaded')})"

    def build(self, docs_path: Path, index_dir: Path) -> int:
        """``indexer.cli.build``: a new generation, published atomically."""
        from indexer.cli import build

        report = build([docs_path], index_dir, max_skip_ratio=MAX_SKIP_RATIO, progress=False)
        return report.indexed

    def update(self, full_path: Path, changed_path: Path, index_dir: Path) -> int:
        """``indexer.cli.update`` with the changed records: upsert in the published generation."""
        from indexer.cli import update

        report = update([changed_path], index_dir, prune=False, max_skip_ratio=MAX_SKIP_RATIO, progress=False)
        return report.indexed

    def open(self, index_dir: Path, *, relevance: bool = False) -> Searcher:
        """The API's engine on the published generation."""
        return SteppeSearcher(index_dir, relevance)

    def index_dir_size(self, index_dir: Path) -> int:
        """The current generation only (a previous one would be kept for rollback, not searched)."""
        from indexer.publish import IndexDirectory

        current = IndexDirectory(index_dir).current()
        root = current if current is not None else index_dir
        return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
