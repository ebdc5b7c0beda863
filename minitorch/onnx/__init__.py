"""Export a model to ONNX, with the arguments of ``torch.onnx.export``'s TorchScript-based exporter.

``export`` runs the model once on ``args`` while every op reports to a tracer (``_graph.Recorder``),
converts each op into ONNX nodes (``_ops``, ``_rnn``) and writes the ``ModelProto``: parameters and
buffers as initializers named by their ``state_dict`` keys, ``input_names`` / ``output_names``, and
``dynamic_axes`` as named symbolic dims. The ``onnx`` package is needed (an optional dependency).
"""
from __future__ import annotations

import enum
import inspect
import warnings
from typing import Any, Mapping, Sequence

import numpy as np

from minitorch.autograd import function
from minitorch.autograd.grad_mode import enable_grad
from minitorch.nn.modules.module import Module
from minitorch.onnx import errors
from minitorch.onnx._graph import Graph, Recorder, ShapeProbe, leaf_module_hooks
from minitorch.onnx._ops import CONVERTERS
from minitorch.onnx._rnn import RNN_CONVERTERS
from minitorch.onnx.errors import OnnxExporterError, UnsupportedOperatorError
from minitorch._tensor import Tensor

__all__ = ["OperatorExportTypes", "OnnxExporterError", "TrainingMode", "UnsupportedOperatorError", "errors",
           "export", "is_in_onnx_export"]

DEFAULT_OPSET, MIN_OPSET, MAX_OPSET = 20, 13, 20
_CONVERTERS = {**CONVERTERS, **RNN_CONVERTERS}
_exporting = False


class TrainingMode(enum.IntEnum):
    """The mode the model runs in while exported (``torch.onnx.TrainingMode``)."""

    EVAL = 0
    PRESERVE = 1
    TRAINING = 2


class OperatorExportTypes(enum.IntEnum):
    """How operators are exported (``torch.onnx.OperatorExportTypes``); only ONNX is supported."""

    ONNX = 0
    ONNX_ATEN = 1
    ONNX_ATEN_FALLBACK = 2
    ONNX_FALLTHROUGH = 3


def is_in_onnx_export() -> bool:
    """Returns whether it is in the middle of ONNX export."""
    return _exporting


def _import_onnx() -> Any:
    try:
        import onnx
        import onnx.numpy_helper  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "minitorch.onnx.export requires the 'onnx' package, which is not installed: pip install onnx "
            "(and onnxruntime to run the exported model)"
        ) from e
    return onnx


