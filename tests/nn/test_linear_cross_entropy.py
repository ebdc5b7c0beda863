"""F.linear_cross_entropy against torch: class-index and probability targets, bias, class weights, label
smoothing, ignore_index, every reduction, K-dimensional weights, torch's options object, and errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from tests._same import same_error
from tests.ops._opdb_errors import run_error_inputs
from tests.parity import check

RNG = np.random.default_rng(4)
X, W, B = RNG.standard_normal((5, 3)), RNG.standard_normal((4, 3)), RNG.standard_normal(4)
T = np.array([0, 3, 1, 1, 2])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kw", [{}, {"label_smoothing": 0.2}, {"ignore_index": 1}])
def test_index_targets(reduction, kw):
    cw = RNG.random(4)  # class weights take no gradient in torch
    check(lambda L, x, w, b: L.nn.functional.linear_cross_entropy(
        x, w, L.tensor(T), linear_bias=b, weight=L.tensor(cw), reduction=reduction, **kw), X, W, B)


def test_probability_targets_and_unbatched():
    p = RNG.random((5, 4))
    check(lambda L, x, w, t: L.nn.functional.linear_cross_entropy(x, w, t), X, W, p / p.sum(1, keepdims=True))
    check(lambda L, x, w: L.nn.functional.linear_cross_entropy(x[0], w, L.tensor(2)), X, W)


def test_k_dimensional_weight():
    w = RNG.standard_normal((4, 2, 3))
    t = np.array([[0, 3], [1, 1], [2, 0], [3, 3], [1, 0]])
    check(lambda L, x, w_, b: L.nn.functional.linear_cross_entropy(x, w_, L.tensor(t), linear_bias=b),
          X, w, RNG.standard_normal((4, 2)))


def test_options_object():
    opts = torch.nn.LinearCrossEntropyOptions(batch_chunk_size=2) if hasattr(torch.nn, "LinearCrossEntropyOptions") \
        else None
    check(lambda L, x, w: L.nn.functional.linear_cross_entropy(x, w, L.tensor(T), options=opts), X, W)


@pytest.mark.parametrize("eid", ["nn.functional.linear_cross_entropy"])
def test_error_inputs(eid):
    assert run_error_inputs(eid) > 0


def test_errors():
    same_error(lambda L: L.nn.functional.linear_cross_entropy(L.zeros(2, 2, 3), L.zeros(4, 3), L.zeros(2)))
    same_error(lambda L: L.nn.functional.linear_cross_entropy(L.zeros(2, 3), L.zeros(4, 2), L.zeros(2)))
    same_error(lambda L: L.nn.functional.linear_cross_entropy(L.zeros(2, 3), L.zeros(4, 3), L.zeros(2, 4),
                                                              ignore_index=1))
