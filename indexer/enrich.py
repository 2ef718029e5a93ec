"""Facet metadata for an article: named entities and countries, in one step before writing.

Runs only for articles that are actually written (an update skips unchanged ones first), so a
nightly update pays for extraction on new and changed articles only.
"""

from __future__ import annotations

from indexer.extract.countries import extract_countries
from indexer.extract.entities import extract_entities
from indexer.records import Article


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
