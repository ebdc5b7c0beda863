"""In-place ops against torch: values, version-counter bumps, autograd through in-place changes of
non-leaves and of views of non-leaves, and torch's errors (leaf, view of a leaf, dtype, stale saved tensor)."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.parity import check, gradchecks
from tests.strategies import broadcast_shapes, float_arrays

RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.uniform(0.5, 2, shape) * RNG.choice([-1, 1], shape)


# op name -> in-place call taking (lib, target, other tensor)
INPLACE = {
    "add_": lambda m, y, b: y.add_(b),
    "add_alpha": lambda m, y, b: y.add_(b, alpha=-2),
    "sub_": lambda m, y, b: y.sub_(b),
    "sub_alpha": lambda m, y, b: y.sub_(b, alpha=0.5),
    "mul_": lambda m, y, b: y.mul_(b),
    "div_": lambda m, y, b: y.div_(b),
    "copy_": lambda m, y, b: y.copy_(b),
    "zero_": lambda m, y, b: y.zero_(),
    "fill_": lambda m, y, b: y.fill_(1.5),
    "fill_tensor": lambda m, y, b: y.fill_(b.sum()),
    "clamp_": lambda m, y, b: y.clamp_(-1.0, 1.0),
    "clamp_min": lambda m, y, b: y.clamp_(min=0.7),
    "setitem": lambda m, y, b: y.__setitem__((Ellipsis, 0), b[..., 0] * 3),
    "setitem_scalar": lambda m, y, b: y.__setitem__(0, 2.5),
    "setitem_mask": lambda m, y, b: y.__setitem__(y > 1, 0.0),
    "add_scalar": lambda m, y, b: y.add_(3),
    "mul_scalar": lambda m, y, b: y.mul_(-2),
    "div_scalar": lambda m, y, b: y.div_(4),
}


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_values_and_version_counter(name):
    a, b = rand(2, 3), rand(2, 3)
    ym, yt = minitorch.tensor(a), torch.tensor(a)
    for lib, y, other in ((minitorch, ym, minitorch.tensor(b)), (torch, yt, torch.tensor(b))):
        before = y._version
        ret = INPLACE[name](lib, y, other)
        if ret is not None:
            assert ret is y
        y.bumps = y._version - before
    np.testing.assert_allclose(ym.numpy(), yt.numpy(), rtol=1e-12)
    assert ym.bumps == yt.bumps, f"version bumped {ym.bumps} times in minitorch, {yt.bumps} in torch"


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_on_non_leaf_gradients(name):
    def fn(m, a, b):
        y = a * 2
        INPLACE[name](m, y, b)
        return y * a

    check(fn, rand(2, 3), rand(2, 3))


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_on_view_of_non_leaf_gradients(name):
    def fn(m, a, b):
        y = a * 2
        v = y[1:]
        INPLACE[name](m, v, b[1:])
        return y * a, v

    check(fn, rand(3, 3), rand(3, 3))


@pytest.mark.parametrize("name", ["add_", "mul_", "div_", "copy_", "clamp_", "setitem"])
def test_inplace_gradchecks(name):
    def fn(m, a, b):
        y = a * 1.5
        INPLACE[name](m, y.t(), b.t())
        return y

    gradchecks(fn, rand(2, 3), rand(2, 3))


@given(data=st.data())
def test_inplace_broadcast_hypothesis(data):
    sx, sy = data.draw(broadcast_shapes(2).filter(lambda s: np.broadcast_shapes(*s) == tuple(s[0])))
    x, y = data.draw(float_arrays(sx)), data.draw(float_arrays(sy, 0.5, 2))

    def fn(m, a, b):
        out = a * 1
        out.add_(b).mul_(b).sub_(a, alpha=0.5).div_(b)
        return out

    check(fn, x, y)


def test_grad_fn_after_inplace_matches_torch():
    names = []
    for lib in (minitorch, torch):
        a = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = a * 2
        y.add_(1)
        z = a * 3
        z[0].mul_(2)
        w = a.exp()
        w.t()[1].clamp_(0, 10)
        names.append([y.grad_fn.name(), z.grad_fn.name(), w.grad_fn.name()])
    assert names[0] == names[1]


def test_view_of_view_of_non_leaf():
    def fn(m, a, b):
        y = a * 1
        y.view(-1)[2:5].t().unsqueeze(0).mul_(b)
        return y

    check(fn, rand(2, 3), rand(3))


def test_setitem_with_grad_flows_to_value():
    def fn(m, a, v):
        y = a * 1
        y[0, 1:] = v
        y[[1, 1]] = v[0] * 2
        return y

    check(fn, rand(2, 3), rand(2))


def test_inplace_on_tensor_that_does_not_require_grad_with_grad_operand():
    def fn(m, b):
        y = m.zeros(2, 3, dtype=b.dtype)
        y.add_(b)
        y[0] = b[1] * 3
        return y

    check(fn, rand(2, 3))


def test_leaf_errors():
    for lib in (minitorch, torch):
        a = lib.ones(3, requires_grad=True)
        for call in (lambda: a.add_(1), lambda: a.mul_(2), lambda: a.zero_(), lambda: a.fill_(2),
                     lambda: a.copy_(lib.zeros(3)), lambda: a.clamp_(0, 1), lambda: a.__setitem__(0, 5.0)):
            with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place "
                                                   "operation"):
                call()
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad is being used in an "
                                               "in-place operation"):
            a[1:].add_(1)
        with lib.no_grad():
            a.add_(1)
            a[0] = 7.0
        assert a.tolist() == [7.0, 2.0, 2.0] and a.is_leaf and a.grad_fn is None and a.requires_grad


def test_modified_saved_tensor_raises_version_error():
    for lib in (minitorch, torch):
        a = lib.ones(3, requires_grad=True)
        y = a * 2
        z = y * y  # saves y
        y.add_(1)
        with pytest.raises(RuntimeError, match="one of the variables needed for gradient computation has been "
                                               "modified by an inplace operation"):
            z.sum().backward()
        b = lib.ones(3, requires_grad=True)
        e = b.exp()  # saves its output
        e.mul_(2)
        with pytest.raises(RuntimeError, match="is at version 1; expected version 0 instead"):
            e.sum().backward()


def test_dtype_errors_and_int_inplace():
    for lib in (minitorch, torch):
        i = lib.tensor([1, 2, 3])
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
            i.add_(0.5)
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
            i.div_(2)
        i.add_(2).mul_(3)
        assert i.tolist() == [9, 12, 15]
        f = lib.tensor([1.0, 2.0])
        f.add_(lib.tensor([1, 1]))
        f.mul_(lib.tensor(2, dtype=lib.float64))
        assert f.tolist() == [4.0, 6.0] and f.dtype == lib.float32


def test_inplace_shape_errors():
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError):
            lib.zeros(3).add_(lib.zeros(2, 3))
        with pytest.raises(RuntimeError):
            lib.zeros(3).copy_(lib.zeros(2))
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        minitorch.zeros(3).add_(minitorch.zeros(2, 3))


def test_expanded_tensor_refuses_inplace_write():
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="more than one element of the written-to tensor refers to a single "
                                               "memory location"):
            lib.zeros(3).expand(2, 3).add_(1)


def test_views_see_inplace_changes_and_share_version():
    for lib in (minitorch, torch):
        x = lib.zeros(2, 3)
        v = x[0]
        t = x.t()
        v.add_(1)
        assert x[0].tolist() == [1.0, 1.0, 1.0] and t[:, 0].tolist() == [1.0, 1.0, 1.0]
        assert x._version == v._version == t._version == 1
        x.mul_(3)
        assert v._version == 2 and v.tolist() == [3.0, 3.0, 3.0]
        d = x.detach()
        d.zero_()
        assert x._version == 3 and x.sum().item() == 0


def test_setitem_shape_error():
    for lib in (torch, minitorch):  # a slice is a view: torch copies into it, with expand's error
        with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(2\) must match the existing size "
                                               r"\(3\) at non-singleton dimension 0"):
            lib.zeros(3)[0:2] = lib.zeros(3)
        with pytest.raises(RuntimeError, match=r"shape mismatch: value tensor of shape \[3\] cannot be broadcast to "
                                               r"indexing result of shape \[2\]"):
            lib.zeros(3)[lib.tensor([0, 1])] = lib.zeros(3)


def test_views_taken_before_an_inplace_change_of_their_base_see_the_new_history():
    def fn(m, a):
        y = a * 1
        v, w, t = y[0], y[0][1:], y.t()
        y.mul_(2)
        y[1].add_(a[0])
        return v * 1, w * 3, t.sum(0), y

    check(fn, rand(2, 3))


def test_view_of_tensor_without_grad_requires_grad_after_inplace_with_grad_value():
    def fn(m, b):
        y = m.zeros(2, 3, dtype=b.dtype)
        v = y[0]
        assert not v.requires_grad
        y.add_(b)
        assert v.requires_grad and not v.is_leaf
        return v * 2

    check(fn, rand(3))


@pytest.mark.parametrize("other_requires_grad", [False, True])
def test_mul_saves_only_what_backward_reads_like_torch(other_requires_grad):
    """x * w keeps x only when w needs a gradient: changing x in place afterwards is fine otherwise."""
    outcomes = []
    for lib in (minitorch, torch):
        a = lib.ones(3, requires_grad=True)
        w = lib.full((3,), 2.0, requires_grad=other_requires_grad)
        x = a.clone()
        y = x * w
        x.add_(1)
        try:
            y.sum().backward()
            outcomes.append(a.grad.tolist())
        except RuntimeError as e:
            assert "modified by an inplace operation" in str(e)
            outcomes.append("error")
    assert outcomes[0] == outcomes[1]
