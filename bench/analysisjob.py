"""Child-process entry: ``python -m bench.analysisjob DOCS_JSONL``: analysis throughput, cold.

A fresh process, so the per-word caches start empty as in a build. Times, over the same
texts (title and body of every document, each with its language as the indexer sets it):

* ``baseline``: ICU word segmentation and case folding of every word, the least any
  Unicode-aware analysis does;
* ``chains``: Steppe's whole analysis, the three chains' terms with positions for the
  stem, exact and cross-script key fields, as the indexer computes them for one text (with
  the indexer's periodic ``gc.freeze``: the long-lived word tables leave the collector's scans);
* ``chains_warm``: the last :data:`WARM_TEXTS` texts again right after (their words are in the
  bounded per-word caches, as in a long build's steady state).

Prints one JSON line: tokens, seconds and tokens/s of each, and the ratios to the baseline.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from bench.corpora import read_docs
from indexer.writer import GC_FREEZE_EVERY

WARM_TEXTS = 4000


def main(argv: list[str]) -> int:
    """Measure and print."""
    from indexer.analysis import document_language
    from indexer.analysis.chains import _grouped
    from indexer.analysis.tokenizer import icu_word_spans

    texts = [(d.lang or None, text) for d in read_docs(Path(argv[0])) for text in (d.title, d.body) if text]
    clock = time.process_time

    started = clock()
    tokens = 0
    for _, text in texts:
        for start, end in icu_word_spans(text):
            text[start:end].casefold()
            tokens += 1
    baseline = clock() - started

    def chains(part: list[tuple[str | None, str]]) -> tuple[int, float]:
        emitted = 0
        begin = clock()
        for i, (lang, text) in enumerate(part):
            with document_language(lang):
                emitted += sum(len(p) for kind in _grouped(text, lang) for p in kind.values())
            if i % GC_FREEZE_EVERY == 0:
                gc.freeze()  # as the indexer does (indexer.writer.GC_FREEZE_EVERY)
        return emitted, clock() - begin

    terms, cold = chains(texts)
    recent = texts[-WARM_TEXTS:]
    recent_tokens = sum(1 for _, text in recent for _ in icu_word_spans(text))
    recent_base_start = clock()
    for _, text in recent:
        for start, end in icu_word_spans(text):
            text[start:end].casefold()
    recent_baseline = clock() - recent_base_start
    _, warm = chains(recent)
    out = {
        "texts": len(texts),
        "tokens": tokens,
        "terms": terms,
        "baseline_s": baseline,
        "chains_s": cold,
        "chains_warm_s": warm,
        "baseline_tokens_per_s": tokens / baseline if baseline else None,
        "chains_tokens_per_s": tokens / cold if cold else None,
        "warm_texts": len(recent),
        "chains_warm_tokens_per_s": recent_tokens / warm if warm else None,
        "ratio": cold / baseline if baseline else None,
        "ratio_warm": warm / recent_baseline if recent_baseline else None,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