def _flatten(value: Any) -> list:
    """The tensors of a (nested) tuple / list / dict output, in order."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _flatten(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _flatten(v)]
    return []


def _split_args(args: Any, kwargs: dict | None) -> tuple:
    """(positional args, keyword args): a Tensor alone is one argument, and a trailing dict holds keywords."""
    if not isinstance(args, tuple):
        args = (args,)
    kwargs = dict(kwargs or {})
    if args and isinstance(args[-1], dict):
        kwargs.update(args[-1])
        args = args[:-1]
    return args, kwargs


def _default_input_names(model: Any, n: int) -> list:
    """The parameter names of ``forward`` (as torch names a module's inputs), then ``input_<i>``."""
    try:
        params = [p.name for p in inspect.signature(model.forward if isinstance(model, Module) else model)
                  .parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"input_{i}" for i in range(n)]


def _dynamic_axes(dynamic_axes: Mapping | None, valid: set) -> dict:
    """``dynamic_axes`` as {name: {axis: dim name}}, with torch's warnings and generated names for lists."""
    out = {}
    for key, value in (dynamic_axes or {}).items():
        if key not in valid:
            warnings.warn(f"Provided key {key} for dynamic axes is not a valid input/output name", stacklevel=3)
        if isinstance(value, (list, tuple)):
            warnings.warn("No names were found for specified dynamic axes of provided input."
                          f"Automatically generated names will be applied to each dynamic axes of input {key}",
                          stacklevel=3)
            names = {}
            for i, axis in enumerate(value):
                if not isinstance(axis, int):
                    raise ValueError("The type of axis index is expected to be an integer")
                names.setdefault(axis, f"{key}_dynamic_axes_{i + 1}")
            value = names
        out[key] = {int(a): str(n) for a, n in value.items()}
    return out


def _other_values(a: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An input of the same shape with other values (floats redrawn around their mean, others rolled along the
    last dim), for the probe run that finds values computed outside the traced ops."""
    if a.dtype.kind == "f":
        finite = a[np.isfinite(a)]
        spread, mean = (float(np.std(finite)), float(np.mean(finite))) if finite.size else (0.0, 0.0)
        return (rng.standard_normal(a.shape) * (spread or 1.0) + mean).astype(a.dtype)
    return np.roll(a, 1, axis=-1) if a.ndim else a


def _grown(a: np.ndarray, axes: Sequence[int]) -> np.ndarray:
    """``a`` one longer along each of ``axes`` (its first slice repeated), for the probe run of dynamic axes."""
    for axis in axes:
        a = np.concatenate([a, a.take([0], axis=axis)], axis=axis)
    return a


def _run_traced(model: Any, observer: Any, inputs: list, args: tuple, kwargs: dict) -> Any:
    """Run the model with ``observer`` seeing every op; float inputs require grad so every op is recorded."""
    global _exporting
    leaves = {}
    for t, arr in inputs:
        leaf = Tensor._make(arr)
        if arr.dtype.kind == "f":
            leaf.requires_grad_(True)
        leaves[id(t)] = leaf
    call_args = [leaves.get(id(a), a) for a in args]
    call_kwargs = {k: leaves.get(id(v), v) for k, v in kwargs.items()}
    if isinstance(observer, Recorder):
        for t, _ in inputs:
            leaf = leaves[id(t)]
            observer.bind(leaf, observer.input_names[id(t)], observer.input_dyn[id(t)])
    _exporting, function._observer = True, observer
    try:
        with enable_grad():
            return model(*call_args, **call_kwargs)
    finally:
        _exporting, function._observer = False, None


def _value_info(onnx: Any, name: str, t: Tensor, dims: dict, dyn: tuple = ()) -> Any:
    """A graph input/output: dtype, and per dim a number, a named dynamic dim, or (dynamic, unnamed) nothing."""
    shape = []
    for i, n in enumerate(t.shape):
        shape.append(dims[i] if i in dims else (None if i < len(dyn) and dyn[i] else int(n)))
    elem = onnx.helper.np_dtype_to_tensor_dtype(t._data.dtype)
    return onnx.helper.make_tensor_value_info(name, elem, shape)


def export(model: Any, args: Any, f: Any, *, kwargs: dict | None = None, export_params: bool = True,
           verbose: bool = False, training: TrainingMode = TrainingMode.EVAL,
           input_names: Sequence[str] | None = None, output_names: Sequence[str] | None = None,
           operator_export_type: OperatorExportTypes = OperatorExportTypes.ONNX, opset_version: int | None = None,
           do_constant_folding: bool = True, dynamic_axes: Mapping | None = None,
           keep_initializers_as_inputs: bool | None = None, custom_opsets: Mapping[str, int] | None = None,
           export_modules_as_functions: Any = False, autograd_inlining: bool = True, dynamo: bool = False) -> None:
    """Export ``model`` (a Module or a function of Tensors), run on ``args``, to the ONNX file or stream ``f``.

    The model runs two or three times, in eval mode unless ``training`` says otherwise: a probe run on inputs
    with other values refuses values computed from the inputs outside the traced ops, a probe run on inputs
    whose dynamic axes are one longer (with ``dynamic_axes``) shows which dims of every value follow them,
    and the traced run writes the graph.
    Ops whose operands are all constants are folded into initializers (with ``do_constant_folding=False``
    parameters are not folded). While it runs, ``is_in_onnx_export()`` is True, every op call in the process
    reports to the tracer (export from one thread at a time) and float inputs require grad. ``dynamo=True`` (torch's
    torch.export-based exporter) is not available; ``custom_opsets``, ``export_modules_as_functions`` and
    ``autograd_inlining`` are accepted and have no effect.
    """
    if dynamo:
        raise OnnxExporterError("minitorch.onnx.export has only the TorchScript-style tracing exporter: "
                                "dynamo=True (torch.export) is not supported, pass dynamo=False")
    onnx = _import_onnx()
    if operator_export_type != OperatorExportTypes.ONNX:
        raise OnnxExporterError(f"operator_export_type={operator_export_type!r} is not supported, only ONNX")
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if opset < MIN_OPSET:
        raise ValueError(f"Unsupported ONNX opset version: {opset}. "
                         f"minitorch exports opsets {MIN_OPSET} to {MAX_OPSET}")
    if opset > MAX_OPSET:
        warnings.warn(f"Exporting to ONNX opset version {opset} is not supported by 'minitorch.onnx.export()'. "
                      f"The highest opset version supported is {MAX_OPSET}.", errors.OnnxExporterWarning, stacklevel=2)
    args, kwargs = _split_args(args, kwargs)
    tensors = [a for a in args if isinstance(a, Tensor)] + [v for v in kwargs.values() if isinstance(v, Tensor)]
    in_names = list(input_names or [])
    in_names += _default_input_names(model, len(tensors))[len(in_names):]
    axes_in = _dynamic_axes(dynamic_axes, set(in_names) | set(output_names or []))
    modules = list(model.modules()) if isinstance(model, Module) else []
    modes = [m.training for m in modules]
    if training != TrainingMode.PRESERVE:
        for m in modules:
            m.training = training == TrainingMode.TRAINING
    params = dict(model.named_parameters()) if modules else {}
    params.update(dict(model.named_buffers()) if modules else {})
    try:
        inputs = [(t, t._data) for t in tensors]
        param_ids = {id(p) for p in params.values()}
        rng = np.random.default_rng(0)
        values_probe = ShapeProbe(param_ids)
        _run_traced(model, values_probe, [(t, _other_values(a, rng)) for t, a in inputs], args, kwargs)
        shapes_probe = None
        if any(axes_in.get(n) for n in in_names):
            shapes_probe = ShapeProbe(param_ids)
            _run_traced(model, shapes_probe, [(t, _grown(a, sorted(axes_in.get(n, {}))))
                                              for (t, a), n in zip(inputs, in_names)], args, kwargs)
        graph = Graph(onnx, opset)
        rec = Recorder(graph, _CONVERTERS, {id(p): k for k, p in params.items()}, values_probe.shapes,
                       shapes_probe.shapes if shapes_probe is not None else None)
        rec.input_names = {id(t): n for t, n in zip(tensors, in_names)}
        rec.input_dyn = {id(t): tuple(i in axes_in.get(n, {}) for i in range(t.ndim))
                         for t, n in zip(tensors, in_names)}
        live_params = not export_params or not do_constant_folding
        if live_params:
            for k, p in params.items():
                rec.bind(p, k, (False,) * p.ndim)
        handles = leaf_module_hooks(modules, rec)
        try:
            out = _run_traced(model, rec, inputs, args, kwargs)
        finally:
            for h in handles:
                h.remove()
    finally:
        for m, mode in zip(modules, modes):
            m.training = mode
    outs = _flatten(out)
    out_names = list(output_names or [])
    out_names += [f"output_{i}" for i in range(len(out_names), len(outs))]
    taken = set(in_names)
    renames, nodes_out = {}, []
    produced = {o for node in graph.nodes for o in node.output}
    for t, name in zip(outs, out_names):
        inner = rec.name(t)
        if inner in produced and inner not in renames and inner not in taken:
            renames[inner] = name
        else:
            nodes_out.append(onnx.helper.make_node("Identity", [inner], [name], name=f"/Identity_{name}"))
        taken.add(inner)
    for node in graph.nodes:
        for seq in (node.input, node.output):
            for i, v in enumerate(seq):
                if v in renames:
                    seq[i] = renames[v]
    graph_inputs = [_value_info(onnx, n, t, axes_in.get(n, {})) for t, n in zip(tensors, in_names)]
    initializers = graph.initializers
    if live_params:
        used = {v for node in graph.nodes for v in node.input}
        extra = [_value_info(onnx, k, p, {}) for k, p in params.items() if k in used]
        if export_params:
            initializers += [onnx.numpy_helper.from_array(np.array(params[v.name]._data, order="C"), v.name)
                             for v in extra]
        graph_inputs += [] if export_params and not keep_initializers_as_inputs else extra
    if keep_initializers_as_inputs:
        have = {v.name for v in graph_inputs}
        graph_inputs += [onnx.helper.make_tensor_value_info(i.name, i.data_type, list(i.dims))
                         for i in initializers if i.name not in have]
    graph_outputs = [_value_info(onnx, n, t, axes_in.get(n, {}), rec.dyn.get(rec.lookup(t), ()))
                     for t, n in zip(outs, out_names)]
    name = type(model).__name__ if modules else getattr(model, "__name__", "main_graph")
    proto_graph = onnx.helper.make_graph(graph.nodes + nodes_out, name, graph_inputs, graph_outputs, initializers)
    proto = onnx.helper.make_model(proto_graph, opset_imports=[onnx.helper.make_opsetid("", opset)],
                                   producer_name="minitorch", ir_version=min(onnx.IR_VERSION, 10))
    if verbose:
        printer = getattr(onnx, "printer", None)
        print(printer.to_text(proto.graph) if printer is not None else onnx.helper.printable_graph(proto.graph))
    onnx.save(proto, f)
