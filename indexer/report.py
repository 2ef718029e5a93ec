"""What an indexing run did: records read, indexed, skipped (by reason, with examples)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.records import SkippedRecord

MAX_LISTED = 1000  # skipped records listed individually in the JSON report


@dataclass
class BuildReport:
    """Counters of one run, printable for people and serialisable for machines."""

    command: str = "build"
    read: int = 0
    indexed: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_records: list[SkippedRecord] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    warning_records: list[SkippedRecord] = field(default_factory=list)  # reason = warning kind
    generation: str = ""
    seconds: float = 0.0

    def skip(self, record: SkippedRecord) -> None:
        """Count one skipped record and remember it for the report."""
        self.skipped[record.reason] += 1
        if len(self.skipped_records) < MAX_LISTED:
            self.skipped_records.append(record)

    def warn(self, where: str, text: str) -> None:
        """Count one sanitised problem (``"kind: detail"``) and remember where it was."""
        kind, _, detail = text.partition(":")
        self.warnings[kind] += 1
        if len(self.warning_records) < MAX_LISTED:
            self.warning_records.append(SkippedRecord(kind, where, detail.strip()))

    @property
    def skipped_total(self) -> int:
        """Number of skipped records, all reasons together."""
        return sum(self.skipped.values())

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view of the report."""
        return {
            "command": self.command,
            "generation": self.generation,
            "read": self.read,
            "indexed": self.indexed,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "skipped": self.skipped_total,
            "skipped_by_reason": dict(sorted(self.skipped.items())),
            "warnings_by_kind": dict(sorted(self.warnings.items())),
            "seconds": round(self.seconds, 3),
            "skipped_records": [{"reason": r.reason, "where": r.where, "detail": r.detail} for r in self.skipped_records],
            "warning_records": [{"kind": r.reason, "where": r.where, "detail": r.detail} for r in self.warning_records],
        }

    def summary(self) -> str:
        """A few human-readable lines."""
        lines = [
            f"{self.command}: read {self.read}, indexed {self.indexed}, unchanged {self.unchanged}, "
            f"deleted {self.deleted}, skipped {self.skipped_total} in {self.seconds:.1f} s"
            + (f" → {self.generation}" if self.generation else "")
        ]
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  skipped {count:>6} {reason}")
        for kind, count in sorted(self.warnings.items()):
            lines.append(f"  warning {count:>6} {kind}")
        return "\n".join(lines)

    def write_json(self, path: Path) -> None:
        """Write the report where ``--report`` asked."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
