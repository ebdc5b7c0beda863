"""Printing, plotting and saving what a run measured: ``runs/<name>/`` holds each example's plots and results.

``summarize`` prints each side's first and last loss and time per step and, with both frameworks,
their largest relative loss difference over the first 20 steps; ``finish`` writes the results as JSON.
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from examples.harness.twin import AGREE, max_relative_difference


def run_dir(name: str) -> str:
    """``runs/<name>/``, created if needed."""
    path = os.path.join("runs", name)
    os.makedirs(path, exist_ok=True)
    return path


def summarize(name: str, model: str, title: str, curves: list, info: dict | None = None, plot: bool = True) -> dict:
    """Print the curves side by side and plot them to ``runs/<name>/loss_<model>.png``.

    Returns ``{"model", <framework>: {first_loss, last_loss, ms_per_step, steps, ...}, "max_rel_diff_20"}``;
    ``info`` maps a framework to more results of its run (test accuracy...), and with two frameworks
    ``metric_diffs`` holds the largest relative difference of every other per-step value.
    """
    out: dict = {"model": model}
    print(f"\n{title}")
    for c in curves:
        where = f" on {c.device}" if c.device != "cpu" else ""
        print(f"  {c.framework:>9}{where}: loss {c.losses[0]:.4f} -> {c.losses[-1]:.4f} over {len(c.losses)} steps, "
              f"{c.ms_per_step:.2f} ms/step")
        out[c.framework] = {"first_loss": c.losses[0], "last_loss": c.losses[-1], "ms_per_step": c.ms_per_step,
                            "steps": len(c.losses), **{k: v[-1] for k, v in c.metrics.items() if v},
                            **(info or {}).get(c.framework, {})}
    if len(curves) == 2:
        a, b = curves
        out["max_rel_diff_20"] = max_relative_difference(a.losses, b.losses)
        out["metric_diffs"] = {k: max_relative_difference(v, b.metrics[k]) for k, v in a.metrics.items()}
        extra = "".join(f", {k} {v:.2e}" for k, v in out["metric_diffs"].items())
        print(f"  largest relative loss difference over the first 20 steps: {out['max_rel_diff_20']:.2e}{extra}")
    if plot:
        plot_curves(curves, os.path.join(run_dir(name), f"loss_{model}.png"), title)
    return out


def agree(summaries: list, tolerance: float = AGREE) -> bool:
    """True when every summary that compared both frameworks found their losses within ``tolerance``."""
    return all(s.get("max_rel_diff_20", 0.0) <= tolerance for s in summaries)


def finish(name: str, results: Any) -> str:
    """Write ``results`` to ``runs/<name>/results.json`` and say where they are."""
    path = os.path.join(run_dir(name), "results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2, default=float)
    print(f"results and plots in {run_dir(name)}/ ({path})")
    return path


def pyplot() -> Any:
    """matplotlib.pyplot on the file-only Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_curves(curves: list, path: str, title: str) -> str:
    """Loss curves of all sides on one log-scale chart, saved as PNG."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for c in curves:
        ax.plot(c.losses, label=f"{c.framework} ({c.ms_per_step:.2f} ms/step)", alpha=0.8)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_groups(losses: dict, path: str, title: str, window: int = 25) -> str:
    """Loss curves of several models, one colour per model, solid minitorch, dashed PyTorch.

    ``losses`` is ``{model: {framework: [loss per step]}}``; each curve is a moving average over
    ``window`` steps so that models stay readable on one chart.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, (model, by_fw) in enumerate(losses.items()):
        for fw, values in by_fw.items():
            v = np.asarray(values, np.float64)
            w = max(1, min(window, len(v) // 4))
            smooth = np.convolve(v, np.ones(w) / w, mode="valid")
            ax.plot(np.arange(w, len(v) + 1), smooth, color=f"C{i}", ls="-" if fw == "minitorch" else "--",
                    label=f"{model} ({fw})", alpha=0.9)
    ax.set_xlabel("step")
    ax.set_ylabel(f"loss (moving average of {window})")
    ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_rows(rows: dict, path: str, title: str, vmin: float = 0.0, vmax: float = 1.0,
              shape: tuple | None = None) -> str:
    """One labelled row per entry of ``rows``: images (reshaped to ``shape`` if given) or 1-D signals."""
    plt = pyplot()
    n = max(len(v) for v in rows.values())
    fig, axes = plt.subplots(len(rows), n, figsize=(n * 0.9, len(rows) * 1.0), squeeze=False)
    for r, (label, items) in enumerate(rows.items()):
        for c in range(n):
            ax = axes[r][c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c < len(items):
                item = np.asarray(items[c])
                item = item.reshape(shape) if shape else item.squeeze()
                if item.ndim == 2:
                    ax.imshow(item, cmap="gray", vmin=vmin, vmax=vmax)
                else:
                    ax.plot(item, lw=0.8)
                    ax.set_ylim(vmin, vmax)
            if c == 0:
                ax.set_ylabel(label, fontsize=7)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
