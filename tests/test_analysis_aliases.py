from pathlib import Path

import pytest

from indexer.analysis.aliases import GAZETTEER, AliasTable, Entry, form_keys, load_entries


@pytest.fixture(scope="module")
def table():
    return AliasTable(load_entries())


def test_gazetteer_is_well_formed():
    entries = load_entries(GAZETTEER)
    assert len(entries) >= 150
    assert len({e.id for e in entries}) == len(entries)
    assert {e.country for e in entries} >= {"KZ", "KG", "UZ", "TJ", "TM"}
    assert {"country", "capital", "region", "city", "person", "parliament", "company"} <= {e.type for e in entries}
    for entry in entries:
        assert entry.name and entry.forms, entry.id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nur-Sultan", "Astana"),
        ("Нұр-Сұлтан", "Astana"),
        ("Tselinograd", "Astana"),
        ("Alma-Ata", "Almaty"),
        ("Киргизия", "Kyrgyzstan"),
        ("Kirghizia", "Kyrgyzstan"),
        ("Қазақстан", "Kazakhstan"),
        ("Караганда", "Karaganda"),
    ],
)
def test_renames_and_exonyms_lead_to_one_entry(table, query, expected):
    assert expected in {e.name for e in table.lookup(query)}


def test_inflected_and_other_script_queries_find_the_entry(table):
    assert "Astana" in {e.name for e in table.lookup("Астанада")}
    assert "Astana" in {e.name for e in table.lookup("Нұр-Сұлтанда")}


def test_expansions_are_the_other_names(table):
    others = table.expansions("Nur-Sultan")
    assert "Astana" in others and "Астана" in others
    assert not any(form_keys(f) & form_keys("Nur-Sultan") for f in others)


def test_look_alikes_are_separate_entries(table):
    assert not {e.id for e in table.lookup("Niger")} & {e.id for e in table.lookup("Nigeria")}
    assert not {e.id for e in table.lookup("Oman")} & {e.id for e in table.lookup("Amman")}
    assert table.lookup("Тарас") == []


def test_bad_gazetteer_rejected(tmp_path: Path):
    bad = tmp_path / "g.tsv"
    bad.write_text("id\ttype\tcountry\tname\tforms\nx\tcity\tKZ\tX\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        load_entries(bad)


def test_table_from_entries():
    table = AliasTable([Entry("t", "city", "KZ", "Oskemen", ("Oskemen", "Ust-Kamenogorsk", "Өскемен"))])
    assert set(table.expansions("Усть-Каменогорск")) == {"Oskemen", "Өскемен"} - set()  # Ust- spellings meet by key
