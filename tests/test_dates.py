import datetime as dt

import pytest

from indexer.extract.dates import ImplausibleDate, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "29 March 2025",
        "29 марта 2025",
        "2025 жылғы 29 наурыз",
        "29 наурыз 2025",
        "2025-03-29T10:00:00+05:00",
        "Sat, 29 Mar 2025 10:00:00 +0000",
    ],
)
def test_date_forms(text):
    assert parse_date(text) == dt.date(2025, 3, 29)


def test_timezone_normalised_to_utc_date():
    assert parse_date("2025-03-30T02:00:00+06:00") == dt.date(2025, 3, 29)


@pytest.mark.parametrize("text", ["Viewing results 1 - 6 of 1", "Kazakh Activists Slam PACE", "", "12345678901234567890"])
def test_non_dates(text):
    assert parse_date(text) is None


def test_future_date_rejected():
    with pytest.raises(ImplausibleDate):
        parse_date("1 January 2099")


def test_date_in_text_fallback():
    from indexer.extract.dates import date_in_text

    assert date_in_text("ASTANA, 12 March 2024 – The Mazhilis approved the bill.") == dt.date(2024, 3, 12)
    assert date_in_text("АСТАНА, 12 марта 2024 года. Мажилис одобрил законопроект.") == dt.date(2024, 3, 12)
    assert date_in_text("The company earned 2024 million tenge last year.") is None
    assert date_in_text("No year at all in this text.") is None
