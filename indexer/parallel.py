"""A full build on every core: worker processes enrich, analyse and write one segment each.

Indexing an article is CPU-bound Python (entity matching, three ICU analysis chains, Whoosh's
posting writer), so one process uses one core however many the machine has. Whoosh's
``MpWriter`` already farms batches of documents out to sub-writers through job files; this
subclass sends :class:`~indexer.records.Article` records instead of finished field dicts, so
entity and country extraction runs in the workers too, and it hardens the parts the 2.7 code
leaves fragile:

* a worker that dies (an analysis bug, the OOM killer) fails the build with a clear error
  instead of hanging the parent on a full job queue or silently dropping its segment;
* a worker whose parent was SIGKILLed exits by itself within a second (it would otherwise
  block on the job queue forever), and it never holds the index lock (``indexer.publish``
  closes the lock descriptor in forked children);
* ``cancel()`` really stops the workers (``MpWriter.cancel`` only flags its own copies).

Each worker finishes its own segment (``multisegment``): the postings are written in parallel,
and the index has as many segments as workers, which a later ``update`` merges as usual.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import traceback
from collections import Counter
from collections.abc import Callable

from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from indexer.enrich import prepare
from indexer.errors import IndexerError
from indexer.records import Article
from indexer.segment_writer import GroupingSegmentWriter

BATCH_SIZE = 64  # articles per job file: small enough to balance the workers on a short crawl
POLL_SECONDS = 0.5  # how often a blocked worker or parent looks whether the other side is alive
RESULT_TIMEOUT = 600.0  # a worker's last segment flush can take minutes on a big crawl, not more

WriteArticle = Callable[[SegmentWriter, Article], "str | None"]


def available_cpus() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class WorkerFailed(IndexerError):
    """A build worker died or raised; nothing was published."""


class _ArticleTask(SubWriterTask):
    """One worker: reads job files of pickled articles, writes them into its own segment.

    Always forked (also where the default start method is ``spawn``/``forkserver``): the
    worker shares the parent's loaded analysis tables and needs no pickling of the writer.
    """

    _Popen = staticmethod(multiprocessing.get_context("fork").Process._Popen)

    def __init__(self, ix: Index, jobqueue: object, resultqueue: object, kwargs: dict, write: WriteArticle) -> None:
        super().__init__(ix.storage, ix.indexname, jobqueue, resultqueue, kwargs, multisegment=True)
        self.write = write
        self.parent_pid = os.getpid()

    def _orphaned(self) -> bool:
        return os.getppid() != self.parent_pid

    def run(self) -> None:  # noqa: D102 - multiprocessing entry point
        try:
            ix = self.storage.open_index(self.indexname)
            writer = self.writer = GroupingSegmentWriter(ix, _lk=False, **self.kwargs)
            warnings: Counter[str] = Counter()
            while True:
                try:
                    job = self.jobqueue.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    if self._orphaned():
                        return
                    continue
                if job is None:
                    break
                if not self._process_articles(writer, *job, warnings):
                    return  # orphaned mid-job: nobody will commit what we write
            segment = writer._finalize_segment() if writer.doc_count() else None
            if segment is None:
                writer._close_segment()
            self.resultqueue.put(("ok", segment, dict(warnings)))
        except BaseException:  # noqa: BLE001 - reported to the parent, which fails the build
            self.resultqueue.put(("error", traceback.format_exc(), {}))

    def _process_articles(self, writer: SegmentWriter, filename: str, count: int, warnings: Counter[str]) -> bool:
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as job:
            articles = [pickle.load(job) for _ in range(count)]
        prepare(articles)
        for article in articles:
            if self._orphaned():
                return False
            warning = self.write(writer, article)
            if warning:
                warnings[warning] += 1
        storage.delete_file(filename)
        gc.freeze()  # see indexer.writer.GC_FREEZE_EVERY
        return True


class ParallelBuildWriter(MpWriter):
    """``add_article`` queues articles for ``procs`` worker processes; ``commit`` collects their segments.

    ``write(writer, article)`` runs in the workers: it enriches and adds one article and
    returns a warning kind (or ``None``); the kinds are summed in :attr:`warnings` at commit.
    """

    def __init__(
        self, ix: Index, procs: int, write: WriteArticle, *, limitmb: int, codec: object, batchsize: int | None = None
    ) -> None:
        super().__init__(
            ix, procs=procs, batchsize=batchsize or BATCH_SIZE, multisegment=True, limitmb=limitmb, compound=False, codec=codec
        )
        self.write = write
        self.warnings: Counter[str] = Counter()
        self._jobs_sent = 0

    def add_article(self, article: Article) -> None:
        """Queue one article; a full batch goes to the workers as a job file."""
        self.add_document(**{"article": article})

    def _new_task(self) -> _ArticleTask:
        task = _ArticleTask(self, self.jobqueue, self.resultqueue, self.subargs, self.write)
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        self._jobs_sent += 1
        filename = f"{os.getpid()}-{self._jobs_sent}.articles"
        with self.temp_storage().create_file(filename).raw_file() as job:
            for _, fields in self.docbuffer:
                pickle.dump(fields["article"], job, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, job: tuple[str, int] | None) -> None:
        """Put a job on the queue, failing (not hanging) if every worker is gone."""
        while True:
            try:
                self.jobqueue.put(job, timeout=POLL_SECONDS)
                return
            except queue.Full:
                self._check_workers()

    def _check_workers(self) -> None:
        dead = [t for t in self.tasks if not t.is_alive()]
        if dead:
            raise WorkerFailed(f"build worker pid {dead[0].pid} exited with code {dead[0].exitcode}; nothing was published")

    def _commit(self, mergetype: object, optimize: object, merge: object) -> None:
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        segments = []
        for _ in self.tasks:
            status, payload, warnings = self._result()
            if status != "ok":
                raise WorkerFailed(f"a build worker failed; nothing was published:\n{payload}")
            self.warnings.update(warnings)
            if payload is not None:
                segments.append(payload)
        for task in self.tasks:
            task.join()
        self._close_segment()
        self._commit_toc(finalsegments + segments)
        self._finish()

    def _result(self) -> tuple[str, object, dict[str, int]]:
        """The next worker's result; a worker that died without one fails the build."""
        waited = 0.0
        while waited < RESULT_TIMEOUT:
            try:
                return self.resultqueue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                waited += POLL_SECONDS
                if all(not t.is_alive() for t in self.tasks):
                    try:  # the last result may have landed just before the worker exited
                        return self.resultqueue.get(timeout=POLL_SECONDS)
                    except queue.Empty:
                        break
        raise WorkerFailed("a build worker exited without finishing its segment; nothing was published")

    def cancel(self) -> None:
        """Stop the workers for real, then drop everything written."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=5)
        SegmentWriter.cancel(self)
