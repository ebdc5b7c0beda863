"""Converters: one function per minitorch op (``Op`` class) that writes the op as ONNX nodes.

Each converter gets a ``Call`` (the op's arguments, their ONNX names, shapes and dynamic dims) and
returns the ONNX name of each output (None for an output it does not produce, such as the indices of a
max pool). ``CONVERTERS`` maps the op classes to them; an op missing here fails the export by name.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from minitorch._tensor import Tensor
from minitorch.nn.modules._hooks import BackwardHookFunction
from minitorch.onnx._graph import INT64_MAX, Call
from minitorch.ops import activation as act, arithmetic as ar, copy as cp, indexing as ix, pointwise as pw
from minitorch.ops import reduction as red, shape as sh
from minitorch.ops.attention import ScaledDotProductAttention
from minitorch.ops.comparison import Maximum, Minimum
from minitorch.ops.conv import Convolution, ConvolutionTranspose
from minitorch.ops.embedding import Embedding
from minitorch.ops.linalg import MatMul
from minitorch.ops.linear import Linear
from minitorch.ops.normalization import NativeBatchNorm, NativeLayerNorm
from minitorch.ops.padding import ConstantPadNd
from minitorch.ops.pooling import AvgPool2D, MaxPool2DWithIndices
from minitorch.ops.special import Erf

CONVERTERS: dict = {}


def converts(*classes: type) -> Any:
    def register(fn: Any) -> Any:
        for cls in classes:
            CONVERTERS[cls] = fn
        return fn
    return register


def _dtype_of(c: Call) -> np.dtype:
    """The dtype of the op's first tensor operand (for the constants it adds)."""
    for a in c.args:
        if isinstance(a, Tensor):
            return a._data.dtype
    return np.dtype(np.float32)


def _operand(c: Call, a: Any) -> str:
    """A tensor operand's name, or a Python number as a constant of the op's dtype."""
    if isinstance(a, Tensor):
        return c.name(a)
    return c.g.scalar(a, _dtype_of(c))


def _unary(onnx_op: str) -> Any:
    return lambda c: c.g.op(onnx_op, c.x(0))


def _binary(onnx_op: str) -> Any:
    return lambda c: c.g.op(onnx_op, _operand(c, c.args[0]), _operand(c, c.args[1]))


for _cls, _name in ((act.Relu, "Relu"), (act.Sigmoid, "Sigmoid"), (act.Tanh, "Tanh"), (pw.Exp, "Exp"),
                    (pw.Log, "Log"), (pw.Sqrt, "Sqrt"), (pw.Abs, "Abs"), (pw.Sin, "Sin"), (pw.Cos, "Cos"),
                    (pw.Sign, "Sign"), (ar.Neg, "Neg"), (ar.Reciprocal, "Reciprocal"), (Erf, "Erf"),
                    (cp.Clone, "Identity")):
    CONVERTERS[_cls] = _unary(_name)
for _cls, _name in ((ar.Add, "Add"), (ar.AddScalar, "Add"), (ar.Sub, "Sub"), (ar.Mul, "Mul"), (ar.MulScalar, "Mul"),
                    (ar.Div, "Div"), (ar.Pow, "Pow"), (Maximum, "Max"), (Minimum, "Min"), (MatMul, "MatMul")):
    CONVERTERS[_cls] = _binary(_name)


@converts(BackwardHookFunction)
def _identity_all(c: Call) -> list:
    return [c.g.op("Identity", c.x(i)) for i in range(len(c.args))]


@converts(pw.Rsqrt)
def _rsqrt(c: Call) -> str:
    return c.g.op("Reciprocal", c.g.op("Sqrt", c.x(0)))


@converts(act.LeakyRelu)
def _leaky_relu(c: Call) -> str:
    return c.g.op("LeakyRelu", c.x(0), alpha=float(c.args[1]))


@converts(act.Elu)
def _elu(c: Call) -> str:
    return c.g.op("Elu", c.x(0), alpha=float(c.args[1]))


