"""Nodes of the backward graph and the ``Function`` API for writing differentiable ops.

A call ``F.apply(*inputs)`` runs ``F.forward`` and, when grad mode is on and some input
requires grad, records one node in the graph. The node *is* the ``ctx`` that ``forward``
saw (as in PyTorch): it keeps the saved tensors, ``needs_input_grad`` and the edges
``next_functions`` to the nodes of its inputs. ``backward`` later maps the gradients of
the outputs to the gradients of the inputs.

Two flavours share this machinery (one ``apply``, one ``_call_backward``; the class flag
``_arrays_in_forward`` tells them apart):

* ``Function`` — PyTorch's API. ``forward(ctx, *args)`` receives Tensors (run with grad
  mode off) and returns Tensors; use it for custom ops in user code.
* ``Op`` — minitorch's primitives (``minitorch/ops``). ``forward`` receives the numpy
  arrays inside the Tensors and returns numpy arrays, so it is plain numpy math;
  arrays given to ``ctx.save_for_backward`` come back from ``ctx.saved_tensors`` as the
  Tensors they belong to, so ``backward`` is written in Tensor ops and is itself
  differentiable (which is all ``create_graph=True`` needs).

  An Op whose ``backward`` uses only operations that numpy arrays and Tensors share
  (``* + - / @ .T .reshape`` and the helpers of ``ops/_util``) sets ``arrays_in_backward``.
  Without ``create_graph`` nothing needs to be recorded, so the engine asks ``_call_backward``
  for *array mode*: that same ``backward`` runs on the raw arrays (gradients and
  ``saved_tensors`` are ndarrays): one formula, and no per-operation Tensor bookkeeping in the
  common case. The engine chooses the mode for the whole pass and passes it to ``_call_backward``;
  for the pass it sets grad mode (per thread) to ``ARRAY_PASS``, an "off" that also tells
  ``saved_tensors`` to hand such an Op the arrays. Nothing is written on the node, so two threads
  may run backward over one retained graph at once, one of them with ``create_graph``.
"""
from __future__ import annotations

import itertools
import operator
import weakref
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from minitorch.autograd import anomaly_mode, grad_mode
from minitorch.autograd.grad_mode import ARRAY_PASS
from minitorch.autograd.anomaly_mode import recording, remember_creation
from minitorch._tensor import Tensor, wrap
from minitorch.autograd.views import fresh

_grad_on, _set_grad = grad_mode._grad_on, grad_mode._set_grad  # this thread's grad mode: read, set
_new = object.__new__  # a node or Tensor without running __init__ (nothing in the hierarchy defines __new__)
_sequence = itertools.count()
_observer: Callable | None = None  # while minitorch.onnx traces a model: called as _observer(cls, args) by apply


@contextmanager
def tensor_mode() -> Iterator[None]:
    """Within the block ``saved_tensors`` gives Tensors, as outside backward (for user code that runs inside
    an array-mode pass: hooks): grad mode goes from ``ARRAY_PASS`` to plain off for the block."""
    if _grad_on() is not ARRAY_PASS:
        yield
        return
    _set_grad(False)
    try:
        yield
    finally:
        _set_grad(ARRAY_PASS)


# Weak references to the leaf accumulators that carry hooks (they must run once, on the summed
# gradient); while there are none, the engine may add each contribution to a leaf's .grad as it arrives.
_hooked_accumulators: set = set()
# Weak references to the other nodes that were given a hook or a retained grad: while there are none,
# the engine skips looking for hooks at each node.
_hooked_nodes: set = set()

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class RemovableHandle:
    """Returned by every ``register_*hook``; ``remove()`` unregisters the hook."""

    def __init__(self, hooks: list, hook: Callable):
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


