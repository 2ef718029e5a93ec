"""The tokenizer on real crawled text (../shared/corpus): markup debris never hides a word."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from indexer.analysis import exact_analyzer
from indexer.analysis.fold import normalize_word
from tests.conftest import shared_or_skip

# **Бейрута**, __Путин__, *italic*, a word glued to an emoji with a variation selector
_DEBRIS = re.compile(r"(?:\*\*|__|\*)([^\W\d_]{3,})(?:\*\*|__|\*)|([^\W\d_]{3,})\ufe0f")


@pytest.mark.shared
def test_words_wrapped_in_markup_are_indexed_bare():
    corpus = shared_or_skip() / "corpus"
    analyzer = exact_analyzer()
    checked = 0
    for name in ("ru_telegram_news_posts.jsonl.gz", "en_whitehouse_central_asia.jsonl.gz"):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                body = json.loads(line)["body"]
                wrapped = {m.group(1) or m.group(2) for m in _DEBRIS.finditer(body)}
                if not wrapped:
                    continue
                tokens = {t.text for t in analyzer(body)}
                for word in wrapped:
                    assert normalize_word(word) in tokens, (word, body[:200])
                    checked += 1
                if checked > 2000:
                    break
    assert checked > 200  # the corpus really has such debris, and it was checked
