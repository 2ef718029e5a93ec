"""Crawler boilerplate out, article text in: small pure functions, composed by ``clean_body``.

Nothing removed here may reach the index: a search for ``USD`` or ``KZT`` must not match every
page because of the currency ticker the site repeats on top of each one.
"""

from __future__ import annotations

import html
import re
from collections import Counter

# "• KZT/USD = 0.00199 -0%" — the site's currency/market ticker.
TICKER_LINE = re.compile(r"^\s*[•·*\-]?\s*[A-Z]{3}\s*/\s*[A-Z]{3}\s*=\s*[-+]?[\d.,]+\s*[-+]?[\d.,]*\s*%?\s*$")
# "Viewing results 1 - 6 of 1" (and its Russian / Kazakh renderings).
PAGER_LINE = re.compile(
    r"^\s*(?:viewing results|showing results|показаны результаты|результаты|нәтижелер)"
    r"\s*\d+\s*[-–]\s*\d+\s*(?:of|из|/|ішінен)\s*\d+\s*$",
    re.IGNORECASE,
)
# Share / subscribe chrome that survives text extraction.
CHROME_LINE = re.compile(
    r"^\s*(?:share(?: on| this)?\b.*|subscribe\b.*|follow us\b.*|поделиться\b.*|подписывайтесь\b.*|"
    r"подпишитесь\b.*|бөлісу\b.*|жазылыңыз\b.*|read more|читайте также.*|print|печать)\s*$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_SHORTCODE = re.compile(r"\[/?[a-z_][a-z0-9_-]*(?:\s[^\]]*)?\]", re.IGNORECASE)
_HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def drop_ticker_lines(lines: list[str]) -> list[str]:
    """Remove currency-ticker lines: ``"  • KZT/USD = 0.00199 -0%"``."""
    return [line for line in lines if not TICKER_LINE.match(line)]


def drop_repeated_lines(lines: list[str], min_count: int = 3) -> list[str]:
    """Remove non-empty lines that occur ``min_count`` times or more on one page (site chrome)."""
    counts = Counter(line.strip() for line in lines if line.strip())
    return [line for line in lines if not line.strip() or counts[line.strip()] < min_count]


def is_pager_line(line: str) -> bool:
    """True for result-pager text such as ``"Viewing results 1 - 6 of 1"``."""
    return bool(PAGER_LINE.match(line))


def drop_chrome_lines(lines: list[str]) -> list[str]:
    """Remove pager, share and subscribe lines."""
    return [line for line in lines if not (is_pager_line(line) or CHROME_LINE.match(line))]


def expand_shortcodes(text: str) -> str:
    """Keep a WordPress caption's text, drop every shortcode tag.

    ``'[caption id="a1" width="683"] A dam.[/caption]'`` → ``' A dam.'``
    """
    text = _CAPTION.sub(lambda m: " " + _SHORTCODE.sub(" ", m.group(1)) + " ", text)
    return _SHORTCODE.sub(" ", text)


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks (one blank line), trim."""
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_text(text: str) -> str:
    """Entities decoded, shortcodes expanded, chrome lines removed, whitespace normalised."""
    text = html.unescape(text)
    text = expand_shortcodes(text)
    lines = drop_chrome_lines(drop_ticker_lines(text.split("\n")))
    return normalize_whitespace("\n".join(lines))


def clean_body(text: str) -> str:
    """Everything ``clean_text`` does plus removal of lines repeated across the page."""
    lines = drop_repeated_lines(drop_ticker_lines(html.unescape(text).split("\n")))
    return clean_text("\n".join(lines))


def clean_title(text: str) -> str:
    """A one-line title: entities decoded, whitespace collapsed, site suffix kept as is."""
    return _HORIZONTAL_SPACE.sub(" ", html.unescape(text).replace("\n", " ")).strip()
