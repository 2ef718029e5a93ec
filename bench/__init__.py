"""Benchmark harness: Steppe Search against Tantivy, SQLite FTS5 and plain Whoosh.

Speed (indexing, 1 % updates, query latency, HTTP throughput, growth) and relevance (Cranfield,
CISI, KazQAD, the public Steppe evaluation) on the team's real corpora in ``../shared``, which
are read at run time and never copied into the repository. ``python -m bench --help``.
"""
