"""The MNIST-1D paper's baseline table, reproduced in minitorch and in PyTorch from identical weights.

The four models exactly as in the paper's code (Greydanus, 2020): logistic ``Linear(40, 10)``;
MLP 40 -> 100, a residual 100 -> 100 ReLU layer, -> 10; CNN of three ``Conv1d`` with 25 channels
(kernels 5/3/3, stride 2, padding 1) then ``Linear(125, 10)``; bidirectional GRU (hidden 6,
batch_first) with all 40 steps flattened into ``Linear(480, 10)``. The paper's protocol: Adam
lr 1e-2, batch 100, 6001 sequential steps (batch index ``step * 100 % 4000``), no shuffling,
test accuracy on the 1000 test samples after the last step. PyTorch twins: ``reference/mnist1d_table.py``.

    python -m examples mnist1d_table [--framework both] [--steps 6001] [--models logistic mlp cnn gru]
"""
from __future__ import annotations

import json
import os
import platform
import time
from typing import Any

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches, mnist1d
from examples.harness.twin import Side, accuracy, max_relative_difference, run_steps
from reference import mnist1d_table as reference

PAPER = {"logistic": 32, "mlp": 68, "cnn": 94, "gru": 91}  # test accuracy (%) in the paper's table
STEPS = 6001
BATCH = 100
LR = 1e-2


class LinearBase(nn.Module):
    """The paper's LinearBase: logistic regression, ``Linear(40, 10)``."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(40, 10)

    def forward(self, x: Any) -> Any:
        return self.linear(x)


class MLPBase(nn.Module):
    """The paper's MLPBase: h = relu(W1 x); h = h + relu(W2 h); W3 h."""

    def __init__(self, hidden: int = 100) -> None:
        super().__init__()
        self.linear1 = nn.Linear(40, hidden)
        self.linear2 = nn.Linear(hidden, hidden)
        self.linear3 = nn.Linear(hidden, 10)

    def forward(self, x: Any) -> Any:
        h = self.linear1(x).relu()
        h = h + self.linear2(h).relu()
        return self.linear3(h)


class ConvBase(nn.Module):
    """The paper's ConvBase: three stride-2 ``Conv1d`` + ReLU (40 -> 19 -> 10 -> 5), flatten, ``Linear``."""

    def __init__(self, channels: int = 25, linear_in: int = 125) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(1, channels, 5, stride=2, padding=1)
        self.conv2 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        self.conv3 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        self.linear = nn.Linear(linear_in, 10)

    def forward(self, x: Any) -> Any:
        x = x.view(-1, 1, x.shape[-1])
        h1 = self.conv1(x).relu()
        h2 = self.conv2(h1).relu()
        h3 = self.conv3(h2).relu()
        h3 = h3.view(h3.shape[0], -1)
        return self.linear(h3)


class GRUBase(nn.Module):
    """The paper's GRUBase: bidirectional GRU over the 40 samples, every step's output into ``Linear(480, 10)``."""

    def __init__(self, hidden: int = 6, time_steps: int = 40) -> None:
        super().__init__()
        self.gru = nn.GRU(input_size=1, hidden_size=hidden, batch_first=True, bidirectional=True)
        self.linear = nn.Linear(2 * hidden * time_steps, 10)

    def forward(self, x: Any) -> Any:
        x = x.view(*x.shape[:2], 1)
        output, _ = self.gru(x)
        return self.linear(output.reshape(output.shape[0], -1))


MODELS = {"logistic": LinearBase, "mlp": MLPBase, "cnn": ConvBase, "gru": GRUBase}


def train(side: Side, name: str, steps: int, seed: int = 0, progress: bool = True) -> tuple:
    """Model ``name`` trained with the paper's protocol on one side; returns (model, curve)."""
    d = mnist1d()
    lib = side.lib
    model = side.model(seed, MODELS[name], reference.MODELS[name])
    opt = lib.optim.Adam(model.parameters(), lr=LR)
    data = batches(d["x"], d["y"], BATCH, shuffle=False)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return model, run_steps(side, step, steps, progress=progress)


