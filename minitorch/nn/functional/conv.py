"""Convolutions (``conv1d/2d/3d``, ``conv_transpose1d/2d/3d``) and ``unfold``/``fold``: torch's argument rules
and errors (rank, channels, groups, bias, dtypes, strides, paddings, sizes), then the ops of ``ops.conv``."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch.ops._window import Window
from minitorch.ops.conv import Col2Im, Convolution, ConvolutionTranspose, Im2Col
from minitorch._tensor import Tensor


def ntuple(value: Any, n: int, name: str, fn: str) -> tuple:
    """An int or a sequence of n (or 1) ints as an n-tuple, with torch's error otherwise."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    items = tuple(value) if isinstance(value, Sequence) else (value,)
    if len(items) == 1:
        items = items * n
    if len(items) != n or not all(isinstance(v, (int, np.integer)) for v in items):
        raise RuntimeError(
            f"{fn}: expected {name} to be a single integer value or a list of {n} values to match the "
            f"{'convolution' if 'conv' in fn else 'spatial'} dimensions, but got {name}={list(items)}"
        )
    return tuple(int(v) for v in items)


def _lift(values: tuple, one: int) -> tuple:
    """1-D arguments become 2-D ones over a height of 1."""
    return (one,) + values if len(values) == 1 else values


def make_window(in_size: tuple, kernel: tuple, stride: tuple, dilation: tuple, pads: tuple,
                out_size: tuple | None = None, allow_flat: bool = True) -> Window:
    """A ``Window`` from per-dim arguments (1-D ones lifted to height 1); ``pads`` holds (before, after) pairs.

    With ``allow_flat`` (a convolution) its columns take one of two layouts that copy in long runs: flat
    (see ``_window``) when the stride is 1, the scratch columns cost at most half the output's and the
    output rows are not short; otherwise batch last (see ``ops.conv``). LeNet-5's step at batch 64: 8.41 ->
    7.56 ms with batch-last columns for its second layer (10-wide rows, flat before); the MNIST-1D CNN (stride 2)
    2.01 -> 1.93 ms (SkylakeX; 9.17 -> 8.48 and 1.83 -> 1.77 with the Haswell kernel).
    """
    kernel, stride, dilation = _lift(kernel, 1), _lift(stride, 1), _lift(dilation, 1)
    in_size, pads = _lift(tuple(in_size), 1), ((0, 0),) * (2 - len(pads)) + tuple(pads)
    if out_size is None:
        out_size = tuple((i + p0 + p1 - d * (k - 1) - 1) // s + 1
                         for i, (p0, p1), d, k, s in zip(in_size, pads, dilation, kernel, stride))
    out_size = _lift(tuple(out_size), 1)
    inner = math.prod(i + p0 + p1 for i, (p0, p1) in zip(in_size[1:], pads[1:]))
    flat = (allow_flat and all(s == 1 for s in stride) and 2 * inner <= 3 * math.prod(out_size[1:])
            and out_size[-1] >= _SHORT_ROW)
    return Window(kernel, stride, dilation, sum(pads, ()), in_size, out_size, flat, allow_flat and not flat)


_SHORT_ROW = 16  # output rows shorter than this (under a 64-byte line of float32) take the batch-last columns


# The element type names torch's conv messages print (caffe2's TypeMeta names).
_C_TYPE = {"float16": "c10::Half", "float32": "float", "float64": "double", "uint8": "unsigned char",
           "int8": "signed char", "int16": "short int", "int32": "int", "int64": "long int", "bool": "bool"}


def _check_bias_dtype(fn: str, x: Tensor, b: Tensor | None) -> None:
    """torch's first check of a convolution: the bias has the input's dtype."""
    if b is not None and b.dtype is not x.dtype:
        raise RuntimeError(f"{fn}: Input type ({_C_TYPE[x.dtype.name]}) and bias type ({_C_TYPE[b.dtype.name]}) "
                           "should be the same")


