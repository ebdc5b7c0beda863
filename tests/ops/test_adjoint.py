"""``ops._adjoint.LinearMap``: each pair of linear ops is a map and its adjoint, <A x, g> = <x, A^T g>."""
import numpy as np
import pytest

import minitorch
from minitorch.nn.functional.conv import make_window
from minitorch.ops._adjoint import LinearMap
from minitorch.ops.conv import Col2Im, Im2Col
from minitorch.ops.indexing import Gather, Index, IndexGrad, ScatterAdd
from minitorch.ops.pooling import (
    ArgmaxGather, ArgmaxScatter, AvgPool2D, AvgPool2DBackward, MaxPool2DWithIndicesBackward, MaxPoolPick,
    adaptive_argmax, as_planes, max_windows, out_shape,
)
from minitorch.ops.upsample import Resample, ResampleAdjoint, linear_taps, nearest_taps

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 3, 5, 6))
WIN = make_window((5, 6), (2, 3), (2, 1), (1, 2), ((1, 0), (1, 1)), allow_flat=False)
BEST = max_windows(as_planes(X, WIN), WIN, True)[1].reshape(out_shape(X, WIN, 2))
DIVISOR = rng.uniform(1, 4, WIN.out_size)

# (op, an input x, the op's constant arguments)
CASES = {
    "im2col": (Im2Col, X, (WIN,)),
    "resample_linear": (Resample, X, (3, linear_taps(6, 11, None, False, np.dtype(np.float64)))),
    "resample_nearest": (Resample, X, (2, nearest_taps(5, 3, None, True))),
    "avg_pool": (AvgPool2D, X, (WIN, DIVISOR, 2)),
    "max_pool_pick": (MaxPoolPick, X, (BEST, WIN)),
    "argmax_gather": (ArgmaxGather, X, (adaptive_argmax(X, (2, 4)), 2)),
    "gather": (Gather, X, (2, rng.integers(0, 5, (2, 3, 7, 6)))),
    "index_repeated": (Index, X, ((np.array([0, 1, 1]), slice(None), np.array([4, 0, 4])),)),
    "index_mask": (Index, X, ((X[..., 0] > 0,),)),
}
PAIRS = [(Im2Col, Col2Im), (Resample, ResampleAdjoint), (AvgPool2D, AvgPool2DBackward),
         (MaxPoolPick, MaxPool2DWithIndicesBackward), (ArgmaxGather, ArgmaxScatter), (Gather, ScatterAdd),
         (Index, IndexGrad)]


@pytest.mark.parametrize("op, partner", PAIRS, ids=lambda op: op.__name__)
def test_each_op_names_the_other_as_adjoint(op, partner):
    assert issubclass(op, LinearMap) and issubclass(partner, LinearMap)
    assert op.adjoint is partner and partner.adjoint is op


@pytest.mark.parametrize("case", CASES)
def test_adjoint_is_the_transpose(case):
    op, x, args = CASES[case]
    y = op.apply(minitorch.tensor(x), *args).numpy()
    g = rng.standard_normal(y.shape)
    back = op.adjoint.apply(minitorch.tensor(g), *op.adjoint_args(x, *args)).numpy()
    assert back.shape == x.shape
    np.testing.assert_allclose((y * g).sum(), (x * back).sum(), rtol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_gradient_is_the_adjoint_and_its_gradient_the_map(case):
    op, x, args = CASES[case]
    xt = minitorch.tensor(x, requires_grad=True)
    y = op.apply(xt, *args)
    g = minitorch.tensor(rng.standard_normal(y.shape), requires_grad=True)
    (gx,) = minitorch.autograd.grad(y, xt, g, create_graph=True)
    expected = op.adjoint.apply(g.detach(), *op.adjoint_args(x, *args))
    np.testing.assert_array_equal(gx.detach().numpy(), expected.numpy())
    assert gx.grad_fn.name() == op.adjoint.__name__ + "Backward0"
    v = rng.standard_normal(x.shape)
    (gg,) = minitorch.autograd.grad(gx, g, minitorch.tensor(v))
    np.testing.assert_array_equal(gg.numpy(), op.apply(minitorch.tensor(v), *args).numpy())
