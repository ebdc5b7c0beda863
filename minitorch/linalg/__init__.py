"""torch.linalg: decompositions, solvers, norms and products of (batches of) matrices, on numpy.linalg kernels."""
from minitorch.ops.blas import linalg_cross as cross
from minitorch.ops.decompositions import LinAlgError
from minitorch.ops.linalg import (
    cholesky, cholesky_ex, det, eig, eigh, eigvals, eigvalsh, inv, inv_ex, lstsq, matrix_exp, matrix_norm, matrix_power, matrix_rank,
    multi_dot, norm, pinv, qr, slogdet, solve, solve_triangular, svd, svdvals, vander, vecdot, vector_norm,
)
from minitorch._tensor import Tensor
from minitorch.linalg._composites import cond, householder_product, solve_ex, tensorinv, tensorsolve
from minitorch.linalg._lu import lu, lu_factor, lu_factor_ex, lu_solve

__all__ = [
    "LinAlgError", "cholesky", "cholesky_ex", "cond", "householder_product", "solve_ex", "tensorinv",
    "tensorsolve", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv", "inv_ex",
    "lstsq", "lu", "lu_factor", "lu_factor_ex", "lu_solve", "matmul", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr", "slogdet",
    "solve", "solve_triangular", "svd", "svdvals", "vander", "vecdot", "vector_norm",
]


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The (offset) diagonals of a batch of matrices, an alias of ``Tensor.diagonal`` with dims -2, -1 by default."""
    return A.diagonal(offset, dim1, dim2)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """The matrix product, an alias of ``minitorch.matmul``."""
    return input.matmul(other)


from minitorch.linalg._spectral import matrix_sqrth, polar  # noqa: E402  (issue 15)
from minitorch.linalg._ldl import ldl_factor, ldl_factor_ex, ldl_solve  # noqa: E402  (issue 15)