def check_kernel_dtype(kernel: str, x: Tensor, ints: str) -> None:
    """torch's CPU kernel dtype rule: floats, and the integers ``ints`` names ("all" but bool, "int64" alone
    or "none"), else torch's error."""
    d = x.dtype
    ok = {"all": d.np.kind in "iu", "int64": d is _dtype.int64, "none": False}[ints]
    if not (d.is_floating_point or ok):
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.legacy_name(d)}\'')


def _check_dtypes(fn: str, x: Tensor, w: Tensor, b: Tensor | None, kind: str, nd: int, transposed: bool) -> None:
    """The input dtype torch's CPU kernel takes, then the weight's and the bias's dtypes equal to it."""
    if transposed:
        check_kernel_dtype(f"slow_conv_transpose{max(nd, 2)}d_out_cpu", x, "int64")
    else:
        check_kernel_dtype("compute_columns3d" if nd == 3 else "slow_conv2d_cpu", x, "all")
    if w.dtype is not x.dtype:
        raise RuntimeError(f"{fn}: Input type ({x.dtype}) and {kind} type ({w.dtype}) should be the same")
    _check_bias_dtype(fn, x, b)


def _batched(fn: str, input: Tensor, nd: int) -> tuple:
    """(input with a batch dim, whether it had one), after checking the rank."""
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fn}, but got input of size: "
            f"{list(input.shape)}"
        )
    return (input, True) if input.ndim == nd + 2 else (input.unsqueeze(0), False)


def _check_weight(fn: str, weight: Tensor, groups: int, nd: int) -> None:
    if weight.ndim != nd + 2:
        raise RuntimeError(
            f"{fn}: expected weight to be {nd + 2}-dimensional (channels, channels / groups, *kernel_size), but "
            f"got weight of size {list(weight.shape)}"
        )
    if groups <= 0:
        raise RuntimeError(f"{fn}: non-positive groups is not supported")
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"{fn}: Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got "
            f"weight of size {list(weight.shape)} instead"
        )


def _check_bias(fn: str, bias: Tensor | None, weight: Tensor, n: int, transposed: bool) -> None:
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != n):
        raise RuntimeError(
            f"{fn}: Given {'transposed=1, ' if transposed else ''}weight of size {list(weight.shape)}, expected "
            f"bias to be 1-dimensional with {n} elements, but got bias of size {list(bias.shape)} instead"
        )


