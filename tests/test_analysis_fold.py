from indexer.analysis.fold import (
    canonical_kazakh_latin,
    fold_case,
    kazakh_2017_to_2021,
    normalize_word,
    repair_homoglyphs,
)


def test_fold_case_nfkc_and_invisibles():
    assert fold_case("ＴＯＫＡＥＶ\u200b") == "tokaev"
    assert fold_case("Астана\u2060") == "астана"


def test_homoglyphs_repaired_to_dominant_script():
    assert repair_homoglyphs("бiз") == "біз"  # Latin i inside a Cyrillic word
    assert repair_homoglyphs("kаzakhstan") == "kazakhstan"  # Cyrillic а inside a Latin word
    assert repair_homoglyphs("astana") == "astana"


def test_real_mixed_words_left_alone():
    assert repair_homoglyphs("жdfg") == "жdfg"  # ж has no Latin look-alike: no silent rewrite


def test_kazakh_latin_alphabets_meet():
    assert canonical_kazakh_latin("qazaqstannyń") == "qazaqstannyñ"
    assert canonical_kazakh_latin("josé") == "josé"
    assert kazakh_2017_to_2021("s'ymkent") == "şymkent"
    assert normalize_word("Qazaqstannyń") == "qazaqstannyñ"
