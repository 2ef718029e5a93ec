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
    assert [c.text for g in parsed.groups for c in g] == ["title:Astana", "bank", "~fuzzy^3"]
    assert not any(c.prefix for g in parsed.groups for c in g)  # no leading wildcard
