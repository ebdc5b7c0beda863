"""Hooks like torch's: tensor hooks that replace a gradient, module forward/backward hooks, removable handles."""
import numpy as np
import torch

import minitorch as mt


def test_tensor_hook_can_replace_the_gradient_like_torch():
    grads = {}
    for lib in (mt, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x
        h = y.register_hook(lambda g: g * 10)
        y.sum().backward()
        h.remove()
        grads[lib.__name__] = x.grad.detach().numpy().copy()
    np.testing.assert_allclose(grads["minitorch"], grads["torch"])


class _Scale:
    @staticmethod
    def make(lib):
        class Scale(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.w = lib.nn.Parameter(lib.tensor([2.0, -1.0, 0.5]))

            def forward(self, x, y):
                return x * self.w + y

        return Scale()


def test_module_hooks_match_torch():
    results = {}
    for lib in (mt, torch):
        m = _Scale.make(lib)
        log = []
        m.register_forward_pre_hook(lambda mod, args: (args[0] * 2, args[1]))
        m.register_forward_hook(lambda mod, args, out: out + 1)
        m.register_full_backward_hook(lambda mod, gi, go: log.append((gi, go)))
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = lib.tensor([0.5, 0.5, 0.5])
        out = m(x, y)
        out.sum().backward()
        (gi, go), = log
        results[lib.__name__] = (out.detach().numpy().copy(), x.grad.numpy().copy(),
                                 gi[0].numpy().copy(), gi[1], go[0].numpy().copy())
    a, b = results["minitorch"], results["torch"]
    np.testing.assert_allclose(a[0], b[0])
    np.testing.assert_allclose(a[1], b[1])
    np.testing.assert_allclose(a[2], b[2])
    np.testing.assert_array_equal(a[3].numpy(), b[3].numpy())  # a tensor input without grad: zeros
    np.testing.assert_allclose(a[4], b[4])


def test_full_backward_hook_can_replace_grad_input():
    m = _Scale.make(mt)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0, None))
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m(x, mt.zeros(3)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 0)
    assert m.w.grad is not None  # the parameter still gets its gradient


def test_hook_handles_remove():
    m = _Scale.make(mt)
    calls = []
    handles = [m.register_forward_pre_hook(lambda *a: calls.append("pre")),
               m.register_forward_hook(lambda *a: calls.append("fwd")),
               m.register_full_backward_hook(lambda *a: calls.append("bwd"))]
    x = mt.ones(3, requires_grad=True)
    m(x, x).sum().backward()
    assert calls == ["pre", "fwd", "bwd"]
    for h in handles:
        h.remove()
    m(x, x).sum().backward()
    assert calls == ["pre", "fwd", "bwd"]


def test_each_kind_of_node_hook_runs_when_it_is_the_only_one_alive():
    """The engine looks for hooks only while some node carries one (``_hooked_nodes``): retain_grad, a tensor
    hook, a node pre-hook and a node post-hook must each register their node, even as the only hook alive."""
    import gc

    from minitorch.autograd import function

    def run(lib, kind):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * x
        seen = []
        if kind == "retain_grad":
            y.retain_grad()
        elif kind == "tensor":
            y.register_hook(lambda g: g * 3)
        elif kind == "prehook":
            y.grad_fn.register_prehook(lambda go: (go[0] * 3,))
        else:
            y.grad_fn.register_hook(lambda gi, go: seen.append(len(gi)))
        (y * 2).sum().backward()
        return x.grad.detach().numpy().copy(), None if y.grad is None else y.grad.detach().numpy().copy(), seen

    for kind in ("retain_grad", "tensor", "prehook", "posthook"):
        gc.collect()
        assert not function._hooked_nodes, "a hooked node from another test is still alive"
        got, want = run(mt, kind), run(torch, kind)
        np.testing.assert_allclose(got[0], want[0])
        assert (got[1] is None) == (want[1] is None)
        if want[1] is not None:
            np.testing.assert_allclose(got[1], want[1])
        assert got[2] == want[2]
