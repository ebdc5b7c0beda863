"""The unpicklers behind ``minitorch.load`` of pickled files, and the globals they may use.

``WeightsUnpickler`` (``weights_only=True``, the default as in torch >= 2.6) runs the pickle machine
of the standard library (``pickle._Unpickler``) with a restricted opcode table, as torch's
``_weights_only_unpickler`` does: a global is looked up by name in an allowlist and never imported
(``find_class``), ``REDUCE`` and ``NEWOBJ`` may call only allowlisted callables, ``BUILD`` may only
set the state of an ``OrderedDict`` or of an allowlisted class, ``APPEND``/``SETITEM``/``ADDITEMS``
only fill plain lists, dicts and sets, a persistent id must name a storage, and the opcodes that
reach the copyreg registry, out-of-band buffers or protocol-0 instances are refused. The allowlist
maps torch's names (``torch._utils._rebuild_tensor_v2``, ``torch.FloatStorage``, ``torch.float32``,
``torch.Size``...) to minitorch's own rebuilders, so ``torch`` is never imported. Anything else raises
``pickle.UnpicklingError``; ``add_safe_globals`` / ``safe_globals`` extend the allowlist as torch's do.

``MappingUnpickler`` (``weights_only=False``) is the ordinary unpickler, which can run any code the
file names; it maps the same torch names to minitorch and refuses the rest of torch.
"""
from __future__ import annotations

import _compat_pickle
import math
import pickle
import pickletools
from collections import Counter, OrderedDict
from typing import Any, Callable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Size, Tensor, device
from minitorch.nn.parameter import Parameter

UNSAFE_MESSAGE = (
    "minitorch.load defaults to `weights_only=True`, as `torch.load` does since PyTorch 2.6. Re-running "
    "`minitorch.load` with `weights_only` set to `False` will likely succeed, but it can result in arbitrary code "
    "execution. Do it only if you got the file from a trusted source."
)
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")  # never allowed, even when a user allowlists one of their names

# torch's legacy storage classes: the numpy dtype of their elements, or the name of a dtype minitorch lacks
_STORAGES = {
    "DoubleStorage": np.float64, "FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64,
    "IntStorage": np.int32, "ShortStorage": np.int16, "CharStorage": np.int8, "ByteStorage": np.uint8,
    "BoolStorage": np.bool_, "BFloat16Storage": "bfloat16", "ComplexDoubleStorage": "complex128",
    "ComplexFloatStorage": "complex64", "QInt8Storage": "qint8", "QInt32Storage": "qint32", "QUInt8Storage": "quint8",
    "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
}
STORAGE_NAMES = {np.dtype(v): k for k, v in _STORAGES.items() if not isinstance(v, str)}
_MISSING_DTYPES = ("bfloat16", "complex32", "complex64", "complex128", "cfloat", "cdouble", "uint16", "uint32",
                   "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "qint8", "qint32",
                   "quint8", "quint4x2", "quint2x4", "bits8", "bits16")
_UNREBUILDABLE = ("_rebuild_qtensor", "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage",
                  "_rebuild_nested_tensor", "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_numpy",
                  "_rebuild_device_tensor_from_cpu_tensor")

_marked_safe_globals: set = set()


def add_safe_globals(safe_globals: list) -> None:
    """Mark globals (functions or classes, or ``(obj, "module.name")`` pairs) as safe for ``weights_only`` load."""
    global _marked_safe_globals
    _marked_safe_globals = _marked_safe_globals.union(set(safe_globals))


def get_safe_globals() -> list:
    """The user-added globals that are safe for ``weights_only`` load."""
    return list(_marked_safe_globals)


def clear_safe_globals() -> None:
    """Forget every global added with ``add_safe_globals``."""
    global _marked_safe_globals
    _marked_safe_globals = set()


class safe_globals:
    """Context manager that marks ``safe_globals`` as safe for ``weights_only`` load inside its block."""

    def __init__(self, safe_globals: list):
        self.safe_globals = safe_globals

    def __enter__(self) -> None:
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc: Any) -> None:
        global _marked_safe_globals
        _marked_safe_globals = _marked_safe_globals - set(self.safe_globals)


