"""Sparse tensors: the names a PyTorch program reaches for, answered by a dense-only framework.

minitorch's tensors are dense numpy arrays, so every constructor or conversion to a sparse layout raises
one RuntimeError that says so; the questions (``is_sparse``, ``layout``) get torch's answers for a dense
tensor, and ``to_dense()`` is the tensor itself, as in torch.
"""
from __future__ import annotations

from typing import Any, NoReturn

from minitorch._dtype import layout, strided
from minitorch._tensor import Tensor

__all__ = ["sparse_coo_tensor", "sparse_csr_tensor", "sparse_csc_tensor", "sparse_bsr_tensor", "sparse_bsc_tensor",
           "SparseMethods"]




def _no_sparse(what: str) -> NoReturn:
    raise RuntimeError(f"{what}: minitorch has no sparse tensors (its tensors are dense numpy arrays); keep the "
                       "data dense, e.g. build it with minitorch.zeros(...) and index assignment")


def sparse_coo_tensor(indices: Any, values: Any, size: Any = None, **kwargs: Any) -> NoReturn:
    _no_sparse("sparse_coo_tensor")


def sparse_csr_tensor(*args: Any, **kwargs: Any) -> NoReturn:
    _no_sparse("sparse_csr_tensor")


def sparse_csc_tensor(*args: Any, **kwargs: Any) -> NoReturn:
    _no_sparse("sparse_csc_tensor")


def sparse_bsr_tensor(*args: Any, **kwargs: Any) -> NoReturn:
    _no_sparse("sparse_bsr_tensor")


def sparse_bsc_tensor(*args: Any, **kwargs: Any) -> NoReturn:
    _no_sparse("sparse_bsc_tensor")


class SparseMethods:
    """The layout questions and conversions of a dense tensor."""

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_sparse_csr(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def layout(self) -> layout:
        return strided

    def to_dense(self: Tensor, dtype: Any = None, *, masked_grad: Any = None) -> Tensor:
        """A dense tensor is its own dense form (a new dtype converts, as ``to(dtype)``)."""
        return self if dtype is None else self.to(dtype)

    def to_sparse(self, *args: Any, **kwargs: Any) -> NoReturn:
        _no_sparse("Tensor.to_sparse")

    def to_sparse_coo(self) -> NoReturn:
        _no_sparse("Tensor.to_sparse_coo")

    def to_sparse_csr(self, *args: Any, **kwargs: Any) -> NoReturn:
        _no_sparse("Tensor.to_sparse_csr")

    def to_sparse_csc(self, *args: Any, **kwargs: Any) -> NoReturn:
        _no_sparse("Tensor.to_sparse_csc")
