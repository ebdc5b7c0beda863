"""The Tensor: a numpy array plus what autograd needs (floor 0).

A Tensor holds
  * ``_data``      the numpy array with its values (views share memory with their base);
  * ``_grad_fn``   the graph node that produced it (None for leaves), ``_output_nr`` its slot;
  * ``_requires_grad``, ``_grad``;
  * ``_vc``        a one-element version counter, shared by a tensor and all its views and
                   bumped by every in-place change, so backward can refuse stale saved values;
  * ``_base``/``_view_fn``  for views: the tensor they look into and how to re-make the view,
                   which lets an in-place op on a view rewrite the history of its base;
                   ``_view_version`` is the version the view's history was made at: after an
                   in-place change of the base (or of another view of it) the view's history is
                   re-made from the base on its next use, as torch does.

The methods are thin: each differentiable operation is one ``Op`` in ``minitorch/ops``.
"""
from __future__ import annotations

import builtins
import numbers
import operator
import warnings
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._dtype import dtype as DType
from minitorch._convert import _fits, _from_python
from minitorch.autograd import grad_mode

_grad_on, _set_grad = grad_mode._grad_on, grad_mode._set_grad  # this thread's grad mode: read, set


class Size(tuple):
    """The shape of a tensor: a tuple that prints like ``torch.Size``."""

    def __repr__(self) -> str:
        return f"minitorch.Size({list(self)})"

    def numel(self) -> int:
        """The number of elements: the product of the sizes."""
        n = 1
        for s in self:
            n *= s
        return n


class device:
    """Where a tensor lives. minitorch computes on the CPU with numpy."""

    def __init__(self, type: str = "cpu", index: int | None = None):
        kind = str(type).split(":")[0]
        if kind != "cpu":
            raise RuntimeError(f"minitorch runs on the CPU only (numpy); device '{type}' is not available")
        self.type, self.index = "cpu", index

    def __eq__(self, other: object) -> bool:
        return str(other) == "cpu" or isinstance(other, device)

    def __hash__(self) -> int:
        return hash("cpu")

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"


_CPU = device()


def _to_array(data: Any, dt: DType | None) -> np.ndarray:
    """Build a numpy array from Python data, arrays or Tensors, with torch's default dtypes and errors."""
    if isinstance(data, Tensor):
        arr = data._data
    elif isinstance(data, np.ndarray):
        arr = data
    elif hasattr(data, "__array__") and not isinstance(data, (list, tuple)):
        arr = np.asarray(data)
        if isinstance(data, np.generic) and dt is not None and not _fits(arr, _dtype.to_dtype(dt).np):
            arr = _from_python(data, dt)
    else:
        if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flatten(data)):
            data = _unwrap_nested(data)
        try:
            arr = np.array(data)
        except ValueError:  # ragged: numpy refuses, torch's rules say why
            arr = None
        if arr is None or arr.dtype.kind in "OUSu":  # ragged, mixed, not numbers, or ints beyond int64
            arr = _from_python(data, dt)
        elif dt is not None:
            if not _fits(arr, _dtype.to_dtype(dt).np):
                arr = _from_python(data, dt)
        elif arr.dtype.kind == "f":
            with np.errstate(over="ignore"):  # a float beyond float32 is inf, as in torch
                arr = arr.astype(_dtype.get_default_dtype().np, copy=False)
        elif arr.dtype.kind in "iu":
            arr = arr.astype(np.int64, copy=False)
    if dt is not None:
        target = _dtype.to_dtype(dt).np
        kind = arr.dtype.kind
        if (kind == "f" and (target.kind != "f" or target.itemsize < arr.dtype.itemsize)) or (
                kind in "iu" and target == np.float16):
            with np.errstate(over="ignore", invalid="ignore"):  # torch casts silently: inf, wrapped values
                arr = arr.astype(target)
        else:
            arr = arr.astype(target, copy=False)
    elif arr.dtype not in _dtype._FROM_NUMPY:
        if arr.dtype.kind in "iu":
            arr = arr.astype(np.int64)
        elif arr.dtype.kind == "f":
            arr = arr.astype(np.float64)
        else:
            _dtype.from_numpy_dtype(arr.dtype)  # raises with the list of supported dtypes
    return arr


def _flatten(data: Any) -> Iterator[Any]:
    for x in data:
        if isinstance(x, (list, tuple)):
            yield from _flatten(x)
        else:
            yield x


def _unwrap_nested(data: Any) -> Any:
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_unwrap_nested(x) for x in data]
    return data


_PY_NUMBERS = (builtins.int, builtins.float)  # not bool: True + x promotes differently
_OPS: Any = None  # the ops package; it sets this when imported (it builds on this module)
_ENGINE: Any = None  # the autograd engine module; it sets this when imported (it builds on this module)


def _dim(d: int, ndim: int) -> int:
    """Wrap a possibly negative dim, with torch's IndexError when out of range."""
    n = builtins.max(ndim, 1)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return d % n