def _user_allowed() -> dict:
    """``"module.qualname"`` -> object for the user's safe globals (checked as torch checks them)."""
    allowed = {}
    for f in _marked_safe_globals:
        if isinstance(f, tuple):
            if len(f) != 2:
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got tuple of "
                                 f"length: {len(f)}")
            if type(f[1]) is not str:
                raise TypeError(f"Expected second item in tuple to be str of callable full path, but got: {type(f[1])}")
            allowed[f[1]] = f[0]
        else:
            allowed[f"{f.__module__}.{f.__qualname__}"] = f
    return allowed


class StorageType:
    """What a storage class named in a file (``torch.FloatStorage``, ``torch.storage.UntypedStorage``) stands for."""

    def __init__(self, name: str, dtype: Any):
        self.name, self.dtype = name, None if dtype is None else np.dtype(dtype)  # dtype None: untyped bytes

    def __repr__(self) -> str:
        return f"<storage type {self.name}>"


class Storage:
    """A storage read from a file: a flat array (uint8 for an untyped storage) that tensors view."""

    def __init__(self, array: np.ndarray, typed: bool):
        self.array, self.typed = array, typed


def _ints(value: Any, what: str) -> tuple:
    if type(value) not in (tuple, Size) or not all(type(v) is int and v >= 0 for v in value):
        raise pickle.UnpicklingError(f"a tensor's {what} must be a tuple of non-negative ints, got {value!r:.80}")
    return tuple(value)


def _view(array: np.ndarray, offset: Any, size: Any, stride: Any) -> np.ndarray:
    """The strided view of a flat storage array that a tensor is (shared memory, bounds checked first)."""
    size, stride = _ints(size, "size"), _ints(stride, "stride")
    if type(offset) is not int or offset < 0 or len(size) != len(stride):
        raise pickle.UnpicklingError(f"a tensor has storage offset {offset!r:.40}, size {size} and stride {stride}")
    if math.prod(size) and offset + sum((n - 1) * s for n, s in zip(size, stride)) >= len(array):
        raise pickle.UnpicklingError(f"a tensor of size {size}, stride {stride} and storage offset {offset} reaches "
                                     f"past the end of its storage of {len(array)} elements")
    if not math.prod(size):
        return np.empty(size, array.dtype)
    item = array.itemsize  # a view whose base is the storage itself, so saving it again finds the storage
    return np.ndarray(size, array.dtype, buffer=array, offset=offset * item, strides=tuple(s * item for s in stride))


def _storage_array(storage: Any, dtype: np.dtype | None) -> np.ndarray:
    if type(storage) is not Storage:
        raise pickle.UnpicklingError(f"a tensor was rebuilt from a {type(storage).__name__}, not a storage")
    if dtype is None or storage.typed:
        if dtype is not None and storage.array.dtype != dtype:
            raise pickle.UnpicklingError(f"a tensor of dtype {dtype} was rebuilt from a {storage.array.dtype} storage")
        return storage.array
    if storage.array.nbytes % dtype.itemsize:
        raise pickle.UnpicklingError(f"an untyped storage of {storage.array.nbytes} bytes holds no whole number of "
                                     f"{dtype} elements")
    return storage.array.view(dtype)


def _rebuild_tensor(storage: Storage, storage_offset: int, size: tuple, stride: tuple) -> Tensor:
    """torch._utils._rebuild_tensor: a tensor viewing ``storage``."""
    return Tensor._make(_view(_storage_array(storage, None), storage_offset, size, stride))


def _rebuild_tensor_v2(storage: Storage, storage_offset: int, size: tuple, stride: tuple, requires_grad: bool,
                       backward_hooks: Any, metadata: Any = None) -> Tensor:
    """torch._utils._rebuild_tensor_v2: a tensor viewing a typed storage, with its ``requires_grad``."""
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    return _requiring_grad(t, requires_grad)


def _rebuild_tensor_v3(storage: Storage, storage_offset: int, size: tuple, stride: tuple, requires_grad: bool,
                       backward_hooks: Any, dtype: Any, metadata: Any = None) -> Tensor:
    """torch._utils._rebuild_tensor_v3: a tensor of ``dtype`` viewing an untyped storage."""
    if not isinstance(dtype, _dtype.dtype):
        raise pickle.UnpicklingError(f"_rebuild_tensor_v3 got dtype {dtype!r:.40}")
    arr = _view(_storage_array(storage, np.dtype(dtype.np)), storage_offset, size, stride)
    return _requiring_grad(Tensor._make(arr), requires_grad)


def _requiring_grad(t: Tensor, requires_grad: Any) -> Tensor:
    if type(requires_grad) is not bool:
        raise pickle.UnpicklingError(f"requires_grad must be a bool, got {type(requires_grad).__name__}")
    if requires_grad:
        t.requires_grad_()
    return t


