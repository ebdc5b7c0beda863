"""The LU decomposition with partial pivoting (LAPACK getrf's algorithm and pivots, on numpy): lu_factor, lu,
lu_solve."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops.decompositions import LinAlgError, _getrf, _is_t, _permutation, solve_tri, tril, triu
from minitorch.ops.linalg import _matrices, _result
from minitorch.ops.shape import cat

LUFactorResult = _result("linalg_lu_factor", "LU", "pivots")
LUResult = _result("linalg_lu", "P", "L", "U")
LUFactorExResult = _result("linalg_lu_factor_ex", "LU", "pivots", "info")
LUUnpackResult = _result("lu_unpack", "P", "L", "U")


def _np_dtype(x: Any) -> Any:
    """The numpy dtype of an array or a Tensor."""
    return x._data.dtype if _is_t(x) else x.dtype


def _const(x: Any, like: Any) -> Any:
    """A constant array as a Tensor when backward runs on Tensors."""
    return Tensor._make(x) if _is_t(like) else x


def _lu_grad(p: Any, low: Any, up: Any, gl: Any, gu: Any) -> Any:
    """torch's linalg_lu_backward: for a square A = P L U, dL/dA = P L^-T [tril(L^T gL, -1) + triu(gU U^T)] U^-T;
    a wide A = P L [U1 U2] adds L^-T gU2 U2^T to gL's part and P L^-T gU2 for A2; a tall A = P [L1; L2] U adds
    L2^T gL2 U^-T to gU's part and P gL2 U^-T for the rows below."""
    m, k, n = low.shape[-2], low.shape[-1], up.shape[-1]
    pc = _const(p, gl)
    if m == n:
        r = tril(low.mT @ gl, -1) + triu(gu @ up.mT)
        g = solve_tri(low.mT, r, True, True, True)
        return pc @ solve_tri(up.mT, g, False, False)
    if m < n:
        u1, u2, gu1, gu2 = up[..., :, :k], up[..., :, k:], gu[..., :, :k], gu[..., :, k:]
        gl2 = gl - solve_tri(low.mT, gu2 @ u2.mT, True, True, True)
        g1 = _lu_grad(np.broadcast_to(np.eye(m, dtype=_np_dtype(low)), p.shape), low, u1, gl2, gu1)
        g2 = solve_tri(low.mT, gu2, True, True, True)
        return pc @ _cat(g1, g2, -1)
    l1, l2, gl1, gl2 = low[..., :k, :], low[..., k:, :], gl[..., :k, :], gl[..., k:, :]
    gu2 = gu - solve_tri(up.mT, l2.mT @ gl2, False, False)
    g1 = _lu_grad(np.broadcast_to(np.eye(k, dtype=_np_dtype(low)), p.shape[:-2] + (k, k)), l1, up, gl1, gu2)
    g2 = solve_tri(up.mT, gl2, False, False)
    return pc @ _cat(g1, g2, -2)


def _cat(a: Any, b: Any, dim: int) -> Any:
    """Concatenate along ``dim``, in either mode."""
    if _is_t(a) or _is_t(b):
        return cat([a, b], dim)
    return np.concatenate([a, b], dim)


class LuFactor(Op):
    """(LU, pivots) = getrf(A);  with L = tril(LU, -1) + I, U = triu(LU):  dL/dA = torch's LU backward of
    gL = tril(gLU, -1), gU = triu(gLU)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgLuFactorExBackward0"

    @staticmethod
    def forward(ctx, a):
        lu, piv = _getrf(a)
        ctx.perm = _permutation(piv, a.shape[-2], a.dtype)
        ctx.save_for_backward(lu)
        ctx.set_materialize_grads(False)
        return lu, piv

    @staticmethod
    def backward(ctx, glu, gpiv=None):
        (lu,) = ctx.saved_tensors
        m, n = lu.shape[-2:]
        k = min(m, n)
        eye = np.eye(m, k, dtype=_np_dtype(lu))
        low = tril(lu, -1)[..., :, :k] + _const(eye, lu)
        up = triu(lu)[..., :k, :]
        return _lu_grad(ctx.perm, low, up, tril(glu, -1)[..., :, :k], triu(glu)[..., :k, :])


def lu_factor(A: Tensor, *, pivot: bool = True) -> Any:
    """The packed LU decomposition A = P L U (L unit lower-triangular below the diagonal of LU, U on and above) and
    LAPACK's 1-based int32 pivots."""
    if isinstance(A, Tensor) and A.ndim < 2:
        raise RuntimeError(f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} "
                           f"instead")
    if isinstance(A, Tensor) and not A.dtype.is_floating_point:
        raise NotImplementedError(f"\"lu_cpu\" not implemented for '{_dtype.legacy_name(A.dtype)}'")
    _matrices(A, "linalg.lu_factor", square=False)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    return LUFactorResult(*LuFactor.apply(A))


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False) -> Any:
    """(LU, pivots, info) of ``lu_factor``; info > 0 names the first zero pivot (1-based), 0 if none."""
    packed, piv = lu_factor(A, pivot=pivot)
    d = np.diagonal(packed._data, 0, -2, -1)
    zero = d == 0
    info = np.where(zero.any(-1), zero.argmax(-1) + 1, 0).astype(np.int32)
    if check_errors and info.any():
        raise LinAlgError(f"linalg.lu_factor_ex: U[{int(info.max())},{int(info.max())}] is zero and using it on "
                          f"lu_solve would result in a division by zero.")
    return LUFactorExResult(packed, piv, Tensor._make(info))


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True) -> Any:
    """(P, L, U) from the packed LU and pivots of ``lu_factor``: A = P L U."""
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    eye = Tensor._make(np.eye(m, k, dtype=LU_data._data.dtype))
    empty = Tensor._make(np.zeros((0,), LU_data._data.dtype))
    low = LU_data.tril(-1).narrow(-1, 0, k) + eye if unpack_data else empty
    up = LU_data.triu().narrow(-2, 0, k) if unpack_data else empty
    p = Tensor._make(_permutation(LU_pivots._data, m, LU_data._data.dtype)) if unpack_pivots else empty
    return LUUnpackResult(p, low, up)


def lu(A: Tensor, *, pivot: bool = True) -> Any:
    """(P, L, U) with A = P L U: P a permutation, L unit lower-triangular (m x k), U upper-triangular (k x n)."""
    _matrices(A, "linalg.lu", square=False)
    if not pivot:
        raise RuntimeError("linalg.lu: LU without pivoting is not implemented on the CPU")
    return LUResult(*lu_unpack(*lu_factor(A)))


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False) -> Tensor:
    """X with A X = B (or A^T X = B when ``adjoint``; X A = B, X A^T = B when not ``left``) for A = P L U given by
    ``lu_factor``."""
    _matrices(LU, "linalg.lu_solve")
    if not left:
        return lu_solve(LU, pivots, B.mT, adjoint=not adjoint).mT
    n = LU.shape[-1]
    if B.ndim < 2 or B.shape[-2] != n:
        raise RuntimeError(f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if not adjoint else 'A^HX = B'} ({n}x{n} and "
                           f"{'x'.join(map(str, B.shape[-2:]))})")
    low = LU.tril(-1) + Tensor._make(np.eye(n, dtype=LU._data.dtype))
    up = LU.triu()
    p = Tensor._make(_permutation(pivots._data, n, LU._data.dtype))
    if adjoint:  # A^T = U^T L^T P^T
        y = solve_tri(up.mT, B, False)
        return p @ solve_tri(low.mT, y, True, True, True)
    y = solve_tri(low, p.mT @ B, False, True, True)
    return solve_tri(up, y, True)
