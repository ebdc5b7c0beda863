"""TwoLayerNet (clamp(min=0) as ReLU, F.cross_entropy, SGD) and an MLP with each activation, incl. Maxout.

The activations the tutorials discuss (Sigmoid, Tanh, ReLU, LeakyReLU, and Maxout as a small
custom module) each train the same MLP shape on MNIST-1D (or digits, or MNIST with --data-dir),
in minitorch and beside the PyTorch twins of ``reference/mlp.py`` from identical weights on the
same shuffled minibatches.

    python -m examples mlp [--framework minitorch|torch|both] [--epochs N] [--steps N] [--dataset NAME]
"""
from __future__ import annotations

import os
from typing import Any

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import NAMES, batches, flat, load
from examples.harness.twin import Side, accuracy, run_steps, sides
from reference import mlp as reference

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")


class TwoLayerNet(nn.Module):
    """The tutorial's TwoLayerNet: linear1 -> clamp(min=0) (a ReLU) -> linear2."""

    def __init__(self, d_in: int, hidden: int, d_out: int) -> None:
        super().__init__()
        self.linear1 = nn.Linear(d_in, hidden)
        self.linear2 = nn.Linear(hidden, d_out)

    def forward(self, x: Any) -> Any:
        h_relu = self.linear1(x).clamp(min=0)
        return self.linear2(h_relu)


class Maxout(nn.Module):
    """Maxout: y_j = max_k (W_k x + b_k)_j, one Linear with ``pieces`` outputs per unit, max over pieces."""

    def __init__(self, in_features: int, out_features: int, pieces: int = 2) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: Any) -> Any:
        z = self.linear(x).view(-1, self.out_features, self.pieces)
        return z.max(dim=-1).values

    def extra_repr(self) -> str:
        return f"pieces={self.pieces}"


def activation(name: str) -> nn.Module:
    """The activation module called ``name``: Sigmoid, Tanh, ReLU or LeakyReLU(0.01)."""
    layers = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01)}
    if name not in layers:
        raise ValueError(f"unknown activation {name!r}; choose from {ACTIVATIONS}")
    return layers[name]()


class MLP(nn.Module):
    """d_in -> hidden -> hidden -> d_out with ``act`` after each hidden layer (two Maxout layers for ``maxout``)."""

    def __init__(self, act: str, d_in: int, hidden: int = 100, d_out: int = 10) -> None:
        super().__init__()
        if act == "maxout":
            self.layers = nn.Sequential(Maxout(d_in, hidden), Maxout(hidden, hidden), nn.Linear(hidden, d_out))
        else:
            self.layers = nn.Sequential(nn.Linear(d_in, hidden), activation(act), nn.Linear(hidden, hidden),
                                        activation(act), nn.Linear(hidden, d_out))

    def forward(self, x: Any) -> Any:
        return self.layers(x)


def train(side: Side, args: Any, model: Any, d: dict, steps: int) -> Any:
    """SGD on the cross-entropy over shuffled minibatches of ``d``; returns the curve."""
    lib = side.lib
    opt = lib.optim.SGD(model.parameters(), lr=args.lr)
    data = batches(d["x"], d["y"], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return run_steps(side, step, steps, progress=not args.no_progress)


def main(argv: list | None = None) -> int:
    """Train TwoLayerNet and the activation MLPs; print test accuracy per model and framework."""
    p = cli.parser("mlp", __doc__, epochs=20, batch_size=100)
    p.add_argument("--dataset", choices=NAMES, default="mnist1d", help="data set (default: %(default)s)")
    p.add_argument("--lr", type=float, default=0.1, help="SGD learning rate (default: %(default)s)")
    p.add_argument("--activations", nargs="+", choices=ACTIVATIONS, default=list(ACTIVATIONS))
    args = cli.parse(p, argv)
    d = flat(load(args.dataset, args.data_dir))
    d_in, steps = d["x"].shape[1], cli.steps_of(args, len(d["x"]) // args.batch_size)
    models = {"TwoLayerNet": (TwoLayerNet, reference.TwoLayerNet, (d_in, 100, 10))}
    models.update({a: (MLP, reference.MLP, (a, d_in)) for a in args.activations})
    results, losses = {}, {}
    for name, (ours, theirs, shape) in models.items():
        curves, info = [], {}
        for side in sides(args):
            model = side.model(args.seed, ours, theirs, *shape)
            curves.append(train(side, args, model, d, steps))
            info[side.framework] = {"test_accuracy": accuracy(side, model, d["x_test"], d["y_test"])}
        results[name] = report.summarize("mlp", name, f"{name} on {args.dataset} (SGD lr={args.lr:g}, {steps} steps)",
                                         curves, info, plot=False)
        losses[name] = {c.framework: c.losses for c in curves}
    frameworks = list(next(iter(losses.values())))
    print(f"\n{'model':<12}" + "".join(f"{fw + ' test acc':>20}{'ms/step':>9}" for fw in frameworks))
    for name, r in results.items():
        print(f"{name:<12}" + "".join(f"{100 * r[fw]['test_accuracy']:>19.1f}%{r[fw]['ms_per_step']:>9.2f}"
                                      for fw in frameworks))
    path = report.plot_groups(losses, os.path.join(report.run_dir("mlp"), "activations.png"),
                              f"MLP activations on {args.dataset}, SGD lr={args.lr:g}")
    print(f"plot: {path}")
    report.finish("mlp", results)
    return 0 if report.agree(list(results.values())) else 1


if __name__ == "__main__":
    raise SystemExit(main())
