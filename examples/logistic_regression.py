"""Logistic regression, p = sigmoid(w . x + b), trained with ``BCELoss`` and checked against its hand gradient.

Two Gaussian blobs in 2-D are separated by SGD in minitorch and beside the PyTorch twin of
``reference/logistic_regression.py`` from identical weights on the same minibatches. The gradient
of the mean binary cross-entropy is also derived by hand, dL/dw = X^T (sigmoid(Xw + b) - y) / N and
dL/db = mean(sigmoid(Xw + b) - y), and compared with autograd's.

    python -m examples logistic_regression [--framework minitorch|torch|both] [--epochs N] [--steps N] [--lr LR]
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches
from examples.harness.twin import Side, predict, run_steps, sides
from reference import logistic_regression as reference

BATCH = 20


class LogisticRegression(nn.Module):
    """p(y = 1 | x) = sigmoid(w . x + b) for 2-D points x."""

    def __init__(self, in_features: int = 2) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, x: Any) -> Any:
        return self.linear(x).sigmoid()


def blob_data(seed: int, n: int = 200) -> tuple:
    """Two Gaussian blobs in 2-D, centred at (-1, -1) (label 0) and (1, 1) (label 1)."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.float64)[:, None]
    x = rng.standard_normal((n, 2)) + np.where(y == 1, 1.0, -1.0)
    return x, y


def train(side: Side, args: Any, x: np.ndarray, y: np.ndarray, lr: float, steps: int) -> tuple:
    """SGD on the mean binary cross-entropy over shuffled minibatches; returns (model, curve)."""
    lib = side.lib
    model = side.model(args.seed, LogisticRegression, reference.LogisticRegression)
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    loss_fn = lib.nn.BCELoss()
    data = batches(x, y, BATCH, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        xb, yb = next(data)
        opt.zero_grad()
        loss = loss_fn(model(side.tensor(xb)), side.tensor(yb))
        loss.backward()
        opt.step()
        return loss.item()

    return model, run_steps(side, step, steps, progress=not args.no_progress)


def hand_gradient_gap(side: Side, model: Any, x: np.ndarray, y: np.ndarray) -> float:
    """Largest |autograd - hand-derived| over the weight and bias gradients of the mean BCE on (x, y)."""
    lib = side.lib
    xt, yt = side.tensor(x), side.tensor(y)
    model.zero_grad()
    p = model(xt)
    lib.nn.BCELoss()(p, yt).backward()
    with lib.no_grad():
        residual = (p - yt).detach()
        dw = (residual.t() @ xt) / len(x)
        db = residual.mean()
    gaps = [(model.linear.weight.grad - dw).abs().max(), (model.linear.bias.grad - db).abs().max()]
    model.zero_grad()
    return float(max(g.item() for g in gaps))


def plot_boundary(path: str, x: np.ndarray, y: np.ndarray, side: Side, model: Any) -> str:
    """The points coloured by label and the line w . x + b = 0 where the model's probability is 1/2."""
    plt = report.pyplot()
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.scatter(x[:, 0], x[:, 1], s=6, c=y[:, 0], cmap="coolwarm")
    w, b = side.numpy(model.linear.weight).ravel(), side.numpy(model.linear.bias).ravel()
    xs = np.linspace(x[:, 0].min(), x[:, 0].max(), 2)
    ax.plot(xs, -(w[0] * xs + b[0]) / w[1], "k-", label=f"boundary ({side.framework})")
    ax.set_title("logistic regression")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list | None = None) -> int:
    """Fit the blobs; 1 if the twins disagree or the hand gradient differs from autograd."""
    p = cli.parser("logistic_regression", __doc__, epochs=30)
    p.add_argument("--lr", type=float, default=0.5, help="SGD learning rate (default: %(default)s)")
    args = cli.parse(p, argv)
    x, y = blob_data(args.seed)
    steps = cli.steps_of(args, len(x) // BATCH)
    fits, curves = {}, []
    for side in sides(args):
        model, curve = train(side, args, x, y, args.lr, steps)
        fits[side.framework] = (side, model)
        curves.append(curve)
    result = report.summarize("logistic_regression", "logistic", f"logistic regression (SGD lr={args.lr:g})", curves)
    ok = True
    for fw, (side, model) in fits.items():
        gap = hand_gradient_gap(side, model, x, y)
        result[fw]["hand_gradient_gap"] = gap
        result[fw]["accuracy"] = float(np.mean((predict(side, model, x) > 0.5) == (y > 0.5)))
        ok &= gap < 1e-5
        print(f"  {fw:>9}: |autograd - hand-derived gradient| = {gap:.2e}, accuracy {result[fw]['accuracy']:.3f}")
    side, model = next(iter(fits.values()))
    print(f"boundary: {plot_boundary(os.path.join(report.run_dir('logistic_regression'), 'boundary.png'), x, y, side, model)}")
    report.finish("logistic_regression", result)
    return 0 if ok and report.agree([result]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
