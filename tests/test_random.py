"""Random sampling (minitorch/random.py): shapes, dtypes and ranges, seeds and generators, bad dtypes and probabilities."""
from __future__ import annotations

from typing import Callable

import pytest

import minitorch
from tests._same import same_error


# random sampling into integer dtypes, and bernoulli's probability range
@pytest.mark.parametrize("fn", [
    lambda lib: lib.randn(2, dtype=lib.int64),
    lambda lib: lib.rand(2, dtype=lib.int64),
    lambda lib: lib.randn_like(lib.ones(2, dtype=lib.int64)),
    lambda lib: lib.rand_like(lib.ones(2, dtype=lib.int64)),
    lambda lib: lib.ones(2, dtype=lib.int64).uniform_(),
    lambda lib: lib.ones(2, dtype=lib.int64).normal_(),
    lambda lib: lib.normal(0.0, 1.0, (2,), dtype=lib.int64),
    lambda lib: lib.bernoulli(lib.tensor([2.0])),
    lambda lib: lib.bernoulli(lib.tensor([-0.5])),
    lambda lib: lib.ones(2).bernoulli_(2.0),
])
def test_random_bad_dtype_or_probability(fn: Callable) -> None:
    same_error(fn)


def test_rand_randn_randint_shapes_dtypes_and_ranges():
    r = minitorch.rand(200, 50)
    assert r.shape == (200, 50) and r.dtype is minitorch.float32
    assert 0 <= r.min().item() and r.max().item() < 1 and abs(r.mean().item() - 0.5) < 0.01
    n = minitorch.randn(200, 50, dtype=minitorch.float64)
    assert n.dtype is minitorch.float64 and abs(n.mean().item()) < 0.02 and abs(n.std().item() - 1) < 0.02
    i = minitorch.randint(3, 7, (1000,))
    assert i.dtype is minitorch.int64 and set(i.tolist()) == {3, 4, 5, 6}
    assert set(minitorch.randint(4, (500,)).tolist()) == {0, 1, 2, 3}
    assert minitorch.rand(()).shape == () and minitorch.randn((2, 3)).shape == (2, 3)
    assert minitorch.rand(2, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to'"):
        minitorch.randint(5, 5, (2,))


@pytest.mark.parametrize("fn", [lambda: minitorch.rand(3, 4), lambda: minitorch.randn(5),
                                lambda: minitorch.randint(0, 100, (6,)), lambda: minitorch.randperm(10),
                                lambda: minitorch.zeros(4).uniform_(-1, 1), lambda: minitorch.zeros(4).normal_()])
def test_manual_seed_reproducibility(fn):
    minitorch.manual_seed(123)
    first = fn()
    second = fn()
    minitorch.manual_seed(123)
    again = fn()
    assert first.equal(again) and not first.equal(second)


def test_generator_argument_is_independent_of_global_state():
    g1, g2 = minitorch.Generator().manual_seed(7), minitorch.Generator().manual_seed(7)
    minitorch.rand(10)
    assert minitorch.rand(3, generator=g1).equal(minitorch.rand(3, generator=g2))
