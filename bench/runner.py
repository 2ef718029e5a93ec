"""The run, phase by phase; every number the report prints is collected into one results dict.

Order: prepare inputs → repeated builds and 1 % updates (engines interleaved per round) →
the main corpus built once → latency (in process and over HTTP, interleaved), HTTP
throughput and the public evaluation on it → the classic relevance collections → optional
growth points while the time budget allows. Index directories live in a temporary work
directory that is removed at the end.
"""

from __future__ import annotations

import collections
import shutil
import sys
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import corpora, engines, latency, load, relevance, suggest
from bench.corpora import Doc
from bench.engines.base import Searcher
from bench.engines.steppe_http import SteppeHttpSearcher, search_path, serve, serve_peer
from bench.plan import Budget, Plan
from bench.queries import speed_queries
from bench.timing import JobResult, Stopwatch, run_child, run_job, spread

HTTP = "steppe-http"
# The ingestion issue: "a plain Whoosh StemmingAnalyzer index of the same corpus builds at 308 docs/s on one core".
ISSUE_REFERENCE_DOCS_PER_S = 308.0
# Its target for the full build with the complete analysis on both cores, on that machine.
ISSUE_BUILD_TARGET_DOCS_PER_S = 500.0


class Runner:
    """Carries the plan, the clock, the work directory and the results through the phases."""

    def __init__(self, plan: Plan, shared: Path, workdir: Path, clock: Stopwatch) -> None:
        self.plan = plan
        self.shared = shared
        self.work = workdir
        self.clock = clock
        self.budget = Budget(plan.budget_s)
        self.results: dict[str, object] = {"skipped": [], "warnings": [], "growth": []}
        self.rates: dict[str, float] = {}  # engine → indexed bytes per second (median of repeats)
        self.query_cost: dict[str, float] = {}  # engine → seconds the latency rounds took at the main size

    # ----------------------------------------------------------------------------- helpers
    def log(self, message: str) -> None:
        """Progress on stderr with the elapsed time."""
        minutes, seconds = divmod(int(self.clock.elapsed()), 60)
        print(f"[bench {minutes:02d}:{seconds:02d}] {message}", file=sys.stderr, flush=True)

    def skip(self, what: str, why: str) -> None:
        """Record something the run did not measure, and why."""
        self.results["skipped"].append({"what": what, "why": why})  # type: ignore[union-attr]
        self.log(f"skipped {what}: {why}")

    def _rotation(self, r: int) -> list[str]:
        names = list(self.plan.engines)
        shift = r % len(names)
        return names[shift:] + names[:shift]

    @staticmethod
    def _corpus_facts(docs: Sequence[Doc]) -> dict[str, object]:
        langs = collections.Counter(d.lang or "?" for d in docs)
        return {"docs": len(docs), "bytes": corpora.text_bytes(docs), "langs": dict(langs.most_common())}

    # ----------------------------------------------------------------------------- phases
    def prepare(self) -> None:
        """Load the shared data once; write the inputs every engine will read."""
        plan = self.plan
        self.log(f"loading corpora from {self.shared}")
        everything = corpora.load_news(self.shared)
        self.evalset = corpora.load_eval(self.shared)
        self.ir = [corpora.load_ir(self.shared, spec) for spec in corpora.IR_SPECS if spec.name in plan.ir_collections]
        self.main, self.judged_kept = corpora.subsample_keeping(
            everything, plan.docs or len(everything), plan.seed, self.evalset.judged_ids()
        )
        self.build_set = (
            self.main if plan.build_docs >= len(self.main) else corpora.subsample(self.main, plan.build_docs, plan.seed + 1)
        )
        updated, changed = corpora.modify_fraction(self.build_set, plan.update_fraction, plan.seed + 2)
        main_updated, main_changed = corpora.modify_fraction(self.main, plan.update_fraction, plan.seed + 4)
        self.paths = {
            "main": corpora.write_jsonl(self.main, self.work / "main.jsonl"),
            "build": corpora.write_jsonl(self.build_set, self.work / "build.jsonl"),
            "updated": corpora.write_jsonl(updated, self.work / "build-updated.jsonl"),
            "changed": corpora.write_jsonl(changed, self.work / "build-changed.jsonl"),
            "main_updated": corpora.write_jsonl(main_updated, self.work / "main-updated.jsonl"),
            "main_changed": corpora.write_jsonl(main_changed, self.work / "main-changed.jsonl"),
        }
        self.queries = speed_queries(self.evalset, self.main, plan.speed_queries, plan.seed + 3)
        self.results["corpus"] = {
            "all": self._corpus_facts(everything),
            "main": self._corpus_facts(self.main),
            "main_keeps_judged": self.judged_kept,
            "judged_docs": len(self.evalset.judged_ids()),
            "build": self._corpus_facts(self.build_set),
            "update_changed": len(changed),
            "main_update_changed": len(main_changed),
            "ir": {c.spec.name: {"docs": len(c.docs), "queries": len(c.queries), "about": c.spec.about} for c in self.ir},
            "eval_queries": len(self.evalset.queries),
            "speed_queries": len(self.queries),
            "speed_query_kinds": dict(collections.Counter(q.kind for q in self.queries)),
        }
        self.results["engines"] = {
            name: {"label": engines.get(name).label, "version": engines.get(name).version(), "work": engines.get(name).work}
            for name in plan.engines
        }

    def repeated_builds(self) -> None:
        """R rounds of: build every engine (rotated order), then a 1 % update of each."""
        builds: dict[str, list[JobResult]] = {n: [] for n in self.plan.engines}
        updates: dict[str, list[JobResult]] = {n: [] for n in self.plan.engines}
        self.point_dirs: dict[str, Path] = {}
        last = self.plan.repeat - 1
        for r in range(self.plan.repeat):
            order = self._rotation(r)
            for name in order:
                target = self.work / f"build-r{r}-{name}"
                job = run_job(name, "build", target, self.paths["build"])
                builds[name].append(job)
                self.log(f"round {r + 1}: {name} built {job.docs} docs in {job.seconds:.1f} s")
            for name in order:
                source = self.work / f"build-r{r}-{name}"
                target = self.work / f"update-r{r}-{name}"
                shutil.copytree(source, target, symlinks=True)  # keep the fresh build for queries
                job = run_job(name, "update", target, self.paths["updated"], self.paths["changed"])
                updates[name].append(job)
                self.log(f"round {r + 1}: {name} 1 % update ({job.docs} docs written) in {job.seconds:.1f} s")
                shutil.rmtree(target, ignore_errors=True)
                if r == last:
                    self.point_dirs[name] = source
                else:
                    shutil.rmtree(source, ignore_errors=True)
        nbytes = corpora.text_bytes(self.build_set)
        self.results["build"] = {n: self._summarise(jobs, nbytes) for n, jobs in builds.items()}
        self.results["update"] = {n: self._summarise(jobs, nbytes) for n, jobs in updates.items()}
        for name, jobs in builds.items():
            self.rates[name] = nbytes / spread([j.seconds for j in jobs]).median
        if self.build_set is not self.main:
            main_bytes = corpora.text_bytes(self.main)
            projected = sum(main_bytes / rate for rate in self.rates.values())
            self.log(f"main corpus builds projected at {projected / 60:.1f} min from the speeds just measured")
            if not self.budget.fits(projected, self.clock.elapsed()):
                note = (
                    f"the main-corpus builds alone were projected at {projected / 60:.1f} min, beyond the "
                    f"{self.plan.budget_s / 60:.0f}-min budget (busy machine?); the run went on and took longer"
                )
                self.results["warnings"].append(note)  # type: ignore[union-attr]
                self.log("warning: " + note)

    @staticmethod
    def _summarise(jobs: Sequence[JobResult], nbytes: int) -> dict[str, object]:
        return {
            "runs": [j.to_dict() for j in jobs],
            "docs": jobs[0].docs,
            "seconds": spread([j.seconds for j in jobs]).to_dict(),
            "cpu_seconds": spread([j.cpu_seconds for j in jobs]).to_dict(),
            "docs_per_s": spread([j.docs / j.seconds for j in jobs]).to_dict(),
            "mb_per_s": spread([nbytes / j.seconds / 1e6 for j in jobs]).to_dict(),
            "peak_rss": spread([j.peak_rss for j in jobs]).to_dict(),
            "size_bytes": spread([j.size_bytes for j in jobs]).to_dict(),
        }

    def _open(self, dirs: dict[str, Path]) -> dict[str, Searcher]:
        return {name: engines.get(name).open(path) for name, path in dirs.items()}

    def _growth_point(self, label: str, docs: Sequence[Doc], per_engine: dict[str, dict[str, object]]) -> None:
        self.results["growth"].append(  # type: ignore[union-attr]
            {"label": label, "docs": len(docs), "bytes": corpora.text_bytes(docs), "engines": per_engine}
        )

    def _latency_entry(self, samples: dict[str, latency.Samples]) -> dict[str, object]:
        return {mode: s.summary() for mode, s in samples.items()}

    def build_point(self) -> None:
        """Latency on the last round's fresh builds: the first growth point (and the main one in quick mode)."""
        is_main = self.build_set is self.main
        if is_main:
            return  # measured with HTTP and the evaluation in main_point
        searchers = self._open(self.point_dirs)
        try:
            texts = [q.text for q in self.queries]
            samples = latency.measure(searchers, texts, self.plan.repeat, self.plan.seed, progress=self.log)
        finally:
            for s in searchers.values():
                s.close()
        build = self.results["build"]
        per_engine = {}
        for name in self.plan.engines:
            per_engine[name] = {
                "build_s": build[name]["seconds"]["median"],  # type: ignore[index]
                "size_bytes": build[name]["size_bytes"]["median"],  # type: ignore[index]
                "latency": self._latency_entry(samples[name]),
            }
        self._growth_point(f"{len(self.build_set):,} (build size)", self.build_set, per_engine)
        self.results["latency_build_size"] = {n: self._latency_entry(samples[n]) for n in self.plan.engines}
        for path in self.point_dirs.values():
            shutil.rmtree(path, ignore_errors=True)

    def main_point(self) -> None:
        """The main corpus: built once, then latency (+ HTTP), throughput, the public evaluation."""
        is_main = self.build_set is self.main
        if is_main:
            dirs = self.point_dirs
            main_jobs = {n: self.results["build"][n] for n in self.plan.engines}  # type: ignore[index]
        else:
            dirs, main_jobs = {}, {}
            for name in self._rotation(0):
                target = self.work / f"main-{name}"
                self.log(f"{name}: building the main corpus ({len(self.main):,} docs) once")
                job = run_job(name, "build", target, self.paths["main"])
                self.log(f"{name}: {job.docs:,} docs in {job.seconds:.1f} s")
                dirs[name] = target
                main_jobs[name] = self._summarise([job], corpora.text_bytes(self.main))
            self.results["main_build"] = main_jobs
            self._main_updates(dirs)
        searchers = self._open(dirs)
        texts = [q.text for q in self.queries]
        try:
            if "steppe" in dirs:
                with serve(dirs["steppe"], self.work / "serve.log") as (port, pid):
                    searchers[HTTP] = SteppeHttpSearcher(port)
                    started = time.monotonic()
                    samples = latency.measure(searchers, texts, self.plan.repeat, self.plan.seed, progress=self.log)
                    self.log(f"latency rounds took {time.monotonic() - started:.0f} s")
                    self._throughput(port, pid, texts)
            else:
                samples = latency.measure(searchers, texts, self.plan.repeat, self.plan.seed, progress=self.log)
            self._record_query_cost(samples)
            present = None if self.judged_kept else {d.id for d in self.main}
            self.results["eval"] = {
                name: relevance.score_eval(searchers[name], self.evalset, present) for name in self.plan.engines
            }
            self.results["eval_restricted"] = present is not None
            if "steppe" in dirs:
                self.log("suggest latency: typed prefixes of the speed queries")
                self.results["suggest"] = suggest.measure(dirs["steppe"], texts, self.plan.repeat)
        finally:
            for s in searchers.values():
                s.close()
        self.results["latency"] = {name: self._latency_entry(s) for name, s in samples.items()}
        self.results["totals"] = {name: (s.get("count") or s["snippets"]).totals for name, s in samples.items()}
        per_engine = {}
        for name in self.plan.engines:
            job = main_jobs[name]
            per_engine[name] = {
                "build_s": job["seconds"]["median"],  # type: ignore[index]
                "size_bytes": job["size_bytes"]["median"],  # type: ignore[index]
                "latency": self._latency_entry(samples[name]),
            }
        self._growth_point(f"{len(self.main):,} (main corpus)", self.main, per_engine)
        self.main_dirs = dirs
        if "steppe" in dirs:
            self.peer_throughput(texts)

    def _main_updates(self, dirs: dict[str, Path]) -> None:
        """A 1 % update of the main corpus on a copy of each engine's main build: the nightly job's real size."""
        nbytes = corpora.text_bytes(self.main)
        updates = {}
        for name in self._rotation(0):
            target = self.work / f"main-update-{name}"
            shutil.copytree(dirs[name], target, symlinks=True)
            job = run_job(name, "update", target, self.paths["main_updated"], self.paths["main_changed"])
            self.log(f"{name}: 1 % update of the main corpus ({job.docs:,} docs written) in {job.seconds:.1f} s")
            shutil.rmtree(target, ignore_errors=True)
            updates[name] = self._summarise([job], nbytes)
        self.results["main_update"] = updates

    def reference_scale(self) -> None:
        """Plain Whoosh with ``StemmingAnalyzer`` builds the main corpus once, on one core.

        The ingestion issue measured that build at ``ISSUE_REFERENCE_DOCS_PER_S`` on its machine;
        the ratio to this run's rate turns the issue's absolute targets into this machine's terms.
        """
        if "steppe" not in self.plan.engines:
            return
        target = self.work / "main-whoosh_stem"
        self.log(f"reference: plain Whoosh StemmingAnalyzer building the main corpus ({len(self.main):,} docs) once")
        job = run_job("whoosh_stem", "build", target, self.paths["main"])
        self.log(f"reference: {job.docs:,} docs in {job.seconds:.1f} s")
        shutil.rmtree(target, ignore_errors=True)
        self.results["reference_scale"] = {
            "build": self._summarise([job], corpora.text_bytes(self.main)),
            "issue_docs_per_s": ISSUE_REFERENCE_DOCS_PER_S,
            "issue_target_docs_per_s": ISSUE_BUILD_TARGET_DOCS_PER_S,
        }

    def analysis(self) -> None:
        """Analysis throughput on the main corpus (a fresh process: cold caches, as in a build)."""
        if "steppe" not in self.plan.engines:
            return
        self.log("analysis throughput: ICU + case folding vs Steppe's three chains")
        self.results["analysis"] = run_child("bench.analysisjob", [str(self.paths["main"])])
        if self.main_dirs.get("steppe") is not None:
            self.results["field_postings"] = _field_postings(self.main_dirs["steppe"])

    def _record_query_cost(self, samples: dict[str, dict[str, latency.Samples]]) -> None:
        for name, modes in samples.items():
            spent = sum(x for s in modes.values() for r in s.rounds for x in r)
            self.query_cost[name] = spent * (1 + 1 / self.plan.repeat)  # + the warm-up pass

    def _throughput(self, port: int, pid: int, texts: Sequence[str]) -> None:
        paths = [search_path(t, 10) for t in texts]
        client = "wrk" if load.wrk_available() else "Python threads"
        self.log(f"HTTP load ({client}): concurrency {self.plan.http_levels}, {self.plan.http_seconds:.0f} s each")
        levels = load.ramp(port, paths, self.plan.http_levels, self.plan.http_seconds, max(2, self.plan.repeat))
        best = load.best_clean(levels)
        self.results["http"] = {
            "levels": [r.to_dict() for r in levels],
            "best": best.to_dict() if best else None,
            "server_rss": _tree_rss(pid),
            "workers": 2,
            "client": client,
        }

    def peer_throughput(self, texts: Sequence[str]) -> None:
        """The same HTTP load on Tantivy- and FTS5-backed endpoints (``bench.peer_server``), same job per request."""
        peers: dict[str, object] = {}
        paths = ["/api/search?" + urllib.parse.urlencode({"q": t, "per_page": 10}) for t in texts]
        for name in ("tantivy", "fts5"):
            if name not in self.main_dirs:
                continue
            self.log(f"{name} over HTTP: same load")
            with serve_peer(name, self.main_dirs[name], self.work / f"serve-{name}.log") as (port, pid):
                levels = load.ramp(port, paths, self.plan.http_levels, self.plan.http_seconds, max(2, self.plan.repeat))
                best = load.best_clean(levels)
                peers[name] = {"levels": [r.to_dict() for r in levels], "best": best.to_dict() if best else None}
        self.results["http_peers"] = peers

    def relevance_runs(self) -> None:
        """Build and score each classic collection for every engine, two child processes at a time (untimed)."""
        limit = "all" if self.plan.ir_queries is None else str(self.plan.ir_queries)
        jobs = []
        for collection in self.ir:
            path = corpora.write_jsonl(collection.docs, self.work / f"ir-{collection.spec.name}.jsonl")
            for name in self.plan.engines:
                target = self.work / f"ir-{collection.spec.name}-{name}"
                jobs.append(
                    (name, collection.spec.name, [name, collection.spec.name, str(target), str(path), str(self.plan.seed), limit])
                )
        # Longest first so the two workers finish together: Steppe's searches dominate, CISI's most.
        cost = {"cisi": 0, "cranfield": 1}
        jobs.sort(key=lambda j: (j[0] != "steppe", cost.get(j[1], 2)))
        self.log(f"relevance: {len(jobs)} build-and-score jobs, two at a time (queries per collection: {limit})")
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(lambda j: run_child("bench.reljob", j[2]), jobs))
        scores: dict[str, dict[str, dict[str, object]]] = {}
        for (name, collection_name, args), outcome in zip(jobs, outcomes, strict=True):
            scores.setdefault(collection_name, {})[name] = outcome
            shutil.rmtree(args[2], ignore_errors=True)
        self.results["relevance"] = {c.spec.name: scores[c.spec.name] for c in self.ir}
        self.log("relevance: scored")

    def extra_growth(self) -> None:
        """10 k and the scaled corpus, each engine built once if its projected cost fits the budget."""
        points: list[tuple[str, list[Doc]]] = []
        for size in self.plan.growth_sizes:
            if len(self.build_set) < size < len(self.main):
                points.append((f"{size:,}", corpora.subsample(self.main, size, self.plan.seed + 3)))
        if self.plan.scale > 1:
            scaled = corpora.scale_up(self.main, self.plan.scale, self.plan.seed + 4)
            points.append((f"{len(scaled):,} (×{self.plan.scale:g} remixed)", scaled))
            self.results["corpus"]["scaled"] = self._corpus_facts(scaled)  # type: ignore[index]
        main_bytes = corpora.text_bytes(self.main)
        for label, docs in points:
            nbytes = corpora.text_bytes(docs)
            path = corpora.write_jsonl(docs, self.work / "growth.jsonl")
            projected = {
                n: nbytes / self.rates[n] + self.query_cost.get(n, 0.0) * nbytes / main_bytes + 5.0 for n in self.plan.engines
            }
            per_engine: dict[str, dict[str, object]] = {}
            dirs: dict[str, Path] = {}
            for name in sorted(self.plan.engines, key=projected.__getitem__):
                if not self.budget.fits(projected[name], self.clock.elapsed()):
                    left = max(0.0, self.budget.left(self.clock.elapsed()))
                    why = f"projected {projected[name] / 60:.1f} min (×{Budget.MARGIN} margin), {left / 60:.1f} min left"
                    self.skip(f"{name} at {label} docs", why)
                    per_engine[name] = {"skipped": why}
                    continue
                dirs[name] = self.work / f"growth-{name}"
                self.log(f"{name}: growth point {label} docs")
                job = run_job(name, "build", dirs[name], path)
                self.log(f"{name}: {job.docs:,} docs in {job.seconds:.1f} s")
                per_engine[name] = {"build_s": job.seconds, "size_bytes": job.size_bytes}
            if dirs:
                searchers = self._open(dirs)
                try:
                    samples = latency.measure(searchers, [q.text for q in self.queries], self.plan.repeat, self.plan.seed)
                finally:
                    for searcher in searchers.values():
                        searcher.close()
                for name in dirs:
                    per_engine[name]["latency"] = self._latency_entry(samples[name])
                for target in dirs.values():
                    shutil.rmtree(target, ignore_errors=True)
            self._growth_point(label, docs, per_engine)
            path.unlink()

    def cleanup(self) -> None:
        """Remove the main indexes (the work directory itself is the caller's)."""
        for path in getattr(self, "main_dirs", {}).values():
            shutil.rmtree(path, ignore_errors=True)


