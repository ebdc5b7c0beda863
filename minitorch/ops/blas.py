"""Products beyond matmul: einsum (the one contraction primitive), diagonals, the BLAS-style add-products
(addmm, addmv, addr, addbmm, baddbmm), outer/inner/tensordot/kron, trace, cross, cdist and the
index/grid builders (tril_indices, cartesian_prod, block_diag)."""
from __future__ import annotations

import builtins
import string
import warnings
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.autograd.views import make_view
from minitorch.ops._args import _as_tensor, _tensor_arg
from minitorch.ops.indexing import where
from minitorch.ops.shape import cat, stack

_LETTERS = string.ascii_letters  # torch's einsum labels: a-z and A-Z


def _legacy(t: Tensor) -> str:
    """torch's legacy name of a tensor's dtype (Float, Long...)."""
    return _dtype.legacy_name(t.dtype)


def _same_dtype(tensors: Sequence[Tensor], message: str) -> None:
    """torch's products want one dtype for all their operands."""
    first = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype is not first:
            raise RuntimeError(message.format(a=_legacy(tensors[0]), b=_legacy(t)))


# ------------------------------------------------------------------------------------------------ einsum
def _einsum(eq: str, *operands: Any) -> Any:
    """numpy's einsum of arrays, or the differentiable Einsum of Tensors (constants wrapped), so one backward
    serves both modes."""
    if builtins.any(isinstance(o, Tensor) for o in operands):
        return Einsum.apply(eq, *[o if isinstance(o, Tensor) else Tensor._make(np.asarray(o)) for o in operands])
    return np.einsum(eq, *operands, optimize=len(operands) > 2)


class Einsum(Op):
    """out = einsum(eq, x_1..x_n) with explicit labels;  dL/dx_i = einsum(out, x_j (j != i) -> s_i) of the
    gradient, with a ones vector for each label only x_i has (summed in forward, broadcast back) and an
    identity matrix for each repeated label of x_i (its diagonal is where the gradient goes)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, eq, *xs):
        ctx.eq = eq
        ctx.save_for_backward(*xs)
        return np.einsum(eq, *xs, optimize=len(xs) > 2)

    @staticmethod
    def backward(ctx, grad):
        xs = ctx.saved_tensors
        ins, out = ctx.eq.split("->")
        subs = ins.split(",")
        grads: list = [None]
        for i, x in enumerate(xs):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            free = iter(c for c in _LETTERS if c not in ctx.eq)
            target, extra_subs, extra = [], [], []
            seen: set = set()
            others = out + "".join(s for j, s in enumerate(subs) if j != i)
            dt = x._data.dtype if isinstance(x, Tensor) else x.dtype
            for c, n in zip(subs[i], x.shape):
                if c in seen:  # a repeated label: a fresh one, tied to the first by an identity matrix
                    f = next(free)
                    target.append(f)
                    extra_subs.append(c + f)
                    extra.append(np.eye(n, dtype=dt))
                    continue
                seen.add(c)
                target.append(c)
                if c not in others:
                    extra_subs.append(c)
                    extra.append(np.ones(n, dtype=dt))
            operands = [grad] + [xs[j] for j in range(len(xs)) if j != i] + extra
            lhs = ",".join([out] + [s for j, s in enumerate(subs) if j != i] + extra_subs)
            grads.append(_einsum(lhs + "->" + "".join(target), *operands))
        return tuple(grads)


def _sublist_equation(args: tuple) -> tuple:
    """torch's sublist form einsum(x, [0, 1], y, [1, 2], [0, 2]) as an equation and its operands."""
    def labels(sub: Sequence) -> str:
        """A sublist as equation letters."""
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, int) and 0 <= s < 52:
                out.append(_LETTERS[s])
            else:
                raise ValueError(f"einsum(): expected subscript to be within the range [0, 52), but got {s}")
        return "".join(out)
    out = labels(args[-1]) if len(args) % 2 else None
    pairs = args[:-1] if len(args) % 2 else args
    operands, subs = list(pairs[0::2]), [labels(s) for s in pairs[1::2]]
    eq = ",".join(subs)
    return (eq if out is None else eq + "->" + out), operands


