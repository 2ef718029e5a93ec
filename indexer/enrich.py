"""Facet metadata for an article: named entities and countries, in one step before writing.

Runs only for articles that are actually written (an update skips unchanged ones first), so a
nightly update pays for extraction on new and changed articles only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from indexer.extract.countries import extract_countries
from indexer.extract.entities import extract_entities, prefetch_long_tail
from indexer.records import Article

_WARM_UP = (
    Article(id="warm-up-ru", title="Токаев встретился с Ивановым", body="Президент провёл встречу в Астане.", lang="ru"),
    Article(id="warm-up-kk", title="Тоқаев Астанада", body="Қазақстан Президенті кездесу өткізді.", lang="kk"),
    Article(id="warm-up-en", title="Tokayev in Astana", body="The President of Kazakhstan met Ivanov.", lang="en"),
)


def warm_up() -> None:
    """Load the gazetteers and the long-tail recogniser now (seconds of work, done once).

    A parallel build calls this in the parent before forking its workers: they then share the
    loaded tables copy-on-write instead of each building its own.
    """
    for article in _WARM_UP:
        enrich(Article(id=article.id, title=article.title, body=article.body, lang=article.lang))


def prepare(articles: Sequence[Article]) -> None:
    """Ready the extraction of several articles about to be enriched one by one (the NER model runs once for all).

    Best effort: if the batch fails, each article's :func:`enrich` tags its own texts (and
    reports its own failure, which then costs that article its facets, not the run).
    """
    try:
        prefetch_long_tail([(a.title, a.body, a.lang or None) for a in articles])
    except Exception:  # noqa: BLE001 - see above
        logging.getLogger(__name__).warning("batch entity tagging failed; tagging article by article", exc_info=True)


def enrich(article: Article) -> Article:
    """Fill ``article.entities`` and ``article.countries`` (explicit metadata wins for countries)."""
    entities = extract_entities(article.title, article.body, article.lang or None)
    explicit = article.extra.get("countries")
    countries = extract_countries(
        article.title, article.body, article.lang or None, entities, explicit=list(explicit) if explicit else None
    )
    article.entities = [(e.id, e.name, e.type) for e in entities]
    article.countries = [(c.code, c.name) for c in countries]
    return article
