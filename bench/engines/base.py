r"""What every engine adapter offers, and the query semantics they all share.

Every engine answers the same query the same way Steppe's search box does: documents with
*all* the words, ranked; when none has them all, the any-word ranking instead. Peers get the
words of the query (``\w+`` runs, lower-cased so no word is read as an operator), each in the
syntax its own query language wants; Steppe gets the text as typed.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

_WORD = re.compile(r"\w+")

# Measurement modes, from the least work to what a search page needs.
TOP = "top10"  # ranked ids only
COUNT = "count"  # + the exact number of matching documents
FULL = "snippets"  # + the exact count + a highlighted body snippet (and title) per hit
MODES: tuple[str, ...] = (TOP, COUNT, FULL)


def query_words(text: str) -> list[str]:
    """Lower-cased word runs; what the peers are asked for."""
    return [w.lower() for w in _WORD.findall(text)]


@dataclass
class Result:
    """What one search returned: external ids in rank order, the total (if counted), snippets."""

    ids: list[str]
    total: int | None = None
    snippets: list[str] = field(default_factory=list)
    relaxed: bool = False
    partial: bool = False


class Searcher(ABC):
    """An open index, ready to answer queries in the modes it supports."""

    modes: tuple[str, ...] = MODES

    @abstractmethod
    def search(self, text: str, mode: str, k: int = 10) -> Result:
        """Answer ``text`` with the top ``k`` in ``mode`` (one of :data:`modes`)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and connections."""


class Engine(ABC):
    """An engine adapter: builds and updates run in a child process, searches in the bench."""

    name: str = ""
    label: str = ""
    #: one line on what this engine's index does that the others do not (or does not do)
    work: str = ""

    @abstractmethod
    def version(self) -> str:
        """The engine library's version string."""

    @abstractmethod
    def build(self, docs_path: Path, index_dir: Path) -> int:
        """Index every document of ``docs_path`` (JSON Lines) into a new ``index_dir``; docs indexed."""

    @abstractmethod
    def update(self, full_path: Path, changed_path: Path, index_dir: Path) -> int:
        """Apply a 1 % update the way a user of this engine naturally would; documents written."""

    @abstractmethod
    def open(self, index_dir: Path, *, relevance: bool = False) -> Searcher:
        """Open a searcher; ``relevance`` lifts result-size limits made for the public API."""

    def index_dir_size(self, index_dir: Path) -> int:
        """Bytes on disk of the searchable index (engines override to exclude old generations)."""
        return sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())


def disjunction_fallback(strict_total: int | None, strict_ids: list[str], words: list[str]) -> bool:
    """Whether the any-word query must run: nothing matched all words and there is more than one."""
    matched = strict_total if strict_total is not None else len(strict_ids)
    return matched == 0 and len(words) > 1