@converts(act.Hardtanh)
def _hardtanh(c: Call) -> str:
    dt = _dtype_of(c)
    return c.g.op("Clip", c.x(0), c.g.scalar(c.args[1], dt), c.g.scalar(c.args[2], dt))


@converts(act.Hardswish)
def _hardswish(c: Call) -> str:
    """HardSwish (opset 14), else x * HardSigmoid(x) with alpha 1/6, beta 1/2 (= clip(x + 3, 0, 6) / 6)."""
    if c.opset >= 14:
        return c.g.op("HardSwish", c.x(0))
    return c.g.op("Mul", c.x(0), c.g.op("HardSigmoid", c.x(0), alpha=1 / 6, beta=0.5))


@converts(act.Silu)
def _silu(c: Call) -> str:
    x = c.x(0)
    return c.g.op("Mul", x, c.g.op("Sigmoid", x))


@converts(act.Softplus)
def _softplus(c: Call) -> str:
    """where(beta x > threshold, x, log(1 + exp(beta x)) / beta)."""
    g, x, dt = c.g, c.x(0), _dtype_of(c)
    bx = g.op("Mul", x, g.scalar(c.args[1], dt))
    soft = g.op("Div", g.op("Softplus", bx), g.scalar(c.args[1], dt))
    return g.op("Where", g.op("Greater", bx, g.scalar(c.args[2], dt)), x, soft)


@converts(act.Gelu)
def _gelu(c: Call) -> str:
    """Gelu (opset 20), else x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), or its tanh approximation."""
    g, x, dt, approx = c.g, c.x(0), _dtype_of(c), c.args[1]
    if c.opset >= 20:
        return g.op("Gelu", x, approximate=approx)
    if approx == "tanh":
        cube = g.op("Mul", g.scalar(0.044715, dt), g.op("Mul", x, g.op("Mul", x, x)))
        inner = g.op("Tanh", g.op("Mul", g.scalar(math.sqrt(2 / math.pi), dt), g.op("Add", x, cube)))
    else:
        inner = g.op("Erf", g.op("Div", x, g.scalar(math.sqrt(2.0), dt)))
    return g.op("Mul", g.op("Mul", x, g.scalar(0.5, dt)), g.op("Add", inner, g.scalar(1.0, dt)))


@converts(act.Softmax, act.LogSoftmax)
def _softmax(c: Call) -> str:
    if c.args[1] is None:
        raise c.unsupported("softmax of a 0-d tensor")
    return c.g.op("Softmax" if c.cls is act.Softmax else "LogSoftmax", c.x(0), axis=int(c.args[1]))


@converts(Linear)
def _linear(c: Call) -> str:
    """Gemm(x, W, b, transB=1) for 2-D x, else MatMul(x, W^T) + b."""
    g, x, w, b = c.g, c.args[0], c.args[1], c.args[2]
    if x.ndim == 2 and (b is None or b.ndim <= 1):
        inputs = [c.name(x), c.name(w)] + ([c.name(b)] if b is not None else [])
        return g.op("Gemm", *inputs, transB=1)
    wt = c.rec.constant(w)
    wt_name = g.initializer(wt.T) if wt is not None else g.op("Transpose", c.name(w), perm=[1, 0])
    y = g.op("MatMul", c.name(x), wt_name)
    return g.op("Add", y, c.name(b)) if b is not None else y


def _window_attrs(win: Any, nd: int) -> dict:
    """kernel_shape, strides, dilations and pads (begins then ends) of an nd-spatial-dim window."""
    k = len(win.kernel)
    pads = [win.padding[2 * i] for i in range(k)] + [win.padding[2 * i + 1] for i in range(k)]
    return {"kernel_shape": list(win.kernel[k - nd:]), "strides": list(win.stride[k - nd:]),
            "dilations": list(win.dilation[k - nd:]), "pads": pads[k - nd:k] + pads[2 * k - nd:]}


