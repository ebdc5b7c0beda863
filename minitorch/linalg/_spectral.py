"""Matrix functions composed of the symmetric eigendecomposition and the SVD (their gradients are those of
``eigh`` and ``svd``): ``linalg.matrix_sqrth``, ``linalg.polar``, and ``svd_lowrank``/``pca_lowrank``, which
minitorch computes exactly (the truncated thin SVD) where torch uses a randomized range finder."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

from minitorch._tensor import Tensor
from minitorch.ops.linalg import _matrices, eigh, svd

PolarResult = namedtuple("polar", ["U", "H"])


def matrix_sqrth(A: Tensor) -> Tensor:
    """The symmetric positive-definite X with X X = A, for symmetric positive-definite A (its lower triangle):
    X = Q diag(sqrt(lambda)) Q^T from A's eigendecomposition."""
    _matrices(A, "linalg.matrix_sqrth")
    w, Q = eigh(A)
    return (Q * w.sqrt().unsqueeze(-2)) @ Q.mT


def polar(A: Tensor) -> Any:
    """A = U H with U of orthonormal columns and H symmetric positive-semidefinite, for A with m >= n rows:
    from the thin SVD A = W S V^T, U = W V^T and H = V S V^T."""
    _matrices(A, "linalg.polar", square=False)
    if A.shape[-2] < A.shape[-1]:
        raise RuntimeError(f"linalg.polar: input must have at least as many rows as columns, but got "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    W, S, Vh = svd(A, full_matrices=False)
    return PolarResult(W @ Vh, (Vh.mT * S.unsqueeze(-2)) @ Vh)


def svd_lowrank(A: Tensor, q: int | None = 6, niter: int | None = 2, M: Tensor | None = None) -> tuple:
    """(U, S, V) of rank ``q`` with A - M ~ U diag(S) V^T: the leading ``q`` singular triplets of A - M
    (exact; torch's randomized method with ``niter`` subspace iterations approximates them)."""
    _matrices(A, "svd_lowrank", square=False)
    q = 6 if q is None else q
    B = A if M is None else A - M
    U, S, Vh = svd(B, full_matrices=False)
    return U[..., :q], S[..., :q], Vh.mT[..., :q]


def pca_lowrank(A: Tensor, q: int | None = None, center: bool = True, niter: int = 2) -> tuple:
    """(U, S, V) of the leading ``q`` (default min(6, m, n)) principal components of A's rows (A centered by
    its column means when ``center``)."""
    _matrices(A, "pca_lowrank", square=False)
    m, n = A.shape[-2], A.shape[-1]
    q = min(6, m, n) if q is None else q
    if not 0 <= q <= min(m, n):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}")
    return svd_lowrank(A - A.mean(-2, keepdim=True) if center else A, q, niter)
