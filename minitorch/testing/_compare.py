"""``compare_with_torch``: run one computation in minitorch and in torch and diff the two graphs node by node.

``fn(lib, *inputs)`` is written against the API the two libraries share (``lib`` is ``minitorch`` or
``torch``). Arrays and tensors among the inputs become a tensor of each library (floating ones require
grad); a ``(minitorch_module, torch_module)`` pair becomes the matching module, the torch one loaded
with the minitorch one's ``state_dict``. Both sides run forward (minitorch recording each node's
values and creation line, torch's outputs captured per node by a ``TorchFunctionMode``) and backward
from the same upstream gradient, with a hook on every node.

The nodes of the two graphs are put in creation order and aligned by name (``MulBackward0`` in both);
where the libraries build the same step from different nodes (minitorch's ``LinearBackward0`` against
torch's ``TBackward0`` + ``AddmmBackward0``) the run of unmatched nodes is compared as one group, by
its last node. For each node or group the report gives the forward value difference, the difference of
the gradient it received, and of the gradients it sent on (per destination: a matched node or a leaf).
It stops at the first node where the libraries disagree beyond tolerance, and shows the forward line
that created it.
"""
from __future__ import annotations

import difflib
import os
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import minitorch
from minitorch.autograd.anomaly_mode import detect_anomaly
from minitorch.autograd.function import AccumulateGrad

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCES = {"float64": (1e-6, 1e-9), "float32": (1e-4, 1e-5), "float16": (1e-2, 1e-3)}  # (rtol, atol)


def _np(t: Any) -> np.ndarray | None:
    if t is None:
        return None
    if isinstance(t, minitorch.Tensor):
        return np.asarray(t.detach().numpy(), dtype=np.float64)
    if hasattr(t, "detach"):
        return t.detach().cpu().double().numpy()
    return np.asarray(t, dtype=np.float64)


def _flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flat(o)]
    if isinstance(out, dict):
        return [x for o in out.values() for x in _flat(o)]
    return [out]


def _worst(a: np.ndarray | None, b: np.ndarray | None, rtol: float, atol: float) -> tuple:
    """(max |a - b|, whether a and b agree) for one value or gradient; None against zeros counts as zeros."""
    if a is None and b is None:
        return 0.0, True
    a = np.zeros_like(b) if a is None else a
    b = np.zeros_like(a) if b is None else b
    if a.shape != b.shape:
        return float("inf"), False
    with np.errstate(invalid="ignore"):
        err = np.abs(a - b)
        ok = bool(np.all((err <= atol + rtol * np.abs(b)) | (a == b) | (np.isnan(a) & np.isnan(b))))
    return (float(np.nanmax(err)) if err.size else 0.0), ok


def _user_line(node_t: Any, node_m: Any, torch_dir: str) -> str:
    """The line of the user's code that created the node: the last frame of its creation stack outside the
    two libraries' own files (torch's anomaly-mode traceback, else minitorch's)."""
    for stack in (node_t.metadata.get("traceback_") or [], getattr(node_m, "_creation_stack", None) or []):
        frames = [f for f in stack if _PACKAGE not in f and torch_dir not in f]
        if frames:
            return frames[-1].rstrip()
    return "  (creation line not recorded)"


# ------------------------------------------------------------------------------------------ the two runs
def _torch_recorder(torch: Any) -> Any:
    """A TorchFunctionMode that keeps, per grad_fn node, the values of the outputs it produced."""
    from torch.overrides import TorchFunctionMode

    class Record(TorchFunctionMode):
        def __init__(self) -> None:
            super().__init__()
            self.values: dict = {}

        def keep(self, tensors: list) -> None:
            for t in tensors:
                if isinstance(t, torch.Tensor) and t.grad_fn is not None:
                    self.values.setdefault(t.grad_fn, {}).setdefault(t.output_nr, _np(t))

        def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
            self.keep(_flat(list(args)))  # an argument made by a custom Function (not seen by this mode)
            out = func(*args, **(kwargs or {}))
            self.keep(_flat(out))
            return out

    return Record()