def _dims(dim: Any, ndim: int) -> tuple:
    """Normalise ``dim`` (None, int, or a sequence of ints) to a sorted tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        d = _dim(int(dim), ndim)
        return (d,) if ndim else ()  # a 0-d tensor accepts dim 0 or -1 and has no axis to reduce
    if not isinstance(dim, (tuple, list, Size)) or not builtins.all(isinstance(d, (int, np.integer)) for d in dim):
        raise TypeError(f"argument 'dim' must be int or tuple of ints, not {type(dim).__name__}")
    out = tuple(sorted(_dim(int(d), ndim) for d in dim))
    if not ndim:
        return ()
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {tuple(dim)} appears multiple times in the list of dims")
    return out


def _rdims(dim: Any, ndim: int) -> tuple:
    """Dims of a reduction: like ``_dims``, but an empty list means all dims (torch's rule for sum, mean...)."""
    if dim is not None and not isinstance(dim, (int, np.integer)) and isinstance(dim, (tuple, list)) and not dim:
        return tuple(range(ndim))
    return _dims(dim, ndim)


def _shape_arg(size: tuple) -> tuple:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike, as torch does."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"size must be a tuple of ints, but got an element of type {type(s).__name__}")
    return tuple(int(s) for s in size)


class Tensor:
    """A multi-dimensional array with reverse-mode automatic differentiation."""

    __slots__ = (
        "_data", "_requires_grad", "_grad_fn", "_output_nr", "_vc", "_base",
        "_view_version", "_view_grad", "_name", "__weakref__", "__dict__",
    )
    # set on few tensors (leaves, views): class defaults until then, so creating a tensor stays cheap
    _grad: "Tensor | None" = None
    _view_fn: Any = None
    _accumulator: Any = None
    _retains_grad: bool = False
    __array_priority__ = 1000  # numpy defers ``ndarray + Tensor`` to Tensor.__radd__

    def __init__(self, *args: Any, requires_grad: bool = False):
        """``Tensor(data)`` copies data as float32, ``Tensor(2, 3)`` is an uninitialised 2x3 tensor."""
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            arr = np.array(_to_array(args[0], None), dtype=_dtype.get_default_dtype().np)
        else:
            arr = np.empty(_shape_arg(args), _dtype.get_default_dtype().np)
        self._init(arr)
        if requires_grad:
            self.requires_grad_()

    def _init(self, arr: np.ndarray) -> None:
        self._data, self._requires_grad, self._grad_fn = arr, False, None
        self._output_nr, self._vc, self._base = 0, [0], None

    @classmethod
    def _make(cls, arr: np.ndarray) -> "Tensor":
        """Wrap an array without copying (the fast internal constructor)."""
        t = object.__new__(cls)
        t._data, t._requires_grad, t._grad_fn = arr, False, None
        t._output_nr, t._vc, t._base = 0, [0], None
        return t

    # ------------------------------------------------------------------ metadata
    @property
    def shape(self) -> Size:
        """The size of each dimension, as a ``Size``."""
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the length of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        if not self._data.ndim:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> DType:
        """The element type (``minitorch.float32``...)."""
        return _dtype._FROM_NUMPY[self._data.dtype]

    @property
    def device(self) -> device:
        """Where the tensor lives: always the CPU."""
        return _CPU

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    def dim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements."""
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        """The size of one element in bytes."""
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        """True for float16/32/64 tensors."""
        return self._data.dtype.kind == "f"

    def is_contiguous(self) -> bool:
        """True when the memory is C-contiguous."""
        return self._data.flags.c_contiguous

    def stride(self, dim: int | None = None) -> Any:
        """Strides in elements, like torch's."""
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[_dim(dim, self._data.ndim)]

    @property
    def is_cuda(self) -> bool:
        """Always False: minitorch computes on the CPU."""
        return False

    @property
    def is_leaf(self) -> bool:
        """True for tensors created by the user (or that do not require grad)."""
        if self._base is not None and self._view_version != self._vc[0]:
            _refresh_view(self)
        return self._grad_fn is None

    @property
    def grad_fn(self) -> Any:
        """The graph node that produced this tensor (None for leaves)."""
        if self._base is not None and self._view_version != self._vc[0]:
            _refresh_view(self)
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        """Whether autograd records operations on this tensor."""
        if self._base is not None and self._view_version != self._vc[0]:
            _refresh_view(self)
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        """Whether autograd records operations on this tensor."""
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Start (or stop) recording operations on this leaf tensor."""
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a "
                    "computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach()."
                )
            return self
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"Only Tensors of floating point and complex dtype can require gradients (got {self.dtype})"
            )
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self) -> "Tensor | None":
        """The accumulated gradient (leaves and ``retain_grad()`` tensors only; others warn, as in torch)."""
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
                "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
                "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor "
                "by mistake, make sure you access the leaf Tensor instead.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        """The gradient accumulated by ``backward`` (None until then)."""
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: grad {list(value.shape)} vs tensor {list(self.shape)}"
                )
            if value.dtype is not self.dtype:
                raise RuntimeError(f"assigned grad has data of a different type: {value.dtype} vs {self.dtype}")
        self._grad = value

    @property
    def _version(self) -> int:
        return self._vc[0]

    @property
    def data(self) -> "Tensor":
        """A tensor sharing this one's values, detached from the graph."""
        return self.detach()

    @data.setter
    def data(self, value: "Tensor") -> None:
        """The same values detached from the graph."""
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def retains_grad(self) -> bool:
        """True when ``retain_grad()`` made this non-leaf keep its ``.grad``."""
        return self._retains_grad

    @property
    def T(self) -> "Tensor":
        """All dimensions reversed (the transpose of a matrix)."""
        return self.permute(*range(self._data.ndim - 1, -1, -1))

    @property
    def mT(self) -> "Tensor":
        """The transpose of the last two dimensions (a batch of matrices)."""
        return self.transpose(-2, -1)

    # ------------------------------------------------------------------ conversion
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The underlying numpy array (shared memory)."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """The values as a numpy array: shared memory unless ``copy=True`` or a dtype change forces one."""
        arr = self._data if dtype is None else self._data.astype(dtype, copy=False)
        return arr.copy() if copy and arr is self._data else arr

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers."""
        return self._data.tolist()

    def __float__(self) -> float:
        return builtins.float(self.item())

    def __int__(self) -> int:
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self._data.item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator["Tensor"]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        from minitorch._tensor_str import add_suffixes, tensor_str

        body = tensor_str(self._data)
        extras: list = []
        if self._data.size == 0 and self._data.shape != (0,):
            extras.append(f"size={tuple(self._data.shape)}")
        dt = self.dtype
        default = _dtype.get_default_dtype()
        if dt not in (default, _dtype.int64, _dtype.bool_) or (self._data.size == 0 and dt is not default):
            extras.append(f"dtype={dt!r}")
        if self._grad_fn is not None:
            extras.append(f"grad_fn=<{self._grad_fn.name()}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return add_suffixes("tensor(" + body, extras, len("tensor("))

    def __str__(self) -> str:
        return self.__repr__()

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self._data.item().__format__(spec)
        return repr(self)

    def __reduce__(self) -> tuple:
        return (_rebuild, (self._data, self._requires_grad))

    # ------------------------------------------------------------------ dtype and device
    def to(self, *args: Any, **kwargs: Any) -> "Tensor":
        """``to(dtype)``, ``to(device)``, ``to(other)``; returns self when nothing changes."""
        dt = kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        copy = kwargs.pop("copy", False)
        if "device" in kwargs:
            device(kwargs.pop("device"))
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dt = a.dtype
            elif isinstance(a, (str, device)):
                device(str(a))
            elif a is not None:
                dt = _dtype.to_dtype(a)
        if dt is None or _dtype.to_dtype(dt) is self.dtype:
            return self.clone() if copy else self
        return _OPS.ToDtype.apply(self, _dtype.to_dtype(dt).np)

    def type(self, dtype: Any = None) -> Any:
        """The type name (``'torch.FloatTensor'``...), or a copy converted to ``dtype``."""
        if dtype is None:
            return f"minitorch.{self.dtype.name}"
        return self.to(dtype)

    def float(self) -> "Tensor":
        """A float32 copy (self when already float32)."""
        return self.to(_dtype.float32)

    def double(self) -> "Tensor":
        """A float64 copy (self when already float64)."""
        return self.to(_dtype.float64)

    def half(self) -> "Tensor":
        """A float16 copy (self when already float16)."""
        return self.to(_dtype.float16)

    def long(self) -> "Tensor":
        """An int64 copy (self when already int64)."""
        return self.to(_dtype.int64)

    def int(self) -> "Tensor":
        """An int32 copy (self when already int32)."""
        return self.to(_dtype.int32)

    def bool(self) -> "Tensor":
        """A bool copy (self when already bool)."""
        return self.to(_dtype.bool_)

    def cpu(self) -> "Tensor":
        """Self: the tensor already lives on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> "Tensor":
        """Raises: minitorch has no CUDA device."""
        raise RuntimeError("minitorch runs on the CPU only (numpy); there is no CUDA device")

    # ------------------------------------------------------------------ autograd
    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Sequence["Tensor"] | None = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (``gradient`` is d(loss)/d(self))."""
        _ENGINE.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """The same values (shared memory and version counter) cut off from the graph."""
        t = Tensor._make(self._data)
        t._vc = self._vc
        return t

    def detach_(self) -> "Tensor":
        """Detach this tensor from the graph in place, making it a leaf."""
        self._grad_fn, self._requires_grad = None, False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        fn = self._grad_fn
        if fn._retain is None:
            fn._retain = {}
        fn._retain[self._output_nr] = self

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> Any:
        """``hook(grad)`` runs when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from minitorch.autograd.function import _edge

        node, nr = _edge(self)
        return node._add_tensor_hook(nr, hook)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Any) -> "Tensor":
        if type(other) in _PY_NUMBERS and self._data.dtype.kind == "f":  # the hot path: nothing to promote
            return _OPS.AddScalar.apply(self, other)
        return _binary(_OPS.Add, self, other, scalar_op=_OPS.AddScalar)

    def __radd__(self, other: Any) -> "Tensor":  # c + x = x + c, and torch lists x first
        _self_is_tensor(self, "__radd__")
        return _binary(_OPS.Add, self, other, scalar_op=_OPS.AddScalar)

    def __sub__(self, other: Any) -> "Tensor":
        _no_bool_sub(self, other)
        return _binary(_OPS.Sub, self, other)

    def __rsub__(self, other: Any) -> "Tensor":
        _self_is_tensor(self, "__rsub__")
        _no_bool_sub(self, other)
        return _binary(_OPS.Sub, other, self)

    def __mul__(self, other: Any) -> "Tensor":
        if type(other) in _PY_NUMBERS and self._data.dtype.kind == "f":  # the hot path: nothing to promote
            return _OPS.MulScalar.apply(self, other)
        return _binary(_OPS.Mul, self, other, scalar_op=_OPS.MulScalar)

    def __rmul__(self, other: Any) -> "Tensor":  # c * x = x * c, and torch lists x first
        _self_is_tensor(self, "__rmul__")
        return _binary(_OPS.Mul, self, other, scalar_op=_OPS.MulScalar)

    def __truediv__(self, other: Any) -> "Tensor":
        return _binary(_OPS.Div, self, other, floating=True)

    def __rtruediv__(self, other: Any) -> "Tensor":  # c / x = reciprocal(x) * c, the values torch computes
        if isinstance(other, numbers.Real):
            return _OPS.Reciprocal.apply(_floating(self)) * other
        return _binary(_OPS.Div, other, self, floating=True)

    def __floordiv__(self, other: Any) -> "Tensor":
        _not_for_bools("div_floor_cpu", self, other)
        return _binary(_OPS.FloorDivide, self, other)

    def __rfloordiv__(self, other: Any) -> "Tensor":
        _not_for_bools("div_floor_cpu", self, other)
        return _binary(_OPS.FloorDivide, other, self)

    def __mod__(self, other: Any) -> "Tensor":
        _not_for_bools("remainder_cpu", self, other)
        return _binary(_OPS.Remainder, self, other)

    def __rmod__(self, other: Any) -> "Tensor":
        _self_is_tensor(self, "__rmod__")
        _not_for_bools("remainder_cpu", self, other)
        return _binary(_OPS.Remainder, other, self)

    def __pow__(self, other: Any) -> "Tensor":
        if isinstance(other, builtins.bool) and self._data.dtype.kind == "b":
            return Tensor._make(self._data | (not other))  # x ** True = x, x ** False = True, as in torch
        _not_for_bools("pow", self, other)
        if self._data.dtype.kind in "iub" and isinstance(other, (builtins.int, np.integer)) and other < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return _binary(_OPS.Pow, self, other)

    def __rpow__(self, other: Any) -> "Tensor":
        _self_is_tensor(self, "__rpow__")
        _not_for_bools("pow", self, other)
        return _binary(_OPS.Pow, other, self)

    def __matmul__(self, other: Any) -> "Tensor":
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        return _as_tensor(other, self).matmul(self)

    def __neg__(self) -> "Tensor":
        if self._data.dtype.kind == "b":
            raise NotImplementedError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                "use the `~` or `logical_not()` operator instead."
            )
        return _OPS.Neg.apply(self)

    def __pos__(self) -> "Tensor":
        return self

    def __abs__(self) -> "Tensor":
        return self.abs()

    def __invert__(self) -> "Tensor":
        if self._data.dtype.kind == "f":
            raise NotImplementedError(f'"bitwise_not_cpu" not implemented for \'{_dtype.legacy_name(self.dtype)}\'')
        return Tensor._make(~self._data)

    def __and__(self, other: Any) -> "Tensor":
        return _bitwise(np.bitwise_and, "bitwise_and_cpu", self, other)

    def __or__(self, other: Any) -> "Tensor":
        return _bitwise(np.bitwise_or, "bitwise_or_cpu", self, other)

    def __xor__(self, other: Any) -> "Tensor":
        return _bitwise(np.bitwise_xor, "bitwise_xor_cpu", self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __lshift__(self, other: Any) -> "Tensor":
        return _shift(self, other, left=True)

    def __rshift__(self, other: Any) -> "Tensor":
        return _shift(self, other, left=False)

    def __rlshift__(self, other: Any) -> "Tensor":
        return _shift(_as_tensor(other, self), self, left=True)

    def __rrshift__(self, other: Any) -> "Tensor":
        return _shift(_as_tensor(other, self), self, left=False)

    def floor_divide(self, other: Any) -> "Tensor":
        """self // other: the quotient rounded down (no gradient)."""
        _number_or_tensor(self, other, "floor_divide")
        return self // other

    def remainder(self, other: Any) -> "Tensor":
        """self % other, with the sign of ``other`` (Python's modulus)."""
        _number_or_tensor(self, other, "remainder")
        return self % other

    def bitwise_and(self, other: Any) -> "Tensor":
        """self & other, for integer and bool tensors."""
        _number_or_tensor(self, other, "bitwise_and")
        return self & other

    def bitwise_or(self, other: Any) -> "Tensor":
        """self | other, for integer and bool tensors."""
        _number_or_tensor(self, other, "bitwise_or")
        return self | other

    def bitwise_xor(self, other: Any) -> "Tensor":
        """self ^ other, for integer and bool tensors."""
        _number_or_tensor(self, other, "bitwise_xor")
        return self ^ other

    def bitwise_not(self) -> "Tensor":
        """~self, for integer and bool tensors."""
        return ~self

    def bitwise_left_shift(self, other: Any) -> "Tensor":
        """self << other: shifts of a negative count or of the dtype's width or more give 0."""
        _number_or_tensor(self, other, "bitwise_left_shift")
        return self << other

    def bitwise_right_shift(self, other: Any) -> "Tensor":
        """self >> other (arithmetic): out-of-range counts give the sign fill, 0 or -1."""
        _number_or_tensor(self, other, "bitwise_right_shift")
        return self >> other

    def add(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self + alpha * other."""
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self - alpha * other."""
        return self - (other * alpha if alpha != 1 else other)

    def mul(self, other: Any) -> "Tensor":
        """self * other (broadcast)."""
        return self * other

    def div(self, other: Any, *, rounding_mode: str | None = None) -> "Tensor":
        """True division, or ``rounding_mode='floor'`` / ``'trunc'`` (no gradient for those)."""
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            return self // other
        if rounding_mode == "trunc":
            if not _binary_dtype(self, other).is_floating_point and self._data.size and not np.all(_np(other)):
                raise RuntimeError("ZeroDivisionError")
            q = self / other
            return Tensor._make(np.trunc(q._data).astype(_binary_dtype(self, other).np))
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")

    def pow(self, exponent: Any) -> "Tensor":
        """self ** exponent (broadcast); as a function, one of the two must be a tensor."""
        if not isinstance(self, Tensor) and not isinstance(exponent, Tensor):
            raise _invalid_args("pow", (self, exponent), (
                "Tensor input, Tensor exponent", "Number self, Tensor exponent", "Tensor input, Number exponent"))
        return self ** exponent

    def neg(self) -> "Tensor":
        """-self."""
        return -self

    def reciprocal(self) -> "Tensor":
        """1 / self."""
        return _OPS.Reciprocal.apply(_floating(self))

    def square(self) -> "Tensor":
        """self * self."""
        return self * self

    def matmul(self, other: "Tensor") -> "Tensor":
        """Matrix product with torch's rules for 1-D operands and batch broadcasting."""
        other = _as_tensor(other, self)
        a, b = self._data, other._data
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
            )
        k1 = a.shape[-1]
        k2 = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if k1 != k2:
            s1 = "x".join(map(str, a.shape if a.ndim > 1 else (1,) + a.shape))
            s2 = "x".join(map(str, b.shape if b.ndim > 1 else b.shape + (1,)))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1} and {s2})")
        if a.dtype != b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {self.dtype} != {other.dtype}")
        if a.ndim > 2 or b.ndim > 2:
            try:
                np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            except ValueError:
                raise RuntimeError(
                    f"The batch dimensions of {list(a.shape)} and {list(b.shape)} cannot be broadcast in matmul"
                ) from None
        return _OPS.MatMul.apply(self, other)

    def mm(self, mat2: "Tensor") -> "Tensor":
        """The matrix product of two 2-D tensors."""
        if self.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if _as_tensor(mat2, self).ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self.matmul(mat2)

    def bmm(self, mat2: "Tensor") -> "Tensor":
        """Batched matrix product of two 3-D tensors with the same batch size."""
        mat2 = _as_tensor(mat2, self)
        if self.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if mat2.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        b, _, k = self._data.shape
        if mat2._data.shape[:2] != (b, k):
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: "
                f"{list(mat2._data.shape[:2])}."
            )
        return self.matmul(mat2)

    def dot(self, other: "Tensor") -> "Tensor":
        """The inner product sum(self * other) of two 1-D tensors."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
        if self.dtype is not other.dtype:
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{_dtype.legacy_name(self.dtype)} and {_dtype.legacy_name(other.dtype)}")
        n, m = self._data.size, other._data.size
        if n != m:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
                               f"number of elements, but got {n} and {m} elements respectively")
        return self.matmul(other)

    # ------------------------------------------------------------------ comparisons (no gradient)
    def __eq__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return _compare(self, other, np.equal, "eq")

    def __ne__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return _compare(self, other, np.not_equal, "ne")

    def __lt__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.less, "lt")

    def __le__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.less_equal, "le")

    def __gt__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.greater, "gt")

    def __ge__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.greater_equal, "ge")

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self, other: "Tensor") -> bool:
        """True when both tensors have the same shape and values."""
        return self.shape == other.shape and builtins.bool(np.array_equal(self._data, other._data))

    def allclose(self, other: "Tensor", rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """True when |self - other| <= atol + rtol * |other| everywhere (shapes broadcast)."""
        return builtins.bool(self.isclose(other, rtol, atol, equal_nan)._data.all())

    def isclose(self, other: "Tensor", rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> "Tensor":
        """Elementwise |self - other| <= atol + rtol * |other| (NaNs equal when ``equal_nan``)."""
        _tensor_arg(self, "isclose", "input", 1)
        _tensor_arg(other, "isclose", "other", 2)
        if rtol < 0:
            raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
        if atol < 0:
            raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
        o = _np(other)
        if not _broadcastable(self._data.shape, np.shape(o)):
            raise RuntimeError(_mismatch(self._data.shape, np.shape(o)))
        return Tensor._make(np.asarray(np.isclose(self._data, o, rtol=rtol, atol=atol, equal_nan=equal_nan)))

    def isnan(self) -> "Tensor":
        """Elementwise: is the value NaN."""
        return Tensor._make(np.isnan(self._data))

    def isinf(self) -> "Tensor":
        """Elementwise: is the value +inf or -inf."""
        return Tensor._make(np.isinf(self._data))

    def isfinite(self) -> "Tensor":
        """Elementwise: is the value neither inf nor NaN."""
        return Tensor._make(np.isfinite(self._data))

    def logical_not(self) -> "Tensor":
        """Elementwise logical NOT (nonzero is True)."""
        return Tensor._make(np.logical_not(self._data))

    def logical_and(self, other: "Tensor") -> "Tensor":
        """Elementwise logical AND (nonzero is True)."""
        _tensor_arg(self, "logical_and", "input", 1)
        _tensor_arg(other, "logical_and", "other", 2)
        return Tensor._make(np.logical_and(self._data, _np(other)))

    def logical_or(self, other: "Tensor") -> "Tensor":
        """Elementwise logical OR (nonzero is True)."""
        _tensor_arg(self, "logical_or", "input", 1)
        _tensor_arg(other, "logical_or", "other", 2)
        return Tensor._make(np.logical_or(self._data, _np(other)))

    def any(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True where any element (over ``dim``, or all) is nonzero."""
        return Tensor._make(np.asarray(np.any(self._data, axis=None if dim is None else _dims(dim, self.ndim), keepdims=keepdim)))

    def all(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True where every element (over ``dim``, or all) is nonzero."""
        return Tensor._make(np.asarray(np.all(self._data, axis=None if dim is None else _dims(dim, self.ndim), keepdims=keepdim)))

    # ------------------------------------------------------------------ pointwise
    def exp(self) -> "Tensor":
        """e ** x, elementwise."""
        return _OPS.Exp.apply(_floating(self))

    def log(self) -> "Tensor":
        """The natural logarithm, elementwise."""
        return _OPS.Log.apply(_floating(self))

    def log1p(self) -> "Tensor":
        """log(1 + x), elementwise (accurate for small x)."""
        return _OPS.Log1p.apply(_floating(self))

    def sqrt(self) -> "Tensor":
        """The square root, elementwise."""
        return _OPS.Sqrt.apply(_floating(self))

    def rsqrt(self) -> "Tensor":
        """1 / sqrt(x), elementwise."""
        return _OPS.Rsqrt.apply(_floating(self))

    def abs(self) -> "Tensor":
        """|x|, elementwise."""
        if self._data.dtype.kind == "b":
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        return _OPS.Abs.apply(self)

    def sign(self) -> "Tensor":
        """-1, 0 or 1 by the sign of x, elementwise."""
        return _OPS.Sign.apply(self)

    def sin(self) -> "Tensor":
        """sin(x), elementwise."""
        return _OPS.Sin.apply(_floating(self))

    def cos(self) -> "Tensor":
        """cos(x), elementwise."""
        return _OPS.Cos.apply(_floating(self))

    def tanh(self) -> "Tensor":
        """tanh(x), elementwise."""
        return _OPS.Tanh.apply(_floating(self))

    def sigmoid(self) -> "Tensor":
        """1 / (1 + exp(-x)), elementwise."""
        return _OPS.Sigmoid.apply(_floating(self))

    def relu(self) -> "Tensor":
        """max(x, 0), elementwise."""
        if self._data.dtype.kind == "b":
            raise NotImplementedError("Boolean inputs not supported for relu")
        return _OPS.Relu.apply(self)

    def clamp(self, min: Any = None, max: Any = None) -> "Tensor":
        """Limit values to [min, max]; the gradient passes where min <= x <= max."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        for name, bound in (("min", min), ("max", max)):
            if not (bound is None or isinstance(bound, (numbers.Number, Tensor))):
                raise TypeError(f"clamp(): argument '{name}' must be a Number or a Tensor, not {type(bound).__name__}")
        if isinstance(min, Tensor) or isinstance(max, Tensor):  # one tensor bound: torch's gradient is maximum's
            if max is None:
                return self.maximum(_as_tensor(min, self))
            if min is None:
                return self.minimum(_as_tensor(max, self))
            return _OPS.clamp_tensors(self, _as_tensor(min, self), _as_tensor(max, self))
        x = self
        if (isinstance(min, builtins.float) or isinstance(max, builtins.float)) and self._data.dtype.kind != "f":
            x = self.to(_dtype.get_default_dtype())
        return _OPS.Clamp.apply(x, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> "Tensor":
        """max(x, min), elementwise."""
        if not isinstance(self, Tensor):
            raise _invalid_args("clamp_min", (self, min), ("Tensor input, Tensor min", "Tensor input, Number min"))
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> "Tensor":
        """min(x, max), elementwise."""
        if not isinstance(self, Tensor):
            raise _invalid_args("clamp_max", (self, max), ("Tensor input, Tensor max", "Tensor input, Number max"))
        return self.clamp(max=max)

    def maximum(self, other: "Tensor") -> "Tensor":
        """The elementwise maximum of self and other (broadcast)."""
        _tensor_arg(other, "maximum", "other", 2)
        return _binary(_OPS.Maximum, self, other)

    def minimum(self, other: "Tensor") -> "Tensor":
        """The elementwise minimum of self and other (broadcast)."""
        _tensor_arg(other, "minimum", "other", 2)
        return _binary(_OPS.Minimum, self, other)

    def masked_fill(self, mask: "Tensor", value: Any) -> "Tensor":
        """Positions where ``mask`` is True take ``value``; the gradient flows elsewhere."""
        mask = _bool_mask(mask, "masked_fill")
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise RuntimeError(
                    f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
                )
            value = value.to(self.dtype)
        elif isinstance(value, complex) and self._data.dtype.kind != "b":
            raise RuntimeError(f"value cannot be converted to type {_C_TYPE[self.dtype.name]} without overflow")
        ms, xs = mask._data.shape, self._data.shape
        if ms != xs and not _broadcastable(ms, xs):
            raise RuntimeError(
                f"{_mismatch(ms, xs)}: masked_fill with a mask of shape {list(ms)} on an input of shape {list(xs)}"
            )
        x = self
        if ms != xs and np.broadcast_shapes(ms, xs) != xs:
            x = self.expand(np.broadcast_shapes(ms, xs))
        return _OPS.MaskedFill.apply(x, mask._data, value)

    def where(self, condition: "Tensor", other: Any) -> "Tensor":
        """self where ``condition`` holds, else ``other``."""
        from minitorch.creation import where

        return where(condition, self, other)

    def softmax(self, dim: int, dtype: Any = None) -> "Tensor":
        """exp(x) / sum(exp(x)) along ``dim``, computed stably."""
        x = _float_only(self if dtype is None else self.to(dtype), "softmax_lastdim_kernel_impl")
        d = _dim(dim, self.ndim)
        return _OPS.Softmax.apply(x, d if self._data.ndim else None)

    def log_softmax(self, dim: int, dtype: Any = None) -> "Tensor":
        """x - logsumexp(x) along ``dim``."""
        x = _float_only(self if dtype is None else self.to(dtype), "log_softmax_lastdim_kernel_impl")
        d = _dim(dim, self.ndim)
        return _OPS.LogSoftmax.apply(x, d if self._data.ndim else None)

    # ------------------------------------------------------------------ reductions
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The sum over ``dim`` (all dims by default); integer and bool inputs sum as int64."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(_dtype.int64)
        dims = tuple(range(self._data.ndim)) if dim is None else _rdims(dim, self._data.ndim)
        return _OPS.Sum.apply(x, dims, keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The mean over ``dim`` (all dims by default) of a floating tensor."""
        given = _dtype.to_dtype(dtype) if dtype is not None else self.dtype
        if not given.is_floating_point:
            raise RuntimeError(
                f"mean(): could not infer output dtype. {'Input' if dtype is None else 'Optional'} dtype must be "
                f"either a floating point or complex dtype. Got: {_dtype.legacy_name(given)}"
            )
        x = self if dtype is None else self.to(given)
        return _OPS.Mean.apply(x, _rdims(dim, self.ndim), keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The product over ``dim`` (all elements by default)."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(_dtype.int64)
        return _OPS.Prod.apply(x, _dims(dim, self.ndim), keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> "Tensor":
        """The maximum over ``dim`` (all dims by default); ties share the gradient evenly."""
        return _OPS.Amax.apply(self, _reduce_dims(self, dim, "amax"), keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> "Tensor":
        """The minimum over ``dim`` (all dims by default); ties share the gradient evenly."""
        return _OPS.Amin.apply(self, _reduce_dims(self, dim, "amin"), keepdim)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``max()`` is the largest value; ``max(dim)`` is ``(values, indices)``; ``max(other)`` is ``maximum``."""
        if not isinstance(self, Tensor):
            raise _invalid_args("max", (self, dim) if dim is not None else (self,), _EXTREME_SIGNATURES)
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return _OPS.MaxAll.apply(self, _reduce_dims(self, (), "max"), False)
        return _extreme(self, dim, keepdim, _OPS.Max, "max")

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``min()`` is the smallest value; ``min(dim)`` is ``(values, indices)``; ``min(other)`` is ``minimum``."""
        if not isinstance(self, Tensor):
            raise _invalid_args("min", (self, dim) if dim is not None else (self,), _EXTREME_SIGNATURES)
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return _OPS.MinAll.apply(self, _reduce_dims(self, (), "min"), False)
        return _extreme(self, dim, keepdim, _OPS.Min, "min")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """The index of the largest value (over ``dim``, or of the flattened tensor)."""
        return _arg_extreme(self, dim, keepdim, np.argmax, "argmax")

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """The index of the smallest value (over ``dim``, or of the flattened tensor)."""
        return _arg_extreme(self, dim, keepdim, np.argmin, "argmin")

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: Any = None) -> "Tensor":
        """sum((x - mean)^2) / (N - correction); ``correction`` defaults to 1 (``unbiased=True``)."""
        if correction is None:
            correction = 1 if unbiased is None or unbiased else 0
        x = _float_only(self, "var", _STD_VAR_DTYPES)
        return _OPS.Var.apply(x, _rdims(dim, self.ndim), keepdim, correction)

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: Any = None) -> "Tensor":
        """The square root of ``var``."""
        if correction is None:
            correction = 1 if unbiased is None or unbiased else 0
        x = _float_only(self, "std", _STD_VAR_DTYPES)
        return _OPS.Std.apply(x, _rdims(dim, self.ndim), keepdim, correction)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> "Tensor":
        """log(sum(exp(x))) along ``dim``, computed as m + log(sum(exp(x - m))) with m = max(x)."""
        return _OPS.Logsumexp.apply(_floating(self), _rdims(dim, self.ndim), keepdim)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> "Tensor":
        """The vector p-norm over ``dim`` (2-norm / Frobenius by default, ``inf`` for the max-abs)."""
        x = _floating(self)
        if isinstance(p, str) and p != "fro" or not isinstance(p, (str, numbers.Real)):
            raise RuntimeError(f"norm(): p={p!r} is not supported by minitorch; use 'fro' or a real number")
        if p in ("fro", 2, 2.0):
            return _OPS.Norm.apply(x, _rdims(dim, self.ndim), keepdim)
        if p == float("inf"):
            return x.abs().amax(() if dim is None else dim, keepdim=keepdim)
        if p == float("-inf"):
            return x.abs().amin(() if dim is None else dim, keepdim=keepdim)
        if p == 0:
            return x.abs().sign().sum(dim, keepdim=keepdim)
        if p == 1:
            return x.abs().sum(dim, keepdim=keepdim)
        return (x.abs() ** p).sum(dim, keepdim=keepdim) ** (1.0 / p)

    # ------------------------------------------------------------------ shape
    def view(self, *shape: Any) -> "Tensor":
        """The same memory seen with another shape (one dim may be -1)."""
        if len(shape) == 1 and isinstance(shape[0], DType):
            raise RuntimeError("view(dtype) is not supported by minitorch; use .to(dtype)")
        new = _infer_shape(_shape_arg(shape), self._data.size, "view")
        if not self._data.flags.c_contiguous and new != self._data.shape:
            try:
                self._data.view().shape = new
            except AttributeError:
                raise RuntimeError(
                    "view size is not compatible with input tensor's size and stride (at least one dimension "
                    "spans across two contiguous subspaces). Use .reshape(...) instead."
                ) from None
        return _view(_OPS.View.apply(self, new), self, lambda b: b.view(new))

    def reshape(self, *shape: Any) -> "Tensor":
        """Like ``view``, copying when the memory layout does not allow a view."""
        new = _infer_shape(_shape_arg(shape), self._data.size, "reshape")
        out = _OPS.View.apply(self, new)
        if np.shares_memory(out._data, self._data):
            return _view(out, self, lambda b: b.reshape(new))
        return out

    def view_as(self, other: "Tensor") -> "Tensor":
        """A view with ``other``'s shape."""
        return self.view(other.shape)

    def reshape_as(self, other: "Tensor") -> "Tensor":
        """Reshaped to ``other``'s shape."""
        return self.reshape(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """Merge dims start_dim..end_dim into one."""
        if self._data.ndim == 0:
            _dim(start_dim, 0)  # a 0-d tensor takes dims 0 and -1 only
            _dim(end_dim, 0)
            return self.reshape(1)
        s, e = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shp = self._data.shape
        return self.reshape(shp[:s] + (-1,) + shp[e + 1 :])

    def unflatten(self, dim: int, sizes: Sequence[int]) -> "Tensor":
        """Split dimension ``dim`` into ``sizes``."""
        d = _dim(dim, self.ndim)
        shp = self._data.shape
        sizes = tuple(sizes)
        known = int(np.prod([s for s in sizes if s != -1]))
        if (-1 not in sizes and known != shp[d]) or (-1 in sizes and (known == 0 or shp[d] % known)):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                               f"({shp[d]}) in the input tensor")
        return self.reshape(shp[:d] + sizes + shp[d + 1 :])

    def permute(self, *dims: Any) -> "Tensor":
        """Reorder the dimensions."""
        dims = _shape_arg(dims)
        if len(dims) != self._data.ndim:
            raise RuntimeError(
                f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
                f"the desired ordering of dimensions i.e. input.dim() = {self.ndim} is not equal to len(dims) = {len(dims)}"
            )
        dims = tuple(_dim(d, self.ndim) for d in dims)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"permute(): duplicate dims are not allowed (got {dims})")
        return _view(_OPS.Permute.apply(self, dims), self, lambda b: b.permute(dims))

    def transpose(self, dim0: int, dim1: int) -> "Tensor":
        """Swap two dimensions."""
        if self._data.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
            return _view(_OPS.View.apply(self, self._data.shape), self, lambda b: b.transpose(dim0, dim1))
        d0, d1 = _dim(dim0, self.ndim), _dim(dim1, self.ndim)
        return _view(_OPS.Transpose.apply(self, d0, d1), self, lambda b: b.transpose(d0, d1))

    swapaxes = transpose

    def t(self) -> "Tensor":
        """Transpose of a matrix (a 0-D or 1-D tensor is returned as is)."""
        if self._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return _view(_OPS.T.apply(self), self, lambda b: b.t())

    def squeeze(self, dim: Any = None) -> "Tensor":
        """Drop dimensions of size 1 (all of them, or those in ``dim`` that have size 1)."""
        shp = self._data.shape
        dims = _dims(dim, self.ndim) if self.ndim else ()
        new = tuple(s for i, s in enumerate(shp) if not (i in dims and s == 1))
        return _view(_OPS.Squeeze.apply(self, new), self, lambda b: b.squeeze(dim))

    def unsqueeze(self, dim: int) -> "Tensor":
        """Insert a dimension of size 1 at ``dim``."""
        d = _dim(dim, self.ndim + 1)
        shp = self._data.shape
        new = shp[:d] + (1,) + shp[d:]
        return _view(_OPS.Unsqueeze.apply(self, new), self, lambda b: b.unsqueeze(d))

    def expand(self, *sizes: Any) -> "Tensor":
        """Broadcast to a larger shape without copying (-1 keeps a dimension)."""
        sizes = _shape_arg(sizes)
        shp = self._data.shape
        if len(sizes) < len(shp):
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({len(shp)})"
            )
        lead = len(sizes) - len(shp)
        for i in range(lead):
            if sizes[i] < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({sizes[i]}) isn't allowed in a leading, non-existing "
                    f"dimension {i}"
                )
        new = tuple(
            (shp[i - lead] if s == -1 else s) if i >= lead else s for i, s in enumerate(sizes)
        )
        for i in range(len(shp)):
            if shp[i] != 1 and shp[i] != new[i + lead]:
                raise RuntimeError(
                    f"The expanded size of the tensor ({new[i + lead]}) must match the existing size ({shp[i]}) at "
                    f"non-singleton dimension {i + lead}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shp)}"
                )
        if new == shp:
            return _view(_OPS.View.apply(self, new), self, lambda b: b.expand(new))
        return _view(_OPS.Expand.apply(self, new), self, lambda b: b.expand(new))

    def expand_as(self, other: "Tensor") -> "Tensor":
        """Expanded to ``other``'s shape."""
        return self.expand(other.shape)

    def broadcast_to(self, shape: Sequence[int]) -> "Tensor":
        """Expanded to ``shape`` (a view)."""
        return self.expand(*shape)

    def repeat(self, *sizes: Any) -> "Tensor":
        """Tile the tensor ``sizes[i]`` times along each dimension."""
        sizes = _shape_arg(sizes)
        if len(sizes) < self._data.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
            )
        return _OPS.Repeat.apply(self, sizes)

    def contiguous(self) -> "Tensor":
        """Self when already C-contiguous, else a contiguous copy."""
        return self if self._data.flags.c_contiguous else self.clone()

    def clone(self) -> "Tensor":
        """A copy with its own memory (gradient flows back unchanged)."""
        return _OPS.Clone.apply(self)

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple:
        """Pieces of size ``split_size`` (the last may be smaller), or of the listed sizes."""
        d = _dim(dim, self.ndim)
        n = self._data.shape[d]
        if isinstance(split_size_or_sections, (int, np.integer)):
            s = builtins.int(split_size_or_sections)
            if s <= 0 and n > 0:
                raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
            sizes = [builtins.min(s, n - i) for i in range(0, n, s)] if n else [0]
        else:
            sizes = [builtins.int(s) for s in split_size_or_sections]
            if builtins.sum(sizes) != n:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension "
                    f"{d}), but got split_sizes={sizes}"
                )
        outs = _OPS.Split.apply(self, tuple(sizes), d)
        starts = np.cumsum([0] + sizes[:-1])
        return tuple(
            _view(o, self, (lambda b, a=builtins.int(a), s=s: b.narrow(d, a, s))) for o, a, s in zip(outs, starts, sizes)
        )

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """Split into ``chunks`` pieces of size ceil(n / chunks) (fewer when n is small)."""
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
        n = self._data.shape[_dim(dim, self.ndim)]
        return self.split(builtins.max(-(-n // chunks), 1) if n else 1, dim)

    def unbind(self, dim: int = 0) -> tuple:
        """The slices along ``dim`` as a tuple of tensors with that dimension removed."""
        d = _dim(dim, self.ndim)
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return tuple(p.squeeze(d) for p in self.split(1, d))

    def narrow(self, dim: int, start: int, length: int) -> "Tensor":
        """The slice start:start+length along ``dim`` (a view); ``start`` may be a 0-dim integer tensor."""
        if self._data.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        if isinstance(start, Tensor):
            if start.ndim != 0 or start._data.dtype.kind not in "iu":
                raise RuntimeError("start must be an 0-dim integral Tensor.")
            start = builtins.int(start._data)
        d = _dim(dim, self.ndim)
        size = self._data.shape[d]
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if not -size <= start <= size:
            raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
        if start < 0:
            start += size
        if start + length > size:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
        idx = (slice(None),) * d + (slice(start, start + length),)
        return self[idx]

    def gather(self, dim: int, index: "Tensor") -> "Tensor":
        """out[i][j] = self[index[i][j]][j] for dim=0 (and so on for other dims)."""
        d = _dim(dim, self.ndim)
        idx = _np(index)
        if idx.dtype.kind not in "iu":
            raise RuntimeError(f"gather(): Expected dtype int64 for index, got {index.dtype if isinstance(index, Tensor) else idx.dtype}")
        if idx.ndim != self.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        for i in range(self.ndim):
            if i != d and idx.shape[i] > self._data.shape[i]:
                raise RuntimeError(
                    f"Size does not match at dimension {i} expected index {list(idx.shape)} to be smaller than "
                    f"self {list(self.shape)} apart from dimension {d}"
                )
        if idx.size and (idx.min() < 0 or idx.max() >= self._data.shape[d]):
            raise RuntimeError(
                f"index {builtins.int(idx.max() if idx.max() >= self._data.shape[d] else idx.min())} is out of "
                f"bounds for dimension {d} with size {self._data.shape[d]}"
            )
        return _OPS.Gather.apply(self, d, idx)

    def index_select(self, dim: int, index: "Tensor") -> "Tensor":
        """The entries of ``index`` (a 0-D or 1-D integer tensor) along ``dim``."""
        d = _dim(dim, self.ndim)
        idx = _np(index)
        if idx.dtype.kind not in "iu":
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if idx.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        size = self._data.shape[d] if self._data.ndim else 1
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            raise IndexError("index out of range in self")
        return self[(slice(None),) * d + (idx.reshape(-1).astype(np.int64, copy=False),)]

    def masked_select(self, mask: "Tensor") -> "Tensor":
        """The 1-D tensor of the values where ``mask`` (broadcast) is True."""
        mask = _bool_mask(mask, "masked_select")
        return self.expand(np.broadcast_shapes(self.shape, mask.shape))[mask.expand(np.broadcast_shapes(self.shape, mask.shape))]

    def unfold(self, dimension: int, size: int, step: int) -> "Tensor":
        """All windows of ``size`` along ``dimension`` with stride ``step``, as a new last dim."""
        d = _dim(dimension, self.ndim)
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        if size > self._data.shape[d]:
            raise RuntimeError(f"maximum size for tensor at dimension {d} is {self._data.shape[d]} but size is {size}")
        if size < 0:
            raise RuntimeError(f"size is {size} but must be >= 0")
        n = (self._data.shape[d] - size) // step + 1
        starts = np.arange(n) * step
        idx = starts[:, None] + np.arange(size)[None, :]
        moved = self.movedim(d, -1)[..., idx]
        return moved.movedim(-2, d)

    def movedim(self, source: Any, destination: Any) -> "Tensor":
        """Move the dim(s) ``source`` to the position(s) ``destination``, keeping the others in order."""
        src = source if isinstance(source, (tuple, list)) else (source,)
        dst = destination if isinstance(destination, (tuple, list)) else (destination,)
        if len(src) != len(dst):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the same "
                f"number of dims as destination ({list(dst)} dims)"
            )
        wsrc, wdst = [_dim(s, self.ndim) for s in src], [_dim(d, self.ndim) for d in dst]
        for what, given, dims in (("source", src, wsrc), ("destination", dst, wdst)):
            if len(set(dims)) != len(dims):
                raise RuntimeError(f"movedim: repeated dim in `{what}` ({list(given)})")
        src, dst = wsrc, wdst
        order = [-1] * self.ndim
        for s, d in zip(src, dst):
            order[d] = s
        rest = iter(i for i in range(self.ndim) if i not in src)
        return self.permute([o if o >= 0 else next(rest) for o in order])

    def flip(self, dims: Any) -> "Tensor":
        """The tensor reversed along ``dims`` (a copy, as in torch)."""
        return _OPS.Flip.apply(self, _dims(dims, self.ndim))

    def tril(self, diagonal: int = 0) -> "Tensor":
        """The lower triangle of the last two dims (the rest zeroed), from ``diagonal`` down."""
        if self._data.ndim < 2:
            raise RuntimeError("tril: input tensor must have at least 2 dimensions")
        mask = np.tril(np.ones(self._data.shape[-2:], bool), diagonal)
        return self.masked_fill(Tensor._make(~mask), 0)

    def triu(self, diagonal: int = 0) -> "Tensor":
        """The upper triangle of the last two dims (the rest zeroed), from ``diagonal`` up."""
        if self._data.ndim < 2:
            raise RuntimeError("triu: input tensor must have at least 2 dimensions")
        mask = np.triu(np.ones(self._data.shape[-2:], bool), diagonal)
        return self.masked_fill(Tensor._make(~mask), 0)

    def cumsum(self, dim: int) -> "Tensor":
        """The cumulative sum along ``dim``."""
        return _OPS.Cumsum.apply(self if self._data.dtype.kind == "f" else self.to(_dtype.int64), _dim(dim, self.ndim))

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, index: Any) -> "Tensor":
        idx, basic = _index(index, self)
        try:
            out = _OPS.Index.apply(self, idx)
        except IndexError as e:
            single = _one_ellipsis(index, self)
            if single is None:
                raise _index_error(index, self, e) from None
            return self[single]
        if basic:
            return _view(out, self, lambda b: b[idx])
        return out

    def __setitem__(self, index: Any, value: Any) -> None:
        idx, basic = _index(index, self)
        v = _np(value)
        try:
            _inplace(self, lambda x: _OPS.IndexPut.apply(x, idx, _as_tensor(value, self).to(self.dtype)),
                     lambda a: a.__setitem__(idx, v), value)
        except IndexError as e:
            single = _one_ellipsis(index, self)
            if single is None:
                raise _index_error(index, self, e) from None
            self[single] = value
        except ValueError:
            target, vs = self._data[idx].shape, np.shape(v)
            if basic:  # torch copies into the view: expand's error
                _as_tensor(value, self).expand(target)
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(vs)} cannot be broadcast to indexing result of shape "
                f"{list(target)}"
            ) from None

    # ------------------------------------------------------------------ in-place
    def add_(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self += alpha * other, in place."""
        _check_inplace_dtype(self, other, "add_")
        if alpha != 1:
            other = other * alpha
        o = _np(other)
        return _inplace(self, lambda x: x + other, lambda a: np.add(a, o, out=a, casting="unsafe"), other)

    def sub_(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self -= alpha * other, in place."""
        _no_bool_sub(self, other)
        _check_inplace_dtype(self, other, "sub_")
        if alpha != 1:
            other = other * alpha
        o = _np(other)
        return _inplace(self, lambda x: x - other, lambda a: np.subtract(a, o, out=a, casting="unsafe"), other)

    def mul_(self, other: Any) -> "Tensor":
        """self *= other, in place."""
        _check_inplace_dtype(self, other, "mul_")
        o = _np(other)
        return _inplace(self, lambda x: x * other, lambda a: np.multiply(a, o, out=a, casting="unsafe"), other)

    def div_(self, other: Any) -> "Tensor":
        """self /= other, in place."""
        _check_inplace_dtype(self, other, "div_", floating=True)
        o = _np(other)
        return _inplace(self, lambda x: x / other, lambda a: np.divide(a, o, out=a, casting="unsafe"), other)

    def pow_(self, exponent: Any) -> "Tensor":
        """self **= exponent, in place."""
        _check_inplace_dtype(self, exponent, "pow_")
        if self._data.dtype.kind != "f":  # integer powers follow ``**``'s rules (negative exponents)
            return _inplace(self, lambda x: x ** exponent, None, exponent)
        o = _np(exponent)
        return _inplace(self, lambda x: x ** exponent, lambda a: np.power(a, o, out=a, casting="unsafe"), exponent)

    def floor_divide_(self, other: Any) -> "Tensor":
        """self //= other, in place."""
        return _inplace_binary(self, other, "floor_divide_", operator.floordiv)

    def remainder_(self, other: Any) -> "Tensor":
        """self %= other, in place."""
        return _inplace_binary(self, other, "remainder_", operator.mod)

    def bitwise_and_(self, other: Any) -> "Tensor":
        """self &= other, in place."""
        return _inplace_binary(self, other, "bitwise_and_", operator.and_)

    def bitwise_or_(self, other: Any) -> "Tensor":
        """self |= other, in place."""
        return _inplace_binary(self, other, "bitwise_or_", operator.or_)

    def bitwise_xor_(self, other: Any) -> "Tensor":
        """self ^= other, in place."""
        return _inplace_binary(self, other, "bitwise_xor_", operator.xor)

    def bitwise_left_shift_(self, other: Any) -> "Tensor":
        """self <<= other, in place."""
        return _inplace_binary(self, other, "bitwise_left_shift_", operator.lshift)

    def bitwise_right_shift_(self, other: Any) -> "Tensor":
        """self >>= other, in place."""
        return _inplace_binary(self, other, "bitwise_right_shift_", operator.rshift)

    # The augmented assignments are the in-place ops, as in torch: ``p -= lr * g`` writes into ``p``.
    # (torch has no ``__imatmul__``: ``a @= b`` rebinds ``a`` to a new tensor, here too.)
    __iadd__, __isub__, __imul__, __itruediv__, __ipow__ = add_, sub_, mul_, div_, pow_
    __ifloordiv__, __imod__ = floor_divide_, remainder_
    __ilshift__, __irshift__ = bitwise_left_shift_, bitwise_right_shift_
    __iand__, __ior__, __ixor__ = bitwise_and_, bitwise_or_, bitwise_xor_

    def addcmul_(self, tensor1: "Tensor", tensor2: "Tensor", *, value: Any = 1) -> "Tensor":
        """self += value * tensor1 * tensor2."""
        return self.add_(tensor1 * tensor2 * value if value != 1 else tensor1 * tensor2)

    def addcdiv_(self, tensor1: "Tensor", tensor2: "Tensor", *, value: Any = 1) -> "Tensor":
        """self += value * tensor1 / tensor2."""
        return self.add_(tensor1 / tensor2 * value if value != 1 else tensor1 / tensor2)

    def lerp_(self, end: "Tensor", weight: Any) -> "Tensor":
        """self += weight * (end - self)."""
        return self.add_((end - self) * weight)

    def neg_(self) -> "Tensor":
        """self = -self, in place."""
        return self.mul_(-1)

    def sqrt_(self) -> "Tensor":
        """self = sqrt(self), in place."""
        return _inplace(self, lambda x: x.sqrt(), lambda a: np.sqrt(a, out=a))

    def exp_(self) -> "Tensor":
        """self = exp(self), in place."""
        return _inplace(self, lambda x: x.exp(), lambda a: np.exp(a, out=a))

    def abs_(self) -> "Tensor":
        """self = |self|, in place."""
        return _inplace(self, lambda x: x.abs(), lambda a: np.abs(a, out=a))

    def relu_(self) -> "Tensor":
        """self = max(self, 0), in place."""
        return _inplace(self, lambda x: x.relu(), lambda a: np.maximum(a, 0, out=a))

    def sigmoid_(self) -> "Tensor":
        """self = sigmoid(self), in place."""
        return _inplace(self, lambda x: x.sigmoid())

    def tanh_(self) -> "Tensor":
        """self = tanh(self), in place."""
        return _inplace(self, lambda x: x.tanh(), lambda a: np.tanh(a, out=a))

    def clamp_(self, min: Any = None, max: Any = None) -> "Tensor":
        """Clamp in place."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        return _inplace(self, lambda x: x.clamp(min, max), lambda a: np.clip(a, _np(min), _np(max), out=a), min, max)

    clip_ = clamp_

    def zero_(self) -> "Tensor":
        """Fill with zeros in place."""
        return _inplace(self, lambda x: _overwrite(x, Tensor._make(np.zeros((), x._data.dtype))), lambda a: a.fill(0))

    def fill_(self, value: Any) -> "Tensor":
        """Fill with ``value`` in place (a number or a 0-d tensor)."""
        if isinstance(value, Tensor) and value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions.")
        if not isinstance(value, (Tensor, numbers.Number)):
            raise TypeError(f"fill_(): argument 'value' must be Number, not {type(value).__name__}")
        v = _np(value)
        return _inplace(self, lambda x: _overwrite(x, _as_tensor(value, self).to(self.dtype)),
                        lambda a: a.fill(v), value)

    def copy_(self, src: "Tensor") -> "Tensor":
        """Copy values from ``src`` (broadcast to this shape) into this tensor."""
        src = _as_tensor(src, self)
        try:
            np.broadcast_to(src._data, self._data.shape)
        except ValueError:
            raise RuntimeError(
                f"{_mismatch(self._data.shape, src._data.shape)}: copy_ from {list(src.shape)} to {list(self.shape)}"
            ) from None
        return _inplace(self, lambda x: _overwrite(x, src.to(self.dtype)),
                        lambda a: np.copyto(a, src._data, casting="unsafe"), src)

    def masked_fill_(self, mask: "Tensor", value: Any) -> "Tensor":
        """Write ``value`` where ``mask`` is True, in place."""
        mask = _bool_mask(mask, "masked_fill_")
        v = _np(value)
        return _inplace(self, lambda x: x.masked_fill(mask, value),
                        lambda a: np.copyto(a, v, where=mask._data, casting="unsafe"), value)

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator: Any = None) -> "Tensor":
        """Fill with samples of U(a, b)."""
        from minitorch import random

        _random_float_only(self, "check_uniform_bounds")
        if a > b:
            raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}")
        vals = random._rng(generator).uniform(a, b, self._data.shape)
        return _inplace(self, None, lambda arr: np.copyto(arr, vals, casting="unsafe"))

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> "Tensor":
        """Fill with samples of N(mean, std^2)."""
        from minitorch import random

        _random_float_only(self, "normal_kernel_cpu")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        vals = random._rng(generator).normal(mean, std, self._data.shape)
        return _inplace(self, None, lambda arr: np.copyto(arr, vals, casting="unsafe"))

    def bernoulli_(self, p: float = 0.5, generator: Any = None) -> "Tensor":
        """Fill with 1 with probability ``p`` (else 0)."""
        from minitorch import random

        if isinstance(p, numbers.Number) and not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")

        vals = random._rng(generator).random(self._data.shape) < p
        return _inplace(self, None, lambda arr: np.copyto(arr, vals, casting="unsafe"))

    # ------------------------------------------------------------------ new tensors like this one
    def new_tensor(self, data: Any, dtype: Any = None, requires_grad: bool = False) -> "Tensor":
        """A new tensor from ``data`` with this tensor's dtype by default."""
        from minitorch.creation import tensor

        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> "Tensor":
        """A tensor of zeros of ``size`` with this tensor's dtype by default."""
        from minitorch.creation import zeros

        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> "Tensor":
        """A tensor of ones of ``size`` with this tensor's dtype by default."""
        from minitorch.creation import ones

        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size: Sequence[int], fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> "Tensor":
        """A tensor of ``size`` filled with ``fill_value``, this tensor's dtype by default."""
        from minitorch.creation import full

        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> "Tensor":
        """An uninitialised (here: zero) tensor of ``size``, this tensor's dtype by default."""
        from minitorch.creation import empty

        return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _rebuild(arr: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(arr)
    t._requires_grad = requires_grad
    return t


# ---------------------------------------------------------------------- helpers for the methods
def _np(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _tensor_arg(x: Any, fn: str, name: str, position: int) -> None:
    """torch's TypeError for a non-tensor where its signature takes only a Tensor."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}")


def _self_is_tensor(x: Any, method: str) -> None:
    """torch's TypeError when a Tensor method is called (unbound) on something else."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"descriptor '{method}' for 'Tensor' objects doesn't apply to a '{type(x).__name__}' object"
        )


_EXTREME_SIGNATURES = ("Tensor input, *, Tensor out = None", "Tensor input, Tensor other, *, Tensor out = None",
                       "Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None")


def _number_or_tensor(a: Any, b: Any, fn: str) -> None:
    """Binary functions like ``remainder`` take (Tensor, Tensor), (Tensor, Number) or (Number, Tensor)."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise _invalid_args(fn, (a, b), ("Tensor input, Tensor other, *, Tensor out = None", "Number self, Tensor other",
                                         "Tensor input, Number other, *, Tensor out = None"))


def _invalid_args(fn: str, args: tuple, signatures: tuple) -> TypeError:
    """torch's TypeError for arguments that match none of a function's signatures."""
    got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in args)
    expected = "".join(f" * ({sig})\n" for sig in signatures)
    return TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     f"{expected}")


def _compare(a: Any, b: Any, fn: Callable, name: str) -> Tensor:
    """An elementwise comparison (no gradient), with torch's errors for a non-tensor input or shapes that do
    not broadcast."""
    if not isinstance(a, Tensor):
        raise _invalid_args(name, (a, b), ("Tensor input, Tensor other", "Tensor input, Number other"))
    o = b._data if isinstance(b, Tensor) else b
    try:
        return Tensor._make(np.asarray(fn(a._data, o)))
    except ValueError:
        raise RuntimeError(_mismatch(a._data.shape, np.shape(o))) from None


# The element type names torch's scalar-conversion messages print.
_C_TYPE = {"float16": "c10::Half", "float32": "float", "float64": "double", "uint8": "uint8_t", "int8": "int8_t",
           "int16": "int16_t", "int32": "int", "int64": "int64_t", "bool": "bool"}


def _as_tensor(x: Any, like: Tensor) -> Tensor:
    """Wrap a number or array for use beside ``like`` (Python numbers take torch's scalar dtype)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, numbers.Number):
        return Tensor._make(np.asarray(x, _dtype.result_type(like, x).np))
    return Tensor._make(_to_array(x, None))


def _floating(x: Tensor) -> Tensor:
    """Integer and bool inputs of float functions are promoted to the default float dtype."""
    return x if x._data.dtype.kind == "f" else x.to(_dtype.get_default_dtype())


_STD_VAR_DTYPES = "std and var only support floating point and complex dtypes"


def _float_only(x: Tensor, kernel: str, message: str | None = None) -> Tensor:
    """Functions torch defines for floating dtypes only refuse integer and bool tensors."""
    if x._data.dtype.kind != "f":
        if message:
            raise RuntimeError(message)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype.legacy_name(x.dtype)}'")
    return x


def _binary_dtype(a: Any, b: Any) -> DType:
    return _dtype.result_type(a, b)


def _binary(op: Any, a: Any, b: Any, floating: bool = False, scalar_op: Any = None) -> Tensor:
    """Apply a broadcasting binary op after torch's type promotion.

    Python scalars stay scalars (numpy then keeps the tensor's dtype); tensors of another
    dtype are cast with a differentiable ``to`` so their gradient comes back in their dtype.
    ``scalar_op`` (if given) is the op's form for a tensor and a Python number, which needs
    neither shapes nor broadcasting in backward.
    """
    kb = type(b)
    if (kb is float or kb is int) and isinstance(a, Tensor) and a._data.dtype.kind == "f":
        return (scalar_op or op).apply(a, b)  # the hot path: a float tensor and a Python number need no promotion
    ka = type(a)
    if (ka is float or ka is int) and isinstance(b, Tensor) and b._data.dtype.kind == "f":
        return op.apply(a, b)
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        da, db = a._data.dtype, b._data.dtype
        if da is not db or (floating and da.kind != "f"):
            rt = _dtype.result_type(a, b)
            if floating and not rt.is_floating_point:
                rt = _dtype.get_default_dtype()
            a, b = a.to(rt), b.to(rt)
        try:
            return op.apply(a, b)
        except ValueError as e:
            if _broadcastable(a._data.shape, b._data.shape):
                raise RuntimeError(str(e)) from None
            raise RuntimeError(
                f"{_mismatch(a.shape, b.shape)}; shapes {list(a.shape)} and {list(b.shape)} in {op.__name__}"
            ) from None
    t, s = (a, b) if ta else (b, a)
    if not isinstance(s, (numbers.Number, np.generic)):
        if isinstance(s, np.ndarray) or hasattr(s, "__array__"):
            s = Tensor._make(_to_array(s, None))
            return _binary(op, a if ta else s, s if ta else b, floating)
        return NotImplemented
    kind = t._data.dtype.kind
    if isinstance(s, (builtins.bool, np.bool_)):
        s_kind = "b"
    elif isinstance(s, (builtins.int, np.integer)):
        s_kind = "i"
    else:
        s_kind = "f"
    if (s_kind == "f" and kind != "f") or (s_kind == "i" and kind == "b") or (floating and kind != "f"):
        t = t.to(_dtype.result_type(t, s) if not floating or s_kind == "f" else _dtype.get_default_dtype())
    if isinstance(s, np.generic):
        s = s.item()
    try:
        if ta and scalar_op is not None and type(s) in (builtins.int, builtins.float):
            return scalar_op.apply(t, s)
        return op.apply(t, s) if ta else op.apply(s, t)
    except OverflowError:  # an int beyond a small int dtype wraps around, as in torch
        s = np.asarray(s).astype(t._data.dtype)
        return op.apply(t, s) if ta else op.apply(s, t)


def _no_bool_sub(a: Tensor, b: Any) -> None:
    """torch refuses ``-`` with a bool operand, with a hint that depends on whether both are bools."""
    a_bool, b_bool = a._data.dtype.kind == "b", _is_bool(b)
    if a_bool and b_bool:
        raise NotImplementedError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                                  "Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise NotImplementedError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                                  "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _is_bool(x: Any) -> bool:
    """True for Python/numpy bools and bool tensors."""
    if isinstance(x, Tensor):
        return x._data.dtype.kind == "b"
    return isinstance(x, (builtins.bool, np.bool_))


def _not_for_bools(kernel: str, a: Tensor, b: Any) -> None:
    """torch has no bool kernel for pow, floor division and remainder."""
    if a._data.dtype.kind == "b" and _is_bool(b):
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _broadcastable(s1: tuple, s2: tuple) -> bool:
    try:
        np.broadcast_shapes(s1, s2)
    except ValueError:
        return False
    return True


def _mismatch(s1: tuple, s2: tuple) -> str:
    """torch's message for shapes that do not broadcast: the first clash, counted from the right."""
    n = builtins.max(len(s1), len(s2))
    p1, p2 = (1,) * (n - len(s1)) + tuple(s1), (1,) * (n - len(s2)) + tuple(s2)
    a, b, d = (p1[-1] if p1 else 1), (p2[-1] if p2 else 1), n - 1
    for i in range(n - 1, -1, -1):
        if p1[i] != p2[i] and p1[i] != 1 and p2[i] != 1:
            a, b, d = p1[i], p2[i], i
            break
    return f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {d}"


def _integer_result(kernel: str, a: Tensor, b: Any) -> "_dtype.dtype":
    """The result dtype of a bitwise op; torch has no float kernel for these."""
    rt = _dtype.result_type(a, b)
    if rt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.legacy_name(rt)}\'')
    return rt


