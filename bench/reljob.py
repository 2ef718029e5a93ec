"""Child-process entry: ``python -m bench.reljob ENGINE COLLECTION INDEX_DIR DOCS SEED [QUERIES]``.

Builds one classic collection for one engine and scores it, printing one JSON line. Untimed
work, so the bench runs two of these at a time; Steppe's long-question searches (up to the
2-s time limit on CISI) make scoring, not building, the long part.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import corpora, engines, relevance


def main(argv: list[str]) -> int:
    """Build, score, print ``{metric: value, ...}``."""
    name, collection_name, index_dir, docs_path, seed = argv[0], argv[1], Path(argv[2]), Path(argv[3]), int(argv[4])
    limit = int(argv[5]) if len(argv) > 5 and argv[5] != "all" else None
    spec = next(s for s in corpora.IR_SPECS if s.name == collection_name)
    collection = corpora.sample_queries(corpora.load_ir(corpora.shared_dir(), spec), limit, seed)
    engine = engines.get(name)
    engine.build(docs_path, index_dir)
    searcher = engine.open(index_dir, relevance=True)
    try:
        scores = relevance.score_ir(searcher, collection)
    finally:
        searcher.close()
    print(json.dumps(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
