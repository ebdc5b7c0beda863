"""Train one model in each chosen framework, from identical weights, on identical batches.

``fit(args, factory, optimizer, loss, batches, steps)`` builds ``factory(lib)`` for every framework
of ``--framework`` with the weights torch draws from ``--seed`` (``common.twin``), moves PyTorch's
copy to ``--device``, and runs ``common.train`` on a fresh ``batches()`` iterator each, so both see
the same data in the same order. ``summarize`` prints and plots the curves side by side.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from examples.cli import torch_device
from examples.common import Curve, frameworks_of, lib_of, max_relative_difference, plot_curves, run_dir, to_lib, train
from examples.common import twin as same_weights

AGREE = 1e-4  # float32 twins of a deterministic model: relative loss difference over the first 20 steps


@dataclass
class Run:
    """One framework's trained model, its loss curve, and where it ran."""

    framework: str
    lib: Any
    model: Any
    curve: Curve
    device: str = "cpu"


def fit(args: Any, factory: Callable[[Any], Any], optimizer: Callable[[Any, Any], Any],
        loss: Callable[[Any], Callable], batches: Callable[[], Any], steps: int) -> dict:
    """``{framework: Run}``: each framework's twin of ``factory`` trained ``steps`` steps.

    ``optimizer(lib, params)`` makes the optimizer, ``loss(lib)`` the loss function
    ``(output, target) -> scalar``, and ``batches()`` a fresh iterator of numpy ``(x, y)``.
    """
    runs = {}
    for framework in frameworks_of(args.framework):
        lib = lib_of(framework)
        device = torch_device(args) if framework == "torch" else "cpu"
        model = twin(factory, lib, args.seed, device)
        fn = loss(lib)

        def forward(x: Any, model: Any = model, device: str = device) -> Any:
            return model(x.to(device)) if device != "cpu" else model(x)

        def criterion(out: Any, y: Any, fn: Callable = fn, device: str = device) -> Any:
            return fn(out, y.to(device)) if device != "cpu" else fn(out, y)

        curve = train(lib, forward, optimizer(lib, model.parameters()), criterion, batches(), steps, framework,
                      progress=not getattr(args, "no_progress", False))
        runs[framework] = Run(framework, lib, model, curve, device)
    return runs


def twin(factory: Callable[[Any], Any], lib: Any, seed: int, device: str = "cpu") -> Any:
    """``common.twin`` on ``device`` (PyTorch's copy moves there; minitorch stays on the CPU)."""
    model = same_weights(factory, lib, seed)
    return model.to(device) if device != "cpu" else model


def predict(run: Run, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """The model's outputs for numpy inputs ``x`` as a float64 numpy array (eval mode, no grad)."""
    lib, model = run.lib, run.model
    was_training = model.training
    model.eval()
    outs = []
    with lib.no_grad():
        for start in range(0, len(x), batch_size):
            xb = to_lib(lib, x[start:start + batch_size])
            out = model(xb.to(run.device) if run.device != "cpu" else xb)
            outs.append(np.asarray(out.detach().cpu().numpy(), dtype=np.float64))
    model.train(was_training)
    return np.concatenate(outs)


def accuracy(run: Run, x: np.ndarray, y: np.ndarray) -> float:
    """Fraction of ``x`` whose arg-max output equals the label ``y``."""
    return float(np.mean(predict(run, x).argmax(-1) == np.asarray(y)))


def agreement(runs: dict, n: int = 20) -> float | None:
    """Largest relative loss difference between minitorch and PyTorch over the first ``n`` steps."""
    if "minitorch" not in runs or "torch" not in runs:
        return None
    return max_relative_difference(runs["minitorch"].curve.losses, runs["torch"].curve.losses, n)


def summarize(runs: dict, name: str, title: str, plot: str | None = None) -> dict:
    """Print each framework's first/last loss and time per step, the twins' agreement; plot the curves.

    Returns ``{"<framework>": {...}, "max_rel_diff_20": ...}`` for ``save_results``.
    """
    out: dict = {}
    print(f"\n{title}")
    for fw, run in runs.items():
        c = run.curve
        where = f" on {run.device}" if run.device != "cpu" else ""
        print(f"  {fw:>9}{where}: loss {c.losses[0]:.4f} -> {c.losses[-1]:.4f} over {len(c.losses)} steps, "
              f"{c.ms_per_step:.2f} ms/step")
        out[fw] = {"first_loss": c.losses[0], "last_loss": c.losses[-1], "ms_per_step": c.ms_per_step,
                   "steps": len(c.losses)}
    diff = agreement(runs)
    if diff is not None:
        print(f"  largest relative loss difference over the first 20 steps: {diff:.2e}")
        out["max_rel_diff_20"] = diff
    if plot:
        path = plot_curves([r.curve for r in runs.values()], os.path.join(run_dir(name), plot), title)
        print(f"  plot: {path}")
    return out


def agree(summaries: list) -> bool:
    """True when every summary that compared both frameworks found them within ``AGREE``."""
    return all(s.get("max_rel_diff_20", 0.0) <= AGREE for s in summaries)


def plot_groups(losses: dict, path: str, title: str, window: int = 25) -> str:
    """Loss curves of several models, one colour per model, solid minitorch, dashed PyTorch.

    ``losses`` is ``{model: {framework: [loss per step]}}``; each curve is a moving average over
    ``window`` steps so that models stay readable on one chart.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