def _bitwise(fn: Callable, kernel: str, a: Tensor, b: Any) -> Tensor:
    _tensor_arg(a, fn.__name__, "input", 1)
    rt = _integer_result(kernel, a, b).np
    return Tensor._make(np.asarray(fn(a._data.astype(rt, copy=False), np.asarray(_np(b)).astype(rt, copy=False))))


def _shift(a: Tensor, b: Any, left: bool) -> Tensor:
    """a << b or a >> b as torch computes them: counts outside [0, bits) shift everything out."""
    rt = _integer_result("lshift_cpu" if left else "rshift_cpu", a, b).np
    if rt == np.bool_:
        rt = np.dtype(np.int64)
    x, n = a._data.astype(rt, copy=False), np.asarray(_np(b)).astype(rt, copy=False)
    bits = rt.itemsize * 8
    outside = (n < 0) | (n >= bits)
    if left:
        out = np.where(outside, 0, np.left_shift(x, np.where(outside, 0, n)))
    else:
        fill = bits - 1 if rt.kind == "i" else 0
        out = np.where(outside & (rt.kind == "u"), 0, np.right_shift(x, np.where(outside, fill, n)))
    return Tensor._make(np.asarray(out, rt))


def _bool_mask(mask: Any, name: str) -> Tensor:
    m = mask if isinstance(mask, Tensor) else Tensor._make(np.asarray(mask))
    if m._data.dtype != np.bool_:
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {m.dtype}")
    return m


