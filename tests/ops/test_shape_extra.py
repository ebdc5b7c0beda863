"""The *_copy views, directional and unsafe splits, sum_to_size, Tensor.H, combinations, unravel_index, put,
nonzero_static, constant_pad_nd, as_strided_scatter, scalar_tensor and empty_permuted against torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.ops._opdb_errors import run_error_inputs
from tests.parity import check

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 6))


@pytest.mark.parametrize("eid", ["sum_to_size", "diagonal_copy", "narrow_copy", "view_copy", "__rdiv__", "hsplit",
                                 "vsplit", "dsplit", "empty_permuted", "unbind_copy", "t_copy", "as_strided_scatter"])
def test_error_inputs(eid):
    assert run_error_inputs(eid) > 0


@pytest.mark.parametrize("fn", [
    lambda L, x: L.expand_copy(x[:1], (3, 6)), lambda L, x: L.diagonal_copy(x, 1), lambda L, x: L.alias_copy(x),
    lambda L, x: L.as_strided_copy(x, (2, 2), (1, 2), 1), lambda L, x: L.narrow_copy(x, 1, 2, 3),
    lambda L, x: L.view_copy(x, (6, 4)), lambda L, x: L.permute_copy(x, (1, 0)),
    lambda L, x: L.split_with_sizes_copy(x, [2, 4], 1), lambda L, x: L.unbind_copy(x, 1),
    lambda L, x: L.unfold_copy(x, 1, 2, 2), lambda L, x: L.squeeze_copy(x[:1]), lambda L, x: L.unsqueeze_copy(x, 1),
    lambda L, x: L.transpose_copy(x, 0, 1), lambda L, x: L.t_copy(x), lambda L, x: L.hsplit(x, 3),
    lambda L, x: L.vsplit(x, [1, 3]), lambda L, x: L.dsplit(x.reshape(2, 2, 6), 2), lambda L, x: x.unsafe_chunk(3, 1),
    lambda L, x: x.unsafe_split(2), lambda L, x: x.sum_to_size(1, 6), lambda L, x: x.sum_to_size(6), lambda L, x: x.H,
    lambda L, x: L.constant_pad_nd(x, (1, -2, 2, 0), 3.5), lambda L, x: L.combinations(x[0], 3),
    lambda L, x: L.combinations(x[0, :3], 2, with_replacement=True), lambda L, x: x.__rdiv__(2.0),
])
def test_values_and_gradients(fn):
    check(fn, X)


def test_copies_do_not_share_memory():
    x = minitorch.tensor(X)
    y = minitorch.t_copy(x)
    y[0, 0] = 100.0
    assert x[0, 0].item() == X[0, 0]


def test_put_and_put_():
    idx = np.array([[0, -1], [5, 7]])
    src = RNG.standard_normal((2, 2))
    check(lambda L, x, s: L.put(x, L.tensor(idx), s), X, src)
    check(lambda L, x, s: L.put(x, L.tensor(idx), s, accumulate=True), X, src)
    a, b = minitorch.tensor(X), torch.tensor(X)
    a.put_(minitorch.tensor(idx), minitorch.tensor(src), True)
    b.put_(torch.tensor(idx), torch.tensor(src), True)
    np.testing.assert_allclose(a.numpy(), b.numpy())
    same_error(lambda L: L.put(L.zeros(2, 3), L.tensor([6]), L.tensor([1.0])))
    same_error(lambda L: L.put(L.zeros(2, 3), L.tensor([1, 2]), L.tensor([1.0])))


def test_as_strided_scatter_values_and_src_gradient():
    src = RNG.standard_normal((2, 2))
    check(lambda L, x, s: L.as_strided_scatter(x, s, (2, 2), (1, 2), 1), X[:3, :3].copy(), src, grad=False)
    # torch's own gradient of ``input`` is not the derivative (it keeps the gradient on the overwritten elements,
    # https://github.com/pytorch/pytorch/pull/77128); compare with clone + copy_ into the view, which it equals
    x_m, s_m = minitorch.tensor(X[:3, :3].copy(), requires_grad=True), minitorch.tensor(src, requires_grad=True)
    x_t, s_t = torch.tensor(X[:3, :3].copy(), requires_grad=True), torch.tensor(src, requires_grad=True)
    g = RNG.standard_normal((3, 3))
    out_t = x_t.clone()
    out_t.as_strided((2, 2), (1, 2), 1).copy_(s_t)
    gx_t, gs_t = torch.autograd.grad(out_t, [x_t, s_t], torch.tensor(g))
    gx_m, gs_m = minitorch.autograd.grad(minitorch.as_strided_scatter(x_m, s_m, (2, 2), (1, 2), 1), [x_m, s_m],
                                         minitorch.tensor(g))
    np.testing.assert_allclose(gx_m.numpy(), gx_t.numpy())
    np.testing.assert_allclose(gs_m.numpy(), gs_t.numpy())


def test_unravel_index_and_nonzero_static():
    idx = np.array([[0, 5, 23], [7, 11, 2]])
    for shape in [(4, 6), (2, 3, 4), 24]:
        m = minitorch.unravel_index(minitorch.tensor(idx), shape)
        t = torch.unravel_index(torch.tensor(idx), shape)
        assert len(m) == len(t) and all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(m, t))
    same_error(lambda L: L.unravel_index(L.tensor([1.0]), (2, 3)), same_text=False)  # names its own dtype
    same_error(lambda L: L.unravel_index(L.tensor([1]), (2, -3)))
    x = (X > 0).astype(np.float64)
    for size in (0, 3, 30):
        np.testing.assert_array_equal(minitorch.nonzero_static(minitorch.tensor(x), size=size, fill_value=-7).numpy(),
                                      torch.nonzero_static(torch.tensor(x), size=size, fill_value=-7).numpy())
    same_error(lambda L: L.nonzero_static(L.zeros(2), size=-1))


def test_errors():
    same_error(lambda L: L.zeros(3).H)
    same_error(lambda L: L.zeros(2, 3).sum_to_size(3, 1))
    same_error(lambda L: L.combinations(L.zeros(2, 2)))
    same_error(lambda L: L.combinations(L.zeros(3), -1))
    same_error(lambda L: L.hsplit(L.zeros(4, 6), 4))
    same_error(lambda L: L.constant_pad_nd(L.zeros(2, 2), (1,)))
    same_error(lambda L: L.empty_permuted((2, 3), (0, 0)))


def test_creation():
    for s, dt in [(3, None), (True, None), (2.5, minitorch.float64)]:
        m = minitorch.scalar_tensor(s, dtype=dt)
        t = torch.scalar_tensor(s, dtype=None if dt is None else torch.float64)
        assert m.shape == () and str(m.dtype).split(".")[-1] == str(t.dtype).split(".")[-1] and m.item() == t.item()
    m = minitorch.empty_permuted((2, 3, 4), (2, 0, 1))
    t = torch.empty_permuted((2, 3, 4), (2, 0, 1))
    assert tuple(m.shape) == tuple(t.shape) and m.stride() == t.stride()
