"""Autograd semantics against torch.autograd: accumulation, diamonds, retain_graph, create_graph (second
derivatives, Hessian-vector products, gradient penalties), autograd.grad, grad modes, detach, hooks,
custom Functions, graph inspection, every error, the iterative engine and gradcheck itself."""
import sys

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close

LIBS = (minitorch, torch)
RNG = np.random.default_rng(0)


def run_both(fn, *arrays, requires_grad=True):
    """fn(lib, *leaves) in both frameworks on the same float64 data; returns ((mt result, mt leaves), (torch ...))."""
    out = []
    for lib in LIBS:
        leaves = [lib.tensor(a, requires_grad=requires_grad) for a in arrays]
        out.append((fn(lib, *leaves), leaves))
    return out


def assert_same(a, b, what="value"):
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b), what
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{what}[{i}]")
    elif a is None or b is None:
        assert a is None and b is None, f"{what}: {a} vs {b}"
    else:
        assert_close(a, b, what=what)


# ---------------------------------------------------------------------------------------------- accumulation
def test_grad_accumulates_across_backward_calls():
    def fn(lib, x):
        grads = []
        for k in range(3):
            (x * x * (k + 1)).sum().backward()
            grads.append(x.grad.clone())
        x.grad.zero_()
        (x * 3).sum().backward()
        grads.append(x.grad)
        x.grad = None
        (x ** 3).sum().backward()
        grads.append(x.grad)
        return grads

    (gm, _), (gt, _) = run_both(fn, np.array([1.0, -2.0, 0.5]))
    assert_same(gm, gt)


def test_grad_is_not_aliased_to_upstream_gradient():
    x = minitorch.ones(3, requires_grad=True)
    g = minitorch.tensor([1.0, 2.0, 3.0])
    (x * 1).backward(g)
    x.grad.add_(1)
    assert g.tolist() == [1.0, 2.0, 3.0]
    y = minitorch.ones(3, requires_grad=True)
    (y + 0).backward(g)
    (y + 0).backward(g)
    assert y.grad.tolist() == [2.0, 4.0, 6.0] and g.tolist() == [1.0, 2.0, 3.0]


def test_diamond_and_reuse():
    def fn(lib, x, w):
        a = x * w
        b = a.exp()
        c = a.sin()
        d = b * c + a  # a feeds three consumers
        e = (d * x).sum() + (x * x).sum()  # x used four times
        e.backward()
        return e, x.grad, w.grad

    (rm, _), (rt, _) = run_both(fn, np.array([0.3, -0.7, 1.2]), np.array([1.5, 0.2, -0.4]))
    assert_same(rm, rt)


def test_shared_subexpression_in_several_outputs():
    def fn(lib, x):
        h = x.tanh()
        outs = [h.sum(), (h * h).sum(), h[0] * 3]
        lib.autograd.backward(outs, [lib.tensor(1.0, dtype=lib.float64)] * 3)
        return x.grad

    (gm, _), (gt, _) = run_both(fn, np.array([0.1, 0.5, -2.0]))
    assert_same(gm, gt)


# ---------------------------------------------------------------------------------------------- retain_graph
def test_retain_graph_allows_a_second_backward():
    def fn(lib, x):
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        first = x.grad.clone()
        y.backward()
        return first, x.grad

    (gm, _), (gt, _) = run_both(fn, np.array([0.5, 1.0]))
    assert_same(gm, gt)


def test_second_backward_through_freed_graph_raises():
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
            y.backward()
        z = (x.exp()).sum()
        lib.autograd.grad(z, x)
        with pytest.raises(RuntimeError, match="Specify retain_graph=True"):
            lib.autograd.grad(z, x)


def test_graph_without_saved_tensors_can_be_replayed_like_torch():
    results = []
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x + 1).sum()
        y.backward()
        y.backward()  # nothing was saved, so nothing was freed (torch allows this too)
        results.append(x.grad.tolist())
    assert results[0] == results[1] == [2.0, 2.0]


