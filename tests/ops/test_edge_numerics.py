"""Values and gradients at the edges (0, tiny, inf, NaN, ties, integer corner cases) against torch, exactly.

Every case runs in minitorch and in torch on the same data inside the test. Where torch's answer is exact
(special values, selections, IEEE products and quotients) the comparison is bit for bit: the same NaN
positions, the same values, the same sign of zero.

torch's CPU kernels run the body of a tensor through vectorised code and a short tail (or a whole short
tensor) through scalar code, and the two can disagree at NaN and at signed zeros (hardtanh's gradient at
NaN is 0 in the vectorised code and 1 in the scalar code). Every tensor a model meets is almost all body, so
the tables pad their 1-D inputs with ordinary values to a whole number of vectors (``_BODY`` elements):
every special value then takes torch's vectorised path.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import TORCH_DTYPES

# numpy warns at these values inside the ops; minitorch silences that once, and pytest restores the warnings
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

NAN, INF = math.nan, math.inf
DTYPES = ["float64", "float32"]


def _np(t) -> np.ndarray:
    return np.asarray(t.detach().numpy())


def assert_same(m, t, what: str) -> None:
    """Same dtype, shape, NaN positions, values and sign of zero."""
    assert TORCH_DTYPES[m.dtype.name] == t.dtype, f"{what}: dtype {m.dtype} (minitorch) != {t.dtype} (torch)"
    a, b = _np(m), _np(t)
    assert a.shape == b.shape, f"{what}: shape {a.shape} (minitorch) != {b.shape} (torch)"
    np.testing.assert_array_equal(a, b, err_msg=what)  # NaN positions must agree too
    if a.dtype.kind == "f":
        both = ~np.isnan(a)
        np.testing.assert_array_equal(np.signbit(a[both]), np.signbit(b[both]), err_msg=f"{what}: sign of zero")


_BODY = 64  # elements: a whole number of torch's widest vectors, twice over, for every float dtype
_FILL = 0.0  # the padding: a value every op of the tables computes exactly


def _body(values: tuple, grad_out) -> tuple:
    """1-D inputs of one length padded to a multiple of ``_BODY`` (see the module docstring)."""
    arrays = [np.asarray(v, dtype=np.float64) for v in values]
    n = len(arrays[0]) if arrays and arrays[0].ndim == 1 else 0
    if not n or any(a.shape != (n,) for a in arrays) or (grad_out is not None and np.shape(grad_out) != (n,)):
        return arrays, grad_out
    pad = -n % _BODY
    arrays = [np.concatenate([a, np.full(pad, _FILL)]) for a in arrays]
    return arrays, None if grad_out is None else np.concatenate([np.asarray(grad_out, np.float64), np.ones(pad)])


def run_both(fn, *values, dtype: str = "float64", grad_out=None) -> None:
    """``fn(lib, *tensors)`` in both libraries: equal outputs, then equal gradients of every float input."""
    tm, tt = [], []
    arrays, grad_out = _body(values, grad_out)
    for v in arrays:
        a = np.asarray(v, dtype=dtype)
        tm.append(minitorch.tensor(a.copy(), requires_grad=True))
        tt.append(torch.tensor(a.copy(), requires_grad=True))
    out_m, out_t = fn(minitorch, *tm), fn(torch, *tt)
    assert_same(out_m, out_t, "forward")
    g = np.ones(out_t.shape) if grad_out is None else np.broadcast_to(np.asarray(grad_out), out_t.shape)
    gt = torch.autograd.grad(out_t, tt, torch.tensor(g, dtype=out_t.dtype), allow_unused=True)
    gm = minitorch.autograd.grad(out_m, tm, minitorch.tensor(g, dtype=out_m.dtype), allow_unused=True)
    for i, (a, b) in enumerate(zip(gm, gt)):
        assert (a is None) == (b is None), f"grad {i}: {a} (minitorch) vs {b} (torch)"
        if b is not None:
            assert_same(a, b, f"grad {i}")


def _same_result_or_error(fn) -> None:
    """fn(lib) gives the same tensor in both, or raises the same exception type and message."""
    try:
        t = fn(torch)
    except Exception as e:  # noqa: BLE001 -- any torch error is the expectation
        with pytest.raises(type(e)) as got:
            fn(minitorch)
        assert str(got.value) == str(e)
        return
    assert_same(fn(minitorch), t, "result")


def case(fn, *values, id: str):
    """A table row: ``fn(lib, *tensors)`` and the values of its tensors."""
    return pytest.param(fn, values, id=id)


SPECIAL = [NAN, -INF, -2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, 6.0, 7.0, INF]

# ------------------------------------------------------------------------------------------------ division
DIVISION = [
    case(lambda m, x, y: x / y, [1.0, 2.0, -1.0, 0.0, 3.0, 1.0, -2.0],
         [1e-200, 1e-30, 5e-324, 1e-30, -1e-160, 1e-310, 1e-40], id="tiny_denominator"),
    case(lambda m, x, y: x / y, [1.0, 0.0, -1.0, NAN, INF, 1.0], [0.0, 0.0, -0.0, 1.0, INF, NAN], id="zero_inf_nan"),
    case(lambda m, x, y: x / y, [[1.0, -3.0], [2.5, 7.0]], [0.1, 3.0], id="broadcast"),
    case(lambda m, y: 3 / y, [3.0, 0.0, -0.0, 1e-200, 7.0, INF, NAN, 1e-30], id="scalar_by_tensor"),
    case(lambda m, y: 1.0 / y, [3.0, 0.0, -0.0, 1e-200, 7.0, INF, NAN, 1e-30], id="one_by_tensor"),
    case(lambda m, y: y.reciprocal(), [3.0, 0.0, -0.0, 1e-160, 7.0, INF, NAN, 1e-30], id="reciprocal"),
    case(lambda m, x: x / 1e-30, [1.0, 0.0, -3.0, NAN], id="tensor_by_tiny_scalar"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn, values", DIVISION)
def test_division(fn, values, dtype):
    run_both(fn, *values, dtype=dtype)


def test_tiny_denominator_gradient_is_minus_inf():
    """The case of the issue, spelled out: d(x/y)/dy at y = 1e-200 overflows to -inf in torch's order."""
    y = minitorch.tensor([1e-200], dtype=minitorch.float64, requires_grad=True)
    (minitorch.tensor([1.0], dtype=minitorch.float64) / y).sum().backward()
    yt = torch.tensor([1e-200], dtype=torch.float64, requires_grad=True)
    (torch.tensor([1.0], dtype=torch.float64) / yt).sum().backward()
    assert_same(y.grad, yt.grad, "grad")
    assert y.grad.item() == -math.inf


