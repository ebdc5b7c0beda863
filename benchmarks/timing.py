"""Interleaved timing of two callables: the ratio of their medians is what the report quotes.

Both steps are warmed up, then timed in alternating blocks (A B, B A, A B ...) so that drift in
the machine's speed hits both equally; each block runs enough calls to last ``min_block`` seconds.
"""
from __future__ import annotations

import statistics
import time
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def threads(n: int | None) -> Iterator[None]:
    """Limit numpy's BLAS and torch to ``n`` threads (None: leave the machine's default)."""
    import torch
    from threadpoolctl import threadpool_limits

    if n is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        with threadpool_limits(limits=n):
            yield
    finally:
        torch.set_num_threads(before)


def _calls_per_block(fn: Callable[[], None], min_block: float) -> int:
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= min_block or n >= 1 << 20:
            return n
        n *= 2


def compare(a: Callable[[], None], b: Callable[[], None], rounds: int = 9, min_block: float = 0.05,
            warmup: int = 3) -> tuple[float, float]:
    """Median seconds per call of ``a`` and of ``b``, measured interleaved."""
    for _ in range(warmup):
        a()
        b()
    na, nb = _calls_per_block(a, min_block), _calls_per_block(b, min_block)
    ta, tb = [], []
    for r in range(rounds):
        order = ((a, na, ta), (b, nb, tb)) if r % 2 == 0 else ((b, nb, tb), (a, na, ta))
        for fn, n, out in order:
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            out.append((time.perf_counter() - t0) / n)
    return statistics.median(ta), statistics.median(tb)
