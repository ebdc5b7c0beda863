"""Products against torch: op_db samples (values, dtypes, gradients for a random upstream gradient) of einsum,
the add-products, outer/inner/tensordot/kron, diagonals, cross, cdist...; gradchecks; einsum's equation forms;
beta = 0; the diagonal view; integer dtypes; errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(0)

# op_db name -> minitorch callable taking the sample as torch's op takes it (None: minitorch.<name>)
OPS = {
    "addmm": None, "addmv": None, "addr": None, "addbmm": None, "baddbmm": None, "mv": None, "outer": None,
    "ger": None, "inner": None, "dot": None, "vdot": None, "tensordot": None, "kron": None, "trace": None,
    "diag": None, "diagonal": None, "diag_embed": None, "diagflat": None, "cross": None, "linalg.cross": None,
    "cdist": None, "dist": None, "block_diag": None, "cartesian_prod": None, "chain_matmul": None,
    "einsum": lambda tensors, eq: minitorch.einsum(eq, tensors),
    "tril_indices": None, "triu_indices": None,
}
CASES = [(name, op.variant_test_name) for name in OPS for op in opinfo.op_db
         if op.name == name and op.variant_test_name in ("", "decomposed")]


@pytest.mark.parametrize("name,variant", CASES, ids=[f"{n}-{v}" for n, v in CASES])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_opdb_samples(name, variant, dtype):
    if dtype not in opinfo.find(name, variant).dtypes:
        pytest.skip(f"torch's {name} does not take {dtype}")
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == torch.float32 else {}
    assert opinfo.check_samples(name, variant, OPS[name], dtypes=(dtype,), limit=12, **tol)


@pytest.mark.parametrize("name", ["addmm", "addmv", "einsum", "kron", "outer", "tensordot", "trace", "addbmm"])
def test_opdb_samples_int64(name):
    if torch.int64 in opinfo.find(name).dtypes:
        assert opinfo.check_samples(name, "", OPS[name], dtypes=(torch.int64,), limit=6, grad=False)


@pytest.mark.parametrize("fn,shapes", [
    (lambda m, x, y, z: m.addmm(x, y, z, beta=0.5, alpha=2), [(2, 4), (2, 3), (3, 4)]),
    (lambda m, x, y, z: m.baddbmm(x, y, z, alpha=-1.5), [(1, 2, 4), (2, 2, 3), (2, 3, 4)]),
    (lambda m, x, y, z: m.addr(x, y, z, beta=2), [(3, 1), (3,), (2,)]),
    (lambda m, x, y: m.einsum("bij,bjk->bik", x, y), [(2, 2, 3), (2, 3, 2)]),
    (lambda m, x, y: m.einsum("ii,i->", x, y), [(3, 3), (3,)]),
    (lambda m, x: m.einsum("i...i->...", x), [(3, 2, 3)]),
    (lambda m, x, y: m.tensordot(x, y, ([0, 2], [1, 0])), [(2, 3, 4), (4, 2, 2)]),
    (lambda m, x, y: m.kron(x, y), [(2, 3), (2,)]),
    (lambda m, x: x.diagonal(1, 0, 2), [(3, 2, 4)]),
    (lambda m, x: m.diag_embed(x, -1, 0, 2), [(2, 3)]),
    (lambda m, x, y: m.linalg.cross(x, y, dim=0), [(3, 2), (3, 1)]),
    (lambda m, x, y: m.cdist(x, y, p=3), [(2, 3, 2), (4, 2)]),
    (lambda m, *xs: m.block_diag(*xs), [(2, 3), (2,), ()]),
    (lambda m, x, y: m.cartesian_prod(x, y), [(2,), (3,)]),
])
def test_gradchecks(fn, shapes):
    gradchecks(fn, *[RNG.uniform(-1, 1, s) + (0.5 if len(s) == 2 and s[0] == s[1] else 0) for s in shapes])


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk", [(2, 3), (3, 4)]), ("ij,jk->", [(2, 3), (3, 4)]), ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),
    ("i,i", [(3,), (3,)]), ("ba", [(2, 3)]), ("iij->j", [(3, 3, 2)]), ("ij,ij->ij", [(2, 3), (1, 3)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]), ("a...,...->a", [(2, 3), (3,)]), (" i j , j k -> i k ", [(2, 3), (3, 2)]),
    ("i,j->", [(2,), (3,)]),
])
def test_einsum_equations(eq, shapes):
    check(lambda m, *xs: m.einsum(eq, *xs), *[RNG.normal(size=s) for s in shapes])


def test_einsum_sublist_and_list_forms():
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4))
    check(lambda m, x, y: m.einsum(x, [0, 1], y, [1, 2], [0, 2]), a, b)
    check(lambda m, x, y: m.einsum(x, [Ellipsis, 1], y, [1, 2]), a, b)
    check(lambda m, x, y: m.einsum("ij,jk", [x, y]), a, b)


def test_beta_zero_ignores_nan_input():
    nan = np.full((2, 2), np.nan)
    check(lambda m, x, y, z: m.addmm(x, y, z, beta=0), nan, RNG.normal(size=(2, 3)), RNG.normal(size=(3, 2)))
    check(lambda m, x, y, z: m.addmv(x, y, z, beta=0), nan[0], RNG.normal(size=(2, 3)), RNG.normal(size=(3,)))
    check(lambda m, x, y, z: m.baddbmm(x, y, z, beta=0), nan[None], RNG.normal(size=(2, 2, 3)),
          RNG.normal(size=(2, 3, 2)))


def test_beta_zero_keeps_input_in_the_graph():
    grads = []
    for lib in (minitorch, torch):
        x = lib.tensor(np.full((2, 2), np.nan), requires_grad=True)
        out = lib.addmm(x, lib.ones(2, 3, dtype=lib.float64), lib.ones(3, 2, dtype=lib.float64), beta=0)
        assert out.requires_grad
        out.sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(*grads)


def test_inplace_add_products():
    def f(m, x, y, z):
        w = x * 1
        v = x[0] * 1
        return w.addmm_(y, z, alpha=2), v.addmv_(y, z[:, 0]), w.addr_(y[:, 0], z[0], beta=0.5)
    check(f, RNG.normal(size=(2, 2)), RNG.normal(size=(2, 3)), RNG.normal(size=(3, 2)))


def test_diagonal_is_a_view():
    for lib in (minitorch, torch):
        x = lib.zeros(3, 3)
        x.diagonal().add_(1)
        x.diagonal(1).fill_(2)
        assert x.sum().item() == 7
    check(lambda m, x: (x * 1).diagonal().mul_(3), RNG.normal(size=(3, 4)))


def test_int_and_bool_dtypes():
    i = np.arange(6).reshape(2, 3)
    check(lambda m, x: (m.einsum("ij,kj->ik", x, x), m.kron(x, x), m.outer(x[0], x[1]), x[:, :2].trace(),
                        m.addmm(x[:, :2], x, x.T), m.tensordot(x, x, 2), x.diag()), i, grad=False)
    check(lambda m, x, y: (m.outer(x, y), m.block_diag(x.reshape(1, -1), y), m.kron(x, y)), i[0], RNG.normal(size=3),
          grad=False)
    check(lambda m: (m.tril_indices(3, 4, 1), m.triu_indices(4, 3, -1), m.tril_indices(0, 0)), grad=False)


@pytest.mark.parametrize("fn", [
    lambda m: m.addmm(m.ones(2, 2), m.ones(2, 3), m.ones(2, 2)),
    lambda m: m.addmm(m.ones(3, 2), m.ones(2, 3), m.ones(3, 2)),
    lambda m: m.addmm(m.ones(2, 2), m.ones(2, 3), m.ones(3, 2, dtype=m.float64)),
    lambda m: m.mv(m.ones(2, 3), m.ones(4)),
    lambda m: m.addmv(m.ones(3), m.ones(2, 3), m.ones(3)),
    lambda m: m.addr(m.ones(2, 2), m.ones(2, 2), m.ones(2)),
    lambda m: m.outer(m.ones(2, 2), m.ones(2)),
    lambda m: m.inner(m.ones(2, 3), m.ones(2)),
    lambda m: m.einsum("ij,j->i", m.ones(2, 3), m.ones(4)),
    lambda m: m.einsum("ij,j->i", m.ones(2, 3), m.ones(3, dtype=m.float64)),
    lambda m: m.einsum("ijk->i", m.ones(2, 3)),
    lambda m: m.einsum("ij->k", m.ones(2, 3)),
    lambda m: m.einsum("i,i->i", m.ones(2)),
    lambda m: m.tensordot(m.ones(2, 3), m.ones(2, 3), ([0], [1])),
    lambda m: m.trace(m.ones(2, 2, 2)),
    lambda m: m.diagonal(m.ones(2, 2), 0, 1, 1),
    lambda m: m.diagonal(m.ones(2, 2), 0, 0, 2),
    lambda m: m.diag(m.ones(2, 2, 2)),
    lambda m: m.linalg.cross(m.ones(2, 3), m.ones(2, 2)),
    lambda m: m.linalg.cross(m.ones(2, 3), m.ones(3, 3), dim=0),
    lambda m: m.cdist(m.ones(2, 3), m.ones(2, 4)),
    lambda m: m.cdist(m.ones(3), m.ones(2, 3)),
    lambda m: m.block_diag(m.ones(2, 2, 2)),
    lambda m: m.cartesian_prod(m.ones(2, 2)),
    lambda m: m.chain_matmul(m.ones(2, 2), m.ones(2)),
    lambda m: m.dot(m.ones(2), m.ones(3)),
    lambda m: m.bmm(m.ones(2, 2, 3), m.ones(2, 2, 2)),
])
def test_errors(fn):
    same_error(fn)
