"""What the sequence, language and generative examples share: their command line, where each
framework runs, timing a training step in each framework, the side-by-side report, and image data
from any of the three offline sources.

A training step is a function ``step(i) -> float | tuple`` closed over one framework's model and
optimizer; ``run_steps`` times it and records its losses, ``report`` prints the largest difference
between the two frameworks over the first 20 steps, their time per step, and writes the plot.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from examples import cli, data
from examples.common import (
    Curve, frameworks_of, lib_of, max_relative_difference, plot_curves, run_dir, save_results, twin,
)

IMAGE_SOURCES = ("digits", "mnist1d", "mnist")


def parser(name: str, doc: str | None, batch_size: int) -> argparse.ArgumentParser:
    """The examples' shared options (``examples.cli``) plus ``--batch-size`` and ``--float64``; with no
    ``--steps``/``--epochs`` each model trains for its own default number of steps."""
    p = cli.parser(name, doc, steps=None, epochs=None)
    p.add_argument("--batch-size", type=int, default=batch_size, help="minibatch size (default: %(default)s)")
    p.add_argument("--float64", action="store_true",
                   help="train in double precision: both frameworks' losses then agree to ~1e-12")
    return p


def parse(p: argparse.ArgumentParser, argv: list | None) -> argparse.Namespace:
    """Parse ``argv`` and limit both frameworks to ``--threads`` CPU threads (``examples.cli.parse``)."""
    return cli.parse(p, argv)


def steps_of(args: argparse.Namespace, default: int, n_train: int | None = None) -> int:
    """``--steps``, else ``--epochs`` converted to steps of ``--batch-size`` (for data of ``n_train``
    examples), else the model's ``default``."""
    if args.steps is not None:
        return args.steps
    if args.epochs is not None and n_train:
        return max(1, args.epochs * (n_train // args.batch_size))
    return default


@dataclass
class Side:
    """One framework of a run: its library, the device its tensors and models live on, and whether
    it trains in float64 (else float32)."""

    framework: str
    lib: Any
    device: str
    float64: bool = False

    def tensor(self, array: Any) -> Any:
        """A numpy array as a tensor of this framework on its device, floats in the run's precision."""
        a = np.asarray(array)
        if a.dtype.kind == "f":
            a = a.astype(np.float64 if self.float64 else np.float32)
        t = self.lib.tensor(a)
        return t.to(self.device) if self.device != "cpu" else t

    def model(self, factory: Callable[[Any], Any], seed: int) -> Any:
        """``factory(lib)`` with the weights PyTorch draws from ``seed``, moved to the device."""
        m = twin(factory, self.lib, seed)
        if self.float64:
            m = m.double()
        return m.to(self.device) if self.device != "cpu" else m

    def numpy(self, t: Any) -> np.ndarray:
        """A tensor of this framework as a numpy array (detached, on the CPU)."""
        return t.detach().cpu().numpy()


def sides(args: argparse.Namespace) -> list:
    """The frameworks chosen on the command line, each with its device (PyTorch's is ``--device``)."""
    if args.framework == "minitorch" and args.device != "cpu":
        raise SystemExit("minitorch runs on the CPU only: use --device cpu, or --framework torch/both for CUDA")
    return [Side(fw, lib_of(fw), cli.torch_device(args) if fw == "torch" else "cpu", args.float64)
            for fw in frameworks_of(args.framework)]


def run_steps(side: Side, step: Callable[[int], Any], steps: int, names: Sequence[str] = ("loss",),
              args: Any = None) -> Curve:
    """Time ``steps`` calls of ``step(i)``; its first returned value is the loss, the rest go to metrics."""
    from tqdm import tqdm

    curve = Curve(side.framework)
    for name in names[1:]:
        curve.metrics[name] = []
    quiet = bool(getattr(args, "no_progress", False))
    bar = tqdm(range(steps), desc=f"{side.framework:>9}", leave=False, disable=True if quiet else None)
    t0 = time.perf_counter()
    for i in bar:
        out = step(i)
        values = out if isinstance(out, tuple) else (out,)
        curve.losses.append(float(values[0]))
        for name, v in zip(names[1:], values[1:]):
            curve.metrics[name].append(float(v))
        if (i + 1) % 25 == 0:
            bar.set_postfix({n: f"{v:.4f}" for n, v in zip(names, values)})
    if side.device == "cuda":
        import torch

        torch.cuda.synchronize()
    curve.seconds = time.perf_counter() - t0
    return curve


def classifier_step(side: Side, model: Any, opt: Any, data: Any) -> Callable[[int], float]:
    """One cross-entropy training step on the next (x, y) batch of ``data``; returns the loss."""
    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = side.lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return step


def report(name: str, model: str, curves: list, info: dict | None = None) -> dict:
    """Print time per step of each framework and, with two, their largest loss difference; plot.

    ``info`` maps a framework to more results of its run (test accuracy...), kept in the result.
    """
    result: dict = {"model": model}
    for c in curves:
        result[c.framework] = {"ms_per_step": c.ms_per_step, "first_loss": c.losses[0], "last_loss": c.losses[-1],
                               **{k: v[-1] for k, v in c.metrics.items() if isinstance(v, list) and v},
                               **(info or {}).get(c.framework, {})}
        print(f"  {model:<22} {c.framework:>9}: loss {c.losses[0]:.4f} -> {c.losses[-1]:.4f}, "
              f"{c.ms_per_step:7.2f} ms/step")
    if len(curves) == 2:
        a, b = curves
        diffs = {"loss": max_relative_difference(a.losses, b.losses)}
        for key, values in a.metrics.items():
            if isinstance(values, list):
                diffs[key] = max_relative_difference(values, b.metrics[key])
        result["max_relative_difference_first_20_steps"] = diffs
        text = ", ".join(f"{k} {v:.2e}" for k, v in diffs.items())
        print(f"  {model:<22} largest relative difference over the first 20 steps: {text}")
    plot_curves(curves, f"{run_dir(name)}/loss_{model}.png", f"{name}: {model}")
    return result


def finish(name: str, results: list) -> None:
    """Write every model's results to ``runs/<name>/results.json``."""
    path = save_results(name, {"models": results})
    print(f"results and plots in {run_dir(name)}/ ({path})")


def image_data(source: str, data_dir: str | None = None) -> dict:
    """Images in [0, 1] (N, H, W) from ``digits`` (8x8), ``mnist`` (28x28, from ``data_dir``), or
    MNIST-1D signals (N, 40) min-max scaled to [0, 1]; with labels ``y`` and a test split."""
    if source == "digits":
        return data.digits()
    if source == "mnist1d":
        d = data.mnist1d()
        lo, hi = d["x"].min(), d["x"].max()
        x, x_test = (((a - lo) / (hi - lo)).astype(np.float32) for a in (d["x"], d["x_test"]))
        return {"x": x, "y": d["y"], "x_test": x_test, "y_test": d["y_test"]}
    if source == "mnist":
        if data_dir is None:
            raise SystemExit("--data mnist needs --data-dir pointing at a folder with MNIST/raw/ in it")
        out = {}
        for split, suffix in ((True, ""), (False, "_test")):
            ds = data.mnist(data_dir, train=split)
            out["x" + suffix] = ds.data.numpy().astype(np.float32) / 255.0
            out["y" + suffix] = ds.targets.numpy().astype(np.int64)
        return out
    raise SystemExit(f"unknown data source {source!r}; choose from {IMAGE_SOURCES}")


def source_of(args: argparse.Namespace, default: str) -> str:
    """``--data`` if given, MNIST when ``--data-dir`` is, else the example's default source."""
    chosen = getattr(args, "data", None)
    if chosen:
        return chosen
    return "mnist" if args.data_dir else default


def accuracy(side: Side, model: Any, x: np.ndarray, y: np.ndarray, batch_size: int = 500) -> float:
    """Fraction of ``x`` whose largest logit is its label ``y`` (the model in eval mode, no grad)."""
    model.eval()
    correct = 0
    with side.lib.no_grad():
        for start in range(0, len(x), batch_size):
            logits = side.numpy(model(side.tensor(x[start:start + batch_size])))
            correct += int((logits.argmax(-1) == y[start:start + batch_size]).sum())
    model.train()
    return correct / max(len(x), 1)


def plot_rows(rows: dict, path: str, title: str, vmin: float = 0.0, vmax: float = 1.0,
              shape: tuple | None = None) -> str:
    """One labelled row per entry of ``rows``: images (reshaped to ``shape`` if given) or 1-D signals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
