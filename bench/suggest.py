"""Search-as-you-type latency: ``Suggester.suggest`` (what ``/api/suggest`` runs) on typed prefixes.

The prefixes are what a reader types on the way to the speed queries: the first word of each,
cut after 2, 3, 4 and 6 characters (Latin and Cyrillic alike), deduplicated, in a fixed order.
One warm-up pass, then ``rounds`` timed passes; percentiles over every timed call.

``python -m bench.suggest INDEX_DIR [--out FILE]`` measures a built index on its own (the full
bench runs :func:`measure` on its main-corpus index and reports it in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.timing import percentile

PREFIX_LENGTHS = (2, 3, 4, 6)
MAX_PREFIXES = 1000


def prefixes(texts: Sequence[str]) -> list[str]:
    """Typed prefixes of the first word of each text (see the module docstring)."""
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        words = [w.strip('"-*') for w in text.split()]
        words = [w for w in words if w]
        if not words:
            continue
        for n in PREFIX_LENGTHS:
            prefix = words[0][:n]
            if len(prefix) == n and prefix.lower() not in seen:
                seen.add(prefix.lower())
                out.append(prefix)
    return out[:MAX_PREFIXES]


def measure(index_dir: Path, texts: Sequence[str], rounds: int = 3) -> dict[str, object]:
    """p50/p95/p99 (ms) of one suggestion request per prefix, in process, over ``rounds`` passes."""
    from search.index_provider import IndexProvider
    from search.suggest import Suggester

    provider = IndexProvider(index_dir)
    try:
        searcher = provider.snapshot().searcher
        suggester = Suggester()
        typed = prefixes(texts)
        for prefix in typed:  # warm-up: the lexicon's pages, the entity table
            suggester.suggest(searcher, prefix)
        samples: list[float] = []
        answered = 0
        for _ in range(rounds):
            for prefix in typed:
                started = time.perf_counter()
                found = suggester.suggest(searcher, prefix)
                samples.append((time.perf_counter() - started) * 1000)
                answered += bool(found)
    finally:
        provider.close()
    return {
        "prefixes": len(typed),
        "rounds": rounds,
        "p50_ms": percentile(samples, 50),
        "p95_ms": percentile(samples, 95),
        "p99_ms": percentile(samples, 99),
        "max_ms": max(samples) if samples else 0.0,
        "with_suggestions": answered / len(samples) if samples else 0.0,
    }


def main(argv: list[str]) -> int:
    """Measure one index with the bench's speed queries and print (or write) the figures as JSON."""
    from bench import corpora
    from bench.queries import speed_queries

    parser = argparse.ArgumentParser(prog="python -m bench.suggest", description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=20241125, help="the bench's seed (its speed queries)")
    args = parser.parse_args(argv)
    shared = corpora.shared_dir()
    evalset = corpora.load_eval(shared)
    everything = corpora.load_news(shared)
    main_docs, _ = corpora.subsample_keeping(everything, len(everything), args.seed, evalset.judged_ids())
    texts = [q.text for q in speed_queries(evalset, main_docs, 500, args.seed + 3)]
    result = measure(args.index, texts)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
