"""Highlighted, HTML-safe snippets: article text escaped, only ``<mark>`` added.

A token is marked when any of its analysed forms (exact spelling, stem, cross-script key) is
among the query's, so a query Токаев marks *Tokayev*. Work per hit is bounded: only the first
``MAX_SCAN_CHARS`` characters of a body are analysed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from whoosh.analysis import Analyzer

from indexer.analysis import document_language
from indexer.analysis.fold import NormalizeFilter
from indexer.analysis.stem import stems_of
from indexer.analysis.tokenizer import ICUWordTokenizer
from indexer.analysis.translit import key_forms
from search.query import HighlightTerms

MAX_SCAN_CHARS = 20_000
_TOKENS: Analyzer = ICUWordTokenizer() | NormalizeFilter()


def matched_spans(text: str, terms: HighlightTerms, lang: str | None) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose token matches a query form (sorted, merged)."""
    spans: list[tuple[int, int]] = []
    with document_language(lang):
        for token in _TOKENS(text[:MAX_SCAN_CHARS], chars=True, mode="index"):
            word = token.text
            if (
                word in terms.exact
                or any(s in terms.stem for s in stems_of(word, lang))
                or (terms.key and any(k in terms.key for k in key_forms(word, lang)))
            ):
                spans.append((token.startchar, token.endchar))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def render(text: str, spans: Iterable[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """Escape ``text[start:end]`` and wrap the spans inside it in ``<mark>``."""
    end = len(text) if end is None else end
    out: list[str] = []
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[cursor:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def _best_window(text: str, spans: list[tuple[int, int]], size: int) -> tuple[int, int]:
    """The window of about ``size`` characters holding the most matches, snapped to words."""
    if not spans or len(text) <= size:
        start = 0
    else:
        best, best_count = spans[0][0], 0
        j = 0
        for i, (s, _) in enumerate(spans):
            while j < len(spans) and spans[j][1] <= s + size:
                j += 1
            if j - i > best_count:
                best, best_count = s, j - i
        start = max(0, best - size // 5)
        space = text.rfind(" ", 0, start)
        start = 0 if space < 0 or start - space > 30 else space + 1
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    return start, end


def snippet(text: str, terms: HighlightTerms, lang: str | None, size: int = 250) -> str:
    """The best passage of ``text`` (≈ ``size`` characters) with matches marked; ``…`` where cut."""
    text = " ".join(text.split())
    spans = matched_spans(text, terms, lang)
    start, end = _best_window(text, spans, size)
    body = render(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def highlight_title(title: str, terms: HighlightTerms, lang: str | None) -> str:
    """The whole title, escaped, matches marked."""
    return render(title, matched_spans(title, terms, lang))