@converts(Convolution)
def _conv(c: Call) -> str:
    x, w, b, win, groups = c.args
    nd = x.ndim - 2
    if nd < 1:
        raise c.unsupported("an unbatched convolution")
    inputs = [c.name(x), c.name(w)] + ([c.name(b)] if b is not None else [])
    return c.g.op("Conv", *inputs, group=int(groups), **_window_attrs(win, nd))


@converts(ConvolutionTranspose)
def _conv_transpose(c: Call) -> str:
    """ConvTranspose with the forward window's padding; output_padding makes up the rest of the output size."""
    y, w, b, win, groups, _ = c.args
    nd = y.ndim - 2
    if nd < 1:
        raise c.unsupported("an unbatched transposed convolution")
    attrs = _window_attrs(win, nd)
    pads, k = attrs["pads"], len(win.kernel)
    extra = [n - ((i - 1) * s - pb - pe + d * (kk - 1) + 1) for n, i, s, pb, pe, d, kk in
             zip(win.in_size[k - nd:], y.shape[2:], attrs["strides"], pads[:nd], pads[nd:], attrs["dilations"],
                 attrs["kernel_shape"])]
    inputs = [c.name(y), c.name(w)] + ([c.name(b)] if b is not None else [])
    return c.g.op("ConvTranspose", *inputs, group=int(groups), output_padding=extra, **attrs)


