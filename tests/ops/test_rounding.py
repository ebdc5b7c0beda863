"""Rounding and sign ops against torch, driven by op_db: floor, ceil, round (and its decimals variants), trunc/fix,
frac, fmod, remainder, copysign, nan_to_num, heaviside, nextafter, ldexp, frexp, sgn, positive, signbit,
isposinf/isneginf/isreal: values, dtypes, gradients (float64, random upstream gradient), dtype rules, in-place."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests.parity import check, gradchecks

OPS = [("floor", ""), ("ceil", ""), ("round", ""), ("round", "decimals_0"), ("round", "decimals_3"),
       ("round", "decimals_neg_3"), ("trunc", ""), ("frac", ""), ("fmod", ""), ("remainder", ""), ("copysign", ""),
       ("nan_to_num", ""), ("ldexp", ""), ("frexp", ""), ("sgn", ""), ("positive", ""),
       ("signbit", ""), ("isposinf", ""), ("isneginf", ""), ("isreal", "")]


@pytest.mark.parametrize("name,variant", OPS)
def test_samples(name, variant):
    assert opinfo.check_samples(name, variant, getattr(minitorch, name), limit=8) > 0


@pytest.mark.parametrize("name,variant", OPS)
def test_reference_inputs(name, variant):
    assert opinfo.check_samples(name, variant, getattr(minitorch, name), limit=6, reference=True) > 0


@pytest.mark.parametrize("name,variant", OPS + [("nextafter", "")])
def test_dtype_rules(name, variant):
    opinfo.check_dtype_rules(name, variant, getattr(minitorch, name))


def test_heaviside_values_and_no_derivative():
    assert opinfo.check_samples("heaviside", "", minitorch.heaviside, limit=8, grad=False) > 0
    assert opinfo.check_samples("heaviside", "", minitorch.heaviside, limit=6, grad=False, reference=True) > 0
    y = minitorch.heaviside(minitorch.tensor([-1.0, 0.0, 2.0], requires_grad=True), minitorch.tensor([0.5]))
    with pytest.raises(RuntimeError, match="derivative for aten::heaviside is not implemented"):
        y.sum().backward()


def test_nextafter_values_and_gradient():
    assert opinfo.check_samples("nextafter", "", minitorch.nextafter, limit=8) > 0


def test_gradchecks():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.2, 3, (2, 3)) * np.array([1, -1, 1])
    gradchecks(lambda m, a: m.frac(a), x)
    gradchecks(lambda m, a, b: m.fmod(a, b), x, rng.uniform(0.3, 0.4, (3,)))
    gradchecks(lambda m, a: m.copysign(a, -1.0), x)
    gradchecks(lambda m, a: m.nan_to_num(a), x)
    gradchecks(lambda m, a, b: m.ldexp(a, b), x, np.array([1, 2, -1]))
    gradchecks(lambda m, a: m.frexp(a)[0], x)


def test_zero_gradients_and_names():
    x = np.array([-1.5, 0.5, 2.5])
    for fn in (lambda m, a: m.floor(a), lambda m, a: m.round(a, decimals=1)):  # (sgn's zero tensor: op_db above)
        check(fn, x)
    names = {"floor": "FloorBackward0", "trunc": "TruncBackward0", "frac": "FracBackward0", "sgn": "SgnBackward0"}
    for name, node in names.items():
        assert getattr(minitorch, name)(minitorch.tensor(x, requires_grad=True)).grad_fn.name() == node
    t = minitorch.tensor(x, requires_grad=True)
    assert t.round(decimals=2).grad_fn.name() == "RoundBackward1"
    assert minitorch.fmod(t, 2).grad_fn.name() == "FmodBackward0"
    assert minitorch.fmod(t, minitorch.tensor(2.0)).grad_fn.name() == "FmodBackward1"


@pytest.mark.parametrize("method,args", [("floor_", ()), ("ceil_", ()), ("trunc_", ()), ("fix_", ()), ("frac_", ()),
                                         ("round_", ()), ("nan_to_num_", ()), ("fmod_", (0.7,)),
                                         ("copysign_", (-1.0,))])
def test_inplace(method, args):
    x = np.array([-1.25, 0.5, 2.75, np.inf])
    check(lambda m, a: getattr(a * 1, method)(*args), x)


def test_sgn_inplace_values():
    check(lambda m, a: (a * 1).sgn_(), np.array([-2.0, 0.0, 3.0]), grad=False)


def test_inplace_dtype_rules():
    for fn in (lambda m: m.tensor([1, -2]).floor_(), lambda m: m.tensor([5, -7]).fmod_(3),
               lambda m: m.tensor([1, 2]).copysign_(-1.0), lambda m: m.tensor([1, 2]).frac_()):
        try:
            expected = fn(torch)
        except Exception as e:
            with pytest.raises(type(e)):
                fn(minitorch)
            continue
        np.testing.assert_array_equal(fn(minitorch).numpy(), expected.numpy())
        assert fn(minitorch).dtype.name == str(expected.dtype).split(".")[1]


def test_errors():
    cases = [lambda m: m.floor(m.tensor([True])), lambda m: m.frac(m.tensor([1])),
             lambda m: m.round(m.tensor([1]), decimals=2), lambda m: m.fmod(m.tensor([1]), m.tensor([0])),
             lambda m: m.fmod(m.tensor([True]), m.tensor([True])), lambda m: m.positive(m.tensor([True])),
             lambda m: m.heaviside(m.tensor([1.0]), m.tensor([1])), lambda m: m.frexp(m.tensor([1])),
             lambda m: m.fmod(2, m.tensor([1.0]))]
    for fn in cases:
        with pytest.raises(Exception) as t:
            fn(torch)
        with pytest.raises(type(t.value)) as mt:
            fn(minitorch)
        assert str(mt.value).split("\n")[0] == str(t.value).split("\n")[0]


def test_fix_is_trunc():
    assert minitorch.Tensor.fix is minitorch.Tensor.trunc
    check(lambda m, a: m.fix(a), np.array([-1.5, 1.5]))
