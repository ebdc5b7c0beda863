"""The main job (`make demo`): the MNIST-1D CNN trained in minitorch and PyTorch side by side.

From identical weights and on the same batches it prints both frameworks' losses step by step,
the largest gradient difference at step 1, a float64 gradcheck of each layer the models use,
each framework's time per training step (and PyTorch's on CUDA when there is a GPU), and the
MNIST-1D paper table (the cached full run when ``python -m examples mnist1d_table`` has made one,
else a shortened run, and it says which). Everything goes into ``runs/demo/report.md`` with plots.

    python -m examples demo [--steps N] [--table auto|short|skip] [--table-steps N]
"""
from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from examples import autograd_walkthrough, mnist1d_table
from examples.harness import cli, report
from examples.harness.data import mnist1d
from examples.harness.twin import AGREE, Side, accuracy, max_relative_difference
from reference.mnist1d_table import ConvBase as TorchConvBase

SHOWN_STEPS = (1, 2, 3, 4, 5, 10, 20, 50, 100, 200, 300, 400, 500, 1000, 2000, 5000)


def first_step_gradients(seed: int, x: np.ndarray, y: np.ndarray) -> list:
    """Per parameter of the CNN twins: (name, largest |grad difference|, largest |torch grad|) on one batch."""
    grads = {}
    for side in (Side("minitorch"), Side("torch")):
        model = side.model(seed, mnist1d_table.ConvBase, TorchConvBase)
        side.lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y)).backward()
        grads[side.framework] = {n: np.asarray(p.grad.numpy(), np.float64) for n, p in model.named_parameters()}
    return [(n, float(np.max(np.abs(g - grads["torch"][n]))), float(np.max(np.abs(grads["torch"][n]))))
            for n, g in grads["minitorch"].items()]


def layer_gradchecks(seed: int = 0) -> list:
    """minitorch's float64 gradcheck (central differences) of each layer the CNN and the table use."""
    import minitorch
    from minitorch.autograd import gradcheck

    F = minitorch.nn.functional
    rng = np.random.default_rng(seed)

    def t(*shape: int) -> Any:
        return minitorch.tensor(rng.standard_normal(shape), dtype=minitorch.float64, requires_grad=True)

    minitorch.manual_seed(seed)
    gru = minitorch.nn.GRU(1, 3, batch_first=True, bidirectional=True).double()
    target = minitorch.tensor(rng.integers(0, 10, 4))
    def conv(x: Any, w: Any, b: Any) -> Any:
        return F.conv1d(x, w, b, stride=2, padding=1)

    checks = [
        ("Conv1d 5, stride 2, padding 1", conv, (t(2, 1, 12), t(3, 1, 5), t(3))),
        ("Conv1d 3, stride 2, padding 1", conv, (t(2, 3, 7), t(3, 3, 3), t(3))),
        ("ReLU", lambda x: F.relu(x), (minitorch.tensor(rng.choice([-1.0, 1.0], (3, 5)) * rng.uniform(0.1, 1.0, (3, 5)),
                                                        dtype=minitorch.float64, requires_grad=True),)),
        ("view (flatten)", lambda x: x.view(x.shape[0], -1) * 1.0, (t(2, 3, 4),)),
        ("Linear", lambda x, w, b: F.linear(x, w, b), (t(4, 6), t(10, 6), t(10))),
        ("cross_entropy", lambda z: F.cross_entropy(z, target), (t(4, 10),)),
        ("GRU bidirectional (input, h0)", lambda x, h: gru(x, h)[0], (t(2, 5, 1), t(2, 2, 3))),
    ]
    rows = []
    for name, fn, inputs in checks:
        t0 = time.perf_counter()
        ok = gradcheck(fn, inputs, raise_exception=False)
        rows.append((name, bool(ok), time.perf_counter() - t0))
    return rows


def train_side_by_side(steps: int, seed: int, cuda: bool, progress: bool) -> dict:
    """The CNN trained ``steps`` steps in each framework (and PyTorch on CUDA when asked) with the paper's
    protocol; ``{name: (side, curve)}``, each curve's ``metrics["test_accuracy"]`` in percent."""
    d = mnist1d()
    runs = {"minitorch": Side("minitorch"), "torch": Side("torch")}
    if cuda:
        runs["torch (cuda)"] = Side("torch", "cuda")
    out = {}
    for name, side in runs.items():
        model, curve = mnist1d_table.train(side, "cnn", steps, seed, progress)
        curve.metrics["test_accuracy"] = 100 * accuracy(side, model, d["x_test"], d["y_test"])
        out[name] = (side, curve)
    return out


def agreement(runs: dict) -> float:
    """Largest relative loss difference between minitorch and PyTorch (CPU) over the first 20 steps."""
    return max_relative_difference(runs["minitorch"][1].losses, runs["torch"][1].losses)


