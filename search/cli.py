"""``steppe-search``: serve the API with gunicorn, or query an index from the terminal.

Exit codes (``ExitCode``): 0 ok (also for zero hits), 1 unexpected failure, 2 usage or bad
query, 4 no published index.
"""

from __future__ import annotations

import argparse
import enum
import html
import json
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from search.config import Config
from search.engine import SearchEngine, SearchResult
from search.errors import IndexUnavailable, ParamError
from search.index_provider import IndexProvider
from search.params import parse_search_params
from search.serialize import facet_to_json, hit_to_dict

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
_MARK = re.compile(r"</?mark>")
_TAG_OPEN, _TAG_CLOSE = "\x1b[1;33m", "\x1b[0m"


class ExitCode(enum.IntEnum):
    """Process exit statuses."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    NO_INDEX = 4


def terminal_text(marked_html: str, colour: bool) -> str:
    """Snippet HTML → terminal text: ``<mark>`` as bold yellow on a TTY, dropped otherwise."""
    text = marked_html.replace("<mark>", _TAG_OPEN if colour else "").replace("</mark>", _TAG_CLOSE if colour else "")
    return html.unescape(text)


def summary_dict(result: SearchResult) -> dict[str, object]:
    """The last ``--json`` line: what the API answers besides its hits (``"summary": true`` marks it)."""
    return {
        "summary": True,
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "took_ms": result.took_ms,
        "relaxed": result.relaxed,
        "partial": result.partial,
        "did_you_mean": result.did_you_mean,
        "generation": result.generation,
        "facets": {f.name: facet_to_json(f) for f in result.facets},
    }


def print_result(result: SearchResult, out: TextIO, colour: bool, as_json: bool) -> None:
    """Human-readable or JSON-lines rendering of a result (``--json``: hit lines, then the summary line)."""
    if as_json:
        for hit in result.hits:
            out.write(json.dumps(hit_to_dict(hit), ensure_ascii=False) + "\n")
        out.write(json.dumps(summary_dict(result), ensure_ascii=False) + "\n")
        return
    note = " (relaxed: no article has every word)" if result.relaxed else ""
    note += " (partial: the time limit was reached)" if result.partial else ""
    out.write(f"{result.total} result{'s' if result.total != 1 else ''} for {result.query!r}{note} in {result.took_ms:.0f} ms\n")
    for rank, hit in enumerate(result.hits, start=1):
        out.write(f"\n{rank:>3}. {terminal_text(hit.title_html or hit.id, colour)}\n")
        meta = "  ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.lang, hit.url or hit.id) if x)
        out.write(f"     {meta}\n")
        out.write(f"     {terminal_text(hit.snippet, colour)}\n")


def _getter(args: argparse.Namespace) -> dict[str, list[str]]:
    """The CLI's options as the API's query parameters (one validation path for both)."""
    values: dict[str, list[str]] = {"q": [args.text], "per_page": [str(args.limit)], "page": [str(args.page)]}
    for name in ("sort", "date_from", "date_to"):
        if getattr(args, name):
            values[name] = [getattr(args, name)]
    for name in ("lang", "country", "entity", "facets"):
        if getattr(args, name):
            values[name] = list(getattr(args, name))
    if args.exact:
        values["exact"] = ["1"]
    return values


def print_facets(result: SearchResult, out: TextIO) -> None:
    """One line per facet: ``country: KZ Kazakhstan 12 · KG Kyrgyzstan 3``."""
    for facet in result.facets:
        data = facet_to_json(facet)
        if facet.name == "date":
            years = " · ".join(f"{v['value']} {v['count']}" for v in data["year"])  # type: ignore[index]
            out.write(f"date: {years}\n")
        else:
            listed = " · ".join(f"{'*' if v['selected'] else ''}{v['label']} {v['count']}" for v in data)  # type: ignore[union-attr]
            out.write(f"{facet.name}: {listed}\n")


def run_query(args: argparse.Namespace, out: TextIO) -> int:
    """The ``query`` subcommand."""
    config = Config.from_env({}, index_dir=str(args.index), max_per_page=max(args.limit, 1))
    values = _getter(args)
    params = parse_search_params(lambda name: values.get(name, []), config)
    engine = SearchEngine(IndexProvider(args.index), config)
    result = engine.search(params)
    colour = not args.json and out.isatty() and os.environ.get("NO_COLOR") is None
    if not args.json:
        print_facets(result, out)
        if result.did_you_mean:
            out.write(f"did you mean: {result.did_you_mean}\n")
    print_result(result, out, colour, args.json)
    return ExitCode.OK


def run_serve(args: argparse.Namespace) -> int:
    """The ``serve`` subcommand: exec gunicorn with our config (never returns on success)."""
    index = args.index.resolve()
    if not (index / "current").exists():
        print(f"steppe-search: no published index in {index} (run `steppe-index build ... --index {index}`)", file=sys.stderr)
        return ExitCode.NO_INDEX
    env = dict(os.environ, STEPPE_INDEX=str(index), STEPPE_BIND=args.bind, STEPPE_WORKERS=str(args.workers))
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    command = [gunicorn] if gunicorn else [sys.executable, "-m", "gunicorn"]
    if GUNICORN_CONF.exists():
        command += ["-c", str(GUNICORN_CONF)]
    else:
        command += ["--bind", args.bind, "--workers", str(args.workers)]
    command.append("search.wsgi:application")
    os.execvpe(command[0], command, env)
    return ExitCode.FAILURE  # pragma: no cover - exec does not return


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="steppe-search", description="Serve or query the Steppe Search index.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on failure")
    sub = parser.add_subparsers(dest="command", required=True)

    p_serve = sub.add_parser("serve", help="serve the API and search page with gunicorn")
    p_serve.add_argument("--index", required=True, type=Path)
    p_serve.add_argument("--bind", default=os.environ.get("STEPPE_BIND", "127.0.0.1:8080"))
    p_serve.add_argument("--workers", type=int, default=int(os.environ.get("STEPPE_WORKERS", "2")))

    p_query = sub.add_parser(
        "query",
        help="search from the terminal",
        description="Search the index from the terminal. With --json: one JSON object per hit, then one "
        'summary line {"summary": true, "total", "page", "per_page", "relaxed", "partial", '
        '"did_you_mean", "facets", ...} (facets as the API returns them, for the --facets asked for).',
    )
    p_query.add_argument("text", help="query text (same language as the search box)")
    p_query.add_argument("--index", required=True, type=Path)
    p_query.add_argument("--limit", type=int, default=10, help="number of hits (default 10)")
    p_query.add_argument("--page", type=int, default=1, help="page of --limit hits (default 1)")
    p_query.add_argument("--sort", choices=("relevance", "date", "-date"), help="-date: newest first")
    p_query.add_argument("--lang", action="append", help="language filter (repeatable)")
    p_query.add_argument("--country", action="append", help="ISO country filter (repeatable)")
    p_query.add_argument("--entity", action="append", help="entity id filter (repeatable)")
    p_query.add_argument("--date-from", dest="date_from", help="first day, ISO date")
    p_query.add_argument("--date-to", dest="date_to", help="last day, ISO date")
    p_query.add_argument("--facets", action="append", help="facets to summarise: lang, country, entity, date")
    p_query.add_argument("--exact", action="store_true", help="no cross-script or alias matching")
    p_query.add_argument(
        "--json", action="store_true", help='one JSON object per hit, then a summary line marked "summary": true'
    )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the ``steppe-search`` console script."""
    args = _parser().parse_args(argv)
    out = out or sys.stdout
    try:
        if args.command == "serve":
            return run_serve(args)
        if args.limit < 1 or args.limit > 100:
            raise ParamError("limit", "--limit must be between 1 and 100")
        return run_query(args, out)
    except ParamError as err:
        print(f"steppe-search: {err.message}", file=sys.stderr)
        return ExitCode.USAGE
    except IndexUnavailable as err:
        print(f"steppe-search: {err}", file=sys.stderr)
        return ExitCode.NO_INDEX
    except (OSError, ValueError) as err:
        if args.debug:
            raise
        print(f"steppe-search: {err}", file=sys.stderr)
        return ExitCode.FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