def _reduce_dims(x: Tensor, dim: Any, name: str) -> tuple:
    if x._data.size == 0 and (dim is None or (isinstance(dim, (tuple, list)) and not dim)):
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    dims = _rdims(None if dim == () else dim, x.ndim)
    for d in dims:
        if x._data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return dims


def _extreme(x: Tensor, dim: int, keepdim: bool, op: Any, name: str) -> Any:
    from minitorch.ops.reduction import MinMaxResult

    d = _dim(dim, x.ndim)
    if x._data.ndim == 0:
        return MinMaxResult(x.clone(), Tensor._make(np.zeros((), np.int64)))
    if x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return MinMaxResult(*op.apply(x, d, keepdim))


def _arg_extreme(x: Tensor, dim: Any, keepdim: bool, argfn: Callable, name: str) -> Tensor:
    if x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if x._data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        out = np.asarray(argfn(x._data.reshape(-1)), np.int64)
        return Tensor._make(out.reshape((1,) * x.ndim) if keepdim else out)
    d = _dim(dim, x.ndim)
    if x.ndim and x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    out = np.asarray(argfn(x._data, axis=d) if x.ndim else 0, np.int64)
    return Tensor._make(np.expand_dims(out, d) if keepdim and x.ndim else out)


def _infer_shape(shape: tuple, numel: int, name: str) -> tuple:
    """Resolve one -1 in ``shape`` and check the element count, with torch's message."""
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if builtins.any(s < -1 for s in shape):
        raise RuntimeError(f"invalid shape dimension {builtins.min(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if neg:
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                               "unspecified dimension size -1 can be any value and is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = shape[: neg[0]] + (numel // known,) + shape[neg[0] + 1 :]
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _view(out: Tensor, src: Tensor, fn: Callable[[Tensor], Tensor]) -> Tensor:
    """Mark ``out`` as a view of ``src``: shared version counter, and how to re-make it from the base."""
    out._vc = src._vc
    out._view_version, out._view_grad = src._vc[0], _grad_on()
    if src._base is None:
        out._base, out._view_fn = src, fn
    else:
        parent_fn = src._view_fn
        out._base, out._view_fn = src._base, (lambda b: fn(parent_fn(b)))
    return out


def _refresh_view(t: Tensor) -> None:
    """Re-make a view's history from its base after an in-place change through another alias.

    The view is re-made in the grad mode it was created in, so a view taken under ``no_grad``
    stays out of the graph.
    """
    prev = _grad_on()
    _set_grad(t._view_grad)
    try:
        fresh = t._view_fn(t._base)
    finally:
        _set_grad(prev)
    t._grad_fn, t._output_nr, t._requires_grad = fresh._grad_fn, fresh._output_nr, fresh._requires_grad
    t._view_version = t._vc[0]


_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.uint8), np.dtype(np.bool_))