def _pair_inputs(torch: Any, inputs: tuple) -> tuple:
    """minitorch and torch versions of each input, and key -> (minitorch tensor, torch tensor) for the leaves."""
    mt_in, th_in, leaves = [], [], {}
    for k, x in enumerate(inputs):
        if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], minitorch.nn.Module):
            ours, theirs = x
            theirs.load_state_dict({n: torch.from_numpy(np.array(v.detach().numpy())) for n, v in ours.state_dict().items()})
            dtypes = {p.dtype.name for p in ours.parameters()}
            if len(dtypes) == 1:
                theirs.to(getattr(torch, dtypes.pop()))
            th_params = dict(theirs.named_parameters())
            for name, p in ours.named_parameters():
                leaves[f"input {k} parameter {name}"] = (p, th_params[name])
            mt_in.append(ours)
            th_in.append(theirs)
        elif isinstance(x, minitorch.nn.Module):
            raise TypeError(f"compare_with_torch: input {k} is a minitorch module; pass it with its torch twin as a "
                            "(minitorch_module, torch_module) pair")
        elif isinstance(x, (np.ndarray, minitorch.Tensor)) or isinstance(x, torch.Tensor):
            a = np.array(x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else
                         (x.detach().numpy() if isinstance(x, minitorch.Tensor) else x))
            grad = a.dtype.kind == "f" and (x.requires_grad if not isinstance(x, np.ndarray) else True)
            m, t = minitorch.tensor(a.copy(), requires_grad=grad), torch.tensor(a.copy(), requires_grad=grad)
            if grad:
                leaves[f"input {k}"] = (m, t)
            mt_in.append(m)
            th_in.append(t)
        else:
            mt_in.append(x)
            th_in.append(x)
    return tuple(mt_in), tuple(th_in), leaves


def _nodes(roots: list, seq: Callable) -> list:
    seen, order, stack = set(), [], [r.grad_fn for r in roots if r.grad_fn is not None]
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        if "AccumulateGrad" not in n.name():
            order.append(n)
        stack.extend(e for e, _ in n.next_functions if e is not None)
    return sorted(order, key=seq)


def _hook_all(nodes: list) -> dict:
    """node -> {"received": [...], "sent": [...]} filled in by a hook on each node during backward."""
    seen: dict = {}
    for n in nodes:
        def hook(grad_inputs: Any, grad_outputs: Any, n: Any = n) -> None:
            seen[n] = {"received": [_np(g) for g in grad_outputs], "sent": [_np(g) for g in grad_inputs]}
        n.register_hook(hook)
    return seen


# ------------------------------------------------------------------------------------------ the report
@dataclass
class NodeDiff:
    """One node (or group of nodes) of both graphs and how far apart the libraries are there."""

    minitorch: list
    torch: list
    shape: tuple | None
    forward: tuple = (0.0, True)  # (max abs difference, agree)
    received: tuple = (0.0, True)
    sent: tuple = (0.0, True)
    line: str = ""
    ran: bool = True  # backward reached it in both libraries

    @property
    def names(self) -> tuple:
        """The node names of each side, joined by '+' (a long group shortened to its ends)."""
        def join(nodes: list) -> str:
            if len(nodes) > 3:
                return f"{nodes[0].name()}+...+{nodes[-1].name()} ({len(nodes)} nodes)"
            return "+".join(n.name() for n in nodes) or "-"

        return join(self.minitorch), join(self.torch)


