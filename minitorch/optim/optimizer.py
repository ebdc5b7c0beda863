"""``Optimizer``: the base of every optimiser (parameter groups, per-parameter state, ``state_dict``).

A subclass declares its options (``defaults``) and one ``_update(p, grad, group)`` that changes
``p._data`` in place with vectorised numpy; the base runs it under ``no_grad`` for every parameter
that has a gradient, after evaluating the optional closure with grad enabled.

Parameter groups carry torch's full set of option keys (``foreach``, ``fused``, ``capturable``,
``differentiable``...) so that ``state_dict()`` has torch's layout and a torch optimiser's state dict
loads here. numpy has one code path: ``foreach`` is accepted and changes nothing; ``fused=True``,
``capturable=True`` and ``differentiable=True`` (CUDA kernels, CUDA graphs, optimiser steps inside
autograd) are refused with an error.
"""
from __future__ import annotations

import numbers
from collections import defaultdict
from copy import deepcopy
from itertools import chain
from typing import Any, Callable, Iterable

import numpy as np

from minitorch import _dtype
from minitorch.autograd.grad_mode import enable_grad, no_grad
from minitorch._tensor import Tensor


class _RequiredParameter:
    """Marks an option without a default: every parameter group must then give it."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def _typename(obj: Any) -> str:
    """``torch.typename``: the qualified class name of ``obj`` (builtins without a module)."""
    cls = type(obj)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _scalar_dtype() -> np.dtype:
    """dtype of the ``step`` counters: float64 when that is the default dtype, else float32 (as torch)."""
    return np.dtype(np.float64) if _dtype.get_default_dtype() is _dtype.float64 else np.dtype(np.float32)


def _step_tensor(value: float = 0.0) -> Tensor:
    """A fresh 0-d ``step`` counter."""
    return Tensor._make(np.array(value, _scalar_dtype()))


def _check_nonnegative(label: str, value: Any) -> None:
    """torch's option check: ``Invalid <label>: <value>`` for negative numbers."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{label} must be a real number, but got {_typename(value)}")
    if not 0.0 <= value:
        raise ValueError(f"Invalid {label}: {value}")


def _check_flags(name: str, fused: Any = None, capturable: bool = False, differentiable: bool = False) -> None:
    """Refuse the torch options that need CUDA kernels or an autograd-recorded step (``foreach`` is free)."""
    if fused:
        raise RuntimeError(f"{name}: `fused=True` needs torch's fused CUDA kernels; minitorch updates "
                           "parameters with vectorised numpy, leave fused=None")
    if capturable:
        raise RuntimeError(f"{name}: `capturable=True` is for CUDA graph capture, which minitorch does not have")
    if differentiable:
        raise RuntimeError(f"{name}: `differentiable=True` (an optimiser step recorded by autograd) is not supported")


def _addcmul_(out: np.ndarray, value: float, a: np.ndarray, b: np.ndarray) -> None:
    """``out += value * a * b`` in place, evaluated as torch's ``addcmul_`` orders it."""
    term = np.multiply(a, value)
    term *= b
    out += term


def _addcdiv_(out: np.ndarray, value: float, a: np.ndarray, b: np.ndarray) -> None:
    """``out += value * a / b`` in place, evaluated as torch's ``addcdiv_`` orders it."""
    term = np.multiply(a, value)
    term /= b
    out += term


_CHUNK_BYTES = 1 << 17  # 128 KiB per array: the five or six arrays of an update stay in a core's L2 together


