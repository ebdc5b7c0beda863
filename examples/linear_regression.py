"""Linear regression (y = w x + b) and polynomial regression (features [x, x^2, x^3] built with ``cat``).

Both fit noisy points with SGD on the mean squared error, in minitorch and beside the PyTorch twins
of ``reference/linear_regression.py`` from identical weights on the same minibatches; the fitted lines
are drawn over the data in ``runs/linear_regression/fits.png``.

    python -m examples linear_regression [--framework minitorch|torch|both] [--epochs N] [--steps N] [--lr LR]
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches
from examples.harness.twin import Side, predict, run_steps, sides
from reference import linear_regression as reference

TRUE_LINE = (2.0, 1.0)  # y = 2 x + 1
TRUE_CUBIC = (0.5, 1.2, -0.8, 0.3)  # y = 0.5 + 1.2 x - 0.8 x^2 + 0.3 x^3
BATCH = 20


class LinearRegression(nn.Module):
    """y = w x + b."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x: Any) -> Any:
        return self.linear(x)


class PolynomialRegression(nn.Module):
    """y = b + sum_k w_k x^k: the features [x, x^2, ..., x^degree] joined with ``cat``, then ``Linear``."""

    def __init__(self, degree: int = 3) -> None:
        super().__init__()
        self.degree = degree
        self.fc = nn.Linear(degree, 1)

    def forward(self, x: Any) -> Any:
        return self.fc(minitorch.cat([x ** k for k in range(1, self.degree + 1)], 1))


def line_data(seed: int, n: int = 200) -> tuple:
    """Points on y = 2x + 1 with Gaussian noise (sd 0.1), x uniform in [-1, 1]."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 1))
    return x, TRUE_LINE[0] * x + TRUE_LINE[1] + 0.1 * rng.standard_normal((n, 1))


def cubic_data(seed: int, n: int = 200) -> tuple:
    """Points on the cubic ``TRUE_CUBIC`` with Gaussian noise (sd 0.05), x uniform in [-1.5, 1.5]."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, (n, 1))
    y = sum(c * x ** k for k, c in enumerate(TRUE_CUBIC))
    return x, y + 0.05 * rng.standard_normal((n, 1))


def train(side: Side, args: Any, ours: type, theirs: type, x: np.ndarray, y: np.ndarray, lr: float,
          steps: int) -> tuple:
    """SGD on the mean squared error over shuffled minibatches; returns (model, curve)."""
    lib = side.lib
    model = side.model(args.seed, ours, theirs)
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    loss_fn = lib.nn.MSELoss()
    data = batches(x, y, BATCH, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        xb, yb = next(data)
        opt.zero_grad()
        loss = loss_fn(model(side.tensor(xb)), side.tensor(yb))
        loss.backward()
        opt.step()
        return loss.item()

    return model, run_steps(side, step, steps, progress=not args.no_progress)


def parameters(side: Side, model: Any) -> list:
    """Every parameter value of the model, rounded to 3 decimals, in ``parameters()`` order."""
    return [round(float(v), 3) for p in model.parameters() for v in side.numpy(p).ravel()]


def plot_fits(path: str, panels: list) -> str:
    """One panel per model: the data points and each framework's fitted curve."""
    plt = report.pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6))
    for ax, (title, x, y, fits) in zip(axes, panels):
        order = np.argsort(x[:, 0])
        ax.scatter(x[:, 0], y[:, 0], s=6, c="0.6", label="data")
        for fw, (side, model) in fits.items():
            dashed = fw == "minitorch"
            ax.plot(x[order, 0], predict(side, model, x[order])[:, 0], label=fw, ls="--" if dashed else "-",
                    zorder=3 if dashed else 2)
        ax.set_title(title)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list | None = None) -> int:
    """Fit the line and the cubic; 1 if the twins disagree."""
    p = cli.parser("linear_regression", __doc__, epochs=30)
    p.add_argument("--lr", type=float, default=0.1, help="SGD learning rate (default: %(default)s)")
    args = cli.parse(p, argv)
    steps = cli.steps_of(args, 200 // BATCH)
    jobs = [("linear", LinearRegression, reference.LinearRegression, line_data(args.seed), args.lr),
            ("polynomial", PolynomialRegression, reference.PolynomialRegression, cubic_data(args.seed), args.lr / 2)]
    results, panels = {}, []
    for name, ours, theirs, (x, y), lr in jobs:
        fits, curves = {}, []
        for side in sides(args):
            model, curve = train(side, args, ours, theirs, x, y, lr, steps)
            fits[side.framework] = (side, model)
            curves.append(curve)
        results[name] = report.summarize("linear_regression", name, f"{name} regression (SGD lr={lr:g})", curves)
        for fw, (side, model) in fits.items():
            results[name][fw]["parameters"] = parameters(side, model)
            print(f"  {fw:>9} parameters: {results[name][fw]['parameters']}")
        panels.append((name, x, y, fits))
    print(f"\ntrue line {TRUE_LINE} (w, b); true cubic {TRUE_CUBIC} (c0..c3; Linear holds w1..w3 then b)")
    print(f"fits: {plot_fits(os.path.join(report.run_dir('linear_regression'), 'fits.png'), panels)}")
    report.finish("linear_regression", results)
    return 0 if report.agree(list(results.values())) else 1


if __name__ == "__main__":
    raise SystemExit(main())
