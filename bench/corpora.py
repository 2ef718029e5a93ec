"""The benchmark's documents, queries and judgments, and the ways they are reshaped.

Everything an engine sees comes from here, so that every engine indexes byte-identical input
and answers the same queries. The data lives in ``../shared`` (or ``$STEPPE_SHARED``) and is
only read at run time: nothing from it is copied into the repository; subsamples, scaled-up
corpora and 1 % updates are written to the run's temporary work directory.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

SHARED_ENV = "STEPPE_SHARED"
REPO = Path(__file__).resolve().parent.parent
NEWS_GLOB = "corpus/*.jsonl.gz"
DERIVED = "corpus/derived/kk_latin_derived.jsonl.gz"
EVAL_DIR = "eval/public"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


class MissingData(RuntimeError):
    """``../shared`` (or a file in it) is not there; the message says what and where."""


@dataclass(frozen=True)
class Doc:
    """One document as every engine receives it (the shared corpus record format)."""

    id: str
    title: str
    body: str
    lang: str
    date: str = ""
    url: str = ""

    @property
    def nbytes(self) -> int:
        """UTF-8 bytes of title and body: the text an engine has to analyse."""
        return len(self.title.encode()) + len(self.body.encode())

    def to_json(self) -> str:
        """One JSON Lines record (the format ``steppe-index build`` reads)."""
        return json.dumps(asdict(self), ensure_ascii=False)


def cranfield_gain(code: int) -> float:
    """Cranfield codes are inverted (1 = complete answer … 4 = minimum interest, -1 = none)."""
    return 0.0 if code < 1 else float(5 - code)


def binary_gain(code: int) -> float:
    """CISI and KazQAD judgments: listed and positive means relevant."""
    return 1.0 if code > 0 else 0.0


@dataclass(frozen=True)
class IRSpec:
    """A classic test collection and how it is scored."""

    name: str
    directory: str
    metrics: tuple[str, ...]
    gain: Callable[[int], float]
    about: str

    @property
    def depth(self) -> int:
        """How many results a query needs: 100 for MAP@100, else 10 (no engine pays for more)."""
        return 100 if any(m.endswith("@100") for m in self.metrics) else 10


IR_SPECS: tuple[IRSpec, ...] = (
    IRSpec("cranfield", "corpus/cranfield", ("ndcg@10", "map@100"), cranfield_gain, "aeronautics abstracts, en; graded"),
    IRSpec("cisi", "corpus/cisi", ("ndcg@10", "map@100"), binary_gain, "library science, en; binary"),
    IRSpec("kazqad-val", "corpus/kazqad-val", ("mrr@10",), binary_gain, "Kazakh Wikipedia passages, UNT questions, kk"),
)


@dataclass
class IRCollection:
    """Documents, the judged queries (at least one relevant document) and graded qrels."""

    spec: IRSpec
    docs: list[Doc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, float]]


@dataclass(frozen=True)
class EvalQuery:
    """One query of the public Steppe evaluation sample."""

    qid: str
    text: str
    family: str
    lang: str
    script: str


@dataclass
class EvalSet:
    """The public evaluation: queries, relevant documents and neutral (unscored) documents."""

    queries: list[EvalQuery]
    relevant: dict[str, set[str]]
    neutral: dict[str, set[str]] = field(default_factory=dict)
    hard_negatives: set[str] = field(default_factory=set)

    def judged_ids(self) -> set[str]:
        """Every document the judgments name: relevant, neutral and hard negatives."""
        out = set(self.hard_negatives)
        for group in (self.relevant, self.neutral):
            for ids in group.values():
                out |= ids
        return out


def shared_dir() -> Path:
    """``$STEPPE_SHARED`` or the ``shared`` directory beside the checkout."""
    return Path(os.environ.get(SHARED_ENV) or REPO.parent / "shared").resolve()


def require(shared: Path) -> None:
    """Fail early, in one clear message, when the shared data is missing."""
    needed = [shared / DERIVED, shared / EVAL_DIR / "queries.jsonl", shared / EVAL_DIR / "qrels.tsv"]
    needed += [shared / spec.directory / name for spec in IR_SPECS for name in ("docs.jsonl.gz", "queries.jsonl", "qrels.tsv")]
    missing = [str(p) for p in needed if not p.is_file()]
    if not news_files(shared):
        missing.insert(0, str(shared / NEWS_GLOB))
    if missing:
        raise MissingData(
            f"the benchmark reads the team's corpora from {shared} (set {SHARED_ENV} to use another place); "
            f"missing: {', '.join(missing[:4])}{' …' if len(missing) > 4 else ''}"
        )


def news_files(shared: Path) -> list[Path]:
    """The news files of the shared corpus (real text only; the derived file is added apart)."""
    return sorted(shared.glob(NEWS_GLOB))


def read_jsonl_gz(path: Path) -> Iterator[dict[str, object]]:
    """Records of a gzip'd (or plain) JSON Lines file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _doc(record: dict[str, object]) -> Doc:
    def text(name: str) -> str:
        value = record.get(name)
        return value if isinstance(value, str) else ""

    return Doc(text("id"), text("title"), text("body"), text("lang"), text("date"), text("url"))


