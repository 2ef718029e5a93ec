"""JSON Lines: our record shape and common crawler exports.

Our shape is ``id url title date lang body``; crawler exports use
(``text``/``content``/``maintext`` for the body, ``headline`` for the title,
``date_publish``/``published``/``published_at`` for the date, ``canonical_url``/``link``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from indexer.records import Article, SkippedRecord
from indexer.sources.common import coerce_date, make_article, path_id

BODY_KEYS = ("body", "text", "content", "maintext", "article")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "date_publish", "published", "published_at", "datePublished", "pub_date")
URL_KEYS = ("url", "canonical_url", "link", "source_url")


def _first_str(record: dict, keys: tuple[str, ...]) -> tuple[str | None, str]:
    """The first present value among ``keys``; ``(None, key)`` if it is not a string."""
    for key in keys:
        if key in record and record[key] is not None:
            value = record[key]
            if isinstance(value, str):
                return value, key
            return None, key
    return "", ""


def read(path: Path, data: bytes) -> Iterator[Article | SkippedRecord]:
    """One article per non-empty line; a bad line is skipped with its reason."""
    stem = path_id(path)
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(raw)
        except UnicodeDecodeError as err:
            yield SkippedRecord("undecodable", where, str(err)[:200])
            continue
        except ValueError as err:
            yield SkippedRecord("invalid_json", where, str(err)[:200])
            continue
        if not isinstance(record, dict):
            yield SkippedRecord("wrong_type", where, f"a record must be a JSON object, not {type(record).__name__}")
            continue
        fields: dict[str, str] = {}
        bad = ""
        for name, keys in (("body", BODY_KEYS), ("title", TITLE_KEYS), ("url", URL_KEYS)):
            value, key = _first_str(record, keys)
            if value is None:
                bad = f"field {key!r} must be a string"
                break
            fields[name] = value
        if bad:
            yield SkippedRecord("wrong_type", where, bad)
            continue
        record_id = record.get("id")
        if record_id is not None and not isinstance(record_id, (str, int)) or isinstance(record_id, bool):
            yield SkippedRecord("wrong_type", where, "field 'id' must be a string or an integer")
            continue
        date_value = next((record[k] for k in DATE_KEYS if record.get(k) not in (None, "")), None)
        date, warning = coerce_date(date_value, where)
        lang = record.get("lang") if isinstance(record.get("lang"), str) else None
        script = record.get("script") if isinstance(record.get("script"), str) else None
        article = make_article(
            record_id=str(record_id).strip() if record_id not in (None, "") else None,
            url=fields["url"].strip(),
            title=fields["title"],
            body=fields["body"],
            date=date,
            lang=lang,
            script=script,
            where=where,
            fallback_id=f"{stem}-{number}",
        )
        if isinstance(article, Article):
            if warning:
                article.warn(warning)
            countries = record.get("countries", record.get("country"))
            if isinstance(countries, str):
                countries = [c for c in countries.replace(";", ",").split(",") if c.strip()]
            if isinstance(countries, list) and all(isinstance(c, str) for c in countries) and countries:
                article.extra["countries"] = [c.strip() for c in countries]
        yield article
