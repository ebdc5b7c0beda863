"""Matrix products (matmul ``@``, mm, bmm, dot) and torch.linalg's functions: solvers and decompositions
(checked here, computed by the Ops of decompositions.py), norms, pinv, matrix_rank, matrix_power, lstsq."""
from __future__ import annotations

from typing import Any

import numpy as np

import builtins
import numbers

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim, _rdims
from minitorch.autograd.function import Op
from minitorch.ops import decompositions as dec
from minitorch.ops._args import _as_tensor
from minitorch.ops._util import unbroadcast
from minitorch.ops.reduction import Norm
from minitorch.ops.shape import stack


class MatMul(Op):
    """Z = X @ Y;  dZ/dX = G @ Y^T,  dZ/dY = X^T @ G, with 1-D operands promoted and batch dims summed back."""

    _NAMES = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4"}
    arrays_in_backward = True

    def name(self) -> str:
        """torch's node names: Mm for matrices, Dot and Mv for vectors, UnsafeView for batches."""
        return self._NAMES.get(self.ndims, "UnsafeViewBackward0")

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        ctx.ndims = x.ndim, y.ndim
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        if x.ndim == 2 and y.ndim == 2:
            return grad @ y.T if nx else None, x.T @ grad if ny else None
        if x.ndim == 1 and y.ndim == 1:
            return grad * y if nx else None, grad * x if ny else None
        x2 = x[None] if x.ndim == 1 else x
        y2 = y[..., None] if y.ndim == 1 else y
        g = grad
        if x.ndim == 1:
            g = g[..., None, :]
        if y.ndim == 1:
            g = g[..., None]
        gx = unbroadcast(g @ y2.mT, x2.shape).reshape(x.shape) if nx else None
        gy = unbroadcast(x2.mT @ g, y2.shape).reshape(y.shape) if ny else None
        return gx, gy


# ------------------------------------------------------------------------------- torch.linalg's functions
class _Result(tuple):
    """torch.return_types: a tuple whose items are also named attributes."""

    _fields: tuple = ()

    def __new__(cls, *items: Any) -> "_Result":
        return tuple.__new__(cls, items)

    def __getattr__(self, name: str) -> Any:
        if name in type(self)._fields:
            return self[type(self)._fields.index(name)]
        raise AttributeError(name)

    def __repr__(self) -> str:
        inner = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"{type(self).__name__}(\n{inner})"


def _result(name: str, *fields: str) -> type:
    """A named result type with torch's field names."""
    doc = f"({', '.join(fields)}), as torch.return_types.{name}."
    return type(name, (_Result,), {"_fields": fields, "__doc__": doc})


SlogdetResult = _result("linalg_slogdet", "sign", "logabsdet")
InvExResult = _result("linalg_inv_ex", "inverse", "info")
CholeskyExResult = _result("linalg_cholesky_ex", "L", "info")
QRResult = _result("linalg_qr", "Q", "R")
SVDResult = _result("linalg_svd", "U", "S", "Vh")
EighResult = _result("linalg_eigh", "eigenvalues", "eigenvectors")
LstsqResult = _result("linalg_lstsq", "solution", "residuals", "rank", "singular_values")
OldSVDResult = _result("svd", "U", "S", "V")
EigResult = _result("linalg_eig", "eigenvalues", "eigenvectors")


def _matrices(a: Any, fn: str, square: bool = True, name: str = "A") -> Tensor:
    """torch's checks of a batch of (square) floating matrices."""
    if not isinstance(a, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position 1) must be Tensor, not {type(a).__name__}")
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor {name} must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{fn}: {name} must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")
    _float_input(a, fn)
    return a


def _float_input(a: Tensor, fn: str) -> None:
    """torch's linalg functions take floating tensors only (and no float16 on CPU)."""
    if not a.dtype.is_floating_point:
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{_dtype.legacy_name(a.dtype)}")
    if a.dtype is _dtype.float16:
        raise RuntimeError(f"\"{fn}\" not implemented for 'Half'")


def inv(A: Tensor) -> Tensor:
    """The inverse of a batch of square matrices."""
    return dec.Inv.apply(_matrices(A, "linalg.inv"))