@converts(ConstantPadNd)
def _pad(c: Call) -> str:
    """torch's pad pairs (last dim first) as ONNX's begins then ends over every dim; negative pads crop."""
    x, pad, value = c.args
    begins, ends = [0] * x.ndim, [0] * x.ndim
    for i in range(len(pad) // 2):
        begins[x.ndim - 1 - i], ends[x.ndim - 1 - i] = int(pad[2 * i]), int(pad[2 * i + 1])
    return c.g.op("Pad", c.x(0), c.g.ints(begins + ends), c.g.scalar(value, x._data.dtype), mode="constant")


@converts(MaxPool2DWithIndices)
def _max_pool(c: Call) -> list:
    x, win, nd = c.args
    if x.ndim != nd + 2:
        raise c.unsupported("an unbatched max pool")
    return [c.g.op("MaxPool", c.x(0), **_window_attrs(win, nd)), None]


@converts(AvgPool2D)
def _avg_pool(c: Call) -> str:
    """AveragePool counting the padding (a sum over the kernel size), then rescaled to torch's divisor."""
    x, win, divisor, nd = c.args
    if x.ndim != nd + 2:
        raise c.unsupported("an unbatched average pool")
    attrs = _window_attrs(win, nd)
    attrs.pop("dilations")
    y = c.g.op("AveragePool", c.x(0), count_include_pad=1, **attrs)
    scale = np.asarray(math.prod(attrs["kernel_shape"]) / divisor, x._data.dtype)
    if np.all(scale == 1):
        return y
    return c.g.op("Mul", y, c.g.initializer(scale))


@converts(NativeBatchNorm)
def _batch_norm(c: Call) -> str:
    x, w, b, mean, var, training, _, eps = c.args
    if training or mean is None:
        raise c.unsupported("batch norm with batch statistics (export in eval mode)")
    dt, ch = x._data.dtype, x.shape[1]
    scale = c.name(w) if w is not None else c.g.initializer(np.ones(ch, dt))
    shift = c.name(b) if b is not None else c.g.initializer(np.zeros(ch, dt))
    return c.g.op("BatchNormalization", c.name(x), scale, shift, c.name(mean), c.name(var), epsilon=float(eps))


def reduce(c: Call, op: str, x: str, axes: Any, keepdims: bool) -> str:
    """A Reduce* node over ``axes`` (an attribute before opset 18, an input from 18; ReduceSum's from 13)."""
    if op == "ReduceSum" or c.opset >= 18:
        return c.g.op(op, x, c.g.ints(axes), keepdims=int(keepdims))
    return c.g.op(op, x, axes=list(axes), keepdims=int(keepdims))


@converts(NativeLayerNorm)
def _layer_norm(c: Call) -> str:
    """LayerNormalization (opset 17), else (x - mean) / sqrt(var + eps) * w + b over the trailing dims."""
    x, w, b, _, shape, eps = c.args
    g, k, dt = c.g, len(shape), x._data.dtype
    xn = c.name(x)
    if c.opset >= 17:
        scale = c.name(w) if w is not None else g.initializer(np.ones(shape, dt))
        inputs = [xn, scale] + ([c.name(b)] if b is not None else [])
        return g.op("LayerNormalization", *inputs, axis=-k, epsilon=float(eps))
    axes = list(range(-k, 0))
    d = g.op("Sub", xn, reduce(c, "ReduceMean", xn, axes, True))
    var = reduce(c, "ReduceMean", g.op("Mul", d, d), axes, True)
    y = g.op("Div", d, g.op("Sqrt", g.op("Add", var, g.scalar(eps, dt))))
    if w is not None:
        y = g.op("Mul", y, c.name(w))
    return g.op("Add", y, c.name(b)) if b is not None else y


@converts(Embedding)
def _embedding(c: Call) -> str:
    return c.g.op("Gather", c.x(0), c.x(1), axis=0)


@converts(ScaledDotProductAttention)
def _sdpa(c: Call) -> str:
    """softmax(scale Q K^T + bias) V, as primitive ops."""
    q, k, v, bias, keep, scale = c.args
    if keep is not None:
        raise c.unsupported("attention dropout (export in eval mode, with dropout_p=0)")
    g, dt = c.g, q._data.dtype
    perm = list(range(k.ndim))
    perm[-1], perm[-2] = perm[-2], perm[-1]
    s = g.op("MatMul", c.name(q), g.op("Transpose", c.name(k), perm=perm))
    s = g.op("Mul", s, g.scalar(scale, dt))
    if bias is not None:
        s = g.op("Add", s, c.name(bias))
    return g.op("MatMul", g.op("Softmax", s, axis=-1), c.name(v))


@converts(sh.View, sh.Squeeze, sh.Unsqueeze)
def _view(c: Call) -> str:
    x, shape = c.args[0], c.outs[0].shape
    return c.g.op("Reshape", c.x(0), c.shape_const(tuple(shape), c.out_dyn[0], tuple(x.shape), c.in_dyn(x)))


@converts(sh.Permute)
def _permute(c: Call) -> str:
    return c.g.op("Transpose", c.x(0), perm=[int(d) for d in c.args[1]])


@converts(sh.Transpose, sh.T)
def _transpose(c: Call) -> str:
    n = c.args[0].ndim
    perm = list(range(n))[::-1] if c.cls is sh.T else list(range(n))
    if c.cls is sh.Transpose:
        d0, d1 = c.args[1], c.args[2]
        perm[d0], perm[d1] = perm[d1], perm[d0]
    return c.g.op("Transpose", c.x(0), perm=perm)


@converts(sh.Expand)
def _expand(c: Call) -> str:
    """Expand to the target shape, a dynamic dim written as 1 (kept from the input by broadcasting)."""
    x, shape = c.args
    lead = len(shape) - x.ndim
    in_dyn = c.in_dyn(x)
    target = list(shape)
    for i, d in enumerate(c.out_dyn[0]):
        if d:
            j = i - lead
            if j < 0 or j >= len(in_dyn) or not in_dyn[j]:
                raise c.unsupported(f"an expand of a constant dim to the dynamic dim {i}")
            target[i] = 1
    return c.g.op("Expand", c.x(0), c.g.ints(target))


@converts(sh.Repeat)
def _repeat(c: Call) -> str:
    x, sizes = c.args
    name = c.x(0)
    if len(sizes) > x.ndim:
        name = c.g.op("Unsqueeze", name, c.g.ints(range(len(sizes) - x.ndim)))
    return c.g.op("Tile", name, c.g.ints(sizes))


@converts(sh.Cat)
def _cat(c: Call) -> str:
    dim = c.args[0]
    return c.g.op("Concat", *[c.name(t) for t in c.args[1:]], axis=int(dim))


@converts(sh.Stack)
def _stack(c: Call) -> str:
    dim = int(c.args[0])
    parts = [c.g.op("Unsqueeze", c.name(t), c.g.ints([dim])) for t in c.args[1:]]
    return c.g.op("Concat", *parts, axis=dim)


@converts(sh.Split)
def _split(c: Call) -> list:
    x, sizes, dim = c.args
    if len(sizes) == 1:
        return [c.g.op("Identity", c.x(0))]
    return c.g.op("Split", c.x(0), c.g.ints(sizes), axis=int(dim), n_out=len(sizes))


_REDUCE = {red.Sum: "ReduceSum", red.Mean: "ReduceMean", red.Amax: "ReduceMax", red.Amin: "ReduceMin",
           red.MaxAll: "ReduceMax", red.MinAll: "ReduceMin"}


@converts(*_REDUCE)
def _reduce(c: Call) -> str:
    x, dims, keepdim = c.args
    dims = tuple(range(x.ndim)) if dims is None else (dims if isinstance(dims, tuple) else (dims,))
    return _reduce_nodes(c, _REDUCE[c.cls], c.x(0), dims, bool(keepdim))


@converts(red.Max, red.Min)
def _max_dim(c: Call) -> list:
    """(values, indices) along one dim: ReduceMax / ReduceMin and ArgMax / ArgMin (the first hit, as numpy)."""
    x, dim, keepdim = c.args
    is_max = c.cls is red.Max
    values = _reduce_nodes(c, "ReduceMax" if is_max else "ReduceMin", c.x(0), (dim,), bool(keepdim))
    indices = c.g.op("ArgMax" if is_max else "ArgMin", c.x(0), axis=int(dim), keepdims=int(bool(keepdim)))
    return [values, indices]


def _reduce_nodes(c: Call, op: str, x: str, dims: tuple, keepdim: bool) -> str:
    if op in ("ReduceMax", "ReduceMin") and c.opset < 18:
        return c.g.op(op, x, axes=list(dims), keepdims=int(keepdim))
    return reduce(c, op, x, dims, keepdim)


@converts(red.Var, red.Std)
def _var(c: Call) -> str:
    """sum((x - mean)^2) / (N - correction) over dims (its square root for std)."""
    x, dims, keepdim, correction = c.args
    dyn = c.in_dyn(x)
    if any(d < len(dyn) and dyn[d] for d in dims):
        raise c.unsupported("a variance over a dynamic axis")
    g, dt = c.g, x._data.dtype
    d = g.op("Sub", c.x(0), reduce(c, "ReduceMean", c.x(0), dims, True))
    n = math.prod(x.shape[i] for i in dims) - correction
    v = g.op("Div", reduce(c, "ReduceSum", g.op("Mul", d, d), dims, bool(keepdim)), g.scalar(n, dt))
    return g.op("Sqrt", v) if c.cls is red.Std else v


@converts(red.Logsumexp)
def _logsumexp(c: Call) -> str:
    """m + log(sum(exp(x - m))) with m the max over dims (stable)."""
    x, dims, keepdim = c.args
    g, dims = c.g, tuple(dims)
    m = _reduce_nodes(c, "ReduceMax", c.x(0), dims, True)
    s = g.op("Log", reduce(c, "ReduceSum", g.op("Exp", g.op("Sub", c.x(0), m)), dims, bool(keepdim)))
    return g.op("Add", s, m if keepdim else g.op("Squeeze", m, g.ints(dims)))


@converts(red.Cumsum)
def _cumsum(c: Call) -> str:
    if c.args[1] is None:
        return c.g.op("Identity", c.x(0))
    return c.g.op("CumSum", c.x(0), c.g.initializer(np.array(c.args[1], np.int64)))


@converts(sh.Flip)
def _flip(c: Call) -> str:
    dims = [int(d) for d in c.args[1]]
    g = c.g
    return g.op("Slice", c.x(0), g.ints([-1] * len(dims)), g.ints([-INT64_MAX - 1] * len(dims)), g.ints(dims),
                g.ints([-1] * len(dims)))


@converts(pw.Clamp, pw.ClampTensor)
def _clamp(c: Call) -> str:
    """Clip for number bounds; Max then Min for tensor bounds."""
    x, lo, hi = c.args
    if c.cls is pw.ClampTensor:
        return c.g.op("Min", c.g.op("Max", c.x(0), c.name(lo)), c.name(hi))
    dt = x._data.dtype
    bounds = [c.g.scalar(v, dt) if v is not None else "" for v in (lo, hi)]
    return c.g.op("Clip", c.x(0), *bounds) if hi is not None else c.g.op("Clip", c.x(0), bounds[0])


@converts(cp.ToDtype)
def _to_dtype(c: Call) -> str:
    to = c.g.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(c.outs[0]._data.dtype))
    return c.g.op("Cast", c.x(0), to=to)


