"""Highlighted, HTML-safe snippets: article text escaped, only ``<mark>`` added.

A token is marked when any of its analysed forms (exact spelling, stem, cross-script key) is
among the query's, so a query Токаев marks *Tokayev*. Work per hit is bounded: the body is
analysed chunk by chunk until the first few matches are found, never past ``MAX_SCAN_CHARS``,
with the indexer's fused per-word analysis (``analyse_word``: one cached lookup per token).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from indexer.analysis.chains import analyse_word
from indexer.analysis.tokenizer import word_forms
from search.query import HighlightTerms

MAX_SCAN_CHARS = 10_000
SCAN_CHUNK_CHARS = 800
ENOUGH_MATCHES = 3


def _token_matches(form: str, terms: HighlightTerms, lang: str | None) -> bool:
    """Whether one tokenizer form's exact, stem or key terms are among the query's."""
    exact, stems, keys = analyse_word(form, lang)
    if not exact:
        return False
    return exact[0] in terms.exact or not terms.stem.isdisjoint(stems) or (bool(terms.key) and not terms.key.isdisjoint(keys))


def matched_spans(
    text: str, terms: HighlightTerms, lang: str | None, enough: int = 0, limit: int = MAX_SCAN_CHARS
) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose token matches a query form (sorted, merged).

    The text is scanned in chunks cut at spaces; with ``enough`` > 0 the scan stops after the
    chunk in which that many matches were found (a snippet needs the first good passage, not
    every match of a 30 kB transcript), and never goes past ``limit`` characters.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    end_of_scan = min(len(text), limit)
    while offset < end_of_scan:
        cut = min(end_of_scan, offset + SCAN_CHUNK_CHARS)
        if cut < end_of_scan:
            space = text.rfind(" ", offset, cut)
            cut = space if space > offset else cut
        for form, start, end, _ in word_forms(text[offset:cut]):
            if _token_matches(form, terms, lang):
                spans.append((offset + start, offset + end))
        offset = cut
        if enough and len(spans) >= enough:
            break
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
    spans = matched_spans(text, terms, lang, enough=ENOUGH_MATCHES)
    start, end = _best_window(text, spans, size)
    body = render(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def highlight_title(title: str, terms: HighlightTerms, lang: str | None) -> str:
    """The whole title, escaped, matches marked."""
    return render(title, matched_spans(title, terms, lang))
