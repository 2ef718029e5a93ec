import json

from indexer.cli import ExitCode, main
from tests.conftest import CORPUS


def test_build_prints_report_and_stats(tmp_path, capsys):
    index = tmp_path / "ix"
    report_file = tmp_path / "report.json"
    assert main(["build", str(CORPUS), "--index", str(index), "--report", str(report_file)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "indexed 11" in out and "skipped 0" in out
    report = json.loads(report_file.read_text())
    assert report["read"] == report["indexed"] == 11 and report["generation"] == "gen-000001"

    assert main(["stats", "--index", str(index), "--json"]) == ExitCode.OK
    stats = json.loads(capsys.readouterr().out)
    assert stats["doc_count"] == 11 and stats["generation"] == "gen-000001"
    assert stats["languages"]["ru"] == 4 and stats["languages"]["kk"] == 2


def test_bad_records_counted_run_goes_on(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    good = [json.dumps({"id": f"g{i}", "title": f"Astana {i}", "body": "Tokayev"}) for i in range(9)]
    feed.write_text("\n".join([*good, "{broken"]) + "\n")
    assert main(["build", str(feed), "--index", str(tmp_path / "ix"), "--json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    assert report["indexed"] == 9 and report["skipped_by_reason"] == {"invalid_json": 1}
    assert report["skipped_records"][0]["where"].endswith("feed.jsonl:10")


def test_error_budget_keeps_old_index(tmp_path, capsys):
    index = tmp_path / "ix"
    assert main(["build", str(CORPUS), "--index", str(index)]) == ExitCode.OK
    feed = tmp_path / "broken.jsonl"
    feed.write_text("{broken\n{also broken\n" + json.dumps({"id": "x", "body": "ok"}) + "\n")
    assert main(["build", str(feed), "--index", str(index)]) == ExitCode.ERROR_BUDGET
    assert "nothing published" in capsys.readouterr().err
    main(["stats", "--index", str(index), "--json"])
    assert json.loads(capsys.readouterr().out)["doc_count"] == 11  # still the first build


def test_error_budget_still_writes_the_report_and_leaves_no_half_generation(tmp_path, capsys):
    index, report_file = tmp_path / "ix", tmp_path / "report.json"
    assert main(["build", str(CORPUS), "--index", str(index)]) == ExitCode.OK
    feed = tmp_path / "broken.jsonl"
    feed.write_text("{broken\n{also broken\n" + json.dumps({"id": "x", "body": "ok"}) + "\n")
    code = main(["build", str(feed), "--index", str(index), "--report", str(report_file)])
    assert code == ExitCode.ERROR_BUDGET
    report = json.loads(report_file.read_text())
    assert report["skipped_by_reason"] == {"invalid_json": 2} and len(report["skipped_records"]) == 2
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]


def test_sanitised_records_are_listed_with_their_place(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "t", "title": "Only a headline about Astana"},
        {"id": "f", "title": "Future", "body": "Text", "date": "2099-01-01"},
        {"id": "ok", "title": "Fine", "body": "Text"},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert main(["build", str(feed), "--index", str(tmp_path / "ix"), "--json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    assert report["indexed"] == 3 and report["warnings_by_kind"] == {"date ignored": 1, "no_body": 1}
    listed = {(w["kind"], w["where"].rsplit(":", 1)[-1]) for w in report["warning_records"]}
    assert listed == {("no_body", "1"), ("date ignored", "2")}


def test_missing_source_and_missing_index(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), "--index", str(tmp_path / "ix")]) == ExitCode.FAILURE
    assert "source not found" in capsys.readouterr().err
    assert main(["stats", "--index", str(tmp_path / "ix")]) == ExitCode.NO_INDEX
