"""The GEMMs of the convolutions, chosen by shape.

A convolution's products are short and wide: (O, C*prod(kernel)) @ (C*prod(kernel), N*positions) with
O and C*prod(kernel) in the tens or hundreds and L = N*positions in the tens of thousands (LeNet-5: 6 x 25
by 25 x 57088, 16 x 150 by 150 x 8704). OpenBLAS runs such products far below its peak. Two rules, each
measured at one thread on an AMD EPYC (the ms are LeNet-5's first layer, batch 64):

* a product whose small matrix has at most ``SMALL`` entries runs as one BLAS call per block of
  ``BLOCK`` columns, so each call packs a panel that stays in cache (forward 0.29 -> 0.12 ms with
  OpenBLAS's own kernel choice, SkylakeX; within 5% with OPENBLAS_CORETYPE=Haswell);
* the weight gradient g (O, L) @ cols (K, L)^T, whose long side is the sum, runs as cols @ g^T
  (K x O, transposed at the end) when O <= K, the orientation OpenBLAS's kernels handle best
  (second layer 0.48 -> 0.43 ms Haswell, 0.64 -> 0.30 ms SkylakeX), and over column blocks when
  O * K is small (first layer 0.76 -> 0.20 ms SkylakeX, unchanged Haswell).

The plain formulas (``np.matmul(a, b)`` and ``np.matmul(g, cols^T)``) are the tests' oracle.
"""
from __future__ import annotations

import numpy as np

BLOCK = 4096
SMALL = 512


def _blocked(small: int, n: int) -> bool:
    """Whether a product with a small matrix of ``small`` entries and long side ``n`` runs over blocks."""
    return small <= SMALL and n > 2 * BLOCK


def columns_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (G, M, K) @ b (G, K, L) -> (G, M, L); over blocks of ``BLOCK`` columns of b when M * K is small."""
    groups, m, k = a.shape
    n = b.shape[-1]
    if not _blocked(m * k, n):
        return np.matmul(a, b)
    out = np.empty((groups, m, n), np.result_type(a, b))
    for i in range(groups):
        for s in range(0, n, BLOCK):
            np.matmul(a[i], b[i, :, s:s + BLOCK], out=out[i, :, s:s + BLOCK])
    return out


def weight_matmul(g: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """g (G, O, L) @ cols (G, K, L)^T -> (G, O, K), as (cols @ g^T)^T when O <= K (summed over column blocks
    when O * K is small)."""
    groups, o, n = g.shape
    k = cols.shape[1]
    if o > k:
        return np.matmul(g, cols.transpose(0, 2, 1))
    if not _blocked(o * k, n):
        return np.matmul(cols, g.transpose(0, 2, 1)).transpose(0, 2, 1)
    acc = np.zeros((groups, k, o), np.result_type(g, cols))
    part = np.empty((k, o), acc.dtype)
    for i in range(groups):
        for s in range(0, n, BLOCK):
            acc[i] += np.matmul(cols[i, :, s:s + BLOCK], g[i, :, s:s + BLOCK].T, out=part)
    return acc.transpose(0, 2, 1)
