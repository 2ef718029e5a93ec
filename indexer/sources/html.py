"""HTML pages: main text, title, date and canonical URL by trafilatura (no hand-written scraping)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura
from lxml import html as lxml_html

from indexer.records import Article, SkippedRecord
from indexer.sources.common import coerce_date, decode, make_article, path_id


def _canonical_url(document: str) -> str:
    """``<link rel="canonical">`` or ``og:url`` when trafilatura's metadata has no URL."""
    try:
        tree = lxml_html.fromstring(document)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
        if found:
            return str(found[0]).strip()
    return ""


def article_from_html(document: str, *, where: str, url: str, fallback_id: str) -> Article | SkippedRecord:
    """The article of one decoded HTML page (shared by the ``.html`` and WARC readers).

    ``url`` (when given) wins over the page's own canonical URL and becomes the id source.
    """
    extracted = trafilatura.bare_extraction(document, url=url or None, with_metadata=True, include_comments=False)
    if extracted is None or not (extracted.text or "").strip():
        return SkippedRecord("no_text", where, "no main text found in the page")
    date, warning = coerce_date(extracted.date, where)
    article = make_article(
        record_id=None,
        url=url or extracted.url or _canonical_url(document),
        title=extracted.title or "",
        body=extracted.text or "",
        date=date,
        lang=None,
        script=None,
        where=where,
        fallback_id=fallback_id,
    )
    if isinstance(article, Article) and warning:
        article.warn(warning)
    return article


def read(path: Path, data: bytes, url: str = "") -> Iterator[Article | SkippedRecord]:
    """One article per page."""
    where = str(path)
    document = decode(data, where)
    if isinstance(document, SkippedRecord):
        yield document
        return
    yield article_from_html(document, where=where, url=url, fallback_id=path_id(path))
