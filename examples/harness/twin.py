"""Running one model in minitorch and beside its PyTorch twin, from identical weights.

A ``Side`` is one framework of a run: its library (``minitorch`` or ``torch``), the device its
tensors live on, and its precision. ``Side.model(seed, Ours, Theirs, *args)`` builds the PyTorch
model ``Theirs(*args)`` after ``torch.manual_seed(seed)``; on the minitorch side it builds
``Ours(*args)`` and loads that PyTorch model's ``state_dict`` into it, so both start alike.
A training loop is a function ``step(i) -> loss`` (or a tuple whose first value is the loss) closed
over one side's model and optimizer; ``run_steps`` times it and records a ``Curve``.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from examples.harness.cli import torch_device

FRAMEWORKS = ("minitorch", "torch")
AGREE = 1e-4  # float32 twins of a deterministic model: relative loss difference over the first 20 steps


def lib_of(framework: str) -> Any:
    """The module for a framework name: ``minitorch`` or ``torch``."""
    if framework == "minitorch":
        import minitorch

        return minitorch
    if framework == "torch":
        import torch

        return torch
    raise ValueError(f"unknown framework {framework!r}; choose from {FRAMEWORKS}")


@dataclass
class Side:
    """One framework of a run: its library, its device, and whether it trains in float64 (else float32)."""

    framework: str
    device: str = "cpu"
    float64: bool = False

    @property
    def lib(self) -> Any:
        """``minitorch`` or ``torch``."""
        return lib_of(self.framework)

    def tensor(self, array: Any) -> Any:
        """A numpy array as a tensor of this framework on its device, floats in the run's precision."""
        a = np.asarray(array)
        if a.dtype.kind == "f":
            a = a.astype(np.float64 if self.float64 else np.float32)
        t = self.lib.tensor(a)
        return t.to(self.device) if self.device != "cpu" else t

    def numpy(self, t: Any) -> np.ndarray:
        """A tensor of this framework as a numpy array (detached, on the CPU)."""
        return t.detach().cpu().numpy()

    def model(self, seed: int, ours: Callable[..., Any], theirs: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``theirs(*args, **kwargs)`` (PyTorch) with the weights torch draws from ``seed``; on the
        minitorch side ``ours(*args, **kwargs)`` holding those same weights; in the run's precision and device."""
        import torch

        torch.manual_seed(seed)
        reference = theirs(*args, **kwargs)
        if self.framework == "torch":
            model = reference
        else:
            model = ours(*args, **kwargs)
            model.load_state_dict({k: v.detach().cpu().numpy() for k, v in reference.state_dict().items()})
        if self.float64:
            model = model.double()
        return model.to(self.device) if self.device != "cpu" else model


def sides(args: argparse.Namespace) -> list:
    """The frameworks chosen by ``--framework`` (``both``: minitorch then torch), PyTorch on ``--device``."""
    if args.framework == "minitorch" and args.device != "cpu":
        raise SystemExit("minitorch runs on the CPU only: use --device cpu, or --framework torch/both for CUDA")
    chosen = FRAMEWORKS if args.framework == "both" else (args.framework,)
    return [Side(fw, torch_device(args.device) if fw == "torch" else "cpu", args.float64) for fw in chosen]


@dataclass
class Curve:
    """Per-step losses (and other per-step values in ``metrics``) and the wall time of one side's run."""

    framework: str
    losses: list = field(default_factory=list)
    seconds: float = 0.0
    metrics: dict = field(default_factory=dict)
    device: str = "cpu"

    @property
    def ms_per_step(self) -> float:
        """Mean wall time of one step in milliseconds."""
        return 1000 * self.seconds / max(len(self.losses), 1)


def run_steps(side: Side, step: Callable[[int], Any], steps: int, names: Sequence[str] = ("loss",),
              progress: bool = True) -> Curve:
    """Time ``steps`` calls of ``step(i)``; its first returned value is the loss, the rest go to metrics."""
    from tqdm import tqdm

    curve = Curve(side.framework, metrics={name: [] for name in names[1:]}, device=side.device)
    bar = tqdm(range(steps), desc=f"{side.framework:>9}", leave=False, disable=None if progress else True)
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


def predict(side: Side, model: Any, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """The model's outputs for numpy inputs ``x`` as a float64 numpy array (eval mode, no grad)."""
    was_training = model.training
    model.eval()
    with side.lib.no_grad():
        outs = [np.asarray(side.numpy(model(side.tensor(x[i:i + batch_size]))), np.float64)
                for i in range(0, len(x), batch_size)]
    model.train(was_training)
    return np.concatenate(outs)


def accuracy(side: Side, model: Any, x: np.ndarray, y: np.ndarray) -> float:
    """Fraction of ``x`` whose largest output is its label ``y``."""
    return float(np.mean(predict(side, model, x).argmax(-1) == np.asarray(y)))


def max_relative_difference(a: Sequence[float], b: Sequence[float], n: int = 20) -> float:
    """The largest |a - b| / max(|b|, 1e-12) over the first ``n`` values of two curves."""
    a, b = np.asarray(a[:n], np.float64), np.asarray(b[:n], np.float64)
    m = min(len(a), len(b))
    if m == 0:
        return 0.0
    return float(np.max(np.abs(a[:m] - b[:m]) / np.maximum(np.abs(b[:m]), 1e-12)))
