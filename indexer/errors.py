"""Indexer failures that end a run, each mapped to its own exit code by the CLI."""

from __future__ import annotations


class IndexerError(RuntimeError):
    """Base class: the run cannot go on (the published index is untouched)."""


class IndexLocked(IndexerError):
    """Another indexer holds the index directory's lock."""


class NoIndex(IndexerError):
    """The index directory has no published generation yet."""


class ErrorBudgetExceeded(IndexerError):
    """More records were skipped than the run allows; nothing was published.

    ``report`` is the run's report (a ``BuildReport``), so ``--report`` still says what was wrong.
    """

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report
