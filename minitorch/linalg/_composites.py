"""torch.linalg functions composed of the others (their gradients follow from those): cond, tensorinv,
tensorsolve, solve_ex, householder_product (torch.orgqr), torch.ormqr; and torch.geqrf."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops.decompositions import LinAlgError
from minitorch.ops.linalg import _matrices, _result, inv, matrix_norm, solve, svdvals
from minitorch.ops.shape import cat

SolveExResult = _result("linalg_solve_ex", "result", "info")


def cond(A: Tensor, p: Any = None) -> Tensor:
    """The condition number ||A|| ||A^-1|| in the norm ``p`` (None or 2: the ratio of the extreme singular values)."""
    _matrices(A, "linalg.cond", square=p not in (None, 2, -2))
    if p in (None, 2, -2):
        s = svdvals(A)
        big, small = s.narrow(-1, 0, 1).squeeze(-1), s.narrow(-1, s.shape[-1] - 1, 1).squeeze(-1)
        return big / small if p != -2 else small / big
    if p not in ("fro", "nuc", 1, -1, float("inf"), float("-inf")):
        raise ValueError(f"linalg.cond got an invalid norm type: {p}")
    try:
        inverse = inv(A)
    except LinAlgError:
        return Tensor._make(np.full(A.shape[:-2], np.inf, A._data.dtype))
    return matrix_norm(A, p) * matrix_norm(inverse, p)


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """The inverse of A seen as a matrix of its first ``ind`` dims by the rest: shaped A.shape[ind:] + A.shape[:ind]."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = math.prod(A.shape[:ind]), math.prod(A.shape[ind:])
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {cols} != {rows}")
    return inv(A.reshape(rows, cols)).reshape(tuple(A.shape[ind:]) + tuple(A.shape[:ind]))


def tensorsolve(A: Tensor, B: Tensor, dims: Any = None) -> Tensor:
    """X with tensordot(A, X, X.ndim) = B (the dims listed in ``dims`` moved to the end of A first)."""
    if dims is not None:
        dims = [d % A.ndim for d in dims]
        A = A.movedim(dims, list(range(A.ndim - len(dims), A.ndim)))
    rest = tuple(A.shape[B.ndim:])
    n = math.prod(rest)
    if math.prod(A.shape[:B.ndim]) != n:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {n} != {math.prod(A.shape[:B.ndim])}")
    return solve(A.reshape(n, n), B.reshape(-1)).reshape(rest)


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False) -> Any:
    """(result, info) of ``solve``: info > 0 where A is singular (then result is NaN), 0 elsewhere."""
    try:
        x = solve(A, B, left=left)
        return SolveExResult(x, Tensor._make(np.zeros(A.shape[:-2], np.int32)))
    except LinAlgError:
        if check_errors:
            raise
        shape = np.broadcast_shapes(A.shape[:-2], B.shape[:-1] if B.ndim == 1 else B.shape[:-2]) + tuple(B.shape[-2:])
        return SolveExResult(Tensor._make(np.full(shape if B.ndim > 1 else B.shape, np.nan, A._data.dtype)),
                             Tensor._make(np.ones(A.shape[:-2], np.int32)))


def householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """The first n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^T with v_i = e_i + the part of A's column i
    below the diagonal (LAPACK orgqr, the Q of a QR factorization from its reflectors)."""
    _matrices(A, "torch.linalg.householder_product", square=False, name="input")
    m, n = A.shape[-2:]
    k = tau.shape[-1]
    if n > m:
        raise RuntimeError("torch.linalg.householder_product: input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")
    if k > n:
        raise RuntimeError("torch.linalg.householder_product: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(f"torch.linalg.householder_product: Expected batch dimensions of tau to be equal to "
                           f"input.shape[:-2], but got {list(tau.shape[:-1])}")
    if tau.dtype is not A.dtype:
        raise RuntimeError(f"torch.linalg.householder_product: tau dtype {tau.dtype} does not match input dtype "
                           f"{A.dtype}")
    eye = np.eye(m, dtype=A._data.dtype)
    vs = A.tril(-1) + Tensor._make(np.eye(m, n, dtype=A._data.dtype))
    q = Tensor._make(np.broadcast_to(eye, tuple(A.shape[:-2]) + (m, m)).copy())
    if k == 0:  # the identity's columns, still in the graph of A and tau (with zero gradients) as in torch
        q = q + (A.sum() + tau.sum()) * 0
    for i in range(k):
        v = vs.narrow(-1, i, 1)
        t = tau.narrow(-1, i, 1).unsqueeze(-1)
        q = q - (q @ v) * t @ v.mT
    return q.narrow(-1, 0, n)


GeqrfResult = _result("geqrf", "a", "tau")


def geqrf(input: Tensor) -> Any:
    """LAPACK's geqrf: R on and above the diagonal of ``a``, the Householder vectors below it, and their scales
    ``tau`` (no derivative, as in torch)."""
    _matrices(input, "geqrf", square=False, name="input")
    a = input._data
    m, n = a.shape[-2:]
    h = a.copy()
    tau = np.zeros(a.shape[:-2] + (min(m, n),), a.dtype)
    if min(m, n):
        for i in np.ndindex(a.shape[:-2]):
            raw, t = np.linalg.qr(a[i], mode="raw")
            h[i], tau[i] = raw.T, t
    return GeqrfResult(Tensor._make(h), Tensor._make(tau))


def ormqr(input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False) -> Tensor:
    """Q @ other (or other @ Q, with Q^T when ``transpose``) for the full m x m Q = H_1 ... H_k of the Householder
    vectors in ``input`` (as geqrf leaves them) and their scales ``tau``."""
    for t, name in ((input, "input"), (other, "other")):
        if t.ndim < 2:
            raise RuntimeError(f"torch.ormqr: {name} must have at least 2 dimensions.")
    m, n = input.shape[-2:]
    d = -2 if left else -1
    if tau.ndim < 1 or tau.shape[-1] > min(other.shape[d], n):
        raise RuntimeError("torch.ormqr: tau.shape[-1] must be equal to min(other.shape[-2], input.shape[-1])")
    if other.shape[d] != m:
        raise RuntimeError(f"torch.ormqr: other.shape[{d}] must be equal to input.shape[-2]")
    for t, name in ((tau, "tau"), (other, "other")):
        if t.dtype is not input.dtype:
            raise RuntimeError(f"torch.ormqr: Expected input and {name} to have the same dtype, but input has dtype"
                               f"{_dtype.legacy_name(input.dtype)} and {name} has dtype {_dtype.legacy_name(t.dtype)}")
    if n > m:
        input = input.narrow(-1, 0, m)
    elif n < m:
        pad = Tensor._make(np.zeros(tuple(input.shape[:-1]) + (m - n,), input._data.dtype))
        input = cat([input, pad], -1)
    q = householder_product(input, tau)
    q = q.mT if transpose else q
    return q @ other if left else other @ q