def load_news(shared: Path) -> list[Doc]:
    """All news files plus the derived Kazakh-Latin file, in a fixed order.

    One corpus serves both the speed runs and the public evaluation (whose documents are
    exactly these), so the largest index is built once per engine, not twice.
    """
    docs: list[Doc] = []
    for path in [*news_files(shared), shared / DERIVED]:
        docs.extend(_doc(r) for r in read_jsonl_gz(path))
    return docs


def _read_qrels(path: Path) -> Iterator[tuple[str, str, int]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            yield parts[0], parts[2], int(parts[3])


def load_ir(shared: Path, spec: IRSpec) -> IRCollection:
    """One classic collection; queries without any relevant document are left out."""
    base = shared / spec.directory
    docs = [_doc(r) for r in read_jsonl_gz(base / "docs.jsonl.gz")]
    qrels: dict[str, dict[str, float]] = defaultdict(dict)
    for qid, docid, code in _read_qrels(base / "qrels.tsv"):
        gain = spec.gain(code)
        if gain > 0:
            qrels[qid][docid] = gain
    queries = {}
    for record in read_jsonl_gz(base / "queries.jsonl"):
        qid = str(record["id"])
        if qid in qrels:
            queries[qid] = str(record["text"])
    return IRCollection(spec, docs, queries, {q: qrels[q] for q in queries})


def sample_queries(collection: IRCollection, n: int | None, seed: int) -> IRCollection:
    """The collection with ``n`` of its judged queries (seeded); all of them when ``n`` is None."""
    if n is None or n >= len(collection.queries):
        return collection
    keep = sorted(random.Random(seed).sample(sorted(collection.queries), n))
    return IRCollection(
        collection.spec, collection.docs, {q: collection.queries[q] for q in keep}, {q: collection.qrels[q] for q in keep}
    )


def load_eval(shared: Path) -> EvalSet:
    """The public evaluation sample (queries, qrels, and the neutral documents to ignore)."""
    base = shared / EVAL_DIR
    records = list(read_jsonl_gz(base / "queries.jsonl"))
    queries = [
        EvalQuery(str(r["qid"]), str(r["text"]), str(r["family"]), str(r.get("lang", "")), str(r.get("script", "")))
        for r in records
    ]
    hard = {str(d) for r in records for d in (r.get("hard_negatives") or [])}  # type: ignore[union-attr]
    relevant: dict[str, set[str]] = defaultdict(set)
    for qid, docid, code in _read_qrels(base / "qrels.tsv"):
        if code > 0:
            relevant[qid].add(docid)
    neutral: dict[str, set[str]] = defaultdict(set)
    aux = base / "qrels_aux.tsv"
    if aux.is_file():
        for line in aux.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1] == "neutral":
                neutral[parts[0]].add(parts[2])
    return EvalSet(queries, dict(relevant), dict(neutral), hard)


def subsample(docs: Sequence[Doc], n: int, seed: int) -> list[Doc]:
    """``n`` documents drawn uniformly (seeded), kept in corpus order; all of them if ``n`` is larger."""
    if n >= len(docs):
        return list(docs)
    picked = sorted(random.Random(seed).sample(range(len(docs)), n))
    return [docs[i] for i in picked]


KEEP_SHARE = 0.1  # judged documents are kept in a subsample only while they are at most this share of it