def inv_ex(A: Tensor, *, check_errors: bool = False) -> Any:
    """(inverse, info): info is 0 where the matrix was inverted, > 0 where it is singular."""
    A = _matrices(A, "linalg.inv")
    try:
        out = dec.Inv.apply(A)
        info = np.zeros(A.shape[:-2], np.int32)
    except dec.LinAlgError:
        if check_errors:
            raise
        out = Tensor._make(np.full(A.shape, np.nan, A._data.dtype))
        d = np.diagonal(dec._getrf(A._data)[0], 0, -2, -1)
        info = np.where((d == 0).any(-1), np.argmax(d == 0, -1) + 1, 0).astype(np.int32)
    return InvExResult(out, Tensor._make(info))


def det(A: Tensor) -> Tensor:
    """The determinant of a batch of square matrices."""
    return dec.Det.apply(_matrices(A, "linalg.det"))


def slogdet(A: Tensor) -> Any:
    """(sign, log |det|) of a batch of square matrices."""
    return SlogdetResult(*dec.Slogdet.apply(_matrices(A, "linalg.slogdet")))


def logdet(A: Tensor) -> Tensor:
    """log det A: NaN where the determinant is negative, -inf where it is 0."""
    sign, logabs = dec.Slogdet.apply(_matrices(A, "logdet"))
    return logabs + Tensor._make(np.where(sign._data < 0, np.nan, 0).astype(logabs._data.dtype))


def _is_vector_rhs(A: Tensor, B: Tensor) -> bool:
    """torch's rule for a right-hand side that is a (batch of) vector(s)."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (or X A = B when not ``left``), broadcasting batch dims; B may be a (batch of) vector(s)."""
    _matrices(A, "linalg.solve")
    _float_input(B, "linalg.solve")
    if A.dtype is not B.dtype:
        raise RuntimeError("linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{_dtype.legacy_name(A.dtype)} and B of type {_dtype.legacy_name(B.dtype)} instead")
    vec = _is_vector_rhs(A, B)
    b = B.unsqueeze(-1) if vec else B
    if not left:
        if vec:
            raise RuntimeError("linalg.solve: Vector broadcasting of the left hand side is not supported for "
                               "left=False. In this case linalg.solve is equivalent to B / A.squeeze(-1)")
        return solve(A.mT, B.mT).mT
    n = A.shape[-1]
    if b.shape[-2] != n:
        raise RuntimeError("linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{n} and {b.shape[-2]}x{b.shape[-1]})")
    try:
        np.broadcast_shapes(A.shape[:-2], b.shape[:-2])
    except ValueError:
        raise RuntimeError(f"The size of tensor a must broadcast with tensor b: batch shapes {list(A.shape[:-2])} "
                           f"and {list(b.shape[:-2])}") from None
    x = dec.Solve.apply(A, b)
    return x.squeeze(-1) if vec else x


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False) -> Tensor:
    """X with A X = B (or X A = B) for a triangular A (only its upper or lower triangle is read)."""
    _matrices(A, "linalg.solve_triangular")
    _matrices(B, "linalg.solve_triangular", square=False, name="B")
    B = B.to(A.dtype)  # torch solves in A's dtype
    k = B.shape[-2] if left else B.shape[-1]
    if k != A.shape[-1]:
        raise RuntimeError("linalg.solve_triangular: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({A.shape[-2]}x{A.shape[-1]} and "
                           f"{B.shape[-2]}x{B.shape[-1]})")
    return dec.SolveTriangular.apply(A, B, upper, left, unitriangular)


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """The Cholesky factor L (A = L L^T) of a batch of symmetric positive-definite matrices, or U = L^T."""
    return dec.Cholesky.apply(_matrices(A, "linalg.cholesky"), upper)


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False) -> Any:
    """(L, info): info is 0 on success, else the order of the leading minor that is not positive-definite."""
    A = _matrices(A, "linalg.cholesky_ex")
    try:
        return CholeskyExResult(dec.Cholesky.apply(A, upper), Tensor._make(np.zeros(A.shape[:-2], np.int32)))
    except dec.LinAlgError as e:
        if check_errors:
            raise
        order = int(str(e).split("order ")[1].split(" ")[0]) if "order " in str(e) else 1
        return CholeskyExResult(Tensor._make(np.full(A.shape, np.nan, A._data.dtype)),
                                Tensor._make(np.full(A.shape[:-2], order, np.int32)))