# ---------------------------------------------------------------------------------------------- create_graph
def test_second_derivative_vs_torch_autograd_grad():
    def fn(lib, x, y):
        f = (x ** 3 * y.sin() + x.exp() * y * y).sum()
        gx, gy = lib.autograd.grad(f, (x, y), create_graph=True)
        gxx, gxy = lib.autograd.grad(gx.sum(), (x, y), create_graph=True)
        gyy, = lib.autograd.grad(gy.sum(), y, retain_graph=True)
        third, = lib.autograd.grad(gxx.sum(), x)
        return gx, gy, gxx, gxy, gyy, third

    (rm, _), (rt, _) = run_both(fn, np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.3, -0.2]))
    assert_same(rm, rt)


def test_hessian_vector_product():
    a = RNG.standard_normal((3, 3))
    v = RNG.standard_normal(3)

    def fn(lib, x):
        A = lib.tensor(a)
        f = (x @ A @ x).tanh() + (x * x * x).sum() + x.softmax(0).log().sum()
        (g,) = lib.autograd.grad(f, x, create_graph=True)
        (hv,) = lib.autograd.grad(g, x, grad_outputs=lib.tensor(v))
        return g, hv

    (rm, _), (rt, _) = run_both(fn, np.array([0.2, -0.4, 0.9]))
    assert_same(rm, rt)


def test_gradient_penalty_reaches_the_weights():
    def fn(lib, x, w, b):
        out = ((x @ w + b).tanh() ** 2).sum(1)
        (gx,) = lib.autograd.grad(out.sum(), x, create_graph=True)
        penalty = ((gx.norm(dim=1) - 1) ** 2).mean()
        loss = out.mean() + 10 * penalty
        loss.backward()
        return loss, w.grad, b.grad, x.grad

    (rm, _), (rt, _) = run_both(fn, RNG.standard_normal((4, 3)), RNG.standard_normal((3, 2)), RNG.standard_normal(2))
    assert_same(rm, rt)


def test_backward_with_create_graph_makes_grad_differentiable():
    def fn(lib, x):
        y = (x ** 3).sum()
        y.backward(create_graph=True)
        g = x.grad
        assert g.requires_grad
        (gg,) = lib.autograd.grad(g.sum(), x)
        return g, gg

    (rm, _), (rt, _) = run_both(fn, np.array([1.0, -2.0]))
    assert_same(rm, rt)


# ---------------------------------------------------------------------------------------------- autograd.grad
def test_autograd_grad_allow_unused_and_materialize():
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        z = lib.tensor([3.0], requires_grad=True)
        y = (x * 2).sum()
        with pytest.raises(RuntimeError, match="The differentiated Tensor at index 1 .*appears to not have been used "
                                               "in the graph. Set allow_unused=True"):
            lib.autograd.grad(y, (x, z), retain_graph=True)
        gx, gz = lib.autograd.grad(y, (x, z), allow_unused=True, retain_graph=True)
        assert gx.tolist() == [2.0, 2.0] and gz is None
        gx, gz = lib.autograd.grad(y, (x, z), materialize_grads=True)
        assert gz.tolist() == [0.0]
        assert x.grad is None and z.grad is None  # autograd.grad never touches .grad


def test_autograd_grad_of_intermediate_and_several_outputs():
    def fn(lib, x):
        h = x.exp()
        y1, y2 = (h * 3).sum(), (h * x).sum()
        return lib.autograd.grad([y1, y2], [h, x], grad_outputs=[lib.tensor(2.0, dtype=lib.float64),
                                                                 lib.tensor(-1.0, dtype=lib.float64)])

    (rm, _), (rt, _) = run_both(fn, np.array([0.1, 0.7]))
    assert_same(rm, rt)


def test_autograd_grad_errors():
    for lib in LIBS:
        x = lib.tensor([1.0], requires_grad=True)
        c = lib.tensor([1.0])
        with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require grad"):
            lib.autograd.grad((x * 2).sum(), c)
        with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does not have a grad_fn"):
            lib.autograd.grad(c.sum(), x)


def test_backward_inputs_restricts_accumulation():
    def fn(lib, x, w):
        h = x * w
        y = (h * h).sum()
        h.retain_grad()
        y.backward(inputs=[w], retain_graph=True)
        first = (x.grad, w.grad.clone(), h.grad)
        y.backward(inputs=(x, h))
        return first, x.grad, w.grad, h.grad

    (rm, _), (rt, _) = run_both(fn, np.array([1.0, 2.0]), np.array([0.5, -1.0]))
    assert_same(rm, rt)


