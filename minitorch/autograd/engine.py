"""The fast backward pass: the same gradients as ``reference_engine.py``, without its sorting pass.

1. Start from the roots with their gradients. Every node that has received a gradient waits
   in a heap ordered by creation (its sequence number), and the newest runs first. A node's
   consumers were all created after it, so when it runs every gradient it will receive has
   arrived: a tensor used twice gets the *sum* of both contributions before its own backward
   runs. No pass over the graph is needed to count dependencies, and the loop is iterative,
   so a chain of 10,000 ops needs no recursion.
2. Leaves (``AccumulateGrad``) have no such order. While nothing watches them (no hooks,
   observers or ``inputs=``), each contribution is added to ``.grad`` as it arrives; otherwise
   one pass counts the edges into each leaf, and a leaf runs as soon as its last gradient
   arrives, as torch's accumulators do.
3. A node's ``backward`` runs under ``no_grad`` and in array mode (on bare ndarrays, for the Ops
   that allow it) unless ``create_graph`` is set; then the gradients are Tensors, themselves
   recorded, and can be differentiated again.
4. ``autograd.grad`` captures the gradients at the requested inputs instead of accumulating.

``_GraphTask`` holds one pass; ``_GraphTask.run`` is the loop: deliver the gradients a node sent, pick
the newest node that may run, run it.
"""
from __future__ import annotations

import itertools
from contextvars import ContextVar
from heapq import heappop, heappush
from typing import Any, Sequence

import numpy as np

from minitorch.autograd import anomaly_mode, grad_mode
from minitorch.autograd.grad_mode import ARRAY_PASS
from minitorch.autograd.anomaly_mode import check_gradients, checking
from minitorch.autograd.function import (
    AccumulateGrad, FunctionBase, _edge, _hooked_accumulators, _hooked_nodes, tensor_mode,
)
from minitorch._tensor import Tensor, wrap
from minitorch.autograd.views import fresh

_grad_on, _set_grad = grad_mode._grad_on, grad_mode._set_grad  # this thread's grad mode: read, set
_call_backward = FunctionBase._call_backward  # every node's but a leaf's (looked up once, not per node)
_ticks = itertools.count()  # ties in the ready heap (leaves all have seq = inf) go first come, first served

# Per thread (a ContextVar, as grad mode): callables (node, grads_received, grads_sent or None) run after
# each node, for tracing. A trace in one thread sees only that thread's backward passes.
_observers: ContextVar[tuple] = ContextVar("minitorch_backward_observers", default=())


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return ()
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _root_grads(outputs: tuple, grad_outputs: tuple) -> list:
    """Check the outputs and build their starting gradients (ones for scalars)."""
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"grad_tensors should have the same length as tensors: got {len(grad_outputs)} "
                           f"gradients for {len(outputs)} outputs")
    roots = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(out, Tensor):
            raise TypeError(f"outputs must be Tensors, got {type(out).__name__} at position {i}")
        if out._base is not None:
            fresh(out)  # a stale view re-makes its history first
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            one = np.array(1, out._data.dtype)  # a bare array: the engine wraps gradients only where needed
            g = one.reshape(out._data.shape) if out._data.ndim else one
        else:
            if not isinstance(g, Tensor):
                g = wrap(np.asarray(g, out._data.dtype))
            if g._data.shape != out._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a shape "
                    f"of {out.shape}."
                )
            if g._data.dtype != out._data.dtype:
                g = g.to(out.dtype)
        fn = out._grad_fn
        roots.append(((fn, out._output_nr) if fn is not None else _edge(out), g))
    return roots


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Sequence[Tensor] | None = None) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the leaves (or of ``inputs`` only)."""
    outputs = (tensors,) if isinstance(tensors, Tensor) else _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(outputs)
    roots = _root_grads(outputs, grads)
    targets = None
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        targets = {}
        for t in inputs:
            if not t.requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            targets[_edge(t)] = t
    task = _GraphTask(roots, create_graph, targets, accumulate=True)
    captured = task.run(roots, retain_graph if retain_graph is not None else create_graph)
    if targets is None:
        return
    for edge, t in targets.items():  # non-leaf inputs get their .grad too (unless retain_grad did it)
        g = captured.get(edge)
        if g is not None and type(edge[0]) is not AccumulateGrad and not t._retains_grad:
            t._grad = g if t._grad is None else t._grad + g


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None, materialize_grads: bool = False) -> tuple:
    """Return d(outputs)/d(inputs) without touching any ``.grad``."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    roots = _root_grads(outputs, grads)
    targets = {}
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor):
            raise TypeError(f"inputs must be Tensors, got {type(t).__name__} at position {i}")
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        targets[_edge(t)] = t
    task = _GraphTask(roots, create_graph, targets, accumulate=False)
    captured = task.run(roots, retain_graph if retain_graph is not None else create_graph)
    result = []
    for i, t in enumerate(inputs):
        g = captured.get(_edge(t))
        if g is None:
            if materialize_grads:
                g = wrap(np.zeros(t._data.shape, t._data.dtype))
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} (shape {list(t.shape)}) appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
        result.append(g)
    return tuple(result)


