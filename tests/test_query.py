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


def test_repeated_words_are_counted_but_do_not_change_equality():
    parsed = parse_query("oil gas oil OIL -coal")
    assert parsed.counts == (3, 1) and parsed.count(0) == 3 and parsed.count(5) == 1
    assert parse_query("oil oil gas") == parse_query("oil gas")


def test_questions_and_names():
    from search.query import QueryCompiler

    compiler = QueryCompiler()
    questions = [
        "what similarity laws must be obeyed when constructing aeroelastic models",
        "Абай қай жылы туған",  # a function word (қай) and three others
        "oil prices opec output cut",  # five plain words
        "Что сказал Токаев о строительстве станции",
    ]
    not_questions = [
        "Bosnia and Herzegovina",  # every other word capitalised: a name
        "Ho Chi Minh City",  # four words, no function word (and a gazetteer name)
        "Tokayev Putin",
        "the who",  # nothing but function words
        '"oil prices" opec output cut agreement',  # syntax: the search box's own rules
        "oil prices opec output cut*",
        "oil OR gas prices opec output",
    ]
    for q in questions:
        assert compiler.is_question(parse_query(q)), q
    for q in not_questions:
        assert not compiler.is_question(parse_query(q)), q
    assert not QueryCompiler(question_words=0).is_question(parse_query(questions[0]))


def test_a_question_is_searched_without_its_function_words(fixture_index):
    from search.index_provider import IndexProvider
    from search.query import QueryCompiler, QuestionQuery

    reader = IndexProvider(fixture_index).snapshot().searcher.reader()
    compiled = QueryCompiler().compile(parse_query("what is the price of wheat in the steppe -gas"), reader)
    assert isinstance(compiled.question, QuestionQuery) and compiled.relaxed is None
    assert [w.text for w in compiled.question.words] == ["price", "wheat", "steppe"]
    assert "the" not in compiled.highlight.exact and "wheat" in compiled.highlight.exact
    assert "gas" in repr(compiled.strict)  # exclusions still exclude


def test_function_words_are_optional_in_short_queries(fixture_index):
    from search.index_provider import IndexProvider
    from search.query import QueryCompiler

    reader = IndexProvider(fixture_index).snapshot().searcher.reader()
    compiler = QueryCompiler()
    with_and = compiler.compile(parse_query("Tokayev and Putin"), reader)
    assert with_and.question is None  # capitalised: a name-like query keeps the search box's rules
    assert not any(t == "and" for _, t in with_and.strict.iter_all_terms())
    assert any(t == "and" for _, t in compiler.compile(parse_query("the and"), reader).strict.iter_all_terms())
