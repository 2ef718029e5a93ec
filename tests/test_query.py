import pytest

from search.errors import QuerySyntaxError
from search.query import Clause, parse_query


def test_words_phrases_exclusions_or_prefix():
    parsed = parse_query('Astana "oil price" -gas bank* OR finance')
    assert parsed.groups == (
        (Clause("Astana"),),
        (Clause("oil price", phrase=True),),
        (Clause("bank", prefix=True), Clause("finance")),
    )
    assert parsed.excluded == (Clause("gas", negated=True),)


def test_unbalanced_quotes_rejected():
    with pytest.raises(QuerySyntaxError, match="unbalanced"):
        parse_query('"Astana')


def test_too_many_terms_rejected():
    with pytest.raises(QuerySyntaxError, match="too many"):
        parse_query(" ".join(f"w{i}" for i in range(40)), max_terms=32)


def test_syntax_characters_are_plain_text():
    parsed = parse_query("title:Astana *bank ~fuzzy^3")
    assert [c.text for g in parsed.groups for c in g] == ["title", "Astana", "bank", "~fuzzy^3"]
    assert not any(c.prefix for g in parsed.groups for c in g)  # no leading wildcard


def test_colon_is_a_word_separator():
    parsed = parse_query('title:bank "Nur:Sultan" -body:gas')
    assert [c.text for g in parsed.groups for c in g] == ["title", "bank", "Nur Sultan"]
    assert parsed.excluded == (Clause("body", negated=True), Clause("gas", negated=True))  # the token's sign for each word
    assert parse_query("title:bank*").groups == ((Clause("title"),), (Clause("bank", prefix=True),))


def test_repeated_words_and_alternatives_are_deduplicated():
    parsed = parse_query(" ".join(["Kazakhstan"] * 32) + " kazakhstan xx* " + " ".join(["xx*"] * 31))
    assert parsed.groups == ((Clause("Kazakhstan"),), (Clause("xx", prefix=True),))
    parsed = parse_query("a1 OR a1 OR b2 a1 OR b2 -c3 -c3")
    assert parsed.groups == ((Clause("a1"), Clause("b2")),) and parsed.excluded == (Clause("c3", negated=True),)
    # a repeated word still counts once, so 40 copies are not "too many"
    assert len(parse_query(" ".join(["Astana"] * 40), max_terms=32).groups) == 1


def test_expansions_share_one_budget(fixture_index, monkeypatch):
    import search.query
    from search.index_provider import IndexProvider
    from search.query import MAX_EXPANSIONS, QueryCompiler

    reader = IndexProvider(fixture_index).snapshot().searcher.reader()
    compiler = QueryCompiler()

    def leaves(q, budget):
        monkeypatch.setattr(search.query, "MAX_EXPANSIONS", budget)
        return sum(1 for _ in compiler.compile(parse_query(q), reader).strict.leaves())

    words = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Russia", "China", "Astana"]
    prefixes = ["ka*", "ba*", "ta*", "sa*", "ma*", "al*", "as*", "bi*", "to*", "qa*", "ко*", "ба*", "та*", "пр*", "по*"]
    everything = " ".join(words + prefixes)
    unexpanded = leaves(everything, 0)  # the words as typed: no prefix terms, other names or key variants
    unlimited = leaves(everything, 10**6)
    assert unexpanded < leaves(everything, MAX_EXPANSIONS) <= unexpanded + MAX_EXPANSIONS < unlimited
    # a lone name or prefix keeps its whole expansion
    for q in ("Kazakhstan", "to*", "Sri Lanka"):
        assert leaves(q, MAX_EXPANSIONS) == leaves(q, 10**6) > leaves(q, 0), q
