"""Tensor basics tour: creation, dtypes, view(-1), indexing, slicing, arithmetic, @, .t(), numpy round trip.

Every step is one function ``step(lib)`` written once and run with ``lib = minitorch`` and
``lib = torch``; with ``--framework both`` each result is compared for value, shape and dtype.

    python -m examples tensor_basics [--framework minitorch|torch|both]
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from examples.harness.cli import parse, parser
from examples.harness.twin import FRAMEWORKS, lib_of


def creation(lib: Any) -> list:
    """tensor() from nested lists, zeros, ones, arange, linspace, eye, full, and the *_like forms."""
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    return [x, lib.zeros(2, 3), lib.ones(2), lib.arange(6), lib.linspace(0, 1, 5), lib.eye(3),
            lib.full((2, 2), 7.0), lib.zeros_like(x), lib.ones_like(x)]


def random_shapes(lib: Any) -> list:
    """rand, randn and randint draw different numbers in each framework, but the same shapes and dtypes."""
    lib.manual_seed(0)
    draws = [lib.rand(2, 3), lib.randn(4), lib.randint(0, 10, (3,))]
    return [f"{tuple(d.shape)} {str(d.dtype).split('.')[-1]}" for d in draws]


def dtypes(lib: Any) -> list:
    """Default dtypes (float32, int64, bool) and conversions .double(), .long(), .float(), .to()."""
    f, i = lib.tensor([1.5, 2.5]), lib.tensor([1, 2])
    return [str(t.dtype).split(".")[-1] for t in (f, i, f > 2, f.double(), f.long(), i.float(), i.to(lib.float64),
                                                  f + i, i / 2)]


def views(lib: Any) -> list:
    """view(-1) flattens, view(2, -1) infers a size; reshape, unsqueeze, squeeze, permute, flatten."""
    x = lib.arange(12).view(3, 4)
    return [x.view(-1), x.view(2, -1), x.reshape(6, 2), x.unsqueeze(0).shape, x.unsqueeze(0).squeeze(0).shape,
            x.view(3, 2, 2).permute(2, 0, 1), x.flatten()]


def indexing(lib: Any) -> list:
    """Integer, negative, row/column, boolean-mask and integer-array indexing."""
    x = lib.arange(12).view(3, 4)
    return [x[1], x[:, 1], x[1, 2], x[-1], x[x > 5], x[[0, 2]], x[lib.tensor([2, 0]), lib.tensor([1, 3])]]


def slicing(lib: Any) -> list:
    """Slices with steps, an ellipsis, and assignment through a slice."""
    x = lib.arange(12.0).view(3, 4)
    y = x.clone()
    y[:, 0] = -1.0
    y[1:, 2:] = 0.0
    return [x[1:, ::2], x[..., 1], x[:2, -2:], y]


def arithmetic(lib: Any) -> list:
    """Elementwise + - * / **, broadcasting a row, in-place add_, comparison, clamp, and reductions."""
    x = lib.arange(1.0, 7.0).view(2, 3)
    y = lib.tensor([10.0, 20.0, 30.0])
    z = x.clone()
    z.add_(1)
    return [x + y, x - 1, x * y, x / y, x ** 2, z, x > 3, x.clamp(min=2, max=5), x.sum(), x.mean(dim=0),
            x.max(dim=1).values, x.argmax(dim=1)]


def matmul(lib: Any) -> list:
    """@ (matmul), mm, .t(), batched matmul, and a matrix-vector product."""
    a = lib.arange(6.0).view(2, 3)
    b = lib.arange(12.0).view(3, 4)
    return [a @ b, lib.mm(a, b), a.t(), a.t().shape, lib.bmm(a.unsqueeze(0), b.unsqueeze(0)), a @ lib.ones(3)]


def joining(lib: Any) -> list:
    """cat along rows and columns, stack into a new dimension, chunk and split."""
    a, b = lib.ones(2, 2), lib.zeros(2, 2)
    return [lib.cat([a, b]), lib.cat([a, b], dim=1), lib.stack([a, b]).shape, list(lib.arange(6).chunk(3)),
            list(lib.arange(5).split(2))]


def numpy_round_trip(lib: Any) -> list:
    """from_numpy shares memory with the array (and .numpy() with the tensor); tensor() copies."""
    a = np.ones(3, dtype=np.float32)
    shared, copied = lib.from_numpy(a), lib.tensor(a)
    a[0] = 5.0
    back = shared.numpy()
    shared.add_(1)
    return [shared, copied, back, f"numpy dtype {back.dtype}"]


STEPS: list[tuple[str, Callable]] = [
    ("creation", creation),
    ("random shapes", random_shapes),
    ("dtypes", dtypes),
    ("view(-1) and friends", views),
    ("indexing", indexing),
    ("slicing", slicing),
    ("arithmetic", arithmetic),
    ("@ and .t()", matmul),
    ("cat / stack / chunk", joining),
    ("numpy round trip", numpy_round_trip),
]


def _plain(value: Any) -> Any:
    """A framework-neutral form of a result: numpy arrays keep dtype and shape; sizes become tuples."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "detach"):
        return np.asarray(value.detach().cpu().numpy())
    if isinstance(value, np.ndarray) or isinstance(value, str):
        return value
    return tuple(value) if hasattr(value, "__iter__") else value


def same(a: Any, b: Any) -> bool:
    """True when two plain results agree in structure, shape, dtype and value."""
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and np.allclose(a, b, atol=1e-6)
    return a == b


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + "; ".join(_show(v) for v in value) + "]"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=3, separator=",").replace("\n", "")
    return str(value)


def run(frameworks: tuple) -> list[dict]:
    """Each step's plain result in each framework, and whether they agree."""
    rows = []
    for name, fn in STEPS:
        results = {fw: _plain(fn(lib_of(fw))) for fw in frameworks}
        values = list(results.values())
        rows.append({"name": name, "doc": fn.__doc__, "results": results,
                     "agree": all(same(values[0], v) for v in values[1:])})
    return rows


def main(argv: list | None = None) -> int:
    """Print the tour; with both frameworks, 1 if any step disagrees."""
    args = parse(parser("tensor_basics", __doc__), argv)
    frameworks = FRAMEWORKS if args.framework == "both" else (args.framework,)
    rows = run(frameworks)
    for r in rows:
        print(f"== {r['name']}: {r['doc']}")
        for fw, value in r["results"].items():
            print(f"  {fw:>9}: {_show(value)[:400]}")
        if len(frameworks) > 1:
            print(f"  {'same' if r['agree'] else 'DIFFERENT'} in value, shape and dtype")
    bad = [r["name"] for r in rows if not r["agree"]]
    if len(frameworks) > 1:
        print(f"\n{len(rows) - len(bad)}/{len(rows)} steps agree between minitorch and PyTorch.")
    return 1 if bad else 0