class Node:
    """A node of the backward graph (``torch.autograd.graph.Node``).

    ``_next`` holds one entry per forward argument (a list, never changed after ``apply`` made it): an edge
    ``(node, output_nr)``, ``None`` for a tensor that needs no gradient, ``False`` for a non-tensor argument;
    ``_seq`` orders nodes like torch's sequence numbers.
    """

    _next: list | tuple = ()
    _n_outputs: int = 1
    _pre_hooks: dict | None = None  # output_nr -> [tensor hooks]
    _retain: dict | None = None  # output_nr -> tensor whose .grad is retained
    _post_hooks: list | None = None
    _seq: int = 0
    _saved: tuple | None = None  # what forward saved for backward (a leaf's accumulator: nothing)

    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple:
        """The edges to the nodes of the tensor inputs: ``((node or None, output_nr), ...)``."""
        return tuple(e if e is not None else (None, 0) for e in self._next if e is not False)

    def register_hook(self, fn: Callable) -> RemovableHandle:
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward; may return new grad_inputs."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        self._mark_hooked()
        return RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn: Callable) -> RemovableHandle:
        """``fn(grad_outputs)`` runs before this node's backward; may return new grad_outputs."""
        return self._add_tensor_hook(-1, fn)

    def _add_tensor_hook(self, output_nr: int, fn: Callable) -> RemovableHandle:
        if self._pre_hooks is None:
            self._pre_hooks = {}
        self._mark_hooked()
        hooks = self._pre_hooks.setdefault(output_nr, [])
        hooks.append(fn)
        return RemovableHandle(hooks, fn)

    def _mark_hooked(self) -> None:
        """Called when a hook or a retained grad is added: the node registers itself with the engine."""
        _hooked_nodes.add(weakref.ref(self, _hooked_nodes.discard))

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the gradient it receives into ``variable.grad``."""

    _seq = float("inf")  # run as soon as ready, like torch's AccumulateGrad

    def __init__(self, variable: Tensor):
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def _mark_hooked(self) -> None:
        _hooked_accumulators.add(weakref.ref(self, _hooked_accumulators.discard))


def _edge(t: Tensor) -> tuple | None:
    """The edge a node keeps to input ``t``: its grad_fn output, or its leaf accumulator."""
    if t._grad_fn is not None:
        return (t._grad_fn, t._output_nr)
    acc = t._accumulator
    if acc is None:
        acc = t._accumulator = AccumulateGrad(t)
    return (acc, 0)


class _NeedsInputGrad:
    """``ctx.needs_input_grad``: for each forward argument, whether it is a Tensor that needs a gradient (empty
    while the call is not recorded). Worked out from the edges on first reading and then kept on the node,
    so the ops that never read it (most of them) do not pay for it."""

    def __get__(self, node: Any, owner: type) -> Any:
        if node is None:
            return self
        needs = node.__dict__["needs_input_grad"] = tuple([bool(e) for e in node._next])
        return needs


class FunctionBase(Node):
    """What ``Function`` and ``Op`` share: one ``apply`` (run forward, record the node), saved tensors,
    ``needs_input_grad``, and one ``_call_backward`` through which both engines run ``backward``."""

    needs_input_grad: tuple = _NeedsInputGrad()
    materialize_grads: bool = True
    _freed: bool = False
    _non_differentiable: tuple = ()
    _out_meta: tuple = ()  # (shape, numpy dtype) per output, to materialise missing grads
    _in_shapes: tuple = ()  # per forward argument, a Tensor's shape or None: a Function's grads are checked
    # forward maps ndarrays to ndarrays (Op); False: Tensors to Tensors, run under no_grad (Function)
    _arrays_in_forward: bool = False
    arrays_in_backward: bool = False  # backward is written over operations that ndarrays and Tensors share (Ops)
    scalars_are_inputs: bool = False  # a Python-number argument is listed in next_functions, as torch does

    def name(self) -> str:
        return type(self).__name__ + "Backward"

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` for ``backward``; they are checked for in-place changes when read back."""
        self._saved = tensors

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs (e.g. indices) that get no grad_fn and receive no gradient."""
        self._non_differentiable = outputs

    def set_materialize_grads(self, value: bool) -> None:
        """With False, missing output gradients reach ``backward`` as None instead of zeros."""
        self.materialize_grads = value

    @property
    def saved_tensors(self) -> tuple:
        """The tensors saved in forward, after checking that no in-place op has changed them; for an Op with
        ``arrays_in_backward`` during a pass in array mode (see ``_call_backward``), the arrays inside them."""
        saved = self._saved
        if saved is None:
            if self._freed:
                raise RuntimeError(_FREED)
            return ()
        if not (self.arrays_in_backward and _grad_on() is ARRAY_PASS):
            return tuple([_unpack(self, s) for s in saved])
        arrays = []
        for s in saved:  # inline: this runs for every node of every backward
            if type(s) is _Saved:
                _, array, vc, version, _ = s
                if vc[0] != version:
                    _modified(self, s)
                arrays.append(array)
            else:
                arrays.append(s._data if type(s) is Tensor else s)
        return tuple(arrays)

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run ``forward`` on ``args`` (an Op's on the arrays inside the Tensors) and, when grad mode is on
        and a Tensor argument requires grad, record the call as a node: the ``ctx`` that forward saw, with
        an edge to the node of each input that requires grad."""
        if _observer is not None:
            return _observer(cls, args)
        ctx = _new(cls)
        unwrap = cls._arrays_in_forward
        grad_on = _grad_on()
        edges = None  # stays None unless the call is recorded
        if grad_on:
            arrays, edges, record = [], [], False
            for a in args:  # one pass: the arrays and the edge to each input that needs a gradient
                if isinstance(a, Tensor):
                    if a._base is not None:
                        fresh(a)
                    arrays.append(a._data)
                    if a._requires_grad:
                        record, fn = True, a._grad_fn  # no grad_fn: a leaf, whose accumulator _edge makes once
                        edges.append((fn, a._output_nr) if fn is not None else (a._accumulator or _edge(a)[0], 0))
                    else:
                        edges.append(None)
                else:
                    arrays.append(a)
                    edges.append(None if cls.scalars_are_inputs and type(a) in (int, float) else False)
            if record:  # set before forward runs (needs_input_grad reads it), so that forward can save only what
                ctx._next = edges  # backward will read
            else:
                edges = None
            inputs = arrays if unwrap else args
        else:
            inputs = [a._data if isinstance(a, Tensor) else a for a in args] if unwrap else args
        if unwrap:
            out = cls.forward(ctx, *inputs)
        else:
            _set_grad(False)
            try:
                out = cls.forward(ctx, *inputs)
            finally:
                _set_grad(grad_on)
        if unwrap and type(out) is not tuple:  # the common case: one array
            if type(out) is not np.ndarray:  # numpy returns scalars for 0-d results
                out = _scalar_to_array(ctx, out)
            result = wrap(out)
            if edges is None:
                return result
            if out.dtype.kind == "f":
                result._grad_fn, result._requires_grad = ctx, True
            outs = None
        else:
            is_tuple = isinstance(out, tuple)
            outs = _wrap_outputs(ctx, out if is_tuple else (out,), args, edges is not None)
            result = outs if is_tuple else outs[0]
            if edges is None:
                return result
            ctx._n_outputs = len(outs)
            ctx._out_meta = tuple((o._data.shape, o._data.dtype) if o is not None else ((), None) for o in outs)
            if not unwrap:
                ctx._in_shapes = tuple(a.shape if isinstance(a, Tensor) else None for a in args)
        ctx._seq = next(_sequence)
        if ctx._saved is not None:
            ctx._saved = _saved_records(ctx._saved, args, inputs, (result,) if outs is None else outs)
        if anomaly_mode.ever_on and recording():
            remember_creation(ctx, result)
        return result

    def _call_backward(self, grads: list, arrays: bool) -> tuple:
        """The gradients of the forward arguments from those of the outputs (None: no gradient reached one).

        ``arrays`` is the engine's choice for the whole backward pass (True when it records no graph of the
        gradients, i.e. without ``create_graph``; grad mode is then ``ARRAY_PASS`` for the pass):
        an Op with ``arrays_in_backward`` then runs ``backward`` on the ndarrays inside the gradients and
        saved tensors and may return ndarrays; otherwise
        ``backward`` gets Tensors. An Op that receives no gradient at all passes None on without running,
        as torch's built-in nodes do; a Function's ``backward`` runs, on zeros unless it turned
        ``materialize_grads`` off."""
        if arrays and self.arrays_in_backward:  # (only Ops set it)
            if len(grads) == 1:
                g = grads[0]
                if g is None:
                    return (None,) * len(self._next)
                result = type(self).backward(self, g._data if isinstance(g, Tensor) else g)
            else:
                if all(g is None for g in grads):
                    return (None,) * len(self._next)
                values = [g._data if isinstance(g, Tensor) else g for g in grads]
                if self.materialize_grads:
                    values = [np.zeros(*self._out_meta[i]) if g is None else g for i, g in enumerate(values)]
                result = type(self).backward(self, *values)
            return result if type(result) is tuple else (result,)  # Ops' counts are checked in Tensor mode
        if self._arrays_in_forward and all(g is None for g in grads):
            return (None,) * len(self._next)
        values = [g if g is None or isinstance(g, Tensor) else wrap(np.asarray(g)) for g in grads]
        if self.materialize_grads:
            for i, g in enumerate(values):
                if g is None:
                    shape, dt = self._out_meta[i]
                    values[i] = wrap(np.zeros(shape, dt))
        result = type(self).backward(self, *values)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) != len(self._next):
            result = _trim(self, result)
        if self._in_shapes:
            _check_function_grads(self, result)
        return result


