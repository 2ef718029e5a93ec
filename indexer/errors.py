"""Indexer failures that end a run, each mapped to its own exit code by the CLI."""

from __future__ import annotations


class IndexerError(RuntimeError):
    """Base class: the run cannot go on (the published index is untouched)."""


class IndexLocked(IndexerError):
    """Another indexer holds the index directory's lock."""


class NoIndex(IndexerError):
    """The index directory has no published generation yet."""


class ErrorBudgetExceeded(IndexerError):
    """More records were skipped than the run allows; nothing was published."""
