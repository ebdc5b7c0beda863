"""Matrix decompositions and solvers on numpy.linalg kernels: inv, det, slogdet, solve, solve_triangular,
cholesky, qr, svd, eigh, pinv. Each backward is torch's (derivatives.yaml / FunctionsManual.cpp), written in
operations that ndarrays and Tensors share, so it runs on arrays and is itself differentiable."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops._util import unbroadcast
from minitorch.ops.blas import _diag_scatter, _diagonal
from minitorch.ops.indexing import where
from minitorch.ops.shape import cat


class LinAlgError(RuntimeError):
    """A matrix the algorithm cannot handle (singular, not positive-definite), as torch.linalg.LinAlgError."""


# ------------------------------------------------------------------------ helpers for both modes
def _is_t(x: Any) -> bool:
    """Whether backward runs on Tensors (else on arrays)."""
    return isinstance(x, Tensor)


def tril(x: Any, k: int = 0) -> Any:
    """The lower triangle of a batch of matrices, in either mode."""
    return x.tril(k) if _is_t(x) else np.tril(x, k)


def triu(x: Any, k: int = 0) -> Any:
    """The upper triangle of a batch of matrices, in either mode."""
    return x.triu(k) if _is_t(x) else np.triu(x, k)


def diag_embed(v: Any) -> Any:
    """The batch of diagonal matrices with v's last dim on their diagonals."""
    n = len(v.shape)
    return _diag_scatter(v, tuple(v.shape) + (v.shape[-1],), 0, n - 1, n)


def diag(x: Any) -> Any:
    """The main diagonals of a batch of matrices."""
    return _diagonal(x, 0, len(x.shape) - 2, len(x.shape) - 1)


def row(v: Any) -> Any:
    """(..., k) -> (..., 1, k)."""
    return v.reshape(tuple(v.shape[:-1]) + (1, v.shape[-1]))


def col(v: Any) -> Any:
    """(..., k) -> (..., k, 1)."""
    return v.reshape(tuple(v.shape) + (1,))


def inv(a: Any) -> Any:
    """A^-1 in either mode."""
    return Inv.apply(a) if _is_t(a) else np.linalg.inv(a)


def solve_tri(a: Any, b: Any, upper: bool, left: bool = True, unit: bool = False) -> Any:
    """The triangular solve in either mode."""
    if _is_t(a) or _is_t(b):
        a, b = (x if _is_t(x) else Tensor._make(np.asarray(x)) for x in (a, b))
        return SolveTriangular.apply(a, b, upper, left, unit)
    return _solve_tri_np(a, b, upper, left, unit)


def _solve_tri_np(a: np.ndarray, b: np.ndarray, upper: bool, left: bool, unit: bool) -> np.ndarray:
    """The triangular solve on arrays: only A's triangle is read (its diagonal taken as 1 if ``unit``)."""
    t = np.triu(a) if upper else np.tril(a)
    if unit:
        t = t.copy()
        np.einsum("...ii->...i", t)[...] = 1
    if left:
        return np.linalg.solve(t, b)
    return np.linalg.solve(t.mT, b.mT).mT


def sub_eq(e: Any) -> Any:
    """e_ij = s_j - s_i off the diagonal, 1 on it (the denominators of the svd / eigh gradients)."""
    n = e.shape[-1]
    diff = row(e) - col(e)
    eye = np.eye(n, dtype=e.dtype if not _is_t(e) else e._data.dtype)
    return diff + (Tensor._make(eye) if _is_t(diff) else eye)


