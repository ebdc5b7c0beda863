"""A self-contained HTML page of one backward pass: the graph as SVG, click a node for its details.

The page holds no link to the network: graphviz lays the graph out as inline SVG, the data of
every node sits in a JSON block, and a few lines of JavaScript show a node's details on click:
its op, the math of its backward (the Function's docstring), the shape and statistics of its
forward value (when known), the gradient it received and what it sent to each input.
"""
from __future__ import annotations

import html
import inspect
import json
import os
from typing import Any

from minitorch.autograd import engine
from minitorch.autograd.function import AccumulateGrad, FunctionBase
from minitorch.autograd.graph import _shape, dot_to, walk
from minitorch.autograd.trace import _stats, trace_backward
from minitorch._tensor import Tensor


def _node_info(node: Any, names: dict, record: Any, root: Tensor, is_root: bool) -> dict:
    if isinstance(node, AccumulateGrad):
        var = node.variable
        return {
            "kind": "leaf", "op": names.get(id(var), "leaf tensor"), "math": "A leaf: its gradient is added into .grad.",
            "value": _stats(var), "received": record.received if record else [], "sent": [],
        }
    value = _stats(root) if is_root else None
    if value is None and getattr(node, "_forward_values", None) is not None:
        value = _stats(node._forward_values[0])
    saved = []
    if isinstance(node, FunctionBase) and node._saved is not None:
        saved = [list(getattr(s, "array", s).shape) for s in node._saved if hasattr(getattr(s, "array", s), "shape")]
    return {
        "kind": "function", "op": node.name(), "math": inspect.getdoc(type(node)) or "",
        "value": value, "saved": saved,
        "received": record.received if record else [],
        "sent": [{"to": name, "grad": s} for name, s in record.sent] if record else [],
    }


def page_html(root: Tensor, params: dict | None = None, gradient: Tensor | None = None) -> str:
    """The HTML text of the page for ``root``'s graph and one traced backward pass from it."""
    names = {id(p): n for n, p in (params or {}).items()}
    nodes = list(walk(root))
    if not nodes:
        raise RuntimeError("the tensor has no graph to draw: it does not require grad")
    ids = {id(n): f"n{i}" for i, n in enumerate(nodes)}
    leaves = [n.variable for n in nodes if isinstance(n, AccumulateGrad)]
    with trace_backward() as trace:
        engine.grad(root, leaves, grad_outputs=gradient, retain_graph=True, allow_unused=True)
    records = {id(r.node): r for r in trace.records}
    data = {ids[id(n)]: _node_info(n, names, records.get(id(n)), root, i == 0) for i, n in enumerate(nodes)}

    lines = ["digraph {", '  graph [rankdir=TB]', '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=11]']
    for n in nodes:
        nid = ids[id(n)]
        if isinstance(n, AccumulateGrad):
            label = names.get(id(n.variable), "") + "\n" + _shape(n.variable)
            color = "lightblue"
        else:
            label, color = n.name(), "lightgray"
        lines.append(f'  {nid} [id="{nid}", label={json.dumps(label.strip())}, fillcolor={color}]')
        for e in n._next:
            if e:
                lines.append(f"  {ids[id(e[0])]} -> {nid}")
    lines.append("}")
    svg = dot_to("\n".join(lines), "svg").decode()
    svg = svg[svg.index("<svg"):]
    payload = json.dumps({"nodes": data, "root": ids[id(nodes[0])]}).replace("</", "<\\/")
    return _TEMPLATE.replace("{{SVG}}", svg).replace("{{DATA}}", payload).replace(
        "{{TITLE}}", html.escape(f"backward graph of {nodes[0].name()} ({len(nodes)} nodes)"))


def write_page(root: Tensor, path: str | os.PathLike, params: dict | None = None,
               gradient: Tensor | None = None) -> str:
    """Write the page to ``path`` and return the path."""
    path = os.fspath(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(page_html(root, params, gradient))
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{TITLE}}</title>
<style>
body { margin: 0; font-family: system-ui, sans-serif; display: flex; height: 100vh; }
#graph { flex: 1 1 60%; overflow: auto; padding: 12px; border-right: 1px solid #ccc; }
#details { flex: 1 1 40%; overflow: auto; padding: 12px 18px; }
g.node { cursor: pointer; }
g.node.selected polygon, g.node.selected path { stroke: #d33; stroke-width: 3; }
pre { background: #f6f6f6; padding: 8px; white-space: pre-wrap; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: right; }
</style></head>
<body>
<div id="graph"><h3>{{TITLE}}</h3>{{SVG}}</div>
<div id="details"><p id="hint">Click a node to see its op, its backward math, its value and its gradients.</p></div>
<script id="graph-data" type="application/json">{{DATA}}</script>
<script>
const DATA = JSON.parse(document.getElementById("graph-data").textContent);
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }
function stats(s) {
  if (!s) return "<i>not recorded</i>";
  return "<table><tr><th>shape</th><th>norm</th><th>mean</th><th>min</th><th>max</th></tr><tr><td>[" +
    s.shape.join(", ") + "]</td><td>" + s.norm.toPrecision(5) + "</td><td>" + s.mean.toPrecision(5) +
    "</td><td>" + s.min.toPrecision(5) + "</td><td>" + s.max.toPrecision(5) + "</td></tr></table>" +
    (s.nonfinite ? "<b>" + s.nonfinite + " non-finite values</b>" : "");
}
function show(id) {
  const d = DATA.nodes[id];
  document.querySelectorAll("g.node").forEach(g => g.classList.toggle("selected", g.id === id));
  let h = "<h2 id='op-name'>" + esc(d.op) + "</h2>";
  h += "<h4>Backward math</h4><pre id='op-math'>" + esc(d.math) + "</pre>";
  h += "<h4>Forward value</h4><div id='op-value'>" + stats(d.value) + "</div>";
  h += "<h4>Gradient received</h4><div id='op-received'>" + (d.received.length ? d.received.map(stats).join("") : "<i>none</i>") + "</div>";
  if (d.kind === "function") {
    h += "<h4>Gradient sent to each input</h4><div id='op-sent'>" + (d.sent.length ? d.sent.map(
      x => "<p>&rarr; " + esc(x.to || "(no grad needed)") + "</p>" + (x.to ? stats(x.grad) : "")).join("") : "<i>none</i>") + "</div>";
    if (d.saved && d.saved.length) h += "<h4>Saved for backward</h4><p>" + d.saved.map(s => "[" + s.join(", ") + "]").join(", ") + "</p>";
  }
  document.getElementById("details").innerHTML = h;
}
document.querySelectorAll("g.node").forEach(g => g.addEventListener("click", () => show(g.id)));
</script>
</body></html>
"""
