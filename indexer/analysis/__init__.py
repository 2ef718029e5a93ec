"""Text → terms, for documents and queries alike (the search side imports this, never re-implements it).

Every class here is a small, picklable Whoosh tokenizer or filter: Whoosh stores the schema,
analyzers included, inside the index, so ICU and Snowball objects are built lazily and dropped
when pickled. ``analyzers`` assembles the chains used by the fields of ``indexer.schema``.

Choices made where the product brief left them open, and why:

* **Three fields per text, not one.** ``title``/``body`` hold stems (banks, банков, банктері
  → банк), ``*_exact`` the folded words unstemmed (Snowball turns Астана into аста but Астане
  into астан: proper nouns need a field the stemmer never touches), ``*_key`` the cross-script
  spelling key (Тоқаев = Токаев = Tokayev = Toqaev → ``tokaev``). All three have positions, so
  a multi-word name is a phrase in every script. Weights are applied at query time
  (``search.query``: exact 3.0/1.5 above stems 2.0/1.0 above keys 0.8/0.4), so they are tuned
  without reindexing. The cost is index size: the extra fields take about three times what
  ``title`` + ``body`` take (``docs/benchmarks.md``, "Index-size overhead").
* **Exact spellings outrank key-only matches by construction**, not by luck of BM25: a document
  that only the key field matches keeps 5 % of its key score (``KEY_ONLY_FACTOR``), because
  BM25 scores of one word differ 10-20x between a one-line sentence and a long essay.
* **Language per token, from its letters first.** Kazakh-only letters (ә ғ қ ң ө ұ ү һ і; ä ğ ı
  ñ ş ū and the 2018 acutes) settle a word; otherwise the document's language (a context
  variable the writer sets) decides, so mixed Russian/Kazakh articles stem each word by its own
  language. Queries have no document language: an ambiguous word yields every candidate's stem
  at one position and the query ORs them.
* **Kazakh stemming is a light, data-driven stripper** (``kazakh``): one suffix per slot
  (plural, possessive, case, personal), each shape allowed only after the sounds that select it
  (-ға/-қа/-ге/-ке, -на only after a possessive), final б/ғ/г restored to п/қ/к. Vowel harmony is
  *not* required (loanwords break it: банктер, банкке) and derivational suffixes stay (баспанасыз
  "homeless" is not баспана "housing"): a missed inflection costs recall, a wrong conflation
  costs precision on every query. Kyrgyz goes through the same tables. Latin Kazakh is first
  mapped to the 2021 alphabet (2017 apostrophes, 2018 acutes, informal sh/zh/ch/gh), so one
  table serves both scripts.
* **The key is loose on purpose and kept apart.** ICU's ``Kazakh-Latin/BGN`` (Russian and
  Kazakh letters alike) plus a folding that erases the romanisation systems' differences (q/kh
  → k, zh/j/dzh → j, y/ı/й → i, doubled letters, soft signs). Loose keys meet look-alikes
  (Ghana/Гайана), which is why the key field is weighted low and why the gazetteer's entity
  matcher also requires the same script for a key-only match.
* **Aliases at query time** (``aliases``, data in ``indexer/data/gazetteer.tsv``): a renamed
  place or exonym (Astana = Nur-Sultan = Akmola = Tselinograd) is expanded when a query names
  it, at half weight (``ALIAS_BOOST``): a corrected table needs no reindex, and the name the
  reader typed ranks first. Measured: alias recall 0.60 → 0.99 with the table
  (``docs/relevance.md``).
* **Tokenisation repairs what crawls break**: markdown debris split off (``__Путин__``,
  ``**Бейрута**``), emoji variation selectors dropped from the word they cling to,
  hyphenated names indexed whole and by parts (Nur-Sultan → nur, sultan, nursultan), the
  apostrophe Latin of 2017 found by its stem (``Qazaqstan'ın`` → qazaqstan), homoglyphs inside a
  word repaired to its dominant script (``Kаzakhstan`` with a Cyrillic а).
* **``exact=1``** (API) / ``--exact`` (CLI) drops the key field and alias expansion for a query:
  stems and exact spellings only, for editors who need one spelling.

The steps that run once per word occurrence or once per new word are compiled (``_wordloop``,
``_fold``, ``_stems``, ``_keyforms``: C++ against the system ICU that PyICU uses, built by
``setup.py``), because a build meets hundreds of thousands of new words and millions of
occurrences, and in Python those steps cost three times the ICU segmentation they follow. The
rules' data stays in the Python modules, which hand it to the compiled code at import and keep
each algorithm in Python too (``*_python``): the reference that
``tests/test_native_analysis.py`` checks the compiled code against, on corpus text and on
generated text. Library calls (ICU transliteration, NFKC, Snowball) stay library calls.
"""

from indexer.analysis.analyzers import (
    SCHEMA_VERSION,
    exact_analyzer,
    key_analyzer,
    stem_analyzer,
)
from indexer.analysis.context import document_language

__all__ = [
    "SCHEMA_VERSION",
    "document_language",
    "exact_analyzer",
    "key_analyzer",
    "stem_analyzer",
]
