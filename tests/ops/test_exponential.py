"""Exponential and logarithmic ops against torch, driven by op_db: expm1, exp2, log2, log10, logaddexp(2), xlogy,
special.xlog1py, logit, float_power, hypot, true_divide, rsub, lerp, addcmul, addcdiv: values, dtypes, gradients
(float64, random upstream gradient), dtype rules, gradcheck, in-place forms and errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests.parity import check, gradchecks

OPS = ["expm1", "exp2", "log2", "log10", "logaddexp", "logaddexp2", "xlogy", "special.xlog1py", "logit",
       "float_power", "hypot", "true_divide", "rsub", "lerp", "addcmul", "addcdiv"]
NO_REFERENCE = {"addcmul"}  # op_db's reference_inputs for it build an int tensor with requires_grad (torch refuses)


def _fn(name):
    return getattr(minitorch.special, name[8:]) if name.startswith("special.") else getattr(minitorch, name)


@pytest.mark.parametrize("name", OPS)
def test_samples(name):
    assert opinfo.check_samples(name, "", _fn(name), limit=8) > 0


@pytest.mark.parametrize("name", [n for n in sorted(set(OPS) - NO_REFERENCE)
                                  if opinfo.find(n).reference_inputs_func is not None])
def test_reference_inputs(name):
    assert opinfo.check_samples(name, "", _fn(name), limit=6, reference=True) > 0


@pytest.mark.parametrize("name", OPS)
def test_dtype_rules(name):
    opinfo.check_dtype_rules(name, "", _fn(name))


def test_gradchecks():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0.2, 0.8, (2, 3)), rng.uniform(0.5, 2, (3,))
    for name in ("expm1", "exp2", "log2", "log10", "logit"):
        gradchecks(lambda m, a: getattr(m, name)(a), x)
    gradchecks(lambda m, a: m.logit(a, eps=0.3), x)
    for name in ("logaddexp", "logaddexp2", "xlogy", "hypot"):
        gradchecks(lambda m, a, b: getattr(m, name)(a, b), x, y)
    gradchecks(lambda m, a, b: m.special.xlog1py(a, b), x, y)
    gradchecks(lambda m, a, b, w: m.lerp(a, b, w), x, y, x * 0.9)
    gradchecks(lambda m, a, b: m.lerp(a, b, 0.7), x, y)


def test_xlogy_edges_and_scalars():
    x = np.array([0.0, 0.0, 2.0, -0.0, 1.0])
    y = np.array([0.0, np.nan, 0.0, -1.0, 3.0])
    check(lambda m, a, b: m.xlogy(a, b), x, y)
    check(lambda m, a: (m.xlogy(a, 2.5), m.xlogy(3, a), m.special.xlog1py(a, 0.5)), np.array([0.5, 2.0]))
    t = minitorch.tensor([1.0], requires_grad=True)
    assert [minitorch.xlogy(t, t).grad_fn.name(), minitorch.xlogy(2.0, t).grad_fn.name(),
            minitorch.xlogy(t, 2.0).grad_fn.name()] == ["XlogyBackward0", "XlogyBackward1", "XlogyBackward2"]


@pytest.mark.parametrize("method,args", [("expm1_", ()), ("exp2_", ()), ("log2_", ()), ("log10_", ()),
                                         ("logit_", ()), ("xlogy_", (2.0,)), ("true_divide_", (4.0,))])
def test_inplace(method, args):
    check(lambda m, a: getattr(a * 1, method)(*args), np.array([0.25, 0.5, 0.75]))
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        getattr(minitorch.tensor([1, 2]), method)(*args)


def test_float_power_inplace():
    check(lambda m, a: (a * 1).float_power_(2.5), np.array([0.5, 2.0]))
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="the base given to float_power_ has dtype Float"):
            lib.tensor([1.0], dtype=lib.float32).float_power_(2)


def test_errors():
    cases = [lambda m: m.logaddexp(m.tensor([1]), m.tensor([2])), lambda m: m.hypot(m.tensor([1.0]), 2.0),
             lambda m: m.lerp(m.tensor([1.0]), m.tensor([1.0], dtype=m.float64), 0.5),
             lambda m: m.addcdiv(m.tensor([1]), m.tensor([1]), m.tensor([2])),
             lambda m: m.addcmul(m.tensor([True]), m.tensor([True]), m.tensor([True]))]
    for fn in cases:
        with pytest.raises(Exception) as t:
            fn(torch)
        with pytest.raises(type(t.value)) as mt:
            fn(minitorch)
        assert str(mt.value).split("\n")[0] == str(t.value).split("\n")[0]