def qr(A: Tensor, mode: str = "reduced") -> Any:
    """A = Q R with orthonormal Q and upper-triangular R ('reduced', 'complete', or 'r': R only, Q empty)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', "
                           "or 'complete'")
    return QRResult(*dec.Qr.apply(_matrices(A, "linalg.qr", square=False), mode))


def svd(A: Tensor, full_matrices: bool = True, *, driver: Any = None) -> Any:
    """A = U diag(S) Vh, singular values descending."""
    return SVDResult(*dec.Svd.apply(_matrices(A, "linalg.svd", square=False), full_matrices))


def svdvals(A: Tensor, *, driver: Any = None) -> Tensor:
    """The singular values of a batch of matrices, descending."""
    return dec.Svd.apply(_matrices(A, "linalg.svdvals", square=False), False)[1]


def _uplo(UPLO: str, fn: str) -> str:
    """The UPLO argument checked and upper-cased."""
    if UPLO not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO.upper()


def eigh(A: Tensor, UPLO: str = "L") -> Any:
    """Eigenvalues (ascending) and orthonormal eigenvectors of a batch of symmetric matrices."""
    return EighResult(*dec.Eigh.apply(_matrices(A, "linalg.eigh"), _uplo(UPLO, "linalg.eigh")))


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues (ascending) of a batch of symmetric matrices."""
    return dec.Eigh.apply(_matrices(A, "linalg.eigvalsh"), _uplo(UPLO, "linalg.eigvalsh"))[0]


def _tolerances(A: Tensor, atol: Any, rtol: Any) -> tuple:
    """torch's pinv/matrix_rank defaults: rtol = eps * max(m, n) unless atol is given (then rtol = 0)."""
    val = lambda t: t._data if isinstance(t, Tensor) else t  # noqa: E731
    if rtol is None:
        rtol = 0.0 if atol is not None and np.any(np.asarray(val(atol)) > 0) else \
            float(np.finfo(A._data.dtype).eps) * builtins.max(A.shape[-2], A.shape[-1])
    return (0.0 if atol is None else val(atol)), val(rtol)


