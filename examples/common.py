"""What every example shares: choosing the framework, identical starting weights, side-by-side runs.

The models of the examples are written once against the API that minitorch and PyTorch share
(``lib.nn.Linear``, ``lib.optim.Adam``...), and built for either framework. ``twin`` builds the
model in PyTorch from a seed and copies its ``state_dict`` into the minitorch model, so both start
from the same weights; ``side_by_side`` then feeds both the same batches and compares the losses.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np

FRAMEWORKS = ("minitorch", "torch")


def lib_of(framework: str) -> Any:
    """The module for a framework name: ``minitorch`` or ``torch``."""
    if framework == "minitorch":
        import minitorch

        return minitorch
    if framework == "torch":
        import torch

        return torch
    raise ValueError(f"unknown framework {framework!r}; choose from {FRAMEWORKS}")


def frameworks_of(choice: str) -> tuple:
    """``'both'`` means minitorch then torch."""
    return FRAMEWORKS if choice == "both" else (choice,)


def twin(factory: Callable[[Any], Any], lib: Any, seed: int = 0) -> Any:
    """``factory(lib)`` with the weights torch draws from ``seed`` (copied when lib is minitorch)."""
    import torch

    torch.manual_seed(seed)
    reference = factory(torch)
    if lib is torch:
        return reference
    model = factory(lib)
    model.load_state_dict({k: v.detach().cpu().numpy() for k, v in reference.state_dict().items()})
    return model


def to_lib(lib: Any, array: np.ndarray) -> Any:
    """A numpy array as a tensor of ``lib`` (float64 arrays become float32, like torch.Tensor)."""
    a = np.asarray(array)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    return lib.tensor(a)


def run_dir(name: str) -> str:
    """``runs/<name>/``, created if needed: where plots and results go."""
    path = os.path.join("runs", name)
    os.makedirs(path, exist_ok=True)
    return path


@dataclass
class Curve:
    """Per-step losses and wall time of one framework's run."""

    framework: str
    losses: list = field(default_factory=list)
    seconds: float = 0.0
    metrics: dict = field(default_factory=dict)

    @property
    def ms_per_step(self) -> float:
        return 1000 * self.seconds / max(len(self.losses), 1)


def train(lib: Any, model: Any, optimizer: Any, loss_fn: Callable, batches: Iterable, steps: int,
          framework: str, progress: bool = True) -> Curve:
    """The plain training loop: zero_grad, forward, loss, backward, step, for ``steps`` batches."""
    from tqdm import tqdm

    curve = Curve(framework)
    it = iter(batches)
    bar = tqdm(range(steps), desc=f"{framework:>9}", leave=False, disable=None if progress else True)
    t0 = time.perf_counter()
    for _ in bar:
        x, y = next(it)
        optimizer.zero_grad()
        loss = loss_fn(model(to_lib(lib, x)), to_lib(lib, y))
        loss.backward()
        optimizer.step()
        curve.losses.append(float(loss.item()))
        if len(curve.losses) % 50 == 0:
            bar.set_postfix(loss=f"{curve.losses[-1]:.4f}")
    curve.seconds = time.perf_counter() - t0
    return curve


def max_relative_difference(a: list, b: list, n: int = 20) -> float:
    """The largest |a - b| / max(|b|, 1e-12) over the first ``n`` steps of two loss curves."""
    a, b = np.asarray(a[:n], np.float64), np.asarray(b[:n], np.float64)
    m = min(len(a), len(b))
    if m == 0:
        return 0.0
    return float(np.max(np.abs(a[:m] - b[:m]) / np.maximum(np.abs(b[:m]), 1e-12)))


def plot_curves(curves: list, path: str, title: str) -> str:
    """Loss curves of all frameworks on one chart, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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


def save_results(name: str, results: dict) -> str:
    path = os.path.join(run_dir(name), "results.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2, default=float)
    return path
