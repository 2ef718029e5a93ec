"""WARC archives built here with warcio's own writer: HTML responses become articles, the rest is
passed over or counted, a truncated archive keeps what came before the cut."""

import datetime as dt
import io
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.records import Article, SkippedRecord, id_from_url
from indexer.sources import read_sources, reader_for, warc

EN_URL = "https://steppe.example/en/2024/05/aral-fishers"
RU_URL = "https://steppe.example/ru/2024/06/karaganda-tram"

EN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Aral fishers bring in a record catch | Steppe News</title>
<meta property="og:title" content="Aral fishers bring in a record catch">
<meta property="article:published_time" content="2024-05-17T09:30:00+05:00"></head>
<body><nav><a href="/">Home</a> <a href="/kz">Kazakhstan</a></nav>
<article><h1>Aral fishers bring in a record catch</h1>
<p>Fishing cooperatives on the northern shore of the Small Aral reported their largest spring catch in
two decades, crediting the dike that has kept the water level up since it was finished.</p>
<p>Buyers from Kyzylorda and Aralsk drove up the price of pike-perch, local officials told reporters on
Friday, while scientists warned that the salinity further south remains far too high for most species.</p>
</article><div class="share">Share on Facebook</div><footer>(c) Steppe News</footer></body></html>"""

RU_PAGE = """<!doctype html><html lang="ru"><head>
<title>В Караганде запустили первый трамвай за тридцать лет | Степные новости</title>
<meta property="og:title" content="В Караганде запустили первый трамвай за тридцать лет">
<meta property="article:published_time" content="2024-06-03T12:00:00+05:00"></head>
<body><nav><a href="/">Главная</a></nav>
<article><h1>В Караганде запустили первый трамвай за тридцать лет</h1>
<p>Новый маршрут связал железнодорожный вокзал с юго-восточным микрорайоном, сообщили в акимате
города. Вагоны собраны на местном заводе, а проезд первую неделю будет бесплатным.</p>
<p>Горожане выстроились в очередь у остановки ещё до рассвета, чтобы прокатиться одними из первых.</p>
</article><footer>Подписывайтесь на наш канал</footer></body></html>"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _response(writer, uri, body, status="200 OK", content_type="text/html; charset=utf-8"):
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))


def build_warc(path, *, gzip, extra=()):
    """English page (UTF-8), a request, an image, Russian page (windows-1251 declared by HTTP), a 404."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "steppe-tests"}))
        request = StatusAndHeaders("GET /en/2024/05/aral-fishers HTTP/1.1", [("Host", "steppe.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(EN_URL, "request", payload=io.BytesIO(b""), http_headers=request))
        _response(writer, EN_URL, EN_PAGE.encode("utf-8"))
        _response(writer, "https://steppe.example/img/tram.png", PNG, content_type="image/png")
        _response(writer, RU_URL, RU_PAGE.encode("cp1251"), content_type="text/html; charset=windows-1251")
        _response(
            writer, "https://steppe.example/ru/missing", b"<html><body><p>Not found</p></body></html>", status="404 Not Found"
        )
        for uri, body, content_type in extra:
            _response(writer, uri, body, content_type=content_type)
    return path


def records(path):
    return list(read_sources([path]))


def check_two_articles(found):
    articles = [r for r in found if isinstance(r, Article)]
    assert [a.url for a in articles] == [EN_URL, RU_URL]
    en, ru = articles
    assert en.id == id_from_url(EN_URL) and ru.id == id_from_url(RU_URL)
    assert en.title == "Aral fishers bring in a record catch"
    assert en.date == dt.date(2024, 5, 17)
    assert en.lang == "en"
    assert "largest spring catch" in en.body and "pike-perch" in en.body
    assert "Share on" not in en.body and "Home" not in en.body
    assert ru.title == "В Караганде запустили первый трамвай за тридцать лет"
    assert ru.date == dt.date(2024, 6, 3)
    assert ru.lang == "ru"
    assert "Вагоны собраны на местном заводе" in ru.body  # decoded as windows-1251, as HTTP said
    assert "Подписывайтесь" not in ru.body
    return articles


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_html_responses_become_articles_and_the_404_is_counted(tmp_path, gzip):
    path = build_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip=gzip)
    assert reader_for(path) is warc.read
    found = records(path)
    check_two_articles(found)
    skipped = [r for r in found if isinstance(r, SkippedRecord)]
    # the image, request and warcinfo records are no articles and no failures; the 404 is counted
    assert [s.reason for s in skipped] == ["http_status"]
    assert "404" in skipped[0].detail and "missing" in skipped[0].detail
    assert len(found) == 3


def record_offsets(path):
    iterator = ArchiveIterator(path.open("rb"))
    out = []
    for record in iterator:
        out.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), iterator.get_record_offset()))
    return out


def test_truncated_gzip_archive_keeps_the_first_article(tmp_path):
    whole = build_warc(tmp_path / "whole.warc.gz", gzip=True)
    offsets = {uri: offset for rec_type, uri, offset in record_offsets(whole) if rec_type == "response"}
    truncated = tmp_path / "cut.warc.gz"
    truncated.write_bytes(whole.read_bytes()[: offsets[RU_URL] + 200])  # cut inside the Russian page's gzip member
    found = records(truncated)
    articles = [r for r in found if isinstance(r, Article)]
    assert [a.url for a in articles] == [EN_URL]
    assert articles[0].title == "Aral fishers bring in a record catch"
    assert [r.reason for r in found if isinstance(r, SkippedRecord)] == ["truncated_archive"]


def test_truncated_plain_archive_drops_the_cut_record(tmp_path):
    whole = build_warc(tmp_path / "whole.warc", gzip=False).read_bytes()
    cut = whole.index("Вагоны".encode("cp1251"))  # inside the Russian page's payload
    truncated = tmp_path / "cut.warc"
    truncated.write_bytes(whole[:cut])
    found = records(truncated)
    assert [a.url for a in found if isinstance(a, Article)] == [EN_URL]
    assert [r.reason for r in found if isinstance(r, SkippedRecord)] == ["truncated_archive"]


def test_undecodable_and_garbled(tmp_path):
    bad_utf8 = "<html><body><p>Сломанная кодировка страницы</p></body></html>".encode("cp1251")
    path = build_warc(
        tmp_path / "odd.warc.gz",
        gzip=True,
        extra=[
            ("https://steppe.example/ru/bad-charset", bad_utf8, "text/html; charset=utf-8"),
            ("https://steppe.example/ru/no-charset", bad_utf8, "text/html"),
            ("https://steppe.example/app.js", b"\xff\xfe not text", "application/javascript"),
        ],
    )
    found = records(path)
    check_two_articles(found)
    reasons = Counter(r.reason for r in found if isinstance(r, SkippedRecord))
    assert reasons == {"http_status": 1, "undecodable": 2}


def test_not_a_warc_at_all(tmp_path):
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\n" * 20)
    found = records(path)
    assert len(found) == 1 and isinstance(found[0], SkippedRecord)
    assert found[0].reason == "invalid_archive"
