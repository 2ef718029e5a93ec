"""Highlighted, HTML-safe snippets: article text escaped, only ``<mark>`` added.

A token is marked when any of its analysed forms (exact spelling, stem, cross-script key) is
among the query's, so a query Токаев marks *Tokayev*. Work per hit is bounded and small (it
was most of a search's time): the passage is found first and only it is analysed.

* Query forms (exact spellings and stems, of three letters or more) are looked for as
  substrings of the lower-cased text, by one C-speed regex, however deep in a long article.
  Only the words holding such a *candidate* are analysed (the indexer's fused per-word
  analysis, remembered per query in ``memo``), so *bank* in *embankment* stays unmarked, and
  the passage with the most real matches is shown.
* When that passage holds letters of a script the typed forms lack (a Cyrillic word in a
  Latin query's passage may be its cross-script match), or no candidate was a match (a
  key-only or irregular-stem match), the text is analysed word by word instead: from a little
  before the passage or from the start, in chunks of ``SCAN_CHUNK_CHARS``, stopping one
  snippet's length after the first match (or at ``ENOUGH_MATCHES``, or after
  ``MAX_SCAN_CHARS``). A same-script spelling that only the key or an irregular stem joins is
  left unmarked in a passage found by candidates: the price of not analysing every word.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable

from indexer.analysis.chains import analyse_word
from indexer.analysis.tokenizer import word_forms
from search.query import HighlightTerms

MAX_SCAN_CHARS = 10_000
SCAN_CHUNK_CHARS = 400  # a candidate's lead and one snippet fit in the first chunk
ENOUGH_MATCHES = 3
PASSAGE_SPAN = 1  # after the first match, look this many snippet lengths further for a denser passage
MIN_CANDIDATE_CHARS = 3  # shorter forms are substrings of too many words to point anywhere
CANDIDATE_LEAD_CHARS = 80  # analysis starts this far before a candidate (a compound's first part)
MAX_CANDIDATE_FORMS = 256
MAX_CANDIDATES = 64  # substring occurrences looked at (and their words analysed) per text


def _token_matches(form: str, terms: HighlightTerms, lang: str | None) -> bool:
    """Whether one tokenizer form's exact, stem or key terms are among the query's."""
    exact, stems, keys = analyse_word(form, lang)
    if not exact:
        return False
    return exact[0] in terms.exact or not terms.stem.isdisjoint(stems) or (bool(terms.key) and not terms.key.isdisjoint(keys))


def _chunk_end(text: str, offset: int, end_of_scan: int) -> int:
    """Where the chunk starting at ``offset`` ends: ``SCAN_CHUNK_CHARS`` on, cut back to a space."""
    cut = min(end_of_scan, offset + SCAN_CHUNK_CHARS)
    if cut < end_of_scan:
        space = text.rfind(" ", offset, cut)
        cut = space if space > offset else cut
    return cut


def _add_matches(
    text: str,
    begin: int,
    end: int,
    spans: list[tuple[int, int]],
    known: dict[str, bool],
    terms: HighlightTerms,
    lang: str | None,
) -> None:
    """Append the spans of ``text[begin:end]``'s tokens that match, asking ``known`` before the analysis."""
    for form, start, stop, _ in word_forms(text[begin:end]):
        matched = known.get(form)
        if matched is None:
            matched = known[form] = _token_matches(form, terms, lang)
        if matched:
            spans.append((begin + start, begin + stop))


def matched_spans(
    text: str,
    terms: HighlightTerms,
    lang: str | None,
    enough: int = 0,
    limit: int = MAX_SCAN_CHARS,
    memo: dict[str, bool] | None = None,
) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose token matches a query form (sorted, merged).

    The text is scanned in chunks cut at spaces; with ``enough`` > 0 the scan stops after the
    chunk in which that many matches were found (a snippet needs the first good passage, not
    every match of a 30 kB transcript), and never goes past ``limit`` characters. ``memo``
    remembers each form's answer for ``terms`` and ``lang`` (pass one dict for all the hits of a
    query in one language: running text repeats its words).
    """
    known: dict[str, bool] = {} if memo is None else memo
    spans: list[tuple[int, int]] = []
    offset = 0
    end_of_scan = min(len(text), limit)
    while offset < end_of_scan:
        cut = _chunk_end(text, offset, end_of_scan)
        _add_matches(text, offset, cut, spans, known, terms, lang)
        offset = cut
        if enough and len(spans) >= enough:
            break
    return _merged(spans)


def _candidate_pattern(terms: HighlightTerms) -> re.Pattern[str] | None:
    """One regex for the query's exact spellings and stems (the literal forms), longest first; remembered per query."""
    if "candidates" in terms.derived:
        return terms.derived["candidates"]  # type: ignore[return-value]
    forms = sorted({f for f in (*terms.exact, *terms.stem) if len(f) >= MIN_CANDIDATE_CHARS}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, forms[:MAX_CANDIDATE_FORMS]))) if forms else None
    terms.derived["candidates"] = pattern
    return pattern