def _scalar_to_array(ctx: FunctionBase, scalar: Any) -> np.ndarray:
    """A 0-d result that numpy gave as a scalar, as an array (also where forward saved it)."""
    out = np.asarray(scalar)
    if ctx._saved is not None:
        ctx._saved = tuple(out if s is scalar else s for s in ctx._saved)
    return out


def _trim(node: FunctionBase, grads: tuple) -> tuple:
    """One gradient per forward argument: extra trailing Nones are dropped, any other count is an error."""
    n = len(node._next)
    if len(grads) > n and all(g is None for g in grads[n:]):
        return grads[:n]
    raise RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients (expected {n}, got {len(grads)})"
    )


def _check_function_grads(node: FunctionBase, grads: tuple) -> None:
    """A custom Function's gradients must be Tensors shaped like the inputs they belong to."""
    for i, (g, shape) in enumerate(zip(grads, node._in_shapes)):
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"{node.name()} returned a gradient of type {type(g).__name__}, expected a Tensor")
        if g is not None and shape is not None and g.shape != shape:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got "
                f"{list(g.shape)} but expected shape compatible with {list(shape)}"
            )


def _unpack(node: FunctionBase, s: Any) -> Any:
    """Turn one saved record back into a Tensor, raising if it was modified in place."""
    if type(s) is not _Saved:
        return s
    t, array, vc, version, output_nr = s
    if vc[0] != version:
        _modified(node, s)
    if t is None:  # an output of ``node``: rebuilt here so the graph holds no reference cycle
        t = wrap(array)
        t._vc = vc
        if node._next:
            t._grad_fn, t._output_nr, t._requires_grad = node, output_nr, True
    return t


