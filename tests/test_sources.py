import datetime as dt
import gzip
import json

from indexer.enrich import enrich
from indexer.records import Article, SkippedRecord
from indexer.sources import read_sources
from tests.conftest import CORPUS, SEED, shared_or_skip


def articles(*paths):
    return [r for r in read_sources(list(paths)) if isinstance(r, Article)]


def test_seed_page_from_shared():
    shared_or_skip()
    (article,) = articles(SEED)
    assert article.id == "000_ffbdb433fe674d96"
    assert article.title == "Kazakh Activists Slam PACE Member’s Allegations"
    assert article.date == dt.date(2025, 3, 29)
    assert article.lang == "en"
    for boilerplate in ("KZT/USD", "KGS/USD", "Viewing results", "[caption", "[/caption]", "29 March 2025"):
        assert boilerplate not in article.body
    assert "National Endowment for Prosperity is an" in article.body  # caption text kept
    assert article.body.startswith("Kazakh civil activists")
    enrich(article)
    names = {name for _id, name, _type in article.entities}
    assert {"Mukhtar Ablyazov", "PACE", "BTA Bank"} <= names
    by_name = {name: (entity_id, facet) for entity_id, name, facet in article.entities}
    assert by_name["PACE"] == ("intl-pace", "org")  # Parliamentary Assembly of the Council of Europe
    assert by_name["BTA Bank"] == ("kz-bta-bank", "org")
    assert by_name["Mukhtar Ablyazov"] == ("kz-ablyazov", "person")
    assert ("KZ", "Kazakhstan") in article.countries


def test_raw_page_in_russian():
    (article,) = articles(CORPUS / "701_a1b2c3d4e5f60718.txt")
    assert article.title.startswith("Паводок в Актобе")
    assert article.date == dt.date(2024, 4, 14)
    assert article.lang == "ru"
    assert "USD" not in article.body and "Viewing" not in article.body
    assert "Спасатели на лодках" in article.body


def test_jsonl_records():
    records = articles(CORPUS / "articles.jsonl")
    by_id = {a.id: a for a in records}
    assert len(by_id) == len(records) >= 9
    latin = by_id["fx-kklat-toqaev"]
    assert latin.lang == "kk" and latin.script == "Latn" and latin.date == dt.date(2023, 5, 20)
    assert by_id["fx-en-tokayev"].date == dt.date(2024, 9, 2)  # 10:00 +05:00 is still the 2nd in UTC


def test_html_page_main_text_title_date_url():
    (article,) = articles(CORPUS / "rogun-dam.html")
    assert article.title == "Rogun dam reaches new milestone"
    assert article.url == "https://fixture.example/en/rogun-dam"
    assert article.date == dt.date(2023, 11, 2)
    assert "Vakhsh" in article.body
    assert "Subscribe" not in article.body and "Share on" not in article.body and "Home" not in article.body


def test_bad_records_are_skipped_with_reasons(tmp_path):
    lines = [
        b'{"id": "ok-1", "title": "Fine", "body": "Astana news"}',
        b"{not json",
        b'["a", "list"]',
        b'{"id": "bad-type", "title": 5, "body": "x"}',
        b'{"id": "empty", "title": "", "body": "   "}',
        b'{"id": "future", "title": "Future", "body": "text", "date": "2099-01-01"}',
        '{"id": "latin1", "title": "caf\xe9"}'.encode("latin-1"),
        json.dumps({"id": "huge", "title": "Huge", "body": "x " * 1_200_000}).encode(),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines))
    records = list(read_sources([path]))
    reasons = sorted(r.reason for r in records if isinstance(r, SkippedRecord))
    assert reasons == ["invalid_json", "no_text", "too_large", "undecodable", "wrong_type", "wrong_type"]
    ok = {r.id: r for r in records if isinstance(r, Article)}
    assert set(ok) == {"ok-1", "future"}
    assert ok["future"].date is None and any("2099" in w for w in ok["future"].extra["warnings"])
    skipped = {r.record_id for r in records if isinstance(r, SkippedRecord)}
    assert {"empty", "huge"} <= skipped  # ids kept, so an update with --prune keeps their indexed copies


def test_title_only_and_non_web_urls_are_sanitised_and_reported(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(
        json.dumps({"id": "t-only", "title": "Only a headline about Astana"})
        + "\n"
        + json.dumps({"id": "js", "title": "Link", "body": "Body text", "url": "javascript:alert(1)"})
        + "\n",
        encoding="utf-8",
    )
    ok = {r.id: r for r in read_sources([path]) if isinstance(r, Article)}
    assert ok["t-only"].body == "" and ok["t-only"].extra["warnings"] == ["no_body: indexed on its title alone"]
    assert ok["js"].url == "" and ok["js"].extra["warnings"][0].startswith("url_dropped:")


def test_gzip_and_directories_and_ids(tmp_path):
    (tmp_path / "sub").mkdir()
    record = {"url": "https://x.example/a", "title": "T", "body": "Bishkek"}
    with gzip.open(tmp_path / "sub" / "feed.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n" + json.dumps({"title": "No id, no url", "body": "Dushanbe"}) + "\n")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    found = articles(tmp_path)
    assert [a.body for a in found] == ["Bishkek", "Dushanbe"]
    assert found[0].id.startswith("url-")  # derived from the canonical URL
    assert found[1].id == "feed-2"  # derived from the file path and line
