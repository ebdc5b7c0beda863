"""Recurrent networks of the source tutorials in minitorch, each trained beside its PyTorch twin (reference/rnn.py).

- ``cells``: stacked ``RNNCell``s created with ``setattr`` in a loop and run step by step, the
  tutorials' "dynamic graph" (fixed so it runs: one cell per layer, not per time step, and plain
  tensors as states); every batch has a different length, so every step builds a different graph.
  Task: predict the next value of sine waves.
- ``rnn``: the tutorial's ``RNNModel``: ``nn.RNN(input_dim, hidden_dim, layer_dim, batch_first=True)``
  from a zero ``h0``, the last time step into ``fc``; it reads an image row by row.
- ``lstm`` / ``gru``: the image classifier that reads rows as a sequence, with ``nn.LSTM`` / ``nn.GRU``.

Images are sklearn's 8x8 digits (8 rows of 8), MNIST-1D (40 steps of 1) or MNIST from ``--data-dir``
(28 rows of 28).

    python -m examples rnn --model lstm --framework both --steps 200
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import NAMES, batches, source_of, unit_images
from examples.harness.twin import Side, accuracy, run_steps, sides
from reference import rnn as reference

NAME = "rnn"
MODELS = ("cells", "rnn", "lstm", "gru")


class StackedRNNCells(nn.Module):
    """``num_layers`` ``RNNCell``s made with ``setattr`` and run one time step at a time.

    ``forward(inputs (T, B, input_size), states (num_layers, B, hidden_size) or None)`` returns
    ``fc`` of the top layer at every step (T, B, output_size) and the final states.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int, output_size: int) -> None:
        super().__init__()
        self.num_layers = num_layers
        self.hidden_size = hidden_size
        for i in range(num_layers):
            setattr(self, f"rnn{i}", nn.RNNCell(input_size if i == 0 else hidden_size, hidden_size))
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, inputs: Any, states: Any = None) -> tuple:
        batch = inputs.shape[1]
        h = [inputs.new_zeros(batch, self.hidden_size) if states is None else states[i]
             for i in range(self.num_layers)]
        tops = []
        for t in range(inputs.shape[0]):
            x = inputs[t]
            for i in range(self.num_layers):
                h[i] = getattr(self, f"rnn{i}")(x, h[i])
                x = h[i]
            tops.append(x)
        return self.fc(minitorch.stack(tops)), minitorch.stack(h)

class RNNModel(nn.Module):
    """The tutorial's ``RNNModel``: a ``layer_dim``-layer ``nn.RNN`` from zeros, last step -> ``fc``."""

    def __init__(self, input_dim: int, hidden_dim: int, layer_dim: int, output_dim: int) -> None:
        super().__init__()
        self.hidden_dim = hidden_dim
        self.layer_dim = layer_dim
        self.rnn = nn.RNN(input_dim, hidden_dim, layer_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: Any) -> Any:
        h0 = x.new_zeros(self.layer_dim, x.size(0), self.hidden_dim)
        out, _ = self.rnn(x, h0)
        return self.fc(out[:, -1, :])

class RowClassifier(nn.Module):
    """An ``nn.LSTM`` or ``nn.GRU`` over the rows of an image; its last output -> ``classifier``."""

    def __init__(self, mode: str, in_dim: int, hid_dim: int, n_layer: int, n_class: int) -> None:
        super().__init__()
        self.rnn = getattr(nn, mode)(in_dim, hid_dim, n_layer, batch_first=True)
        self.classifier = nn.Linear(hid_dim, n_class)

    def forward(self, x: Any) -> Any:
        out, _ = self.rnn(x)
        return self.classifier(out[:, -1, :])


def sequences(source: str, data_dir: str | None = None) -> dict:
    """Images as sequences of rows (N, T, features): digits (8, 8), MNIST (28, 28), MNIST-1D (40, 1)."""
    d = unit_images(source, data_dir)
    if d["x"].ndim == 2:
        d["x"], d["x_test"] = d["x"][..., None], d["x_test"][..., None]
    return d


