"""User query text → Whoosh query, through the indexer's own analysis chains.

The public search box speaks a small language: words (all must match), ``"phrases"``,
``-exclusion``, ``OR`` between words or phrases, ``prefix*``. Everything else is plain text:
no field syntax (a colon separates words: ``title:bank`` is ``title bank``), no regex, no
leading wildcard. Repeated words and alternatives count once. Each word is looked up in three
ways, summed: its stem (title/body), its exact folded spelling (``*_exact``, weighted highest so
exact spellings outrank) and its cross-script key (``*_key``, weighted lowest; off with ``exact``).

What a query may add beyond the words as typed (prefix expansions, other names of a referent,
extra cross-script key variants) draws on one budget of ``MAX_EXPANSIONS`` terms per query,
shared fairly by its words, so 32 prefixes or 32 country names cost about what one does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.reading import IndexReader

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
    seen: set[frozenset[tuple[str, bool, bool]]] = set()
    for group in groups:
        alternatives = _unique(group)
        key = frozenset(_clause_key(c) for c in alternatives)
        if key not in seen:
            seen.add(key)
            unique_groups.append(tuple(alternatives))
    unique_excluded = tuple(_unique(excluded))
    if sum(len(g) for g in unique_groups) + len(unique_excluded) > max_terms:
        raise QuerySyntaxError(f'too many words in "q" (limit {max_terms})')
    return ParsedQuery(tuple(unique_groups), unique_excluded)


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


@dataclass(frozen=True)
class CompiledQuery:
    """The strict query, its relaxed any-word fallback, and what to highlight."""

    strict: wq.Query
    relaxed: wq.Query | None
    highlight: HighlightTerms


def _positions(analyzer: Analyzer, text: str) -> list[list[str]]:
    """Alternatives per position: ``"Nur-Sultan"`` → ``[["nur", "nursultan"], ["sultan"]]``."""
    by_pos: dict[int, list[str]] = defaultdict(list)
    for token in analyzer(text, positions=True, mode="query"):
        if token.text not in by_pos[token.pos]:
            by_pos[token.pos].append(token.text)
    return [by_pos[p] for p in sorted(by_pos)]


def _whole_query_words(parsed: ParsedQuery) -> str:
    """The query's words as one name ("Sri Lanka"), when it is two or more plain words; else ``""``."""
    if len(parsed.groups) < 2 or any(len(g) > 1 or g[0].phrase or g[0].prefix for g in parsed.groups):
        return ""
    return " ".join(g[0].text for g in parsed.groups)


class QueryCompiler:
    """Compiles parsed queries for one index reader (prefix expansion needs its lexicon)."""

    def __init__(self, weights: dict[str, float] | None = None, aliases: AliasTable | None = None) -> None:
        self.weights = dict(DEFAULT_WEIGHTS, **(weights or {}))
        self.aliases = aliases if aliases is not None else default_alias_table()
        self.stem = stem_analyzer()
        self.exact = exact_analyzer()
        self.key = key_analyzer()

    def compile(self, parsed: ParsedQuery, reader: IndexReader, exact: bool = False) -> CompiledQuery:
        """Build the Whoosh query; ``exact`` leaves cross-script keys out."""
        self._check_positions(parsed)
        highlight = HighlightTerms()
        budget = Budget(MAX_EXPANSIONS)
        whole_words = _whole_query_words(parsed)
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
        return wq.Or(subqueries)

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
