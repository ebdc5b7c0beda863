"""Tracing a backward pass: what each node received and what it sent on, in the engine's order.

    with minitorch.autograd.trace_backward() as trace:
        loss.backward()
    print(trace)          # a table, one row per node the engine ran
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from minitorch.autograd import engine


def _stats(t: Any) -> dict | None:
    """Shape, L2 norm, mean, min and max of a gradient or value (None stays None)."""
    if t is None:
        return None
    a = np.asarray(t._data if hasattr(t, "_data") else t, dtype=np.float64)
    finite = a[np.isfinite(a)]
    return {
        "shape": list(a.shape),
        "norm": float(np.sqrt(np.sum(finite * finite))) if finite.size else float("nan"),
        "mean": float(finite.mean()) if finite.size else float("nan"),
        "min": float(finite.min()) if finite.size else float("nan"),
        "max": float(finite.max()) if finite.size else float("nan"),
        "nonfinite": int(a.size - finite.size),
    }


@dataclass
class TraceRecord:
    """One node run by the engine: the gradient(s) it received and the gradient sent to each input."""

    step: int
    node: Any
    received: list = field(default_factory=list)  # one stats dict (or None) per output of the node
    sent: list = field(default_factory=list)  # (input node name or None, stats) per forward argument

    @property
    def name(self) -> str:
        return self.node.name()


class trace_backward:
    """Context manager that records every node the engine runs while it is active."""

    def __init__(self) -> None:
        self.records: list[TraceRecord] = []

    def __enter__(self) -> "trace_backward":
        self._token = engine._observers.set(engine._observers.get() + (self,))
        return self

    def __exit__(self, *exc: Any) -> None:
        engine._observers.reset(self._token)

    def __call__(self, node: Any, grads: list, result: tuple | None) -> None:
        """Called by the engine after each node (``result`` is None for a leaf's AccumulateGrad)."""
        rec = TraceRecord(len(self.records), node, [_stats(g) for g in grads])
        if result is not None:
            for e, g in zip(node._next, result):
                if e is False:
                    continue
                rec.sent.append((e[0].name() if e else None, _stats(g) if e else None))
        self.records.append(rec)

    def table(self) -> str:
        """The records as an aligned text table."""
        rows = [("#", "node", "received (shape, norm)", "sent to inputs (shape, norm)")]
        for r in self.records:
            recv = ", ".join(f"{tuple(s['shape'])} {s['norm']:.4g}" if s else "-" for s in r.received)
            sent = "; ".join(
                f"{name}: {tuple(s['shape'])} {s['norm']:.4g}" if s else "(no grad)" for name, s in r.sent
            ) or "(leaf: accumulated into .grad)"
            rows.append((str(r.step), r.name, recv, sent))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row[:3], widths)) + "  " + row[3] for row in rows]
        lines.insert(1, "-" * max(len(line) for line in lines))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    __repr__ = __str__
