"""``steppe-index``: build, inspect and roll back the search index.

Exit codes (``ExitCode``): 0 ok, 1 unexpected failure, 2 usage, 3 another indexer holds the
lock, 4 no published index, 5 too many bad records (nothing published).
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import gc
import json
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.analysis import SCHEMA_VERSION
from indexer.enrich import warm_up
from indexer.errors import ErrorBudgetExceeded, IndexerError, IndexLocked, NoIndex
from indexer.parallel import ParallelBuildWriter, available_cpus
from indexer.publish import IndexDirectory, read_meta, write_meta
from indexer.report import BuildReport
from indexer.sources import iter_files, read_sources
from indexer.writer import add_articles, open_writer, upsert_articles


class ExitCode(enum.IntEnum):
    """Process exit statuses, distinct per failure so scripts and systemd can tell them apart."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    LOCKED = 3
    NO_INDEX = 4
    ERROR_BUDGET = 5


def _progress(records, enabled: bool):  # noqa: ANN001, ANN202 - thin tqdm wrapper
    if not enabled:
        return records
    from tqdm import tqdm

    return tqdm(records, unit=" rec", desc="indexing", file=sys.stderr, dynamic_ncols=True)


PARALLEL_MIN_BYTES = 1024 * 1024  # below this much crawl (~1,300 articles), workers cost more than they save


def build_jobs(sources: Sequence[Path]) -> int:
    """Worker processes for a build of ``sources``: one per core, or none for a small crawl."""
    size = 0
    for path in iter_files(sources):
        with contextlib.suppress(OSError):
            size += path.stat().st_size
        if size >= PARALLEL_MIN_BYTES:
            return available_cpus()
    return 1


def build(
    sources: Sequence[Path], index_root: Path, *, max_skip_ratio: float, progress: bool, jobs: int | None = None
) -> BuildReport:
    """Build a new generation from ``sources`` and publish it; the old one serves meanwhile.

    ``jobs`` worker processes enrich and index the articles (default: one per available core).
    """
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise FileNotFoundError(f"source not found: {', '.join(missing)}")
    jobs = build_jobs(sources) if jobs is None else max(1, jobs)
    if jobs > 1:
        warm_up()  # once, in the parent: the forked workers share it
        gc.freeze()
    directory = IndexDirectory(index_root)
    report = BuildReport(command="build")
    started = time.perf_counter()
    with directory.lock():
        directory.remove_unreferenced()
        generation = directory.new_generation()
        writer = open_writer(generation, create=True, jobs=jobs)
        try:
            add_articles(writer, _progress(read_sources(sources), progress), report)
            if report.read and report.skipped_total / report.read > max_skip_ratio:
                raise ErrorBudgetExceeded(
                    f"{report.skipped_total} of {report.read} records skipped (over the budget of "
                    f"{max_skip_ratio:.0%}); nothing published\n{report.summary()}",
                    report,
                )
            writer.commit(optimize=False)
        except BaseException:
            writer.cancel()
            shutil.rmtree(generation, ignore_errors=True)  # never published; a SIGKILL leaves it to the next run
            raise
        if isinstance(writer, ParallelBuildWriter):
            report.warnings.update(writer.warnings)
        write_meta(
            generation,
            schema_version=SCHEMA_VERSION,
            doc_count=report.indexed,
            sources=[str(s) for s in sources],
        )
        directory.publish(generation)
    report.generation = generation.name
    report.seconds = time.perf_counter() - started
    return report


def update(sources: Sequence[Path], index_root: Path, *, prune: bool, max_skip_ratio: float, progress: bool) -> BuildReport:
    """Upsert ``sources`` into the published generation in one commit (the service refreshes)."""
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise FileNotFoundError(f"source not found: {', '.join(missing)}")
    directory = IndexDirectory(index_root)
    report = BuildReport(command="update")
    started = time.perf_counter()
    with directory.lock():
        generation = directory.require_current()
        meta = read_meta(generation)
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise IndexerError(
                f"{generation.name} was built with schema {meta.get('schema_version')}, this indexer writes "
                f"{SCHEMA_VERSION}: run `steppe-index build` instead of update"
            )
        writer = open_writer(generation, create=False)
        try:
            upsert_articles(writer, _progress(read_sources(sources), progress), report, prune)
        except BaseException:
            writer.cancel()
            raise
        if report.read and report.skipped_total / report.read > max_skip_ratio:
            writer.cancel()
            raise ErrorBudgetExceeded(
                f"{report.skipped_total} of {report.read} records skipped (over the budget of "
                f"{max_skip_ratio:.0%}); nothing changed\n{report.summary()}",
                report,
            )
        if report.indexed or report.deleted:
            writer.commit(optimize=False)
        else:
            writer.cancel()
        with whoosh_index.open_dir(str(generation)).searcher() as searcher:
            doc_count = searcher.doc_count()
        kept = {k: v for k, v in meta.items() if k not in ("generation", "created")}
        write_meta(generation, **{**kept, "doc_count": doc_count, "built": meta.get("created")})
    report.generation = generation.name
    report.seconds = time.perf_counter() - started
    return report


