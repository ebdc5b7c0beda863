"""Gradient clipping in minitorch: an exploding RNN trained beside its PyTorch twin (reference/grad_clipping.py).

A ReLU RNN whose recurrent matrix has spectral radius above 1 reads 40 steps of noise and predicts
their scaled sum; its gradient norm explodes. ``nn.utils.clip_grad_norm_`` rescales the gradients
to ``max_norm`` and keeps SGD finite; the same run without clipping is printed beside it.

    python -m examples grad_clipping --framework both --steps 30
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from examples.harness import cli, report
from examples.harness.twin import Side, run_steps, sides
from reference import grad_clipping as reference

NAME = "grad_clipping"
DEFAULT_STEPS = 30


class ExplodingRNN(nn.Module):
    """A ReLU ``nn.RNN`` whose recurrent weight is ``radius`` times an orthogonal matrix: with
    ``radius`` > 1 the hidden state and the gradient grow roughly like ``radius ** T``."""

    def __init__(self, hidden_size: int = 32, radius: float = 1.4, seed: int = 0) -> None:
        super().__init__()
        self.rnn = nn.RNN(1, hidden_size, nonlinearity="relu", batch_first=True)
        self.fc = nn.Linear(hidden_size, 1)
        q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((hidden_size, hidden_size)))
        with minitorch.no_grad():
            self.rnn.weight_hh_l0.copy_(minitorch.tensor((radius * q).astype(np.float32)))

    def forward(self, x: Any) -> Any:
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def memory_batches(batch_size: int, seed: int, length: int = 40) -> Any:
    """Endless (x, y): noise sequences (B, T, 1) and their scaled sum (B, 1), a task needing memory."""
    rng = np.random.default_rng(seed)
    while True:
        x = rng.standard_normal((batch_size, length, 1)).astype(np.float32)
        yield x, x.sum(axis=1) / math.sqrt(length)


def train_clipped(side: Side, args: Any, steps: int, max_norm: float = 1.0, clip: bool = True) -> tuple:
    """SGD on the exploding RNN; each step records the loss and the gradient norm before clipping.

    With ``clip`` the gradients are rescaled to norm ``max_norm`` (``clip_grad_norm_``) and the
    norm after clipping is recorded too; without it the step uses the raw, exploding gradient.
    """
    lib = side.lib
    model = side.model(args.seed, ExplodingRNN, reference.ExplodingRNN)
    opt = lib.optim.SGD(model.parameters(), lr=1e-2)
    data = memory_batches(args.batch_size, args.seed)
    params = list(model.parameters())

    def step(i: int) -> tuple:
        x, y = next(data)
        opt.zero_grad()
        loss = lib.nn.functional.mse_loss(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        if clip:
            before = lib.nn.utils.clip_grad_norm_(params, max_norm)
        else:
            before = lib.nn.utils.get_total_norm([p.grad for p in params])
        after = lib.nn.utils.get_total_norm([p.grad for p in params])
        opt.step()
        return loss.item(), before.item(), after.item()

    curve = run_steps(side, step, steps, names=("loss", "norm_before", "norm_after"), progress=not args.no_progress)
    return curve, {"max_norm": max_norm, "clipped": clip}


def clip_table(clipped: Any, raw: Any, rows: int = 8) -> None:
    """Print the gradient norm before and after clipping beside the loss with and without it."""
    print(f"  {'step':>4} {'norm before':>12} {'after clip':>11} {'loss (clipped)':>15} {'loss (no clip)':>15}")
    for i in range(min(rows, len(clipped.losses))):
        print(f"  {i + 1:>4} {clipped.metrics['norm_before'][i]:>12.4g} {clipped.metrics['norm_after'][i]:>11.4g} "
              f"{clipped.losses[i]:>15.4g} {raw.losses[i]:>15.4g}")


def main(argv: list | None = None) -> int:
    """Train the exploding RNN with and without clipping in the chosen frameworks; print the norms."""
    p = cli.parser(NAME, __doc__, batch_size=64)
    args = cli.parse(p, argv)
    steps = cli.steps_of(args, 0, DEFAULT_STEPS)
    curves, infos = [], {}
    for side in sides(args):
        curve, info = train_clipped(side, args, steps)
        with np.errstate(over="ignore", invalid="ignore"):
            raw, _ = train_clipped(side, args, steps, clip=False)
        print(f"  {side.framework}: exploding RNN, clip_grad_norm_(max_norm={info['max_norm']})")
        clip_table(curve, raw)
        info["loss_without_clipping"] = raw.losses
        curves.append(curve)
        infos[side.framework] = info
    report.finish(NAME, {"models": [report.summarize(NAME, "clip", "exploding RNN, gradients clipped", curves, infos)]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
