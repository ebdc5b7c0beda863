"""Shape ops: views (view, reshape, permute, transpose, squeeze, expand), repeat, flip, cat/stack/split."""
from __future__ import annotations

import builtins
import math
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._dtype import dtype as DType
from minitorch._tensor import Tensor, _dim, _dims, _shape_arg
from minitorch.autograd.function import Op
from minitorch.autograd.views import make_view
from minitorch.ops._args import _broadcastable, _int_arg, _mismatch
from minitorch.ops._util import permute, swap_dims, unbroadcast


class View(Op):
    """y = x seen with another shape;  the gradient is reshaped back."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class Squeeze(View):
    """y = x without some size-1 dims;  the gradient is reshaped back."""


class Unsqueeze(View):
    """y = x with a new size-1 dim;  the gradient is reshaped back."""


class Permute(Op):
    """y = x with dims reordered;  the gradient is permuted by the inverse order."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.inverse = tuple(int(d) for d in np.argsort(dims))
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return permute(grad, ctx.inverse), None


class Transpose(Op):
    """y = x with dims d0 and d1 swapped;  the gradient is swapped back."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, d0, d1):
        ctx.d = d0, d1
        return np.swapaxes(x, d0, d1)

    @staticmethod
    def backward(ctx, grad):
        return swap_dims(grad, *ctx.d), None, None


class T(Op):
    """y = x^T for a matrix (a 0-D or 1-D tensor is returned as is);  the gradient is transposed back."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        return x.T

    @staticmethod
    def backward(ctx, grad):
        return swap_dims(grad, 0, 1) if grad.ndim == 2 else grad


class Flip(Op):
    """y = x reversed along dims;  the gradient is reversed back."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dims), None


class Expand(Op):
    """y = x broadcast to a larger shape (no copy);  the gradient is summed over the copies."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return unbroadcast(grad, ctx.in_shape), None


class Repeat(Op):
    """y = x tiled sizes[i] times along dim i;  dL/dx = the sum of the gradient over the tiles."""

    @staticmethod
    def forward(ctx, x, sizes):
        ctx.in_shape, ctx.sizes = x.shape, sizes
        return np.tile(x, sizes)

    @staticmethod
    def backward(ctx, grad):
        shape = (1,) * (grad.ndim - len(ctx.in_shape)) + tuple(ctx.in_shape)
        interleaved = []
        for r, s in zip(ctx.sizes, shape):
            interleaved += [r, s]
        g = grad.reshape(interleaved).sum(tuple(range(0, 2 * len(shape), 2)))
        return g.reshape(ctx.in_shape), None


class Cat(Op):
    """y = the inputs joined along dim;  each input's gradient is its slice of the output gradient."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim, ctx.sizes = dim, [x.shape[dim] for x in xs]
        return np.concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + grad.split(ctx.sizes, ctx.dim)


class Stack(Op):
    """y = the inputs stacked along a new dim;  each input's gradient is its slice of the output gradient."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        return np.stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + grad.unbind(ctx.dim)


class Split(Op):
    """The pieces of x along dim (views);  dL/dx = the piece gradients joined back together."""

    @staticmethod
    def forward(ctx, x, sizes, dim):
        ctx.dim = dim
        return tuple(np.split(x, np.cumsum(sizes[:-1]), axis=dim))

    @staticmethod
    def backward(ctx, *grads):
        return Cat.apply(ctx.dim, *grads), None, None