def _conv_pads(fn: str, padding: Any, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    """(before, after) per dim from an int, a tuple, 'valid' or 'same' (extra padding after, as torch)."""
    nd = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: {padding!r}")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
        return tuple((t // 2, t - t // 2) for t in totals)
    pads = ntuple(padding, nd, "padding", fn)
    if any(p < 0 for p in pads):
        raise RuntimeError(f"{fn}: negative padding is not supported")
    return tuple((p, p) for p in pads)


def _positive(fn: str, stride: tuple, dilation: tuple) -> None:
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"{fn}: non-positive stride is not supported")
    if any(d < 0 for d in dilation):
        raise RuntimeError(f"{fn}: dilation should be greater than zero")
    if any(d == 0 for d in dilation):
        raise RuntimeError(f"{fn}: non-positive dilation is not supported")


def convolution(fn: str, input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
                dilation: Any, groups: int, nd: int) -> Tensor:
    """Checked ``conv{nd}d``: torch's errors, in torch's order, for dtypes, rank, arguments, groups, channels,
    bias and sizes."""
    _check_bias_dtype(fn, input, bias)
    x, batched = _batched(fn, input, nd)
    stride, dilation = ntuple(stride, nd, "stride", fn), ntuple(dilation, nd, "dilation", fn)
    if not isinstance(padding, str) and any(p < 0 for p in ntuple(padding, nd, "padding", fn)):
        raise RuntimeError(f"{fn}: negative padding is not supported")
    _positive(fn, stride, dilation)
    if weight.ndim < 3:
        raise RuntimeError(f"{fn}: weight should have at least three dimensions")
    if weight.ndim != x.ndim:
        raise RuntimeError(
            f"{fn}: Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight"
            f"{list(weight.shape)}, but got {x.ndim}-dimensional input of size {list(x.shape)} instead"
        )
    if groups > weight.shape[0]:
        raise RuntimeError(
            f"{fn}: Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight "
            f"of size {list(weight.shape)} instead"
        )
    _check_weight(fn, weight, groups, nd)
    if x.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(
            f"{fn}: Given groups={groups}, weight of size {list(weight.shape)}, expected input{list(x.shape)} to "
            f"have {weight.shape[1] * groups} channels, but got {x.shape[1]} channels instead"
        )
    _check_bias(fn, bias, weight, weight.shape[0], False)
    _check_dtypes(fn, x, weight, bias, "weight", nd, False)
    kernel = tuple(weight.shape[2:])
    pads = _conv_pads(fn, padding, kernel, stride, dilation)
    padded = [i + p0 + p1 for i, (p0, p1) in zip(x.shape[2:], pads)]
    span = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
    if any(p < s for p, s in zip(padded, span)):
        raise RuntimeError(
            f"{fn}: Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
            f"({' x '.join(map(str, span))}). Kernel size can't be greater than actual input size"
        )
    win = make_window(tuple(x.shape[2:]), kernel, stride, dilation, pads)
    out = Convolution.apply(x, weight, bias, win, groups)
    return out if batched else out.squeeze(0)


def conv_transpose(fn: str, input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
                   output_padding: Any, groups: int, dilation: Any, nd: int) -> Tensor:
    """Checked ``conv_transpose{nd}d``: the adjoint of a convolution whose input would be the result."""
    x, batched = _batched(fn, input, nd)
    _check_weight(fn, weight, groups, nd)
    if x.shape[1] != weight.shape[0]:
        raise RuntimeError(
            f"{fn}: Given transposed=1, weight of size {list(weight.shape)}, expected input{list(x.shape)} to have "
            f"{weight.shape[0]} channels, but got {x.shape[1]} channels instead"
        )
    _check_bias(fn, bias, weight, weight.shape[1] * groups, True)
    _check_dtypes(fn, x, weight, bias, "weight", nd, True)
    stride, dilation = ntuple(stride, nd, "stride", fn), ntuple(dilation, nd, "dilation", fn)
    _positive(fn, stride, dilation)
    if isinstance(padding, str):
        raise RuntimeError(f"{fn}: padding must be an int or a tuple of ints for transposed convolutions, got "
                           f"{padding!r}")
    pad = ntuple(padding, nd, "padding", fn)
    out_pad = ntuple(output_padding, nd, "output_padding", fn)
    if any(p < 0 for p in pad + out_pad):
        raise RuntimeError(f"{fn}: negative padding is not supported")
    if any(op >= s and op >= d for op, s, d in zip(out_pad, stride, dilation)):
        lifted = [(0,) + out_pad, (1,) + stride, (1,) + dilation] if nd == 1 else [out_pad, stride, dilation]
        names = ("depth", "height", "width")[3 - len(lifted[0]):]
        got = " ".join(f"{what}_{n}: {v}" for what, values in zip(("output_padding", "stride", "dilation"), lifted)
                       for n, v in zip(names, values))
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got {got}")
    kernel = tuple(weight.shape[2:])
    size = tuple((i - 1) * s - 2 * p + d * (k - 1) + op + 1
                 for i, s, p, d, k, op in zip(x.shape[2:], stride, pad, dilation, kernel, out_pad))
    if any(s < 1 for s in size):
        raise RuntimeError(
            f"{fn}: Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated output size "
            f"per channel: ({' x '.join(map(str, size))}). Output size is too small"
        )
    win = make_window(size, kernel, stride, dilation, tuple((p, p) for p in pad), tuple(x.shape[2:]))
    out = ConvolutionTranspose.apply(x, weight, bias, win, groups, None)
    return out if batched else out.squeeze(0)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation of (N, C_in, L) with weight (C_out, C_in / groups, k), plus bias."""
    return convolution("conv1d", input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of (N, C_in, H, W) with weight (C_out, C_in / groups, kH, kW), plus bias."""
    return convolution("conv2d", input, weight, bias, stride, padding, dilation, groups, 2)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The adjoint of conv1d ("deconvolution") with weight (C_in, C_out / groups, k), plus bias."""
    return conv_transpose("conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                          dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The adjoint of conv2d ("deconvolution") with weight (C_in, C_out / groups, kH, kW), plus bias."""
    return conv_transpose("conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups,
                          dilation, 2)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D cross-correlation of (N, C_in, D, H, W) with weight (C_out, C_in / groups, kD, kH, kW), plus bias."""
    return convolution("conv3d", input, weight, bias, stride, padding, dilation, groups, 3)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The adjoint of conv3d ("deconvolution") with weight (C_in, C_out / groups, kD, kH, kW), plus bias."""
    return conv_transpose("conv_transpose3d", input, weight, bias, stride, padding, output_padding, groups,
                          dilation, 3)


def _block_window(fn: str, size: tuple, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> Window:
    k, d = ntuple(kernel_size, 2, "kernel_size", fn), ntuple(dilation, 2, "dilation", fn)
    p, s = ntuple(padding, 2, "padding", fn), ntuple(stride, 2, "stride", fn)
    if min(k) <= 0 or min(s) <= 0 or min(d) <= 0 or min(p) < 0:
        raise RuntimeError(
            f"{fn}: kernel_size, stride and dilation must be positive and padding non-negative, but got "
            f"kernel_size={k}, stride={s}, dilation={d}, padding={p}"
        )
    blocks = tuple((i + 2 * pp - dd * (kk - 1) - 1) // ss + 1 for i, pp, dd, kk, ss in zip(size, p, d, k, s))
    if min(blocks) < 1:
        raise RuntimeError(
            f"{fn}: Given input with spatial size {tuple(size)}, kernel_size={k}, dilation={d}, padding={p}, "
            f"calculated shape of the array of sliding blocks as {blocks}, but its components must be at least one."
        )
    return make_window(size, k, s, d, tuple((pp, pp) for pp in p), allow_flat=False)


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Sliding blocks of (N, C, H, W) as columns (N, C * kH * kW, L) (im2col)."""
    if input.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got {input.ndim})")
    if input.ndim != 3 and input.ndim != 4:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    x = input if input.ndim == 4 else input.unsqueeze(0)
    win = _block_window("unfold", tuple(x.shape[2:]), kernel_size, dilation, padding, stride)
    out = Im2Col.apply(x, win)
    return out if input.ndim == 4 else out.squeeze(0)


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Columns (N, C * kH * kW, L) summed back into (N, C, H, W) (col2im, the adjoint of unfold)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"fold: Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
                           f"(got {input.ndim}D)")
    x = input if input.ndim == 3 else input.unsqueeze(0)
    size = ntuple(output_size, 2, "output_size", "fold")
    win = _block_window("fold", size, kernel_size, dilation, padding, stride)
    kh, kw = win.kernel
    if x.shape[1] % (kh * kw):
        raise RuntimeError(
            f"fold: Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={x.shape[1]} and kernel_size={win.kernel}."
        )
    ho, wo = win.out_size
    if x.shape[2] != ho * wo:
        raise RuntimeError(
            f"fold: Given output_size={size}, kernel_size={win.kernel}, dilation={win.dilation}, padding="
            f"{win.padding[::2]}, stride={win.stride}, expected size of input's dimension 2 to match the calculated "
            f"number of sliding blocks {ho} * {wo} = {ho * wo}, but got input.size(2)={x.shape[2]}."
        )
    out = Col2Im.apply(x, win)
    return out if input.ndim == 3 else out.squeeze(0)