def _rebuild_parameter(data: Tensor, requires_grad: bool, backward_hooks: Any) -> Parameter:
    """torch._utils._rebuild_parameter: a Parameter sharing ``data``'s memory."""
    if type(data) is not Tensor or type(requires_grad) is not bool:
        raise pickle.UnpicklingError(f"a Parameter was rebuilt from a {type(data).__name__}")
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data: Tensor, requires_grad: bool, backward_hooks: Any, state: Any) -> Parameter:
    """torch._utils._rebuild_parameter_with_state: a Parameter; its Python attributes are not kept."""
    return _rebuild_parameter(data, requires_grad, backward_hooks)


def _rebuild_from_type_v2(func: Callable, new_type: Any, args: tuple, state: Any) -> Tensor:
    """torch._tensor._rebuild_from_type_v2: ``func(*args)`` for a plain Tensor or Parameter, with its attributes.

    ``state`` (a tensor's Python attributes) may only add new names: one that a Tensor already has
    (a method, a slot) is refused.
    """
    rebuilders = (_rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter, _rebuild_tensor)
    if not any(func is f for f in rebuilders) or not (new_type is Tensor or new_type is Parameter) or \
            type(args) is not tuple:
        raise pickle.UnpicklingError(f"_rebuild_from_type_v2 of {new_type!r:.60} is not a tensor minitorch can rebuild")
    t = func(*args)
    if state is not None:
        if type(state) is not dict or not all(type(k) is str and not hasattr(t, k) for k in state):
            raise pickle.UnpicklingError(f"a tensor's attributes must be new names, got {state!r:.80}")
        t.__dict__.update(state)
    return t


def _encode(obj: Any, encoding: str = "utf-8") -> bytes:
    """``_codecs.encode`` as protocol 2 pickles use it: bytes from their latin-1 text."""
    if type(obj) is not str or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError("_codecs.encode may only turn latin-1 text into bytes")
    return obj.encode("latin1")


def _bytearray(*args: Any) -> bytearray:
    """``bytearray`` as pickles call it: of bytes, or of latin-1 text."""
    if args and (type(args[0]) is str and args[1:] == ("latin-1",) or type(args[0]) is bytes and len(args) == 1):
        return bytearray(*args)
    if not args:
        return bytearray()
    raise pickle.UnpicklingError("bytearray may only be rebuilt from bytes or latin-1 text")


def _missing(full: str, what: str) -> None:
    raise RuntimeError(f"minitorch.load: the file holds {what} ({full}), which minitorch does not support; convert it "
                       "in PyTorch first (for example to float32 with tensor.float()) and save that")


def _allowed() -> dict:
    allowed: dict = {
        "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.Size": Size, "torch.Tensor": Tensor, "torch.device": device, "_codecs.encode": _encode,
        "builtins.bytearray": _bytearray, "builtins.set": set, "builtins.complex": complex,
        "torch.storage.UntypedStorage": StorageType("UntypedStorage", None),
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
    }
    for f in (_rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
              _rebuild_parameter_with_state):
        allowed[f"torch._utils.{f.__name__}"] = f
    for name, dt in _STORAGES.items():
        if not isinstance(dt, str):
            allowed[f"torch.{name}"] = StorageType(name, dt)
    for d in _dtype.ALL:
        allowed[f"torch.{d.name}"] = d
    return allowed


_ALLOWED = _allowed()
_CALLABLE = {id(v): v for v in _ALLOWED.values() if callable(v) and v is not Tensor}
_NEWOBJ = (OrderedDict, Counter, set, Size)


def _unsupported_torch(full: str) -> None:
    """Raise the clear error for a torch global that names a dtype or tensor kind minitorch lacks."""
    module, _, name = full.rpartition(".")
    if module == "torch" and name in _STORAGES:
        _missing(full, f"tensors of dtype torch.{_STORAGES[name]}")
    if module == "torch" and name in _MISSING_DTYPES:
        _missing(full, f"the dtype torch.{name}")
    if module == "torch._utils" and name in _UNREBUILDABLE:
        _missing(full, f"a {name[len('_rebuild_'):].replace('_', ' ')}")


def fix_name(module: str, name: str, proto: int) -> str:
    """The Python 3 ``module.name`` of a global a protocol < 3 pickle names (``__builtin__.set``: ``builtins.set``)."""
    if proto < 3:
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
    return f"{module}.{name}"