def choose_table(mode: str, steps: int, progress: bool) -> tuple:
    """(title, table or None, whether cached): the cached full table, or a shortened run, or nothing."""
    saved = mnist1d_table.cached() if mode == "auto" else None
    if saved is not None:
        return (f"cached measured table: full {saved['steps']}-step run saved by `{saved['command']}` "
                f"({saved.get('threads', 1)} thread(s), {saved.get('machine', '')}, load average "
                f"{saved.get('load_average', [0])[0]:.1f} at its end)", saved["table"], True)
    if mode == "skip":
        return ("skipped (--table skip)", None, False)
    print(f"\nMNIST-1D table, SHORTENED run: {steps} of the paper's {mnist1d_table.STEPS} steps "
          f"(the full table: python -m examples mnist1d_table)")
    print(mnist1d_table.header(("minitorch", "torch")))
    table = mnist1d_table.measure("both", steps, progress=progress)
    return (f"shortened run: {steps} of the paper's {mnist1d_table.STEPS} steps, measured just now "
            "(the full table: `python -m examples mnist1d_table`)", table, False)


def _md(header: list, rows: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def _loss_rows(runs: dict, steps: int) -> list:
    rows = []
    for s in [s for s in SHOWN_STEPS if s <= steps] + ([steps] if steps not in SHOWN_STEPS else []):
        a, b = runs["minitorch"][1].losses[s - 1], runs["torch"][1].losses[s - 1]
        rows.append([s, a, b, abs(a - b) / max(abs(b), 1e-12)])
    return rows


def gradient_section(seed: int, d: dict) -> tuple:
    """Print and report the per-parameter gradient differences of the first batch."""
    grads = first_step_gradients(seed, d["x"][:mnist1d_table.BATCH], d["y"][:mnist1d_table.BATCH])
    name, diff, scale = max(grads, key=lambda g: g[1])
    print("gradients of the first batch, minitorch vs PyTorch (float32):")
    for n, a, g in grads:
        print(f"  {n:<14} max |diff| {a:.2e}   (max |grad| {g:.2e})")
    print(f"largest gradient difference at step 1: {diff:.2e} in {name} (relative {diff / scale:.1e})")
    body = _md(["parameter", "max abs difference", "max abs gradient"],
               [[n, f"{a:.2e}", f"{g:.2e}"] for n, a, g in grads])
    return "Gradients at step 1", f"{body}\n\nLargest difference: {diff:.2e} in `{name}` (relative {diff / scale:.1e})."


def loss_section(runs: dict, steps: int, out: str) -> tuple:
    """Print and report both frameworks' losses at selected steps, and plot the curves."""
    rows = _loss_rows(runs, steps)
    diff20 = agreement(runs)
    print(f"\nlosses step by step ({steps} steps):")
    print(f"  {'step':>5}{'minitorch':>14}{'torch':>14}{'rel. diff':>11}")
    for r in rows:
        print(f"  {r[0]:>5}{r[1]:>14.6f}{r[2]:>14.6f}{r[3]:>11.1e}")
    print(f"largest relative loss difference over the first 20 steps: {diff20:.1e}")
    report.plot_curves([c for _, c in runs.values()], os.path.join(out, "losses.png"), f"MNIST-1D CNN, {steps} steps")
    body = _md(["step", "minitorch", "torch", "relative difference"],
               [[r[0], f"{r[1]:.6f}", f"{r[2]:.6f}", f"{r[3]:.1e}"] for r in rows])
    return "Losses step by step", (
        f"{body}\n\nLargest relative difference over the first 20 steps: {diff20:.1e}. Both run in float32: they "
        "differ only by rounding at first (summation orders inside matmul and conv differ), and training amplifies "
        "those differences, so later losses drift apart while following the same course.\n\n![losses](losses.png)")


def timing_section(runs: dict, steps: int, threads: int, cuda: bool) -> tuple:
    """Print and report each framework's mean time per training step and its test accuracy."""
    print(f"\ntime per training step (forward, backward, Adam step; {threads} CPU thread(s) each):")
    rows = []
    for n, (side, c) in runs.items():
        rows.append([n, side.device, f"{c.ms_per_step:.2f}", f"{c.metrics['test_accuracy']:.1f}%"])
        print(f"  {n:<13} {side.device:<5} {c.ms_per_step:8.2f} ms/step   "
              f"test accuracy {c.metrics['test_accuracy']:.1f}%")
    if not cuda:
        print("  (no CUDA device here: PyTorch on GPU not measured)")
    ratio = runs["minitorch"][1].ms_per_step / runs["torch"][1].ms_per_step
    print(f"  minitorch / PyTorch (CPU): {ratio:.2f}x")
    body = _md(["framework", "device", "ms/step", f"test accuracy after {steps} steps"], rows)
    return "Time per step", (f"{body}\n\nminitorch / PyTorch on the CPU: {ratio:.2f}x ({threads} thread(s) each)."
                             + ("" if cuda else " No CUDA device here."))


def gradcheck_section(seed: int) -> tuple:
    """Print and report the float64 gradchecks; the section and whether all passed."""
    print("\nfloat64 gradcheck (minitorch autograd vs central differences) of each layer:")
    checks = layer_gradchecks(seed)
    for name, ok, secs in checks:
        print(f"  {name:<32} {'ok' if ok else 'FAILED'}   ({1000 * secs:.0f} ms)")
    body = _md(["layer", "gradcheck", "ms"], [[n, "ok" if ok else "FAILED", f"{1000 * s:.0f}"] for n, ok, s in checks])
    return ("float64 gradcheck of each layer", body), all(ok for _, ok, _ in checks)


def walkthrough_section() -> tuple:
    """The autograd walk-through's verdict in one line; the section and whether all agreed."""
    walk = autograd_walkthrough.run()
    agree = sum(r["agree"] for r in walk)
    print(f"\nautograd walk-through (python -m examples autograd): {agree}/{len(walk)} tutorial examples agree")
    return ("Autograd walk-through", f"{agree}/{len(walk)} of the tutorials' autograd examples give the same answer "
            "in both frameworks (`python -m examples autograd`)."), agree == len(walk)


def paper_table_section(mode: str, steps: int, progress: bool, out: str) -> tuple:
    """Print and report the MNIST-1D table (cached full run, shortened run, or skipped) with its loss curves."""
    title, table, cached = choose_table(mode, steps, progress)
    if table is None:
        return "MNIST-1D paper table", title
    if cached:
        print(f"\nMNIST-1D paper table ({title}):")
        print(mnist1d_table.format_table(table))
        plot = os.path.join("..", "mnist1d_table", "losses.png")
    else:
        losses = {n: {fw: r[fw]["losses"] for fw in ("minitorch", "torch")} for n, r in table.items()}
        report.plot_groups(losses, os.path.join(out, "mnist1d_table.png"), f"MNIST-1D training loss ({steps} steps)")
        plot = "mnist1d_table.png"
    figure = f"\n\n![MNIST-1D losses]({plot})" if os.path.exists(os.path.join(out, plot)) else ""
    return "MNIST-1D paper table", f"{title}.\n\n{mnist1d_table.markdown(table)}{figure}"


def write_report(path: str, sections: list) -> str:
    """``runs/demo/report.md`` from (heading, body) pairs."""
    with open(path, "w") as f:
        f.write("# minitorch side by side with PyTorch: MNIST-1D\n\n")
        for heading, body in sections:
            f.write(f"## {heading}\n\n{body.rstrip()}\n\n")
    return path


def main(argv: list | None = None) -> int:
    """Run the demo and write the report; 1 if the frameworks disagree or a check fails."""
    p = cli.parser("demo", __doc__, steps=500)
    p.add_argument("--table", choices=("auto", "short", "skip"), default="auto",
                   help="auto: the cached full table if there is one, else a shortened run (default: %(default)s)")
    p.add_argument("--table-steps", type=int, default=1000, help="steps of the shortened table (default: %(default)s)")
    args = cli.parse(p, argv)
    import torch

    t_start = time.perf_counter()
    out, progress, cuda = report.run_dir("demo"), not args.no_progress, torch.cuda.is_available()
    d = mnist1d()
    print("MNIST-1D CNN (the paper's ConvBase: 3 x Conv1d(25, stride 2) + ReLU, Linear(125, 10)); "
          "Adam lr 1e-2, batch 100, sequential batches")
    print(f"both frameworks start from the same weights (PyTorch's, seed {args.seed}, copied by load_state_dict)\n")
    sections = [gradient_section(args.seed, d)]
    runs = train_side_by_side(args.steps, args.seed, cuda, progress)
    sections += [loss_section(runs, args.steps, out), timing_section(runs, args.steps, args.threads, cuda)]
    checks, checks_ok = gradcheck_section(args.seed)
    walk, walk_ok = walkthrough_section()
    sections += [checks, walk, paper_table_section(args.table, args.table_steps, progress, out)]
    total = time.perf_counter() - t_start
    command = " ".join(["python -m examples demo"] + list(argv or []))
    sections.append(("Run", f"`{command}` took {total:.0f} s on {os.cpu_count()} CPU(s)."))
    print(f"\nreport: {write_report(os.path.join(out, 'report.md'), sections)}; {total:.0f} s")
    return 0 if agreement(runs) <= AGREE and checks_ok and walk_ok else 1