def pinv(A: Tensor, *args: Any, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The Moore-Penrose pseudo-inverse: singular values at or below max(atol, rtol * largest) count as zero
    (``pinv(A, rcond, hermitian)`` is the older spelling with rcond as rtol)."""
    if args:
        rtol = args[0]
        hermitian = args[1] if len(args) > 1 else hermitian
    if isinstance(A, Tensor) and (not A.dtype.is_floating_point or A.ndim < 2):
        raise RuntimeError(f"linalg.pinv({_dtype.legacy_name(A.dtype)}{{{list(A.shape)}}}): expected a tensor with 2 or "
                           f"more dimensions of float, double, cfloat or cdouble types")
    A = _matrices(A, "linalg.pinv", square=hermitian)
    a_tol, r_tol = _tolerances(A, atol, rtol)
    return dec.Pinv.apply(A, a_tol, r_tol, hermitian)


def matrix_rank(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The number of singular values above max(atol, rtol * largest), as int64."""
    A = _matrices(A, "torch.linalg.matrix_rank", square=hermitian, name="input")
    a_tol, r_tol = _tolerances(A, atol, rtol)
    a = A._data
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
    smax = s.max(-1) if s.shape[-1] else np.zeros(s.shape[:-1], s.dtype)
    tol = np.maximum(np.asarray(a_tol), np.asarray(r_tol) * smax)
    return Tensor._make(np.asarray((s > tol[..., None]).sum(-1), np.int64))


def matrix_power(A: Tensor, n: int) -> Tensor:
    """A^n by repeated squaring (n < 0: of the inverse; n = 0: the identity)."""
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
    if n < 0:
        _matrices(A, "linalg.matrix_power")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError("linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{A.shape[-2] if A.ndim > 1 else 1} by {A.shape[-1] if A.ndim else 1} matrices")
    if n == 0:
        eye = np.broadcast_to(np.eye(A.shape[-1], dtype=A._data.dtype), A.shape)
        return A * 0 + Tensor._make(eye.copy()) if A.requires_grad else Tensor._make(eye.copy())
    base = inv(A) if n < 0 else A
    n = builtins.abs(n)
    out = None
    while n:
        if n & 1:
            out = base if out is None else out @ base
        n >>= 1
        if n:
            base = base @ base
    return out


def _c_name(dt: Any) -> str:
    """A dtype as C++ names it (float, double, long...)."""
    return _dtype.legacy_name(dt).lower()


def multi_dot(tensors: Any) -> Tensor:
    """The product of a chain of matrices; the first may be a row vector, the last a column vector."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    last = len(tensors) - 1
    for i, t in enumerate(tensors):
        if i in (0, last) and t.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {'first' if i == 0 else 'last'} tensor must be 1D or 2D but got "
                               f"{t.ndim}D")
        if 0 < i < last and t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{_c_name(tensors[0].dtype)} and tensor {i} {_c_name(t.dtype)}")
    for i in range(last):
        a, b = tensors[i], tensors[i + 1]
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {list(a.shape)} and "
                               f"{list(b.shape)} cannot be multiplied")
    out = tensors[0]
    for t in tensors[1:]:
        out = out @ t
    return out


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of a chain of matrices (deprecated in torch for linalg.multi_dot)."""
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    return matrices[0].clone() if len(matrices) == 1 else multi_dot(matrices)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """The dot product of the vectors along ``dim`` (broadcasting the rest)."""
    if x.dtype is not y.dtype:
        raise RuntimeError("linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{_dtype.legacy_name(x.dtype)} and y of type {_dtype.legacy_name(y.dtype)} instead")
    return (x * y).sum(dim)


def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """The Vandermonde matrix of x: columns x^0, x^1, ..., x^(N-1) (increasing powers, as torch)."""
    if x.ndim == 0:
        x = x.reshape(1)
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    cols, p = [x * 0 + 1], x
    for _ in range(1, n):
        cols.append(p)
        p = p * x
    return stack(cols, -1).narrow(-1, 0, n)


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> Any:
    """The least-squares solution of A X = B (through the pseudo-inverse), with torch's result fields for the
    driver: residuals (not for gelsy, only for m > n at full rank), rank (not for gels), singular values
    (gelsd, gelss)."""
    _matrices(A, "torch.linalg.lstsq", square=False)
    driver = driver or "gelsy"
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    vec = B.ndim == A.ndim - 1
    b = B.unsqueeze(-1) if vec else B
    if b.shape[-2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2], A.shape[-1]
    eps = float(np.finfo(A._data.dtype).eps) * builtins.max(m, n)
    x = dec.Pinv.apply(A, 0.0, eps if rcond is None else rcond, False) @ b
    s = np.linalg.svd(A._data, compute_uv=False)
    smax = s.max(-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), s.dtype)
    rank = (s > (eps if rcond is None else rcond) * smax).sum(-1)
    empty = Tensor._make(np.zeros((0,), A._data.dtype))
    res = x.reshape(-1).narrow(0, 0, 0)  # empty, but in the graph as torch's
    if driver != "gelsy" and m > n and np.all(rank == n):
        res = ((A @ x - b) ** 2).sum(-2)
    rank_t = Tensor._make(np.asarray(rank, np.int64)) if driver != "gels" else Tensor._make(np.zeros(0, np.int64))
    sv = Tensor._make(s) if driver in ("gelsd", "gelss") else empty
    return LstsqResult(x.squeeze(-1) if vec else x, res.squeeze(-1) if vec and res.ndim > 1 else res, rank_t, sv)


def matrix_exp(A: Tensor) -> Tensor:
    """The matrix exponential sum_k A^k / k! of a batch of square matrices."""
    if not isinstance(A, Tensor):
        raise TypeError(f"matrix_exp(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError("linalg.matrix_exp: The input tensor A must have at least 2 dimensions." if A.ndim < 2 else
                           f"linalg.matrix_exp: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")
    _float_input(A, "linalg.matrix_exp")
    return dec.MatrixExp.apply(A)


def eig(A: Tensor) -> Any:
    """Eigenvalues and eigenvectors of a batch of square matrices whose eigen-decomposition is real (minitorch has
    no complex dtype: a matrix with complex eigenvalues is an error, and the results are real tensors)."""
    return EigResult(*dec.Eig.apply(_matrices(A, "linalg.eig")))


def eigvals(A: Tensor) -> Tensor:
    """The eigenvalues of a batch of square matrices with real eigenvalues (see ``eig``)."""
    return dec.Eig.apply(_matrices(A, "linalg.eigvals"))[0]


