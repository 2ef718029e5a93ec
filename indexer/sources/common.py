"""Steps every reader shares: decoding, size limits, date and language, the final Article."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from indexer.clean import clean_body, clean_title
from indexer.extract.dates import ImplausibleDate, date_in_text, parse_date
from indexer.extract.language import detect_language
from indexer.records import Article, SkippedRecord, id_from_url

_WEB_URL = re.compile(r"^https?://[^\s/]", re.IGNORECASE)  # javascript:, data:, file: never reach a link
MAX_BODY_CHARS = 1_000_000  # a 50 MB "article" is a crawler accident, not news
KNOWN_LANGS = frozenset({"en", "ru", "kk", "ky", "other"})


def decode(data: bytes, where: str) -> str | SkippedRecord:
    """UTF-8 text (BOM tolerated), or a skip record for undecodable bytes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return SkippedRecord("undecodable", where, f"not UTF-8 at byte {err.start}")


def path_id(path: Path) -> str:
    """The id of a record that has neither an id nor a URL: the file name without extension."""
    name = path.name
    for suffix in reversed(path.suffixes):
        name = name.removesuffix(suffix)
    return name


def coerce_date(value: object, where: str) -> tuple[dt.date | None, str]:
    """A date from a record value; returns ``(date, warning)`` and never raises."""
    if value in (None, ""):
        return None, ""
    if not isinstance(value, str):
        return None, f"date ignored: not a string ({type(value).__name__})"
    try:
        return parse_date(value), ""
    except ImplausibleDate as err:
        return None, f"date ignored: {err}"


def make_article(
    *,
    record_id: str | None,
    url: str,
    title: str,
    body: str,
    date: dt.date | None,
    lang: str | None,
    script: str | None,
    where: str,
    fallback_id: str,
    body_is_clean: bool = False,
) -> Article | SkippedRecord:
    """Clean, validate and complete one record; a skip record when there is nothing to index."""
    url_warning = ""
    if url and not _WEB_URL.match(url):
        url_warning, url = f"url_dropped: not an http(s) URL: {url[:80]!r}", ""
    doc_id = record_id or (id_from_url(url) if url else fallback_id)
    title = clean_title(title)
    if len(body) > MAX_BODY_CHARS:
        return SkippedRecord("too_large", where, f"body of {len(body)} characters (limit {MAX_BODY_CHARS})", doc_id)
    body = body if body_is_clean else clean_body(body)
    if title and body.startswith(title):
        body = body[len(title) :].lstrip()
    if not title and not body:
        return SkippedRecord("no_text", where, "neither title nor body", doc_id)
    detected_lang, detected_script = detect_language(title + "\n" + body)
    lang = lang if lang in KNOWN_LANGS else detected_lang
    script = script if script in ("Cyrl", "Latn") else (detected_script if lang == detected_lang else "")
    if date is None:
        date = date_in_text(body)
    article = Article(id=doc_id, title=title, body=body, url=url, date=date, lang=lang, script=script, source=where)
    if not body:
        article.warn("no_body: indexed on its title alone")
    if url_warning:
        article.warn(url_warning)
    return article
