"""Metadata from article text: publication date and language (countries and entities follow)."""
