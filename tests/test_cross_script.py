"""Every row of ../shared/eval/public/EQUIVALENCES.md through the real analysis and a real index.

Each form becomes one small document (in the language the table gives it); a search for any
form must find the documents of all the other forms of its row, and the look-alike rows at the
bottom must stay apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.params import SearchParams
from tests.conftest import SHARED, build_index

EQUIVALENCES = SHARED / "eval" / "public" / "EQUIVALENCES.md"
_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$")
_GROUP = re.compile(r"^(.*?)\s*(?:\(([^)]*)\))?\s*†?\s*$")
LANGS = {"kk": ("kk", "Cyrl"), "kk-Latn": ("kk", "Latn"), "ru": ("ru", "Cyrl"), "ky": ("ky", "Cyrl"), "en": ("en", "Latn")}


def parse_rows() -> tuple[list[tuple[int, list[tuple[str, str]]]], list[tuple[int, list[str], list[str]]]]:
    """(equivalence rows: [(form, lang)]), (look-alike rows: left forms, right forms)."""
    if not EQUIVALENCES.exists():
        pytest.skip("../shared/eval/public/EQUIVALENCES.md is not beside this checkout")
    equal, apart = [], []
    for line in EQUIVALENCES.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        number, what, forms = int(match.group(1)), match.group(2), match.group(3)
        if "must not merge" in what:
            left, right = forms.split("≠")
            apart.append((number, _plain_forms(left), _plain_forms(right)))
            continue
        row = []
        row_lang = next((code for code in LANGS if f"({code})" in what), None)
        for group in forms.split("·"):
            group_match = _GROUP.match(group.strip())
            note = (group_match.group(2) or "").split(",")[0].strip()
            lang = note if note in LANGS else row_lang  # untagged: the row's language, else detected
            for form in group_match.group(1).split(","):
                form = form.replace("†", "").strip()
                if form:
                    row.append((form, lang))
        equal.append((number, row))
    return equal, apart


def _plain_forms(text: str) -> list[str]:
    text = re.sub(r"\(.*?\)", "", text)
    return [f.strip() for f in re.split(r"[,/]", text) if f.strip()]


EQUAL, APART = parse_rows() if EQUIVALENCES.exists() else ([], [])


def _doc_id(number: int, form: str) -> str:
    return f"row{number}-{form}"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    if not EQUIVALENCES.exists():
        pytest.skip("../shared/eval/public/EQUIVALENCES.md is not beside this checkout")
    records = []
    for number, row in EQUAL:
        for form, lang in row:
            code, script = LANGS.get(lang, ("", ""))
            records.append({"id": _doc_id(number, form), "title": "", "body": f"{form}", "lang": code, "script": script})
    for number, left, right in APART:
        for form in left + right:
            records.append({"id": _doc_id(number, form), "title": "", "body": form})
    root = tmp_path_factory.mktemp("equivalences")
    feed = root / "forms.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    build_index([feed], root / "ix")
    config = Config.from_env({}, index_dir=str(root / "ix"), max_per_page=100)
    return SearchEngine(IndexProvider(Path(config.index_dir)), config)


def found(engine: SearchEngine, query: str) -> set[str]:
    return {h.id for h in engine.search(SearchParams(q=query, per_page=100)).hits}


@pytest.mark.shared
@pytest.mark.parametrize(("number", "row"), EQUAL, ids=[f"row{n}" for n, _ in EQUAL])
def test_every_form_finds_its_counterparts(engine, number, row):
    wanted = {_doc_id(number, form) for form, _ in row}
    misses = {form: sorted(wanted - found(engine, form)) for form, _ in row}
    misses = {form: missing for form, missing in misses.items() if missing}
    assert not misses, f"row {number}: {misses}"


@pytest.mark.shared
@pytest.mark.parametrize(("number", "left", "right"), APART, ids=[f"row{n}" for n, _, _ in APART])
def test_look_alikes_stay_apart(engine, number, left, right):
    for side, other in ((left, right), (right, left)):
        forbidden = {_doc_id(number, form) for form in other}
        for form in side:
            assert not found(engine, form) & forbidden, f"row {number}: {form} finds {sorted(found(engine, form) & forbidden)}"