# ------------------------------------------------------------------------------------------------ pow
BASES = [0.0, -0.0, 1.0, -1.0, 0.25, 4.0, 16.0, INF, -INF, NAN]  # sqrt and pow are exact at these
ZERO_BASE = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, -1.0, -2.0, NAN, 1.0, INF, -INF, -0.0]
EXPONENTS = [0.0, 1.0, 2.0, -1.0, -0.5, -2.0, 0.5, INF, -INF, 0.0, 0.5, 2.0, 0.0, NAN, -1.0, 2.0, -1.0]

POW = [case(lambda m, x, c=c: x ** c, BASES, id=f"tensor**{c}") for c in (0, 1, 2, 3, 0.5, -0.5, -1, -2, 2.0, 0.0)]
POW += [
    case(lambda m, x, y: x ** y, ZERO_BASE, EXPONENTS, id="tensor**tensor"),
    case(lambda m, x, y: x.pow(y), [[0.0], [2.0]], [-1.0, 0.0, 1.0], id="tensor**tensor_broadcast"),
    case(lambda m, x, y: m.pow(x, y), [0.0, -0.0, 0.0], [[-2.0], [0.0]], id="zero_base_broadcast"),
]
RPOW_EXPONENTS = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, -3.0, INF, -INF, NAN]
POW += [case(lambda m, y, c=c: c ** y, RPOW_EXPONENTS, id=f"{c}**tensor") for c in (0, 0.0, 2, 2.0, 1, -2, 0.5)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn, values", POW)
def test_pow(fn, values, dtype):
    run_both(fn, *values, dtype=dtype)


@pytest.mark.parametrize("c", [2, 3, -0.5, -1, -2])
@pytest.mark.parametrize("dtype", DTYPES)
def test_pow_special_exponents_are_bitwise_torch(c, dtype):
    """torch computes x**2, x**3, x**-2 by products and x**-0.5, x**-1 by sqrt and division (x**0.5 is its
    sqrt, whose own rounding is not numpy's). The gradients of x**2, x**3, x**-1 use those forms again."""
    x = np.random.default_rng(0).standard_normal(2048) * 3
    x = np.abs(x) if c == -0.5 else x
    if c in (2, 3, -1):
        run_both(lambda m, t: t ** c, x, dtype=dtype)
    else:
        assert_same(minitorch.tensor(x, dtype=getattr(minitorch, dtype)) ** c,
                    torch.tensor(x, dtype=getattr(torch, dtype)) ** c, "forward")


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_exponent_gradient_is_zero_even_for_a_nan_upstream_gradient(dtype):
    run_both(lambda m, x: x ** 0, [1.0, NAN, 0.0], dtype=dtype, grad_out=[NAN, INF, 1.0])
    run_both(lambda m, x, y: x ** y, [1.0, NAN, 0.0], [0.0, 0.0, 0.0], dtype=dtype, grad_out=[NAN, INF, 1.0])


# ------------------------------------------------------------------------------------------------ sign, abs
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", [
    pytest.param(lambda m, x: x.sign(), id="sign"),
    pytest.param(lambda m, x: m.sign(x), id="torch.sign"),
    pytest.param(lambda m, x: x.abs(), id="abs"),
])
def test_sign_abs(fn, dtype):
    run_both(fn, SPECIAL, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sign_gradient_is_zero_for_a_nan_upstream_gradient(dtype):
    run_both(lambda m, x: x.sign(), [1.0, -1.0, NAN], dtype=dtype, grad_out=[NAN, INF, 1.0])


# ------------------------------------------------------------------------------------------------ activations
SATURATING = [-1000.0, -INF, -0.0, 0.0, 1000.0, INF, NAN]  # exp is exact (0, 1, inf) at all of them

ACTIVATIONS = [
    case(lambda m, x: m.relu(x), SPECIAL, id="relu"),
    case(lambda m, x: x.relu(), SPECIAL, id="Tensor.relu"),
    case(lambda m, x: m.nn.functional.relu6(x), SPECIAL, id="relu6"),
    case(lambda m, x: m.nn.functional.hardtanh(x), SPECIAL, id="hardtanh"),
    case(lambda m, x: m.nn.functional.hardtanh(x, -2.0, 6.0), SPECIAL, id="hardtanh(-2,6)"),
    case(lambda m, x: m.nn.functional.hardtanh(x, 0.5, 0.5), SPECIAL, id="hardtanh(0.5,0.5)"),
    case(lambda m, x: m.nn.functional.leaky_relu(x), SPECIAL, id="leaky_relu"),
    case(lambda m, x: m.nn.functional.leaky_relu(x, 0.2), SPECIAL, id="leaky_relu(0.2)"),
    case(lambda m, x: m.nn.functional.elu(x), SATURATING, id="elu"),  # not at -1: exp(-1) is no edge
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn, values", ACTIVATIONS)
def test_activation_at_nan_inf_and_kinks(fn, values, dtype):
    run_both(fn, *values, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn, values", [
    case(lambda m, x: x.exp(), SATURATING, id="exp"),
    case(lambda m, x: x.tanh(), SATURATING, id="tanh"),
    case(lambda m, x: x.sigmoid(), SATURATING + [100.0, -100.0], id="sigmoid"),
    case(lambda m, x: m.nn.functional.softplus(x), SATURATING + [25.0, 100.0], id="softplus"),
    case(lambda m, x: m.nn.functional.softplus(x, beta=2.0, threshold=5.0), SATURATING + [3.0], id="softplus(2,5)"),
    case(lambda m, x: m.nn.functional.silu(x), SATURATING, id="silu"),
])
def test_saturating_functions_at_large_inputs(fn, values, dtype):
    run_both(fn, *values, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", [
    pytest.param(lambda m, x: x.sqrt(), id="sqrt"),
    pytest.param(lambda m, x: x.rsqrt(), id="rsqrt"),
    pytest.param(lambda m, x: x.log(), id="log"),
    pytest.param(lambda m, x: x.log1p(), id="log1p"),
])
def test_roots_and_logs_at_the_domain_edge(fn, dtype):
    run_both(fn, [0.0, -0.0, -1.0, -2.0, 1.0, 4.0, 1e-30, INF, -INF, NAN], dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rsqrt_gradient_of_a_tiny_input_with_a_tiny_upstream_gradient(dtype):
    """torch multiplies grad by y**3 (inf here), not grad * y * y * y (which stays finite)."""
    run_both(lambda m, x: x.rsqrt(), [1e-200 if dtype == "float64" else 1e-30], dtype=dtype,
             grad_out=[1e-300 if dtype == "float64" else 1e-38])


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_gradient_in_torchs_order(dtype):
    x = np.random.default_rng(1).standard_normal(3000) * 4
    y = torch.tensor(_np(minitorch.tensor(x, dtype=getattr(minitorch, dtype)).sigmoid()))  # the same forward values:
    # only the backward formula is compared
    g = torch.tensor(np.random.default_rng(2).standard_normal(3000), dtype=y.dtype)
    xm = minitorch.tensor(x, dtype=getattr(minitorch, dtype), requires_grad=True)
    (gm,) = minitorch.autograd.grad(xm.sigmoid(), [xm], minitorch.tensor(_np(g)))
    expected = torch.ops.aten.sigmoid_backward(g, y)
    np.testing.assert_array_equal(_np(gm), expected.numpy())


# ------------------------------------------------------------------------------------------------ max / min
PAIR_X = [NAN, 1.0, NAN, 1.0, 2.0, -INF, INF, 0.0, -0.0, 3.0, -1.0]
PAIR_Y = [1.0, NAN, NAN, 1.0, 1.0, -INF, 3.0, -0.0, 0.0, INF, -1.0]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", [
    pytest.param(lambda m, x, y: m.maximum(x, y), id="maximum"),
    pytest.param(lambda m, x, y: m.minimum(x, y), id="minimum"),
    pytest.param(lambda m, x, y: x.max(y), id="max(other)"),
    pytest.param(lambda m, x, y: x.min(y), id="min(other)"),
    pytest.param(lambda m, x, y: m.max(x, y), id="torch.max(a, b)"),
    pytest.param(lambda m, x, y: m.min(x, y), id="torch.min(a, b)"),
])
def test_binary_max_min_at_nan_and_ties(fn, dtype):
    run_both(fn, PAIR_X, PAIR_Y, dtype=dtype)


