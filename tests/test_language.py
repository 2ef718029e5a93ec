import pytest

from indexer.extract.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Президент Казахстана провёл совещание", ("ru", "Cyrl")),
        ("Мемлекет басшысы Қасым-Жомарт Тоқаев", ("kk", "Cyrl")),
        ("Президент Садыр Жапаров өлкөнүн түштүгүнө барды", ("ky", "Cyrl")),
        ("Prezident Qasym-Jomart Toqaev Qarağandy oblysyna bardy", ("kk", "Latn")),
        ("President Tokayev visited Karaganda", ("en", "Latn")),
        ("2025 — 12 345", ("other", "")),
    ],
)
def test_languages(text, expected):
    assert detect_language(text) == expected
