"""User query text → Whoosh query, through the indexer's own analysis chains.

The public search box speaks a small language: words (all must match), ``"phrases"``,
``-exclusion``, ``OR`` between words or phrases, ``prefix*``. Everything else is plain text:
no field syntax (a colon separates words: ``title:bank`` is ``title bank``), no regex, no
leading wildcard. Repeated words and alternatives count once (in a question a repeat weighs
more). Each word is looked up in three ways, summed: its stem (title/body), its exact folded
spelling (``*_exact``, weighted highest so exact spellings outrank) and its cross-script key
(``*_key``, weighted lowest; off with ``exact``).

What a query may add beyond the words as typed (prefix expansions, other names of a referent,
extra cross-script key variants) draws on one budget of ``MAX_EXPANSIONS`` terms per query,
shared fairly by its words, so 32 prefixes or 32 country names cost about what one does.

Function words (``FUNCTION_WORDS``: *the*, *of*, *почему*, *қандай*) typed as plain words need
not match when the query has other words: *Tokayev and Putin* needs *Tokayev* and *Putin*.

A *question* is ranked differently, by :class:`QuestionQuery`: plain words only, at least
``QUESTION_WORDS`` of them, or a function word and ``QUESTION_MIN_WORDS`` others ("what
similarity laws must be obeyed …", "Абай қай жылы туған?"), and not a name (not in the
gazetteer, not every word capitalised: *Bosnia and Herzegovina*). Its words need not all
match: every article with one of them is ranked by BM25F (a word's occurrences in all fields
combined before they saturate), articles with every word first, a word typed twice weighing
√2 times as much. No alias or prefix expansion, no proximity bonus: they did not help questions
(docs/relevance.md).
"""

from __future__ import annotations

import math
import re
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from whoosh import matching
from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.collectors import TimeLimit
from whoosh.matching.wrappers import FilterMatcher, WrappingMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.analysis import exact_analyzer, key_analyzer, stem_analyzer
from indexer.analysis.aliases import AliasTable, default_alias_table
from indexer.analysis.translit import spelling_key
from search.errors import QuerySyntaxError

_LEXER = re.compile(r'(-?)"([^"]*)"|(\S+)')
# ICU keeps a colon inside a word (it is a mid-letter character), so "title:bank" would be one
# unknown word; the box has no field syntax, so colons (and their compatibility forms) separate.
_COLONS = re.compile("[:\ufe13\ufe55\uff1a]")
MAX_PREFIX_EXPANSION = 64  # per field, at most
MAX_EXPANSIONS = 512  # extra terms per query: prefix expansions, alias forms, cross-script key variants
MAX_POSITIONS = 128  # analysed words per query, phrases included (each costs a term per field)
MIN_PREFIX_CHARS = 2
MAX_ALIAS_FORMS = 24
ALIAS_BOOST = 0.5  # another name of the referent counts, but below the name the reader typed
KEY_VARIANT_BOOST = 0.5
# A document that a word's cross-script keys match but none of its stems or exact spellings
# (Wolff, Вольф for "wolf") keeps this share of its key score: exact spellings outrank key-only
# matches even when the key-only document is much shorter (see ``KeyFallback``). BM25 scores of
# one word differ by 10-20x between a one-line sentence and a long essay, so the share is set
# below that (0.25 let Вольф sentences outrank essays about wolves); key-only documents keep
# their order among themselves. Cranfield, CISI and KazQAD scores are the same at 0.25 and 0.05.
KEY_ONLY_FACTOR = 0.05
ALL_FIELDS = ("title", "lead", "body", "title_exact", "body_exact", "title_key", "body_key")
# Another name of the referent is searched as written, by its stems and by its own full key
# (inflected forms still meet it through their stripped keys); the key variants of every alias
# form would only repeat work, since the gazetteer lists each script's form already.
ALIAS_FIELDS = ("title", "body", "title_exact", "body_exact", "title_key", "body_key")
PROXIMITY_SLOP = 3  # words within three positions of each other, in query order
PROXIMITY_BOOST = 0.5
MAX_PROXIMITY_WORDS = 6

DEFAULT_WEIGHTS: dict[str, float] = {
    "title": 2.0,
    "lead": 0.8,
    "body": 1.0,
    "title_exact": 3.0,
    "body_exact": 1.5,
    "title_key": 0.8,
    "body_key": 0.4,
}

