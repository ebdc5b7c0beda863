"""Creating tensors: from data, filled, ranges, random; joining and selecting (``minitorch.cat``, ``where``...)."""
from __future__ import annotations

import builtins
import math
import numbers
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._convert import _INT_BOUNDS, _to_integer
from minitorch.autograd.function import Op
from minitorch.ops._util import unbroadcast
from minitorch.random import Generator, _rng
from minitorch._tensor import Tensor, _shape_arg, _to_array
from minitorch._tensor import require_cpu as _device
from minitorch.ops._args import _int_arg, _invalid_args


def _finish(arr: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(arr)
    if requires_grad:
        t.requires_grad_()
    return t


def _float_dtype(dtype: Any) -> np.dtype:
    return (_dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()).np


def _sampling_dtype(dtype: Any, kernel: str) -> np.dtype:
    """The floating dtype to sample in; torch has no sampling kernel for integer or bool dtypes."""
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.legacy_name(dt)}\'')
    return dt.np


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor copying ``data`` (floats become float32, ints int64, bools bool)."""
    if device is not None:
        _device(device)
    return _finish(np.array(_to_array(data, dtype), copy=True), requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a numpy array or tensor when the dtype already matches."""
    if device is not None:
        _device(device)
    if isinstance(data, Tensor) and (dtype is None or _dtype.to_dtype(dtype) is data.dtype):
        return data
    return Tensor._make(_to_array(data, dtype))


