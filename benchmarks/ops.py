"""Op-level workloads and scaling sweeps, each with its floating-point operation count.

Every entry builds a zero-argument callable for ``lib`` on the same float32 data, plus the number
of flops it performs (for GFLOP/s); forward+backward entries run one backward with a fixed
upstream gradient.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


def _data(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def matmul(lib: Any, n: int) -> Callable:
    a, b = lib.tensor(_data(n, n)), lib.tensor(_data(n, n, seed=1))
    return lambda: a @ b


def gemm(lib: Any, m: int, k: int, n: int, form: str) -> Callable:
    """One of the models' GEMMs on its own: ``linear`` x (m, k) W^T with W (n, k) (the Linear forward),
    ``weight grad`` g^T x with g (k, m), x (k, n) (a Linear's weight gradient over a batch of k), or
    ``plain`` a (m, k) @ b (k, n). Beside the model steps they show how much of a gap is the BLAS's."""
    if form == "linear":
        x, w = lib.tensor(_data(m, k)), lib.tensor(_data(n, k, seed=1))
        return lambda: lib.nn.functional.linear(x, w)
    if form == "weight grad":
        g, x = lib.tensor(_data(k, m)), lib.tensor(_data(k, n, seed=1))
        return lambda: g.t() @ x
    a, b = lib.tensor(_data(m, k)), lib.tensor(_data(k, n, seed=1))
    return lambda: a @ b


def conv2d_fwd_bwd(lib: Any, batch: int, c_in: int, c_out: int, size: int, k: int = 3) -> Callable:
    x = lib.tensor(_data(batch, c_in, size, size), requires_grad=True)
    w = lib.tensor(_data(c_out, c_in, k, k) * 0.1, requires_grad=True)
    g = lib.tensor(_data(batch, c_out, size - k + 1, size - k + 1))

    def step() -> None:
        x.grad = w.grad = None
        lib.nn.functional.conv2d(x, w).backward(g)

    return step


def conv2d_fwd(lib: Any, batch: int, c_in: int, c_out: int, size: int, k: int = 3) -> Callable:
    x = lib.tensor(_data(batch, c_in, size, size))
    w = lib.tensor(_data(c_out, c_in, k, k) * 0.1)
    return lambda: lib.nn.functional.conv2d(x, w)


def elementwise_chain(lib: Any, n: int) -> Callable:
    x = lib.tensor(_data(n), requires_grad=True)

    def step() -> None:
        x.grad = None
        ((x * 2 + 1).tanh() * x.sigmoid()).sum().backward()

    return step


def reductions(lib: Any, rows: int, cols: int) -> Callable:
    x = lib.tensor(_data(rows, cols), requires_grad=True)

    def step() -> None:
        x.grad = None
        (x.sum(1).mean() + x.amax(0).sum() + x.var(1).sum()).backward()

    return step


def softmax_cross_entropy(lib: Any, batch: int, classes: int) -> Callable:
    x = lib.tensor(_data(batch, classes), requires_grad=True)
    y = lib.tensor(np.random.default_rng(0).integers(0, classes, batch))

    def step() -> None:
        x.grad = None
        lib.nn.functional.cross_entropy(x, y).backward()

    return step


def lstm_cell(lib: Any, batch: int, hidden: int) -> Callable:
    lib.manual_seed(0)
    cell = lib.nn.LSTMCell(hidden, hidden)
    x = lib.tensor(_data(batch, hidden), requires_grad=True)
    h = lib.tensor(_data(batch, hidden, seed=1))
    c = lib.tensor(_data(batch, hidden, seed=2))

    def step() -> None:
        x.grad = None
        cell.zero_grad()
        h1, c1 = cell(x, (h, c))
        (h1.sum() + c1.sum()).backward()

    return step


def mlp_step(lib: Any, batch: int) -> Callable:
    from benchmarks.workloads import _classifier_step, mlp

    return _classifier_step(lib, mlp, (batch, 784))


def rnn_step(lib: Any, hidden: int) -> Callable:
    from benchmarks.workloads import _classifier_step, recurrent_classifier

    return _classifier_step(lib, lambda m: recurrent_classifier(m, "rnn", 28, hidden, 28), (64, 28, 28))


def conv_step(lib: Any, size: int) -> Callable:
    return conv2d_fwd_bwd(lib, 16, 8, 16, size)


def mlp_flops(batch: int) -> float:
    """Forward 2*B*sum(in*out), backward twice that (input and weight gradients)."""
    return 3 * 2 * batch * (784 * 256 + 256 * 128 + 128 * 10)


def rnn_flops(hidden: int) -> float:
    per_step = 2 * 64 * (28 * hidden + hidden * hidden)
    return 3 * (28 * per_step + 2 * 64 * hidden * 10)


def conv_flops(size: int, batch: int = 16, c_in: int = 8, c_out: int = 16, k: int = 3) -> float:
    out = size - k + 1
    return 3 * 2 * batch * c_out * out * out * c_in * k * k


OPS: dict[str, tuple[Callable[[Any], Callable], float]] = {
    "matmul 256": (lambda lib: matmul(lib, 256), 2 * 256 ** 3),
    "matmul 1024": (lambda lib: matmul(lib, 1024), 2 * 1024 ** 3),
    "GEMM: Linear fwd 64x784 -> 512 (x @ W^T)": (lambda lib: gemm(lib, 64, 784, 512, "linear"), 2 * 64 * 784 * 512),
    "GEMM: weight grad 784x1024 over batch 64 (g^T x)": (lambda lib: gemm(lib, 784, 64, 1024, "weight grad"),
                                                        2 * 784 * 64 * 1024),
    "GEMM: LSTM step 64x128 @ 128x512": (lambda lib: gemm(lib, 64, 128, 512, "plain"), 2 * 64 * 128 * 512),
    "conv2d fwd 64x3x32x32 -> 16": (lambda lib: conv2d_fwd(lib, 64, 3, 16, 32), 2 * 64 * 16 * 30 * 30 * 3 * 9),
    "conv2d fwd+bwd 64x3x32x32 -> 16": (lambda lib: conv2d_fwd_bwd(lib, 64, 3, 16, 32), 3 * 2 * 64 * 16 * 30 * 30 * 3 * 9),
    "conv2d fwd+bwd 32x16x16x16 -> 32": (lambda lib: conv2d_fwd_bwd(lib, 32, 16, 32, 16), 3 * 2 * 32 * 32 * 14 * 14 * 16 * 9),
    "elementwise chain 1e5": (lambda lib: elementwise_chain(lib, 100_000), 0.0),
    "reductions 512x512": (lambda lib: reductions(lib, 512, 512), 0.0),
    "softmax+cross-entropy 512x1000": (lambda lib: softmax_cross_entropy(lib, 512, 1000), 0.0),
    "LSTM cell 64x256": (lambda lib: lstm_cell(lib, 64, 256), 3 * 2 * 64 * 2 * 256 * 1024),
}

SWEEPS: dict[str, tuple[list, Callable, Callable]] = {
    "MLP step vs batch size": ([16, 64, 256, 1024], mlp_step, mlp_flops),
    "RNN step vs hidden size": ([32, 64, 128, 256], rnn_step, rnn_flops),
    "conv2d fwd+bwd vs image size": ([8, 16, 32, 64], conv_step, conv_flops),
}


def gemm_peak(n: int = 1024) -> float:
    """This machine's measured numpy float32 GEMM rate (GFLOP/s), the yardstick for efficiency."""
    import time

    a, b = _data(n, n), _data(n, n, seed=1)
    a @ b
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best / 1e9