QUESTION_WORDS = 5  # plain words from which a query is ranked as a question (0: never) ...
QUESTION_MIN_WORDS = 2  # ... or a function word and this many other words
# BM25F for questions: a word's term frequencies in all fields, each weighted and normalised by
# the field's length (B), are summed and saturate once (K1); measured on Cranfield, CISI and
# KazQAD (docs/relevance.md). Stems carry a word; exact spellings add a little; the cross-script
# keys (the word's own full key only) stay a small recall device.
QUESTION_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "lead": 0.8,
    "body": 1.0,
    "title_exact": 1.0,
    "body_exact": 0.5,
    "title_key": 0.2,
    "body_key": 0.1,
}
QUESTION_K1 = 4.0  # large, as the weighted frequencies of all fields are summed before saturating
QUESTION_B = 0.75
# Function words a question does not need to match (folded as the exact field folds them). Small
# on purpose: question words, articles, pronouns, prepositions, auxiliaries, particles.
FUNCTION_WORDS: dict[str, str] = {
    "en": """a about above after again against all am an and any are as at be because been before being below between
        both but by can could did do does doing down during each few for from further had has have having he her here
        hers herself him himself his how i if in into is it its itself just me more most my myself no nor not of off on
        once only or other our ours ourselves out over own same she should so some such than that the their theirs them
        themselves then there these they this those through to too under until up very was we were what when where
        which while who whom why will with would you your yours yourself yourselves also might must shall upon whether""",
    "ru": """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне было вот от
        меня еще ещё нет о из ему когда даже ну ли если уже или ни быть был него до вас нибудь уж вам ведь там потом себя
        ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего тоже себе под будет ж тогда кто
        этот того потому этого какой ним здесь этом почти мой тем чтобы нее были куда зачем всех можно при об хоть после
        над больше тот через эти нас про всего них какая много разве эту моя свою этой перед том такой им более всю между
        это каков какова каковы какие каким какую сколько почему""",
    "kk": """және мен бен пен да де та те не ма ме ба бе па пе ғой ғана қана бұл ол сол осы мына анау кім қандай қай
        қанша неше нешінші қашан қайда қалай неге неліктен нені неден неде қайсы қайсысы кімнің кімге кімді дегеніміз
        деген деп дейді дейміз үшін туралы арқылы бойынша сияқты сайын дейін шейін кейін бірге немесе әлде яғни тағы әрі""",
    "ky": """жана менен бирге дагы же бул ошол ушул ким кандай кайсы канча нече качан кайда кантип эмне эмнеге эмнени
        эмнеден үчүн тууралуу аркылуу боюнча сыяктуу""",
}


class KeyFallback(wq.Or):
    """One word or phrase: its literal fields (stems, exact spellings) with its cross-script keys as a fallback.

    Where a literal field matches, the key fields add their score as in a plain ``Or``; where
    only the keys match, they count ``KEY_ONLY_FACTOR`` of it. BM25 favours short documents, so
    without this a one-line sentence naming *Вольф* outranked long articles about *wolves* for
    "wolf". Sub-queries on ``*_key`` fields only are the fallback part. Whoosh's own matchers
    (used only outside :mod:`search.evaluate`) treat it as the plain ``Or`` it subclasses.
    """

    @staticmethod
    def is_key_part(q: wq.Query) -> bool:
        """Whether ``q`` searches cross-script key fields only."""
        fields = {name for name, _ in q.iter_all_terms()}
        return bool(fields) and all(name.endswith("_key") for name in fields)

    def split(self) -> tuple[list[wq.Query], list[wq.Query]]:
        """The literal sub-queries and the key sub-queries."""
        keys = [sub for sub in self.subqueries if self.is_key_part(sub)]
        return [sub for sub in self.subqueries if not self.is_key_part(sub)], keys

    def matcher(self, searcher: Searcher, context: object = None) -> matching.Matcher:  # noqa: D102 - Whoosh protocol
        literal_parts, key_parts = self.split()
        if not key_parts:
            return super().matcher(searcher, context)
        literal = wq.Or(literal_parts).matcher(searcher, context) if literal_parts else matching.NullMatcher()
        m: matching.Matcher = KeyFallbackMatcher(literal, wq.Or(key_parts).matcher(searcher, context))
        if self.boost != 1.0 and len(self.subqueries) > 1:
            m = WrappingMatcher(m, boost=self.boost)
        return m


class KeyFallbackMatcher(matching.UnionMatcher):
    """Whoosh's union of a literal matcher ``a`` and a key matcher ``b``, scored as :class:`KeyFallback` says."""

    def supports_block_quality(self) -> bool:  # noqa: D102 - no quality skipping: the factor breaks its bounds
        return False

    def replace(self, minquality: float = 0) -> matching.Matcher:  # noqa: D102 - Whoosh protocol
        a_active, b_active = self.a.is_active(), self.b.is_active()
        if not (a_active or b_active):
            return matching.NullMatcher()
        if not b_active:
            return self.a.replace()
        if not a_active:
            return WrappingMatcher(self.b.replace(), boost=KEY_ONLY_FACTOR)
        a, b = self.a.replace(), self.b.replace()
        if a is not self.a or b is not self.b:
            return KeyFallbackMatcher(a, b)
        self._id = None
        return self

    def score(self) -> float:  # noqa: D102 - Whoosh protocol
        a, b = self.a, self.b
        if not a.is_active():
            return b.score() * KEY_ONLY_FACTOR
        if not b.is_active():
            return a.score()
        if a.id() < b.id():
            return a.score()
        if b.id() < a.id():
            return b.score() * KEY_ONLY_FACTOR
        return a.score() + b.score()


