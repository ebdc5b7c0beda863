"""minitorch.linalg against torch: op_db samples (values, dtypes, gradients for a random upstream gradient) of the
decompositions, solvers and norms; gradchecks and gradgradchecks in float64; result fields; errors (op_db's
error inputs run in tests/ops/test_opinfo_error_inputs.py)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(0)

# (op_db name, variant, minitorch callable or None for minitorch.<name>, samples)
OPS = [
    ("linalg.det", "", None, 6), ("linalg.slogdet", "", None, 6), ("linalg.inv", "", None, 6),
    ("linalg.inv_ex", "", None, 3), ("linalg.solve", "", None, 10), ("linalg.solve_triangular", "", None, 10),
    ("linalg.cholesky", "", None, 6), ("linalg.cholesky_ex", "", None, 3), ("linalg.qr", "", None, 12),
    ("linalg.svd", "", None, 10), ("linalg.svdvals", "", None, 8), ("linalg.eigvalsh", "", None, 6),
    ("linalg.pinv", "", None, 8), ("linalg.pinv", "hermitian", None, 6),
    ("linalg.pinv", "singular", lambda a, b: minitorch.linalg.pinv(a @ b.mT), 8),
    ("linalg.matrix_rank", "", None, 8), ("linalg.matrix_rank", "hermitian", None, 4),
    ("linalg.matrix_power", "", None, 10), ("linalg.multi_dot", "", None, 7), ("linalg.vecdot", "", None, 8),
    ("linalg.vander", "", None, 10), ("linalg.lstsq", "", None, 12), ("linalg.norm", "", None, 16),
    ("linalg.norm", "subgradients_at_zero", None, 16), ("linalg.vector_norm", "", None, 16),
    ("linalg.matrix_norm", "", None, 16), ("linalg.diagonal", "", None, 6), ("linalg.cross", "", None, 3),
    ("logdet", "", None, 6), ("pinverse", "", None, 6), ("svd", "", None, 10), ("cholesky_solve", "", None, 12),
    ("cholesky_inverse", "", None, 12), ("norm", "", None, 16), ("norm", "nuc", None, 2), ("norm", "fro", None, 3),
    ("norm", "inf", None, 4), ("matrix_exp", "", None, 2), ("linalg.lu_factor", "", None, 8),
    ("linalg.lu_factor_ex", "", None, 4), ("linalg.lu", "", None, 8), ("linalg.lu_solve", "", None, 10),
    ("lu_unpack", "", None, 6), ("linalg.cond", "", None, 3), ("linalg.tensorinv", "", None, 2),
    ("linalg.tensorsolve", "", None, 4), ("ormqr", "", None, 8), ("linalg.solve_ex", "", None, 6), ("linalg.householder_product", "", None, 8),
]
CASES = [(name, variant, fn, n) for name, variant, fn, n in OPS]


@pytest.mark.parametrize("name,variant,fn,n", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_opdb_samples_float64(name, variant, fn, n):
    assert opinfo.check_samples(name, variant, fn, limit=n)


@pytest.mark.parametrize("name", ["linalg.det", "linalg.inv", "linalg.solve", "linalg.svdvals", "linalg.qr",
                                  "linalg.vector_norm", "linalg.matrix_norm"])
def test_opdb_samples_float32(name):
    assert opinfo.check_samples(name, dtypes=(torch.float32,), limit=4, rtol=1e-4, atol=1e-4)


def test_eigh_matches_torch_up_to_eigenvector_signs():
    a = RNG.normal(size=(2, 4, 4))
    a = a + a.mT
    for uplo in ("L", "U"):
        wm, vm = minitorch.linalg.eigh(minitorch.tensor(a), UPLO=uplo)
        wt, vt = torch.linalg.eigh(torch.tensor(a), UPLO=uplo)
        np.testing.assert_allclose(wm.numpy(), wt.numpy(), atol=1e-10)
        np.testing.assert_allclose(np.abs((vm.numpy() * vt.numpy()).sum(-2)), 1, atol=1e-10)
    # a loss invariant to the eigenvectors' signs, so the gradients compare exactly
    check(lambda m, x: (lambda w, v: (w, (v * v).sum(-2) + (v ** 4).sum(-2)))(*m.linalg.eigh(x + x.mT)), a[0])


def _spd(n):
    a = RNG.normal(size=(n, n))
    return a @ a.T + n * np.eye(n)


@pytest.mark.parametrize("fn,arrays", [
    (lambda m, x: m.linalg.det(x), [RNG.normal(size=(2, 3, 3))]),
    (lambda m, x: m.linalg.slogdet(x)[1], [RNG.normal(size=(3, 3))]),
    (lambda m, x: m.linalg.inv(x), [RNG.normal(size=(3, 3)) + 3 * np.eye(3)]),
    (lambda m, x, y: m.linalg.solve(x, y), [RNG.normal(size=(3, 3)) + 3 * np.eye(3), RNG.normal(size=(2, 3, 2))]),
    (lambda m, x, y: m.linalg.solve(x, y, left=False), [RNG.normal(size=(3, 3)) + 3 * np.eye(3),
                                                        RNG.normal(size=(2, 3))]),
    (lambda m, x, y: m.linalg.solve_triangular(x, y, upper=True), [np.triu(RNG.normal(size=(3, 3))) + 3 * np.eye(3),
                                                                   RNG.normal(size=(3, 2))]),
    (lambda m, x, y: m.linalg.solve_triangular(x, y, upper=False, left=False, unitriangular=True),
     [RNG.normal(size=(3, 3)), RNG.normal(size=(2, 3))]),
    (lambda m, x: m.linalg.cholesky(x + x.mT), [_spd(3) / 2]),
    (lambda m, x: m.linalg.cholesky(x + x.mT, upper=True), [_spd(3) / 2]),
    (lambda m, x: m.linalg.qr(x), [RNG.normal(size=(4, 3))]),
    (lambda m, x: m.linalg.qr(x), [RNG.normal(size=(2, 4))]),
    (lambda m, x: m.linalg.svdvals(x), [RNG.normal(size=(3, 2))]),
    (lambda m, x: (lambda u, s, vh: (s, u @ vh))(*m.linalg.svd(x, full_matrices=False)), [RNG.normal(size=(2, 3))]),
    (lambda m, x: m.linalg.eigvalsh(x + x.mT), [RNG.normal(size=(3, 3))]),
    (lambda m, x: m.linalg.pinv(x), [RNG.normal(size=(2, 3))]),
    (lambda m, x: m.linalg.matrix_norm(x, "nuc"), [RNG.normal(size=(3, 2))]),
    (lambda m, x: m.linalg.matrix_norm(x, -2), [RNG.normal(size=(3, 3))]),
    (lambda m, x: m.linalg.vector_norm(x, 3.5, dim=1), [RNG.normal(size=(2, 3))]),
    (lambda m, x: m.linalg.vector_norm(x, 0.5), [RNG.normal(size=(4,))]),
    (lambda m, x: m.linalg.matrix_power(x, -2), [RNG.normal(size=(3, 3)) + 3 * np.eye(3)]),
    (lambda m, x, y: m.cholesky_solve(y, x.tril()), [np.linalg.cholesky(_spd(3)), RNG.normal(size=(3, 2))]),
    (lambda m, x: m.linalg.matrix_exp(x), [RNG.normal(size=(2, 3, 3))]),
    (lambda m, x: (lambda w, v: (w, v * v.sum(-2, keepdim=True)))(*m.linalg.eig(x)),
     [(lambda p: p @ np.diag([1.0, 2.0, -1.5]) @ np.linalg.inv(p))(RNG.normal(size=(3, 3)) + 2 * np.eye(3))]),
    (lambda m, x: tuple(m.linalg.lu(x))[1:], [RNG.normal(size=(2, 3, 3))]),
    (lambda m, x: tuple(m.linalg.lu(x))[1:], [RNG.normal(size=(2, 4))]),
    (lambda m, x: m.linalg.lu_factor(x).LU, [RNG.normal(size=(4, 2))]),
    (lambda m, x, y: m.linalg.lu_solve(*m.linalg.lu_factor(x), y, adjoint=True), [RNG.normal(size=(3, 3)),
                                                                                  RNG.normal(size=(3, 2))]),
    (lambda m, x, y: m.linalg.householder_product(x, y), [RNG.normal(size=(4, 3)), RNG.normal(size=(2,))]),
    (lambda m, x: m.linalg.cond(x, "nuc"), [RNG.normal(size=(3, 3)) + 3 * np.eye(3)]),
    (lambda m, x, y: m.linalg.lstsq(x, y).solution, [RNG.normal(size=(4, 3)), RNG.normal(size=(4, 2))]),
])
def test_gradchecks(fn, arrays):
    gradchecks(fn, *arrays)


def test_eig_of_a_matrix_with_real_eigenvalues():
    """torch's eig is complex-valued; minitorch gives its real results and refuses complex ones."""
    p = RNG.normal(size=(4, 4)) + 2 * np.eye(4)
    a = p @ np.diag([3.0, -1.0, 0.5, 2.0]) @ np.linalg.inv(p)
    wm, vm = minitorch.linalg.eig(minitorch.tensor(a, requires_grad=True))
    at = torch.tensor(a, requires_grad=True)
    wt, vt = torch.linalg.eig(at)
    np.testing.assert_allclose(wm.detach().numpy(), wt.real.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(np.abs(vm.detach().numpy()), np.abs(vt.real.detach().numpy()), atol=1e-10)
    up = RNG.normal(size=4)
    x = minitorch.tensor(a, requires_grad=True)
    (minitorch.linalg.eigvals(x) * minitorch.tensor(up)).sum().backward()
    (torch.linalg.eigvals(at).real * torch.tensor(up)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), at.grad.numpy(), atol=1e-10)
    with pytest.raises(RuntimeError, match="complex eigenvalues"):
        minitorch.linalg.eigvals(minitorch.tensor([[0.0, 1.0], [-1.0, 0.0]]))


