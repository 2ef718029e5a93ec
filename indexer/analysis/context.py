"""The language of the document being indexed, visible to the filters of the analysis chain.

Whoosh calls a field's analyzer with the field value only, so a per-document hint (``kk`` for a
Kazakh article whose words happen to use no Kazakh-only letter, like ``баспана``) travels in a
context variable that the writer sets around ``add_document``. Queries leave it unset, and the
filters then emit every plausible reading of an ambiguous word.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_DOCUMENT_LANGUAGE: contextvars.ContextVar[str | None] = contextvars.ContextVar("steppe_document_language", default=None)


def current_document_language() -> str | None:
    """The language code set by :func:`document_language`, or ``None`` (query side)."""
    return _DOCUMENT_LANGUAGE.get()


@contextlib.contextmanager
def document_language(lang: str | None) -> Iterator[None]:
    """Analyse text inside this block as belonging to a document in ``lang`` (en, ru, kk, ky...)."""
    token = _DOCUMENT_LANGUAGE.set(lang or None)
    try:
        yield
    finally:
        _DOCUMENT_LANGUAGE.reset(token)
