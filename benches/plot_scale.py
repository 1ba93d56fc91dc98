#!/usr/bin/env python3
"""Plots what `cargo bench --bench scale` measured: wall time, CPU time and peak RSS of a cold
`verbatim check` against corpus size (files, 12 versions a story) and against versions per
story, from the CSV the bench writes (`target/tmp/scale.csv`).

    python3 benches/plot_scale.py [CSV] [PNG]

Needs matplotlib (`python3 -m pip install matplotlib`, in a virtual environment if the system
Python refuses). The default output is benches/scale.png, the plot benches/README.md shows.
"""

import csv
import os
import sys


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    series = {}
    for row in rows:
        if row["outcome"] != "ok" or row["group"] not in ("size", "versions"):
            continue
        series.setdefault(row["group"], []).append(
            {
                "x": int(row["x"]),
                "files": int(row["files"]),
                "mb": int(row["bytes"]) / 1e6,
                "seconds": float(row["seconds"]),
                "cpu": float(row["cpu_seconds"]),
                "peak": float(row["peak_mib"]),
            }
        )
    for points in series.values():
        points.sort(key=lambda p: p["x"])
    return series


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/tmp/scale.csv")
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "benches/scale.png")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        sys.exit("plot_scale.py needs matplotlib: python3 -m pip install matplotlib")
    if not os.path.exists(source):
        sys.exit(f"no results at {source}: run `cargo bench --bench scale -- real/` first")
    series = load(source)
    if not series:
        sys.exit(f"{source} holds no real-text results (groups 'size' and 'versions')")

    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    titles = {
        "size": "Corpus size (12 versions a story)",
        "versions": "Versions per story",
    }
    xlabels = {"size": "files", "versions": "versions per story"}
    for col, group in enumerate(("size", "versions")):
        points = series.get(group, [])
        top, bottom = axes[0][col], axes[1][col]
        top.set_title(titles[group])
        bottom.set_xlabel(xlabels[group])
        if not points:
            top.text(0.5, 0.5, "not measured", ha="center", transform=top.transAxes)
            bottom.text(0.5, 0.5, "not measured", ha="center", transform=bottom.transAxes)
            continue
        xs = [p["x"] if group == "versions" else p["files"] for p in points]
        top.plot(xs, [p["seconds"] for p in points], "o-", label="wall time")
        top.plot(xs, [p["cpu"] for p in points], "s--", label="CPU time (all threads)")
        top.set_ylabel("seconds")
        bottom.plot(xs, [p["peak"] for p in points], "o-", label="peak RSS")
        bottom.plot(
            xs, [3 * p["mb"] / 1.048576 for p in points], ":", label="3 × corpus bytes (target)"
        )
        bottom.set_ylabel("MiB")
        for ax in (top, bottom):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend()
            ax.set_xticks(xs)
            ax.set_xticklabels([str(x) for x in xs])
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    fig.suptitle("Cold `verbatim check --format json` on real text (benches/scale.rs)")
    fig.savefig(target, dpi=100)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
