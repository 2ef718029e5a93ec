"""Child-process entry: ``python -m bench.analysisjob DOCS_JSONL``: analysis throughput, cold.

A fresh process, so the per-word caches start empty as in a build. Times, over the same
texts (title and body of every document, each with its language as the indexer sets it):

* ``baseline``: ICU word segmentation and case folding of every word, the least any
  Unicode-aware analysis does (PyICU's BreakIterator, Python's ``str.casefold``);
* ``chains``: Steppe's whole analysis, the three chains' terms with positions for the
  stem, exact and cross-script key fields, as the indexer computes them for one text (with
  the indexer's periodic ``gc.freeze``: the long-lived word tables leave the collector's scans);
* ``chains_warm``: the last :data:`WARM_TEXTS` texts again right after (their words are in the
  bounded per-word caches, as in a long build's steady state).

The two are timed in alternating blocks of :data:`BLOCK` texts (baseline first in one block,
chains first in the next), so that both meet the same machine: on a shared virtual machine the
speed of one process drifts by a factor of up to two over a minute, which made a baseline timed
before the chains (or after) swing the ratio between 4 and 9 from one run to the next. The
chains of each block still see only the caches the previous blocks filled, as in a build.

Prints one JSON line: tokens, seconds and tokens/s of each, and the ratios to the baseline.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpora import read_docs
from indexer.writer import GC_FREEZE_EVERY

WARM_TEXTS = 4000
BLOCK = 500

Texts = list[tuple[str | None, str]]


def _interleaved(texts: Texts, first: Callable[[Texts], object], second: Callable[[Texts], object]) -> tuple[float, float]:
    """CPU seconds of ``first`` and ``second`` over ``texts``, run block by block in alternating order."""
    clock = time.process_time
    spent = [0.0, 0.0]
    for number, begin in enumerate(range(0, len(texts), BLOCK)):
        block = texts[begin : begin + BLOCK]
        order = ((0, first), (1, second)) if number % 2 == 0 else ((1, second), (0, first))
        for slot, run in order:
            started = clock()
            run(block)
            spent[slot] += clock() - started
    return spent[0], spent[1]


def main(argv: list[str]) -> int:
    """Measure and print."""
    from indexer.analysis import document_language
    from indexer.analysis.chains import _grouped
    from indexer.analysis.tokenizer import icu_word_spans

    texts = [(d.lang or None, text) for d in read_docs(Path(argv[0])) for text in (d.title, d.body) if text]
    counts = {"tokens": 0, "terms": 0, "chained": 0}

    def baseline(part: Texts) -> None:
        tokens = 0
        for _, text in part:
            for start, end in icu_word_spans(text):
                text[start:end].casefold()
                tokens += 1
        counts["tokens"] += tokens

    def chains(part: Texts) -> None:
        emitted = 0
        for lang, text in part:
            with document_language(lang):
                for kind in _grouped(text, lang):
                    emitted += sum(map(len, kind.values()))
            if counts["chained"] % GC_FREEZE_EVERY == 0:
                gc.freeze()  # as the indexer does (indexer.writer.GC_FREEZE_EVERY)
            counts["chained"] += 1
        counts["terms"] += emitted

    base, cold = _interleaved(texts, baseline, chains)
    tokens, terms = counts["tokens"], counts["terms"]
    recent = texts[-WARM_TEXTS:]
    recent_base, warm = _interleaved(recent, baseline, chains)
    recent_tokens = counts["tokens"] - tokens
    out = {
        "texts": len(texts),
        "tokens": tokens,
        "terms": terms,
        "block_texts": BLOCK,
        "baseline_s": base,
        "chains_s": cold,
        "chains_warm_s": warm,
        "baseline_tokens_per_s": tokens / base if base else None,
        "chains_tokens_per_s": tokens / cold if cold else None,
        "warm_texts": len(recent),
        "chains_warm_tokens_per_s": recent_tokens / warm if warm else None,
        "ratio": cold / base if base else None,
        "ratio_warm": warm / recent_base if recent_base else None,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