def test_ormqr_of_a_wide_input():
    check(lambda m, a, t, c: (m.ormqr(a, t, c), m.ormqr(a, t, c.mT, left=False, transpose=True)),
          RNG.normal(size=(2, 3)), RNG.uniform(0.5, 1.5, 2), RNG.normal(size=(2, 3)))


def test_geqrf_without_gradient():
    assert opinfo.check_samples("geqrf", limit=8, grad=False)


def test_conjugate_transposes_of_real_tensors():
    check(lambda m, x: (x.mH, x.adjoint(), x.mH @ x), RNG.normal(size=(2, 3, 4)))


def test_promoting_arguments():
    check(lambda m, x, y: (m.linalg.solve_triangular(x, y, upper=True), m.dist(x, y)),
          np.triu(RNG.normal(size=(3, 3))).astype(np.float32) + 3 * np.eye(3, dtype=np.float32),
          RNG.normal(size=(3, 3)), atol=1e-5, rtol=1e-5)


def _cofactors(a: np.ndarray) -> np.ndarray:
    """d det(A) / dA_ij = (-1)^(i+j) det(A without row i and column j), from the minors."""
    n = a.shape[0]
    return np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(a, i, 0), j, 1)) for j in range(n)]
                     for i in range(n)])


@pytest.mark.parametrize("a", [np.array([[1.0, 2, 3], [2, 4, 6], [0, 1, 1]]), np.zeros((2, 2)),
                               np.array([[1.0, 2], [2, 4]])])