def sine_batches(batch_size: int, seed: int, min_len: int = 10, max_len: int = 30) -> Any:
    """Endless (x, y) of sine waves (T, B, 1) with y = x one step later; T differs from batch to batch."""
    rng = np.random.default_rng(seed)
    while True:
        t = np.arange(rng.integers(min_len, max_len + 1) + 1)[:, None]
        freq = rng.uniform(0.2, 0.6, batch_size)
        phase = rng.uniform(0, 2 * math.pi, batch_size)
        wave = np.sin(freq * t + phase).astype(np.float32)[..., None]
        yield wave[:-1], wave[1:]


def train_cells(side: Side, args: Any, steps: int) -> tuple:
    """The stacked-cells model learns to continue sine waves, on batches of varying length."""
    lib = side.lib
    model = side.model(args.seed, StackedRNNCells, reference.StackedRNNCells, 1, 32, 2, 1)
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    data = sine_batches(args.batch_size, args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        out, _ = model(side.tensor(x))
        loss = lib.nn.functional.mse_loss(out, side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return run_steps(side, step, steps, progress=not args.no_progress), {}


def classifier(kind: str, features: int, classes: int = 10) -> tuple:
    """(minitorch class, PyTorch class, arguments) for ``rnn`` (RNNModel, 2 layers), ``lstm`` or ``gru`` (RowClassifier)."""
    if kind == "rnn":
        return RNNModel, reference.RNNModel, (features, 64, 2, classes)
    return RowClassifier, reference.RowClassifier, (kind.upper(), features, 64, 1, classes)


def train_classifier(side: Side, args: Any, steps: int, kind: str, d: dict) -> tuple:
    """One of the row-reading classifiers with Adam and cross-entropy; returns its curve and test accuracy."""
    lib = side.lib
    ours, theirs, shape = classifier(kind, d["x"].shape[-1])
    model = side.model(args.seed, ours, theirs, *shape)
    opt = lib.optim.Adam(model.parameters(), lr=3e-3)
    data = batches(d["x"], d["y"], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    curve = run_steps(side, step, steps, progress=not args.no_progress)
    return curve, {"test_accuracy": accuracy(side, model, d["x_test"], d["y_test"])}


DEFAULT_STEPS = {"cells": 150, "rnn": 200, "lstm": 200, "gru": 200}


def main(argv: list | None = None) -> int:
    """Train the chosen recurrent models in the chosen frameworks and report side by side."""
    p = cli.parser("rnn", __doc__, batch_size=64)
    p.add_argument("--model", choices=MODELS + ("all",), default="all", help="which model (default: all)")
    p.add_argument("--data", choices=NAMES, default=None,
                   help="images read row by row (default: digits, or mnist with --data-dir)")
    args = cli.parse(p, argv)
    chosen = MODELS if args.model == "all" else (args.model,)
    results = []
    d = sequences(source_of(args, "digits"), args.data_dir) if set(chosen) & {"rnn", "lstm", "gru"} else None
    for kind in chosen:
        curves, infos = [], {}
        for side in sides(args):
            if kind == "cells":
                curve, info = train_cells(side, args, steps_of(args, kind))
            else:
                curve, info = train_classifier(side, args, steps_of(args, kind, len(d["x"])), kind, d)
                print(f"  {kind} {side.framework}: test accuracy {info['test_accuracy']:.3f}")
            curves.append(curve)
            infos[side.framework] = info
        results.append(report.summarize(NAME, kind, f"{NAME}: {kind}", curves, infos))
    report.finish(NAME, {"models": results})
    return 0


def steps_of(args: Any, kind: str, n_train: int | None = None) -> int:
    """Steps for one model: ``--steps`` / ``--epochs`` if given, else the model's default."""
    return cli.steps_of(args, (n_train or 0) // args.batch_size, DEFAULT_STEPS[kind])


if __name__ == "__main__":
    raise SystemExit(main())
