import pytest

from indexer.analysis.kazakh import stem_kazakh


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (["мұғалім", "мұғалімдер", "мұғалімнің", "мұғаліммен", "мұғалімдердің"], "мұғалім"),
        (["пойыз", "пойызбен"], "пойыз"),
        (["poiyz", "poiyzynda", "poiyzdan"], "poiyz"),
        (["тасқын", "тасқынға", "тасқыны"], "тасқын"),
        (["tasqyn", "tasqynnan"], "tasqyn"),
        (["баспана", "баспанамен", "баспанасы"], "баспана"),
        (["банк", "банктері", "банктердің", "банкке"], "банк"),
        (["көмір", "көмірдің"], "көмір"),
        (["каспий", "каспийдің"], "каспий"),
        (["біртанов", "біртановқа"], "біртанов"),
        (["mūğalım", "mūğalımmen"], "mūğalım"),
        (["қазақстан", "қазақстанның", "қазақстанда"], "қазақстан"),
        (["тәжікстан", "тәжікстаннан"], "тәжікстан"),
        (["qazaqstan", "qazaqstannyñ"], "qazaqstan"),
    ],
)
def test_inflected_forms_share_a_stem(forms, stem):
    assert {stem_kazakh(f) for f in forms} == {stem}


def test_derivation_is_not_inflection():
    assert stem_kazakh("баспанасыз") != stem_kazakh("баспана")


def test_consonant_alternation_restored():
    assert stem_kazakh("кітабы") == "кітап"


def test_short_words_untouched():
    assert stem_kazakh("ел") == "ел"
    assert stem_kazakh("тараз") == "тараз"
