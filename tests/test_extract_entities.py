"""Entities from article text with the real gazetteer and the real analysis chain (no mocks).

The texts are written for these tests."""

import pytest

from indexer.extract.entities import EntityMention, extract_entities


def ids(title, body, lang, **kwargs):
    return [m.id for m in extract_entities(title, body, lang, **kwargs)]


def gazetteer_ids(title, body, lang):
    return [m.id for m in extract_entities(title, body, lang, long_tail=False)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Президент Тоқаев бүгін Түркістанға барды.", "kk"),
        ("Депутаты встретились с Токаевым в Акорде.", "ru"),
        ("Письмо направили Токаеву ещё в марте.", "ru"),
        ("Президент Токаева поддержал его инициативу.", "ru"),  # genitive: "President Tokayev's"
        ("President Tokayev signed the water code on Monday.", "en"),
        ("Prezident Toqaev jaña zañğa qol qoidy.", "kk"),
        ("Мемлекет басшысы Тоқаевтың жарлығы жарияланды.", "kk"),
    ],
)
def test_every_script_and_inflection_is_one_person(text, lang):
    (tokayev,) = [m for m in extract_entities("", text, lang, long_tail=False) if m.type == "person"]
    assert tokayev == EntityMention(
        id="kz-tokayev",
        name="Kassym-Jomart Tokayev",
        type="person",
        country="KZ",
        kind="person",
        mentions=1,
        in_title=False,
    )


def test_one_entity_is_counted_once_per_article_in_order_of_first_mention():
    title = "Токаев и Мирзиёев обсудили воду"
    body = (
        "Касым-Жомарт Токаев принял Шавката Мирзиёева в Астане. "
        "Tokayev later told reporters that Astana and Tashkent agree. "
        "Тоқаев сапарды жоғары бағалады."
    )
    found = extract_entities(title, body, None, long_tail=False)
    assert [m.id for m in found] == ["kz-tokayev", "uz-mirziyoyev", "kz-astana", "uz-tashkent"]
    tokayev, mirziyoyev, astana, _ = found
    assert tokayev.mentions == 4 and tokayev.in_title
    assert mirziyoyev.mentions == 2 and mirziyoyev.name == "Shavkat Mirziyoyev"
    assert astana.mentions == 2 and astana.type == "place" and astana.kind == "capital" and not astana.in_title


def test_facet_types_map_gazetteer_types():
    body = "Мажилис, компания КазМунайГаз и озеро Балхаш упомянуты вместе с Бишкеком и Кыргызстаном."
    by_id = {m.id: m for m in extract_entities("", body, "ru", long_tail=False)}
    assert {i: (m.type, m.kind) for i, m in by_id.items()} == {
        "kz-mazhilis": ("org", "parliament"),
        "kz-kazmunaygas": ("org", "company"),
        "kz-lake-balkhash": ("place", "place"),
        "kg-bishkek": ("place", "capital"),
        "kg": ("place", "country"),
    }


def test_kazakh_latin_mention_is_karaganda():
    assert gazetteer_ids("", "Qarağandyda jaña zauyt aşyldy.", "kk") == ["kz-karaganda"]
    assert gazetteer_ids("", "Qarağandy oblysynda egın jinaldy.", "kk") == ["kz-karaganda-region"]
    assert gazetteer_ids("", "Завод открыли в Караганде.", "ru") == ["kz-karaganda"]


def test_the_first_name_taras_is_not_the_city_taraz():
    body = "Тарас Петренко приехал на фестиваль, а Тараса встретили друзья. Taras spoke first."
    assert "kz-taraz" not in ids("", body, "ru")
    assert "kz-taraz" not in gazetteer_ids("", body, "ru")
    assert gazetteer_ids("", "Фестиваль прошёл в Таразе.", "ru") == ["kz-taraz"]


@pytest.mark.parametrize(
    ("body", "lang"),
    [
        ("Елорда — астана, яғни ел орталығы.", "kk"),  # "astana" the common noun "capital"
        ("Ол халық мәжілісі туралы айтты.", "kk"),  # "assembly", not the Mazhilis
        ("Аман болыңыздар, достар!", "kk"),  # "hello", not Amman
        ("The sharing economy grew. Oral arguments began.", "en"),
        ("Michael Jordan and Georgia Brown met at the club.", "en"),
        ("Туристы посетили штат Индиана.", "ru"),  # not India
        ("В храме Фрола и Лавра отслужили молебен.", "ru"),  # the saint, not Lavrov
        ("Жамбыл Жабаев өлеңдері оқылды.", "kk"),  # the poet, not the city
        ("Отдел кадров un-named sources said.", "en"),
    ],
)
def test_ordinary_words_and_look_alikes_are_not_entities(body, lang):
    assert gazetteer_ids("", body, lang) == []