def _parse(eq: str, shapes: list) -> tuple:
    """The equation with every label explicit (ellipses spelt out, the implicit output made explicit)."""
    eq = eq.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    subs = lhs.split(",")
    if len(subs) != len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(shapes) > len(subs) else
                           "einsum(): fewer operands were provided than specified in the equation")
    for c in eq:
        if c not in _LETTERS and c not in ",.->":
            raise RuntimeError(f"einsum(): invalid subscript given at index {eq.index(c)} in the equation "
                               "string, subscripts must be in [a-zA-Z]")
    free = [c for c in reversed(_LETTERS) if c not in eq]
    n_ell = 0
    for s, shape in zip(subs, shapes):
        n_labels = len(s.replace("...", ""))
        if ("..." in s and n_labels > len(shape)) or ("..." not in s and n_labels != len(shape)):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n_labels}) does not match "
                               f"the number of dimensions ({len(shape)}) for operand {subs.index(s)}"
                               f"{' and no ellipsis was given' if '...' not in s else ''}")
        if "..." in s:
            n_ell = builtins.max(n_ell, len(shape) - n_labels)
    ell = "".join(free[:n_ell][::-1])
    full = [s.replace("...", ell[n_ell - (len(shape) - len(s.replace('...', ''))):] if n_ell else "")
            for s, shape in zip(subs, shapes)]
    if not arrow:
        counts = "".join(full)
        rhs = ell + "".join(sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ell))
    else:
        rhs = rhs.replace("...", ell)
        for c in rhs:
            if c not in "".join(full):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any "
                                   "input operand")
            if rhs.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
    return full, rhs


def einsum(*args: Any) -> Tensor:
    """Sums of products of the operands' elements along the dimensions named by an Einstein-notation equation;
    also the sublist form ``einsum(x, [0, 1], y, [1, 2], [0, 2])``."""
    if args and isinstance(args[0], str):
        eq, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
    else:
        eq, operands = _sublist_equation(args)
    for i, o in enumerate(operands):
        _tensor_arg(o, "einsum", "operands", i + 1)
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    subs, out = _parse(eq, [o.shape for o in operands])
    for o in operands[1:]:
        if o.dtype is not operands[0].dtype:
            raise RuntimeError(f"expected scalar type {_legacy(operands[0])} but found {_legacy(o)}")
    sizes: dict = {}
    for i, (s, o) in enumerate(zip(subs, operands)):
        for c, n in zip(s, o.shape):
            if sizes.get(c, 1) != n and n != 1:
                if sizes.get(c, 1) != 1:
                    raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which does not "
                                       f"broadcast with previously seen size {sizes[c]}")
            sizes[c] = builtins.max(sizes.get(c, 1), n)
    ops = []
    for k, (s, o) in enumerate(zip(subs, operands)):  # size-1 dims broadcast: drop them where others are longer
        drop = [d for d, c in enumerate(s) if o.shape[d] == 1 and sizes[c] > 1]
        if drop:
            o = o.reshape([n for d, n in enumerate(o.shape) if d not in drop])
            subs[k] = "".join(c for d, c in enumerate(s) if d not in drop)
        ops.append(o)
    return Einsum.apply(",".join(subs) + "->" + out, *ops)


# --------------------------------------------------------------------------------------------- diagonals
def _diag_axes(ndim: int, offset: int, dim1: int, dim2: int) -> tuple:
    """dim1, dim2 wrapped, with torch's error when they are the same."""
    d1, d2 = _dim(dim1, ndim), _dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def _diagonal_view(x: np.ndarray, offset: int, d1: int, d2: int) -> np.ndarray:
    """The diagonal of ``x`` as a writable view (numpy's own is read-only), on the last axis as in torch."""
    xm = np.moveaxis(x, (d1, d2), (-2, -1))
    xm = xm[..., :, offset:] if offset >= 0 else xm[..., -offset:, :]
    n = builtins.max(builtins.min(xm.shape[-2], xm.shape[-1]), 0)
    step = xm.strides[-2] + xm.strides[-1]
    return np.lib.stride_tricks.as_strided(xm, xm.shape[:-2] + (n,), xm.strides[:-2] + (step,))


