"""The scatter family against torch: scatter (src, value, reduce), scatter_add, scatter_reduce (all reductions,
include_self, ties and zeros), index_add/copy/fill/put/reduce, masked_scatter, select/slice/diagonal_scatter,
as_strided, and the in-place forms; op_db samples, gradchecks and errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(1)

OPS = ["scatter", "scatter_add", "scatter_reduce:sum", "scatter_reduce:prod", "scatter_reduce:mean",
       "scatter_reduce:amax", "scatter_reduce:amin", "index_add", "index_fill", "index_copy", "index_put",
       "index_reduce:mean", "index_reduce:prod", "index_reduce:amax", "index_reduce:amin", "masked_scatter",
       "select_scatter", "slice_scatter", "diagonal_scatter", "as_strided", "as_strided:partial_views"]


@pytest.mark.filterwarnings("ignore:index_reduce", "ignore:The reduce argument")
@pytest.mark.parametrize("spec", OPS)
def test_opdb_samples(spec):
    name, _, variant = spec.partition(":")
    assert opinfo.check_samples(name, variant, dtypes=(torch.float64, torch.float32, torch.int64), limit=8) > 0


@pytest.mark.filterwarnings("ignore:index_reduce", "ignore:The reduce argument")
@pytest.mark.parametrize("spec", [s for s in OPS if s not in ("as_strided:partial_views", "slice_scatter")])
def test_opdb_gradcheck(spec):
    name, _, variant = spec.partition(":")
    assert opinfo.gradcheck_samples(name, variant, limit=2, max_numel=60) > 0



def rand(*shape):
    return RNG.uniform(-2, 2, shape)


IDX = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])


def test_scatter_forms():
    x, s = rand(3, 4), rand(2, 5)
    check(lambda m, a, b: (a.scatter(0, m.tensor(IDX), b), m.scatter(a, 1, m.tensor(IDX[:, :3]), b),
                           a.scatter_add(1, m.tensor(IDX), b)), x, s, grad=False)  # src larger than index
    # (torch's backward of such a src is broken: it returns a gradient of index's shape)
    check(lambda m, a, b: (a.scatter(0, m.tensor(IDX), b[:, :4]), m.scatter(a, 1, m.tensor(IDX[:, :3]), b[:, :3]),
                           a.scatter(0, m.tensor(IDX), 1.5), a.scatter(0, m.tensor(IDX), value=-2.0),
                           a.scatter_add(0, m.tensor(IDX), b[:, :4]), m.scatter_add(a, 1, m.tensor(IDX), b[:, 1:])), x, s)
    with pytest.warns(UserWarning, match="deprecated"):
        check(lambda m, a, b: (a.scatter(0, m.tensor(IDX), b, reduce="add"), a.scatter(1, m.tensor(IDX), 2.0,
                                                                                        reduce="multiply")),
              x, s, grad=False)
    check(lambda m, a, b: (a.scatter_reduce(0, m.tensor(IDX), b, "max"), a.scatter_reduce(1, m.tensor(IDX), b, "min",
                                                                                          include_self=False)),
          x, s, grad=False)
    i = np.arange(12).reshape(3, 4)
    check(lambda m, a: (a.scatter(0, m.tensor(IDX), 7), a.scatter_add(0, m.tensor(IDX), a[:2])), i)


def test_scatter_with_reduce_has_no_derivative():
    for lib in (minitorch, torch):
        x = lib.ones(3, 4, dtype=lib.float64, requires_grad=True)
        y = (x * 1).scatter(0, lib.tensor(IDX), 2.0, reduce="add")
        with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
            y.sum().backward()


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_ties_and_zeros(reduce, include_self):
    x = np.array([[1.0, 0.0, 2.0, 2.0], [3.0, -1.0, 0.5, 2.0], [1.0, 1.0, 0.0, 4.0]])
    s = np.array([[1.0, 0.0, 2.0, 2.0], [3.0, 0.0, 0.0, 2.0]])  # ties with x and each other, single and double 0s
    check(lambda m, a, b: a.scatter_reduce(0, m.tensor(IDX), b, reduce, include_self=include_self), x, s)
    check(lambda m, a, b: m.scatter_reduce(a, 1, m.tensor(IDX), b, reduce, include_self=include_self),
          rand(3, 4), rand(2, 4))
    check(lambda m, a: a.scatter_reduce(0, m.tensor(IDX), a[:2] + 1, reduce, include_self=include_self),
          np.arange(12).reshape(3, 4))
    if reduce not in ("amax", "amin"):
        gradchecks(lambda m, a, b: a.scatter_reduce(0, m.tensor(IDX), b, reduce, include_self=include_self),
                   rand(3, 4), rand(2, 4))


@pytest.mark.filterwarnings("ignore:index_reduce")
def test_index_ops():
    x, src = rand(4, 3), rand(2, 3)
    idx = np.array([3, 1])
    check(lambda m, a, b: (a.index_add(0, m.tensor(idx), b), a.index_add(0, m.tensor([1, 1]), b, alpha=-2.5),
                           m.index_add(a, 1, m.tensor([0, 2, 0]), a[:, :3]), a.index_copy(0, m.tensor(idx), b),
                           m.index_copy(a, 1, m.tensor([2]), a[:, :1]), a.index_fill(0, m.tensor(idx), -1.0),
                           m.index_fill(a, 1, m.tensor([0, -1]), 3), a.index_fill(0, m.tensor(idx), b[0, 0]),
                           a.index_reduce(0, m.tensor([1, 1]), b, "prod"),
                           a.index_reduce(1, m.tensor([0, 0, 2]), a, "mean", include_self=False)), x, src)
    check(lambda m, a: (a.index_add(0, m.tensor([0, 0]), a[:2], alpha=3), a.index_fill(1, m.tensor([1]), 5),
                        a.index_copy(0, m.tensor([2, 0]), a[:2])), np.arange(12).reshape(4, 3))
    check(lambda m, a, b: (a.index_add(0, m.tensor(0), b), a.index_fill(0, m.tensor([0]), 2.0),
                           a.index_copy(0, m.tensor([0]), b)), rand(), rand())


def test_index_put_and_masked_scatter():
    x = rand(3, 4)
    rows, cols = np.array([0, 2, 0]), np.array([1, 3, 1])
    check(lambda m, a, v: (a.index_put((m.tensor(rows), m.tensor(cols)), v, accumulate=True),
                           m.index_put(a, (m.tensor(rows),), v[:, None]), a.index_put((m.tensor(rows[:2]),), v[0]),
                           a.index_put([a > 0], v[0], True)), x, rand(3))
    mask = RNG.random((3, 4)) > 0.4
    check(lambda m, a, mk, s: (a.masked_scatter(mk, s), m.masked_scatter(a, mk[0], s), a[0].masked_scatter(mk, s)),
          x, mask, rand(20))
    same_error(lambda lib: lib.ones(3).index_put((lib.tensor([0]),), lib.ones(1, dtype=lib.float64)))
    same_error(lambda lib: lib.ones(3).masked_scatter(lib.tensor([True, True, False]), lib.ones(1)))
    same_error(lambda lib: lib.ones(3).masked_scatter(lib.ones(3), lib.ones(3)))


def test_view_scatters():
    x = rand(3, 4, 2)
    check(lambda m, a, s: (a.select_scatter(s, 1, -1), m.select_scatter(a, s, 1, 0)), x, rand(3, 2))
    check(lambda m, a, s: (a.slice_scatter(s, 1, 1, 4, 2), m.slice_scatter(a, s, dim=1, start=None, end=2)),
          x, rand(3, 2, 2))
    check(lambda m, a, s: (a.diagonal_scatter(s, 0, 0, 1), m.diagonal_scatter(a, s, 1, 0, 1)), x, rand(2, 3))
    check(lambda m, a, s: a.diagonal_scatter(s, -2, 1, 0), x, rand(2, 2))
    gradchecks(lambda m, a, s: a.diagonal_scatter(s, 1, 2, 1), rand(2, 3, 3), rand(2, 2))
    gradchecks(lambda m, a, s: a.slice_scatter(s, 1, 0, 3, 2), rand(2, 4), rand(2, 2))
    gradchecks(lambda m, a, s: a.select_scatter(s, 0, 1), rand(2, 3), rand(3))
    same_error(lambda lib: lib.ones(3, 4).select_scatter(lib.ones(4), 1, 0))
    same_error(lambda lib: lib.ones(3, 4).slice_scatter(lib.ones(3, 2), 1, 0, 3))


def test_as_strided_view_and_grad():
    x = rand(12)
    check(lambda m, a: (a.as_strided((3, 3), (3, 1)), a.as_strided((2, 4), (1, 2), 2), m.as_strided(a, (4,), (3,)),
                        a.as_strided((3, 3), (1, 1)), a.as_strided((2, 2, 2), (0, 4, 1), 1),
                        a.view(3, 4)[1:].as_strided((2, 2), (4, 1))), x)
    check(lambda m, a: (a.flip(0).as_strided((2, 3), (1, 2)), a.t().as_strided((2, 2), (1, 3), 1)), rand(3, 4))
    gradchecks(lambda m, a: a.as_strided((3, 3), (1, 1), 2), rand(12))
    base = minitorch.zeros(6)
    view = base.as_strided((2, 2), (2, 1), 1)
    base += 1
    assert view._base is base and view.sum().item() == 4
    view.mul_(3)
    assert base.tolist() == [1.0, 3.0, 3.0, 3.0, 3.0, 1.0]
    same_error(lambda lib: lib.ones(4).as_strided((3, 3), (2, 1)), same_text=False)
    with pytest.raises(RuntimeError, match="more than one element"):
        minitorch.zeros(4).as_strided((2, 2), (1, 1)).add_(1)


@pytest.mark.filterwarnings("ignore:index_reduce")
@pytest.mark.parametrize("name", ["scatter_", "scatter_add_", "scatter_reduce_", "index_add_", "index_copy_",
                                  "index_fill_", "index_put_", "index_reduce_", "masked_scatter_"])
def test_inplace_forms(name):
    args = {
        "scatter_": lambda m, s: (0, m.tensor(IDX), s), "scatter_add_": lambda m, s: (0, m.tensor(IDX), s),
        "scatter_reduce_": lambda m, s: (0, m.tensor(IDX), s, "amax"),
        "index_add_": lambda m, s: (0, m.tensor([2, 0]), s), "index_copy_": lambda m, s: (0, m.tensor([2, 0]), s),
        "index_fill_": lambda m, s: (1, m.tensor([1, 3]), s[0, 1]),
        "index_put_": lambda m, s: ((m.tensor([0, 2]), m.tensor([1, 1])), s[0, :2], True),
        "index_reduce_": lambda m, s: (0, m.tensor([1, 1]), s, "prod"),
        "masked_scatter_": lambda m, s: (m.tensor([True, False, True, False]), s),
    }[name]

    def run(m, a, s):
        y = a * 1
        out = getattr(y, name)(*args(m, s))
        assert out is y
        return y, a.clone().detach().__getattribute__(name)(*args(m, s.detach()))

    check(run, rand(3, 4), rand(2, 4))


def test_inplace_on_view_and_leaf_errors():
    check(lambda m, a, s: (a * 1)[1:].scatter_add_(0, m.tensor([[0, 1], [1, 0]]), s), rand(3, 2), rand(2, 2))
    for lib in (minitorch, torch):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x.index_fill_(0, lib.tensor([0]), 2.0)


@pytest.mark.filterwarnings("ignore:index_reduce")
def test_errors_match_torch():
    x, s = (lambda lib: lib.zeros(3, 4, dtype=lib.float64)), (lambda lib: lib.ones(3, 4, dtype=lib.float64))
    cases = [
        lambda lib: x(lib).scatter(0, lib.tensor([[0.0]]), s(lib)),
        lambda lib: x(lib).scatter(0, lib.tensor([[0]]), s(lib).float()),
        lambda lib: x(lib).scatter(0, lib.tensor([[5]]), s(lib)),
        lambda lib: x(lib).scatter(0, lib.tensor([[1, 1, 1, 1, 1]]), s(lib)),
        lambda lib: x(lib).scatter(0, lib.tensor([1]), s(lib)),
        lambda lib: x(lib).scatter(0, lib.tensor([[1]]), s(lib), reduce="mean"),
        lambda lib: x(lib).scatter_reduce(0, lib.tensor([[1]]), s(lib), reduce="foo"),
        lambda lib: x(lib).index_add(0, lib.tensor([0, 1]), s(lib)),
        lambda lib: x(lib).index_add(0, lib.tensor([0, 1.0]), s(lib)[:2]),
        lambda lib: x(lib).index_add(0, lib.tensor([0, 1]), s(lib)[:2].float()),
        lambda lib: x(lib).index_add(0, lib.tensor([[0, 1]]), s(lib)[:2]),
        lambda lib: x(lib).index_add(0, lib.tensor([0, 5]), s(lib)[:2]),
        lambda lib: x(lib).index_copy(0, lib.tensor([0, 1]), s(lib)[:3]),
        lambda lib: x(lib).index_fill(0, lib.tensor([0, 1]), lib.tensor([1.0, 2.0])),
        lambda lib: x(lib).index_put((lib.tensor([0, 1]),), s(lib)[:2].float()),
        lambda lib: x(lib).masked_scatter(x(lib) > 0, s(lib).float()),
        lambda lib: x(lib).index_reduce(0, lib.tensor([0]), s(lib)[:1], "sum"),
    ]
    same_error(lambda lib: lib.zeros(3).scatter(0, lib.tensor([0])), same_text=False)
    for i, case in enumerate(cases):
        try:
            same_error(case)
        except BaseException as e:
            raise AssertionError(f"case {i}: {e}") from None