def test_loose_key_neighbours_stay_apart_across_scripts():
    assert gazetteer_ids("", "Kaspi kept growing while the Каспий shrank.", None) == ["kz-kaspi", "caspian-sea"]
    assert gazetteer_ids("", "SCO leaders met; СКО farmers did not.", None) == ["intl-sco", "kz-north-kazakhstan"]
    assert gazetteer_ids("", "Ghana and Гайана", None) == ["gh", "gy"]


def test_acronyms_must_be_in_capitals():
    assert gazetteer_ids("", "The UN and NATO's chiefs met.", "en") == ["intl-un", "intl-nato"]
    assert gazetteer_ids("", "The word un is French.", "en") == []


def test_mentions_inside_urls_do_not_count():
    assert gazetteer_ids("", "Read more: https://example.org/kazakhstan-almaty-news", "en") == []


def test_long_tail_names_russian_people_in_the_nominative():
    body = "Вчера Ивану Сергеевичу Петрову вручили премию. Петрову поздравили коллеги. Компания «Ромашка» промолчала."
    found = {m.id: m for m in extract_entities("", body, "ru")}
    person = found["ner-person-ivan-sergevich-petrov"]  # keyed by the cross-script spelling key
    assert person.name == "Иван Сергеевич Петров" and person.type == "person" and person.source == "ner"
    assert person.mentions == 2  # the surname alone joins the full name
    assert not any(i.startswith("ner-person-petrov") for i in found)
    assert found["ner-org-romashka"].name == "Ромашка" and found["ner-org-romashka"].type == "org"
    assert ids("", body, "ru", long_tail=False) == []


def test_long_tail_does_not_duplicate_gazetteer_entities():
    found = extract_entities("", "Владимир Путин прилетел в Москву.", "ru")
    assert [m.id for m in found] == ["ru-putin", "ru-moscow"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("A declaration of the Parliamentary Assembly of the Council of Europe was signed.", "en"),  # 7 words
        ("PACE adopted a resolution; Kazakh Activists Slam PACE Member’s Allegations", "en"),
        ("Делегация выступила на сессии Парламентской ассамблеи Совета Европы в Страсбурге.", "ru"),
        ("Депутаты ПАСЕ приняли резолюцию.", "ru"),
        ("Сенаторлар ЕКПА сессиясына қатысты.", "kk"),
        ("Еуропа Кеңесі Парламенттік Ассамблеясының сессиясы өтті.", "kk"),
    ],
)
def test_pace_in_every_language(text, lang):
    assert gazetteer_ids("", text, lang) == ["intl-pace"]


@pytest.mark.parametrize(
    "text",
    [
        "The pace of growth slowed.",
        "DEMOCRATS DRAFTING BUDGET AT SNAIL'S PACE",  # a headline in capitals
        "PACE MEMBERSHIP BUYS BACK NOTES",
        "The Jaguar I-PACE ran out of charge.",
    ],
)
def test_pace_the_word_and_the_car_are_not_the_assembly(text):
    assert gazetteer_ids("", text, "en") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Бывший глава БТА Банка Мухтар Аблязов.", "ru"),
        ("Аблязов БТА банкінің басшысы болған.", "kk"),
        ("Акции «БТА-Банк» и Банка ТуранАлем.", "ru"),
        ("Ablyazov, the former chairman of BTA Bank.", "en"),
    ],
)
def test_bta_bank_in_every_language(text, lang):
    found = gazetteer_ids("", text, lang)
    assert "kz-bta-bank" in found
    assert gazetteer_ids("", "The BTA news agency reported.", "en") == []  # bare BTA is not the bank


def test_the_index_keeps_every_form_a_word_can_start():
    """The first-word index (prefixes of full keys) finds every form a word agrees with, checked against all forms."""
    from indexer.extract.entities import _agreement_of, _words, default_gazetteer  # noqa: PLC0415

    gazetteer = default_gazetteer()
    forms = {id(form): form for forms in gazetteer.by_prefix.values() for form in forms}.values()
    text = (
        "Токаева Астане Қарағандыда Qarağandyda Tokaiev Нур-Султане Алма-Ате Египта Египет Москве России "
        "Бишкекте Ташкента Душанбеде Ашхабаде Мирзиёева Путину Казахстанского Кыргызстана Қазақстанның "
        "Kazakhstan’s S'ymkent Şymkentte ПАСЕ ЕКПА БТА Банка Банк банкінің Совета Европы Ассамблеясының "
        "Организации Объединенных Наций Лавра Индиана Аман Sharing Frank Тарас Georgia Каспий Kaspi СКО SCO"
    )
    for lang in ("ru", "kk", "en", None):
        for word in _words(text):
            begun = {id(form) for form, _ in gazetteer._begun(word.spelling, lang, {})}
            for form in forms:
                agrees = _agreement_of(form.words[0], word.spelling, lang, len(form.words), False) is not None
                assert agrees == (id(form) in begun), (text[word.start : word.end], lang, form)