def measure(frameworks: str = "both", steps: int = STEPS, models: tuple = tuple(MODELS), seed: int = 0,
            device: str = "cpu", progress: bool = True, print_rows: bool = True) -> dict:
    """Train each model with the paper's protocol; ``{model: {framework: {test_accuracy, seconds, ...}}}``.

    Each model's row is printed as soon as it is measured when ``print_rows``.
    """
    d = mnist1d()
    chosen = ("minitorch", "torch") if frameworks == "both" else (frameworks,)
    table: dict = {}
    for name in models:
        row: dict = {"paper": PAPER[name]}
        for side in [Side(fw, cli.torch_device(device) if fw == "torch" else "cpu") for fw in chosen]:
            model, curve = train(side, name, steps, seed, progress)
            row[side.framework] = {"test_accuracy": 100 * accuracy(side, model, d["x_test"], d["y_test"]),
                                   "seconds": curve.seconds, "ms_per_step": curve.ms_per_step,
                                   "final_loss": curve.losses[-1], "device": side.device, "losses": curve.losses}
        both = "minitorch" in row and "torch" in row
        row["max_rel_diff_20"] = (max_relative_difference(row["minitorch"]["losses"], row["torch"]["losses"])
                                  if both else None)
        table[name] = row
        if print_rows:
            print(format_row(name, row), flush=True)
    return table


def header(frameworks: tuple) -> str:
    """The table's title row."""
    return f"{'model':<9}{'paper':>7}" + "".join(f"{fw + ' acc':>16}{'time':>9}" for fw in frameworks)


def format_row(name: str, row: dict) -> str:
    """One model's line: paper accuracy, then each framework's test accuracy and wall time."""
    cells = "".join(f"{row[fw]['test_accuracy']:>15.1f}%{row[fw]['seconds']:>8.1f}s"
                    for fw in ("minitorch", "torch") if fw in row)
    return f"{name:<9}{row['paper']:>6}%{cells}"


def format_table(table: dict) -> str:
    """The whole table as text (monospace)."""
    frameworks = tuple(fw for fw in ("minitorch", "torch") if fw in next(iter(table.values())))
    return "\n".join([header(frameworks)] + [format_row(n, r) for n, r in table.items()])


def markdown(table: dict) -> str:
    """The table in Markdown, as the README shows it."""
    frameworks = [fw for fw in ("minitorch", "torch") if fw in next(iter(table.values()))]
    head = "| model | paper | " + " | ".join(f"{fw} acc | {fw} time" for fw in frameworks) + " |"
    rule = "|---|---:|" + "---:|---:|" * len(frameworks)
    rows = [f"| {n} | {r['paper']}% | " + " | ".join(f"{r[fw]['test_accuracy']:.1f}% | {r[fw]['seconds']:.1f} s"
                                                      for fw in frameworks) + " |" for n, r in table.items()]
    return "\n".join([head, rule] + rows)


def cached(path: str = os.path.join("runs", "mnist1d_table", "results.json")) -> dict | None:
    """The results of the last full (6001-step) run saved by this example (``["table"]``), or None."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        saved = json.load(f)
    return saved if saved.get("steps") == STEPS else None


def main(argv: list | None = None) -> int:
    """Measure and print the table; saves ``runs/mnist1d_table/results.json`` and the loss curves."""
    p = cli.parser("mnist1d_table", __doc__, steps=STEPS)
    p.add_argument("--models", nargs="+", choices=tuple(MODELS), default=list(MODELS))
    args = cli.parse(p, argv)
    command = "python -m examples mnist1d_table " + " ".join(argv or [])
    print(f"MNIST-1D, Adam lr {LR:g}, batch {BATCH}, {args.steps} sequential steps, {args.threads} thread(s)")
    print(header(tuple(fw for fw in ("minitorch", "torch") if args.framework in (fw, "both"))))
    t0 = time.perf_counter()
    table = measure(args.framework, args.steps, tuple(args.models), args.seed, args.device, not args.no_progress)
    losses = {n: {fw: r[fw]["losses"] for fw in ("minitorch", "torch") if fw in r} for n, r in table.items()}
    plot = report.plot_groups(losses, os.path.join(report.run_dir("mnist1d_table"), "losses.png"),
                             f"MNIST-1D training loss ({args.steps} steps)", window=100)
    print(f"\n{markdown(table)}\n\nplot: {plot}; total {time.perf_counter() - t0:.0f} s")
    for n, r in table.items():
        if r["max_rel_diff_20"] is not None:
            print(f"  {n}: largest relative loss difference over the first 20 steps {r['max_rel_diff_20']:.1e}")
    slim = {n: {k: ({kk: vv for kk, vv in v.items() if kk != "losses"} if isinstance(v, dict) else v)
                for k, v in r.items()} for n, r in table.items()}
    report.finish("mnist1d_table", {"steps": args.steps, "command": command.strip(), "threads": args.threads,
                                   "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
                                   "load_average": os.getloadavg(), "table": slim})
    return 0
