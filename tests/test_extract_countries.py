"""Countries from metadata and text, with the real gazetteer, demonym table and analysis.

The texts are written for these tests."""

import pytest

from indexer.extract.countries import SHORT_BODY, Country, extract_countries, load_demonyms, resolve_country
from indexer.extract.entities import extract_entities

KG = Country("KG", "Kyrgyzstan")
KZ = Country("KZ", "Kazakhstan")
UZ = Country("UZ", "Uzbekistan")
TJ = Country("TJ", "Tajikistan")

LONG_FILLER = (
    " Участники обсудили тарифы, графики поставок и сроки ремонта насосных станций." * 40
)  # a long body (over SHORT_BODY)


def countries(title, body, lang, explicit=None):
    return extract_countries(title, body, lang, extract_entities(title, body, lang, long_tail=False), explicit)


def test_a_capital_alone_makes_its_country():
    assert countries("", "В Бишкеке открылся новый мост через реку.", "ru") == [KG]
    assert countries("", "Бішкекте жаңа көпір ашылды." + LONG_FILLER, "kk") == [KG]  # once is enough, however long


def test_region_city_and_leader_count_once():
    assert countries("", "Qarağandy oblysynda jaña mektep aşyldy.", "kk") == [KZ]
    assert countries("", "Мирзиёев подписал указ." + LONG_FILLER, "ru") == [UZ]


def test_demonyms_in_each_language():
    assert countries("", "Казахстанские фермеры собрали урожай.", "ru") == [KZ]
    assert countries("", "Қырғыз шопандары жайлауға көшті.", "kk") == [KG]
    assert countries("", "Uzbek cotton exports rose.", "en") == [UZ]
    assert countries("", "Таджикские строители вернулись домой.", "ru") == [TJ]


def test_a_passing_mention_in_a_long_body_is_not_enough():
    body = "Совещание прошло спокойно." + LONG_FILLER + " Похожий опыт есть и у Таджикистана."
    assert len(body) > SHORT_BODY
    assert countries("", body, "ru") == []
    assert countries("Опыт Таджикистана", body, "ru") == [TJ]  # once in the title is enough
    twice = body + " Таджикистан уже внедрил эту схему."
    assert countries("", twice, "ru") == [TJ]
    assert countries("", "Похожий опыт есть и у Таджикистана.", "ru") == [TJ]  # a brief: once is enough


def test_a_country_name_and_its_demonym_in_one_phrase_count_once():
    body = "Совещание прошло спокойно." + LONG_FILLER + " Делегация Кыргызской Республики выступила последней."
    assert countries("", body, "ru") == []


def test_multi_valued_and_title_first():
    title = "Uzbekistan and Kyrgyzstan sign a border deal"
    body = "The presidents met in Tashkent. Kazakh observers attended, and Kazakhstan welcomed the deal."
    assert countries(title, body, "en") == [UZ, KG, KZ]


def test_explicit_metadata_wins():
    body = "В Бишкеке открылся новый мост через реку."
    assert countries("", body, "ru", explicit=["KZ"]) == [KZ]
    assert countries("", body, "ru", explicit=["Казахстан", "uz", "Tajikistan"]) == [KZ, UZ, TJ]
    assert countries("", body, "ru", explicit=["Qazaqstan", "Қазақстан", "kz"]) == [KZ]  # one country, three spellings
    assert countries("", body, "ru", explicit=["not a country"]) == [KG]  # nothing recognised: the text decides


def test_resolve_country_accepts_codes_and_names_in_any_script():
    assert resolve_country("kg") == KG
    assert resolve_country("Киргизии") == KG
    assert resolve_country("Qyrğyzstan") == KG
    assert resolve_country("Mozambique") == Country("MZ", "Mozambique")  # not in the gazetteer: ICU's names
    assert resolve_country("Astana") is None  # a capital is not a country name
    assert resolve_country("XX") is None


def test_look_alikes_do_not_make_countries():
    assert countries("", "Тарас Петренко вернулся домой.", "ru") == []


def test_demonym_table_is_well_formed():
    entries = load_demonyms()
    codes = [e.country for e in entries]
    assert codes == ["KZ", "KG", "UZ", "TJ", "TM"]
    forms = [f.casefold() for e in entries for f in e.forms]
    assert len(forms) == len(set(forms))


@pytest.mark.parametrize("lang", ["ru", None])
def test_entities_are_computed_when_not_given(lang):
    assert extract_countries("", "В Бишкеке открылся новый мост через реку.", lang) == [KG]
