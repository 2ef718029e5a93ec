"""Steppe Search service: HTTP/CLI parameters in, ranked highlighted hits out.

Flow: ``params`` validates input into frozen dataclasses, ``query`` compiles user text with
the indexer's own analysis chains, ``engine`` runs it on the searcher ``index_provider`` keeps
fresh, ``snippets`` highlights, ``serialize`` shapes the JSON. ``app`` only wires resources.
"""