def _in_cache_chunks(*arrays: np.ndarray) -> Iterable[tuple]:
    """The arrays (all of one shape) cut into matching flat slices of about 128 KiB each.

    An optimiser's update is a dozen numpy passes over each parameter. Run on the whole of a large
    parameter, every pass streams its arrays from memory; run slice by slice, the later passes find
    them in cache (about 40% less time for Adam on a 1024x784 weight, measured). The passes are element-wise,
    so the result is bit for bit the same. Arrays that are not all C-contiguous come back whole
    (a flat view of them would be a copy, and writes to it would be lost).
    """
    size = max(1, _CHUNK_BYTES // arrays[0].itemsize)
    if arrays[0].size <= size or not all(a.flags.c_contiguous for a in arrays):
        yield arrays
        return
    flat = [a.reshape(-1) for a in arrays]
    for start in range(0, flat[0].size, size):
        yield tuple(f[start:start + size] for f in flat)


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start.lerp_(end, weight)`` with torch's two-sided formula (exact at weight 0 and 1)."""
    diff = end - start
    if abs(weight) < 0.5:
        diff *= weight
        start += diff
    else:
        diff *= 1 - weight
        np.subtract(end, diff, out=start)


class Optimizer:
    """Base class of all optimisers.

    ``params`` is an iterable of tensors, of ``(name, tensor)`` pairs, or of dicts (parameter groups,
    each a ``'params'`` list plus any options overriding ``defaults``).
    """

    _state_keys: tuple = ()  # the per-parameter state entries this optimiser writes
    _scalar_state_keys: tuple = ("step",)  # those of them that are 0-d (not shaped like the parameter)

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            f"but got {_typename(params)}")
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for group in self.param_groups:
            for name, default in self.defaults.items():
                group.setdefault(name, default)

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a parameter group (a dict with ``'params'`` and optional options) to ``param_groups``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        tensors = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        param_group["params"] = tensors
        for i, param in enumerate(tensors):
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {_typename(param)}")
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
            if not param.is_floating_point():
                raise ValueError(f"optimizer can only optimize floating point Tensors, but parameter {i} of the "
                                 f"group has dtype {param.dtype}")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        seen: dict[int, int] = {}
        for i, param in enumerate(tensors):
            if id(param) in seen:
                raise ValueError(f"optimizer contains a parameter group with duplicate parameters: parameter {i} "
                                 f"is the same tensor as parameter {seen[id(param)]}")
            seen[id(param)] = i
        for group in self.param_groups:
            if ("param_names" in param_group) != ("param_names" in group):
                kind = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {kind} to the optimizer")
            if any(id(p) in seen for p in group["params"]):
                raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: to ``None`` (default), or to zeros in place with ``set_to_none=False``."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    grad = p.grad
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad._data.fill(0)
                    grad._vc[0] += 1

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the parameters once; ``closure`` (run with grad enabled) re-evaluates and returns the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self._update(p, p.grad._data, group)
                        p._vc[0] += 1
        return loss

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement _update(p, grad, group)")

    def state_dict(self) -> dict[str, Any]:
        """``{'state': {index: {...}}, 'param_groups': [{options..., 'params': [indices]}]}`` (torch's layout)."""
        mapping: dict[int, int] = {}
        start = 0

        def pack(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            mapping.update({id(p): i for i, p in enumerate(group["params"], start) if id(p) not in mapping})
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        param_groups = [pack(g) for g in self.param_groups]
        state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore options and state saved by ``state_dict()`` (of this optimiser class, same group sizes).

        State tensors are copied (torch tensors are accepted) and cast to their parameter's dtype.
        """
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups "
                             f"({len(saved_groups)}, the optimizer has {len(groups)})")
        for i, (g, s) in enumerate(zip(groups, saved_groups)):
            if len(g["params"]) != len(s["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                                 f"optimizer's group (group {i}: {len(s['params'])} saved vs {len(g['params'])})")
        self._check_same_kind(saved_groups, state_dict["state"])
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = self._load_state_value(id_map[k], v, k)
            else:
                state[k] = v
        for g, s in zip(groups, saved_groups):
            s["params"] = g["params"]
            if "param_names" in g and "param_names" not in s:
                s["param_names"] = g["param_names"]
        self.__setstate__({"state": state, "param_groups": saved_groups})

    def _load_state_value(self, param: Tensor, value: Any, index: Any) -> Any:
        """A copy of one parameter's saved state, as minitorch tensors in the parameter's dtype."""
        return _cast(param, value, index, scalar_keys=self._scalar_state_keys)

    _BACKFILLED = frozenset({"maximize", "foreach", "capturable", "differentiable", "fused", "amsgrad",
                             "nesterov", "momentum", "centered", "decoupled_weight_decay"})

    def _check_same_kind(self, saved_groups: list, saved_state: dict) -> None:
        """Refuse a state dict written by a different optimiser class (its options or state keys differ)."""
        name = type(self).__name__
        for i, group in enumerate(saved_groups):
            missing = [k for k in self.defaults if k not in group and k not in self._BACKFILLED]
            if missing:
                raise ValueError(f"loaded state dict is not from a {name} optimizer: parameter group {i} has no "
                                 f"{missing} option(s) (it has {sorted(k for k in group if k != 'params')})")
        for k, entry in saved_state.items():
            extra = [key for key in entry if key not in self._state_keys]
            if extra:
                raise ValueError(f"loaded state dict is not from a {name} optimizer: the state of parameter {k} "
                                 f"has {extra}, but {name} keeps {list(self._state_keys)}")


def _cast(param: Tensor, value: Any, index: Any, key: str | None = None, scalar_keys: tuple = ("step",)) -> Any:
    """A copy of a saved state value as minitorch tensors, floats (all but ``step``) cast to the parameter's
    dtype as torch does; entries outside ``scalar_keys`` must have the parameter's shape, those in it be 0-d."""
    if isinstance(value, dict):
        return {k: _cast(param, v, index, k, scalar_keys) for k, v in value.items()}
    if key == "step" and isinstance(value, numbers.Number):
        return _step_tensor(float(value))
    if isinstance(value, Tensor) or hasattr(value, "__array__"):
        arr = np.array(value._data if isinstance(value, Tensor) else np.asarray(value), copy=True)
        if key != "step":
            if param.is_floating_point():
                arr = arr.astype(param._data.dtype, copy=False)
            shape = () if key in scalar_keys else param._data.shape
            if arr.shape != shape:
                raise ValueError(f"loaded state '{key}' of parameter {index} has shape {list(arr.shape)}, "
                                 f"but it should have shape {list(shape)}")
        return Tensor._make(arr)
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v, index, scalar_keys=scalar_keys) for v in value)
    return value