def _candidates(text: str, terms: HighlightTerms) -> list[int]:
    """Where literal query forms occur as substrings of the lower-cased text (at most ``MAX_CANDIDATES``)."""
    pattern = _candidate_pattern(terms)
    if pattern is None:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer (İ): offsets would drift
        return []
    return [m.start() for m in itertools.islice(pattern.finditer(lowered), MAX_CANDIDATES)]


_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_CYRILLIC_LETTER = re.compile("[\u0400-\u052f]")


def _scripts(text: str) -> frozenset[str]:
    """Which of Latin and Cyrillic letters ``text`` holds (the scripts cross-script keys join)."""
    return frozenset(
        name for name, letters in (("Latn", _LATIN_LETTER), ("Cyrl", _CYRILLIC_LETTER)) if letters.search(text)
    )


def _literal_scripts(terms: HighlightTerms) -> frozenset[str]:
    if "scripts" not in terms.derived:
        terms.derived["scripts"] = _scripts(" ".join((*terms.exact, *terms.stem)))
    return terms.derived["scripts"]  # type: ignore[return-value]


def _marked_at_candidates(
    text: str, found: list[int], known: dict[str, bool], terms: HighlightTerms, lang: str | None
) -> list[tuple[int, int]]:
    """The matches among the words holding a literal candidate.

    Each such word (the space-delimited piece around the candidate: ICU never joins across a
    space) is analysed as the full scan would, so a candidate that is no match stays unmarked.
    """
    spans: list[tuple[int, int]] = []
    analysed: set[int] = set()
    for start in found:
        left = text.rfind(" ", 0, start) + 1
        if left in analysed:
            continue
        analysed.add(left)
        right = text.find(" ", start)
        _add_matches(text, left, len(text) if right < 0 else right, spans, known, terms, lang)
    return spans


def passage_spans(
    text: str, terms: HighlightTerms, lang: str | None, size: int, memo: dict[str, bool] | None = None
) -> list[tuple[int, int]]:
    """Matched spans (sorted, merged) around the first match of ``text``: what a snippet needs (see the module doc)."""
    known: dict[str, bool] = {} if memo is None else memo
    offset = 0
    at_candidates = _merged(_marked_at_candidates(text, _candidates(text, terms), known, terms, lang))
    if at_candidates:
        start, end = _best_window(text, at_candidates, size)
        if _scripts(text[start:end]) <= _literal_scripts(terms):
            # The passage is in the scripts of the typed forms: its matches are at the candidates
            # (a cross-script key match needs the other script, which takes the full scan).
            return at_candidates
        space = text.rfind(" ", 0, max(0, start - CANDIDATE_LEAD_CHARS))
        offset = space + 1 if space >= 0 else 0
    end_of_scan = min(len(text), offset + MAX_SCAN_CHARS)
    stop = end_of_scan
    spans: list[tuple[int, int]] = []
    while offset < min(stop, end_of_scan):
        cut = _chunk_end(text, offset, end_of_scan)
        _add_matches(text, offset, cut, spans, known, terms, lang)
        offset = cut
        if spans:
            stop = min(stop, spans[0][0] + PASSAGE_SPAN * size)
            if len(spans) >= ENOUGH_MATCHES:
                break
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def snippet(
    text: str,
    terms: HighlightTerms,
    lang: str | None,
    size: int = 250,
    memo: dict[str, bool] | None = None,
    may_match: bool = True,
) -> str:
    """The best passage of ``text`` (≈ ``size`` characters) with matches marked; ``…`` where cut.

    ``memo``: as for :func:`matched_spans`. ``may_match=False`` (the index says no query term
    is in this text) skips the search: the opening is the passage.
    """
    text = " ".join(text.split())
    spans = passage_spans(text, terms, lang, size, memo) if may_match else []
    start, end = _best_window(text, spans, size)
    body = render(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def highlight_title(title: str, terms: HighlightTerms, lang: str | None, memo: dict[str, bool] | None = None) -> str:
    """The whole title, escaped, matches marked (``memo``: as for :func:`matched_spans`)."""
    return render(title, matched_spans(title, terms, lang, memo=memo))