def _diagonal(x: Any, offset: int, d1: int, d2: int) -> Any:
    """The diagonal of an array (a copy) or of a Tensor (the differentiable op)."""
    if isinstance(x, Tensor):
        return Diagonal.apply(x, offset, d1, d2)
    return _diagonal_view(x, offset, d1, d2).copy()


def _diag_scatter(g: Any, shape: tuple, offset: int, d1: int, d2: int) -> Any:
    """zeros(shape) with ``g`` on the diagonal, for an array or (differentiably) a Tensor."""
    if isinstance(g, Tensor):
        return DiagScatter.apply(g, shape, offset, d1, d2)
    out = np.zeros(shape, g.dtype)
    _diagonal_view(out, offset, d1, d2)[...] = g
    return out


class Diagonal(Op):
    """y = the (offset) diagonal of x over dims d1, d2, on the last axis;  dL/dx = dL/dy put back on that diagonal."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, offset, d1, d2):
        ctx.args = x.shape, offset, d1, d2
        return _diagonal_view(x, offset, d1, d2)

    @staticmethod
    def backward(ctx, grad):
        return _diag_scatter(grad, *ctx.args), None, None, None


class DiagScatter(Op):
    """y = zeros(shape) with x on its (offset) diagonal over d1, d2 (diag_embed);  dL/dx = that diagonal of dL/dy."""

    arrays_in_backward = True

    def name(self) -> str:
        return "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, x, shape, offset, d1, d2):
        ctx.args = offset, d1, d2
        return _diag_scatter(x, shape, offset, d1, d2)

    @staticmethod
    def backward(ctx, grad):
        return _diagonal(grad, *ctx.args), None, None, None, None


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor whose (offset) diagonals over dim1, dim2 are the last dim of ``input``, zeros elsewhere."""
    _tensor_arg(input, "diag_embed", "input", 1)
    nd = input.ndim + 1
    d1, d2 = _diag_axes(nd, offset, dim1, dim2)
    m = (input.shape[-1] if input.ndim else 1) + builtins.abs(offset)
    rest = iter(input.shape[:-1])
    shape = tuple(m if d in (d1, d2) else next(rest) for d in range(nd))
    return DiagScatter.apply(input if input.ndim else input.reshape(1), shape, offset, d1, d2)


# ------------------------------------------------------------------------------------------ add-products
def _bcast(a: tuple, b: tuple) -> bool:
    """Whether two shapes broadcast."""
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


def _expand_check(input: Tensor, shape: tuple) -> None:
    """``input`` must broadcast to the product's ``shape`` (torch's expand message otherwise)."""
    lead = len(shape) - input.ndim
    if lead < 0:
        raise RuntimeError(f"expand: the number of sizes provided ({len(shape)}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({input.ndim})")
    for i in range(len(shape) - 1, -1, -1):
        have = input.shape[i - lead] if i >= lead else 1
        if have not in (1, shape[i]):
            raise RuntimeError(f"The expanded size of the tensor ({shape[i]}) must match the existing size ({have}) at "
                               f"non-singleton dimension {i}.  Target sizes: {list(shape)}.  Tensor sizes: "
                               f"{list(input.shape)}")


def _combine(input: Tensor, prod: Tensor, beta: Any, alpha: Any) -> Tensor:
    """beta * input + alpha * prod, torch's way: beta = 0 ignores input entirely (NaN and inf too)."""
    if not prod.dtype.is_floating_point and prod.dtype is not _dtype.bool_:
        alpha, beta = builtins.int(alpha), builtins.int(beta)  # torch truncates the scalars for integer tensors
    out = prod if alpha == 1 else prod * alpha
    if beta == 0:  # input is ignored, NaN included; it stays in the graph (a zero gradient) as in torch
        if input.requires_grad and not out.requires_grad:
            out = out + where(Tensor._make(np.zeros((), bool)), input, 0)
        return out
    return out + (input if beta == 1 else input * beta)


def _inplace(self: Tensor, compute: Any, *others: Tensor) -> Tensor:
    """An add-product written into self, whose shape it must keep (torch does not broadcast self in place)."""
    out_shape = compute(self.detach()).shape
    if tuple(out_shape) != tuple(self.shape):
        raise RuntimeError(f"The expanded size of the tensor must match: self {list(self.shape)} cannot hold the "
                           f"result of shape {list(out_shape)}")
    return run_inplace(self, compute, None, *others)