def test_backward_inputs_empty_raises():
    for lib in LIBS:
        x = lib.tensor([1.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
            (x * 2).sum().backward(inputs=[])


# ---------------------------------------------------------------------------------------------- grad modes
def test_no_grad_enable_grad_set_grad_enabled_context_managers():
    for lib in LIBS:
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            y = x * 2
            assert not lib.is_grad_enabled()
            with lib.enable_grad():
                z = x * 2
                assert lib.is_grad_enabled()
            w = x * 2
        assert lib.is_grad_enabled()
        assert not y.requires_grad and y.grad_fn is None and y.is_leaf
        assert z.requires_grad and z.grad_fn is not None and not w.requires_grad
        with lib.set_grad_enabled(False):
            assert not (x * 2).requires_grad
        assert lib.is_grad_enabled()
        lib.set_grad_enabled(False)
        assert not (x * 2).requires_grad
        lib.set_grad_enabled(True)
        assert (x * 2).requires_grad


def test_grad_modes_as_decorators():
    for lib in LIBS:
        x = lib.ones(2, requires_grad=True)

        @lib.no_grad()
        def frozen(t):
            return t * 2

        @lib.enable_grad()
        def live(t):
            return t * 2

        @lib.set_grad_enabled(False)
        def also_frozen(t):
            return t * 2

        assert lib.is_grad_enabled()  # the decorator itself changes nothing
        assert not frozen(x).requires_grad and not also_frozen(x).requires_grad
        with lib.no_grad():
            assert live(x).requires_grad
        assert frozen.__name__ == "frozen"


def test_grad_mode_restored_after_exception():
    for lib in LIBS:
        with pytest.raises(ValueError):
            with lib.no_grad():
                raise ValueError
        assert lib.is_grad_enabled()


def test_no_grad_results_and_inplace_on_leaf():
    x = minitorch.ones(3, requires_grad=True)
    with minitorch.no_grad():
        x.mul_(2)
        y = x.exp()
    assert x.requires_grad and x.is_leaf and x._version == 1 and not y.requires_grad


# ---------------------------------------------------------------------------------------------- detach / leaves
def test_detach_shares_memory_and_cuts_graph():
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        d = y.detach()
        assert not d.requires_grad and d.grad_fn is None and d.is_leaf
        d[0] = 10.0
        assert y[0].item() == 10.0
        assert y._version == d._version == 1
        z = (y.detach() * x).sum()
        z.backward()
        assert x.grad.tolist() == [10.0, 6.0]


def test_requires_grad_flags_and_is_leaf_vs_torch():
    rows = []
    for lib in LIBS:
        a = lib.tensor([1.0, 2.0])
        b = lib.tensor([1.0, 2.0], requires_grad=True)
        c = a * 2
        d = b * 2
        e = b.detach().requires_grad_()
        rows.append([(t.requires_grad, t.is_leaf) for t in (a, b, c, d, e)])
        with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
            d.requires_grad_(False)
        d.requires_grad_(True)
    assert rows[0] == rows[1]


def test_requires_grad_on_integer_tensor_raises():
    for lib in LIBS:
        with pytest.raises(RuntimeError, match=r"(?i)only Tensors of floating point (and complex )?dtype can require gradients"):
            lib.tensor([1, 2]).requires_grad_()
        with pytest.raises(RuntimeError, match=r"(?i)only Tensors of floating point (and complex )?dtype can require gradients"):
            lib.tensor([1, 2], requires_grad=True)
        with pytest.raises(RuntimeError, match=r"(?i)only Tensors of floating point (and complex )?dtype can require gradients"):
            lib.tensor([True]).requires_grad = True


def test_integer_results_do_not_require_grad():
    for lib in LIBS:
        x = lib.tensor([1.5, -2.0], requires_grad=True)
        for out in (x.argmax(), x > 0, x.max(0)[1], x.long()):
            assert not out.requires_grad and out.grad_fn is None


# ---------------------------------------------------------------------------------------------- hooks
def test_register_hook_replaces_and_observes_grad():
    def fn(lib, x):
        seen = []
        h = x * 2
        h.register_hook(lambda g: seen.append(g.clone()))
        h.register_hook(lambda g: g * 10)
        handle = x.register_hook(lambda g: g + 1)
        (h * h).sum().backward(retain_graph=True)
        first = x.grad.clone()
        handle.remove()
        x.grad = None
        (h * h).sum().backward()
        return seen, first, x.grad

    (rm, _), (rt, _) = run_both(fn, np.array([1.0, -3.0]))
    assert_same(rm, rt)


def test_hook_on_tensor_without_grad_raises():
    for lib in LIBS:
        with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
            lib.zeros(2).register_hook(lambda g: g)


def test_retain_grad():
    def fn(lib, x):
        h = x.exp()
        h.retain_grad()
        u = h * 3
        (u * u).sum().backward()
        with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf Tensor is being "
                                             "accessed"):
            u_grad = u.grad
        return h.grad, u_grad, h.retains_grad, x.retains_grad

    results = run_both(fn, np.array([0.1, 0.2]))
    (hm, um, rhm, rxm), (ht, ut, rht, rxt) = results[0][0], results[1][0]
    assert_same(hm, ht)
    assert um is None and ut is None
    assert (rhm, rxm) == (rht, rxt)


# ---------------------------------------------------------------------------------------------- custom Function
def _exp_function(lib):
    """torch's docs example (``torch.autograd.Function``), written once for either library."""

    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    return Exp


def _legendre_function(lib):
    """The LegendrePolynomial3 example of torch's tutorial 'Defining new autograd functions'."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    return LegendrePolynomial3


def _mul_add_function(lib):
    """Several inputs, a non-tensor argument, two outputs, needs_input_grad and mark_non_differentiable."""

    class MulAdd(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, k):
            ctx.save_for_backward(x, y)
            ctx.k = k
            idx = (x * y).argmax()
            ctx.mark_non_differentiable(idx)
            return x * y + k, idx

        @staticmethod
        def backward(ctx, grad, _grad_idx):
            x, y = ctx.saved_tensors
            gx = grad * y if ctx.needs_input_grad[0] else None
            gy = grad * x if ctx.needs_input_grad[1] else None
            return gx, gy, None

    return MulAdd


def test_custom_function_docs_examples():
    def fn(lib, x, w):
        exp, legendre, mul_add = _exp_function(lib), _legendre_function(lib), _mul_add_function(lib)
        y = exp.apply(x)
        z = legendre.apply(y * 0.3)
        out, idx = mul_add.apply(z, w, 2.0)
        out.sum().backward()
        return y, z, out, idx, x.grad, w.grad, type(y.grad_fn).__name__

    (rm, _), (rt, _) = run_both(fn, np.array([0.1, -0.5, 0.3]), np.array([1.0, 2.0, -1.0]))
    assert_same(rm[:-1], rt[:-1])
    assert rm[-1] == "Exp" and rt[-1] == "ExpBackward"
    assert not rm[3].requires_grad


def test_custom_function_second_order_and_gradcheck():
    for lib in LIBS:
        legendre = _legendre_function(lib)
        x = lib.tensor([0.3, -0.6], dtype=lib.float64, requires_grad=True)
        assert lib.autograd.gradcheck(legendre.apply, (x,))
    x = minitorch.tensor([0.3, -0.6], dtype=minitorch.float64, requires_grad=True)
    y = _exp_function(minitorch).apply(x)
    (g,) = minitorch.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = minitorch.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), np.exp([0.3, -0.6]))


def test_custom_function_without_grad_records_nothing():
    exp = _exp_function(minitorch)
    y = exp.apply(minitorch.tensor([1.0]))
    assert y.grad_fn is None and not y.requires_grad
    x = minitorch.tensor([1.0], requires_grad=True)
    with minitorch.no_grad():
        assert exp.apply(x).grad_fn is None


def test_custom_function_wrong_gradient_count_or_shape():
    class TooMany(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    class BadShape(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, g):
            return g.reshape(1)

    x = minitorch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients \\(expected 1, got 2\\)"):
        TooMany.apply(x).sum().backward()
    with pytest.raises(RuntimeError, match=r"returned an invalid gradient at index 0 - got \[1\] but expected shape "
                                           r"compatible with \[3\]"):
        BadShape.apply(x).backward()


# ---------------------------------------------------------------------------------------------- graph inspection
def _graph(fn_node, depth=0):
    """The names of the graph below a node, nested like next_functions."""
    if fn_node is None:
        return None
    name = fn_node.name()
    return (name, tuple(_graph(n, depth + 1) for n, _ in fn_node.next_functions))


@pytest.mark.parametrize("expr", [
    lambda lib, x, y: (x * y + x).sum(),
    lambda lib, x, y: (x.exp() - y.sin() * 2).mean(),
    lambda lib, x, y: (x @ y.t()).relu().sum(1),
    lambda lib, x, y: (x / y).tanh().sigmoid()[0],
    lambda lib, x, y: x.view(-1).unsqueeze(0).expand(2, 6).permute(1, 0),
    lambda lib, x, y: lib.cat([x, y]).amax(0) + y.clamp(0, 1),
    lambda lib, x, y: (x - y).abs().log().sqrt(),
    lambda lib, x, y: lib.where(x > 0, x, y * 3).softmax(1).log_softmax(0),
    lambda lib, x, y: x.max() + y.min() + x.max(1)[0].sum(),
    lambda lib, x, y: x.to(lib.float32).double() * y.detach(),
    lambda lib, x, y: (2 * x + 1) * 0.5 + (3 + y * 2),  # Python numbers on either side: x listed first
])
def test_grad_fn_graph_matches_torch(expr):
    a, b = RNG.uniform(0.5, 2, (2, 3)), RNG.uniform(-2, -0.5, (2, 3))
    (om, _), (ot, _) = run_both(expr, a, b)
    assert _graph(om.grad_fn) == _graph(ot.grad_fn)
    assert repr(om).split("grad_fn=")[1] == repr(ot).split("grad_fn=")[1]


def test_next_functions_edges_and_accumulate_grad():
    for lib in LIBS:
        x = lib.tensor([1.0], requires_grad=True)
        c = lib.tensor([2.0])
        y = x * c
        (acc, nr), (none, _) = y.grad_fn.next_functions
        assert acc.name() == "torch::autograd::AccumulateGrad" and nr == 0 and none is None
        assert acc.variable is x
        assert acc is (x + 1).grad_fn.next_functions[0][0]  # one accumulator per leaf
        z = x * 2
        assert z.grad_fn.next_functions[1] == (None, 0)  # a Python scalar is listed as a missing edge
        a, b = lib.ones(4, requires_grad=True).split(2)
        assert (a.grad_fn is b.grad_fn) and (a.grad_fn.name() == "SplitBackward0")


def test_node_hooks():
    for lib in LIBS:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        seen = []
        y.grad_fn.register_hook(lambda gi, go: seen.append((gi[0].tolist(), go[0].tolist())))
        y.grad_fn.register_prehook(lambda go: (go[0] * 2,))
        y.sum().backward()
        assert seen == [([6.0, 6.0], [2.0, 2.0])] and x.grad.tolist() == [6.0, 6.0]


# ---------------------------------------------------------------------------------------------- errors
def test_non_scalar_backward_without_gradient():
    for lib in LIBS:
        x = lib.ones(2, 2, requires_grad=True)
        with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
            (x * 2).backward()
        (x * 2).sum().backward()
        (x * 2).view(1, 4)[:, :1].backward()  # one element: allowed


def test_backward_on_tensor_without_graph_raises():
    for lib in LIBS:
        with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does not have a grad_fn"):
            lib.ones(2).sum().backward()


def test_gradient_shape_mismatch_names_both_shapes():
    for lib in LIBS:
        x = lib.ones(2, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of .*\[3, 2\].* and "
                                               r"output\[0\] has a shape of .*\[2, 3\]"):
            (x * 2).backward(lib.ones(3, 2))


def test_inplace_version_error_names_the_tensor():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(3)
    with pytest.raises(RuntimeError, match=r"\[float32 \[2\]\], which is output 0 of SigmoidBackward0, is at version 1; "
                                           r"expected version 0 instead"):
        y.sum().backward()


def test_op_shape_mismatch_names_both_shapes():
    for lib in LIBS:
        with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(2\) at "
                                               r"non-singleton dimension 1"):
            lib.ones(2, 3, requires_grad=True) - lib.ones(2, 2)
    with pytest.raises(RuntimeError, match=r"\[2, 3\] and \[2, 2\] in Sub"):
        minitorch.ones(2, 3) - minitorch.ones(2, 2)


def test_grad_assignment_checks():
    x = minitorch.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"assigned grad has data of a different size"):
        x.grad = minitorch.ones(3)
    with pytest.raises(RuntimeError, match="assigned grad has data of a different type"):
        x.grad = minitorch.ones(2, 3, dtype=minitorch.float64)


# ---------------------------------------------------------------------------------------------- the engine
def test_ten_thousand_op_chain_is_iterative():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        x = minitorch.tensor([1.0, 2.0], requires_grad=True)
        y = x
        for _ in range(10_000):
            y = y * 1.0001 + 0.0
        y.sum().backward()
    finally:
        sys.setrecursionlimit(limit)
    np.testing.assert_allclose(x.grad.numpy(), np.full(2, 1.0001 ** 10_000, np.float32), rtol=1e-3)


def test_order_matches_torch_for_hooks_on_a_branching_graph():
    orders = []
    for lib in LIBS:
        order = []
        x = lib.tensor([1.0], requires_grad=True)
        a = x * 2
        b = x * 3
        c = a * b
        d = c + a
        for name, t in (("a", a), ("b", b), ("c", c), ("d", d)):
            t.register_hook(lambda g, name=name: order.append(name))
        d.backward()
        orders.append(order)
    assert orders[0] == orders[1]


def test_leaf_hooks_see_the_summed_gradient_once_in_torch_order():
    seen = []
    for lib in LIBS:
        events = []
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        w = lib.tensor([0.5, 3.0], requires_grad=True)
        a = x * 2
        b = x * w
        c = a * b + x
        for name, t in (("x", x), ("w", w), ("a", a), ("b", b), ("c", c)):
            t.register_hook(lambda g, name=name: events.append((name, g.detach().numpy().tolist())))
        c.sum().backward()
        seen.append(events)
    assert seen[0] == seen[1]


def test_leaf_gradients_added_as_they_arrive_leave_shared_gradients_intact():
    # z = x + y hands one gradient array to x and to y; x's next contribution (from u, which runs
    # before y's node) must not change the array that y's node has yet to read.
    def fn(lib, x, w):
        y = w * 3
        u = x * 5
        z = x + y
        ((z * z).sum() + (u * u).sum()).backward()
        return x.grad, w.grad

    (gm, _), (gt, _) = run_both(fn, RNG.standard_normal(4), RNG.standard_normal(4))
    assert_same(gm, gt)


def test_grads_keep_leaf_dtype_and_float32_path():
    def fn(lib, x):
        y = (x.float() * 3).sum()
        y.backward()
        return x.grad

    (gm, _), (gt, _) = run_both(fn, np.array([1.0, 2.0]))
    assert_same(gm, gt)


# ---------------------------------------------------------------------------------------------- gradcheck itself
def test_gradcheck_detects_a_wrong_backward():
    class WrongSquare(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x * 3  # should be 2x

    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    with pytest.raises(minitorch.autograd.GradcheckError) as info:
        minitorch.autograd.gradcheck(WrongSquare.apply, (x,))
    message = str(info.value)
    assert "numerical:" in message and "analytical:" in message
    assert "[[2. 0.]\n [0. 4.]]" in message and "[[3. 0.]\n [0. 6.]]" in message
    assert minitorch.autograd.gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False


def test_gradgradcheck_detects_a_wrong_double_backward():
    class FrozenGrad(minitorch.autograd.Function):
        """Right first derivative (3x^2) but computed from a detached x, so its own derivative is lost."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x.detach() ** 2

    x = minitorch.tensor([0.5, -1.5], dtype=minitorch.float64, requires_grad=True)
    assert minitorch.autograd.gradcheck(FrozenGrad.apply, (x,))
    with pytest.raises(minitorch.autograd.GradcheckError, match="numerical"):
        minitorch.autograd.gradgradcheck(FrozenGrad.apply, (x,))


def test_gradcheck_requires_float64():
    x = minitorch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="float64"):
        minitorch.autograd.gradcheck(lambda t: t * 2, (x,))