def _index(index: Any, x: Tensor) -> tuple:
    """Translate a torch-style index to numpy's; report whether it is basic (a view)."""
    items = index if isinstance(index, tuple) else (index,)
    out, basic = [], True
    for it in items:
        if isinstance(it, Tensor):
            it = it._data
            if it.dtype not in _INDEX_DTYPES:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if it.dtype == np.uint8:
                warnings.warn("indexing with dtype minitorch.uint8 is now deprecated, please use a dtype "
                              "minitorch.bool instead.", UserWarning, stacklevel=3)
                it = it.astype(np.bool_)
                basic = False
            elif it.ndim == 0 and it.dtype.kind == "i":
                it = builtins.int(it)
            else:
                basic = False
        elif isinstance(it, (list, np.ndarray)):
            it = np.asarray(it)
            if it.dtype.kind not in "iub":  # torch reads a list of floats as ints, as it reads [] (float64 here)
                it = it.astype(np.int64)
            basic = False
        elif isinstance(it, builtins.bool):
            basic = False
        elif isinstance(it, str):
            raise TypeError(f"new(): invalid data type '{type(it).__name__}'")
        elif not (it is None or it is Ellipsis or isinstance(it, (slice, builtins.int, np.integer))):
            raise IndexError(
                f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(it).__name__})"
            )
        elif isinstance(it, slice) and it.step is not None and it.step <= 0:
            raise ValueError("slice step cannot be zero" if it.step == 0 else "step must be greater than zero")
        out.append(it)
    return tuple(out), basic