class BlasMethods:
    """The Tensor methods of the products; minitorch/__init__.py joins them to Tensor."""

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (mat1 @ mat2)."""
        if mat1.ndim != 2:
            raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor")
        if mat2.ndim != 2:
            raise RuntimeError(f"mat2 must be a matrix, got {mat2.ndim}-D tensor")
        if mat1.shape[1] != mat2.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
                               f"{mat2.shape[0]}x{mat2.shape[1]})")
        _same_dtype([mat1, mat2], "self and mat2 must have the same dtype, but got {a} and {b}")
        _same_dtype([self, mat1], "self and mat2 must have the same dtype, but got {a} and {b}")
        _expand_check(self, (mat1.shape[0], mat2.shape[1]))
        return _combine(self, mat1.matmul(mat2), beta, alpha)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (mat @ vec)."""
        if mat.ndim != 2 or vec.ndim != 1 or mat.shape[1] != vec.shape[0] or not _bcast(self.shape, mat.shape[:1]) \
                or self.ndim > 1 or (self.ndim == 1 and self.shape[0] not in (1, mat.shape[0])):
            raise RuntimeError(f"size mismatch, got input ({'x'.join(map(str, self.shape))}), mat "
                               f"({'x'.join(map(str, mat.shape))}), vec ({'x'.join(map(str, vec.shape))})")
        _same_dtype([self, mat, vec], "expected scalar type {a} but found {b}")
        return _combine(self, mat.matmul(vec), beta, alpha)

    def addr(self, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * outer(vec1, vec2)."""
        if vec1.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1.ndim}-D")
        if vec2.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument vec2, but got {vec2.ndim}-D")
        _expand_check(self, (vec1.shape[0], vec2.shape[0]))
        if self.dtype is _dtype.bool_ and vec1.dtype is _dtype.bool_ and vec2.dtype is _dtype.bool_:
            prod = vec1.reshape(-1, 1).logical_and(vec2.reshape(1, -1))
            out = prod if alpha else prod.logical_and(prod.logical_not())
            return out.logical_or(self) if beta else out
        return _combine(self, vec1.outer(vec2), beta, alpha)

    def addbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * sum_b batch1[b] @ batch2[b]."""
        if batch1.ndim != 3 or batch2.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor" if batch1.ndim != 3 else "batch2 must be a 3D tensor")
        prod = batch1.bmm(batch2)
        _same_dtype([self, batch1], "expected scalar type {a} but found {b}")
        _expand_check(self, prod.shape[1:])
        return _combine(self, prod.sum(0), beta, alpha)

    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (batch1 @ batch2), batch by batch."""
        if batch1.ndim != 3 or batch2.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor" if batch1.ndim != 3 else "batch2 must be a 3D tensor")
        prod = batch1.bmm(batch2)
        _same_dtype([self, batch1], "expected scalar type {a} but found {b}")
        _expand_check(self, prod.shape)
        return _combine(self, prod, beta, alpha)

    def addmm_(self, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """In-place ``addmm``."""
        return _inplace(self, lambda x: x.addmm(mat1, mat2, beta=beta, alpha=alpha), mat1, mat2)

    def addmv_(self, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """In-place ``addmv``."""
        return _inplace(self, lambda x: x.addmv(mat, vec, beta=beta, alpha=alpha), mat, vec)

    def addr_(self, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """In-place ``addr``."""
        return _inplace(self, lambda x: x.addr(vec1, vec2, beta=beta, alpha=alpha), vec1, vec2)

    def addbmm_(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """In-place ``addbmm``."""
        return _inplace(self, lambda x: x.addbmm(batch1, batch2, beta=beta, alpha=alpha), batch1, batch2)

    def baddbmm_(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """In-place ``baddbmm``."""
        return _inplace(self, lambda x: x.baddbmm(batch1, batch2, beta=beta, alpha=alpha), batch1, batch2)

    def dist(self, other: Tensor, p: float = 2) -> Tensor:
        """See ``minitorch.dist``."""
        return dist(self, other, p)

    def mv(self, vec: Tensor) -> Tensor:
        """The product of a matrix and a vector."""
        if self.ndim != 2 or vec.ndim != 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self.ndim}, {vec.ndim}")
        if self.shape[1] != vec.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({self.shape[0]}), mat ({self.shape[0]}x{self.shape[1]}), "
                               f"vec ({vec.shape[0]})")
        _same_dtype([self, vec], "expected scalar type {a} but found {b}")
        return self.matmul(vec)

    def outer(self, vec2: Tensor) -> Tensor:
        """out[i, j] = self[i] * vec2[j]."""
        if self.ndim != 1 or vec2.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument self, but got {self.ndim}-D" if self.ndim != 1
                               else f"outer: Expected 1-D argument vec2, but got {vec2.ndim}-D")
        return self.reshape(-1, 1) * vec2

    def ger(self, vec2: Tensor) -> Tensor:
        """An alias of ``outer``."""
        return self.outer(vec2)

    def inner(self, other: Tensor) -> Tensor:
        """The sum of products over the last dims (a product with a 0-d operand)."""
        other = _as_tensor(other, self)
        if self.ndim == 0 or other.ndim == 0:
            return self * other
        if self.shape[-1] != other.shape[-1]:
            raise RuntimeError("inner() the last dimension must match on both input tensors but got shapes "
                               f"{list(self.shape)} and {list(other.shape)}")
        _same_dtype([self, other], "both inputs should have same dtype")
        return tensordot(self, other, ([-1], [-1]))

    def vdot(self, other: Tensor) -> Tensor:
        """The dot product (no conjugation for real tensors)."""
        return self.dot(other)

    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product: every element of self times a block of other."""
        n = builtins.max(self.ndim, other.ndim)
        a = self.reshape((1,) * (n - self.ndim) + tuple(self.shape))
        b = other.reshape((1,) * (n - other.ndim) + tuple(other.shape))
        prod = a.reshape([s for d in a.shape for s in (d, 1)]) * b.reshape([s for d in b.shape for s in (1, d)])
        return prod.reshape([x * y for x, y in zip(a.shape, b.shape)])

    def trace(self) -> Tensor:
        """The sum of the main diagonal of a matrix (integers sum as int64)."""
        if self.ndim != 2:
            raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(self.ndim))
        return self.diagonal().sum()

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """A view of the (offset) diagonal over dim1, dim2, as the last dim."""
        d1, d2 = _diag_axes(self.ndim, offset, dim1, dim2)
        return make_view(Diagonal.apply(self, offset, d1, d2), self, lambda b: b.diagonal(offset, d1, d2))

    def diag(self, diagonal: int = 0) -> Tensor:
        """The matrix with a 1-D self on its diagonal, or the diagonal of a matrix, as a copy."""
        if self.ndim == 1:
            return diag_embed(self, diagonal, 0, 1)
        if self.ndim != 2:
            raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{self.ndim}D")
        return Diagonal.apply(self, diagonal, 0, 1)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """See ``minitorch.diag_embed``."""
        return diag_embed(self, offset, dim1, dim2)

    def diagflat(self, offset: int = 0) -> Tensor:
        """The matrix with the flattened self on its (offset) diagonal."""
        return diag_embed(self.reshape(-1), offset, 0, 1)

    def cross(self, other: Tensor, dim: int | None = None) -> Tensor:
        """The cross product of 3-vectors along ``dim`` (None: the first dim of size 3, as torch.cross)."""
        if dim is None:
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
                          "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change "
                          "to agree with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
            if self.ndim != other.ndim:
                raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
            shape = np.broadcast_shapes(self.shape, other.shape) if _bcast(self.shape, other.shape) else self.shape
            dim = next((d for d, n in enumerate(shape) if n == 3), None)
            if dim is None:
                raise RuntimeError("no dimension of size 3 in input")
        return linalg_cross(self, other, dim=dim)


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``dim``, with broadcasting (torch.linalg.cross)."""
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    _same_dtype([input, other], "expected scalar type {a} but found {b}")
    d = _dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and "
                           f"{other.shape[d]}")
    if not _bcast(input.shape, other.shape):
        raise RuntimeError(f"linalg.cross: inputs dimension must broadcast: {list(input.shape)} vs "
                           f"{list(other.shape)}")
    a = [input.narrow(d, i, 1) for i in range(3)]
    b = [other.narrow(d, i, 1) for i in range(3)]
    return cat([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]], d)


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract the last ``dims`` dims of a with the first of b, or the dims listed as ``([a dims], [b dims])``."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, (int, np.integer)) else list(d) for d in dims)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    da, db = [_dim(d, a.ndim) for d in da], [_dim(d, b.ndim) for d in db]
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y] and 1 not in (a.shape[x], b.shape[y]):
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[x]} in dim {x} "
                               f"and second has size {b.shape[y]} in dim {y}")
    _same_dtype([a, b], "both inputs should have same dtype")
    la = _LETTERS[:a.ndim]
    lb = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    for x, y in zip(da, db):
        lb[y] = la[x]
    out = "".join(c for i, c in enumerate(la) if i not in da) + "".join(c for i, c in enumerate(lb) if i not in db)
    return einsum(f"{la},{''.join(lb)}->{out}", a, b)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """The p-norm distance between each row of x1 and each row of x2 (batched over leading dims)."""
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X{1 if x1.ndim < 2 else 2} got: "
                           f"{(x1 if x1.ndim < 2 else x2).ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if not x1.dtype.is_floating_point or not x2.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X{1 if not x1.dtype.is_floating_point else 2} "
                           f"got: {_legacy(x1 if not x1.dtype.is_floating_point else x2)}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if compute_mode not in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                            "donot_use_mm_for_euclid_dist"):
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    _same_dtype([x1, x2], "X1 and X2 must have the same dtype, but got {a} and {b}")
    if not _bcast(x1.shape[:-2], x2.shape[:-2]):
        raise RuntimeError("The size of tensor a must match the size of tensor b: batch dims "
                           f"{list(x1.shape[:-2])} and {list(x2.shape[:-2])}")
    return (x1.unsqueeze(-2) - x2.unsqueeze(-3)).norm(p, dim=-1)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The p-norm of input - other (broadcast)."""
    return (input - other).norm(p)


