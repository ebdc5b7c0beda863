"""Linear, polynomial (features from cat of powers) and logistic regression (Sigmoid + BCELoss).

Each model is trained with SGD in every chosen framework from identical weights on the same
minibatches. The logistic model's gradient is also derived by hand,
dL/dw = X^T (sigmoid(Xw + b) - y) / N and dL/db = mean(sigmoid(Xw + b) - y) for the mean BCE,
and checked against autograd.

    python -m examples regression [--framework minitorch|torch|both] [--epochs N] [--steps N]
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from examples import data, twins
from examples.cli import parse, parser, total_steps
from examples.common import run_dir, save_results, to_lib

TRUE_LINE = (2.0, 1.0)  # y = 2 x + 1
TRUE_CUBIC = (0.5, 1.2, -0.8, 0.3)  # y = 0.5 + 1.2 x - 0.8 x^2 + 0.3 x^3
BATCH = 20


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


def blob_data(seed: int, n: int = 200) -> tuple:
    """Two Gaussian blobs in 2-D, centred at (-1, -1) (label 0) and (1, 1) (label 1)."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.float64)[:, None]
    x = rng.standard_normal((n, 2)) + np.where(y == 1, 1.0, -1.0)
    return x, y


def linear_model(lib: Any) -> Any:
    """y = w x + b: ``nn.Linear(1, 1)``."""
    return lib.nn.Linear(1, 1)


def polynomial_model(lib: Any, degree: int = 3) -> Any:
    """y = b + sum_k w_k x^k: the features [x, x^2, ..., x^degree] built with ``cat``, then ``nn.Linear``."""

    class Polynomial(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.degree = degree
            self.fc = lib.nn.Linear(degree, 1)

        def forward(self, x: Any) -> Any:
            return self.fc(lib.cat([x ** k for k in range(1, self.degree + 1)], 1))

    return Polynomial()


def logistic_model(lib: Any) -> Any:
    """p = sigmoid(w . x + b): ``nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())``."""
    return lib.nn.Sequential(lib.nn.Linear(2, 1), lib.nn.Sigmoid())


def hand_gradient_gap(lib: Any, model: Any, x: np.ndarray, y: np.ndarray) -> float:
    """Largest |autograd - hand-derived| over the logistic model's weight and bias gradients."""
    linear = model[0]
    xt, yt = to_lib(lib, x), to_lib(lib, y)
    model.zero_grad()
    p = model(xt)
    lib.nn.BCELoss()(p, yt).backward()
    with lib.no_grad():
        residual = (p - yt).detach()
        dw = (residual.t() @ xt) / len(x)
        db = residual.mean()
    gaps = [(linear.weight.grad - dw).abs().max(), (linear.bias.grad - db).abs().max()]
    model.zero_grad()
    return float(max(g.item() for g in gaps))


def sgd(lr: float) -> Any:
    return lambda lib, params: lib.optim.SGD(params, lr=lr)


def _params(run: twins.Run) -> list:
    return [round(float(v), 3) for p in run.model.parameters() for v in p.detach().cpu().numpy().ravel()]


def _plot_fits(path: str, panels: list) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6))
    for ax, (title, x, y, runs) in zip(axes, panels):
        if x.shape[1] == 1:
            order = np.argsort(x[:, 0])
            ax.scatter(x[:, 0], y[:, 0], s=6, c="0.6", label="data")
            for fw, run in runs.items():
                dashed = fw == "minitorch"
                ax.plot(x[order, 0], twins.predict(run, x[order])[:, 0], label=fw, ls="--" if dashed else "-",
                        zorder=3 if dashed else 2)
        else:
            ax.scatter(x[:, 0], x[:, 1], s=6, c=y[:, 0], cmap="coolwarm")
            run = next(iter(runs.values()))
            w, b = [p.detach().cpu().numpy().ravel() for p in run.model.parameters()]
            xs = np.linspace(x[:, 0].min(), x[:, 0].max(), 2)
            ax.plot(xs, -(w[0] * xs + b[0]) / w[1], "k-", label=f"boundary ({run.framework})")
        ax.set_title(title)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list | None = None) -> int:
    """Fit the three models; 1 if twins disagree or the hand gradient differs from autograd."""
    p = parser("regression", __doc__, epochs=30)
    p.add_argument("--lr", type=float, default=0.1, help="SGD learning rate (default: %(default)s)")
    args = parse(p, argv)
    seed, per_epoch = args.seed, 200 // BATCH
    steps = total_steps(args, per_epoch)
    tasks = [
        ("linear", linear_model, line_data(seed), lambda lib: lib.nn.MSELoss(), args.lr),
        ("polynomial", polynomial_model, cubic_data(seed), lambda lib: lib.nn.MSELoss(), args.lr / 2),
        ("logistic", logistic_model, blob_data(seed), lambda lib: lib.nn.BCELoss(), 5 * args.lr),
    ]
    results, panels, ok = {}, [], True
    for name, factory, (x, y), loss, lr in tasks:
        runs = twins.fit(args, factory, sgd(lr), loss,
                         lambda x=x, y=y: data.batches(x, y, BATCH, shuffle=True, seed=seed), steps)
        results[name] = twins.summarize(runs, "regression", f"{name} regression (SGD lr={lr:g})", f"{name}.png")
        for fw, run in runs.items():
            print(f"  {fw:>9} parameters: {_params(run)}")
        if name == "logistic":
            for fw, run in runs.items():
                gap = hand_gradient_gap(run.lib, run.model, x, y)
                results[name][f"hand_gradient_gap_{fw}"] = gap
                ok &= gap < 1e-5
                print(f"  {fw:>9}: |autograd - hand-derived gradient| = {gap:.2e}")
            results[name]["accuracy"] = {fw: float(np.mean((twins.predict(r, x) > 0.5) == (y > 0.5)))
                                          for fw, r in runs.items()}
        panels.append((name, x, y, runs))
    print(f"\ntrue line {TRUE_LINE} (w, b); true cubic {TRUE_CUBIC} (c0..c3; Linear holds w1..w3 then b)")
    print(f"fits: {_plot_fits(os.path.join(run_dir('regression'), 'fits.png'), panels)}")
    save_results("regression", results)
    return 0 if ok and twins.agree(list(results.values())) else 1