_ZERO_DIM_INDEX = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
                   "convert a 0-dim tensor to a number")


def _index_item(it: Any) -> Any:
    """One index item as the error path reads it: an int, a bool, an index or mask array, or itself."""
    if isinstance(it, Tensor):
        it = it._data
        if it.ndim == 0 and it.dtype.kind == "i":
            return builtins.int(it)
    elif isinstance(it, list):
        it = np.asarray(it)
    if isinstance(it, np.ndarray):
        if it.dtype.kind == "f":
            it = it.astype(np.int64)
        elif it.dtype == np.uint8:
            it = it.astype(np.bool_)
        return builtins.bool(it) if it.ndim == 0 and it.dtype == np.bool_ else it
    return builtins.bool(it) if isinstance(it, np.bool_) else it


def _index_width(items: Sequence) -> int:
    """How many dims of the tensor an index uses (a mask uses one per dim; None, ``...`` and bools none)."""
    return builtins.sum(it.ndim if isinstance(it, np.ndarray) and it.dtype == np.bool_ else
                        0 if it is None or it is Ellipsis or isinstance(it, builtins.bool) else 1 for it in items)


def _one_ellipsis(index: Any, x: Tensor) -> tuple | None:
    """An index with several ``...`` as torch reads it (each stands for the dims the index leaves, and full
    slices past the last dim are no-ops), in numpy's terms; None for any other index."""
    if not isinstance(index, tuple) or builtins.sum(it is Ellipsis for it in index) < 2:
        return None
    fill = (slice(None),) * (x.ndim - _index_width([_index_item(it) for it in index]))
    out = [s for it in index for s in (fill if it is Ellipsis else (it,))]
    while out and isinstance(out[-1], slice) and out[-1] == slice(None) and \
            _index_width([_index_item(it) for it in out]) > x.ndim:
        out.pop()
    return tuple(out)


