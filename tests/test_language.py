"""Language detection on short sentences written for these tests."""

import time

import pytest

from indexer.extract.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Президент Казахстана провёл совещание", ("ru", "Cyrl")),
        ("Мемлекет басшысы Қасым-Жомарт Тоқаев", ("kk", "Cyrl")),
        ("Біз бүгін келдік", ("kk", "Cyrl")),
        ("Заттарды ( і ) Шымкенттен алдырамыз .", ("kk", "Cyrl")),  # a list marker і is not Belarusian
        ("Президент Садыр Жапаров өлкөнүн түштүгүнө барды", ("ky", "Cyrl")),
        ("Prezident Qasym-Jomart Toqaev Qarağandy oblysyna bardy", ("kk", "Latn")),
        ("President Tokayev visited Karaganda", ("en", "Latn")),
        ("2025 — 12 345", ("other", "")),
    ],
)
def test_languages(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Prezident Toqaev jaña zañğa qol qoidy.",  # 2021 alphabet
        "Qazaqstan Respýblıkasynyń Prezıdenti jańa zańǵa qol qoıdy.",  # 2018 acutes
        "Memleket bass'ysy Toqaev ja'ne U'kimet mu'seleri kezdesti.",  # 2017 apostrophes
        "Qazaqstannyn' Prezidenti ja'ne Parlament depy'tattary kezdesti.",
        "Qazaqstan Prezidenti Qaragandyga zhumys saparymen bardy.",  # plain ASCII, informal
        "Elimizde zhane shetelde bul maselege qatysty pikir kop.",
    ],
)
def test_every_kazakh_latin_alphabet_is_kazakh(text):
    assert detect_language(text) == ("kk", "Latn")


@pytest.mark.parametrize(
    "text",
    [
        "Kazakhstan's president met O'Brien in Astana and didn't comment.",  # apostrophes of English
        "Peña Nieto and Müller met the Kazakh delegation in Astana.",  # ñ ü of names
        "Qatar and Iraq signed a gas deal",  # q without u
        "QED EXPLORATION 2ND QTR NET Shr six cts",  # a Reuters table line
        "SOYMEAL PELLETS (eta midApl R'dam) 209, standard ardour (eta apl 24 R'dam) 196",
    ],
)
def test_english_with_names_and_abbreviations_stays_english(text):
    assert detect_language(text) == ("en", "Latn")


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Le président a rencontré les ministres dans la capitale pour discuter du budget.", "Latn"),
        ("Le gouvernement et les deputes ont adopte la loi sur les retraites.", "Latn"),  # French, no accents
        ("Oʻzbekiston Prezidenti Shavkat Mirziyoyev Toshkentda xorijiy investorlar bilan uchrashdi.", "Latn"),
        ("O'zbekiston va Qozog'iston o'rtasidagi savdo hajmi o'tgan yili o'sdi.", "Latn"),  # Uzbek, ASCII '
        ("Der Präsident hat die Pläne für die Zusammenarbeit mit Kasachstan vorgestellt.", "Latn"),  # ä
        ("Die Regierung und das Parlament sind sich nicht einig.", "Latn"),
        ("Cumhurbaşkanı bugün Kazakistan ile yeni bir anlaşma imzaladı ve açıklama yaptı.", "Latn"),  # ş ı
        ("El presidente se reunió con los ministros para hablar de la economía.", "Latn"),
        ("Прэзідэнт Беларусі правёў нараду з урадам у Мінску.", "Cyrl"),  # Belarusian і ў
        ("Урад зацвердзіў план, і гэта важна для краіны.", "Cyrl"),
        ("Президент України провів нараду з урядом у Києві.", "Cyrl"),  # Ukrainian і ї
        ("Уряд затвердив план, що його підтримали депутати.", "Cyrl"),  # Ukrainian by its words only
        ("Президенти Тоҷикистон дар шаҳри Душанбе бо вазирон мулоқот кард.", "Cyrl"),  # Tajik
        ("Ўзбекистон Президенти Тошкентда хорижий инвесторлар билан учрашди.", "Cyrl"),  # Uzbek Cyrillic
        ("Президентът на България каза, че това е важно за страната.", "Cyrl"),  # Bulgarian
        ("Монгол Улсын Ерөнхийлөгч энэ асуудлыг хэлэлцэж байна.", "Cyrl"),  # Mongolian ө ү
    ],
)
def test_other_languages_are_other(text, script):
    assert detect_language(text) == ("other", script)


def test_links_do_not_make_russian_english():
    text = "Смотрите новые фильмы: https://rutube.ru/video/85a22589f54c2c67e60229d87df/ и https://example.org/x/y/z"
    assert detect_language(text) == ("ru", "Cyrl")


def test_fast_on_long_pages():
    page = "Президент Казахстана провёл совещание с членами правительства. " * 400  # 25 000 characters
    start = time.perf_counter()
    for _ in range(200):
        detect_language(page)
    assert (time.perf_counter() - start) / 200 < 0.002  # well under 2 ms, however loaded the machine
