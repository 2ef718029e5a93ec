"""User query text → Whoosh query, through the indexer's own analysis chains.

The public search box speaks a small language: words (all must match), ``"phrases"``,
``-exclusion``, ``OR`` between words or phrases, ``prefix*``. Everything else is plain text:
no field syntax, no regex, no leading wildcard. Each word is looked up in three ways, summed:
its stem (title/body), its exact folded spelling (``*_exact``, weighted highest so exact
spellings outrank) and its cross-script key (``*_key``, weighted lowest; off with ``exact``).
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
MAX_PREFIX_EXPANSION = 64
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


def parse_query(text: str, max_terms: int = 32) -> ParsedQuery:
    """Split user text into clauses.

    >>> parse_query('Astana "oil price" -gas bank*').groups[1]
    (Clause(text='oil price', phrase=True, negated=False, prefix=False),)
    """
    if text.count('"') % 2:
        raise QuerySyntaxError('unbalanced quotes in "q": close the phrase with a second "')
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    count = 0
    for match in _LEXER.finditer(text):
        negated_phrase, phrase, word = match.groups()
        if word == "OR" and groups:
            join_next = True
            continue
        if phrase is not None:
            clause = Clause(phrase.strip(), phrase=True, negated=bool(negated_phrase))
        else:
            negated = word.startswith("-") and len(word) > 1
            body = word[1:] if negated else word
            prefix = body.endswith("*")
            body = body.strip("*")
            if len(body) < MIN_PREFIX_CHARS:
                prefix = False
            clause = Clause(body, negated=negated, prefix=prefix)
        if not clause.text:
            continue
        count += 1
        if count > max_terms:
            raise QuerySyntaxError(f'too many words in "q" (limit {max_terms})')
        if clause.negated:
            excluded.append(clause)
            join_next = False
        elif join_next and groups:
            groups[-1].append(clause)
            join_next = False
        else:
            groups.append([clause])
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


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
        highlight = HighlightTerms()
        groups = []
        for group in parsed.groups:
            alternatives = [q for q in (self._with_aliases(c, reader, exact, highlight) for c in group) if q is not None]
            if alternatives:
                groups.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
        if not groups:
            raise QuerySyntaxError('"q" has no searchable word (only punctuation or excluded words)')
        excluded = [q for q in (self._clause(c, reader, exact, None) for c in parsed.excluded) if q is not None]
        strict: wq.Query = groups[0] if len(groups) == 1 else wq.And(groups)
        relaxed: wq.Query | None = wq.Or(groups) if len(groups) > 1 else None
        whole_name = self._whole_query_alias(parsed, reader, exact, highlight)
        if whole_name is not None:  # "Sri Lanka", "Ho Chi Minh City" typed without quotes
            strict = wq.Or([strict, whole_name])
        proximity = self._proximity(parsed)
        if proximity is not None:  # words close together rank higher; they need not be
            strict = wq.AndMaybe(strict, proximity)
        if excluded:
            negative = wq.Or(excluded)
            strict = wq.AndNot(strict, negative)
            relaxed = wq.AndNot(relaxed, negative) if relaxed is not None else None
        return CompiledQuery(strict, relaxed, highlight)

    def _alias_queries(self, text: str, reader: IndexReader, exact: bool, highlight: HighlightTerms | None) -> list[wq.Query]:
        """Phrase queries for the other names of what ``text`` names (none with ``exact``)."""
        if exact:
            return []
        queries = []
        for form in self.aliases.expansions(text)[:MAX_ALIAS_FORMS]:
            # Mark other names in snippets only when they are one or two words (Mumbai, Nur-Sultan),
            # not the words of long official names ("Republic of ...").
            marks = HighlightTerms() if highlight is not None and len(form.split()) <= 2 else None
            sub = self._clause(Clause(form, phrase=True), reader, exact, marks, fields=ALIAS_FIELDS, key_variants=False)
            if marks is not None:
                highlight.exact |= marks.exact
                highlight.stem |= marks.stem
            if sub is not None:
                sub.boost = ALIAS_BOOST
                queries.append(sub)
        return queries

    def _with_aliases(
        self, clause: Clause, reader: IndexReader, exact: bool, highlight: HighlightTerms | None
    ) -> wq.Query | None:
        own = self._clause(clause, reader, exact, highlight)
        if own is None or clause.prefix:
            return own
        others = self._alias_queries(clause.text, reader, exact, highlight)
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

    def _whole_query_alias(
        self, parsed: ParsedQuery, reader: IndexReader, exact: bool, highlight: HighlightTerms | None
    ) -> wq.Query | None:
        words = [g[0] for g in parsed.groups]
        if len(words) < 2 or any(len(g) > 1 or g[0].phrase or g[0].prefix for g in parsed.groups):
            return None
        others = self._alias_queries(" ".join(c.text for c in words), reader, exact, highlight)
        return wq.Or(others) if others else None

    def _clause(
        self,
        clause: Clause,
        reader: IndexReader,
        exact: bool,
        highlight: HighlightTerms | None,
        fields: tuple[str, ...] = ALL_FIELDS,
        key_variants: bool = True,
    ) -> wq.Query | None:
        if clause.prefix:
            return self._prefix(clause.text, reader, exact, highlight)
        analysed = {
            "stem": _positions(self.stem, clause.text),
            "exact": _positions(self.exact, clause.text),
            "key": [] if exact else _positions(self.key, clause.text),
        }
        if not analysed["exact"]:
            return None
        if highlight is not None:
            for kind, positions in analysed.items():
                getattr(highlight, kind).update(alt for alts in positions for alt in alts)
        by_field = {
            "title": analysed["stem"],
            "lead": analysed["stem"],
            "body": analysed["stem"],
            "title_exact": analysed["exact"],
            "body_exact": analysed["exact"],
            "title_key": analysed["key"] if key_variants else [alts[:1] for alts in analysed["key"]],
            "body_key": analysed["key"] if key_variants else [alts[:1] for alts in analysed["key"]],
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

    def _prefix(self, text: str, reader: IndexReader, exact: bool, highlight: HighlightTerms | None) -> wq.Query | None:
        folded = [alt for alts in _positions(self.exact, text) for alt in alts]
        if not folded:
            return None
        stem = folded[0]
        lookups = [("title_exact", stem), ("body_exact", stem)]
        if not exact:
            key = spelling_key(stem)
            lookups += [("title_key", key), ("body_key", key)]
        terms = []
        for name, prefix in lookups:
            expanded = []
            for term in reader.expand_prefix(name, prefix):
                expanded.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(expanded) >= MAX_PREFIX_EXPANSION:
                    break
            if highlight is not None:
                (highlight.key if name.endswith("_key") else highlight.exact).update(expanded)
            terms += [wq.Term(name, t, boost=self.weights[name]) for t in expanded]
        return wq.Or(terms) if terms else wq.NullQuery
