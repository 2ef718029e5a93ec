"""Sizes of the per-word memo tables of the analysis (entries, least recently used dropped first).

Every distinct word costs about 1.5 KB across the tables; a build of the whole corpus meets
several hundred thousand distinct words per worker, which made the caches, not the index,
the largest part of the build's memory. Word frequencies are Zipfian, so the most recent
150,000 words cover almost every token of running text: ``analyse_word`` (the fused chains'
entry point) keeps up to that many (its ``WordTables``: two generations of half as many
each, all document languages together), and the tables behind it, reached only on its
misses (and by the query side and entity matching), far fewer.
"""

WORD_CACHE = 150_000
PART_CACHE = 50_000