def _modified(node: FunctionBase, s: "_Saved") -> None:
    shape = list(s.array.shape) if s.array is not None else list(s.tensor.shape)
    dt = s.array.dtype if s.array is not None else s.tensor._data.dtype
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{dt} {shape}], which is output {s.output_nr} of {node.name()}, is at "
        f"version {s.vc[0]}; expected version {s.version} instead. Hint: the backtrace further "
        "above can show the operation that failed to compute its gradient."
    )


class _Saved(tuple):
    """A saved tensor as ``(tensor, array, vc, version, output_nr)``: the version its counter ``vc``
    had when saved, and ``tensor`` None for the node's own outputs (rebuilt on unpacking).

    A tuple, made with ``tuple.__new__(_Saved, ...)`` where the ops save, so saving costs no Python call."""

    __slots__ = ()
    tensor = property(operator.itemgetter(0))
    array = property(operator.itemgetter(1))
    vc = property(operator.itemgetter(2))
    version = property(operator.itemgetter(3))
    output_nr = property(operator.itemgetter(4))


def _wrap_outputs(ctx: FunctionBase, outs: tuple, args: tuple, record: bool) -> tuple:
    """Turn forward's results into Tensors and, when recording, attach them to ``ctx``."""
    wrapped = []
    for i, o in enumerate(outs):
        if o is None:
            wrapped.append(None)
            continue
        if not isinstance(o, Tensor):
            o = wrap(o if type(o) is np.ndarray else np.asarray(o))
        elif record and any(o is a for a in args):  # an input returned as is becomes a new alias
            alias = wrap(o._data)
            alias._vc = o._vc
            o = alias
        if record and o._data.dtype.kind == "f" and not any(o is n for n in ctx._non_differentiable):
            o._grad_fn, o._output_nr, o._requires_grad = ctx, i, True
        wrapped.append(o)
    return tuple(wrapped)