def test_det_of_singular_matrices(a):
    """The value is torch's; the gradient is the cofactor matrix (Jacobi's formula, well defined at det = 0).
    torch returns zeros for an exactly singular input (its backward solves with an eps-wiggled LU and a zero
    det), so the gradient is checked against the minors and central differences instead of torch."""
    x = minitorch.tensor(a, requires_grad=True)
    d = minitorch.linalg.det(x)
    assert d.item() == pytest.approx(torch.linalg.det(torch.tensor(a)).item(), abs=1e-12)
    d.backward()
    np.testing.assert_allclose(x.grad.numpy(), _cofactors(a), atol=1e-12)
    assert minitorch.autograd.gradcheck(minitorch.linalg.det, (minitorch.tensor(a, requires_grad=True),))


def test_result_fields_and_dtypes():
    a = RNG.normal(size=(2, 5, 3))
    for driver in (None, "gels", "gelsy", "gelsd", "gelss"):
        check(lambda m, x, y: tuple(m.linalg.lstsq(x, y, driver=driver)), a, RNG.normal(size=(2, 5, 2)))
    mt, th = minitorch.linalg.qr(minitorch.tensor(a), mode="r"), torch.linalg.qr(torch.tensor(a), mode="r")
    assert mt.Q.shape == tuple(th.Q.shape) and np.allclose(mt.R.numpy(), th.R.numpy())
    check(lambda m, x: (m.linalg.slogdet(x).sign, m.linalg.inv_ex(x).info, m.linalg.cholesky_ex(x).info,
                        m.linalg.matrix_rank(x), m.linalg.matrix_rank(x, atol=1.0, rtol=0.1),
                        m.linalg.svd(x).U, m.linalg.svd(x).Vh), a[:, :3] @ a[:, :3].mT, grad=False)
    check(lambda m, x: (m.linalg.cholesky_ex(x).info, m.linalg.matrix_rank(x, hermitian=True)),
          -np.eye(3), grad=False)
    check(lambda m, x: (x.norm(), x.norm("nuc"), x.norm(3, dim=0), x.norm("fro", dim=(0, 1), keepdim=True),
                        m.linalg.norm(x, float("inf")), m.linalg.norm(x, -1, dim=(1, 0)), x.det(), x.logdet(),
                        x.inverse(), x.pinverse(), x.matrix_power(3), m.linalg.multi_dot([x[0], x, x[:, 0]])),
          _spd(3))


