"""Longest-first suffix matching by dictionary lookup, for the stemmers' ending tables.

A word has one suffix of each length, so a table of endings is matched with one dictionary
lookup per distinct ending length (a handful) instead of an ``endswith`` per ending (over a
hundred): the suffix strippers ran ten million ``endswith`` calls per 4,000 articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

V = TypeVar("V")


class SuffixTable(Generic[V]):
    """Endings with a value each; :meth:`matches` yields those a word ends with, longest first.

    >>> list(SuffixTable([("лар", "P"), ("ар", "Q"), ("ға", "D")]).matches("балалар"))
    [('лар', 'P'), ('ар', 'Q')]

    When an ending is given twice, the first value wins (as in a longest-first scan of the
    original list).
    """

    def __init__(self, items: Iterable[tuple[str, V]]) -> None:
        self._values: dict[str, V] = {}
        for suffix, value in items:
            if suffix and suffix not in self._values:
                self._values[suffix] = value
        self._lengths = sorted({len(s) for s in self._values}, reverse=True)

    def matches(self, word: str, min_rest: int = 0) -> Iterator[tuple[str, V]]:
        """``(ending, value)`` for every ending of ``word`` that leaves ``min_rest`` characters or more."""
        size = len(word)
        values = self._values
        for length in self._lengths:
            if size - length < min_rest:
                continue
            suffix = word[size - length :]
            if suffix in values:
                yield suffix, values[suffix]