# ----------------------------------------------------------------------------------------------- norms
def _norm_input(x: Tensor, fn: str, dtype: Any) -> Tensor:
    """A norm's input checked and cast to ``dtype``."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    _float_input(x, fn)
    return x if dtype is None else x.to(dtype)


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over ``dim`` (all dims when None); ord inf / -inf: the max / min |x|; ord 0: the
    number of non-zeros."""
    x = _norm_input(x, "linalg.vector_norm", dtype)
    if isinstance(ord, (str, bool)) or not isinstance(ord, numbers.Real):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(ord).__name__}")
    dims = _rdims(dim, x.ndim)
    if ord == 2:
        return Norm.apply(x, dims, keepdim)
    if ord in (float("inf"), float("-inf")):
        if builtins.any(x.shape[d] == 0 for d in dims):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                               "operation does not have an identity")
        return x.abs().amax(dims, keepdim=keepdim) if ord > 0 else x.abs().amin(dims, keepdim=keepdim)
    if ord == 0:
        return x.abs().sign().sum(dims, keepdim=keepdim)
    if ord == 1:
        return x.abs().sum(dims, keepdim=keepdim)
    if ord < 0 and builtins.any(x.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                           "operation does not have an identity")
    return dec.PNorm.apply(x, float(ord), dims, keepdim)


def _matrix_dims(A: Tensor, dim: Any, fn: str) -> tuple:
    """The two distinct dims of a matrix norm, wrapped."""
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"{fn}: dim must be a 2-tuple. Got {dim}")
    d0, d1 = _dim(dim[0], A.ndim), _dim(dim[1], A.ndim)
    if d0 == d1:
        raise RuntimeError(f"{fn}: dims must be different. Got ({dim[0]}, {dim[1]})")
    return d0, d1


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """The matrix norm over ``dim``: 'fro', 'nuc' (sum of singular values), 2 / -2 (largest / smallest singular
    value), 1 / -1 (max / min column abs-sum), inf / -inf (max / min row abs-sum)."""
    A = _norm_input(A, "linalg.matrix_norm", dtype)
    d0, d1 = _matrix_dims(A, dim, "linalg.matrix_norm")
    if ord == "fro":
        return Norm.apply(A, tuple(sorted((d0, d1))), keepdim)
    if ord in ("nuc", 2, -2):
        s = dec.Svd.apply(A.movedim((d0, d1), (-2, -1)), False)[1]
        out = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        if keepdim:
            for d in sorted((d0, d1)):
                out = out.unsqueeze(d)
        return out
    if ord in (1, -1, float("inf"), float("-inf")):
        rows, cols = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = A.abs().sum(rows, keepdim=True)
        out = sums.amax(cols, keepdim=True) if ord > 0 else sums.amin(cols, keepdim=True)
        return out if keepdim else out.squeeze(builtins.max(d0, d1)).squeeze(builtins.min(d0, d1))
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """A vector norm (1-D input or one dim) or a matrix norm (2-D input or two dims); with neither ord nor dim,
    the 2-norm of the flattened input."""
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg.norm(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if dim is not None:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        if len(dims) == 1:
            if isinstance(ord, str):
                raise RuntimeError("linalg.norm: If dim is specified, it must be of length 2 when ord is a "
                                   f"string. Got {ord}")
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}")
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if isinstance(ord, str) or A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
    if A.ndim == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                       f"Got {A.ndim}D.")