def _tree_rss(pid: int) -> int | None:
    """Resident memory of the gunicorn master and its workers, after the load test."""
    try:
        import psutil

        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except Exception:  # noqa: BLE001 - psutil missing or the process gone: the figure is just absent
        return None


def _field_postings(index_root: Path) -> dict[str, dict[str, int]]:
    """Terms, postings and bytes per indexed field of a Steppe index: what the extra fields cost.

    Bytes are the field's term-table entries (key, term info, inlined postings, the entry's
    length header and hash slot) plus the postings blocks of its longer lists in the ``.pst``
    file; together they are the ``.trm`` + ``.pst`` files, which are most of the index.
    """
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.filedb.filetables import _lengths as entry_header
    from whoosh.filedb.filetables import _pointer as hash_slot

    from indexer.publish import IndexDirectory

    current = IndexDirectory(index_root).current()
    out: dict[str, dict[str, int]] = {}
    if current is None:
        return out
    with whoosh_index.open_dir(str(current)).reader() as reader:
        for segment_reader, _ in reader.leaf_readers():
            terms = segment_reader._terms  # noqa: SLF001 - the segment's term table, read raw
            for key, value in terms._tindex.items():  # noqa: SLF001
                name, _ = terms._keydecoder(key)  # noqa: SLF001
                info = W3TermInfo.from_bytes(value)
                size = len(key) + len(value) + entry_header.size + 2 * hash_slot.size  # tables are twice full
                if not info.is_inlined():
                    extent = info._length  # noqa: SLF001 - W3 unpacks it as a 1-tuple
                    size += extent[0] if isinstance(extent, tuple) else extent
                entry = out.setdefault(name, {"terms": 0, "postings": 0, "bytes": 0})
                entry["terms"] += 1
                entry["postings"] += info.doc_frequency()
                entry["bytes"] += size
    return dict(sorted(out.items(), key=lambda item: -item[1]["bytes"]))