def from_numpy(arr: np.ndarray) -> Tensor:
    """A tensor sharing memory with the numpy array ``arr`` (same dtype)."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(arr).__name__})")
    _dtype.from_numpy_dtype(arr.dtype)
    return Tensor._make(arr)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given size."""
    if device is not None:
        _device(device)
    shape = _shape_arg(size)
    if any(s < 0 for s in shape):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    return _finish(np.zeros(shape, _float_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given size."""
    if device is not None:
        _device(device)
    return _finish(np.ones(_checked(size), _float_dtype(dtype)), requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor (here: zeros, since numpy memory reuse would make tests flaky)."""
    if device is not None:
        _device(device)
    return _finish(np.zeros(_checked(size), _float_dtype(dtype)), requires_grad)


def full(size: Sequence[int], fill_value: Any, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value`` (its dtype follows the value, like torch)."""
    if device is not None:
        _device(device)
    if not isinstance(fill_value, (int, float, bool, np.number, np.bool_)):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}")
    if isinstance(fill_value, np.number):
        fill_value = fill_value.item()  # a numpy number fills as the Python number it holds, as in torch
    dt = _dtype.to_dtype(dtype).np if dtype is not None else _dtype.scalar_dtype(fill_value).np
    shape = _checked((size,))
    return _finish(np.full(shape, _fill_value(fill_value, dt, math.prod(shape)), dt), requires_grad)


def _fill_value(value: Any, dt: np.dtype, numel: int) -> Any:
    """``value`` as torch converts a fill scalar to ``dt``, with its overflow errors.

    An int must lie in int64 or uint64; it, or a float truncated, must then fit an integer dtype (a
    negative int wraps into an unsigned one down to -max); a finite number must not exceed float32's or
    float16's largest value (torch skips the float16 check for a one-element fill: inf there). Bools
    and float64 take any number.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value >= 2**64:
            raise OverflowError("int too big to convert")
        if value < -2**63:
            raise OverflowError("can't convert negative int to unsigned")
    if dt == np.bool_:
        return bool(value)
    if isinstance(value, bool) or dt == np.float64:
        return value
    overflow = f"value cannot be converted to type {_dtype._C_TYPE[dt.name]} without overflow"
    if dt.kind == "f":
        if math.isfinite(value) and abs(value) > float(np.finfo(dt).max) and not (dt == np.float16 and numel == 1):
            raise RuntimeError(overflow)
        return _narrow(value, dt)
    return _to_integer(value, dt, overflow)


def _narrow(v: float, dt: np.dtype) -> Any:
    """A number as a ``dt`` float: inf beyond its range, as torch converts it (numpy would warn)."""
    with np.errstate(over="ignore"):
        return dt.type(v)


def _checked(size: tuple) -> tuple:
    shape = _shape_arg(size)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {builtins.min(shape)}: {list(shape)}")
    return shape


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros shaped like ``input``."""
    if device is not None:
        _device(device)
    return zeros(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones shaped like ``input``."""
    if device is not None:
        _device(device)
    return ones(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised (here: zero) tensor shaped like ``input``."""
    if device is not None:
        _device(device)
    return empty(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """A tensor shaped like ``input`` filled with ``fill_value``."""
    if device is not None:
        _device(device)
    return full(input.shape, fill_value, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def rand_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform [0, 1) samples shaped like ``input``."""
    if device is not None:
        _device(device)
    return rand(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples shaped like ``input``."""
    if device is not None:
        _device(device)
    return randn(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from [low, high), shaped like ``input``."""
    if device is not None:
        _device(device)
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def _scalar_str(v: Any) -> str:
    """A bound as torch prints it in messages (1.0 as 1, inf as inf)."""
    return str(v) if isinstance(v, (int, np.integer)) else f"{v:g}"


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 unless a bound is a float."""
    if device is not None:
        _device(device)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_scalar_str(start)} -> {_scalar_str(end)}")
    if (end - start) * step < 0:
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign (start={start}, end={end}, step={step})")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dt = _dtype.get_default_dtype().np if is_float else np.int64
    else:
        dt = _dtype.to_dtype(dtype).np
    n = math.ceil((end - start) / step)
    return _finish((start + np.arange(n, dtype=np.float64) * step).astype(dt) if np.dtype(dt).kind == "f"
                   else np.arange(start, end, step, dtype=dt), requires_grad)


def _check_space_args(name: str, start: Any, end: Any, steps: Any, extra: str = "") -> None:
    """torch's argument checks of linspace / logspace: an integer ``steps`` and 0-dim tensor bounds."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer, Tensor)):
        rest = f"int steps{extra}, *, dtype = None, device = None, requires_grad = False"
        raise _invalid_args(name, (start, end, steps), (f"Number start, Number end, {rest}",
                                                        f"Tensor start, Tensor end, {rest}"))
    bad = [f"{what} with {v.ndim} dimension(s)" for what, v in (("start", start), ("end", end))
           if isinstance(v, Tensor) and v.ndim != 0]
    if bad:
        raise RuntimeError(
            f"{name} only supports 0-dimensional start and end tensors, but got {' and '.join(bad)}."
        )
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")


def linspace(start: float, end: float, steps: int, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    if device is not None:
        _device(device)
    _check_space_args("linspace", start, end, steps)
    return _finish(np.linspace(start, end, steps).astype(_float_dtype(dtype)), requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` values base**x for x evenly spaced from ``start`` to ``end`` inclusive."""
    if device is not None:
        _device(device)
    _check_space_args("logspace", start, end, steps, ", float base = 10.0")
    return _finish(np.logspace(start, end, steps, base=base).astype(_float_dtype(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """The identity matrix (n x m)."""
    if device is not None:
        _device(device)
    for name, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    return _finish(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad)


def rand(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1)."""
    if device is not None:
        _device(device)
    dt = _sampling_dtype(dtype, "check_uniform_bounds")
    return _finish(_rng(generator).random(_checked(size)).astype(dt), requires_grad)


def randn(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal samples."""
    if device is not None:
        _device(device)
    dt = _sampling_dtype(dtype, "normal_kernel_cpu")
    return _finish(_rng(generator).standard_normal(_checked(size)).astype(dt), requires_grad)


def randint(low: int, high: Any = None, size: Sequence[int] | None = None, generator: Any = None,
            dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from [low, high) (``randint(high, size)`` starts at 0)."""
    if device is not None:
        _device(device)
    named_low = not (high is None or isinstance(high, (tuple, list)))
    if not named_low:
        low, high, size = 0, low, high if high is not None else size
    if size is None:
        raise TypeError("randint() missing 1 required positional argument: 'size'")
    if named_low:
        low = _int_arg(low, "randint", "low", 1)
    high = _int_arg(high, "randint", "high", 2 if named_low else 1)
    if not (-2**63 <= low < 2**63 and -2**63 <= high < 2**63):
        raise ValueError("Overflow when unpacking long long")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dt = _dtype.to_dtype(dtype).np if dtype is not None else np.dtype(np.int64)
    if dt.kind in "biu":
        lowest, highest = (0, 1) if dt == np.bool_ else (_INT_BOUNDS[dt][2], _INT_BOUNDS[dt][1])
        for name, v in (("from", low), ("to - 1", high - 1)):
            if not lowest <= v <= highest:
                raise RuntimeError(f"{name} is out of bounds for {_RANDINT_C_NAMES[dt]}")
    return _finish(_rng(generator).integers(low, high, _checked((size,))).astype(dt), requires_grad)


# the C type names of torch's random_ bound errors
_RANDINT_C_NAMES = {np.dtype(np.bool_): "bool", np.dtype(np.uint8): "unsigned char", np.dtype(np.int8): "signed char",
                    np.dtype(np.int16): "short int", np.dtype(np.int32): "int", np.dtype(np.int64): "long int"}
# the largest n whose permutation a float dtype holds exactly, as torch words it
_RANDPERM_FLOAT_LIMITS = {np.dtype(np.float16): (2049, "2049", "Half"),
                          np.dtype(np.float32): (2**24 + 1, "2^24+1", "Float"),
                          np.dtype(np.float64): (2**53 + 1, "2^53+1", "Double")}


def randperm(n: int, generator: Any = None, dtype: Any = None) -> Tensor:
    """A random permutation of 0..n-1."""
    n = _int_arg(n, "randperm", "n", 1)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = _dtype.to_dtype(dtype).np if dtype is not None else np.dtype(np.int64)
    if dt == np.bool_:
        raise NotImplementedError('"randperm" not implemented for \'Bool\'')
    if dt.kind == "f":
        limit, text, name = _RANDPERM_FLOAT_LIMITS[dt]
        if n > limit:
            raise RuntimeError(f"n cannot be greater than {text} for {name} type.")
    elif n - 1 > _INT_BOUNDS[dt][1]:
        raise RuntimeError(f"value cannot be converted to type {_dtype._C_TYPE[dt.name]} without overflow")
    return Tensor._make(_rng(generator).permutation(n).astype(dt))


class Sampled(Op):
    """y = a sample drawn from a distribution with tensor parameters (``bernoulli(p)``, ``normal(mean, std)``);
    dy/d(parameter) = 0, as torch's BernoulliBackward0 / NormalBackward1-3 (the sample is not reparametrised)."""

    def name(self) -> str:
        return self.label

    @staticmethod
    def forward(ctx, sample, label, *params):
        ctx.label, ctx.shapes = label, tuple(np.shape(p) for p in params)
        return sample

    @staticmethod
    def backward(ctx, grad):
        zero = grad * 0
        return (None, None) + tuple(unbroadcast(zero, s) if n else None
                                    for s, n in zip(ctx.shapes, ctx.needs_input_grad[2:]))


def _param(v: Any, name: str) -> Any:
    if isinstance(v, Tensor):
        if not v.is_floating_point():
            raise NotImplementedError(f'"normal_kernel_cpu" not implemented for \'{_dtype.legacy_name(v.dtype)}\'')
        return v
    if isinstance(v, numbers.Real) and not isinstance(v, builtins.bool):
        return builtins.float(v)
    raise TypeError(f"normal(): argument '{name}' must be Tensor or float, not {type(v).__name__}")


def normal(mean: Any, std: Any = 1.0, size: Sequence[int] | None = None, *, generator: Any = None,
           dtype: Any = None, layout: Any = None, device: Any = None, pin_memory: bool = False,
           requires_grad: bool = False) -> Tensor:
    """Samples of N(mean, std^2): torch's four overloads. ``normal(Tensor mean, Tensor std)`` broadcasts the two;
    ``normal(Tensor mean, float std=1)`` and ``normal(float mean, Tensor std)`` take the tensor's shape and dtype;
    ``normal(float mean, float std, size)`` is a new tensor of ``size`` (float32 by default)."""
    mean, std = _param(mean, "mean"), _param(std, "std")
    if device is not None:
        _device(device)
    _dtype.check_layout(layout)
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise _invalid_args("normal", (mean, std), (
                "Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
                "Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None",
                "float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
                "float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
                "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                "torch.device device = None, bool pin_memory = False, bool requires_grad = False"))
        dt = _sampling_dtype(dtype, "normal_kernel_cpu")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        return _finish(_rng(generator).normal(mean, std, _checked((size,))).astype(dt), requires_grad)
    if size is not None or dtype is not None:
        raise TypeError("normal(): size and dtype are taken only with a float mean and a float std")
    sd = std._data if isinstance(std, Tensor) else std
    if isinstance(std, Tensor):
        if np.size(sd) and not (sd >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    md = mean._data if isinstance(mean, Tensor) else mean
    dt = _dtype.result_type(*tensors).np if len(tensors) == 2 else tensors[0]._data.dtype
    try:
        shape = np.broadcast_shapes(np.shape(md), np.shape(sd))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({np.shape(md)}) must match the size of tensor b ({np.shape(sd)}) "
                           "at non-singleton dimension") from None
    sample = np.asarray(_rng(generator).normal(0.0, 1.0, shape) * sd + md, dt)
    label = "NormalBackward3" if len(tensors) == 2 else ("NormalBackward1" if isinstance(mean, Tensor)
                                                        else "NormalBackward2")
    return Sampled.apply(sample, label, *tensors)


def bernoulli(input: Tensor, p: Any = None, *, generator: Any = None) -> Tensor:
    """Draw 1 with probability ``input`` (elementwise), or ``p`` if given, else 0; in ``input``'s dtype. The
    output is differentiable with a zero gradient, as torch's (BernoulliBackward0)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if isinstance(p, Generator) and generator is None:
        p, generator = None, p
    if not input.is_floating_point():
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for \'{_dtype.legacy_name(input.dtype)}\'')
    probs = input._data if p is None else p
    if p is not None and not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    if p is None and probs.size and not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    sample = (_rng(generator).random(input.shape) < probs).astype(input._data.dtype)
    return Sampled.apply(sample, "BernoulliBackward0" if p is None else "BernoulliBackward1", input)


def _check_distributions(rows: np.ndarray) -> None:
    """torch's row-by-row check of the distributions it samples with replacement: the first row with a
    negative (or NaN) entry, an infinite entry or no positive mass is reported."""
    valid = (rows >= 0) & np.isfinite(rows)
    positive = rows.sum(-1) > 0
    if valid.all() and positive.all():
        return
    r = int(np.argmax(~valid.all(-1) | ~positive))
    if valid[r].all():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    v = rows[r, np.argmax(~valid[r])]
    raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)" if not v >= 0 else
                       "invalid multinomial distribution (encountering probability entry = infinity or NaN)")


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, generator: Any = None) -> Tensor:
    """Sample indices of each row of ``input`` with probability proportional to its weights."""
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.is_floating_point():
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {_dtype.legacy_name(input.dtype)}"
        )
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n = input.shape[-1]
    if not replacement and num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n > 2**24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    probs = input._data.astype(np.float64)
    rows = probs.reshape(-1, n)
    if replacement and num_samples > 1:
        _check_distributions(rows)
    else:
        if (rows < 0).any() or not np.isfinite(rows).all():
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if (rows.sum(-1) <= 0).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rng = _rng(generator)
    out = np.stack([rng.choice(n, num_samples, replace=replacement, p=r / r.sum()) for r in rows])
    return Tensor._make(out.reshape(probs.shape[:-1] + (num_samples,)).astype(np.int64))


def _strided_zeros(size: tuple, stride: tuple, dt: np.dtype) -> np.ndarray:
    """Zeros of ``size`` viewed with element strides ``stride`` over a buffer just large enough."""
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape: {len(stride)} strides for {len(size)} dims")
    if any(s < 0 for s in size) or any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{list(stride)}")
    n = 0 if 0 in size else 1 + builtins.sum((s - 1) * st for s, st in zip(size, stride))
    return np.lib.stride_tricks.as_strided(np.zeros(n, dt), size, tuple(st * dt.itemsize for st in stride))


def empty_strided(size: Sequence[int], stride: Sequence[int], *, dtype: Any = None, layout: Any = None,
                  device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """An uninitialised (here: zero) tensor of ``size`` with element strides ``stride``."""
    if device is not None:
        _device(device)
    _dtype.check_layout(layout)
    return _finish(_strided_zeros(tuple(size), tuple(stride), _float_dtype(dtype)), requires_grad)


def is_tensor(obj: Any) -> bool:
    """True when ``obj`` is a minitorch Tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """The number of elements of ``input``."""
    return input.numel()


def _like_self(self: Tensor, dtype: Any, device: Any, layout: Any, pin_memory: Any) -> Any:
    """The dtype of a ``new_*`` tensor (this tensor's by default), after torch's checks of the other factory
    arguments: the device must be the CPU, the layout strided, and memory cannot be pinned (no accelerator)."""
    if device is not None:
        _device(device)
    _dtype.check_layout(layout)
    if pin_memory:
        raise RuntimeError("Cannot pin memory: minitorch has no accelerator (pin_memory=True)")
    return self.dtype if dtype is None else _dtype.to_dtype(dtype)


class CreationMethods:
    """The Tensor methods of new tensors like this one; minitorch/__init__.py joins them to Tensor."""

    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, *,
                   layout: Any = None, pin_memory: bool = False) -> "Tensor":
        """A new tensor from ``data`` with this tensor's dtype by default."""
        if device is not None:
            _device(device)
        return tensor(data, dtype=_like_self(self, dtype, device, layout, pin_memory), requires_grad=requires_grad)

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                  layout: Any = None, pin_memory: bool = False) -> "Tensor":
        """A tensor of zeros of ``size`` with this tensor's dtype by default."""
        if device is not None:
            _device(device)
        return zeros(*size, dtype=_like_self(self, dtype, device, layout, pin_memory), requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                 layout: Any = None, pin_memory: bool = False) -> "Tensor":
        """A tensor of ones of ``size`` with this tensor's dtype by default."""
        if device is not None:
            _device(device)
        return ones(*size, dtype=_like_self(self, dtype, device, layout, pin_memory), requires_grad=requires_grad)

    def new_full(self, size: Sequence[int], fill_value: Any, *, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> "Tensor":
        """A tensor of ``size`` filled with ``fill_value``, this tensor's dtype by default."""
        if device is not None:
            _device(device)
        return full(size, fill_value, dtype=_like_self(self, dtype, device, layout, pin_memory),
                    requires_grad=requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                  layout: Any = None, pin_memory: bool = False) -> "Tensor":
        """An uninitialised (here: zero) tensor of ``size``, this tensor's dtype by default."""
        if device is not None:
            _device(device)
        return empty(*size, dtype=_like_self(self, dtype, device, layout, pin_memory), requires_grad=requires_grad)

    def new_empty_strided(self, size: Sequence[int], stride: Sequence[int], *, dtype: Any = None, device: Any = None,
                          requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> "Tensor":
        """An uninitialised (here: zero) tensor of ``size`` with element strides ``stride``."""
        if device is not None:
            _device(device)
        dt = _like_self(self, dtype, device, layout, pin_memory)
        return _finish(_strided_zeros(tuple(size), tuple(stride), dt.np), requires_grad)