def _needed(roots: list, targets: dict) -> set:
    """The nodes from which some target edge can be reached (only those must run)."""
    target_nodes = {e[0] for e in targets}
    order, seen, stack = [], set(), [e[0] for e, _ in roots]
    while stack:  # iterative post-order
        node = stack[-1]
        if node not in seen:
            seen.add(node)
            stack.extend(e[0] for e in node._next if e and e[0] not in seen)
        else:
            stack.pop()
            order.append(node)
    needed = set()
    for node in order:  # children come before parents in ``order``
        if node in target_nodes or any(e and e[0] in needed for e in node._next):
            needed.add(node)
    return needed


def _leaf_consumers(roots: list) -> dict:
    """For every leaf accumulator below the roots, how many edges point at it (how many gradients
    it will receive): it runs once they have all arrived."""
    counts: dict = {}
    seen = {node for (node, _), _g in roots}
    stack = list(seen)
    while stack:
        for e in stack.pop()._next:
            if e:
                nxt = e[0]
                if type(nxt) is AccumulateGrad:
                    counts[nxt] = counts.get(nxt, 0) + 1
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    return counts


class _GraphTask:
    """One backward pass (torch's ``GraphTask``): its options and the state of its loop.

    ``buffers[node]`` sums the gradients received so far for each output of a node that has not run.
    The nodes that may run wait in ``ready``, a heap of ``(-seq, tick, node)`` (newest first; ``_ticks``
    orders the leaves, which all have ``seq`` = inf, first come first served), except the one made ready
    last, which the loop keeps beside the heap: along a chain the heap is never touched.
    ``waiting[leaf]`` counts the gradients a leaf accumulator still expects; it is None while nothing
    watches the leaves (no hooks, observers or ``inputs=``) and each contribution goes into ``.grad`` as
    it arrives. ``claimed`` holds the ids of the gradient arrays already stored in a ``.grad`` or handed
    out (copied before being stored again); ``captured`` keeps the gradients reaching the ``targets``."""

    __slots__ = ("create_graph", "targets", "accumulate", "needed", "waiting", "claimed", "buffers", "ready",
                 "captured")

    def __init__(self, roots: list, create_graph: bool, targets: dict | None, accumulate: bool):
        self.create_graph, self.targets, self.accumulate = create_graph, targets, accumulate
        self.needed = _needed(roots, targets) if targets is not None else None
        plain = targets is None and accumulate and not _observers.get() and not _hooked_accumulators
        self.waiting = None if plain else _leaf_consumers(roots)
        self.claimed, self.buffers, self.ready, self.captured = set(), {}, [], {}
        for edge, g in roots:
            self.claimed.add(id(g._data if isinstance(g, Tensor) else g))
            if self.waiting is not None and type(edge[0]) is AccumulateGrad:  # a leaf root: one more to wait for
                self.waiting[edge[0]] = self.waiting.get(edge[0], 0) + 1

    def run(self, roots: list, retain_graph: bool) -> dict:
        """Deliver the roots' gradients, then run the nodes newest first, each sending its inputs'
        gradients along its edges, and return the captured gradients. Grad mode is on only to build
        a graph of the gradients (``create_graph``); otherwise the nodes run in array mode."""
        ready, buffers, waiting, ticks = self.ready, self.buffers, self.waiting, _ticks
        # someone inspects every node's gradients (as Tensors)
        watched = bool(_observers.get()) or (anomaly_mode.ever_on and checking())
        hooked = bool(_hooked_nodes or _hooked_accumulators)  # some node may carry hooks (else none is read)
        plain = not (watched or hooked or self.targets is not None or waiting is not None)  # (leaves: no heap)
        arrays = not self.create_graph
        edges, sent = zip(*roots)
        latest = None  # the node made ready last, kept out of the heap
        prev_mode = _grad_on()
        _set_grad(True if self.create_graph else ARRAY_PASS)  # off, in array mode, unless building a graph
        try:
            while True:
                for edge, g in zip(edges, sent):  # deliver each gradient (None: none) along its edge
                    if not edge:
                        continue
                    node, nr = edge
                    if type(node) is AccumulateGrad:
                        if waiting is not None:
                            self.send_to_watched_leaf(node, g)
                        elif g is not None:
                            self.accumulate_into(node.variable, g)
                        continue
                    buf = buffers.get(node)
                    if buf is None:  # its first gradient: it may run (the nodes that send it more are newer)
                        buf = buffers[node] = [None] * node._n_outputs
                        buf[nr] = g
                        if latest is not None:
                            heappush(ready, (-latest._seq, next(ticks), latest))
                        latest = node
                    elif g is not None:
                        buf[nr] = _add(buf[nr], g)
                if latest is not None and (not ready or -latest._seq < ready[0][0]):
                    node, latest = latest, None
                elif ready:
                    node = heappop(ready)[2]
                else:
                    return self.captured
                grads = buffers.pop(node)
                if plain:
                    sent = _call_backward(node, grads, arrays)
                else:
                    sent = self.run_watched(node, grads, arrays, watched, hooked)
                if not retain_graph and node._saved is not None:  # free what forward saved
                    node._saved, node._freed = None, True
                edges = node._next
        finally:
            _set_grad(prev_mode)

    def run_watched(self, node: Any, grads: list, arrays: bool, watched: bool, hooked: bool) -> tuple:
        """Run one node (or a leaf) of a pass with hooks, observers, targets or watched leaves; returns the
        gradients it sends along its edges (none when the node need not run)."""
        if hooked and (node._pre_hooks or node._retain):
            with tensor_mode():
                grads = self.hooks_before(node, grads)
        if self.targets is not None and self.capture(node, grads):
            return ()  # nothing that must run is upstream of this node
        if type(node) is AccumulateGrad:
            self.run_leaf(node, grads)
            return ()
        sent = _call_backward(node, grads, arrays)
        if watched or (hooked and node._post_hooks):
            with tensor_mode():
                sent = _hooks_after(node, _tensors(sent), _tensors(grads))
        return sent

    def send_to_watched_leaf(self, leaf: AccumulateGrad, g: Any) -> None:
        """Sum the gradients of a watched leaf (hooks, observers, ``inputs=``): it runs once, on the
        total, when the last of them has arrived."""
        buf = self.buffers.setdefault(leaf, [None])
        if g is not None:
            buf[0] = _add(buf[0], g)
        left = self.waiting[leaf] = self.waiting[leaf] - 1
        if not left:
            heappush(self.ready, (-leaf._seq, next(_ticks), leaf))

    def run_leaf(self, leaf: AccumulateGrad, grads: list) -> None:
        """A watched leaf with all its gradients: add their sum to ``.grad`` (unless only other ``inputs=``
        are accumulated), then show it to the observers."""
        if self.accumulate and grads[0] is not None and (self.targets is None or (leaf, 0) in self.targets):
            self.accumulate_into(leaf.variable, grads[0])
        for observe in _observers.get():
            observe(leaf, _tensors(grads), None)

    def hooks_before(self, node: Any, grads: list) -> list:
        """Tensor hooks on the node's outputs, then ``retain_grad`` tensors taking their ``.grad``."""
        grads = _tensors(grads)
        if node._pre_hooks:
            grads = _run_pre_hooks(node, grads)
        for nr, t in (node._retain or {}).items():
            if grads[nr] is not None:
                t._grad = self.claim(grads[nr]) if t._grad is None else t._grad + grads[nr]
        return grads

    def capture(self, node: Any, grads: list) -> bool:
        """Keep the gradients that reach a target; True when the node itself need not run."""
        targets = self.targets
        for nr in range(len(grads)):
            if (node, nr) in targets and grads[nr] is not None:
                grads[nr] = _tensor(grads[nr])
                self.captured[(node, nr)] = grads[nr]
                if not self.accumulate:
                    self.claimed.add(id(grads[nr]._data))
        if node not in self.needed:
            return True
        return not self.accumulate and type(node) is not AccumulateGrad \
            and all((node, nr) in targets for nr in range(len(grads))) \
            and not any(e and e[0] in self.needed for e in node._next)

    def claim(self, g: Any) -> Tensor:
        """The gradient to store in a ``.grad``: a private copy unless it is fresh and unshared."""
        if self.create_graph:
            return _tensor(g)
        arr = g._data if isinstance(g, Tensor) else np.asarray(g)
        if arr.base is not None or id(arr) in self.claimed or not arr.flags.writeable:
            arr = arr.copy()
        self.claimed.add(id(arr))
        return wrap(arr)

    def accumulate_into(self, leaf: Tensor, g: Any) -> None:
        """leaf.grad += g (in place, or out of place when building a graph of the gradient)."""
        arr = g._data if isinstance(g, Tensor) else g
        if arr.shape != leaf._data.shape:
            raise RuntimeError(
                f"Function AccumulateGrad received a gradient of shape {list(arr.shape)} for a tensor of shape "
                f"{list(leaf.shape)}"
            )
        if arr.dtype != leaf._data.dtype:
            g = _tensor(g).to(leaf.dtype)
            arr = g._data
        old = leaf._grad
        if old is None:
            leaf._grad = self.claim(g)
        elif self.create_graph or old._requires_grad:
            leaf._grad = old + _tensor(g)
        elif id(old._data) in self.claimed:  # stored by this backward and maybe shared with a pending gradient
            leaf._grad = wrap(old._data + arr)
        else:
            old._data += arr
            old._vc[0] += 1


