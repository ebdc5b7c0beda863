"""Drawing the backward graph: DOT source (like torchviz's ``make_dot``) and rendering through graphviz.

``to_dot(y)`` walks from ``y.grad_fn`` along ``next_functions``: one box per Function node named
like torch's (``MulBackward0``), a blue box per leaf (named from ``params`` when given, with its
shape), the output in green, and, with ``show_saved=True``, the tensors each node saved for backward.
Edges point the way the forward pass ran (inputs -> consumers), as in torchviz.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any, Iterator

from minitorch.autograd.function import AccumulateGrad, FunctionBase, Node
from minitorch._tensor import Tensor


def _shape(t: Any) -> str:
    return "(" + ", ".join(str(s) for s in t.shape) + ")"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def walk(root: Any) -> Iterator[Node]:
    """Every node reachable from ``root`` (a tensor's grad_fn or a node), each once, roots first."""
    start = root.grad_fn if isinstance(root, Tensor) else root
    if start is None and isinstance(root, Tensor) and root.requires_grad:
        from minitorch.autograd.function import _edge

        start = _edge(root)[0]
    seen, stack = set(), [start] if start is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for e in reversed(node._next):
            if e and id(e[0]) not in seen:
                stack.append(e[0])


def _saved_for_display(node: Node) -> list:
    """(label, tensor) for what a node keeps for backward, without raising on freed graphs."""
    if not isinstance(node, FunctionBase) or node._saved is None:
        return []
    out = []
    for i, s in enumerate(node._saved):
        t = getattr(s, "array", None)
        if t is None and isinstance(s, Tensor):
            t = s._data
        if t is not None:
            out.append((f"saved {i}", t))
    return out


def to_dot(root: Any, params: dict | None = None, show_saved: bool = False) -> str:
    """DOT source of the graph that produced ``root`` (a Tensor, or a list of Tensors)."""
    roots = list(root) if isinstance(root, (list, tuple)) else [root]
    names = {id(p): n for n, p in (params or {}).items()}
    lines = [
        "digraph {",
        '  graph [rankdir=TB, fontname="monospace"]',
        '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=11, fillcolor=white]',
    ]
    drawn: set = set()
    for r in roots:
        if not isinstance(r, Tensor):
            raise TypeError(f"to_dot expects Tensors, got {type(r).__name__}")
        out_id = f"out{id(r)}"
        lines.append(f"  {out_id} [label={_quote(names.get(id(r), 'output') + chr(10) + _shape(r))}, fillcolor=darkolivegreen1]")
        for node in walk(r):
            nid = f"n{id(node)}"
            if nid in drawn:
                continue
            drawn.add(nid)
            if isinstance(node, AccumulateGrad):
                var = node.variable
                label = names.get(id(var), "") + ("\n" if id(var) in names else "") + _shape(var)
                lines.append(f"  {nid} [label={_quote(label)}, fillcolor=lightblue]")
            else:
                lines.append(f"  {nid} [label={_quote(node.name())}, fillcolor=lightgray]")
            if show_saved:
                for k, (label, arr) in enumerate(_saved_for_display(node)):
                    sid = f"s{id(node)}_{k}"
                    lines.append(f"  {sid} [label={_quote(label + chr(10) + _shape(arr))}, fillcolor=orange]")
                    lines.append(f"  {sid} -> {nid} [style=dotted, dir=none]")
            for e in node._next:
                if e:
                    lines.append(f"  n{id(e[0])} -> {nid}")
        start = next(walk(r), None)
        if start is not None:
            lines.append(f"  n{id(start)} -> {out_id}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(root: Any, path: str | os.PathLike, params: dict | None = None, show_saved: bool = False) -> str:
    """Write the graph of ``root`` to ``path``: ``.dot`` (source), ``.svg``/``.png`` (via graphviz's
    ``dot``) or ``.html`` (an interactive page of the graph). Returns the path written."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".html":
        from minitorch.autograd.graph_page import write_page

        return write_page(root, path, params)
    source = to_dot(root, params, show_saved)
    if ext in (".dot", ".gv"):
        with open(path, "w") as f:
            f.write(source)
        return path
    if ext not in (".svg", ".png", ".pdf"):
        raise ValueError(f"render: unsupported file extension '{ext}' (use .dot, .svg, .png, .pdf or .html)")
    with open(path, "wb") as f:
        f.write(dot_to(source, ext[1:]))
    return path


def dot_to(source: str, fmt: str) -> bytes:
    """Run graphviz's ``dot -T<fmt>`` on DOT source; a clear error when graphviz is missing."""
    exe = shutil.which("dot")
    if exe is None:
        raise RuntimeError(
            "graphviz's `dot` program was not found on PATH; install graphviz (Debian/Ubuntu: "
            "apt-get install graphviz, macOS: brew install graphviz) or render to '.dot'"
        )
    proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode(), capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout
