import json

import webtest

from indexer.cli import ExitCode, build, main, update
from search.app import create_app
from search.config import Config


def write_feed(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")


RECORDS = [
    {"id": "a", "title": "Astana hosts a forum", "body": "Delegates met in Astana."},
    {"id": "b", "title": "Bishkek buses", "body": "New electric buses in Bishkek."},
    {"id": "c", "title": "Dushanbe tea house", "body": "A tea house reopened in Dushanbe."},
]


def test_update_skips_unchanged_replaces_changed_adds_new(tmp_path):
    feed, index = tmp_path / "feed.jsonl", tmp_path / "ix"
    write_feed(feed, RECORDS)
    build([feed], index, max_skip_ratio=0.0, progress=False)
    app = webtest.TestApp(create_app(Config.from_env({}, index_dir=str(index), reload_interval=0.0)))
    assert app.get("/api/search", params={"q": "Bishkek"}).json["total"] == 1

    changed = [RECORDS[0], {**RECORDS[1], "title": "Osh trolleybuses", "body": "New electric trolleybuses in Osh."}, RECORDS[2]]
    write_feed(feed, [*changed, {"id": "d", "title": "Ashgabat marble", "body": "White marble in Ashgabat."}])
    report = update([feed], index, prune=False, max_skip_ratio=0.0, progress=False)
    assert (report.read, report.indexed, report.unchanged, report.deleted) == (4, 2, 2, 0)
    assert report.generation == "gen-000001"  # in place: no new generation

    # the running app sees the commit without restart
    assert app.get("/api/search", params={"q": "Osh"}).json["hits"][0]["id"] == "b"
    assert app.get("/api/search", params={"q": "Ashgabat"}).json["total"] == 1
    assert app.get("/api/search", params={"q": "Bishkek"}).json["total"] == 0  # old text is gone
    assert app.get("/healthz").json["doc_count"] == 4


def test_update_prune_deletes_vanished_records(tmp_path, capsys):
    feed, index = tmp_path / "feed.jsonl", tmp_path / "ix"
    write_feed(feed, RECORDS)
    build([feed], index, max_skip_ratio=0.0, progress=False)
    write_feed(feed, RECORDS[:1])
    assert main(["update", str(feed), "--index", str(index), "--prune", "--json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    assert report["deleted"] == 2 and report["unchanged"] == 1 and report["indexed"] == 0
    main(["stats", "--index", str(index), "--json"])
    assert json.loads(capsys.readouterr().out)["doc_count"] == 1


def test_update_needs_a_published_index(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, RECORDS)
    assert main(["update", str(feed), "--index", str(tmp_path / "none")]) == ExitCode.NO_INDEX
    assert "no published index" in capsys.readouterr().err


def test_prune_keeps_articles_whose_record_is_bad_in_this_run(tmp_path):
    feed, index = tmp_path / "feed.jsonl", tmp_path / "ix"
    write_feed(feed, RECORDS)
    build([feed], index, max_skip_ratio=0.0, progress=False)
    bad_today = {"id": "b", "title": "", "body": "   "}  # no text: skipped, but its id is known
    write_feed(feed, [RECORDS[0], bad_today])  # c is really gone
    report = update([feed], index, prune=True, max_skip_ratio=0.5, progress=False)
    assert report.skipped == {"no_text": 1} and report.deleted == 1
    app = webtest.TestApp(create_app(Config.from_env({}, index_dir=str(index), reload_interval=0.0)))
    assert app.get("/api/search", params={"q": "Bishkek"}).json["total"] == 1  # yesterday's good copy stays
    assert app.get("/api/search", params={"q": "Dushanbe"}).json["total"] == 0


def test_prune_keeps_articles_of_a_file_that_could_not_be_read(tmp_path, monkeypatch):
    import indexer.sources

    index = tmp_path / "ix"
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    write_feed(first, RECORDS[:1])
    write_feed(second, RECORDS[1:])
    build([first, second], index, max_skip_ratio=0.0, progress=False)
    write_feed(second, [*RECORDS[1:], {"id": "e", "title": "Extra", "body": "x" * 400}])
    monkeypatch.setattr(indexer.sources, "MAX_FILE_BYTES", second.stat().st_size - 1)  # two.jsonl is now refused whole
    report = update([first, second], index, prune=True, max_skip_ratio=0.9, progress=False)
    assert report.skipped == {"too_large": 1} and report.deleted == 0  # b and c were not read, not removed
    write_feed(second, RECORDS[1:2])
    report = update([first, second], index, prune=True, max_skip_ratio=0.9, progress=False)
    assert report.deleted == 1  # read again: c is really gone


def test_update_tags_changed_articles_in_batches_and_skips_unchanged_ones(tmp_path, monkeypatch):
    import indexer.writer  # noqa: PLC0415

    feed, index = tmp_path / "feed.jsonl", tmp_path / "ix"
    russian = [
        {"id": f"r{i}", "title": f"Токаев встретился с Ивановым {i}", "body": "Встреча прошла в Астане.", "lang": "ru"}
        for i in range(5)
    ]
    write_feed(feed, RECORDS + russian)
    build([feed], index, max_skip_ratio=0.0, progress=False)

    batches: list[list[str]] = []
    real_prepare = indexer.writer.prepare

    def recording_prepare(articles):
        batches.append([a.id for a in articles])
        real_prepare(articles)

    monkeypatch.setattr(indexer.writer, "PREPARE_BATCH", 2)
    monkeypatch.setattr(indexer.writer, "prepare", recording_prepare)
    changed = [{**r, "body": r["body"] + " Обсуждались банки."} for r in russian]
    write_feed(feed, RECORDS + changed)
    report = update([feed], index, prune=False, max_skip_ratio=0.0, progress=False)
    assert (report.indexed, report.unchanged) == (5, 3)
    assert batches == [["r0", "r1"], ["r2", "r3"], ["r4"]]  # only the changed ones, in batches of the limit

    app = webtest.TestApp(create_app(Config.from_env({}, index_dir=str(index), reload_interval=0.0)))
    result = app.get("/api/search", params={"q": "банки", "facets": "entity"}).json
    assert result["total"] == 5
    counts = {f["value"]: f["count"] for f in result["facets"]["entity"]}
    # the gazetteer's Tokayev and the Russian NER's long-tail Иванов, from the batch-tagged texts
    assert counts["kz-tokayev"] == 5 and counts["ner-person-ivanov"] == 5
