"""Trigonometric and hyperbolic ops against torch, driven by op_db: values, dtypes and gradients (float64, random
upstream gradient) on sample_inputs and reference_inputs, the int/bool/float32 dtype rules, gradcheck, in-place
forms and the numpy aliases."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests.parity import check, gradchecks

OPS = ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "sinc", "atan2", "deg2rad",
       "rad2deg"]


@pytest.mark.parametrize("name", OPS)
def test_samples(name):
    assert opinfo.check_samples(name, "", getattr(minitorch, name), limit=8) > 0


@pytest.mark.parametrize("name", OPS)
def test_reference_inputs(name):
    assert opinfo.check_samples(name, "", getattr(minitorch, name), limit=6, reference=True) > 0


@pytest.mark.parametrize("name", OPS)
def test_dtype_rules(name):
    opinfo.check_dtype_rules(name, "", getattr(minitorch, name))


DOMAIN = {"asin": (-0.9, 0.9), "acos": (-0.9, 0.9), "atanh": (-0.9, 0.9), "acosh": (1.2, 3.0)}


@pytest.mark.parametrize("name", OPS[:10])
def test_gradcheck(name):
    lo, hi = DOMAIN.get(name, (-1.2, 1.2))
    x = np.random.default_rng(1).uniform(lo, hi, (2, 3))
    gradchecks(lambda m, a: getattr(m, name)(a), x)


def test_atan2_gradcheck_and_origin():
    rng = np.random.default_rng(2)
    gradchecks(lambda m, a, b: m.atan2(a, b), rng.uniform(-2, 2, (3,)), rng.uniform(0.5, 2, (2, 3)))
    check(lambda m, a, b: m.atan2(a, b), np.array([0.0, -0.0, 1.0]), np.array([0.0, 0.0, -1.0]))


@pytest.mark.parametrize("name", ["tan", "asin", "cosh", "sinc", "deg2rad"])  # (torch has no atanh_ derivative)
def test_inplace_matches_out_of_place(name):
    x = np.random.default_rng(3).uniform(-0.8, 0.8, (4,))
    check(lambda m, a: getattr(a * 1, name + "_")(), x)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        getattr(minitorch.tensor([1, 2]), name + "_")()


def test_atan2_inplace_and_type_errors():
    rng = np.random.default_rng(4)
    check(lambda m, a, b: (a * 1).atan2_(b), rng.standard_normal(3), rng.standard_normal(3))
    for bad in (lambda m: m.atan2(m.ones(2), 1.0), lambda m: m.atan2(1.0, m.ones(2))):
        with pytest.raises(TypeError) as t:
            bad(torch)
        with pytest.raises(TypeError, match=str(t.value).split(" must")[0].replace("(", r"\(").replace(")", r"\)")):
            bad(minitorch)


@pytest.mark.parametrize("alias,name", [("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"),
                                        ("arcsinh", "asinh"), ("arccosh", "acosh"), ("arctanh", "atanh")])
def test_aliases(alias, name):
    x = np.array([0.2, 0.5]) + (1.5 if name == "acosh" else 0)
    check(lambda m, a: (getattr(m, alias)(a), getattr(a, alias)()), x)
    assert getattr(minitorch.Tensor, alias) is getattr(minitorch.Tensor, name)
    check(lambda m, a, b: m.arctan2(a, b), np.array([1.0, -2.0]), np.array([0.5, 3.0]))
