"""minitorch.masked against torch.masked on a strided tensor and a broadcast mask: values, gradients, dtypes,
fully masked-out rows, and errors."""
from __future__ import annotations

import numpy as np
import pytest

from tests._same import same_error
from tests.parity import check

RNG = np.random.default_rng(2)
X = RNG.standard_normal((3, 4))
MASK = np.array([[True, False, True, True], [False, False, False, False], [True, True, False, True]])


def _m(L):
    return L.tensor(MASK)


@pytest.mark.parametrize("fn", [
    lambda L, x: L.masked.sum(x, 1, mask=_m(L)), lambda L, x: L.masked.sum(x, mask=_m(L)[0]),
    lambda L, x: L.masked.prod(x, (0, 1), keepdim=True, mask=_m(L)), lambda L, x: L.masked.cumsum(x, 1, mask=_m(L)),
    lambda L, x: L.masked.cumprod(x, 0, mask=_m(L)), lambda L, x: L.masked.amax(x, 1, mask=_m(L)),
    lambda L, x: L.masked.amin(x, 0, mask=_m(L)), lambda L, x: L.masked.argmax(x, 1, mask=_m(L)),
    lambda L, x: L.masked.argmin(x, 1, mask=_m(L)), lambda L, x: L.masked.mean(x, 1, mask=_m(L)),
    lambda L, x: L.masked.median(x, 1, mask=_m(L)), lambda L, x: L.masked.norm(x, 2.0, 1, mask=_m(L)),
    lambda L, x: L.masked.norm(x, float("inf"), 0, mask=_m(L)), lambda L, x: L.masked.var(x, 1, mask=_m(L)),
    lambda L, x: L.masked.std(x, 0, correction=0, keepdim=True, mask=_m(L)),
    lambda L, x: L.masked.softmax(x, 1, mask=_m(L)), lambda L, x: L.masked.log_softmax(x, 0, mask=_m(L)),
    lambda L, x: L.masked.softmin(x, 1, mask=_m(L)), lambda L, x: L.masked.normalize(x, 2.0, 1, mask=_m(L)),
    lambda L, x: L.masked.logsumexp(x, 1, mask=_m(L)),
    lambda L, x: L.masked.logaddexp(x, x.flip(1), input_mask=_m(L), other_mask=_m(L)[:, [0, 1, 3, 2]]),
    lambda L, x: L.masked.sum(x, 0), lambda L, x: L.masked.var(x, 1, unbiased=False),
])
def test_values_and_gradients(fn):
    check(fn, X)


def test_integer_dtypes():
    xi = np.arange(12).reshape(3, 4)
    check(lambda L, x: L.masked.sum(x, 1, mask=_m(L)), xi.astype(np.int32), grad=False)
    check(lambda L, x: L.masked.amax(x, 1, mask=_m(L)), xi, grad=False)
    check(lambda L, x: L.masked.var(x, 1, mask=_m(L)), xi, grad=False)


def test_errors():
    same_error(lambda L: L.masked.mean(L.arange(4), mask=L.tensor([True, False, True, True])), same_text=False)
    same_error(lambda L: L.masked.sum(L.zeros(3), (0, 0)))
    same_error(lambda L: L.masked.sum(L.zeros(3), 2))
    same_error(lambda L: L.masked.median(L.arange(4).view(2, 2), 1, mask=L.tensor([[True, True], [False, False]])))
