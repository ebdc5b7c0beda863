"""``Module``: the base class of every layer, with PyTorch's registration, traversal and state_dict."""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import Any, Callable, Iterator

import numpy as np

from minitorch import _dtype
from minitorch.autograd.function import RemovableHandle
from minitorch.autograd.grad_mode import no_grad
from minitorch.nn.parameter import Buffer, Parameter
from minitorch._tensor import NOT_COMPILED_WITH_CUDA, Tensor, device, require_cpu


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it did not find and the keys it did not use."""

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()


def _to_array(value: Any) -> np.ndarray:
    """A state_dict value as a numpy array: minitorch tensors, numpy arrays, or anything with ``__array__``."""
    if isinstance(value, Tensor):
        return value._data
    if hasattr(value, "detach") and hasattr(value, "cpu") and not isinstance(value, np.ndarray):
        value = value.detach().cpu()  # a torch tensor: read it through __array__ without importing torch
    arr = np.asarray(value)
    if arr.dtype == object:
        raise TypeError(f"cannot load a value of type {type(value).__name__} into a tensor")
    return arr


class Module:
    """Base class for all layers and models.

    Assigning a ``Parameter``, a ``Module`` or a registered buffer to an attribute registers it;
    ``parameters()``, ``state_dict()``, ``train()``, ``to()`` then walk the whole tree.
    Subclasses define ``forward``; calling the module runs the forward hooks around it.
    """

    training: bool
    _version: int = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected arguments")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = OrderedDict()
        d["_buffers"] = OrderedDict()
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()
        d["_forward_hooks"] = OrderedDict()
        d["_backward_hooks"] = OrderedDict()
        d["_hook_id"] = 0

    forward: Callable[..., Any]

    def forward(self, *args: Any, **kwargs: Any) -> Any:  # noqa: F811
        """The computation of the module; every subclass overrides it (call the module, not forward)."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    # ------------------------------------------------------------------ calling
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks):
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args: tuple, kwargs: dict) -> Any:
        for hook in list(self._forward_pre_hooks.values()):
            new = hook(self, args)
            if new is not None:
                args = new if isinstance(new, tuple) else (new,)
        if self._backward_hooks:
            from minitorch.nn.modules._hooks import call_with_backward_hooks

            out = call_with_backward_hooks(self, list(self._backward_hooks.values()), args, kwargs)
        else:
            out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            new = hook(self, args, out)
            if new is not None:
                out = new
        return out

    def _add_hook(self, table: "OrderedDict", hook: Callable) -> "RemovableHandle":
        key = self._hook_id
        self.__dict__["_hook_id"] = key + 1
        table[key] = hook
        return _DictHandle(table, key)

    def register_forward_pre_hook(self, hook: Callable) -> "RemovableHandle":
        """``hook(module, args)`` runs before ``forward``; it may return replacement args."""
        return self._add_hook(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook: Callable) -> "RemovableHandle":
        """``hook(module, args, output)`` runs after ``forward``; it may return a replacement output."""
        return self._add_hook(self._forward_hooks, hook)

    def register_full_backward_hook(self, hook: Callable) -> "RemovableHandle":
        """``hook(module, grad_input, grad_output)`` runs once the gradients w.r.t. the module's inputs
        are known; it may return a replacement for ``grad_input``."""
        return self._add_hook(self._backward_hooks, hook)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        params, buffers, modules = d.get("_parameters"), d.get("_buffers"), d.get("_modules")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._discard(name, keep="_parameters")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' (minitorch.nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._discard(name, keep="_modules")
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' (Module or None expected)")
            modules[name] = None
        elif isinstance(value, Buffer):
            self._discard(name, keep="_buffers")
            self.register_buffer(name, value, persistent=getattr(value, "persistent", True))
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (Tensor or None expected)")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _discard(self, name: str, keep: str) -> None:
        """Forget ``name`` everywhere except in the table ``keep``, where re-assignment keeps its position."""
        d = self.__dict__
        d.pop(name, None)
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep:
                d[table].pop(name, None)
        if keep != "_buffers":
            d["_non_persistent_buffers_set"].discard(name)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            t = d.get(table)
            if t is not None and name in t:
                return t[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            if name in d[table]:
                del d[table][name]
                d["_non_persistent_buffers_set"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def _check_name(self, name: Any, kind: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
        if hasattr(self, name) and name not in self._parameters and name not in self._buffers \
                and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add ``param`` as a learnable weight called ``name`` (None registers an absent one, like bias=False)."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter '{name}' (minitorch.nn.Parameter or None required)")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a non-learnable tensor (e.g. running statistics) that moves with the module and its state_dict."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (minitorch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: "Module | None") -> None:
        """Add a child module called ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_name(name, "module")
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> "Module":
        """The submodule at the dotted path ``target`` ('' is self)."""
        mod = self
        for item in target.split(".") if target else []:
            if item not in mod._modules:
                raise AttributeError(f"{type(mod).__name__} has no attribute `{item}`")
            mod = mod._modules[item]
        return mod

    def get_parameter(self, target: str) -> Parameter:
        """The parameter named by the dotted path ``target`` (e.g. ``"layer.0.weight"``)."""
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if name not in mod._parameters:
            raise AttributeError(f"{type(mod).__name__} has no parameter `{name}`")
        return mod._parameters[name]

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True) -> Iterator:
        """(dotted name, module) for this module and every descendant, each module once."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self) -> Iterator["Module"]:
        """This module and every submodule, depth first, each once."""
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator:
        """(name, module) for each direct submodule, each once."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator["Module"]:
        """The direct submodules, each once."""
        for _, m in self.named_children():
            yield m

    def _named_members(self, table: str, prefix: str, recurse: bool, remove_duplicate: bool = True) -> Iterator:
        seen = set()
        mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for mod_prefix, mod in mods:
            for name, value in getattr(mod, table).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield mod_prefix + ("." if mod_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True) -> Iterator:
        """(dotted name, Parameter) for every parameter, shared ones once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The module's parameters (and its submodules' when ``recurse``), each once."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True) -> Iterator:
        """(dotted name, buffer) for the buffers of this module (and its submodules when ``recurse``)."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The module's buffers (and its submodules' when ``recurse``), each once."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn: Callable[["Module"], Any]) -> "Module":
        """Call ``fn`` on every submodule (children first) and on self, e.g. for custom initialisation."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes and gradients
    def train(self, mode: bool = True) -> "Module":
        """Set training mode (dropout active, batch norm uses batch statistics) on the whole tree."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for m in self.modules():
            m.__dict__["training"] = mode
        return self

    def eval(self) -> "Module":
        """Switch to evaluation mode (``train(False)``); returns the module."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Set ``requires_grad`` on every parameter; returns the module."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all parameters (to None by default, like torch)."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad.detach_()
                p.grad.zero_()

    # ------------------------------------------------------------------ dtype
    def to(self, *args: Any, **kwargs: Any) -> "Module":
        """``to(dtype)`` converts floating parameters and buffers in place; devices other than cpu raise."""
        dt = kwargs.pop("dtype", None)
        if "device" in kwargs:
            require_cpu(kwargs.pop("device"))
        for a in args:
            if isinstance(a, Tensor):
                dt = a.dtype
            elif isinstance(a, (str, device)):
                require_cpu(a)
            else:
                dt = a
        if dt is None:
            return self
        target = _dtype.to_dtype(dt)
        if not target.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={target}")
        return self._cast(target)

    def _cast(self, target: _dtype.dtype) -> "Module":
        for m in self.modules():
            for table in (m._parameters, m._buffers):
                for t in table.values():
                    if t is not None and t.is_floating_point() and t.dtype is not target:
                        t._data = t._data.astype(target.np)
                        if t.grad is not None:
                            t.grad = Tensor._make(t.grad._data.astype(target.np))
        return self

    def float(self) -> "Module":
        """Cast floating-point parameters and buffers to float32 in place; returns the module."""
        return self._cast(_dtype.float32)

    def double(self) -> "Module":
        """Cast floating-point parameters and buffers to float64 in place; returns the module."""
        return self._cast(_dtype.float64)

    def half(self) -> "Module":
        """Cast floating-point parameters and buffers to float16 in place; returns the module."""
        return self._cast(_dtype.float16)

    def cpu(self) -> "Module":
        """The module itself: minitorch lives on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> "Module":
        """Raises torch's "not compiled with CUDA" error: minitorch has no CUDA device."""
        raise AssertionError(NOT_COMPILED_WITH_CUDA)

    # ------------------------------------------------------------------ state_dict
    def state_dict(self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False) -> "OrderedDict":
        """An ordered dict of parameters and persistent buffers under torch's dotted names.

        The values share memory with the module's tensors (detached unless ``keep_vars``).
        """
        if destination is None:
            destination = OrderedDict()
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        return destination

    def load_state_dict(self, state_dict: Any, strict: bool = True, assign: bool = False) -> _IncompatibleKeys:
        """Copy values into this module's parameters and buffers by name.

        Values may be minitorch tensors, numpy arrays or anything with ``__array__`` (torch
        tensors included), so ``model.load_state_dict(torch_model.state_dict())`` works.
        Returns the missing and unexpected keys; with ``strict`` any of them is an error.
        """
        if not hasattr(state_dict, "keys"):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        with no_grad():
            for key, target in own.items():
                if key not in state_dict:
                    continue
                try:
                    arr = _to_array(state_dict[key])
                except TypeError as e:
                    errors.append(f'While copying the parameter named "{key}": {e}')
                    continue
                if arr.shape != target._data.shape:
                    errors.append(
                        f"size mismatch for {key}: copying a param with shape {list(arr.shape)} from checkpoint, "
                        f"the shape in current model is {list(target.shape)}."
                    )
                    continue
                if assign:
                    target._data = np.array(arr, dtype=target._data.dtype)
                else:
                    np.copyto(target._data, arr, casting="unsafe")
                target._vc[0] += 1
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors)
            )
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (its constructor arguments)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + repr(module).replace("\n", "\n  ") for name, module in self._modules.items()]
        if len(extra_lines) == 1 and not child_lines:
            return f"{self._get_name()}({extra_lines[0]})"
        if not extra_lines and not child_lines:
            return f"{self._get_name()}()"
        return self._get_name() + "(\n  " + "\n  ".join(extra_lines + child_lines) + "\n)"


class _DictHandle(RemovableHandle):
    """A handle that removes a hook from an ordered dict of hooks."""

    def __init__(self, table: "OrderedDict", key: int):
        self._table, self._key = table, key

    def remove(self) -> None:
        """Unregister the hook this handle was returned for."""
        self._table.pop(self._key, None)