def _infer_shape(shape: tuple, numel: int, name: str) -> tuple:
    """Resolve one -1 in ``shape`` and check the element count, with torch's message."""
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if builtins.any(s < -1 for s in shape):
        raise RuntimeError(f"invalid shape dimension {builtins.min(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if neg:
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                               "unspecified dimension size -1 can be any value and is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = shape[: neg[0]] + (numel // known,) + shape[neg[0] + 1 :]
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _promote_all(tensors: Sequence[Tensor], name: str) -> list:
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    ts = list(tensors)
    if not ts:
        return ts
    rt = ts[0].dtype
    for t in ts[1:]:
        rt = _dtype.promote_types(rt, t.dtype)
    return [t.to(rt) for t in ts]


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dim (all other sizes must match; 1-d empty tensors are skipped)."""
    dim = _int_arg(dim, "cat", "dim", 2)
    ts = _promote_all(tensors, "cat")
    if not ts:
        raise ValueError("cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    kept = [t for t in ts if not (t.ndim == 1 and t.shape[0] == 0)]
    if not kept:  # only empty 1-d tensors: no dim to check, as in torch
        return Cat.apply(0, *ts)
    ts = kept
    d = _dim(dim, ts[0].ndim)
    ref = ts[0].shape
    for i, t in enumerate(ts):
        if t.ndim != len(ref):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {t.ndim}"
            )
        for k in range(len(ref)):
            if k != d and t.shape[k] != ref[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref[k]} but got size "
                    f"{t.shape[k]} for tensor number {i} in the list."
                )
    return Cat.apply(d, *ts)


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of the same shape along a new dim."""
    ts = _promote_all(tensors, "stack")
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at entry 0 and "
                f"{list(t.shape)} at entry {i}"
            )
    return Stack.apply(_dim(dim, ts[0].ndim + 1), *ts)


def broadcast_tensors(*tensors: Tensor) -> tuple:
    """The tensors expanded to their common broadcast shape."""
    shape = ()
    for t in tensors:
        if not _broadcastable(shape, t.shape):
            raise RuntimeError(_mismatch(shape, t.shape))
        shape = np.broadcast_shapes(shape, t.shape)
    return tuple(t.expand(shape) for t in tensors)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of ``input`` from ``diagonal`` down (the rest zeroed)."""
    return input.tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of ``input`` from ``diagonal`` up (the rest zeroed)."""
    return input.triu(diagonal)


