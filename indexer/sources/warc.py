"""WARC archives (``.warc``, ``.warc.gz``): every HTML page a crawler fetched becomes an article.

Read with warcio, which handles plain and per-record-gzipped archives alike (the ``.warc.gz``
bytes reach this reader undecompressed, so a truncated archive still gives its first records).

- A ``response`` record with an HTML payload (``text/html``, ``application/xhtml+xml``; a
  payload without any Content-Type that starts like HTML counts too) and HTTP status 200 is
  extracted exactly like an ``.html`` page (:func:`indexer.sources.html.article_from_html`),
  with the record's ``WARC-Target-URI`` as its URL and the source of its id.
- Other records (``request``, ``metadata``, ``warcinfo``, ``revisit``, ``resource``, responses
  with another content type such as images or scripts) are not articles and are passed over
  without being counted.
- Counted as skipped: an HTML response with another status (``http_status``), a payload that
  does not decode in its declared charset or, lacking one, in UTF-8 (``undecodable``), a payload
  over :data:`MAX_RECORD_BYTES` (``too_large``), an archive that ends inside a record
  (``truncated_archive``, once, after the records before it) or stops parsing as WARC
  (``invalid_archive``).
"""

from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from indexer.records import Article, SkippedRecord
from indexer.sources.common import path_id
from indexer.sources.html import article_from_html

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_RECORD_BYTES = 16 * 1024 * 1024  # a 16 MB "page" is a crawler accident, not news
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_LOOKS_LIKE_HTML = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_PARSE_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, ValueError, OSError)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str, payload: bytes) -> str | None:
    """The declared charset: HTTP Content-Type first, then a ``<meta>`` in the page's head."""
    match = _CHARSET.search(content_type) or _META_CHARSET.search(payload[:4096])
    if not match:
        return None
    name = match.group(1)
    name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None  # an unknown label: fall back to UTF-8


def decode_payload(payload: bytes, content_type: str, where: str) -> str | SkippedRecord:
    """The page text in its declared charset (UTF-8 when none is declared), or a skip record."""
    charset = _charset(content_type, payload) or "utf-8"
    if charset == "utf-8":
        charset = "utf-8-sig"
    try:
        return payload.decode(charset)
    except UnicodeDecodeError as err:
        return SkippedRecord("undecodable", where, f"not {charset} at byte {err.start}")


def _is_html(content_type: str, payload_start: bytes) -> bool:
    if content_type.strip():
        return _media_type(content_type) in HTML_TYPES
    return bool(_LOOKS_LIKE_HTML.match(payload_start))


def _article(record: ArcWarcRecord, path: Path, offset: int) -> Article | SkippedRecord | None:
    """The article of one response record; ``None`` for a record that is not an HTML page."""
    where = f"{path}@{offset}"
    http = record.http_headers
    if http is None:  # dns:, or a response without HTTP
        return None
    content_type = http.get_header("Content-Type") or ""
    if content_type.strip() and _media_type(content_type) not in HTML_TYPES:
        return None
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if not _is_html(content_type, payload[:1024]):
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    status = (http.get_statuscode() or "").strip()
    if status != "200":
        return SkippedRecord("http_status", where, f"HTTP {status or '?'} for {uri}")
    if len(payload) > MAX_RECORD_BYTES:
        return SkippedRecord("too_large", where, f"payload over {MAX_RECORD_BYTES} bytes: {uri}")
    document = decode_payload(payload, content_type, where)
    if isinstance(document, SkippedRecord):
        return document
    return article_from_html(document, where=where, url=uri, fallback_id=f"{path_id(path)}-{offset}")


def read(path: Path, data: bytes) -> Iterator[Article | SkippedRecord]:
    """One article per HTML page fetched with status 200; see the module doc for the rest."""
    iterator = ArchiveIterator(io.BytesIO(data))
    end = 0  # where the last whole record ended
    try:
        for record in iterator:
            offset = iterator.offset
            if record.format != "warc":  # warcio also reads ARC, and takes stray text for ARC headers
                yield SkippedRecord("invalid_archive", f"{path}@{offset}", f"not a WARC record ({record.format})")
                return
            result = None
            if record.rec_type == "response":
                try:
                    result = _article(record, path, offset)
                except (zlib.error, ValueError, OSError) as err:  # broken chunked or gzip content encoding
                    result = SkippedRecord("undecodable", f"{path}@{offset}", f"payload does not decode: {err}"[:200])
            iterator.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than its Content-Length
                yield SkippedRecord("truncated_archive", f"{path}@{offset}", "the archive ends inside this record")
                return
            end = iterator.get_record_offset() + iterator.get_record_length()
            if result is not None:
                yield result
    except _PARSE_ERRORS as err:
        yield SkippedRecord("invalid_archive", f"{path}@{end}", f"not a WARC record here: {err}"[:200])
        return
    if data[end:].strip():  # a gzip member cut short, which the iterator drops silently
        yield SkippedRecord("truncated_archive", f"{path}@{end}", f"{len(data) - end} bytes after the last whole record")