class Function(FunctionBase):
    """Base class for custom differentiable operations, with PyTorch's API.

    Subclass it with two static methods and call ``MyFn.apply(*args)``::

        class Exp(Function):
            @staticmethod
            def forward(ctx, x):             # x is a Tensor; grad mode is off here
                y = x.exp()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad):         # one gradient per output
                (y,) = ctx.saved_tensors
                return grad * y              # one gradient per forward argument
    """

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        raise NotImplementedError("You must implement the backward function for custom autograd.Function.")


class Op(FunctionBase):
    """A minitorch primitive: ``forward`` is numpy in, numpy out; ``backward`` is Tensor ops.

    When the call is recorded, ``ctx.needs_input_grad`` is already set when ``forward`` runs (it is
    empty otherwise), so forward can save only what backward will read, as torch's nodes do.
    Node names follow PyTorch's (``Mul`` records ``MulBackward0``).
    """

    _arrays_in_forward = True

    def name(self) -> str:
        return type(self).__name__ + "Backward0"


def _saved_records(saved: tuple, args: tuple, inputs: list, outs: tuple) -> tuple:
    """What forward saved, each Tensor (a Function's) or array (an Op's) recorded with the version of the
    Tensor it belongs to, an input or an output; the node's own outputs are recorded without the Tensor
    (rebuilt on unpacking, so the graph holds no reference cycle). Any other array is an intermediate
    result, a constant for backward."""
    records = []
    for s in saved:
        if type(s) is np.ndarray:
            for a, x in zip(args, inputs):
                if s is x and isinstance(a, Tensor):
                    s = tuple.__new__(_Saved, (a, x, a._vc, a._vc[0], 0))
                    break
            else:
                for i, o in enumerate(outs):
                    if o is not None and s is o._data:
                        s = tuple.__new__(_Saved, (None, s, o._vc, o._vc[0], i))
                        break
                else:
                    s = wrap(s)
        elif isinstance(s, Tensor):
            for i, o in enumerate(outs):
                if s is o:
                    s = tuple.__new__(_Saved, (None, s._data, s._vc, s._vc[0], i))
                    break
            else:
                s = tuple.__new__(_Saved, (s, s._data, s._vc, s._vc[0], 0))
        records.append(s)
    return tuple(records)
