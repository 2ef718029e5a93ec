"""What a run measures and how big it is: the quick and full presets, and the time budget.

Steppe's indexer is the slow part (about a hundred KB of text per second here), so sizes are
chosen for it: repeated builds and 1 % updates at a small size, the full corpus built once,
and the optional growth points (10 k, the scaled corpus) only when the measured speed says
they fit in what is left of the budget. Whatever is skipped is listed in the report with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    """Sizes, repeats and limits of one run."""

    quick: bool
    docs: int | None  # main corpus: None = every news document (+ the derived Kazakh-Latin file)
    build_docs: int  # size of the repeated build / 1 % update measurements
    scale: float  # the scaled growth point is ``scale`` × the main corpus
    repeat: int
    seed: int
    budget_s: float
    http_levels: tuple[int, ...]
    http_seconds: float
    growth_sizes: tuple[int, ...]  # fixed growth points between the build size and the main corpus
    engines: tuple[str, ...]
    ir_queries: int | None = None  # judged queries per relevance collection (None: all)
    ir_collections: tuple[str, ...] = ("cranfield", "cisi", "kazqad-val")
    update_fraction: float = 0.01
    speed_queries: int = 500  # the timed query set (committed lists + title words)
    notes: list[str] = field(default_factory=list)


QUICK = {
    "docs": 500,
    "build_docs": 500,
    "ir_queries": 5,
    "ir_collections": ("cranfield", "kazqad-val"),  # CISI's long questions cost Steppe ~2 s each; full mode only
    "scale": 2.0,
    "repeat": 2,
    "budget_s": 170.0,
    "http_levels": (1, 4),
    "http_seconds": 3.0,
    "growth_sizes": (),
    "speed_queries": 120,
}
FULL = {
    "docs": None,  # every news document of ../shared/corpus (plus the derived Kazakh-Latin file)
    "ir_queries": None,
    "ir_collections": ("cranfield", "cisi", "kazqad-val"),
    "build_docs": 2000,
    "scale": 2.0,
    "repeat": 3,
    "budget_s": 1800.0,
    "http_levels": (1, 2, 4, 8),
    "http_seconds": 6.0,
    "growth_sizes": (10_000,),
    "speed_queries": 500,
}


def make_plan(
    *,
    quick: bool,
    docs: int | None,
    build_docs: int | None,
    scale: float | None,
    repeat: int | None,
    budget_min: float | None,
    ir_queries: int | None,
    seed: int,
    engines: tuple[str, ...],
) -> Plan:
    """The preset for the mode, with whatever the command line overrides."""
    preset = QUICK if quick else FULL
    main_docs = preset["docs"] if docs is None else (docs or None)  # 0 = every document
    size = build_docs if build_docs is not None else preset["build_docs"]
    if main_docs is not None:
        size = min(size, main_docs)
    return Plan(
        quick=quick,
        docs=main_docs,
        build_docs=size,
        scale=scale if scale is not None else preset["scale"],
        repeat=max(1, repeat if repeat is not None else preset["repeat"]),
        seed=seed,
        budget_s=budget_min * 60 if budget_min is not None else preset["budget_s"],
        http_levels=preset["http_levels"],
        http_seconds=preset["http_seconds"],
        growth_sizes=preset["growth_sizes"],
        engines=engines,
        ir_queries=ir_queries if ir_queries is not None else preset["ir_queries"],
        ir_collections=preset["ir_collections"],
        speed_queries=preset["speed_queries"],
    )


class Budget:
    """Seconds left of the run's budget, and whether a projected task still fits."""

    MARGIN = 1.25  # projections come from a smaller build; allow for superlinear costs

    def __init__(self, total_s: float, reserve_s: float = 15.0) -> None:
        self.total_s = total_s
        self.reserve_s = reserve_s

    def left(self, elapsed: float) -> float:
        """Seconds remaining, after what the report still needs."""
        return self.total_s - elapsed - self.reserve_s

    def fits(self, projected_s: float, elapsed: float) -> bool:
        """Whether a task projected at ``projected_s`` (before the margin) can still run."""
        return projected_s * self.MARGIN <= self.left(elapsed)
