"""hypothesis strategies for the op tests: shapes, broadcasts and float64 values kept off kinks and domain edges."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, mutually_broadcastable_shapes


def values(lo: float = -3.0, hi: float = 3.0, margin: float = 0.0) -> st.SearchStrategy:
    """Floats in [lo, hi]; with ``margin`` > 0, none closer than ``margin`` to zero (a kink of abs, relu...)."""
    if margin <= 0:
        return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    parts = []
    if lo <= -margin:
        parts.append(st.floats(lo, -margin))
    if hi >= margin:
        parts.append(st.floats(margin, hi))
    return st.one_of(*parts)


def float_arrays(shape: tuple | st.SearchStrategy, lo: float = -3.0, hi: float = 3.0,
                 margin: float = 0.0) -> st.SearchStrategy:
    """float64 arrays of ``shape`` with elements from ``values(lo, hi, margin)``."""
    return arrays(np.float64, shape, elements=values(lo, hi, margin))


def distinct_arrays(shape: tuple | st.SearchStrategy, gap: float = 0.01, span: int = 300) -> st.SearchStrategy:
    """float64 arrays whose elements are pairwise at least ``gap`` apart (no ties for max/min/sort)."""
    return arrays(np.int64, shape, elements=st.integers(-span, span), unique=True).map(lambda a: np.asarray(a * gap))


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy:
    return array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcast_shapes(num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    """``num_shapes`` shapes that broadcast together (the input shapes only)."""
    return mutually_broadcastable_shapes(num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims,
                                         min_side=1, max_side=max_side).map(lambda r: r.input_shapes)


@st.composite
def matmul_shapes(draw: st.DrawFn) -> tuple:
    """Shapes (a, b) that torch.matmul accepts: 1-D and 2-D operands and broadcast batch dims."""
    n, k, m = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    batch_a, batch_b = draw(broadcast_shapes(2, 0, 2, 3))
    a_vec, b_vec = draw(st.booleans()), draw(st.booleans())
    a = (k,) if a_vec else tuple(batch_a) + (n, k)
    b = (k,) if b_vec else tuple(batch_b) + (k, m)
    return a, b


@st.composite
def shape_and_dim(draw: st.DrawFn, min_dims: int = 1, max_dims: int = 4) -> tuple:
    """A shape and a valid (possibly negative) dim of it."""
    shape = draw(shapes(min_dims, max_dims))
    nd = max(len(shape), 1)
    return shape, draw(st.integers(-nd, nd - 1))


@st.composite
def shape_and_dims(draw: st.DrawFn, min_dims: int = 1, max_dims: int = 4) -> tuple:
    """A shape and a tuple of distinct dims of it (possibly negative)."""
    shape = draw(shapes(min_dims, max_dims))
    nd = len(shape)
    chosen = draw(st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True))
    return shape, tuple(d - nd if draw(st.booleans()) else d for d in chosen)