def subsample_keeping(docs: Sequence[Doc], n: int, seed: int, keep: set[str]) -> tuple[list[Doc], bool]:
    """Like :func:`subsample`, but every document in ``keep`` is in, when they are few enough.

    Keeping the public evaluation's judged documents makes its recall meaningful on a smaller
    corpus (with fewer distractors than the full one). Returns the sample and whether ``keep``
    was honoured.
    """
    if n >= len(docs):
        return list(docs), True
    kept = [i for i, d in enumerate(docs) if d.id in keep]
    if len(kept) > n * KEEP_SHARE:
        return subsample(docs, n, seed), False
    kept_set = set(kept)
    rest = [i for i in range(len(docs)) if i not in kept_set]
    picked = sorted(kept + random.Random(seed).sample(rest, n - len(kept)))
    return [docs[i] for i in picked], True


def _pieces(body: str) -> tuple[list[str], str]:
    """Paragraphs when the text has them, else sentences; plus the joiner that puts them back."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    if len(paragraphs) > 1:
        return paragraphs, "\n\n"
    sentences = [s for s in _SENTENCE_END.split(body.strip()) if s]
    return sentences, " "


class _Remixer:
    """Makes new documents from the paragraphs/sentences of real ones, language by language.

    A remixed document keeps its template's language, date and number of pieces, so length
    and per-language word statistics stay realistic, but the vocabulary does not grow the way
    new real articles would make it grow (dictionary sizes are therefore underestimated).
    """

    def __init__(self, docs: Sequence[Doc], seed: int) -> None:
        self.rng = random.Random(seed)
        self.pieces: dict[str, list[str]] = defaultdict(list)
        self.titles: dict[str, list[str]] = defaultdict(list)
        for doc in docs:
            self.pieces[doc.lang].extend(_pieces(doc.body)[0])
            if doc.title:
                self.titles[doc.lang].append(doc.title)

    def body(self, template: Doc) -> str:
        own, joiner = _pieces(template.body)
        pool = self.pieces.get(template.lang) or own
        if not own or not pool:
            return template.body
        return joiner.join(self.rng.choice(pool) for _ in own)

    def title(self, template: Doc) -> str:
        pool = self.titles.get(template.lang)
        return self.rng.choice(pool) if template.title and pool else template.title


def scale_up(docs: Sequence[Doc], factor: float, seed: int) -> list[Doc]:
    """The corpus ``factor`` times over: the originals, then remixed copies with fresh ids."""
    target = round(len(docs) * factor)
    if target <= len(docs):
        return list(docs)
    remix = _Remixer(docs, seed)
    out = list(docs)
    copy = 1
    while len(out) < target:
        for template in docs:
            if len(out) >= target:
                break
            out.append(
                replace(template, id=f"{template.id}~mix{copy}", title=remix.title(template), body=remix.body(template), url="")
            )
        copy += 1
    return out


def modify_fraction(docs: Sequence[Doc], fraction: float, seed: int) -> tuple[list[Doc], list[Doc]]:
    """A 1 %-style update: that share of documents gets a new body under the same id.

    Returns the whole corpus after the update (what Steppe's rebuild reads) and just the changed
    documents (what an engine with in-place updates applies).
    """
    count = max(1, round(len(docs) * fraction))
    chosen = set(random.Random(seed).sample(range(len(docs)), min(count, len(docs))))
    remix = _Remixer(docs, seed + 1)
    updated = list(docs)
    changed = []
    for i in sorted(chosen):
        new = replace(docs[i], body=remix.body(docs[i]) or docs[i].body + " (updated)")
        updated[i] = new
        changed.append(new)
    return updated, changed


def write_jsonl(docs: Sequence[Doc], path: Path) -> Path:
    """Write documents as JSON Lines (uncompressed: no engine should pay for gunzip)."""
    with path.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(doc.to_json() + "\n")
    return path


def read_docs(path: Path) -> Iterator[Doc]:
    """Documents back from :func:`write_jsonl` (used by the peer engines' build jobs)."""
    for record in read_jsonl_gz(path):
        yield _doc(record)


def text_bytes(docs: Sequence[Doc]) -> int:
    """Total analysed text, the fair unit of indexing work."""
    return sum(d.nbytes for d in docs)