def stats(index_root: Path) -> dict[str, object]:
    """Facts about the published generation."""
    directory = IndexDirectory(index_root)
    generation = directory.require_current()
    ix = whoosh_index.open_dir(str(generation))
    with ix.searcher() as searcher:
        langs = {term.decode(): searcher.doc_frequency("lang", term) for term in searcher.lexicon("lang")}
        doc_count = searcher.doc_count()
    size = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file())
    meta = read_meta(generation)
    previous = directory.previous()
    return {
        "index": str(index_root),
        "generation": generation.name,
        "previous": previous.name if previous else None,
        "created": meta.get("created"),
        "schema_version": meta.get("schema_version"),
        "doc_count": doc_count,
        "languages": dict(sorted(langs.items())),
        "size_bytes": size,
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="steppe-index", description="Build and inspect the Steppe Search index.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on failure")
    sub = parser.add_subparsers(dest="command", required=True)

    p_build = sub.add_parser("build", help="build a new generation from crawl files and publish it")
    p_build.add_argument("sources", nargs="+", type=Path, help="files or directories (.txt .jsonl[.gz] .html)")
    p_build.add_argument("--index", required=True, type=Path, help="index directory")
    p_build.add_argument("--report", type=Path, help="also write the run report as JSON here")
    p_build.add_argument(
        "--max-skip-ratio",
        type=float,
        default=0.25,
        help="fail without publishing when more than this share of records is skipped (default 0.25)",
    )
    p_build.add_argument("--json", action="store_true", help="print the report as JSON")
    p_build.add_argument("--progress", choices=("auto", "always", "never"), default="auto")
    p_build.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default: one per available core for crawls over 1 MB, else 1; 1: no workers)",
    )

    p_update = sub.add_parser("update", help="add new and changed records to the published index")
    p_update.add_argument("sources", nargs="+", type=Path, help="files or directories (.txt .jsonl[.gz] .html .warc)")
    p_update.add_argument("--index", required=True, type=Path, help="index directory")
    p_update.add_argument("--prune", action="store_true", help="delete articles whose id did not come up in SOURCE")
    p_update.add_argument("--report", type=Path, help="also write the run report as JSON here")
    p_update.add_argument("--max-skip-ratio", type=float, default=0.25)
    p_update.add_argument("--json", action="store_true", help="print the report as JSON")
    p_update.add_argument("--progress", choices=("auto", "always", "never"), default="auto")

    p_stats = sub.add_parser("stats", help="describe the published index")
    p_stats.add_argument("--index", required=True, type=Path)
    p_stats.add_argument("--json", action="store_true")

    p_rollback = sub.add_parser("rollback", help="serve the previous generation again")
    p_rollback.add_argument("--index", required=True, type=Path)
    return parser


def _fail(message: str, code: ExitCode) -> int:
    print(f"steppe-index: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``steppe-index`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command in ("build", "update"):
            progress = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
            if args.command == "build":
                report = build(args.sources, args.index, max_skip_ratio=args.max_skip_ratio, progress=progress, jobs=args.jobs)
            else:
                report = update(args.sources, args.index, prune=args.prune, max_skip_ratio=args.max_skip_ratio, progress=progress)
            if args.report:
                report.write_json(args.report)
            print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else report.summary())
        elif args.command == "stats":
            info = stats(args.index)
            if args.json:
                print(json.dumps(info, ensure_ascii=False))
            else:
                for key, value in info.items():
                    print(f"{key:15} {value}")
        elif args.command == "rollback":
            generation = IndexDirectory(args.index).rollback()
            print(f"now serving {generation.name}")
    except IndexLocked as err:
        return _fail(str(err), ExitCode.LOCKED)
    except NoIndex as err:
        return _fail(str(err), ExitCode.NO_INDEX)
    except ErrorBudgetExceeded as err:
        if args.report and err.report is not None:
            err.report.write_json(args.report)
        return _fail(str(err), ExitCode.ERROR_BUDGET)
    except (IndexerError, OSError, whoosh_index.IndexError) as err:
        if args.debug:
            raise
        return _fail(str(err), ExitCode.FAILURE)
    return ExitCode.OK


if __name__ == "__main__":
    raise SystemExit(main())