ARRAY_BACKWARD_CASES = {  # ops whose one backward formula runs on ndarrays, or on Tensors under create_graph
    "add_sub_neg": lambda m, a, b: (a + b - (-a) * 2 - 1).sum(),
    "mul_div_broadcast": lambda m, a, b: (a * b[:1] / (b + 3)).sum(),
    "exp_log_sqrt": lambda m, a, b: ((a * a + 1).log() + (b * b + 1).sqrt() + (a * 0.1).exp() + (b * b).log1p()).sum(),
    "rsqrt_tanh_sigmoid_relu": lambda m, a, b: ((b * b + 1).rsqrt() * a.tanh() + a.sigmoid() * b.relu()).sum(),
    "sum_mean_view_expand": lambda m, a, b: (a.sum(1, keepdim=True).expand(3, 4) * b.view(4, 3).t()).mean(),
    "linear_softmax": lambda m, a, b: (m.nn.functional.linear(a, b, b[0, :3]).softmax(1) *
                                       m.nn.functional.linear(a, b).log_softmax(0)).sum(),
    "cross_entropy": lambda m, a, b: m.nn.functional.cross_entropy(a * b, m.tensor([3, 0, 1])),
    "attention_layer_norm": lambda m, a, b: (
        m.nn.functional.scaled_dot_product_attention(a.reshape(1, 3, 4), b.reshape(1, 3, 4), (a * b).reshape(1, 3, 4),
                                                     is_causal=True)
        * m.nn.functional.layer_norm(a, (4,), b[0], b[1])).sum(),
    "gelu": lambda m, a, b: (m.nn.functional.gelu(a) * m.nn.functional.gelu(b, approximate="tanh")).sum(),
    "batch_norm_leaky_relu": lambda m, a, b: (m.nn.functional.leaky_relu(
        m.nn.functional.batch_norm(a, None, None, b[0], b[1], training=True), 0.2) * b).sum(),
    "matmul_all_ranks": lambda m, a, b: ((a @ b.t()).sum() + (a[0] @ b[1]) + (a[0] @ b.t()).sum()
                                         + (a @ b[1]).sum() + (a.reshape(3, 2, 2) @ b[0].reshape(2, 2)).sum()),
}