def _getrf(a: np.ndarray) -> tuple:
    """Packed LU (L strictly below the diagonal, unit diagonal implied; U on and above) and 1-based pivots, by
    Gaussian elimination choosing the largest |entry| of each column (the first of equals), as LAPACK does."""
    lu = np.array(a, copy=True)
    m, n = lu.shape[-2:]
    k = min(m, n)
    piv = np.zeros(lu.shape[:-2] + (k,), np.int32)
    for j in range(k):
        p = np.argmax(np.abs(lu[..., j:, j]), -1) + j
        piv[..., j] = p + 1
        idx = np.broadcast_to(p[..., None, None], lu.shape[:-2] + (1, n))
        row_p = np.take_along_axis(lu, idx, -2).copy()
        row_j = lu[..., j:j + 1, :].copy()
        np.put_along_axis(lu, idx, row_j, -2)
        lu[..., j:j + 1, :] = row_p
        pivot = lu[..., j, j]
        safe = np.where(pivot == 0, 1, pivot)
        lu[..., j + 1:, j] = np.where((pivot == 0)[..., None], lu[..., j + 1:, j], lu[..., j + 1:, j] / safe[..., None])
        lu[..., j + 1:, j + 1:] -= lu[..., j + 1:, j, None] * lu[..., j, None, j + 1:]
    return lu, piv


def _permutation(piv: np.ndarray, m: int, dtype: Any) -> np.ndarray:
    """P with A = P L U, from the pivots: the row swaps applied in order to the identity's rows."""
    perm = np.broadcast_to(np.arange(m), piv.shape[:-1] + (m,)).copy()
    for j in range(piv.shape[-1]):
        q = piv[..., j:j + 1].astype(np.int64) - 1
        pj, pq = perm[..., j:j + 1].copy(), np.take_along_axis(perm, q, -1)
        np.put_along_axis(perm, q, pj, -1)
        perm[..., j:j + 1] = pq
    eye = np.eye(m, dtype=dtype)
    return np.swapaxes(eye[perm], -1, -2)


def _singular_message(a: np.ndarray) -> str:
    """torch's words for the first singular matrix of a batch: the 1-based index of the first zero on U's diagonal
    in its LU (LAPACK's info), after "(Batch element i): " for a batch."""
    d = np.diagonal(_getrf(a)[0], 0, -2, -1).reshape(-1, a.shape[-1])
    rows = np.flatnonzero((d == 0).any(-1))
    b, k = (int(rows[0]), int(np.argmax(d[rows[0]] == 0)) + 1) if rows.size else (0, 1)
    return (f"linalg.inv: {f'(Batch element {b}): ' if a.ndim > 2 else ''}The diagonal element {k} is zero, the "
            f"inversion could not be completed because the input matrix is singular.")


# ----------------------------------------------------------------------------------------------- the ops
class Inv(Op):
    """Y = A^-1;  dL/dA = -Y^T G Y^T."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        try:
            y = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(_singular_message(a)) from None
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        yt = y.mT
        return -(yt @ grad @ yt)


def prod_except(s: Any) -> Any:
    """p_i = prod_{j != i} s_j over the last dim (no division, so zeros are fine)."""
    n = s.shape[-1]
    eye = np.eye(n, dtype=s._data.dtype if _is_t(s) else s.dtype)
    filled = row(s) * (1 - eye) + eye
    return filled.prod(-1) if _is_t(filled) else np.prod(filled, -1)


class Det(Op):
    """d = det(A);  dL/dA = g d A^-T, or for a singular A the cofactor matrix det(U)det(V^T) U diag(prod_{j!=i} s_j) V^T
    of A = U diag(s) V^T, times g."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        d = np.linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, grad):
        a, d = ctx.saved_tensors
        dd = d._data if _is_t(d) else d
        g = col(col(grad))
        if np.all(dd != 0):
            return g * col(col(d)) * inv(a).mT
        if _is_t(a):
            u, s, vh = Svd.apply(a, False)
        else:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
        sign = np.linalg.det(u._data if _is_t(u) else u) * np.linalg.det(vh._data if _is_t(vh) else vh)
        return (u * row(prod_except(s))) @ vh * (g * col(col(sign)))