def _tensor(g: Any) -> Tensor:
    """A gradient as a Tensor (bare arrays come from backwards run on ndarrays)."""
    if isinstance(g, Tensor):
        return g
    return wrap(g if type(g) is np.ndarray else np.asarray(g))


def _tensors(grads: Any) -> Any:
    return type(grads)(g if g is None else _tensor(g) for g in grads)


def _add(a: Any, b: Any) -> Any:
    """The sum of two gradients for one tensor (None: none yet), as arrays when both are arrays."""
    if a is None:
        return b
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return _tensor(a) + _tensor(b)
    return a + b


def _hooks_after(node: Any, result: tuple, grads: list) -> tuple:
    """Node post-hooks (may replace the result), then anomaly checks and observers."""
    for hook in node._post_hooks or ():
        new = hook(result, tuple(grads))
        if new is not None:
            result = tuple(new)
    if checking():
        check_gradients(node, result)
    for observe in _observers.get():
        observe(node, grads, result)
    return result


def _run_pre_hooks(node: Any, grads: list) -> list:
    grads = list(grads)
    for nr, hooks in node._pre_hooks.items():
        if nr == -1:
            for hook in list(hooks):
                new = hook(tuple(grads))
                if new is not None:
                    grads = list(new)
            continue
        for hook in list(hooks):
            if grads[nr] is None:
                continue
            new = hook(grads[nr])
            if new is not None:
                grads[nr] = new
    return grads
