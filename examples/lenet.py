"""LeNet-5, built from the tutorial's ``MyConv2d`` wrapper module, trained on handwritten digits.

scikit-learn's 8x8 digits are upsampled to LeNet's 32x32 (MNIST from --data-dir is read at 28x28,
with ``padding=2`` on the first convolution); Adam and ``CrossEntropyLoss`` train it in minitorch and
beside the PyTorch twin of ``reference/lenet.py`` from identical weights on the same batches.

    python -m examples lenet [--framework minitorch|torch|both] [--epochs N] [--steps N] [--data-dir DIR]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches, channels, load
from examples.harness.twin import Side, accuracy, run_steps, sides
from reference import lenet as reference


class MyConv2d(nn.Module):
    """The tutorial's MyConv2d: a module holding an ``nn.Conv2d`` as ``self.conv`` and calling it."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding)

    def forward(self, x: Any) -> Any:
        return self.conv(x)


class LeNet5(nn.Module):
    """LeNet-5: conv 5x5 (6) - pool - conv 5x5 (16) - pool - 120 - 84 - classes, ReLU and max-pool.

    32x32 inputs as in the paper; 28x28 (MNIST) get ``padding=2`` on the first convolution.
    """

    def __init__(self, size: int = 32, classes: int = 10) -> None:
        super().__init__()
        self.conv1 = MyConv2d(1, 6, 5, padding=(32 - size) // 2)
        self.conv2 = MyConv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x: Any) -> Any:
        x = self.pool(self.relu(self.conv1(x)))
        x = self.pool(self.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour upsampling of ``(N, C, H, W)`` images by an integer factor."""
    return x.repeat(factor, axis=2).repeat(factor, axis=3)


def lenet_data(data_dir: str | None) -> dict:
    """Digits upsampled to (N, 1, 32, 32), or MNIST (N, 1, 28, 28) when ``data_dir`` is given."""
    name = "mnist" if data_dir else "digits"
    d = channels(load(name, data_dir))
    if name == "digits":
        d["x"], d["x_test"] = upsample(d["x"], 4), upsample(d["x_test"], 4)
    return {**d, "name": name}


def train(side: Side, args: Any, d: dict, steps: int) -> tuple:
    """Adam on the cross-entropy over shuffled minibatches; returns (model, curve)."""
    lib = side.lib
    model = side.model(args.seed, LeNet5, reference.LeNet5, d["x"].shape[-1])
    opt = lib.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = lib.nn.CrossEntropyLoss()
    data = batches(d["x"], d["y"], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = loss_fn(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return model, run_steps(side, step, steps, progress=not args.no_progress)


def main(argv: list | None = None) -> int:
    """Train LeNet-5 and report its test accuracy; 1 if the twins disagree."""
    p = cli.parser("lenet", __doc__, epochs=10, batch_size=64)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (default: %(default)s)")
    args = cli.parse(p, argv)
    d = lenet_data(args.data_dir)
    size, steps = d["x"].shape[-1], cli.steps_of(args, len(d["x"]) // args.batch_size)
    curves, info = [], {}
    for side in sides(args):
        model, curve = train(side, args, d, steps)
        curves.append(curve)
        info[side.framework] = {"test_accuracy": accuracy(side, model, d["x_test"], d["y_test"])}
        print(f"  {side.framework:>9} test accuracy: {100 * info[side.framework]['test_accuracy']:.1f}%")
    result = report.summarize("lenet", "lenet5", f"LeNet-5 on {d['name']} {size}x{size} (Adam lr={args.lr:g}, "
                              f"{steps} steps)", curves, info)
    result["data"] = {"dataset": d["name"], "size": size, "train": len(d["x"]), "test": len(d["x_test"])}
    report.finish("lenet", result)
    return 0 if report.agree([result]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
