"""TwoLayerNet (clamp(min=0) as ReLU, F.cross_entropy, SGD) and an MLP with each activation, incl. Maxout.

The activations the tutorials discuss (Sigmoid, Tanh, ReLU, LeakyReLU, and Maxout as a small
custom module) each train the same MLP shape on MNIST-1D (or digits, or MNIST with --data-dir),
in every chosen framework from identical weights on the same shuffled minibatches.

    python -m examples mlp [--framework minitorch|torch|both] [--epochs N] [--steps N] [--dataset NAME]
"""
from __future__ import annotations

import os
from typing import Any

from examples import data, tasks, twins
from examples.cli import parse, parser, total_steps
from examples.common import run_dir, save_results

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")


def two_layer_net(lib: Any, d_in: int, hidden: int, d_out: int) -> Any:
    """The tutorial's TwoLayerNet: linear1 -> clamp(min=0) -> linear2."""

    class TwoLayerNet(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear1 = lib.nn.Linear(d_in, hidden)
            self.linear2 = lib.nn.Linear(hidden, d_out)

        def forward(self, x: Any) -> Any:
            h_relu = self.linear1(x).clamp(min=0)
            return self.linear2(h_relu)

    return TwoLayerNet()


def maxout(lib: Any, in_features: int, out_features: int, pieces: int = 2) -> Any:
    """Maxout: y_j = max_k (W_k x + b_k)_j, one Linear with ``pieces`` outputs per unit, max over pieces."""

    class Maxout(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.out_features, self.pieces = out_features, pieces
            self.linear = lib.nn.Linear(in_features, out_features * pieces)

        def forward(self, x: Any) -> Any:
            z = self.linear(x).view(-1, self.out_features, self.pieces)
            return z.max(dim=-1).values

        def extra_repr(self) -> str:
            return f"pieces={self.pieces}"

    return Maxout()


def mlp(lib: Any, activation: str, d_in: int, hidden: int = 100, d_out: int = 10) -> Any:
    """d_in -> hidden -> hidden -> d_out with ``activation`` after each hidden layer (Maxout replaces both)."""
    nn = lib.nn
    if activation == "maxout":
        return nn.Sequential(maxout(lib, d_in, hidden), maxout(lib, hidden, hidden), nn.Linear(hidden, d_out))
    act = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01)}
    if activation not in act:
        raise ValueError(f"unknown activation {activation!r}; choose from {ACTIVATIONS}")
    return nn.Sequential(nn.Linear(d_in, hidden), act[activation](), nn.Linear(hidden, hidden), act[activation](),
                         nn.Linear(hidden, d_out))


def main(argv: list | None = None) -> int:
    """Train TwoLayerNet and the activation MLPs; print test accuracy per model and framework."""
    p = parser("mlp", __doc__, epochs=20)
    p.add_argument("--dataset", choices=tasks.NAMES, default="mnist1d", help="data set (default: %(default)s)")
    p.add_argument("--lr", type=float, default=0.1, help="SGD learning rate (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=100, help="minibatch size (default: %(default)s)")
    p.add_argument("--activations", nargs="+", choices=ACTIVATIONS, default=list(ACTIVATIONS))
    args = parse(p, argv)
    d = tasks.flat(tasks.load(args.dataset, args.data_dir))
    d_in, steps = d["x"].shape[1], total_steps(args, len(d["x"]) // args.batch_size)

    def batches() -> Any:
        return data.batches(d["x"], d["y"], args.batch_size, shuffle=True, seed=args.seed)

    def sgd(lib: Any, params: Any) -> Any:
        return lib.optim.SGD(params, lr=args.lr)

    def cross_entropy(lib: Any) -> Any:
        return lib.nn.functional.cross_entropy

    models = {"TwoLayerNet": lambda lib: two_layer_net(lib, d_in, 100, 10)}
    models.update({a: (lambda lib, a=a: mlp(lib, a, d_in)) for a in args.activations})
    all_runs, results = {}, {}
    for name, factory in models.items():
        runs = twins.fit(args, factory, sgd, cross_entropy, batches, steps)
        results[name] = twins.summarize(runs, "mlp", f"{name} on {args.dataset} (SGD lr={args.lr:g}, {steps} steps)")
        for fw, run in runs.items():
            results[name][fw]["test_accuracy"] = twins.accuracy(run, d["x_test"], d["y_test"])
        all_runs[name] = runs
    print(f"\n{'model':<12}" + "".join(f"{fw + ' test acc':>20}{'ms/step':>9}" for fw in next(iter(all_runs.values()))))
    for name, runs in all_runs.items():
        cells = "".join(f"{100 * results[name][fw]['test_accuracy']:>19.1f}%{run.curve.ms_per_step:>9.2f}"
                        for fw, run in runs.items())
        print(f"{name:<12}{cells}")
    losses = {name: {fw: run.curve.losses for fw, run in runs.items()} for name, runs in all_runs.items()}
    path = twins.plot_groups(losses, os.path.join(run_dir("mlp"), "activations.png"),
                             f"MLP activations on {args.dataset}, SGD lr={args.lr:g}")
    print(f"plot: {path}")
    save_results("mlp", results)
    return 0 if twins.agree(list(results.values())) else 1
