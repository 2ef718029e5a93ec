"""Query latency, interleaved: every round runs every query on every engine back to back.

The machine is noisy (2 cores, other jobs): a burst of load during one engine's block would
otherwise be charged to that engine alone. Interleaving per query, with the engine order
rotated and the query order reshuffled each round, spreads any disturbance over all engines.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bench.engines.base import Searcher
from bench.timing import percentile, spread


@dataclass
class Samples:
    """Seconds per search of one engine in one mode, kept per round."""

    rounds: list[list[float]] = field(default_factory=list)
    totals: dict[str, int | None] = field(default_factory=dict)
    relaxed: int = 0
    partial: int = 0

    def summary(self) -> dict[str, object]:
        """p50/p95/p99 over all samples (ms) and the spread of the per-round p50s."""
        flat = [s for r in self.rounds for s in r]
        per_round = [percentile(r, 50) * 1000 for r in self.rounds if r]
        return {
            "p50_ms": percentile(flat, 50) * 1000,
            "p95_ms": percentile(flat, 95) * 1000,
            "p99_ms": percentile(flat, 99) * 1000,
            "mean_ms": sum(flat) / len(flat) * 1000 if flat else float("nan"),
            "round_p50_ms": spread(per_round).to_dict() if per_round else None,
            "samples": len(flat),
            "relaxed": self.relaxed,
            "partial": self.partial,
        }


def measure(
    searchers: Mapping[str, Searcher],
    queries: Sequence[str],
    rounds: int,
    seed: int,
    k: int = 10,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Samples]]:
    """``{engine: {mode: Samples}}`` after one untimed warm-up pass and ``rounds`` timed rounds."""
    names = list(searchers)
    out: dict[str, dict[str, Samples]] = {n: {m: Samples() for m in searchers[n].modes} for n in names}
    for name in names:  # warm-up: open files, fill caches, compile lazily built analysers
        for text in queries:
            for mode in searchers[name].modes:
                searchers[name].search(text, mode, k)
    rng = random.Random(seed)
    for r in range(rounds):
        order = list(queries)
        rng.shuffle(order)
        for name in names:
            for samples in out[name].values():
                samples.rounds.append([])
        for i, text in enumerate(order):
            shift = (r + i) % len(names)
            for name in names[shift:] + names[:shift]:
                searcher = searchers[name]
                modes = searcher.modes[i % len(searcher.modes) :] + searcher.modes[: i % len(searcher.modes)]
                for mode in modes:  # rotated too: the first search after switching engines pays cold caches
                    started = time.perf_counter()
                    result = searcher.search(text, mode, k)
                    elapsed = time.perf_counter() - started
                    samples = out[name][mode]
                    samples.rounds[-1].append(elapsed)
                    if r == 0:
                        samples.totals[text] = result.total
                        samples.relaxed += result.relaxed
                        samples.partial += result.partial
        if progress:
            progress(f"latency round {r + 1}/{rounds} done")
    return out
