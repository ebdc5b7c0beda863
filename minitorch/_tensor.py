"""The Tensor: a numpy array plus what autograd needs (floor 0).

A Tensor holds
  * ``_data``      the numpy array with its values (views share memory with their base);
  * ``_grad_fn``   the graph node that produced it (None for leaves), ``_output_nr`` its slot;
  * ``_requires_grad``, ``_grad``;
  * ``_vc``        a one-element version counter, shared by a tensor and all its views and
                   bumped by every in-place change, so backward can refuse stale saved values;
  * ``_base``/``_view_fn``  for views: the tensor they look into and how to re-make the view
                   (``minitorch/autograd/views.py``), which lets an in-place op on a view rewrite
                   the history of its base (``minitorch/autograd/inplace.py``).

This file holds the state and the Python protocol (shape, conversion to numbers, printing). The
operations live beside their math: each op family file in ``minitorch/ops`` ends with a class of the
Tensor methods of its ops (``__mul__`` next to ``Mul``), and ``minitorch/__init__.py`` joins those
classes to ``Tensor`` with ``Tensor._add_methods``, in one place.
"""
from __future__ import annotations

import builtins
import warnings
from typing import Any, Iterator

import numpy as np

from minitorch import _dtype
from minitorch._convert import _fits, _from_python
from minitorch._dtype import dtype as DType
from minitorch._tensor_str import add_suffixes, tensor_str


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


_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                 "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


class device:
    """A device name, as torch's: ``device('cpu')``, ``device('cuda:0')``, ``device('cuda', 1)``, ``device(0)``.

    Any of torch's device types can be named (programs build ``device('cuda' if cuda.is_available() else
    'cpu')``); minitorch computes on the CPU only, so placing a tensor anywhere else raises
    (``require_cpu``)."""

    def __init__(self, type: Any = "cpu", index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        text = str(type)
        kind, colon, idx = text.partition(":")
        if kind not in _DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of device string: "
                               f"{text}")
        if colon:
            if not idx.isdigit() or index is not None:
                raise RuntimeError(f"Invalid device string: '{text}'")
            index = int(idx)
        self.type, self.index = kind, index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        return f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


NOT_COMPILED_WITH_CUDA = "Torch not compiled with CUDA enabled (minitorch computes on the CPU, with numpy)"


def require_cpu(where: Any) -> device:
    """The device ``where`` names, which must be the CPU: CUDA raises torch's "not compiled with CUDA"
    AssertionError (as a CPU-only torch build does), any other accelerator a RuntimeError."""
    dev = where if isinstance(where, device) else device(where)
    if dev.type == "cpu":
        return dev
    if dev.type == "cuda":
        raise AssertionError(NOT_COMPILED_WITH_CUDA)
    raise RuntimeError(f"minitorch computes on the CPU only (numpy); the {dev.type} device is not available")


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

    @classmethod
    def _add_methods(cls, *families: type) -> None:
        """Join each op family's method class to Tensor (called once, in ``minitorch/__init__.py``).

        A name defined by two families, or already by Tensor itself, is an error: every method has one home."""
        for family in families:
            for name, value in vars(family).items():
                if name in ("__module__", "__qualname__", "__doc__", "__dict__", "__weakref__") or (
                        name == "__hash__" and value is None):  # the None that Python sets beside a class's __eq__
                    continue
                if name in vars(cls):
                    raise TypeError(f"Tensor.{name} is defined twice (again in {family.__qualname__})")
                setattr(cls, name, value)

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

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """True when the memory is row-major (in ``memory_format``'s dim order, e.g. channels_last, if given)."""
        if memory_format is None:
            return self._data.flags.c_contiguous
        return _dtype.is_in_format(self._data, memory_format)

    def stride(self, dim: int | None = None) -> Any:
        """Strides in elements, like torch's."""
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[_dim(dim, self._data.ndim)]

    @property
    def is_cuda(self) -> bool:
        """Always False: minitorch computes on the CPU."""
        return False

    @property
    def is_mps(self) -> bool:
        return False

    @property
    def is_xpu(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        return False

    def pin_memory(self, device: Any = None) -> "Tensor":
        """Page-locked memory only matters for copies to a GPU; on the CPU it is the tensor itself."""
        return self

    def is_pinned(self, device: Any = None) -> bool:
        return False


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
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
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

    # ------------------------------------------------------------------ autograd
    def detach(self) -> "Tensor":
        """The same values (shared memory and version counter) cut off from the graph."""
        t = Tensor._make(self._data)
        t._vc = self._vc
        return t

    def detach_(self) -> "Tensor":
        """Detach this tensor from the graph in place, making it a leaf."""
        self._grad_fn, self._requires_grad = None, False
        return self


def _rebuild(arr: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(arr)
    t._requires_grad = requires_grad
    return t


_new = object.__new__


def wrap(arr: np.ndarray) -> Tensor:
    """``Tensor._make(arr)`` as a plain function, for the per-op hot paths (autograd's ``apply`` and engine):
    Python 3.11 does not specialise a classmethod looked up on a class, which costs more than the call."""
    t = _new(Tensor)
    t._data, t._requires_grad, t._grad_fn = arr, False, None
    t._output_nr, t._vc, t._base = 0, [0], None
    return t