class _Dispatch(dict):
    def __missing__(self, key: int) -> Any:
        raise pickle.UnpicklingError(f"Unsupported operand {key}")


# protocol-0 instances, the copyreg registry, text persistent ids, out-of-band buffers, and BYTEARRAY8 (which
# allocates the length it declares before reading)
_REFUSED = {pickle.INST, pickle.OBJ, pickle.EXT1, pickle.EXT2, pickle.EXT4, pickle.PERSID, pickle.NEXT_BUFFER,
            pickle.READONLY_BUFFER, pickle.BYTEARRAY8}


class WeightsUnpickler(pickle._Unpickler):
    """The restricted unpickler of ``weights_only=True`` (module docstring); ``persistent_load`` rebuilds storages."""

    def __init__(self, file: Any, persistent_load: Callable[[tuple], Storage] | None = None, *,
                 encoding: str = "utf-8"):
        super().__init__(file, encoding=encoding)
        self._persistent = persistent_load
        self._user = _user_allowed()
        self._user_ids = {id(v): v for v in self._user.values()}

    def _is_allowed(self, obj: Any) -> bool:
        return id(obj) in _CALLABLE or id(obj) in self._user_ids

    def find_class(self, module: str, name: str) -> Any:
        full = fix_name(module, name, self.proto)
        module = full.rpartition(".")[0]
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked.")
        if full in _ALLOWED:
            return _ALLOWED[full]
        if full in self._user:
            return self._user[full]
        _unsupported_torch(full)
        shown = full[len("builtins."):] if full.startswith("builtins.") else full
        raise pickle.UnpicklingError(
            f"Unsupported global: GLOBAL {shown} was not an allowed global by default. Please use "
            f"`minitorch.serialization.add_safe_globals([{shown}])` or the "
            f"`minitorch.serialization.safe_globals([{shown}])` context manager to allowlist this global if you "
            "trust this class/function."
        )

    def load_reduce(self) -> None:
        args = self.stack.pop()
        func = self.stack[-1]
        if not self._is_allowed(func):
            raise pickle.UnpicklingError(f"Trying to call reduce for unrecognized function {func!r:.80}")
        if type(args) is not tuple:
            raise pickle.UnpicklingError(f"the arguments of {func!r:.60} are a {type(args).__name__}, not a tuple")
        self.stack[-1] = func(*args)

    def load_newobj(self) -> None:
        args = self.stack.pop()
        cls = self.stack.pop()
        if type(args) is not tuple:
            raise pickle.UnpicklingError(f"the arguments of {cls!r:.60} are a {type(args).__name__}, not a tuple")
        if cls is Parameter:
            self.append(Parameter(*args))
        elif any(cls is c for c in _NEWOBJ) or (isinstance(cls, type) and id(cls) in self._user_ids):
            self.append(cls.__new__(cls, *args))
        else:
            raise pickle.UnpicklingError("Can only create new object for nn.Parameter or classes allowlisted via "
                                         f"`add_safe_globals` but got {cls!r:.80}")

    def load_newobj_ex(self) -> None:
        kwargs = self.stack.pop()
        if type(kwargs) is not dict or kwargs:
            raise pickle.UnpicklingError("NEWOBJ_EX with keyword arguments is not supported")
        self.load_newobj()

    def load_build(self) -> None:
        state = self.stack.pop()
        inst = self.stack[-1]
        if type(inst) is OrderedDict and isinstance(state, dict):
            inst.__dict__.update(state)
        elif id(type(inst)) in self._user_ids:
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
                return
            slotstate = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            if state:
                inst.__dict__.update(state)
            for k, v in (slotstate or {}).items():
                setattr(inst, k, v)
        else:
            raise pickle.UnpicklingError("Can only build OrderedDict or types allowlisted via `add_safe_globals`, "
                                         f"but got {type(inst)}")

    def _target(self, kinds: tuple, opcode: str) -> Any:
        target = self.stack[-1]
        if type(target) not in kinds and not (isinstance(target, kinds) and id(type(target)) in self._user_ids):
            names = ", ".join(k.__name__ for k in kinds)
            raise pickle.UnpicklingError(f"Can only {opcode} for {names}, but got {type(target)}")
        return target

    def load_append(self) -> None:
        item = self.stack.pop()
        self._target((list,), "APPEND").append(item)

    def load_appends(self) -> None:
        items = self.pop_mark()
        self._target((list,), "APPENDS").extend(items)

    def load_setitem(self) -> None:
        value, key = self.stack.pop(), self.stack.pop()
        self._target((dict, OrderedDict, Counter), "SETITEM")[key] = value

    def load_setitems(self) -> None:
        items = self.pop_mark()
        target = self._target((dict, OrderedDict, Counter), "SETITEMS")
        for i in range(0, len(items) - 1, 2):
            target[items[i]] = items[i + 1]

    def load_additems(self) -> None:
        items = self.pop_mark()
        self._target((set,), "ADDITEMS").update(items)

    def load_binpersid(self) -> None:
        pid = self.stack.pop()
        if type(pid) is not tuple or not pid or pid[0] not in ("storage", b"storage") or self._persistent is None:
            raise pickle.UnpicklingError(f"Only persistent_load of storage is allowed, but got {pid!r:.80}")
        self.append(self._persistent(pid))

    def load(self) -> Any:
        """The object the pickle holds; a malformed pickle raises ``pickle.UnpicklingError``, never another error."""
        try:
            return super().load()
        except (IndexError, KeyError, TypeError, ValueError, AttributeError, EOFError, OverflowError,
                UnicodeDecodeError, RecursionError) as e:
            raise pickle.UnpicklingError(f"the pickle is malformed ({type(e).__name__}: {e})") from None

    dispatch = _Dispatch({k: v for k, v in pickle._Unpickler.dispatch.items() if bytes([k]) not in _REFUSED})
    dispatch.update({pickle.REDUCE[0]: load_reduce, pickle.NEWOBJ[0]: load_newobj,
                     pickle.NEWOBJ_EX[0]: load_newobj_ex, pickle.BUILD[0]: load_build, pickle.APPEND[0]: load_append,
                     pickle.APPENDS[0]: load_appends, pickle.SETITEM[0]: load_setitem,
                     pickle.SETITEMS[0]: load_setitems, pickle.ADDITEMS[0]: load_additems,
                     pickle.BINPERSID[0]: load_binpersid})