@dataclass(frozen=True)
class Clause:
    """One word or phrase of the user's query."""

    text: str
    phrase: bool = False
    negated: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Groups that must all match; the clauses inside one group are alternatives (``OR``)."""

    groups: tuple[tuple[Clause, ...], ...]
    excluded: tuple[Clause, ...] = ()
    # how often each group was typed (questions weigh a repeated word more); not part of equality
    counts: tuple[int, ...] = field(default=(), compare=False)

    def count(self, index: int) -> int:
        """How many times group ``index`` was typed (1 when unknown)."""
        return self.counts[index] if index < len(self.counts) else 1


def split_colons(text: str) -> str:
    """Query text with colons turned into spaces (``title:bank`` → ``title bank``)."""
    return _COLONS.sub(" ", text)


def _clause_key(clause: Clause) -> tuple[str, bool, bool]:
    return (clause.text.casefold(), clause.phrase, clause.prefix)


def _unique(clauses: list[Clause]) -> list[Clause]:
    seen: set[tuple[str, bool, bool]] = set()
    out = []
    for clause in clauses:
        if _clause_key(clause) not in seen:
            seen.add(_clause_key(clause))
            out.append(clause)
    return out


def _words_of(token: str) -> list[Clause]:
    """One whitespace token → its clauses: a colon splits it, each part keeps the token's sign."""
    negated = token.startswith("-") and len(token) > 1
    body = token[1:] if negated else token
    parts = [p for p in split_colons(body).split() if p] if _COLONS.search(body) else [body]
    out = []
    for part in parts:
        prefix = part.endswith("*")
        part = part.strip("*")
        if len(part) < MIN_PREFIX_CHARS:
            prefix = False
        out.append(Clause(part, negated=negated, prefix=prefix))
    return out


def parse_query(text: str, max_terms: int = 32) -> ParsedQuery:
    """Split user text into clauses; repeated groups, alternatives and exclusions count once.

    >>> parse_query('Astana "oil price" -gas bank*').groups[1]
    (Clause(text='oil price', phrase=True, negated=False, prefix=False),)
    """
    if text.count('"') % 2:
        raise QuerySyntaxError('unbalanced quotes in "q": close the phrase with a second "')
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    for match in _LEXER.finditer(text):
        negated_phrase, phrase, word = match.groups()
        if word == "OR" and groups:
            join_next = True
            continue
        if phrase is not None:
            clauses = [Clause(" ".join(split_colons(phrase).split()), phrase=True, negated=bool(negated_phrase))]
        else:
            clauses = _words_of(word)
        for clause in clauses:
            if not clause.text:
                continue
            if clause.negated:
                excluded.append(clause)
                join_next = False
            elif join_next and groups:
                groups[-1].append(clause)
                join_next = False
            else:
                groups.append([clause])
    unique_groups: list[tuple[Clause, ...]] = []
    typed: Counter[frozenset[tuple[str, bool, bool]]] = Counter()
    keys = []
    for group in groups:
        alternatives = _unique(group)
        key = frozenset(_clause_key(c) for c in alternatives)
        if key not in typed:
            keys.append(key)
            unique_groups.append(tuple(alternatives))
        typed[key] += 1
    unique_excluded = tuple(_unique(excluded))
    if sum(len(g) for g in unique_groups) + len(unique_excluded) > max_terms:
        raise QuerySyntaxError(f'too many words in "q" (limit {max_terms})')
    return ParsedQuery(tuple(unique_groups), unique_excluded, tuple(typed[k] for k in keys))