class Slogdet(Op):
    """(sign, log|det A|);  dL/dA = g_logabsdet A^-T (the sign has no gradient)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, a):
        sign, logabs = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        ctx.set_materialize_grads(False)
        return sign, logabs

    @staticmethod
    def backward(ctx, gsign, glog):
        (a,) = ctx.saved_tensors
        if glog is None:
            return None
        return col(col(glog)) * inv(a).mT


class Solve(Op):
    """X = A^-1 B (B a batch of matrices, broadcast);  dL/dB = A^-T G,  dL/dA = -dL/dB X^T."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b):
        try:
            x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None
        ctx.shapes = a.shape, b.shape
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        gb = solve_full(a.mT, grad)
        ga = -(gb @ x.mT) if ctx.needs_input_grad[0] else None
        return (unbroadcast(ga, ctx.shapes[0]) if ga is not None else None,
                unbroadcast(gb, ctx.shapes[1]) if ctx.needs_input_grad[1] else None)


def solve_full(a: Any, b: Any) -> Any:
    """A^-1 B for a batch of matrices B (either mode)."""
    if _is_t(a) or _is_t(b):
        a, b = (x if _is_t(x) else Tensor._make(np.asarray(x)) for x in (a, b))
        return Solve.apply(a, b)
    return np.linalg.solve(a, b)