class LinalgMethods:
    """The Tensor methods of matrix products; minitorch/__init__.py joins them to Tensor."""

    def __matmul__(self, other: Any) -> "Tensor":
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        return _as_tensor(other, self).matmul(self)

    def matmul(self, other: "Tensor") -> "Tensor":
        """Matrix product with torch's rules for 1-D operands and batch broadcasting."""
        other = _as_tensor(other, self)
        a, b = self._data, other._data
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
            )
        k1 = a.shape[-1]
        k2 = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if k1 != k2:
            s1 = "x".join(map(str, a.shape if a.ndim > 1 else (1,) + a.shape))
            s2 = "x".join(map(str, b.shape if b.ndim > 1 else b.shape + (1,)))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1} and {s2})")
        if a.dtype != b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {self.dtype} != {other.dtype}")
        if a.ndim > 2 or b.ndim > 2:
            try:
                np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            except ValueError:
                raise RuntimeError(
                    f"The batch dimensions of {list(a.shape)} and {list(b.shape)} cannot be broadcast in matmul"
                ) from None
        return MatMul.apply(self, other)

    def mm(self, mat2: "Tensor") -> "Tensor":
        """The matrix product of two 2-D tensors."""
        if self.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if _as_tensor(mat2, self).ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self.matmul(mat2)

    def bmm(self, mat2: "Tensor") -> "Tensor":
        """Batched matrix product of two 3-D tensors with the same batch size."""
        mat2 = _as_tensor(mat2, self)
        if self.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if mat2.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        b, _, k = self._data.shape
        if mat2._data.shape[:2] != (b, k):
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: "
                f"{list(mat2._data.shape[:2])}."
            )
        return self.matmul(mat2)

    def dot(self, other: "Tensor") -> "Tensor":
        """The inner product sum(self * other) of two 1-D tensors."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
        if self.dtype is not other.dtype:
            raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                               f"{_dtype.legacy_name(self.dtype)} and {_dtype.legacy_name(other.dtype)}")
        n, m = self._data.size, other._data.size
        if n != m:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
                               f"number of elements, but got {n} and {m} elements respectively")
        return self.matmul(other)

    @property
    def mH(self) -> "Tensor":
        """The conjugate transpose of the last two dims: for real tensors, ``mT``."""
        return self.mT

    def adjoint(self) -> "Tensor":
        """The conjugate transpose of the last two dims (a view), as ``mH``."""
        return self.mT

    def det(self) -> "Tensor":
        """See ``minitorch.linalg.det``."""
        return det(self)

    def logdet(self) -> "Tensor":
        """log det self (NaN for a negative determinant)."""
        return logdet(self)

    def slogdet(self) -> Any:
        """See ``minitorch.linalg.slogdet``."""
        return slogdet(self)

    def inverse(self) -> "Tensor":
        """See ``minitorch.linalg.inv``."""
        return inv(self)

    def pinverse(self, rcond: float = 1e-15) -> "Tensor":
        """The pseudo-inverse with singular values below rcond * the largest dropped."""
        return pinv(self, rtol=rcond)

    def cholesky(self, upper: bool = False) -> "Tensor":
        """The Cholesky factor (torch.cholesky, the older form of linalg.cholesky)."""
        return cholesky(self, upper=upper)

    def cholesky_solve(self, input2: "Tensor", upper: bool = False) -> "Tensor":
        """X with A X = self, where A = L L^T (or U^T U) for the factor ``input2``."""
        for t, name in ((self, "b"), (input2, "u")):
            _matrices(t, "cholesky_solve", square=t is input2, name=name)
        if self.dtype is not input2.dtype:
            raise RuntimeError("Expected b and A to have the same dtype, but found b of type "
                               f"{_dtype.legacy_name(self.dtype)} and A of type "
                               f"{_dtype.legacy_name(input2.dtype)} instead.")
        if self.shape[-2] != input2.shape[-1]:
            raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {input2.shape[-1]} by "
                               f"{input2.shape[-1]} but each b matrix is {self.shape[-2]} by {self.shape[-1]}")
        return dec.CholeskySolve.apply(self, input2, upper)

    def cholesky_inverse(self, upper: bool = False) -> "Tensor":
        """A^-1 for A = L L^T (or U^T U) given the factor self."""
        _matrices(self, "cholesky_inverse")
        eye = Tensor._make(np.broadcast_to(np.eye(self.shape[-1], dtype=self._data.dtype), self.shape).copy())
        return eye.cholesky_solve(self, upper)

    def svd(self, some: bool = True, compute_uv: bool = True) -> Any:
        """(U, S, V) with self = U diag(S) V^T (torch.svd, the older form of linalg.svd)."""
        u, s, vh = svd(self, full_matrices=not some)
        if not compute_uv:
            return OldSVDResult(u.new_zeros(u.shape), s, vh.new_zeros(vh.shape))
        return OldSVDResult(u, s, vh.mT)

    def qr(self, some: bool = True) -> Any:
        """(Q, R) (torch.qr, the older form of linalg.qr)."""
        return qr(self, "reduced" if some else "complete")

    def matrix_exp(self) -> "Tensor":
        """See ``minitorch.linalg.matrix_exp``."""
        return matrix_exp(self)

    def matrix_power(self, n: int) -> "Tensor":
        """See ``minitorch.linalg.matrix_power``."""
        return matrix_power(self, n)