@dataclass
class Budget:
    """Extra terms a query, or one part of it, may still add (see ``MAX_EXPANSIONS``)."""

    left: int
    parent: Budget | None = None

    def _spend(self, n: int) -> None:
        self.left -= n
        if self.parent is not None:
            self.parent._spend(n)

    def take(self, wanted: int) -> int:
        """Grant up to ``wanted`` terms (fewer when the budget runs low)."""
        granted = max(0, min(wanted, self.left))
        self._spend(granted)
        return granted

    def afford(self, cost: int) -> bool:
        """Spend ``cost`` terms if that many are left; ``False``, and nothing spent, otherwise."""
        if cost > self.left:
            return False
        self._spend(cost)
        return True

    def share(self, participants: int) -> Budget:
        """A fair part of what is left, for one of ``participants``; spending it spends this one.

        Shares never shrink from one participant to the next (what one leaves, the rest split),
        so with ``MAX_EXPANSIONS`` = 512 and at most 33 participants each gets 15 terms or more.
        """
        return Budget(self.left // max(1, participants), self)


def _leaves(query: wq.Query) -> int:
    return sum(1 for _ in query.leaves())


@dataclass
class HighlightTerms:
    """The analysed forms a snippet should mark, per kind of match."""

    exact: set[str] = field(default_factory=set)
    stem: set[str] = field(default_factory=set)
    key: set[str] = field(default_factory=set)
    # what snippets derive from the sets, once per query (see ``search.snippets``)
    derived: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class QuestionWord:
    """One content word of a question: its analysed terms per field, and how often it was typed."""

    text: str
    count: int
    terms: tuple[tuple[str, tuple[str, ...]], ...]  # (field, terms), fields in ``ALL_FIELDS`` order


# Per segment reader and field: every document's length byte (readers are dropped with their generation).
_LENGTHS: weakref.WeakKeyDictionary[IndexReader, dict[str, bytes]] = weakref.WeakKeyDictionary()


def _length_bytes(reader: IndexReader, name: str) -> bytes:
    """The encoded length of ``name`` in every document of one segment, read once and kept."""
    try:
        cached = _LENGTHS.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no caching
        cached = {}
    if name not in cached:
        count = reader.doc_count_all()
        raw = b""
        try:  # W3 keeps one byte per document in a column: read it in one piece
            column = reader._perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)  # type: ignore[attr-defined]
            if column is not None:
                raw = bytes(column._dbfile.get(column._basepos, min(column._count, count)))
        except AttributeError:  # another codec: ask for each document
            raw = bytes(length_to_byte(reader.doc_field_length(d, name, 0)) for d in range(count))
        cached[name] = raw + bytes(count - len(raw))
    return cached[name]


def _postings(reader: IndexReader, name: str, text: str) -> Iterator[tuple[int, float]]:
    """``(docnum, term frequency)`` of one term in one segment, block by block where the codec allows.

    Deleted documents are included; :meth:`QuestionQuery.matcher` drops them.
    """
    m = reader.postings(name, text)
    if isinstance(m, FilterMatcher):
        m = m.child
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            yield from zip(m._ids[m._i :], m._weights[m._i :], strict=True)
            m._next_block()
        return
    while m.is_active():
        yield m.id(), m.weight()
        m.next()


