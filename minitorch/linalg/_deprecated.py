"""torch's deprecated top-level forms of the LU and triangular solvers (``torch.lu``, ``torch.lu_solve``,
``torch.triangular_solve``), as the ``linalg`` functions that replace them, with their argument orders."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

from minitorch._tensor import Tensor
from minitorch.linalg import lu_factor_ex, lu_solve as _lu_solve, solve_triangular

TriangularSolveResult = namedtuple("triangular_solve", ["solution", "cloned_coefficient"])


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> tuple:
    """(LU, pivots), and the ``info`` of each matrix with ``get_infos``: ``linalg.lu_factor_ex(A, pivot=pivot)``."""
    LU, pivots, info = lu_factor_ex(A, pivot=pivot)
    return (LU, pivots, info) if get_infos else (LU, pivots)


def lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """X with A X = b for A given by its LU factorization: ``linalg.lu_solve(LU_data, LU_pivots, b)``."""
    return _lu_solve(LU_data, LU_pivots, b)


def triangular_solve(b: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False) -> Any:
    """(X, a copy of A) with op(A) X = b for a triangular A (op(A) = A^T with ``transpose``)."""
    if A.dim() < 2 or b.dim() < 2:
        raise RuntimeError(f"torch.triangular_solve: The input tensor {'A' if A.dim() < 2 else 'B'} must have at "
                           f"least 2 dimensions.")
    coefficient = A.mT if transpose else A
    x = solve_triangular(coefficient, b, upper=upper != transpose, unitriangular=unitriangular)
    return TriangularSolveResult(x, A.clone())
