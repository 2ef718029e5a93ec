"""PNG figures for the report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

COLOURS = {"steppe": "#c0392b", "steppe-http": "#e67e22", "tantivy": "#2c3e50", "fts5": "#27ae60", "whoosh": "#8e44ad"}


def _pyplot():  # noqa: ANN202 - matplotlib.pyplot, imported lazily with the Agg backend
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def headline_mode(modes: dict[str, object]) -> str:
    """The mode the growth plots compare: full work (snippets) wherever an engine has it."""
    return "snippets" if "snippets" in modes else next(iter(modes))


def _series(results: dict, name: str, value) -> tuple[list[float], list[float]]:  # noqa: ANN001
    xs, ys = [], []
    for point in sorted(results["growth"], key=lambda p: p["docs"]):
        entry = point["engines"].get(name)
        if not entry or "skipped" in entry:
            continue
        y = value(entry)
        if y is not None and y > 0:
            xs.append(point["docs"])
            ys.append(y)
    return xs, ys


def growth_plots(results: dict, outdir: Path) -> list[Path]:
    """Log-log growth of latency (p50 and p95), index size and build time with corpus size."""
    plt = _pyplot()
    from matplotlib.ticker import NullFormatter

    outdir.mkdir(parents=True, exist_ok=True)
    labels = {n: e["label"] for n, e in results["engines"].items()}
    written = []

    def latency(percentile: str):  # noqa: ANN202
        def get(entry: dict) -> float | None:
            lat = entry.get("latency")
            return lat[headline_mode(lat)][percentile] if lat else None

        return get

    figures = [
        (
            "growth_latency.png",
            "Query latency, top-10 + exact count + snippets",
            "ms per query",
            [("p50_ms", "-"), ("p95_ms", ":")],
        ),
        ("growth_index_size.png", "Index size on disk", "MB", [("size", "-")]),
        ("growth_build_time.png", "Full build time (one process)", "seconds", [("build", "-")]),
    ]
    for filename, title, ylabel, lines in figures:
        fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)

        for name in results["engines"]:
            for key, style in lines:
                if key == "size":
                    xs, ys = _series(results, name, lambda e: e["size_bytes"] / 1e6)
                elif key == "build":
                    xs, ys = _series(results, name, lambda e: e["build_s"])
                else:
                    xs, ys = _series(results, name, latency(key))
                if not xs:
                    continue
                suffix = f" {key.split('_')[0]}" if len(lines) > 1 else ""
                ax.plot(xs, ys, style, marker="o", color=COLOURS.get(name), label=f"{labels[name]}{suffix}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        sizes = sorted({p["docs"] for p in results["growth"]})
        ax.set_xticks(sizes, [f"{x / 1000:,.3g}k" if x >= 1000 else str(x) for x in sizes])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("documents")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = outdir / filename
        fig.savefig(path)
        plt.close(fig)
        written.append(path)
    return written


def latency_plot(results: dict, outdir: Path) -> Path:
    """p50/p95/p99 per engine and mode on the main corpus (log scale)."""
    plt = _pyplot()
    rows = [(name, mode, v) for name, modes in results["latency"].items() for mode, v in modes.items()]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.5), dpi=110)
    labels = {**{n: e["label"] for n, e in results["engines"].items()}, "steppe-http": "Steppe HTTP"}
    for i, (name, _mode, v) in enumerate(rows):
        colour = COLOURS.get(name)
        ax.plot([v["p50_ms"], v["p99_ms"]], [i, i], color=colour, linewidth=1)
        ax.plot(v["p50_ms"], i, "o", color=colour)
        ax.plot(v["p95_ms"], i, "|", color=colour, markersize=12)
        ax.plot(v["p99_ms"], i, "x", color=colour)
    ax.set_yticks(range(len(rows)), [f"{labels.get(n, n)} · {m}" for n, m, _ in rows], fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("ms per query (● p50, | p95, × p99)")
    ax.set_title("Query latency on the main corpus")
    ax.grid(True, which="both", axis="x", alpha=0.3)
    ax.invert_yaxis()
    fig.tight_layout()
    path = outdir / "latency_main.png"
    fig.savefig(path)
    plt.close(fig)
    return path