class ShapeMethods:
    """The Tensor methods of views and shape changes; minitorch/__init__.py joins them to Tensor."""

    @property
    def T(self) -> "Tensor":
        """All dimensions reversed (the transpose of a matrix)."""
        return self.permute(*range(self._data.ndim - 1, -1, -1))

    @property
    def mT(self) -> "Tensor":
        """The transpose of the last two dimensions (a batch of matrices)."""
        return self.transpose(-2, -1)

    def view(self, *shape: Any) -> "Tensor":
        """The same memory seen with another shape (one dim may be -1)."""
        if len(shape) == 1 and isinstance(shape[0], DType):
            raise RuntimeError("view(dtype) is not supported by minitorch; use .to(dtype)")
        new = _infer_shape(_shape_arg(shape), self._data.size, "view")
        if not self._data.flags.c_contiguous and new != self._data.shape:
            try:
                self._data.view().shape = new
            except AttributeError:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least one dimension "
                    "spans across two contiguous subspaces). Use .reshape(...) instead."
                ) from None
        return make_view(View.apply(self, new), self, lambda b: b.view(new))

    def reshape(self, *shape: Any) -> "Tensor":
        """Like ``view``, copying when the memory layout does not allow a view."""
        new = _infer_shape(_shape_arg(shape), self._data.size, "reshape")
        out = View.apply(self, new)
        if np.shares_memory(out._data, self._data):
            return make_view(out, self, lambda b: b.reshape(new))
        return out

    def view_as(self, other: "Tensor") -> "Tensor":
        """A view with ``other``'s shape."""
        return self.view(other.shape)

    def reshape_as(self, other: "Tensor") -> "Tensor":
        """Reshaped to ``other``'s shape."""
        return self.reshape(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """Merge dims start_dim..end_dim into one."""
        if self._data.ndim == 0:
            _dim(start_dim, 0)  # a 0-d tensor takes dims 0 and -1 only
            _dim(end_dim, 0)
            return self.reshape(1)
        s, e = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shp = self._data.shape
        return self.reshape(shp[:s] + (math.prod(shp[s : e + 1]),) + shp[e + 1 :])

    def unflatten(self, dim: int, sizes: Sequence[int]) -> "Tensor":
        """Split dimension ``dim`` into ``sizes``."""
        d = _dim(dim, self.ndim)
        shp = self._data.shape
        sizes = tuple(sizes)
        known = int(np.prod([s for s in sizes if s != -1]))
        if (-1 not in sizes and known != shp[d]) or (-1 in sizes and (known == 0 or shp[d] % known)):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                               f"({shp[d]}) in the input tensor")
        return self.reshape(shp[:d] + sizes + shp[d + 1 :])

    def permute(self, *dims: Any) -> "Tensor":
        """Reorder the dimensions."""
        dims = _shape_arg(dims)
        if len(dims) != self._data.ndim:
            raise RuntimeError(
                f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
                f"the desired ordering of dimensions i.e. input.dim() = {self.ndim} is not equal to len(dims) = {len(dims)}"
            )
        dims = tuple(_dim(d, self.ndim) for d in dims)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"permute(): duplicate dims are not allowed (got {dims})")
        return make_view(Permute.apply(self, dims), self, lambda b: b.permute(dims))

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        """Swap two dimensions."""
        if self._data.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
            return make_view(View.apply(self, self._data.shape), self, lambda b: b.transpose(dim0, dim1))
        d0, d1 = _dim(dim0, self.ndim), _dim(dim1, self.ndim)
        return make_view(Transpose.apply(self, d0, d1), self, lambda b: b.transpose(d0, d1))

    swapaxes = transpose

    def t(self) -> "Tensor":
        """Transpose of a matrix (a 0-D or 1-D tensor is returned as is)."""
        if self._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return make_view(T.apply(self), self, lambda b: b.t())

    def squeeze(self, dim: Any = None) -> "Tensor":
        """Drop dimensions of size 1 (all of them, or those in ``dim`` that have size 1)."""
        shp = self._data.shape
        dims = _dims(dim, self.ndim) if self.ndim else ()
        new = tuple(s for i, s in enumerate(shp) if not (i in dims and s == 1))
        return make_view(Squeeze.apply(self, new), self, lambda b: b.squeeze(dim))

    def unsqueeze(self, dim: int) -> "Tensor":
        """Insert a dimension of size 1 at ``dim``."""
        d = _dim(dim, self.ndim + 1)
        shp = self._data.shape
        new = shp[:d] + (1,) + shp[d:]
        return make_view(Unsqueeze.apply(self, new), self, lambda b: b.unsqueeze(d))

    def expand(self, *sizes: Any) -> "Tensor":
        """Broadcast to a larger shape without copying (-1 keeps a dimension)."""
        sizes = _shape_arg(sizes)
        shp = self._data.shape
        if len(sizes) < len(shp):
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({len(shp)})"
            )
        lead = len(sizes) - len(shp)
        for i in range(lead):
            if sizes[i] < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({sizes[i]}) isn't allowed in a leading, non-existing "
                    f"dimension {i}"
                )
        new = tuple(
            (shp[i - lead] if s == -1 else s) if i >= lead else s for i, s in enumerate(sizes)
        )
        for i in range(len(shp)):
            if shp[i] != 1 and shp[i] != new[i + lead]:
                raise RuntimeError(
                    f"The expanded size of the tensor ({new[i + lead]}) must match the existing size ({shp[i]}) at "
                    f"non-singleton dimension {i + lead}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shp)}"
                )
        if new == shp:
            return make_view(View.apply(self, new), self, lambda b: b.expand(new))
        return make_view(Expand.apply(self, new), self, lambda b: b.expand(new))

    def expand_as(self, other: "Tensor") -> "Tensor":
        """Expanded to ``other``'s shape."""
        return self.expand(other.shape)

    def broadcast_to(self, shape: Sequence[int]) -> "Tensor":
        """Expanded to ``shape`` (a view)."""
        return self.expand(*shape)

    def repeat(self, *sizes: Any) -> "Tensor":
        """Tile the tensor ``sizes[i]`` times along each dimension."""
        sizes = _shape_arg(sizes)
        if len(sizes) < self._data.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
            )
        return Repeat.apply(self, sizes)

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple:
        """Pieces of size ``split_size`` (the last may be smaller), or of the listed sizes."""
        d = _dim(dim, self.ndim)
        n = self._data.shape[d]
        if isinstance(split_size_or_sections, (int, np.integer)):
            s = builtins.int(split_size_or_sections)
            if s <= 0 and n > 0:
                raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
            sizes = [builtins.min(s, n - i) for i in range(0, n, s)] if n else [0]
        else:
            sizes = [builtins.int(s) for s in split_size_or_sections]
            if builtins.sum(sizes) != n:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension "
                    f"{d}), but got split_sizes={sizes}"
                )
        outs = Split.apply(self, tuple(sizes), d)
        starts = np.cumsum([0] + sizes[:-1])
        return tuple(
            make_view(o, self, (lambda b, a=builtins.int(a), s=s: b.narrow(d, a, s))) for o, a, s in zip(outs, starts, sizes)
        )

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """Split into ``chunks`` pieces of size ceil(n / chunks) (fewer when n is small)."""
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
        n = self._data.shape[_dim(dim, self.ndim)]
        return self.split(builtins.max(-(-n // chunks), 1) if n else 1, dim)

    def unbind(self, dim: int = 0) -> tuple:
        """The slices along ``dim`` as a tuple of tensors with that dimension removed."""
        d = _dim(dim, self.ndim)
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return tuple(p.squeeze(d) for p in self.split(1, d))

    def unfold(self, dimension: int, size: int, step: int) -> "Tensor":
        """All windows of ``size`` along ``dimension`` with stride ``step``, as a new last dim."""
        if self._data.ndim == 0:  # a 0-d tensor unfolds as a 1-d one of size 1, into shape (size,)
            return self.reshape(1).unfold(dimension, size, step).reshape(size)
        d = _dim(dimension, self.ndim)
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        if size > self._data.shape[d]:
            raise RuntimeError(f"maximum size for tensor at dimension {d} is {self._data.shape[d]} but size is {size}")
        if size < 0:
            raise RuntimeError(f"size is {size} but must be >= 0")
        n = (self._data.shape[d] - size) // step + 1
        starts = np.arange(n) * step
        idx = starts[:, None] + np.arange(size)[None, :]
        moved = self.movedim(d, -1)[..., idx]
        return moved.movedim(-2, d)

    def movedim(self, source: Any, destination: Any) -> "Tensor":
        """Move the dim(s) ``source`` to the position(s) ``destination``, keeping the others in order."""
        src = source if isinstance(source, (tuple, list)) else (source,)
        dst = destination if isinstance(destination, (tuple, list)) else (destination,)
        if len(src) != len(dst):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the same "
                f"number of dims as destination ({list(dst)} dims)"
            )
        wsrc, wdst = [_dim(s, self.ndim) for s in src], [_dim(d, self.ndim) for d in dst]
        for what, given, dims in (("source", src, wsrc), ("destination", dst, wdst)):
            if len(set(dims)) != len(dims):
                raise RuntimeError(f"movedim: repeated dim in `{what}` ({list(given)})")
        src, dst = wsrc, wdst
        order = [-1] * self.ndim
        for s, d in zip(src, dst):
            order[d] = s
        rest = iter(i for i in range(self.ndim) if i not in src)
        return self.permute([o if o >= 0 else next(rest) for o in order])

    def flip(self, dims: Any) -> "Tensor":
        """The tensor reversed along ``dims`` (a copy, as in torch)."""
        return Flip.apply(self, _dims(dims, self.ndim))

    def tril(self, diagonal: int = 0) -> "Tensor":
        """The lower triangle of the last two dims (the rest zeroed), from ``diagonal`` down."""
        if self._data.ndim < 2:
            raise RuntimeError("tril: input tensor must have at least 2 dimensions")
        mask = np.tril(np.ones(self._data.shape[-2:], bool), diagonal)
        return self.masked_fill(Tensor._make(~mask), 0)

    def triu(self, diagonal: int = 0) -> "Tensor":
        """The upper triangle of the last two dims (the rest zeroed), from ``diagonal`` up."""
        if self._data.ndim < 2:
            raise RuntimeError("triu: input tensor must have at least 2 dimensions")
        mask = np.triu(np.ones(self._data.shape[-2:], bool), diagonal)
        return self.masked_fill(Tensor._make(~mask), 0)