@pytest.mark.parametrize("fn", [
    lambda m: m.linalg.inv(m.ones(2, 3)),
    lambda m: m.linalg.inv(m.ones(3, 3, dtype=m.int64)),
    lambda m: m.linalg.inv(m.ones(3)),
    lambda m: m.linalg.det(m.ones(2, 3)),
    lambda m: m.linalg.solve(m.eye(3), m.ones(4)),
    lambda m: m.linalg.svd(m.ones(3, 3, dtype=m.int64)),
    lambda m: m.linalg.eigh(m.ones(2, 3)),
    lambda m: m.linalg.qr(m.ones(2, 3), mode="x"),
    lambda m: m.linalg.solve_triangular(m.eye(3), m.ones(3), upper=True),
    lambda m: m.linalg.vector_norm(m.ones(3, dtype=m.int64)),
    lambda m: m.linalg.matrix_norm(m.ones(3)),
    lambda m: m.linalg.matrix_norm(m.ones(3, 3), ord=3),
    lambda m: m.linalg.norm(m.ones(2, 2, 2), ord=2),
    lambda m: m.linalg.multi_dot([m.ones(2, 2)]),
    lambda m: m.norm(m.ones(3, dtype=m.int64)),
    lambda m: m.linalg.norm(m.ones(3, dtype=m.int64)),
    lambda m: m.linalg.vector_norm(m.ones(3), "fro"),
    lambda m: m.linalg.norm(m.ones(3), "nuc"),
    lambda m: m.linalg.norm(m.ones(3, 3, 3), dim=(0, 1, 2)),
    lambda m: m.linalg.pinv(m.ones(3, 3, dtype=m.int64)),
    lambda m: m.linalg.matrix_rank(m.ones(3)),
    lambda m: m.linalg.matrix_power(m.ones(3), 2),
    lambda m: m.linalg.multi_dot([m.ones(2, 2, 2), m.ones(2, 2)]),
    lambda m: m.linalg.multi_dot([m.ones(2, 2), m.ones(2), m.ones(2, 2)]),
    lambda m: m.linalg.multi_dot([m.ones(2, 3), m.ones(2, 2)]),
    lambda m: m.linalg.multi_dot([m.ones(2, 2), m.ones(2, 2, dtype=m.float64)]),
    lambda m: m.chain_matmul(m.ones(2, 3), m.ones(2, 2)),
    lambda m: m.linalg.matrix_exp(m.ones(2, 2, dtype=m.int64)),
    lambda m: m.cross(m.ones(2, 2), m.ones(2, 2)),
    lambda m: m.linalg.vander(m.ones(3), N=1),
    lambda m: m.linalg.lu_factor(m.ones(3)),
    lambda m: m.linalg.lu_factor(m.ones(2, 2, dtype=m.int64)),
    lambda m: m.linalg.cond(m.ones(3, 3), 3),
    lambda m: m.linalg.inv_ex(m.ones(2, 3)),
    lambda m: m.linalg.lstsq(m.ones(3, 2), m.ones(4, 2)),
    lambda m: m.linalg.eigh(m.eye(3), UPLO="X"),
    lambda m: m.ormqr(m.ones(3, 2), m.ones(2), m.ones(3)),
    lambda m: m.ormqr(m.ones(3, 2), m.ones(2), m.ones(4, 3)),
    lambda m: m.ormqr(m.ones(3, 2), m.ones(2, dtype=m.float64), m.ones(3, 3)),
])
def test_errors(fn):
    same_error(fn)


@pytest.mark.parametrize("fn", [
    lambda m: m.linalg.inv(m.zeros(3, 3)),
    lambda m: m.linalg.inv(m.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])),
    lambda m: m.linalg.inv(m.tensor([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [0.0, 0.0]]])),
    lambda m: m.linalg.cholesky(m.zeros(3, 3)),
    lambda m: m.linalg.cholesky(m.tensor([[1.0, 2.0], [2.0, 1.0]])),
    lambda m: m.linalg.solve(m.zeros(3, 3), m.ones(3)),
])
def test_linalg_errors(fn):
    with pytest.raises(torch.linalg.LinAlgError) as t:
        fn(torch)
    with pytest.raises(minitorch.linalg.LinAlgError) as m:
        fn(minitorch)
    assert str(m.value) == str(t.value)


def test_linalg_error_is_a_runtime_error():
    assert issubclass(minitorch.linalg.LinAlgError, RuntimeError)
    with pytest.raises(minitorch.linalg.LinAlgError):
        minitorch.linalg.cholesky(-minitorch.eye(2))