def trace(input: Tensor) -> Tensor:
    """The sum of the main diagonal of a matrix."""
    return input.trace()


def block_diag(*tensors: Tensor) -> Tensor:
    """The block-diagonal matrix of the (0-, 1- or 2-D) tensors, in the promoted dtype."""
    blocks = []
    for i, t in enumerate(tensors):
        _tensor_arg(t, "block_diag", "tensors", i + 1)
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    if not blocks:
        return Tensor._make(np.zeros((1, 0), _dtype.get_default_dtype().np))
    dt = blocks[0].dtype
    for b in blocks[1:]:
        dt = _dtype.promote_types(dt, b.dtype)
    cols = builtins.sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        b = b.to(dt)
        parts = [p for p in (b.new_zeros(b.shape[0], left), b, b.new_zeros(b.shape[0], cols - left - b.shape[1]))]
        rows.append(cat(parts, 1))
        left += b.shape[1]
    return cat(rows, 0)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of the elements of the 1-D tensors, one per row (a single tensor comes back as is)."""
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    _same_dtype(list(tensors), "meshgrid expects all tensors to have the same dtype")
    shape = tuple(t.shape[0] for t in tensors)
    grids = [t.reshape([-1 if i == k else 1 for i in range(len(tensors))]).expand(shape).reshape(-1)
             for k, t in enumerate(tensors)]
    return stack(grids, 1)


def _tri_indices(row: int, col: int, offset: int, dtype: Any, upper: bool) -> Tensor:
    """The (2, N) indices of the lower or upper triangle."""
    dt = _dtype.int64 if dtype is None else dtype
    if row < 0 or col < 0:
        raise RuntimeError(f"row must be non-negative, got{row}" if row < 0 else f"col must be non-negative, got{col}")
    r, c = (np.triu_indices if upper else np.tril_indices)(row, offset, col)
    return Tensor._make(np.stack([r, c]).astype(dt.np).reshape(2, -1))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 layout: Any = None) -> Tensor:
    """The (2, N) row/column indices of the lower triangle of a row x col matrix (below the offset diagonal)."""
    return _tri_indices(row, col, offset, dtype, False)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 layout: Any = None) -> Tensor:
    """The (2, N) row/column indices of the upper triangle of a row x col matrix (above the offset diagonal)."""
    return _tri_indices(row, col, offset, dtype, True)
