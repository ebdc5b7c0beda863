"""Element-wise ops against torch: values, dtypes and gradients (float64), hypothesis-drawn shapes and
broadcasts, and gradcheck + gradgradcheck. Inputs stay off kinks (abs, relu at 0) and domain edges (log at 0)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
import torch
from tests.parity import check, gradchecks
from tests.strategies import broadcast_shapes, distinct_arrays, float_arrays, shapes

RNG = np.random.default_rng(0)


def rand(*shape, lo=-2.0, hi=2.0):
    return RNG.uniform(lo, hi, shape)


# ------------------------------------------------------------------------------------------------ unary
# name -> (function of (lib, x) giving the function and the method form, value range (lo, hi), margin from 0)
UNARY = {
    "neg": (lambda m, x: (-x, x.neg(), m.neg(x)), (-3, 3), 0),
    "exp": (lambda m, x: (m.exp(x), x.exp()), (-3, 3), 0),
    "log": (lambda m, x: (m.log(x), x.log()), (0.2, 5), 0),
    "log1p": (lambda m, x: (m.log1p(x), x.log1p()), (-0.7, 5), 0),
    "sqrt": (lambda m, x: (m.sqrt(x), x.sqrt()), (0.2, 5), 0),
    "rsqrt": (lambda m, x: (m.rsqrt(x), x.rsqrt()), (0.2, 5), 0),
    "abs": (lambda m, x: (m.abs(x), x.abs(), abs(x)), (-3, 3), 0.1),
    "sign": (lambda m, x: (m.sign(x), x.sign()), (-3, 3), 0.1),
    "sin": (lambda m, x: (m.sin(x), x.sin()), (-4, 4), 0),
    "cos": (lambda m, x: (m.cos(x), x.cos()), (-4, 4), 0),
    "tanh": (lambda m, x: (m.tanh(x), x.tanh()), (-3, 3), 0),
    "sigmoid": (lambda m, x: (m.sigmoid(x), x.sigmoid()), (-6, 6), 0),
    "relu": (lambda m, x: (m.relu(x), x.relu()), (-3, 3), 0.1),
}


@pytest.mark.parametrize("name", list(UNARY))
@given(data=st.data())
def test_unary_hypothesis(name, data):
    fn, (lo, hi), margin = UNARY[name]
    x = data.draw(float_arrays(shapes(0, 3), lo, hi, margin))
    check(fn, x)


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_gradcheck(name):
    fn, (lo, hi), margin = UNARY[name]
    x = RNG.uniform(lo, hi, (2, 3))
    if margin:
        x = np.where(np.abs(x) < margin, margin + 0.5, x)
    gradchecks(fn, x)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "tanh", "sigmoid", "abs", "neg", "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_])
def test_unary_dtypes(name, dtype):
    fn = UNARY[name][0]
    x = np.array([[1, 2], [3, 1]]).astype(dtype)
    try:
        fn(torch, torch.tensor(x))
    except RuntimeError as e:  # torch has no kernel for this dtype: minitorch must refuse as well
        with pytest.raises(type(e)):
            fn(minitorch, minitorch.tensor(x))
        return
    check(fn, x, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("size", [7, 5000])  # small and large inputs take different numpy paths in relu
def test_relu_special_values_small_and_large(size):
    x = np.random.default_rng(1).standard_normal(size)
    x[:5] = [np.nan, -np.inf, np.inf, -0.0, 0.0]
    check(lambda m, a: m.relu(a), x.astype(np.float32))
    check(lambda m, a: m.relu(a), x)


def test_sigmoid_and_exp_extremes():
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    check(lambda m, a: m.sigmoid(a), x)
    check(lambda m, a: m.tanh(a), x)


def test_sign_at_zero_and_abs_grad_at_zero():
    check(lambda m, a: m.sign(a), np.array([-2.0, 0.0, 3.0]))
    check(lambda m, a: m.abs(a), np.array([-2.0, 0.0, 3.0]))
    check(lambda m, a: m.relu(a), np.array([-2.0, 0.0, 3.0]))


# ------------------------------------------------------------------------------------------------ binary
# name -> (function of (lib, x, y), range of x, range of y, margin of y from 0)
BINARY = {
    "add": (lambda m, x, y: x + y, (-3, 3), (-3, 3), 0),
    "sub": (lambda m, x, y: x - y, (-3, 3), (-3, 3), 0),
    "mul": (lambda m, x, y: x * y, (-3, 3), (-3, 3), 0),
    "div": (lambda m, x, y: x / y, (-3, 3), (-3, 3), 0.3),
    "pow": (lambda m, x, y: x ** y, (0.3, 3), (-2, 2), 0),
    "add_fn": (lambda m, x, y: m.add(x, y, alpha=2), (-3, 3), (-3, 3), 0),
    "sub_fn": (lambda m, x, y: m.sub(x, y, alpha=0.5), (-3, 3), (-3, 3), 0),
    "mul_fn": (lambda m, x, y: m.mul(x, y), (-3, 3), (-3, 3), 0),
    "div_fn": (lambda m, x, y: m.div(x, y), (-3, 3), (-3, 3), 0.3),
    "pow_fn": (lambda m, x, y: m.pow(x, y), (0.3, 3), (-2, 2), 0),
    "maximum": (lambda m, x, y: m.maximum(x, y), None, None, 0),
    "minimum": (lambda m, x, y: m.minimum(x, y), None, None, 0),
}


@pytest.mark.parametrize("name", list(BINARY))
@given(data=st.data())
def test_binary_broadcast_hypothesis(name, data):
    fn, rx, ry, margin = BINARY[name]
    sx, sy = data.draw(broadcast_shapes(2))
    if rx is None:  # max/min: all values distinct, so no ties (ties are checked separately)
        nx, ny = int(np.prod(sx)), int(np.prod(sy))
        flat = data.draw(distinct_arrays((nx + ny,)))
        x, y = flat[:nx].reshape(sx), flat[nx:].reshape(sy)
    else:
        x = data.draw(float_arrays(sx, *rx))
        y = data.draw(float_arrays(sy, *ry, margin))
    check(fn, x, y)


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_gradcheck(name):
    fn, rx, ry, margin = BINARY[name]
    if rx is None:
        x, y = rand(2, 3), rand(3) + 5
        y[1] = -5
    else:
        x = RNG.uniform(*rx, (2, 3))
        y = RNG.uniform(*ry, (3,))
        y = np.where(np.abs(y) < margin, margin + 0.5, y)
    gradchecks(fn, x, y)
    if name not in ("pow", "pow_fn"):  # swapped operands; pow needs a positive base
        gradchecks(fn, y, x)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "pow"])
@given(data=st.data(), scalar=st.sampled_from([2, -1, 0.5, -1.5, 3.0, 0]))
def test_tensor_scalar_and_reflected(op, data, scalar):
    x = data.draw(float_arrays(shapes(0, 3), 0.3, 3))
    forward = {"add": lambda a, s: a + s, "sub": lambda a, s: a - s, "mul": lambda a, s: a * s,
               "div": lambda a, s: a / s if s else a, "pow": lambda a, s: a ** s}[op]
    reflected = {"add": lambda a, s: s + a, "sub": lambda a, s: s - a, "mul": lambda a, s: s * a,
                 "div": lambda a, s: s / a, "pow": lambda a, s: abs(s) ** a}[op]
    check(lambda m, a: (forward(a, scalar), reflected(a, scalar)), x)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "pow"])
def test_tensor_scalar_gradcheck(op):
    x = RNG.uniform(0.5, 2, (2, 2))
    f = {"add": lambda m, a: 2.5 + a - 1, "sub": lambda m, a: 1 - a, "mul": lambda m, a: 3 * a * -2,
         "div": lambda m, a: 2 / a / 3, "pow": lambda m, a: 2.0 ** a + a ** 3 + a ** -1.5 + a ** 0}[op]
    gradchecks(f, x)


def test_binary_with_zero_dim_tensor():
    check(lambda m, x, y: x * y + y - x / y, rand(2, 3), np.array(1.7))
    check(lambda m, x, y: x ** y, rand(3, lo=0.5), np.array(2.5))
    gradchecks(lambda m, x, y: x * y / (y + 3), rand(2, 2), np.array(0.7))


def test_numpy_operands():
    a = rand(2, 3)
    x = minitorch.tensor(a, requires_grad=True)
    out = x + np.arange(3.0) - x * np.float64(2)
    np.testing.assert_allclose(out.detach().numpy(), a + np.arange(3.0) - a * 2)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), -np.ones((2, 3)))
    r = np.arange(3.0) + minitorch.ones(3)
    assert isinstance(r, minitorch.Tensor) and r.tolist() == [1.0, 2.0, 3.0]


def test_pow_special_points():
    check(lambda m, x: x ** 2, np.array([-2.0, 0.0, 1.5]))
    check(lambda m, x: x ** 0, np.array([-2.0, 0.0, 1.5]))
    check(lambda m, x, y: x ** y, np.array([0.0, 0.0, 2.0]), np.array([2.0, 0.0, 0.0]))
    check(lambda m, y: 0.0 ** y, np.array([1.0, 2.0, 0.0]))


def test_maximum_minimum_ties_share_the_gradient():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0, 3.0])
    check(lambda m, a, b: m.maximum(a, b), x, y)
    check(lambda m, a, b: m.minimum(a, b), x, y)
    check(lambda m, a, b: a.max(b), x, y)


def test_binary_shape_mismatch_error():
    a, b = minitorch.zeros(2, 3), minitorch.zeros(4)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(4\) at "
                                           r"non-singleton dimension 1.*\[2, 3\] and \[4\]"):
        a + b
    with pytest.raises(RuntimeError, match=r"\[2, 3\] and \[4\] in Mul"):
        a * b


# ------------------------------------------------------------------------------------------------ clamp
@given(data=st.data())
def test_clamp_hypothesis(data):
    x = data.draw(float_arrays(shapes(0, 3), -3, 3).filter(lambda a: np.all(np.abs(np.abs(a) - 0.5) > 0.05)))
    check(lambda m, a: m.clamp(a, -0.5, 0.5), x)
    check(lambda m, a: a.clamp(min=-0.5), x)
    check(lambda m, a: a.clamp(max=0.5), x)
    check(lambda m, a: a.clip(-0.5, 0.5), x)


def test_clamp_gradcheck_and_tensor_bounds():
    x = np.array([[-2.0, -0.3, 0.2], [0.9, 1.7, -1.1]])
    gradchecks(lambda m, a: a.clamp(-0.5, 1.0), x)
    gradchecks(lambda m, a: a.clamp(min=0.1), x)
    lo, hi = np.array([-1.0, 0.0, 0.5]), np.array([1.5, 1.0, 0.8])
    check(lambda m, a, b, c: a.clamp(min=b, max=c), x, lo, hi)
    check(lambda m, a, b: a.clamp(max=b), x, hi)


def test_clamp_int_and_errors():
    check(lambda m, a: a.clamp(1, 2), np.array([0, 1, 5]), grad=False)
    check(lambda m, a: a.clamp(0.5, 2), np.array([0, 1, 5]), grad=False)
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
            lib.zeros(2).clamp()


# ------------------------------------------------------------------------------------------------ where / masked_fill
@given(data=st.data())
def test_where_hypothesis(data):
    sc, sx, sy = data.draw(broadcast_shapes(3))
    cond = np.asarray(data.draw(float_arrays(sc)) > 0)
    x, y = data.draw(float_arrays(sx)), data.draw(float_arrays(sy))
    check(lambda m, c, a, b: m.where(c, a, b), cond, x, y)
    check(lambda m, c, a: a.where(c, 2.5), cond, x)
    check(lambda m, c, b: m.where(c, -1.0, b), cond, y)


def test_where_gradcheck_and_dtypes():
    cond = np.array([[True, False, True], [False, False, True]])
    gradchecks(lambda m, a, b: m.where(m.tensor(cond), a, b), rand(2, 3), rand(3))
    check(lambda m, c, a, b: m.where(c, a, b), cond, np.arange(3), np.arange(6.0).reshape(2, 3).astype(np.float32))
    check(lambda m, c: m.where(c, 1, 0), cond, grad=False)
    check(lambda m, c: m.where(c), cond, grad=False)


def test_where_errors():
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        minitorch.where(minitorch.ones(2), minitorch.ones(2), minitorch.zeros(2))
    with pytest.raises(RuntimeError, match=r"where: shapes of condition \[3\], input \[2\] and other \[2\]"):
        minitorch.where(minitorch.ones(3) > 0, minitorch.ones(2), minitorch.zeros(2))


@given(data=st.data())
def test_masked_fill_hypothesis(data):
    sx, sm = data.draw(broadcast_shapes(2).filter(lambda s: np.broadcast_shapes(*s) == tuple(s[0])))
    x = data.draw(float_arrays(sx))
    mask = np.asarray(data.draw(float_arrays(sm)) > 0)
    check(lambda m, a, k: a.masked_fill(k, -7.5), x, mask)
    check(lambda m, a, k: m.masked_fill(a, k, 2), x, mask)


def test_masked_fill_value_tensor_and_gradcheck():
    x, mask = rand(2, 3), np.array([True, False, True])
    check(lambda m, a, k, v: a.masked_fill(k, v), x, mask, np.array(3.0))
    gradchecks(lambda m, a: a.masked_fill(m.tensor(mask), 0.5), x)
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        minitorch.zeros(3).masked_fill(minitorch.ones(3), 1.0)
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        minitorch.zeros(3).masked_fill(minitorch.ones(3) > 0, minitorch.ones(3))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "exp"])
def test_nan_input_gradient_matches_torch(name):
    """A NaN input: torch's relu passes the gradient through (its mask is result <= 0), and so must ours."""
    check(lambda m, a: getattr(a, name)(), np.array([np.nan, 1.5, -0.5, 0.0]))
