"""renorm, the trapezoid rules, cov/corrcoef and gradient against torch: values, gradients and errors."""
from __future__ import annotations

import numpy as np
import pytest

from tests._same import same_error
from tests.ops._opdb_errors import run_error_inputs
from tests.parity import check, gradchecks

RNG = np.random.default_rng(1)
Y = RNG.standard_normal((3, 5))


@pytest.mark.parametrize("eid", ["cov", "renorm"])
def test_error_inputs(eid):
    assert run_error_inputs(eid) > 0


def test_gradient_error_inputs():
    # the samples with a tensor on the meta device have no minitorch form
    assert run_error_inputs("gradient") >= 5


@pytest.mark.parametrize("p,dim,maxnorm", [(2, 0, 1.0), (1, 1, 0.5), (float("inf"), -1, 0.3), (3, 0, 100.0)])
def test_renorm(p, dim, maxnorm):
    check(lambda L, x: L.renorm(x, p, dim, maxnorm), Y)
    check(lambda L, x: x.renorm(p, dim, maxnorm), Y)


@pytest.mark.parametrize("fn", [
    lambda L, y: L.trapezoid(y), lambda L, y: L.trapezoid(y, dx=0.5, dim=0), lambda L, y: L.trapz(y, dim=0),
    lambda L, y: L.trapezoid(y, L.tensor([0.0, 0.5, 2.0, 2.5, 4.0])),
    lambda L, y: L.cumulative_trapezoid(y), lambda L, y: L.cumulative_trapezoid(y, dx=2.0, dim=0),
    lambda L, y: L.cumulative_trapezoid(y, L.tensor([0.0, 1.0, 3.0]), dim=0),
])
def test_trapezoid(fn):
    check(fn, Y)


def test_trapezoid_ints_and_errors():
    check(lambda L, y: L.trapezoid(y), np.arange(6).reshape(2, 3), grad=False)
    same_error(lambda L: L.trapezoid(L.zeros(3, 4), L.zeros(3)))
    same_error(lambda L: L.trapezoid(L.zeros(3, 4), dim=2))


def test_cov_corrcoef():
    fw, aw = np.array([1, 2, 0, 3, 1]), RNG.random(5)
    check(lambda L, x: L.cov(x), Y)
    check(lambda L, x: L.cov(x[0]), Y)
    check(lambda L, x: x.cov(correction=0), Y)
    check(lambda L, x, a: L.cov(x, fweights=L.tensor(fw), aweights=a, correction=2), Y, aw)
    check(lambda L, x: L.corrcoef(x), Y)
    check(lambda L, x: x.corrcoef(), Y[:1])
    check(lambda L, x: L.cov(x), np.arange(6).reshape(2, 3), grad=False)
    gradchecks(lambda L, x: L.cov(x), Y[:2, :4])


@pytest.mark.parametrize("kw", [dict(), dict(spacing=2.0), dict(spacing=[0.5, 2.0], edge_order=2), dict(dim=1),
                                dict(dim=(-1,), spacing=[np.array([0.0, 0.5, 2.0, 2.5, 4.0])], edge_order=2),
                                dict(spacing=[np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 4.0, 8.0, 9.0])])])
def test_gradient(kw):
    def fn(L, y):
        k = dict(kw)
        if "spacing" in k and isinstance(k["spacing"], list):
            k["spacing"] = [L.tensor(s) if isinstance(s, np.ndarray) else s for s in k["spacing"]]
        return L.gradient(y, **k)
    check(fn, Y)
    gradchecks(fn, Y, second_order=False)


@pytest.mark.parametrize("kw", [dict(bins=3), dict(bins=[2, 3, 4]), dict(bins=2, density=True),
                                dict(bins=[3, 1, 2], range=[-1.0, 1.0, 0.0, 2.0, -2.0, 0.5])])
def test_histogramdd(kw):
    pts = RNG.standard_normal((40, 3))
    w = RNG.random(40)
    for weight in (None, w):
        def fn(L, x):
            return L.histogramdd(x, weight=None if weight is None else L.tensor(weight), **kw)
        check(fn, pts, grad=False)
    edges = [np.array([-1.0, 0.0, 2.0]), np.array([-3.0, 3.0]), np.array([-0.5, 0.0, 0.5, 1.0])]
    check(lambda L, x: L.histogramdd(x, [L.tensor(e) for e in edges]), pts, grad=False)
    same_error(lambda L: L.histogramdd(L.zeros(5), 2))
    same_error(lambda L: L.histogramdd(L.zeros(5, 2), [2, 2, 2]))
    same_error(lambda L: L.histogramdd(L.zeros(5, 2), 2, range=[0.0, 1.0]))
    same_error(lambda L: L.histogramdd(L.zeros(5, 2), 0))