@pytest.mark.parametrize("name", sorted(ARRAY_BACKWARD_CASES))
def test_backward_on_arrays_equals_backward_on_tensors(name):
    """The same gradients whether backward runs on bare arrays (no graph) or builds a graph (create_graph)."""
    fn = ARRAY_BACKWARD_CASES[name]
    a, b = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    grads = []
    for create_graph in (False, True):
        xs = [minitorch.tensor(v, requires_grad=True) for v in (a, b)]
        grads.append(minitorch.autograd.grad(fn(minitorch, *xs), xs, create_graph=create_graph))
    for g_arrays, g_tensors in zip(*grads):
        np.testing.assert_allclose(g_arrays.detach().numpy(), g_tensors.detach().numpy(), rtol=1e-12, atol=1e-14)
    xs_t = [torch.tensor(v, requires_grad=True) for v in (a, b)]
    for g_m, g_t in zip(grads[0], torch.autograd.grad(fn(torch, *xs_t), xs_t)):
        assert_close(g_m, g_t)


def test_node_that_receives_no_gradient_passes_none_on_like_torch():
    """A custom Function sends no gradient to its input: the exp node before it gets none and must pass
    none on (it used to fail materialising zeros), so x's gradient is only the other path's, as in torch."""
    grads = []
    for lib in LIBS:
        class Drop(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return None

        x = lib.tensor([1.5, 2.5], requires_grad=True)
        (Drop.apply(x.exp()).sum() + (x * 3).sum()).backward()
        grads.append(x.grad)
    assert_close(*grads)