class SolveTriangular(Op):
    """X = A^-1 B (left) or B A^-1 with A triangular;  dL/dB = A^-T G (or G A^-T), dL/dA = -dL/dB X^T (or -X^T dL/dB),
    kept to A's triangle (strictly, when unitriangular)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgSolveTriangularBackward0"

    @staticmethod
    def forward(ctx, a, b, upper, left, unit):
        try:
            x = _solve_tri_np(a, b, upper, left, unit)
        except np.linalg.LinAlgError:
            raise LinAlgError("linalg.solve_triangular: The solver failed because the input matrix is singular.") \
                from None
        ctx.args = a.shape, b.shape, upper, left, unit
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        sa, sb, upper, left, unit = ctx.args
        gb = solve_tri(a.mT, grad, not upper, left, unit)
        ga = None
        if ctx.needs_input_grad[0]:
            ga = -(gb @ x.mT) if left else -(x.mT @ gb)
            ga = triu(ga, int(unit)) if upper else tril(ga, -int(unit))
            ga = unbroadcast(ga, sa)
        return ga, unbroadcast(gb, sb) if ctx.needs_input_grad[1] else None, None, None, None


class Cholesky(Op):
    """A = L L^T (or U^T U);  dL/dA = L^-T Phi L^-1 with Phi = tril(L^T gL) halved on the diagonal and mirrored
    from its strict lower part (torch's cholesky_backward)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, a, upper):
        try:
            low = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(_not_pd(a)) from None
        ctx.upper = upper
        out = low.mT.copy() if upper else low
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        low, gl = (out.mT, grad.mT) if ctx.upper else (out, grad)
        phi = tril(low.mT @ gl)
        phi = (phi + tril(phi, -1).mT) * 0.5
        ga = solve_tri(low.mT, phi, True, True)
        return solve_tri(low, ga, False, False), None


def _not_pd(a: np.ndarray) -> str:
    """torch's message, naming the order of the first leading minor that is not positive-definite."""
    m = a.reshape((-1,) + a.shape[-2:])
    for x in m:
        for k in range(1, x.shape[-1] + 1):
            try:
                np.linalg.cholesky(x[:k, :k])
            except np.linalg.LinAlgError:
                return ("linalg.cholesky: The factorization could not be completed because the input is not "
                        f"positive-definite (the leading minor of order {k} is not positive-definite).")
    return "linalg.cholesky: The factorization could not be completed because the input is not positive-definite."


class Qr(Op):
    """A = Q R;  for m >= n, dL/dA = (gQ + Q syminvadj(triu(gR R^T - Q^T gQ))) R^-T (torch's linalg_qr_backward);
    for m < n, A = [X | Y] with X = Q U, Y = Q V: dL/dY = Q gV and X takes the square case with gQ + Y gV^T."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, a, mode):
        q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
        ctx.mode = mode
        ctx.set_materialize_grads(False)
        if mode == "r":
            ctx.save_for_backward(None, None)
            return np.empty((0,), a.dtype), r
        ctx.save_for_backward(q, r)
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.saved_tensors
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                               "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
                               "linalg.qr.")
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        if m >= n:
            return _qr_square_grad(q, r, gq, gr), None
        u, v = r[..., :, :m], r[..., :, m:]
        y = q @ v
        gu = gr[..., :, :m] if gr is not None else None
        gv = gr[..., :, m:] if gr is not None else None
        gq2 = gq
        if gv is not None:
            gq2 = y @ gv.mT if gq is None else gq + y @ gv.mT
        gx = _qr_square_grad(q, u, gq2, gu)
        gy = q @ gv if gv is not None else y * 0
        return _cat_last(gx, gy), None


def _cat_last(a: Any, b: Any) -> Any:
    """Concatenate along the last dim, in either mode."""
    if _is_t(a) or _is_t(b):
        return cat([a if _is_t(a) else Tensor._make(a), b if _is_t(b) else Tensor._make(b)], -1)
    return np.concatenate([a, b], -1)


def _qr_square_grad(q: Any, r: Any, gq: Any, gr: Any) -> Any:
    """dL/dA of A = Q R for m >= n (torch's formula)."""
    if gr is not None:
        m = gr @ r.mT - (q.mT @ gq if gq is not None else 0)
    else:
        m = -(q.mT @ gq)
    ga = q @ (triu(m) + triu(m, 1).mT)
    if gq is not None:
        ga = ga + gq
    return solve_tri(r.mT, ga, False, False)


class Svd(Op):
    """A = U diag(S) V^T;  torch's svd_backward: with E_jk = S_k^2 - S_j^2 (1 on the diagonal),
    dL/dA = U [(skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS)] V^T, plus the parts of gU, gV
    outside the spans of U, V when A is not square."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        ctx.full = full_matrices
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        m, n = u.shape[-2], vh.shape[-1]
        if ctx.full:
            u, vh = u[..., :, :k], vh[..., :k, :]
            gu = gu[..., :, :k] if gu is not None else None
            gvh = gvh[..., :k, :] if gvh is not None else None
        if gu is None and gvh is None:
            return (u * row(gs)) @ vh, None
        ga = 0
        e = sub_eq(s * s)
        if gu is not None:
            uhgu = u.mT @ gu
            ga = (uhgu - uhgu.mT) * row(s) / e
        if gvh is not None:
            vhgv = vh @ gvh.mT
            ga = ga + col(s) * (vhgv - vhgv.mT) / e
        if gs is not None:
            ga = ga + diag_embed(gs)
        if m > k and gu is not None:
            ga = u @ ga
            gus = gu / row(s)
            ga = (ga + gus - u @ (u.mT @ gus)) @ vh
        elif n > k and gvh is not None:
            ga = ga @ vh
            sgvh = gvh / col(s)
            ga = u @ (ga + sgvh - (sgvh @ vh.mT) @ vh)
        else:
            ga = u @ ga @ vh
        return ga, None


class Eigh(Op):
    """A = V diag(L) V^T (symmetric, reading the UPLO triangle);  dL/dA = V [skew(V^T gV)/2 / E + diag(gL)] V^T with
    E_ij = L_j - L_i (1 on the diagonal)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = np.linalg.eigh(a, UPLO=uplo)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v = ctx.saved_tensors
        ga = 0
        if gv is not None:
            vhgv = v.mT @ gv
            ga = (vhgv - vhgv.mT) * 0.5 / sub_eq(w)
        if gw is not None:
            ga = ga + diag_embed(gw)
        return v @ ga @ v.mT, None


class Pinv(Op):
    """The pseudo-inverse P of A (singular values at or below the tolerance dropped);  torch's pinv_backward, e.g.
    for m <= n with K = G^T P: dL/dA = -(P K)^T + K P^T - A P K P^T + P^T P (G^T - K A)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgPinvBackward0"

    @staticmethod
    def forward(ctx, a, atol, rtol, hermitian):
        if hermitian:
            w, v = np.linalg.eigh(a)
            s = np.abs(w)
        else:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
        smax = s.max(-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), s.dtype)
        tol = np.maximum(np.asarray(atol)[..., None], np.asarray(rtol)[..., None] * smax)
        inv_s = np.where(s > tol, 1 / np.where(s > tol, s, 1), 0)
        if hermitian:
            winv = np.where(s > tol, 1 / np.where(s > tol, w, 1), 0)
            p = (v * winv[..., None, :]) @ v.mT
        else:
            p = (vh.mT * inv_s[..., None, :]) @ u.mT
        p = p.astype(a.dtype)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx, grad):
        a, p = ctx.saved_tensors
        m, n = a.shape[-2], a.shape[-1]
        ph, gh = p.mT, grad.mT
        if m <= n:
            k = gh @ p
            kph = k @ ph
            ga = -(p @ k).mT + kph - (a @ p) @ kph + (ph @ p) @ (gh - k @ a)
        else:
            k = p @ gh
            phk = ph @ k
            ga = -(k @ p).mT + (gh - a @ k) @ p @ ph + phk - (phk @ p) @ a
        return ga, None, None, None


def _masked(mask: np.ndarray, y: Any) -> Any:
    """y where ``mask`` (a constant array), 0 elsewhere, without 0 * inf."""
    if _is_t(y):
        return where(Tensor._make(mask), y, 0.0)
    return np.where(mask, y, 0)


def _sign(x: Any) -> Any:
    """sign(x) in either mode."""
    return x.sign() if _is_t(x) else np.sign(x)


class PNorm(Op):
    """n = (sum |x|^p)^(1/p) over dims, p not 0, 1, 2 or inf;  torch's norm_backward: dn/dx = sgn(x) |x|^(p-1) / n^(p-1)
    (0 where n = 0, and for p < 1 also where x = 0)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        n = np.asarray(np.sum(np.abs(x) ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)).astype(x.dtype)
        ctx.args = p, dims, keepdim, x.shape
        ctx.save_for_backward(x, n)
        return n

    @staticmethod
    def backward(ctx, grad):
        x, n = ctx.saved_tensors
        p, dims, keepdim, shape = ctx.args
        if not keepdim:
            kept = tuple(1 if d in dims else k for d, k in enumerate(shape))
            grad, n = grad.reshape(kept), n.reshape(kept)
        xd = x._data if _is_t(x) else x
        nd = n._data if _is_t(n) else n
        ax = abs(x)
        if p < 1:
            scaled = _masked(np.broadcast_to(xd != 0, xd.shape), _sign(x) * ax ** (p - 1))
            return scaled * grad * n ** (1 - p), None, None, None
        scaled = _sign(x) * ax ** (p - 1)
        return scaled * _masked(nd != 0, grad / n ** (p - 1)), None, None, None


def chol_solve(b: Any, low: Any, upper: bool) -> Any:
    """(L L^T)^-1 B (or (U^T U)^-1 B) in either mode."""
    if _is_t(b) or _is_t(low):
        b, low = (x if _is_t(x) else Tensor._make(np.asarray(x)) for x in (b, low))
        return CholeskySolve.apply(b, low, upper)
    t = np.triu(low) if upper else np.tril(low)
    return np.linalg.solve(t.mT @ t if upper else t @ t.mT, b)


class CholeskySolve(Op):
    """X = (L L^T)^-1 B;  torch's cholesky_solve_backward: dL/dB = (L L^T)^-1 G,  dL/dL = -(dL/dB X^T + X dL/dB^T) L
    (or -U (...) for the upper factor)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, b, low, upper):
        x = chol_solve(b, low, upper)
        ctx.args = upper, b.shape, low.shape
        ctx.save_for_backward(low, x)
        return x

    @staticmethod
    def backward(ctx, grad):
        low, x = ctx.saved_tensors
        upper, sb, sl = ctx.args
        gb = chol_solve(grad, low, upper)
        gl = None
        if ctx.needs_input_grad[1]:
            common = gb @ x.mT
            common = common + common.mT
            gl = unbroadcast(-(low @ common) if upper else -(common @ low), sl)
        return unbroadcast(gb, sb) if ctx.needs_input_grad[0] else None, gl, None


def _expm_np(a: np.ndarray) -> np.ndarray:
    """exp(A) by scaling and squaring: a degree-18 Taylor polynomial of A / 2^s with ||A / 2^s||_1 <= 1/2, in
    float64 (the squarings amplify float32 rounding beyond torch's own float32 result)."""
    dtype, a = a.dtype, a.astype(np.float64)
    norm = np.abs(a).sum(-2).max() if a.size else 0.0
    s = max(0, int(np.ceil(np.log2(norm))) + 1) if norm > 0.5 else 0
    x = a / (2.0 ** s)
    eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
    out, term = eye.copy(), eye.copy()
    for k in range(1, 19):
        term = term @ x / k
        out = out + term
    for _ in range(s):
        out = out @ out
    return out.astype(dtype)


def matrix_exp(a: Any) -> Any:
    """exp(A) in either mode."""
    return MatrixExp.apply(a) if _is_t(a) else _expm_np(a)


class MatrixExp(Op):
    """Y = exp(A);  dL/dA = the upper-right block of exp([[A^T, G], [0, A^T]]) (torch's backward, by the
    derivative of exp along a block-triangular path)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _expm_np(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        n = a.shape[-1]
        at = a.mT
        zero = at * 0
        big = _cat2(_cat_last(at, grad), _cat_last(zero, at))
        return matrix_exp(big)[..., :n, n:]


def _cat2(top: Any, bottom: Any) -> Any:
    """Concatenate along the second-to-last dim, in either mode."""
    if _is_t(top) or _is_t(bottom):
        return cat([top if _is_t(top) else Tensor._make(top), bottom if _is_t(bottom) else Tensor._make(bottom)], -2)
    return np.concatenate([top, bottom], -2)


class Eig(Op):
    """A V = V diag(L) with real L and V (columns of norm 1);  torch's linalg_eig_backward: with M = V^T gV -
    V^T V diag(diag(V^T gV)) and E_ij = L_j - L_i, dL/dA = V^-T (M / E with gL on the diagonal) V^T."""

    arrays_in_backward = True

    def name(self) -> str:
        return "LinalgEigBackward0"

    @staticmethod
    def forward(ctx, a):
        w, v = np.linalg.eig(a)
        if np.iscomplexobj(w) or np.iscomplexobj(v):
            if np.any(w.imag != 0) or np.any(v.imag != 0):
                raise RuntimeError("linalg.eig: the matrix has complex eigenvalues or eigenvectors, and minitorch has "
                                   "no complex dtype; use linalg.eigh for symmetric matrices")
            w, v = w.real, v.real
        w, v = w.astype(a.dtype), v.astype(a.dtype)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v = ctx.saved_tensors
        e = sub_eq(w)
        if gv is not None:
            vhgv = v.mT @ gv
            m = vhgv - (v.mT @ v) * row(diag(vhgv))
            ga = m / e
            if gw is not None:
                eye = np.eye(w.shape[-1], dtype=w._data.dtype if _is_t(w) else w.dtype)
                ga = ga * (1 - eye) + diag_embed(gw)
        else:
            ga = diag_embed(gw)
        return solve_full(v.mT, ga @ v.mT)