class QuestionQuery(wq.Query):
    """Every article with one of a question's words, ranked by BM25F (see the module docstring).

    One pass over each word's postings per segment, summing into a table of scores; the matcher
    then walks that table (so a question costs what its postings cost, not a tree of matchers).
    Statistics (document frequencies, average lengths) are the whole index's.
    """

    def __init__(
        self,
        words: Iterable[QuestionWord],
        weights: dict[str, float] | None = None,
        k1: float = QUESTION_K1,
        b: float = QUESTION_B,
        boost: float = 1.0,
        deadline: float | None = None,
    ) -> None:
        self.words = tuple(words)
        self.deadline = deadline
        self.weights = dict(QUESTION_WEIGHTS if weights is None else weights)
        self.k1 = k1
        self.b = b
        self.boost = boost

    def __repr__(self) -> str:
        return f"{type(self).__name__}({[w.text for w in self.words]!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and self.words == other.words  # type: ignore[attr-defined]
            and self.weights == other.weights  # type: ignore[attr-defined]
            and (self.k1, self.b, self.boost) == (other.k1, other.b, other.boost)  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.words, self.k1, self.b, self.boost))

    def has_terms(self) -> bool:
        """Yes: it searches for given terms."""
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        """Every ``(field, term)`` it reads."""
        for _, name, text in self._weighted_terms():
            yield name, text

    def _weighted_terms(self) -> Iterator[tuple[QuestionWord, str, str]]:
        for word in self.words:
            for name, texts in word.terms:
                if self.weights.get(name, 0.0) > 0:
                    for text in texts:
                        yield word, name, text

    def estimate_size(self, ixreader: IndexReader) -> int:
        """At most the documents of its most frequent word, at most all documents."""
        frequencies = [ixreader.doc_frequency(name, text) for name, text in self.terms()]
        return min(sum(frequencies), ixreader.doc_count_all())

    def _frequencies(self, parent: Searcher) -> list[int]:
        """Per word, its document frequency: the largest of its stem and exact terms' (its key's otherwise)."""
        out = []
        for word in self.words:
            own = [parent.doc_frequency(n, t) for n, texts in word.terms if not n.endswith("_key") for t in texts]
            keys = [parent.doc_frequency(n, t) for n, texts in word.terms if n.endswith("_key") for t in texts]
            out.append(max(own, default=0) or max(keys, default=0))
        return out

    def scores(self, searcher: Searcher) -> dict[int, float]:
        """Score of every document of ``searcher`` (a segment's or the whole index's) that has one of the words.

        Raises :class:`whoosh.collectors.TimeLimit` when the deadline passes before every word is read.
        """
        reader = searcher.reader()
        leaves = [(reader, 0)] if reader.is_atomic() else list(reader.leaf_readers())
        parent = searcher.get_parent()
        n_docs = parent.doc_count_all()
        k1 = self.k1
        norms: dict[str, list[float]] = {}
        scores: dict[int, float] = {}
        words_in: dict[int, int] = {}  # how many of the words each document has
        ceiling = 0.0  # no document scores this much from the words alone
        frequencies = self._frequencies(parent)
        for i in sorted(range(len(self.words)), key=frequencies.__getitem__):  # rarest first
            word, df = self.words[i], frequencies[i]
            if not df:
                continue
            if self.deadline is not None and time.perf_counter() >= self.deadline:
                raise TimeLimit
            combined: dict[int, float] = {}
            for name, texts in word.terms:
                weight = self.weights.get(name, 0.0)
                if weight <= 0:
                    continue
                if name not in norms:
                    b, average = self.b, parent.avg_field_length(name) or 1.0
                    norms[name] = [weight / ((1 - b + b * byte_to_length(i) / average) or 1.0) for i in range(256)]
                norm = norms[name]
                for leaf, offset in leaves:
                    present = [t for t in texts if (name, t) in leaf]
                    if not present:
                        continue
                    lengths = _length_bytes(leaf, name)
                    for text in present:
                        for docnum, tf in _postings(leaf, name, text):
                            key = offset + docnum
                            combined[key] = combined.get(key, 0.0) + tf * norm[lengths[docnum]]
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            factor = self.boost * math.sqrt(word.count) * idf * (k1 + 1)
            ceiling += factor
            for docnum, x in combined.items():
                scores[docnum] = scores.get(docnum, 0.0) + factor * x / (x + k1)
                words_in[docnum] = words_in.get(docnum, 0) + 1
        # Articles with every word first: 2 × ceiling keeps them ahead even after a recency factor up to ×2.
        every = len(self.words)
        for docnum, n in words_in.items():
            if n == every:
                scores[docnum] += 2 * ceiling
        for leaf, offset in leaves:
            if leaf.has_deletions():
                for docnum in [d for d in scores if offset <= d < offset + leaf.doc_count_all() and leaf.is_deleted(d - offset)]:
                    del scores[docnum]
        return scores

    def matcher(self, searcher: Searcher, context: object = None) -> matching.Matcher:
        """The scored documents of ``searcher``, in docnum order."""
        scores = self.scores(searcher)
        if not scores:
            return matching.NullMatcher()
        docnums = sorted(scores)
        return matching.ListMatcher(docnums, [scores[d] for d in docnums])

    def docs_with_every_word(self, searcher: Searcher) -> set[int]:
        """Documents (index-wide numbers) that have every word; rarest words first, stopping when none is left."""
        order = sorted(range(len(self.words)), key=self._frequencies(searcher.get_parent()).__getitem__)
        found: set[int] = set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            common: set[int] | None = None
            for i in order:
                docs: set[int] = set()
                for name, texts in self.words[i].terms:
                    if self.weights.get(name, 0.0) > 0:
                        for text in texts:
                            if (name, text) in reader:
                                docs.update(reader.postings(name, text).all_ids())
                common = docs if common is None else common & docs
                if not common:
                    break
            found.update(offset + d for d in common or ())
        return found


@dataclass(frozen=True)
class CompiledQuery:
    """The strict query, its relaxed any-word fallback, and what to highlight.

    For a question, ``strict`` is its :class:`QuestionQuery` (with exclusions), ``relaxed`` is
    ``None`` and ``question`` is the question query itself.
    """

    strict: wq.Query
    relaxed: wq.Query | None
    highlight: HighlightTerms
    question: QuestionQuery | None = None


def _positions(analyzer: Analyzer, text: str) -> list[list[str]]:
    """Alternatives per position: ``"Nur-Sultan"`` → ``[["nur", "nursultan"], ["sultan"]]``."""
    by_pos: dict[int, list[str]] = defaultdict(list)
    for token in analyzer(text, positions=True, mode="query"):
        if token.text not in by_pos[token.pos]:
            by_pos[token.pos].append(token.text)
    return [by_pos[p] for p in sorted(by_pos)]


