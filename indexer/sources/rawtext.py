"""Raw crawled page text, exactly as the crawler saves it (see ../shared/seeds).

Shape: a currency-ticker block repeated several times, a date line, a "Viewing results" pager
line, the title line, then the body (with WordPress shortcodes). The first line that parses as
a date is the date; the first remaining non-empty line is the title; the rest is the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.clean import drop_chrome_lines, drop_repeated_lines, drop_ticker_lines
from indexer.extract.dates import ImplausibleDate, parse_date
from indexer.records import Article, SkippedRecord
from indexer.sources.common import decode, make_article, path_id

HEADER_LINES = 12  # the date is looked for among the first non-empty lines only


def read(path: Path, data: bytes) -> Iterator[Article | SkippedRecord]:
    """One article per file."""
    where = str(path)
    text = decode(data, where)
    if isinstance(text, SkippedRecord):
        yield text
        return
    lines = drop_chrome_lines(drop_repeated_lines(drop_ticker_lines(text.replace("\r\n", "\n").split("\n"))))
    date = None
    date_index = None
    warning = ""
    for index, line in enumerate(lines[:HEADER_LINES]):
        if not line.strip():
            continue
        try:
            date = parse_date(line)
        except ImplausibleDate as err:
            warning, date_index = str(err), index
            break
        if date is not None:
            date_index = index
            break
    if date_index is not None:
        lines = lines[:date_index] + lines[date_index + 1 :]
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    if not non_empty:
        yield SkippedRecord("no_text", where, "page has no text besides boilerplate")
        return
    title = lines[non_empty[0]].strip()
    body = "\n".join(lines[non_empty[0] + 1 :])
    article = make_article(
        record_id=None,
        url="",
        title=title,
        body=body,
        date=date,
        lang=None,
        script=None,
        where=where,
        fallback_id=path_id(path),
    )
    if isinstance(article, Article) and warning:
        article.warn(warning)
    yield article
