"""The affine map of ``nn.Linear`` and the bilinear map of ``nn.Bilinear``, with torch's shape and dtype checks."""
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


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_o = sum_ij x1_i A_oij x2_j + b_o over the last dims of ``input1`` (*, in1) and ``input2`` (*, in2), with
    ``weight`` A (out, in1, in2): x1 A is one matmul, then a product with x2 summed over in2."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
    for a, b in zip(input1.shape[:-1], input2.shape[:-1]):
        if a != b:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match: got {a} and {b}")
    if weight.ndim != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-D (out, in1, in2), got {weight.ndim}-D")
    out, in1, in2 = weight.shape
    if input1.shape[-1] != in1:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but expected {in1}")
    if input2.shape[-1] != in2:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but expected {in2}")
    if bias is not None and bias.shape[0] != out:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but expected {out}")
    lead = tuple(input1.shape[:-1])
    x1 = input1.reshape((-1, in1))
    x2 = input2.reshape((-1, in2))
    u = x1.matmul(weight.permute(1, 0, 2).reshape((in1, out * in2))).reshape((-1, out, in2))
    y = (u * x2.unsqueeze(1)).sum(-1)
    if bias is not None:
        y = y + bias
    return y.reshape(lead + (out,))
