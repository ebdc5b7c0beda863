"""The source tutorials' autograd examples, run in minitorch and in PyTorch side by side.

Each example is one function ``example(lib)`` written once and called with ``lib = minitorch``
and ``lib = torch``; the table shows both results and whether they agree. Where a tutorial
printed a wrong answer, the row says what it printed and why the real answer differs.

    python -m examples.autograd_walkthrough
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

import minitorch


def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(_fmt(v) for v in value)
    arr = np.asarray(value.detach() if hasattr(value, "detach") else value, dtype=np.float64)
    if arr.ndim == 0:
        return f"{arr.item():g}"
    return np.array2string(arr, precision=4, separator=", ", suppress_small=True).replace("\n", "")


def mean_of_double(lib: Any) -> Any:
    """x = ones(2); z = (x * 2).mean(); dz/dx = 2 / 2 = 1 per element (tutorial 000 printed [2., 2.])."""
    x = lib.ones(2, requires_grad=True)
    z = (x * 2).mean()
    z.backward()
    return x.grad


def affine(lib: Any) -> Any:
    """y = w * x + b at x=2, w=1, b=1: dy/dx = w = 1, dy/dw = x = 2, dy/db = 1."""
    x = lib.tensor(2.0, requires_grad=True)
    w = lib.tensor(1.0, requires_grad=True)
    b = lib.tensor(1.0, requires_grad=True)
    y = w * x + b
    y.backward()
    return [x.grad, w.grad, b.grad]


def non_scalar_backward(lib: Any) -> Any:
    """z = 3 (x + 2)^2 with x of shape (2, 2): z.backward() needs a gradient argument (tutorial 002 omitted it)."""
    x = lib.ones(2, 2, requires_grad=True)
    z = (x + 2) * (x + 2) * 3
    try:
        z.backward()
    except RuntimeError as e:
        return f"RuntimeError: {e}"
    return "no error"


def non_scalar_sum(lib: Any) -> Any:
    """z.sum().backward() gives dz/dx = 6 (x + 2) = 18 at x = 1."""
    x = lib.ones(2, 2, requires_grad=True)
    z = (x + 2) * (x + 2) * 3
    z.sum().backward()
    return x.grad


def retain_graph(lib: Any) -> Any:
    """Two backward passes through one graph need retain_graph=True; the gradients accumulate."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    return [first, x.grad]


def freed_graph(lib: Any) -> Any:
    """Without retain_graph the saved values are freed: a second backward raises."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    try:
        y.backward()
    except RuntimeError as e:
        return "RuntimeError: " + str(e).split(".")[0]
    return "no error"


def second_derivative(lib: Any) -> Any:
    """y = x^3: dy/dx = 3x^2 = 12, d2y/dx2 = 6x = 12 at x = 2 (create_graph=True)."""
    x = lib.tensor(2.0, requires_grad=True)
    y = x ** 3
    (dy,) = lib.autograd.grad(y, x, create_graph=True)
    (d2y,) = lib.autograd.grad(dy, x)
    return [dy, d2y]


def chain_rule(lib: Any) -> Any:
    """z = sin(x^2): dz/dx = cos(x^2) * 2x, the chain rule done by the graph."""
    x = lib.tensor([0.5, 1.0, 1.5], requires_grad=True)
    lib.sin(x * x).sum().backward()
    return x.grad


def no_grad_block(lib: Any) -> Any:
    """Inside no_grad nothing is recorded: the result does not require grad."""
    x = lib.ones(3, requires_grad=True)
    with lib.no_grad():
        y = x * 2
    return f"requires_grad={y.requires_grad}"


def inplace_on_saved(lib: Any) -> Any:
    """Changing a tensor in place after it was saved for backward is caught by its version counter."""
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = b * b
    b.add_(1)
    try:
        c.sum().backward()
    except RuntimeError as e:
        return "RuntimeError: " + str(e).split(":")[0]
    return "no error"


def logistic_gradient(lib: Any) -> Any:
    """Logistic regression: d BCE(sigmoid(w.x), y) / dw = (sigmoid(w.x) - y) x, the tutorial's hand formula."""
    x = lib.tensor([[1.0, 2.0], [3.0, -1.0]])
    y = lib.tensor([1.0, 0.0])
    w = lib.tensor([0.1, -0.2], requires_grad=True)
    p = lib.sigmoid(x @ w)
    loss = -(y * lib.log(p) + (1 - y) * lib.log(1 - p)).sum()
    loss.backward()
    by_hand = ((p - y).unsqueeze(1) * x).sum(0)
    return [w.grad, by_hand]


EXAMPLES: list[tuple[str, Callable, str]] = [
    ("(x*2).mean() backward", mean_of_double, "tutorial 000 printed [2., 2.]: wrong, d mean(2x)/dx = 1"),
    ("y = w*x + b", affine, "grads of x, w, b"),
    ("z.backward() on non-scalar", non_scalar_backward, "tutorial 002 called it without a gradient"),
    ("z.sum().backward()", non_scalar_sum, "6*(x+2) = 18"),
    ("retain_graph twice", retain_graph, "grad after 1st and 2nd pass"),
    ("backward twice, no retain", freed_graph, "graph freed"),
    ("x**3: 1st and 2nd derivative", second_derivative, "create_graph=True"),
    ("chain rule sin(x^2)", chain_rule, "2x cos(x^2)"),
    ("no_grad", no_grad_block, ""),
    ("in-place on saved tensor", inplace_on_saved, "version counter"),
    ("logistic regression grad", logistic_gradient, "autograd; hand formula"),
]


def _agree(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return _fmt(a).split(":")[0] == _fmt(b).split(":")[0]
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_agree(x, y) for x, y in zip(a, b))
    return np.allclose(np.asarray(a.detach(), np.float64), np.asarray(b.detach(), np.float64), atol=1e-6)


def run() -> list[dict]:
    """Run every example in both frameworks; returns one row per example."""
    import torch

    rows = []
    for name, fn, note in EXAMPLES:
        t0 = time.perf_counter()
        ours = fn(minitorch)
        t1 = time.perf_counter()
        theirs = fn(torch)
        t2 = time.perf_counter()
        rows.append(dict(name=name, minitorch=_fmt(ours), torch=_fmt(theirs), agree=_agree(ours, theirs),
                         note=note, us_minitorch=(t1 - t0) * 1e6, us_torch=(t2 - t1) * 1e6))
    return rows


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def main(argv: list | None = None) -> int:
    """Print the side-by-side table (``python -m examples autograd``); 1 if any example disagrees."""
    rows = run()
    widths = (30, 34, 34, 5)
    header = ("example", "minitorch", "PyTorch", "same")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        cells = (r["name"], r["minitorch"], r["torch"], "yes" if r["agree"] else "NO")
        print(" | ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths)))
    print()
    for r in rows:
        if r["note"]:
            print(f"- {r['name']}: {r['note']}")
    bad = [r["name"] for r in rows if not r["agree"]]
    print(f"\n{len(rows) - len(bad)}/{len(rows)} examples agree between minitorch and PyTorch.")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
