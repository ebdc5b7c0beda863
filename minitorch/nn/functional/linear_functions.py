"""The affine map of ``nn.Linear``, with torch's shape and dtype checks."""
from __future__ import annotations

from minitorch.ops.linear import Linear as _LinearOp
from minitorch._tensor import Tensor


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = input @ weight^T + bias over the last dim of ``input``, as one fused op."""
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {input.ndim}D and {weight.ndim}D"
        )
    if weight.ndim == 1 and bias is None:
        return input.matmul(weight)
    if weight.ndim != 2:
        raise RuntimeError(
            f"linear: weight must be a matrix (or a vector when there is no bias), got shape {list(weight.shape)}"
        )
    if input.shape[-1] != weight.shape[1]:
        rows = input.numel() // input.shape[-1] if input.ndim > 1 and input.shape[-1] else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[1]}x{weight.shape[0]})"
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {input.dtype} != {weight.dtype}"
        )
    if bias is not None:
        if bias.dtype != input.dtype:
            raise RuntimeError(
                f"linear: bias has dtype {bias.dtype} but input and weight have dtype {input.dtype}"
            )
        if bias.shape not in ((weight.shape[0],), (1,), ()):
            raise RuntimeError(
                f"linear: bias of shape {list(bias.shape)} does not match out_features={weight.shape[0]} "
                f"(weight {list(weight.shape)})"
            )
    return _LinearOp.apply(input, weight, bias)
