"""``linalg.ldl_factor``/``ldl_factor_ex``/``ldl_solve``: the LDL^T factorization of a symmetric matrix with
Bunch-Kaufman pivoting (LAPACK's unblocked sytf2 on the lower triangle, so the pivots are LAPACK's) and the
solve that uses it (sytrs). torch defines no derivatives for them."""
from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import numpy as np

from minitorch._tensor import Tensor
from minitorch.ops.linalg import _matrices

LdlResult = namedtuple("linalg_ldl_factor", ["LD", "pivots"])
LdlExResult = namedtuple("linalg_ldl_factor_ex", ["LD", "pivots", "info"])
_ALPHA = (1 + math.sqrt(17)) / 8


def _sytf2(a: np.ndarray) -> tuple:
    """(LD, 1-based pivots (negative for a 2x2 block), info) of one symmetric matrix (its lower triangle)."""
    n = a.shape[0]
    A = np.tril(a) + np.tril(a, -1).T
    ipiv = np.zeros(n, np.int32)
    info, k = 0, 0
    while k < n:
        kstep, absakk = 1, abs(A[k, k])
        imax = k + 1 + int(np.argmax(np.abs(A[k + 1:, k]))) if k < n - 1 else k
        colmax = abs(A[imax, k]) if k < n - 1 else 0.0
        if max(absakk, colmax) == 0 or math.isnan(absakk):
            info = info or k + 1
            kp = k
        else:
            if absakk >= _ALPHA * colmax:
                kp = k
            else:
                row = np.abs(A[imax, k:imax])
                rowmax = row.max()
                if imax < n - 1:
                    rowmax = max(rowmax, np.abs(A[imax + 1:, imax]).max())
                if absakk >= _ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif abs(A[imax, imax]) >= _ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:  # swap rows and columns kk and kp of the trailing matrix (L's finished columns stay)
                A[[kk, kp], k:] = A[[kp, kk], k:]
                A[k:, [kk, kp]] = A[k:, [kp, kk]]
            if kstep == 1:
                if k < n - 1:
                    col = A[k + 1:, k] / A[k, k]
                    A[k + 1:, k + 1:] -= np.outer(col, A[k + 1:, k])
                    A[k + 1:, k] = col
                    A[k, k + 1:] = col
            elif k < n - 2:
                d21 = A[k + 1, k]
                d11, d22 = A[k + 1, k + 1] / d21, A[k, k] / d21
                d21 = (1 / (d11 * d22 - 1)) / d21
                w0, w1 = A[k + 2:, k].copy(), A[k + 2:, k + 1].copy()
                wk, wk1 = d21 * (d11 * w0 - w1), d21 * (d22 * w1 - w0)
                A[k + 2:, k + 2:] -= np.outer(w0, wk) + np.outer(w1, wk1)
                A[k + 2:, k], A[k + 2:, k + 1] = wk, wk1
                A[k, k + 2:], A[k + 1, k + 2:] = wk, wk1
        if kstep == 1:
            ipiv[k] = kp + 1
        else:
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return np.tril(A), ipiv, info


def _sytrs(LD: np.ndarray, ipiv: np.ndarray, B: np.ndarray) -> np.ndarray:
    """X with A X = B for A = P L D L^T P^T given by ``_sytf2``."""
    n, X = LD.shape[0], B.copy()
    k = 0
    while k < n:  # solve L D Y = P^T B
        if ipiv[k] > 0:
            kp = ipiv[k] - 1
            X[[k, kp]] = X[[kp, k]]
            X[k + 1:] -= np.outer(LD[k + 1:, k], X[k])
            X[k] /= LD[k, k]
            k += 1
        else:
            kp = -ipiv[k] - 1
            X[[k + 1, kp]] = X[[kp, k + 1]]
            X[k + 2:] -= np.outer(LD[k + 2:, k], X[k]) + np.outer(LD[k + 2:, k + 1], X[k + 1])
            akm1k = LD[k + 1, k]
            akm1, ak = LD[k, k] / akm1k, LD[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1, bk = X[k] / akm1k, X[k + 1] / akm1k
            X[k], X[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:  # solve L^T P^T X = Y
        if ipiv[k] > 0:
            X[k] -= LD[k + 1:, k] @ X[k + 1:]
            kp = ipiv[k] - 1
            X[[k, kp]] = X[[kp, k]]
            k -= 1
        else:
            X[k] -= LD[k + 1:, k] @ X[k + 1:]
            X[k - 1] -= LD[k + 1:, k - 1] @ X[k + 1:]
            kp = -ipiv[k] - 1
            X[[k, kp]] = X[[kp, k]]
            k -= 2
    return X


def ldl_factor_ex(A: Tensor, *, hermitian: bool = False, check_errors: bool = False) -> Any:
    """(LD, pivots, info): A = P L D L^T P^T, L unit lower triangular (below LD's diagonal), D block diagonal
    with 1x1 and 2x2 blocks (on and beside it), ``pivots`` LAPACK's interchanges (1-based; negative where a 2x2
    block starts), ``info`` the first zero pivot (1-based) or 0."""
    _matrices(A, "torch.linalg.ldl_factor_ex")
    a = A._data
    batch, n = a.shape[:-2], a.shape[-1]
    LD, piv, info = np.zeros_like(a), np.zeros(batch + (n,), np.int32), np.zeros(batch, np.int32)
    for i in np.ndindex(*batch):
        LD[i], piv[i], info[i] = _sytf2(a[i].astype(np.float64))
    if check_errors and info.any():
        raise RuntimeError(f"torch.linalg.ldl_factor_ex: The factorization could not be completed because the input "
                           f"is not invertible (info = {int(info.max())}).")
    return LdlExResult(Tensor._make(LD.astype(a.dtype)), Tensor._make(piv), Tensor._make(info))


def ldl_factor(A: Tensor, *, hermitian: bool = False) -> Any:
    """(LD, pivots) of ``ldl_factor_ex`` (a real matrix: ``hermitian`` changes nothing)."""
    LD, pivots, _ = ldl_factor_ex(A, hermitian=hermitian)
    return LdlResult(LD, pivots)


def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False) -> Tensor:
    """X with A X = B, for A given by ``ldl_factor``'s (LD, pivots); batch dims broadcast."""
    _matrices(LD, "torch.linalg.ldl_solve", name="LD")
    if B.dim() < 2:
        raise RuntimeError(f"torch.linalg.ldl_solve: Expected B to have at least 2 dimensions, but it has {B.dim()} "
                           f"dimensions instead")
    if LD.shape[-1] != B.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is {LD.shape[-2]} by "
                           f"{LD.shape[-1]} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    batch = np.broadcast_shapes(LD.shape[:-2], B.shape[:-2], pivots.shape[:-1])
    ld = np.broadcast_to(LD._data, batch + LD.shape[-2:])
    piv = np.broadcast_to(pivots._data, batch + pivots.shape[-1:])
    b = np.broadcast_to(B._data, batch + B.shape[-2:])
    out = np.empty(b.shape, np.result_type(LD._data.dtype, B._data.dtype))
    for i in np.ndindex(*batch):
        out[i] = _sytrs(ld[i].astype(np.float64), piv[i], b[i].astype(np.float64))
    return Tensor._make(out)