@dataclass
class ComparisonReport:
    """What ``compare_with_torch`` found; ``ok`` when every node, output and leaf gradient agrees."""

    nodes: list = field(default_factory=list)
    outputs: list = field(default_factory=list)  # (label, max abs difference, agree)
    leaves: list = field(default_factory=list)  # (key, max abs difference, agree)
    first: NodeDiff | None = None
    phase: str = ""  # "forward" or "backward": where the first disagreement is
    outputs_m: Any = None
    outputs_t: Any = None

    @property
    def ok(self) -> bool:
        return (self.first is None and all(a for _, _, a in self.outputs) and all(a for _, _, a in self.leaves))

    def assert_ok(self) -> None:
        """Raise an AssertionError with the report unless the libraries agree."""
        if not self.ok:
            raise AssertionError(str(self))

    def _table(self) -> list:
        order = self.nodes if self.phase != "backward" else self.nodes[::-1]
        rows = [("node (minitorch)", "node (torch)", "shape", "forward", "received", "sent")]
        for d in order:
            cell = [f"{v:.3g}" + ("" if ok else " !") for v, ok in (d.forward, d.received, d.sent)]
            if not d.ran:
                cell[1:] = ["(not run)", "(not run)"]
            rows.append((*d.names, str(d.shape) if d.shape is not None else "?", *cell))
            if d is self.first:
                break
        widths = [max(len(r[c]) for r in rows) for c in range(6)]
        return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]

    def __str__(self) -> str:
        head = "compare_with_torch: minitorch and torch agree" if self.ok else "compare_with_torch: DISAGREE"
        lines = [head, f"  {len(self.nodes)} nodes/groups compared in {'backward' if self.phase == 'backward' else 'forward'} "
                 "order (max |minitorch - torch|; ! beyond tolerance)", *self._table()]
        if self.first is not None:
            d = self.first
            what = "forward value" if not d.forward[1] else ("received gradient" if not d.received[1] else
                                                             "sent gradient")
            lines += [f"first disagreement: {d.names[0]} (torch: {d.names[1]}): its {what} differs by "
                      f"{max(d.forward[0], d.received[0], d.sent[0]) if what != 'forward value' else d.forward[0]:.6g}"
                      + (" while the gradient it received agrees: its backward is wrong" if what == "sent gradient"
                         else ""), "  created by the forward line:", d.line]
        lines += [f"  {label}: {v:.3g}" + ("" if ok else "  DIFFERS") for label, v, ok in self.outputs + self.leaves]
        return "\n".join(lines)

    __repr__ = __str__