@pytest.mark.parametrize("fn", [
    pytest.param(lambda m, x, y: m.maximum(x, y), id="maximum"),
    pytest.param(lambda m, x, y: m.minimum(x, y), id="minimum"),
])
def test_binary_max_min_broadcast_ties(fn):
    run_both(fn, [[1.0, 2.0, NAN], [0.0, 1.0, 3.0]], [1.0, 1.0, 1.0])


# ------------------------------------------------------------------------------------------------ clamp
CLAMP_VALUES = [NAN, -INF, -1.0, -0.0, 0.0, 1.0, INF]
GRID3 = list(itertools.product(CLAMP_VALUES, repeat=3))
GRID2 = list(itertools.product(CLAMP_VALUES, repeat=2))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("lo, hi", [(0.0, 1.0), (-1.0, -1.0), (1.0, 0.0), (NAN, 1.0), (0.0, NAN), (-INF, INF),
                                    (0.0, None), (None, 0.0), (NAN, None), (None, INF)])
def test_clamp_scalar_bounds(lo, hi, dtype):
    run_both(lambda m, x: x.clamp(lo, hi), SPECIAL, dtype=dtype)
    run_both(lambda m, x: m.clamp(x, min=lo, max=hi), SPECIAL, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bound", [-1.0, 0.0, 6.0, NAN, INF])
def test_clamp_min_max_scalar(bound, dtype):
    run_both(lambda m, x: x.clamp_min(bound), SPECIAL, dtype=dtype)
    run_both(lambda m, x: x.clamp_max(bound), SPECIAL, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_clamp_tensor_bounds_every_order_nan_and_tie(dtype):
    """Every ordering (with ties, signed zeros, infinities and NaNs) of x, lo, hi: values and all three gradients."""
    x, lo, hi = ([g[i] for g in GRID3] for i in range(3))
    run_both(lambda m, a, b, c: m.clamp(a, b, c), x, lo, hi, dtype=dtype)
    run_both(lambda m, a, b, c: a.clamp(min=b, max=c), x, lo, hi, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", [
    pytest.param(lambda m, a, b: a.clamp(min=b), id="clamp(min=t)"),
    pytest.param(lambda m, a, b: a.clamp(max=b), id="clamp(max=t)"),
    pytest.param(lambda m, a, b: a.clamp_min(b), id="clamp_min(t)"),
    pytest.param(lambda m, a, b: a.clamp_max(b), id="clamp_max(t)"),
])
def test_clamp_one_tensor_bound_every_order(fn, dtype):
    x, b = ([g[i] for g in GRID2] for i in range(2))
    run_both(fn, x, b, dtype=dtype)


def test_clamp_ties_of_the_issue():
    run_both(lambda m, x, b: x.clamp_max(b), [1.0, 2.0], [1.0, 1.0])
    run_both(lambda m, x, b: x.clamp_min(b), [1.0, 0.0], [1.0, 1.0])
    run_both(lambda m, x, b: m.clamp(x, b, b), [1.0, 2.0, 0.0], [1.0, 1.0, 1.0])


def test_clamp_tensor_bounds_broadcast_and_promote():
    run_both(lambda m, x, lo, hi: m.clamp(x, lo, hi), [0.5, 2.0, -3.0], [[0.0], [1.0]], [1.0, 1.0, 1.0])
    xm, xt = minitorch.tensor([1, 5, -2]), torch.tensor([1, 5, -2])
    assert_same(minitorch.clamp(xm, minitorch.tensor([2.5]), minitorch.tensor(3)),
                torch.clamp(xt, torch.tensor([2.5]), torch.tensor(3)), "int input, float bound")
    assert_same(minitorch.clamp(xm, minitorch.tensor([0]), minitorch.tensor([3])),
                torch.clamp(xt, torch.tensor([0]), torch.tensor([3])), "int bounds")


def test_clamp_tensor_bounds_that_do_not_broadcast():
    _same_result_or_error(lambda L: L.clamp(L.zeros(3), L.zeros(2), L.ones(3)))
    _same_result_or_error(lambda L: L.clamp(L.zeros(2, 3), L.zeros(3), L.ones(4, 1, 2)))


# ------------------------------------------------------------------------------------------------ where
@pytest.mark.parametrize("dtype", DTYPES)
def test_where_does_not_leak_an_infinite_gradient_into_the_unselected_side(dtype):
    """sqrt at 0 sends an inf gradient into where; torch selects, so the other branch gets 0, not NaN."""
    run_both(lambda m, x, y: m.where(x > 0, x, y).sqrt(), [1.0, -1.0, 0.0, 4.0], [0.0, 0.0, 9.0, 0.0], dtype=dtype)
    run_both(lambda m, x: m.where(x > 0, x.log(), x), [1.0, -1.0, 0.0, -2.0], dtype=dtype)
    run_both(lambda m, x, y: m.where(x > 0, x, y), [[1.0], [-1.0]], [2.0, 3.0], dtype=dtype, grad_out=[[NAN, INF]])


# ------------------------------------------------------------------------------------------------ integers
INTEGER = [
    pytest.param(lambda L: L.tensor([2, 3, 1, 0, -1, -1, 0, -2, 5]) ** L.tensor([-1, 2, -2, -1, -3, -2, 0, -1, 0]),
                 id="pow_negative_exponents"),
    pytest.param(lambda L: L.tensor([2, 3], dtype=L.int32) ** L.tensor([[-1], [3]], dtype=L.int32), id="pow_int32"),
    pytest.param(lambda L: L.tensor([2, 3]) ** L.tensor(-1), id="pow_0d_negative_exponent"),
    pytest.param(lambda L: L.tensor([2, 3]) ** -1, id="pow_python_negative_exponent"),
    pytest.param(lambda L: L.tensor([2, 3]).pow(-2), id="pow_method_negative_exponent"),
    pytest.param(lambda L: 2 ** L.tensor([-1, 0, 2]), id="int_base_negative_exponent"),
    pytest.param(lambda L: (-1) ** L.tensor([-1, -2, 3]), id="minus_one_base"),
    pytest.param(lambda L: L.tensor([2, 3], dtype=L.uint8) ** L.tensor([1, 2], dtype=L.uint8), id="pow_uint8"),
    pytest.param(lambda L: L.zeros(0, dtype=L.int64) // L.tensor(0), id="empty_floordiv_zero"),
    pytest.param(lambda L: L.zeros(0, dtype=L.int64) % L.tensor(0), id="empty_mod_zero"),
    pytest.param(lambda L: L.zeros(0, 3, dtype=L.int64) % L.tensor([0, 1, 2]), id="empty_mod_broadcast_zero"),
    pytest.param(lambda L: L.tensor([4, 5]) // L.zeros(0, 2, dtype=L.int64), id="floordiv_by_empty_zeros"),
    pytest.param(lambda L: L.tensor([5]) // L.tensor(0), id="floordiv_zero"),
    pytest.param(lambda L: L.tensor([5]) // 0, id="floordiv_python_zero"),
    pytest.param(lambda L: 5 // L.tensor([0]), id="python_floordiv_zero"),
    pytest.param(lambda L: L.tensor([5]) % L.tensor(0), id="mod_zero"),
    pytest.param(lambda L: L.tensor([5]) % 0, id="mod_python_zero"),
    pytest.param(lambda L: 5 % L.tensor([1, 0]), id="python_mod_zero"),
    pytest.param(lambda L: L.tensor([-7, 7, -7, 7, 0, -1]) // L.tensor([2, -2, -2, 2, -3, 5]), id="floordiv_floors"),
    pytest.param(lambda L: L.tensor([-7, 7, -7, 7, 0, -1]) % L.tensor([2, -2, -2, 2, -3, 5]), id="mod_sign_of_divisor"),
    pytest.param(lambda L: L.tensor([-7, 7]).div(L.tensor([2, -2]), rounding_mode="floor"), id="div_floor"),
    pytest.param(lambda L: L.tensor([-7, 7]) / L.tensor([0, 2]), id="true_division_by_zero"),
    pytest.param(lambda L: 3 / L.tensor([0, 2, 7]), id="int_true_division_by_tensor"),
    pytest.param(lambda L: L.tensor([-3, 0, 2]).sign(), id="sign_int"),
    pytest.param(lambda L: L.tensor([True, False]).sign(), id="sign_bool"),
]


@pytest.mark.parametrize("fn", INTEGER)
def test_integer_arithmetic(fn):
    _same_result_or_error(fn)


FLOAT_MOD_X = [-4.0, 4.0, -0.0, 0.0, -5.0, 5.0, 1.0, -1.0, INF, NAN, 5.5, -5.5, 1.0, 0.0]
FLOAT_MOD_Y = [2.0, -2.0, 1.0, -1.0, INF, -INF, 0.0, INF, 2.0, 2.0, -2.0, 2.0, -0.0, 0.0]


@pytest.mark.parametrize("dtype", DTYPES)
def test_float_remainder_signs_and_specials(dtype):
    run_both(lambda m, x, y: x % y, FLOAT_MOD_X, FLOAT_MOD_Y, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scalar", [2.0, -2.0, 1.0, INF])
def test_float_remainder_by_a_python_number(scalar, dtype):
    run_both(lambda m, x: x % scalar, FLOAT_MOD_X, dtype=dtype)
    x = np.asarray(FLOAT_MOD_X, dtype=dtype)
    assert_same(scalar % minitorch.tensor(x), scalar % torch.tensor(x), "scalar % tensor")


@pytest.mark.parametrize("dtype", DTYPES)
def test_float_floor_divide_specials(dtype):
    x = np.asarray(FLOAT_MOD_X, dtype=dtype)
    y = np.asarray(FLOAT_MOD_Y, dtype=dtype)
    assert_same(minitorch.tensor(x) // minitorch.tensor(y), torch.tensor(x) // torch.tensor(y), "floor_divide")


# ------------------------------------------------------------------------------------------------ second order
@pytest.mark.parametrize("fn", [
    pytest.param(lambda m, x, y: x / y, id="div"),
    pytest.param(lambda m, x, y: 3 / y + x, id="scalar_by_tensor"),
    pytest.param(lambda m, x, y: x.abs() ** y, id="pow"),
    pytest.param(lambda m, x, y: 2.0 ** y * x ** 3, id="rpow"),
    pytest.param(lambda m, x, y: m.maximum(x, y) * x, id="maximum"),
    pytest.param(lambda m, x, y: m.clamp(x * x, y, y + 1) * y, id="clamp_tensors"),
    pytest.param(lambda m, x, y: m.where(x > 0, x * y, y * y), id="where"),
    pytest.param(lambda m, x, y: (x % y) * x, id="remainder"),
])
def test_gradients_stay_differentiable(fn):
    """create_graph: the rewritten backwards are Tensor formulas, so their own gradients match torch's."""
    rng = np.random.default_rng(3)
    xs, ys = rng.standard_normal(8), rng.uniform(0.5, 2.0, 8)
    results = []
    for lib in (minitorch, torch):
        x, y = lib.tensor(xs, requires_grad=True), lib.tensor(ys, requires_grad=True)
        gx, gy = lib.autograd.grad(fn(lib, x, y).sum(), [x, y], create_graph=True)
        results.append(lib.autograd.grad((gx * gx).sum() + gy.sum(), [x, y], allow_unused=True))
    for a, b in zip(*results):
        if b is None:
            assert a is None or not np.any(_np(a))
        else:
            np.testing.assert_allclose(_np(a), b.numpy(), rtol=1e-12, atol=1e-12)


def test_reciprocal_is_its_own_node_and_matches_torch():
    x = np.array([2.0, -0.5, 1e-300, 0.0, np.inf, np.nan])
    out = {}
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        y = t.reciprocal()
        y.backward(lib.ones(6, dtype=lib.float64))
        out[lib] = y.detach().numpy(), t.grad.numpy(), y.grad_fn.name()
    np.testing.assert_array_equal(out[minitorch][0], out[torch][0])
    np.testing.assert_array_equal(out[minitorch][1], out[torch][1])
    assert out[minitorch][2] == out[torch][2] == "ReciprocalBackward0"


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_integer_division_of_an_empty_tensor_by_zero_is_empty(mode):
    res = {lib: lib.zeros(0, dtype=lib.int64).div(lib.tensor(0), rounding_mode=mode) for lib in (minitorch, torch)}
    assert tuple(res[minitorch].shape) == tuple(res[torch].shape) == (0,)
    assert str(res[minitorch].dtype).split(".")[-1] == str(res[torch].dtype).split(".")[-1] == "int64"
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            lib.tensor([5]).div(lib.tensor(0), rounding_mode=mode)