def _select_side(c: Call, v: Any, like: Any, dt: np.dtype) -> str:
    """One side of a select: a tensor's name, or a number; a constant filled with one value and shaped like the
    condition is written as that number, so a constant of the traced batch size does not pin a dynamic axis."""
    if isinstance(v, (Tensor, np.ndarray)):
        value = c.rec.constant(v)
        if value is None or value.size == 0 or np.shape(value) != np.shape(like) or np.any(value != value.flat[0]):
            return c.name(v)
        v = value.flat[0]
    return c.g.scalar(v, dt)


@converts(ix.Where)
def _where(c: Call) -> str:
    cond, x, y = c.args
    dt = c.outs[0]._data.dtype
    return c.g.op("Where", c.name(cond), _select_side(c, x, cond, dt), _select_side(c, y, cond, dt))


@converts(ix.MaskedFill)
def _masked_fill(c: Call) -> str:
    x, mask, value = c.args
    dt = x._data.dtype
    return c.g.op("Where", c.name(mask), _select_side(c, value, mask, dt), _select_side(c, x, mask, dt))


@converts(ix.Index)
def _index(c: Call) -> str:
    """Basic indexing as one Slice (ints as length-1 slices), a Squeeze of the int dims and an Unsqueeze for
    each None; one integer array on a dim (the rest full slices) as a Gather."""
    x, items = c.args
    g = c.g
    n_ell = x.ndim - sum(1 for i in items if i is not None and i is not Ellipsis)
    expanded = []
    for it in items:
        expanded.extend([slice(None)] * n_ell if it is Ellipsis else [it])
    arrays = [(d, it) for d, it in enumerate(expanded) if isinstance(it, np.ndarray)]
    if arrays:
        if len(arrays) > 1 or any(it is None or not (isinstance(it, slice) and it == slice(None))
                                  for it in expanded if not isinstance(it, np.ndarray)):
            raise c.unsupported("advanced indexing other than one integer index array on one dim")
        d, idx = arrays[0]
        if idx.dtype == np.bool_:
            raise c.unsupported("indexing with a boolean mask")
        return g.op("Gather", c.x(0), c.name(idx.astype(np.int64)), axis=d)
    starts, ends, axes, steps, squeeze, unsqueeze = [], [], [], [], [], []
    dim = out = 0
    for it in expanded:
        if it is None:
            unsqueeze.append(out)
            out += 1
            continue
        if isinstance(it, slice):
            if it != slice(None):
                starts.append(0 if it.start is None else int(it.start))
                ends.append(INT64_MAX if it.stop is None else int(it.stop))
                axes.append(dim)
                steps.append(1 if it.step is None else int(it.step))
            out += 1
        else:
            i = int(it)
            starts.append(i)
            ends.append(INT64_MAX if i == -1 else i + 1)
            axes.append(dim)
            steps.append(1)
            squeeze.append(dim)
        dim += 1
    y = c.x(0)
    if axes:
        y = g.op("Slice", y, g.ints(starts), g.ints(ends), g.ints(axes), g.ints(steps))
    if squeeze:
        y = g.op("Squeeze", y, g.ints(squeeze))
    if unsqueeze:
        y = g.op("Unsqueeze", y, g.ints(unsqueeze))
    return y if y != c.x(0) else g.op("Identity", y)
