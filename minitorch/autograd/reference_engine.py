"""The reference backward pass: a topological sort and one reverse loop, short enough to hold in your head.

1. Order the nodes below the outputs so that each comes before every node it sends a gradient to: a
   depth-first post-order of the graph, reversed. A node is then reached only after all its consumers.
2. Walk that order once. When a node comes up, every gradient it will receive has arrived and been
   summed, so call its ``backward`` and add each gradient it returns to the edge it belongs to.

The same graph as the fast engine (``engine.py``): ``Node``s linked by their ``_next`` edges, ending in
the ``AccumulateGrad`` of each leaf; the same ``_call_backward``, with Tensors throughout. It is what the
tour teaches and the tests' oracle: every backward the fast engine runs in the test suite is computed
here first and must agree. It keeps the graph, touches no ``.grad``, and knows no hooks, ``retain_grad``
or ``inputs=``; it returns the gradient at every edge instead.
"""
from __future__ import annotations

from typing import Sequence

from minitorch.autograd.function import AccumulateGrad, Node, _edge
from minitorch.autograd.grad_mode import no_grad
from minitorch._tensor import Tensor


def topological_order(roots: Sequence[Node]) -> list[Node]:
    """The nodes reachable from ``roots``, each before all the nodes its ``_next`` edges point at."""
    order, visited, stack = [], set(), [(node, False) for node in roots]
    while stack:  # depth first, without recursion: a chain of 10,000 ops is fine
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)  # after every node below it
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((edge[0], False) for edge in node._next if edge)
    return order[::-1]


def gradients(outputs: Sequence[Tensor], grad_outputs: Sequence[Tensor]) -> dict:
    """For every edge ``(node, output_nr)`` below ``outputs``, the gradient of
    sum_i <outputs[i], grad_outputs[i]> with respect to the tensor at that edge (for a leaf ``x``, at
    ``_edge(x)``, its ``AccumulateGrad``). An edge that no gradient reaches is absent."""
    grads: dict = {}
    for out, g in zip(outputs, grad_outputs):
        _add(grads, _edge(out), g)
    with no_grad():
        for node in topological_order([_edge(out)[0] for out in outputs]):
            if type(node) is AccumulateGrad:
                continue  # a leaf: its gradient is complete
            received = [grads.get((node, nr)) for nr in range(node._n_outputs)]
            for edge, g in zip(node._next, node._call_backward(received, arrays=False)):
                if edge and g is not None:
                    _add(grads, edge, g)
    return grads


def _add(grads: dict, edge: tuple, g: Tensor) -> None:
    """grads[edge] += g, where a missing entry is zero."""
    grads[edge] = g if edge not in grads else grads[edge] + g
