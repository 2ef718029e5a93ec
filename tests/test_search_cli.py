import io
import json

from search.cli import ExitCode, main, terminal_text


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_query_plain_when_piped(fixture_index):
    out = io.StringIO()
    assert main(["query", "Жапаров", "--index", str(fixture_index)], out=out) == ExitCode.OK
    text = out.getvalue()
    assert "1 result for 'Жапаров'" in text
    assert "Japarov meets farmers near Bishkek" in text and "2022-06-01" in text
    assert "<mark>" not in text and "\x1b[" not in text


def test_query_highlighted_on_a_tty(fixture_index, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = FakeTTY()
    main(["query", "Japarov", "--index", str(fixture_index)], out=out)
    assert "\x1b[1;33mJaparov\x1b[0m" in out.getvalue()


def test_query_json_lines_and_limit(fixture_index):
    out = io.StringIO()
    assert main(["query", "Astana OR Tokayev", "--index", str(fixture_index), "--json", "--limit", "2"], out=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    hits = [line for line in lines if "summary" not in line]
    assert len(hits) == 2 and all({"id", "title", "snippet", "score"} <= set(h) for h in hits)


def test_query_errors(fixture_index, tmp_path, capsys):
    assert main(["query", '"open', "--index", str(fixture_index)], out=io.StringIO()) == ExitCode.USAGE
    assert "unbalanced" in capsys.readouterr().err
    assert main(["query", "x", "--index", str(tmp_path)], out=io.StringIO()) == ExitCode.NO_INDEX


def test_terminal_text():
    assert terminal_text("a <mark>b</mark> &amp; c", colour=False) == "a b & c"


def test_query_filters_sort_and_facets(fixture_index):
    out = io.StringIO()
    args = ["query", "Tokayev", "--index", str(fixture_index), "--lang", "ru", "--lang", "kk", "--sort=-date"]
    assert main([*args, "--facets", "lang", "--facets", "date"], out=out) == ExitCode.OK
    text = out.getvalue()
    assert "lang: " in text and "*Russian" in text and "English" in text  # disjunctive: English still offered
    assert "date: 2024" in text
    assert "Tokayev opens new session" not in text  # the English article is filtered out
    assert text.index("2024-10-16") < text.index("2024-10-15")  # newest first


def test_query_bad_option_is_a_usage_error(fixture_index, capsys):
    assert main(["query", "x", "--index", str(fixture_index), "--date-from", "soon"], out=io.StringIO()) == ExitCode.USAGE
    assert "date_from" in capsys.readouterr().err


def test_query_json_ends_with_a_summary_line(fixture_index):
    out = io.StringIO()
    args = ["query", "Astana OR Tokayev", "--index", str(fixture_index), "--json", "--limit", "2", "--facets", "lang"]
    assert main([*args, "--facets", "date"], out=out) == ExitCode.OK
    *hits, summary = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(hits) == 2 and all("summary" not in h and {"id", "title", "snippet", "score"} <= set(h) for h in hits)
    assert summary["summary"] is True
    assert {"total", "page", "per_page", "relaxed", "partial", "did_you_mean", "facets"} <= set(summary)
    assert summary["total"] >= 4 and summary["page"] == 1 and summary["relaxed"] is False and summary["partial"] is False
    assert set(summary["facets"]) == {"lang", "date"} and {"year", "month"} <= set(summary["facets"]["date"])
    assert sum(v["count"] for v in summary["facets"]["lang"]) == summary["total"]

    misspelt = io.StringIO()
    assert main(["query", "Japarvo", "--index", str(fixture_index), "--json"], out=misspelt) == ExitCode.OK
    lines = [json.loads(line) for line in misspelt.getvalue().splitlines()]
    assert lines == [lines[-1]] and lines[-1]["did_you_mean"] == "japarov" and lines[-1]["total"] == 0