_KIND = {name: ("key" if name.endswith("_key") else "exact" if name.endswith("_exact") else "stem") for name in ALL_FIELDS}


def _flat(positions: list[list[str]]) -> list[str]:
    """Every alternative of every position, once each, in order."""
    return list(dict.fromkeys(alt for alts in positions for alt in alts))


def _whole_query_words(parsed: ParsedQuery) -> str:
    """The query's words as one name ("Sri Lanka"), when it is two or more plain words; else ``""``."""
    if len(parsed.groups) < 2 or any(len(g) > 1 or g[0].phrase or g[0].prefix for g in parsed.groups):
        return ""
    return " ".join(g[0].text for g in parsed.groups)


class QueryCompiler:
    """Compiles parsed queries for one index reader (prefix expansion needs its lexicon)."""

    def __init__(
        self, weights: dict[str, float] | None = None, aliases: AliasTable | None = None, question_words: int = QUESTION_WORDS
    ) -> None:
        self.weights = dict(DEFAULT_WEIGHTS, **(weights or {}))
        self.question_words = question_words
        self.aliases = aliases if aliases is not None else default_alias_table()
        self.stem = stem_analyzer()
        self.exact = exact_analyzer()
        self.key = key_analyzer()
        self.function_words = frozenset(
            form for words in FUNCTION_WORDS.values() for word in words.split() for form in _flat(_positions(self.exact, word))
        )

    def compile(
        self, parsed: ParsedQuery, reader: IndexReader, exact: bool = False, deadline: float | None = None
    ) -> CompiledQuery:
        """Build the Whoosh query; ``exact`` leaves cross-script keys out.

        ``deadline`` (a ``time.perf_counter()`` value) bounds a question's scoring: its matcher
        raises :class:`whoosh.collectors.TimeLimit` past it, as every other search phase stops.
        """
        question = self._question(parsed, reader, exact, deadline)
        if question is not None:
            return question
        self._check_positions(parsed)
        highlight = HighlightTerms()
        budget = Budget(MAX_EXPANSIONS)
        whole_words = _whole_query_words(parsed)  # "Bosnia and Herzegovina" is a name with its "and"
        parsed = self._without_function_words(parsed)
        participants = sum(len(g) for g in parsed.groups) + len(parsed.excluded) + (1 if whole_words else 0)
        whole_name = None
        if whole_words:  # "Sri Lanka", "Ho Chi Minh City" typed without quotes
            others = self._alias_queries(whole_words, reader, exact, highlight, budget.share(participants))
            whole_name = wq.Or(others) if others else None
            participants -= 1
        groups = []
        for group in parsed.groups:
            alternatives = []
            for clause in group:
                q = self._with_aliases(clause, reader, exact, highlight, budget.share(participants))
                participants -= 1
                if q is not None:
                    alternatives.append(q)
            if alternatives:
                groups.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
        if not groups:
            raise QuerySyntaxError('"q" has no searchable word (only punctuation or excluded words)')
        excluded = []
        for clause in parsed.excluded:
            q = self._clause(clause, reader, exact, None, budget.share(participants))
            participants -= 1
            if q is not None:
                excluded.append(q)
        strict: wq.Query = groups[0] if len(groups) == 1 else wq.And(groups)
        relaxed: wq.Query | None = wq.Or(groups) if len(groups) > 1 else None
        if whole_name is not None:
            strict = wq.Or([strict, whole_name])
        proximity = self._proximity(parsed)
        if proximity is not None:  # words close together rank higher; they need not be
            strict = wq.AndMaybe(strict, proximity)
        if excluded:
            negative = wq.Or(excluded)
            strict = wq.AndNot(strict, negative)
            relaxed = wq.AndNot(relaxed, negative) if relaxed is not None else None
        return CompiledQuery(strict, relaxed, highlight)

    def is_function_word(self, text: str) -> bool:
        """Whether every analysed form of ``text`` is a function word (*the*, *қандай*, *почему*)."""
        forms = [alt for alts in _positions(self.exact, text) for alt in alts]
        return bool(forms) and all(form in self.function_words for form in forms)

    def _is_plain_function_word(self, group: tuple[Clause, ...]) -> bool:
        return len(group) == 1 and not group[0].phrase and not group[0].prefix and self.is_function_word(group[0].text)

    def _without_function_words(self, parsed: ParsedQuery) -> ParsedQuery:
        """``parsed`` without its function words (typed as plain words), unless nothing else would be left."""
        keep = [i for i, g in enumerate(parsed.groups) if not self._is_plain_function_word(g)]
        if not keep or len(keep) == len(parsed.groups):
            return parsed
        return ParsedQuery(tuple(parsed.groups[i] for i in keep), parsed.excluded, tuple(parsed.count(i) for i in keep))

    def is_question(self, parsed: ParsedQuery) -> bool:
        """Whether ``parsed`` reads as a question rather than a name (see ``QUESTION_WORDS``).

        Plain words only: ``QUESTION_WORDS`` of them, or a function word and ``QUESTION_MIN_WORDS``
        others. Not a name: not in the gazetteer, and not every other word capitalised
        (*Bosnia and Herzegovina*, *Bank of America*); very long queries are questions regardless.
        """
        groups = parsed.groups
        if self.question_words <= 0 or any(len(g) > 1 or g[0].phrase or g[0].prefix for g in groups):
            return False
        content = [g[0].text for g in groups if not self._is_plain_function_word(g)]
        if len(groups) < self.question_words and not (len(content) < len(groups) and len(content) >= QUESTION_MIN_WORDS):
            return False
        if len(groups) > 2 * self.question_words:
            return True
        capitalised = all(word[:1].isupper() for word in content)
        return not capitalised and not self.aliases.lookup(" ".join(g[0].text for g in groups))

    def _question(self, parsed: ParsedQuery, reader: IndexReader, exact: bool, deadline: float | None) -> CompiledQuery | None:
        """The question ranking of ``parsed`` (see the module docstring), or ``None`` when it is no question."""
        if not self.is_question(parsed):
            return None
        typed = [(g[0], parsed.count(i)) for i, g in enumerate(parsed.groups)]
        content = [(c, n) for c, n in typed if not self.is_function_word(c.text)] or typed
        highlight = HighlightTerms()
        words = []
        for clause, count in content:
            stems = _flat(_positions(self.stem, clause.text))
            exacts = _flat(_positions(self.exact, clause.text))
            keys = [] if exact else _flat([alts[:1] for alts in _positions(self.key, clause.text)])
            if not exacts:
                continue
            highlight.stem.update(stems)
            highlight.exact.update(exacts)
            highlight.key.update(keys)
            by_kind = {"stem": tuple(stems), "exact": tuple(exacts), "key": tuple(keys)}
            terms = tuple((name, by_kind[_KIND[name]]) for name in ALL_FIELDS if by_kind[_KIND[name]])
            words.append(QuestionWord(clause.text, count, terms))
        if not words:
            raise QuerySyntaxError('"q" has no searchable word (only punctuation or excluded words)')
        question = QuestionQuery(words, deadline=deadline)
        strict: wq.Query = question
        budget = Budget(MAX_EXPANSIONS)
        excluded = [self._clause(c, reader, exact, None, budget.share(len(parsed.excluded))) for c in parsed.excluded]
        negative = [q for q in excluded if q is not None]
        if negative:
            strict = wq.AndNot(strict, wq.Or(negative))
        return CompiledQuery(strict, None, highlight, question)

    def _check_positions(self, parsed: ParsedQuery) -> None:
        """Refuse queries whose words and phrases analyse into more than ``MAX_POSITIONS`` words."""
        total = 0
        for clause in [*(c for g in parsed.groups for c in g), *parsed.excluded]:
            total += 1 if clause.prefix else len(_positions(self.exact, clause.text))
            if total > MAX_POSITIONS:
                raise QuerySyntaxError(f'too many words in "q" (limit {MAX_POSITIONS} words, phrases included)')

    def _alias_queries(
        self, text: str, reader: IndexReader, exact: bool, highlight: HighlightTerms | None, budget: Budget
    ) -> list[wq.Query]:
        """Phrase queries for the other names of what ``text`` names (none with ``exact``), within ``budget``."""
        if exact:
            return []
        queries = []
        for form in self.aliases.expansions(text)[:MAX_ALIAS_FORMS]:
            # Mark other names in snippets only when they are one or two words (Mumbai, Nur-Sultan),
            # not the words of long official names ("Republic of ...").
            marks = HighlightTerms() if highlight is not None and len(form.split()) <= 2 else None
            sub = self._clause(Clause(form, phrase=True), reader, exact, marks, None, fields=ALIAS_FIELDS, key_variants=False)
            if sub is None:
                continue
            if not budget.afford(_leaves(sub)):
                continue  # a shorter name further down may still fit
            if marks is not None and highlight is not None:
                highlight.exact |= marks.exact
                highlight.stem |= marks.stem
            sub.boost = ALIAS_BOOST
            queries.append(sub)
        return queries

    def _with_aliases(
        self, clause: Clause, reader: IndexReader, exact: bool, highlight: HighlightTerms | None, budget: Budget
    ) -> wq.Query | None:
        own = self._clause(clause, reader, exact, highlight, budget)
        if own is None or clause.prefix:
            return own
        others = self._alias_queries(clause.text, reader, exact, highlight, budget)
        return wq.Or([own, *others]) if others else own

    def _proximity(self, parsed: ParsedQuery) -> wq.Query | None:
        """A bonus for the query's words within a few words of each other, in order."""
        words = [g[0] for g in parsed.groups if len(g) == 1 and not g[0].phrase and not g[0].prefix]
        if len(words) < 2 or len(words) > MAX_PROXIMITY_WORDS:
            return None
        stems = [_positions(self.stem, w.text) for w in words]
        if not all(len(p) == 1 for p in stems):
            return None
        near = []
        for name in ("title", "body"):
            sequence = wq.Sequence([self._alternatives(name, p[0]) for p in stems], slop=PROXIMITY_SLOP)
            sequence.boost = self.weights[name] * PROXIMITY_BOOST
            near.append(sequence)
        return wq.Or(near)

    def _clause(
        self,
        clause: Clause,
        reader: IndexReader,
        exact: bool,
        highlight: HighlightTerms | None,
        budget: Budget | None,
        fields: tuple[str, ...] = ALL_FIELDS,
        key_variants: bool = True,
    ) -> wq.Query | None:
        """A word or phrase in ``fields``; ``budget`` pays for prefix terms and extra key variants."""
        if clause.prefix:
            return self._prefix(clause.text, reader, exact, highlight, budget or Budget(MAX_EXPANSIONS))
        analysed = {
            "stem": _positions(self.stem, clause.text),
            "exact": _positions(self.exact, clause.text),
            "key": [] if exact else _positions(self.key, clause.text),
        }
        if not analysed["exact"]:
            return None
        key_fields = sum(1 for name in fields if name.endswith("_key"))
        extra_keys = sum(len(alts) - 1 for alts in analysed["key"]) * key_fields
        if not key_variants or (extra_keys and budget is not None and not budget.afford(extra_keys)):
            analysed["key"] = [alts[:1] for alts in analysed["key"]]  # the word's own full key only
        if highlight is not None:
            for kind, positions in analysed.items():
                getattr(highlight, kind).update(alt for alts in positions for alt in alts)
        by_field = {
            "title": analysed["stem"],
            "lead": analysed["stem"],
            "body": analysed["stem"],
            "title_exact": analysed["exact"],
            "body_exact": analysed["exact"],
            "title_key": analysed["key"],
            "body_key": analysed["key"],
        }
        subqueries = []
        for name in fields:
            positions = by_field[name]
            if not positions:
                continue
            boost = self.weights[name]
            per_position = [self._alternatives(name, alts) for alts in positions]
            sub = per_position[0] if len(per_position) == 1 else wq.Sequence(per_position)
            sub.boost = boost
            subqueries.append(sub)
        return KeyFallback(subqueries)

    @staticmethod
    def _alternatives(name: str, alts: list[str]) -> wq.Query:
        """Terms for one position.

        In key fields the word's own full key counts fully and its stripped or stemmed keys
        (bombai → bomba) only half, so "Bombay" ≠ "бомба" at the top.
        """
        if len(alts) == 1:
            return wq.Term(name, alts[0])
        if name.endswith("_key"):
            return wq.Or([wq.Term(name, alts[0]), *(wq.Term(name, alt, boost=KEY_VARIANT_BOOST) for alt in alts[1:])])
        return wq.Or([wq.Term(name, alt) for alt in alts])

    def _prefix(
        self, text: str, reader: IndexReader, exact: bool, highlight: HighlightTerms | None, budget: Budget
    ) -> wq.Query | None:
        """Indexed words starting with ``text``: at most ``MAX_PREFIX_EXPANSION`` per field, within ``budget``."""
        folded = [alt for alts in _positions(self.exact, text) for alt in alts]
        if not folded:
            return None
        stem = folded[0]
        lookups = [("title_exact", stem), ("body_exact", stem)]
        if not exact:
            key = spelling_key(stem)
            lookups += [("title_key", key), ("body_key", key)]
        terms = []
        for i, (name, prefix) in enumerate(lookups):
            cap = min(MAX_PREFIX_EXPANSION, budget.left // (len(lookups) - i))
            expanded = []
            if cap > 0:
                for term in reader.expand_prefix(name, prefix):
                    expanded.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                    if len(expanded) >= cap:
                        break
            budget.take(len(expanded))
            if highlight is not None:
                (highlight.key if name.endswith("_key") else highlight.exact).update(expanded)
            terms += [wq.Term(name, t, boost=self.weights[name]) for t in expanded]
        return wq.Or(terms) if terms else wq.NullQuery