def mapping_unpickler(base: type) -> type:
    """An Unpickler subclass of ``base`` (``weights_only=False``) that maps torch's names to minitorch."""

    class MappingUnpickler(base):
        def __init__(self, file: Any, persistent_load: Callable[[tuple], Storage] | None = None, **kwargs: Any):
            super().__init__(file, **kwargs)
            self._persistent = persistent_load

        def persistent_load(self, pid: Any) -> Storage:
            if self._persistent is None or type(pid) is not tuple:
                raise pickle.UnpicklingError(f"unsupported persistent id {pid!r:.80}")
            return self._persistent(pid)

        def find_class(self, module: str, name: str) -> Any:
            full = fix_name(module, name, getattr(self, "proto", 2))
            if full in _ALLOWED:
                return _ALLOWED[full]
            if full == "torch" or full.startswith("torch."):
                _unsupported_torch(full)
                raise RuntimeError(f"minitorch.load: the file needs {full} from PyTorch, which minitorch does not "
                                   "provide; load it with torch.load and save its state_dict() instead")
            return super().find_class(module, name)

    return MappingUnpickler


def unsafe_globals(pkl: bytes) -> list:
    """The ``GLOBAL``s a pickle names that ``weights_only`` refuses (read statically, nothing run)."""
    found, proto = set(), 2
    for op, arg, _ in pickletools.genops(pkl):
        if op.name == "PROTO":
            proto = arg
        elif op.name == "GLOBAL":
            found.add(fix_name(*arg.split(" ", 1), proto))
    return list(found.difference(_ALLOWED, _user_allowed()))


def weights_only_message(message: str) -> str:
    """torch.load's wording of a refused weights-only load, naming minitorch."""
    docs = ("\n\nCheck the documentation of minitorch.load (it follows torch.load) to learn more about types "
            "accepted by default with weights_only.")
    if "was not an allowed global by default" in message:
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, do those "
                f"steps only if you trust the source of the checkpoint. \n\t(1) {UNSAFE_MESSAGE}\n\t(2) "
                "Alternatively, to load with `weights_only=True` please check the recommended steps in the following "
                "error message.\n\tWeightsUnpickler error: " + message + docs)
    return f"Weights only load failed. {UNSAFE_MESSAGE}\nWeightsUnpickler error: \n\n{message}{docs}"