def _index_error(index: Any, x: Tensor, err: IndexError) -> IndexError:
    """torch's IndexError for an index numpy rejected (the error path only).

    The index is walked as torch applies it: the dims it uses are counted first; ints, slices and
    None apply in order (an int is checked against the dim it lands on in the result so far); masks
    are then checked against that result, index arrays broadcast together, and an out-of-range
    index names its position among the index arrays, as torch's kernel does.
    """
    shape = list(x._data.shape)
    if not shape and not isinstance(index, tuple):
        if isinstance(index, (builtins.int, np.integer)) and not isinstance(index, builtins.bool):
            return IndexError(_ZERO_DIM_INDEX)
        if isinstance(index, slice):
            return IndexError("slice() cannot be applied to a 0-dim tensor.")
    items = [_index_item(it) for it in (index if isinstance(index, tuple) else (index,))]
    used = _index_width(items)
    if used > len(shape):
        return IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim, arrays = 0, []
    for position, it in enumerate(items):
        if it is None or isinstance(it, builtins.bool):
            shape.insert(dim, 1)
            if it is not None:  # x[True] is x[None][[0]], x[False] is x[None][[]]
                arrays.append((np.zeros(builtins.int(it), np.int64), dim))
            dim += 1
        elif it is Ellipsis:
            dim += len(x.shape) - used
        elif isinstance(it, slice):
            dim += 1
        elif isinstance(it, np.ndarray):
            arrays.append((it, dim))
            dim += it.ndim if it.dtype == np.bool_ else 1
        else:
            if not -shape[dim] <= it < shape[dim]:  # torch names the int's place in the index
                return IndexError(f"index {it} is out of bounds for dimension {position} with size {shape[dim]}")
            del shape[dim]
    indices, sizes = [], []
    for a, d in arrays:
        if a.dtype == np.bool_:
            for j, n in enumerate(a.shape):
                if n != shape[d + j]:
                    return IndexError(f"The shape of the mask {list(a.shape)} at index {j} does not match the shape "
                                      f"of the indexed tensor {shape} at index {d + j}")
            indices.extend(np.nonzero(a))
            sizes.extend(shape[d:d + a.ndim])
        else:
            indices.append(a)
            sizes.append(shape[d])
    try:
        indices = np.broadcast_arrays(*indices)
    except ValueError:
        return IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                          + ", ".join(str(list(a.shape)) for a in indices))
    bad = [(a < -n) | (a >= n) for a, n in zip(indices, sizes)]
    hits = np.flatnonzero(np.logical_or.reduce(bad)) if bad else ()
    if len(hits):
        first = hits[0]
        k = next(k for k, b in enumerate(bad) if b.flat[first])
        return IndexError(f"index {indices[k].flat[first]} is out of bounds for dimension {k} with size {sizes[k]}")
    return IndexError(str(err).replace("axis", "dimension"))


