"""The ONNX graph under construction and the tracer that fills it while the model runs.

While ``export`` runs the model, ``FunctionBase.apply`` hands every op call to a ``Recorder``
(``minitorch.autograd.function._observer``). The recorder runs the op as usual and then converts it:
it looks up the ONNX value of each tensor argument (a graph input, the output of an earlier converted
op, or else a constant that becomes an initializer) and asks the op's converter (``_ops.CONVERTERS``)
for the ONNX nodes. An op whose tensor arguments are all constants is not converted: its result is a
constant too (constant folding), written as an initializer where a later op reads it.

The model runs before the real run in one or two ``ShapeProbe`` runs, which record the output shapes
of every op and a digest of its operands: one on inputs with other values, and with ``dynamic_axes``
one on inputs whose dynamic axes are one longer. In the real run, a constant operand whose values
differ from the first probe's was computed from the inputs outside the traced ops (a comparison,
argmax, numpy on ``.numpy()``): the export refuses it rather than freezing it. An output dim that
differs from the second probe's is dynamic (converters of shape-taking ops, such as Reshape, read it).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.autograd import function
from minitorch.nn.modules.pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d
from minitorch._tensor import Tensor
from minitorch.onnx.errors import OnnxExporterError, UnsupportedOperatorError

INT64_MAX = 2 ** 63 - 1


class Graph:
    """Nodes and initializers in the order they are made, with fresh value names."""

    def __init__(self, onnx: Any, opset: int) -> None:
        self.onnx, self.opset = onnx, opset
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0
        self._ints: dict = {}

    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"/{hint}_{self._count}_output_0"

    def op(self, op_type: str, *inputs: str, n_out: int = 1, **attrs: Any) -> Any:
        """Add one node; returns its output name (a list of names when ``n_out`` > 1)."""
        outs = [self.fresh(op_type) for _ in range(n_out)]
        node = self.onnx.helper.make_node(op_type, list(inputs), outs, name=f"/{op_type}_{self._count}", **attrs)
        self.nodes.append(node)
        return outs[0] if n_out == 1 else outs

    def initializer(self, array: np.ndarray, name: str | None = None) -> str:
        """A constant of the graph, stored with the model."""
        name = name or self.fresh("Constant")
        self.initializers.append(self.onnx.numpy_helper.from_array(np.array(array, order="C"), name))
        return name

    def ints(self, values: Any) -> str:
        """A 1-D int64 constant (shapes, axes, starts...), shared between the nodes that use it."""
        key = tuple(int(v) for v in values)
        if key not in self._ints:
            self._ints[key] = self.initializer(np.array(key, np.int64))
        return self._ints[key]

    def scalar(self, value: Any, dtype: Any) -> str:
        """A 0-d constant of ``dtype``."""
        return self.initializer(np.array(value, dtype))


def _digest(a: Any) -> tuple:
    """Shape and a hash of the values of an operand."""
    array = a._data if isinstance(a, Tensor) else a
    return array.shape, hash(np.ascontiguousarray(array).tobytes())


class ShapeProbe:
    """The observer of the probe run: records, per op call, the op class, the output shapes and a digest of
    each operand (None for a parameter, which both runs share)."""

    def __init__(self, params: set) -> None:
        self.shapes: list = []
        self.params = params

    def __call__(self, cls: type, args: tuple) -> Any:
        result = _run(self, cls, args)
        outs = result if isinstance(result, tuple) else (result,)
        digests = [None if id(a) in self.params else _digest(a) for a in _operands(args)]
        self.shapes.append((cls, tuple(o.shape if isinstance(o, Tensor) else None for o in outs), digests))
        return result


def _run(observer: Any, cls: type, args: tuple) -> Any:
    """``cls.apply(*args)`` with the observer off (so a custom Function's inner ops are not seen)."""
    function._observer = None
    try:
        return cls.apply(*args)
    finally:
        function._observer = observer


class Recorder:
    """The observer of the real run: converts each op call into ONNX nodes (see the module docstring)."""

    def __init__(self, graph: Graph, converters: dict, param_names: dict, values_probe: list,
                 shapes_probe: list | None) -> None:
        self.g, self.converters, self.param_names = graph, converters, param_names
        self.probes = [values_probe] + ([shapes_probe] if shapes_probe is not None else [])
        self.by_fn: dict = {}  # (id(grad_fn), output_nr) -> value name
        self.by_id: dict = {}  # id(tensor) -> value name
        self.by_array: dict = {}  # id(ndarray) -> value name
        self.dyn: dict = {}  # value name -> per dim, whether it is dynamic
        self._consts: dict = {}  # id(ndarray) -> initializer name
        self._keep: list = []  # everything whose id is a key above stays alive
        self.step = 0
        self.input_names: dict = {}  # id(user's input tensor) -> graph input name
        self.input_dyn: dict = {}  # id(user's input tensor) -> per dim, whether it is a dynamic axis
        self.suspended = 0  # > 0 inside a module converted as a whole (``leaf_module_hooks``)
        self._pinned: dict = {}  # id(constant operand of the current op whose shape follows a dynamic axis) -> message

    def bind(self, t: Any, name: str, dyn: tuple) -> None:
        """Make ``name`` the ONNX value of tensor (or index array) ``t``."""
        self._keep.append(t)
        if isinstance(t, Tensor):
            self.by_id[id(t)] = name
            self.by_array[id(t._data)] = name
            if t._grad_fn is not None:
                self.by_fn[(id(t._grad_fn), t._output_nr)] = name
        else:
            self.by_array[id(t)] = name
        self.dyn[name] = tuple(dyn)

    def lookup(self, t: Any) -> str | None:
        """The value name of a traced tensor (or array), None for a constant."""
        if isinstance(t, Tensor):
            fn = t._grad_fn
            if fn is not None:
                name = self.by_fn.get((id(fn), t._output_nr))
                if name is not None:
                    return name
            name = self.by_id.get(id(t))
            return name if name is not None else self.by_array.get(id(t._data))
        if isinstance(t, np.ndarray):
            return self.by_array.get(id(t))
        return None

    def name(self, t: Any) -> str:
        """The value name of ``t``; a constant (a parameter, a folded result) becomes an initializer."""
        name = self.lookup(t)
        if name is not None:
            return name
        if id(t) in self._pinned:
            raise OnnxExporterError(self._pinned[id(t)])
        array = t._data if isinstance(t, Tensor) else np.asarray(t)
        name = self._consts.get(id(array))
        if name is None:
            name = self.g.initializer(array, self.param_names.get(id(t)))
            self._consts[id(array)] = name
            self._keep.append(array)
        return name

    def constant(self, t: Any) -> np.ndarray | None:
        """The value of ``t`` when it is a constant of the graph, else None."""
        if t is None or self.lookup(t) is not None:
            return None
        return t._data if isinstance(t, Tensor) else np.asarray(t)

    def _dyn(self, step: int, cls: type, shapes: tuple) -> list:
        ranks = [len(s) if s is not None else None for s in shapes]
        for probe in self.probes:
            if step >= len(probe) or probe[step][0] is not cls or \
                    [len(s) if s is not None else None for s in probe[step][1]] != ranks:
                raise OnnxExporterError(
                    f"the model runs other ops on other inputs (op #{step}, {cls.__name__}; the probe runs have "
                    "other values, or dynamic axes one longer): its ops depend on the input values or on the size "
                    "of a dynamic axis, and it cannot be exported"
                )
        if len(self.probes) == 1:
            return [(False,) * len(s) if s is not None else () for s in shapes]
        seen = self.probes[1][step][1]
        return [tuple(a != b for a, b in zip(s, p)) if s is not None else () for s, p in zip(shapes, seen)]

    def _check_constants(self, step: int, cls: type, operands: list) -> None:
        """A constant operand must not change with the inputs: one that the probe run (other input values) saw
        with other values was computed from the inputs outside the traced ops, and cannot be exported. One whose
        shape changes with a dynamic axis cannot be written as an initializer (``name`` refuses it; a converter
        may do without it, as the recurrences do with a zero initial state)."""
        self._pinned = {}
        grown = self.probes[1][step][2] if len(self.probes) > 1 else [None] * len(operands)
        for i, (a, seen, other) in enumerate(zip(operands, self.probes[0][step][2], grown)):
            if seen is None or self.lookup(a) is not None:
                continue
            shape, digest = _digest(a)
            if other is not None and other[0] != shape:
                self._pinned[id(a)] = (
                    f"operand {i} of op #{step} ({cls.__name__}) is a constant of shape {list(shape)} that follows "
                    "a dynamic axis (made in forward from a size, such as zeros(x.size(0), ...)): it cannot be "
                    "exported with these dynamic_axes"
                )
            if shape == seen[0] and digest != seen[1]:
                raise OnnxExporterError(
                    f"operand {i} of op #{step} ({cls.__name__}) depends on the inputs but was computed outside "
                    "the traced ops (comparisons, logical ops, argmax, .item(), numpy or Python arithmetic on "
                    "tensor values): minitorch cannot export it"
                )

    def __call__(self, cls: type, args: tuple) -> Any:
        result = _run(self, cls, args)
        outs = result if isinstance(result, tuple) else (result,)
        step, self.step = self.step, self.step + 1
        if self.suspended:
            return result
        dyn = self._dyn(step, cls, tuple(o.shape if isinstance(o, Tensor) else None for o in outs))
        operands = _operands(args)
        if not any(self.lookup(a) is not None for a in operands):
            return result  # every operand is a constant: so is the result (constant folding)
        self._check_constants(step, cls, operands)
        convert = self.converters.get(cls)
        if convert is None:
            raise UnsupportedOperatorError(f"minitorch::{cls.__name__}", self.g.opset)
        names = convert(Call(self, cls, args, outs, dyn))
        names = names if isinstance(names, (list, tuple)) else [names]
        for o, n, d in zip(outs, names, dyn):
            if o is not None and n is not None:
                self.bind(o, n, d)
        return result


def leaf_module_hooks(modules: list, rec: Recorder) -> list:
    """Forward hooks that convert an adaptive average pool to size 1 as one GlobalAveragePool (its ops inside
    are not converted); returns the hook handles."""
    nds = {AdaptiveAvgPool1d: 1, AdaptiveAvgPool2d: 2, AdaptiveAvgPool3d: 3}
    stack: list = []

    def before(module: Any, args: tuple) -> None:
        x = args[0] if args else None
        ok = isinstance(x, Tensor) and x.ndim == nds[type(module)] + 2 and rec.lookup(x) is not None
        stack.append(x if ok else None)
        rec.suspended += ok

    def after(module: Any, args: tuple, out: Any) -> None:
        x = stack.pop()
        if x is None:
            return
        rec.suspended -= 1
        dyn = rec.dyn.get(rec.lookup(x), ())
        rec.bind(out, rec.g.op("GlobalAveragePool", rec.name(x)), tuple(dyn[:2]) + (False,) * (x.ndim - 2))

    handles = []
    for m in modules:
        size = getattr(m, "output_size", None)
        sizes = size if isinstance(size, (tuple, list)) else (size,)
        if type(m) in nds and all(s == 1 for s in sizes):
            handles += [m.register_forward_pre_hook(before), m.register_forward_hook(after)]
    return handles


def _operands(args: tuple) -> list:
    """The tensor (and index array) arguments of an op call, including those inside tuples (an index)."""
    out = []
    for a in args:
        if isinstance(a, (Tensor, np.ndarray)):
            out.append(a)
        elif isinstance(a, tuple):
            out.extend(x for x in a if isinstance(x, (Tensor, np.ndarray)))
    return out


class Call:
    """One op call, as its converter sees it: the arguments, their ONNX names, shapes and dynamic dims."""

    def __init__(self, rec: Recorder, cls: type, args: tuple, outs: tuple, dyn: list) -> None:
        self.rec, self.cls, self.args, self.outs, self.out_dyn = rec, cls, args, outs, dyn
        self.g = rec.g

    @property
    def opset(self) -> int:
        return self.g.opset

    def x(self, i: int) -> str:
        """The ONNX value of argument ``i``."""
        return self.rec.name(self.args[i])

    def name(self, t: Any) -> str:
        return self.rec.name(t)

    def in_dyn(self, t: Any) -> tuple:
        """Per dim of tensor ``t``, whether it is dynamic."""
        name = self.rec.lookup(t)
        return self.rec.dyn.get(name, ()) if name is not None else ()

    def unsupported(self, detail: str) -> OnnxExporterError:
        return UnsupportedOperatorError(f"minitorch::{self.cls.__name__}", self.opset, detail)

    def shape_const(self, shape: tuple, dyn: tuple, in_shape: tuple = (), in_dyn: tuple = ()) -> str:
        """A Reshape target for ``shape`` whose dims flagged in ``dyn`` vary with the input: such a dim is 0
        (copied from the input) where it is the input's same dynamic dim, and -1 for at most one other."""
        target = list(shape)
        loose = []
        for i, d in enumerate(dyn):
            if not d:
                continue
            if i < len(in_shape) and i < len(in_dyn) and in_dyn[i] and in_shape[i] == shape[i]:
                target[i] = 0
            else:
                loose.append(i)
        if len(loose) > 1:
            raise self.unsupported(f"a reshape to {list(shape)} with several dynamic dims {loose}")
        if loose:
            target[loose[0]] = -1
        return self.g.ints(target)
