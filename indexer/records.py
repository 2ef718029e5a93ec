"""The article record every source produces and the writer consumes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass
class Article:
    """One news article, cleaned, ready to index.

    ``date`` is a UTC calendar date (news search filters and facets by day); ``lang`` is one of
    ``en ru kk ky other``; ``script`` is ``Cyrl``/``Latn`` when the source says so.
    """

    id: str
    title: str
    body: str
    url: str = ""
    date: dt.date | None = None
    lang: str = ""
    script: str = ""
    source: str = ""
    countries: list[tuple[str, str]] = field(default_factory=list)  # (ISO code, display name)
    entities: list[tuple[str, str, str]] = field(default_factory=list)  # (id, display name, type)
    extra: dict[str, object] = field(default_factory=dict)

    def warn(self, text: str) -> None:
        """Note a sanitised problem (``"kind: detail"``); the run report counts and lists it."""
        warnings = self.extra.setdefault("warnings", [])
        assert isinstance(warnings, list)
        warnings.append(text)

    def content_hash(self) -> str:
        """A digest of everything indexed, so an update can skip unchanged records."""
        digest = hashlib.blake2b(digest_size=16)
        for part in (self.id, self.title, self.body, self.url, str(self.date or ""), self.lang):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True)
class SkippedRecord:
    """A record a source could not turn into an article, with a machine-readable reason."""

    reason: str
    where: str
    detail: str = ""
    record_id: str = ""  # when known: an update with --prune keeps the indexed copy of a bad record


def id_from_url(url: str) -> str:
    """A stable id for a record that has a URL but no id of its own."""
    return "url-" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:16]