def _check_inplace_dtype(self: Tensor, other: Any, name: str, floating: bool = False) -> None:
    """In-place ops cannot change the dtype (int_tensor.add_(0.5) is an error, as in torch) nor the shape."""
    if isinstance(other, Tensor) and other._data.shape != self._data.shape:
        a, b = self._data.shape, other._data.shape
        if not _broadcastable(a, b):
            raise RuntimeError(_mismatch(a, b))
        if np.broadcast_shapes(a, b) != a:
            raise RuntimeError(f"output with shape {list(a)} doesn't match the broadcast shape "
                               f"{list(np.broadcast_shapes(a, b))}")
    rt = _dtype.result_type(self, other)
    if floating and not rt.is_floating_point:
        rt = _dtype.get_default_dtype()
    if _dtype._category(rt) > _dtype._category(self.dtype):
        raise RuntimeError(
            f"result type {_dtype.legacy_name(rt)} can't be cast to the desired output type {_dtype.legacy_name(self.dtype)}"
        )


def _inplace_binary(self: Tensor, other: Any, name: str, op: Callable[[Any, Any], Tensor]) -> Tensor:
    """``self = op(self, other)`` in place, through the out-of-place op (its dtype rules and errors included)."""
    _check_inplace_dtype(self, other, name)
    return _inplace(self, lambda x: op(x, other), None, other)


def _inplace(self: Tensor, compute: Callable[[Tensor], Tensor] | None,
             raw: Callable[[np.ndarray], Any] | None = None, *others: Any) -> Tensor:
    """Run an in-place op: numpy in place when no graph is involved, else rewrite the history.

    ``compute(old_self)`` gives the new value as a graph-connected tensor; its values are then
    written into this tensor's memory, and this tensor (or, for a view, its base) takes the
    new node as its ``grad_fn``, exactly as torch rebases the history of in-place ops.
    """
    if self._base is not None and self._view_version != self._vc[0]:
        _refresh_view(self)
    recording = _grad_on() and (
        self._requires_grad or builtins.any(isinstance(o, Tensor) and o._requires_grad for o in others)
    )
    if recording and self._requires_grad:
        if self._grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        if self._base is not None and self._base._grad_fn is None and self._base._requires_grad:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )
    if not self._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation."
        )
    if compute is None or (raw is not None and not recording):
        raw(self._data)
        self._vc[0] += 1
        return self
    result = compute(_snapshot(self))
    if result._data.shape != self._data.shape:
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(result.shape)}"
        )
    np.copyto(self._data, result._data, casting="unsafe")
    self._vc[0] += 1
    if not result._requires_grad:
        return self
    base = self._base
    if base is None:
        self._grad_fn, self._output_nr, self._requires_grad = result._grad_fn, result._output_nr, True
        return self
    new_base = _OPS.CopySlices.apply(_snapshot(base), result, self._view_fn)
    base._grad_fn, base._output_nr, base._requires_grad = new_base._grad_fn, 0, True
    fresh = self._view_fn(base)
    self._grad_fn, self._output_nr, self._requires_grad = fresh._grad_fn, fresh._output_nr, True
    self._view_version = self._vc[0]
    return self


def _random_float_only(x: Tensor, kernel: str) -> None:
    """torch has no uniform/normal sampling kernel for integer and bool tensors."""
    if x._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.legacy_name(x.dtype)}\'')


def _overwrite(x: Tensor, value: Tensor) -> Tensor:
    """``value`` broadcast to ``x``'s shape, linked to ``x`` with a zero gradient (never ``x * 0 + value``,
    which turns inf/NaN in ``x`` into NaN)."""
    from minitorch.creation import where

    return where(Tensor._make(np.ones(x._data.shape, bool)), value, x)


def _snapshot(t: Tensor) -> Tensor:
    """A private copy of ``t``'s current value and history, used as the input of an in-place op."""
    s = Tensor._make(t._data.copy())
    s._grad_fn, s._output_nr, s._requires_grad = t._grad_fn, t._output_nr, t._requires_grad
    if t._grad_fn is None and t._requires_grad:
        from minitorch.autograd.function import _edge

        _edge(t)
        s._accumulator = t._accumulator
    return s