def _groups(mt_nodes: list, th_nodes: list, same_value: Callable[[Any, Any], bool],
            same_shape: Callable[[Any, Any], bool]) -> list:
    """Align the two creation-ordered node lists by name (namesakes with the same output value, or shape); inside a run of unmatched names, a minitorch node and
    a torch node that computed the same value close a group (minitorch's Linear against torch's T + Addmm);
    what is left joins the next group."""
    matcher = difflib.SequenceMatcher(None, [n.name() for n in mt_nodes], [n.name() for n in th_nodes], autojunk=False)
    groups, pend_m, pend_t = [], [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(mt_nodes[i1:i2], th_nodes[j1:j2]):
                # namesakes pair when they computed the same value, or when they did not but a's value is
                # nowhere else in torch's graph (a true disagreement, shown at this node)
                if same_value(a, b) or same_shape(a, b) and not any(same_value(a, c) for c in th_nodes if c is not b):
                    groups.append((pend_m + [a], pend_t + [b]))
                    pend_m, pend_t = [], []
                else:  # a namesake inside a fused op of the other library (no recorded value, or another shape)
                    pend_m, pend_t = pend_m + [a], pend_t + [b]
            continue
        block_t, start = th_nodes[j1:j2], 0
        for a in mt_nodes[i1:i2]:
            pend_m.append(a)
            hit = next((q for q in range(start, len(block_t)) if same_value(a, block_t[q])), None)
            if hit is not None:
                groups.append((pend_m, pend_t + block_t[start:hit + 1]))
                pend_m, pend_t, start = [], [], hit + 1
        pend_t += block_t[start:]
    if pend_m or pend_t:
        if groups and not (pend_m and pend_t):
            last_m, last_t = groups.pop()
            groups.append((last_m + pend_m, last_t + pend_t))
        else:
            groups.append((pend_m, pend_t))
    return groups


def compare_with_torch(fn: Callable, *inputs: Any, rtol: float | None = None, atol: float | None = None,
                       seed: int = 0) -> ComparisonReport:
    """Run ``fn(lib, *inputs)`` with ``lib = minitorch`` and ``lib = torch`` and diff the two autograd graphs
    node by node (see the module docstring). Tolerances default by dtype: float64 (1e-6, 1e-9), float32
    (1e-4, 1e-5). Returns a ``ComparisonReport``; ``report.assert_ok()`` raises with it on a disagreement."""
    import torch

    mt_in, th_in, leaves = _pair_inputs(torch, inputs)
    with detect_anomaly(check_nan=False):
        out_m = fn(minitorch, *mt_in)
    recorder = _torch_recorder(torch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that anomaly mode is slow
        with torch.autograd.detect_anomaly(check_nan=False), recorder:
            out_t = fn(torch, *th_in)
    recorder.keep(_flat(out_t))
    flat_m = [o for o in _flat(out_m) if isinstance(o, minitorch.Tensor)]
    flat_t = [o for o in _flat(out_t) if isinstance(o, torch.Tensor)]
    if len(flat_m) != len(flat_t):
        raise AssertionError(f"compare_with_torch: fn returned {len(flat_m)} tensors with minitorch and "
                             f"{len(flat_t)} with torch")
    dtype = next((o.dtype.name for o in flat_m if o.dtype.is_floating_point), "float64")
    if (rtol is None) != (atol is None):
        raise ValueError("compare_with_torch: give both rtol and atol, or neither")
    rtol, atol = (rtol, atol) if rtol is not None else TOLERANCES.get(dtype, (0.0, 0.0))
    report = ComparisonReport(outputs_m=out_m, outputs_t=out_t)
    for k, (m, t) in enumerate(zip(flat_m, flat_t)):
        report.outputs.append((f"output {k} {tuple(m.shape)}", *_worst(_np(m), _np(t), rtol, atol)))

    roots = [(m, t) for m, t in zip(flat_m, flat_t) if m.requires_grad and t.requires_grad]
    mt_nodes = _nodes([m for m, _ in roots], lambda n: n._seq)
    th_nodes = _nodes([t for _, t in roots], lambda n: n._sequence_nr())
    seen_m, seen_t = _hook_all(mt_nodes), _hook_all(th_nodes)
    if roots:
        rng = np.random.default_rng(seed)
        ups = [np.ones(tuple(t.shape)) if t.dim() == 0 else rng.standard_normal(tuple(t.shape)) for _, t in roots]
        minitorch.autograd.backward([m for m, _ in roots], [minitorch.tensor(u, dtype=m.dtype) for u, (m, _) in zip(ups, roots)])
        torch.autograd.backward([t for _, t in roots], [torch.tensor(u, dtype=t.dtype) for u, (_, t) in zip(ups, roots)])

    def same_value(a: Any, b: Any) -> bool:
        va, vb = getattr(a, "_forward_values", None), recorder.values.get(b, {}).get(0)
        return bool(va) and vb is not None and _worst(np.asarray(va[0], dtype=np.float64), vb, rtol, atol)[1]

    def same_shape(a: Any, b: Any) -> bool:
        va, vb = getattr(a, "_forward_values", None), recorder.values.get(b, {}).get(0)
        return bool(va) and vb is not None and np.shape(va[0]) == vb.shape

    groups = _groups(mt_nodes, th_nodes, same_value, same_shape)
    # the destination of a sent gradient: a group (by its position) or a leaf (by its key)
    dest_m = {id(leaf): key for key, (leaf, _) in leaves.items()}
    dest_t = {id(leaf): key for key, (_, leaf) in leaves.items()}
    for g, (gm, gt) in enumerate(groups):
        for n in gm:
            dest_m[id(n)] = g
        for n in gt:
            dest_t[id(n)] = g
    for g, (gm, gt) in enumerate(groups):
        report.nodes.append(_diff_group(g, gm, gt, seen_m, seen_t, recorder.values, dest_m, dest_t, rtol, atol,
                                        os.path.dirname(torch.__file__)))
    for d in report.nodes:  # the first forward value that differs, in creation order
        if not d.forward[1]:
            report.first, report.phase = d, "forward"
            break
    else:
        report.phase = "backward"
        for d in report.nodes[::-1]:  # else the first gradient that differs, in the order backward ran
            if not (d.received[1] and d.sent[1]):
                report.first = d
                break
    for key, (m, t) in leaves.items():
        report.leaves.append((f"{key} .grad", *_worst(_np(m.grad), _np(t.grad), rtol, atol)))
    return report


def _sent_by_destination(nodes: list, seen: dict, dest: dict, group: int) -> dict:
    """Gradients a group sends out of itself, summed per destination (a group number or a leaf key)."""
    out: dict = {}
    for n in nodes:
        rec = seen.get(n)
        if rec is None:
            continue
        # minitorch sends one gradient per forward argument (``_next``), torch one per next_functions entry
        edges = [e[0] if e else None for e in n._next] if isinstance(n, minitorch.autograd.Node) else \
            [e for e, _ in n.next_functions]
        for e, g in zip(edges, rec["sent"]):
            if e is None or g is None:
                continue
            target = e.variable if isinstance(e, AccumulateGrad) or "AccumulateGrad" in e.name() else e
            key = dest.get(id(target))
            if key is None or key == group:
                continue
            out[key] = g if key not in out else out[key] + g
    return out


def _diff_group(g: int, gm: list, gt: list, seen_m: dict, seen_t: dict, values_t: dict, dest_m: dict,
                dest_t: dict, rtol: float, atol: float, torch_dir: str) -> NodeDiff:
    d = NodeDiff(gm, gt, None)
    if not gm or not gt:
        d.forward = (float("inf"), False)
        return d
    last_m, last_t = gm[-1], gt[-1]
    d.line = _user_line(last_t, last_m, torch_dir)
    fwd_m = [np.asarray(v, dtype=np.float64) for v in getattr(last_m, "_forward_values", [])]
    fwd_t = values_t.get(last_t, {})
    if fwd_m:
        d.shape = fwd_m[0].shape
    diffs = [_worst(fwd_m[k], v, rtol, atol) for k, v in sorted(fwd_t.items()) if k < len(fwd_m)]
    d.forward = (max((x for x, _ in diffs), default=0.0), all(ok for _, ok in diffs))
    rm, rt = seen_m.get(last_m), seen_t.get(last_t)
    if rm is None or rt is None:
        d.ran = rm is None and rt is None
        d.received = d.sent = (0.0, True) if d.ran else (float("inf"), False)
        return d
    recv = [_worst(a, b, rtol, atol) for a, b in zip(rm["received"], rt["received"])]
    d.received = (max((x for x, _ in recv), default=0.0), all(ok for _, ok in recv))
    sm, st = _sent_by_destination(gm, seen_m, dest_m, g), _sent_by_destination(gt, seen_t, dest_t, g)
    if len(gm) == 1 and len(gt) == 1:  # one node each: every destination must get the same gradient
        keys = set(sm) | set(st)
    else:  # groups of different nodes route gradients differently inside: compare where both send alike
        keys = {k for k in set(sm) & set(st) if sm[k].shape == st[k].shape}
    sent = [_worst(sm.get(k), st.get(k), rtol, atol) for k in keys]
    d.sent = (max((x for x, _ in sent), default=0.0), all(ok for _, ok in sent))
    return d
