"""Augmented assignment (``+=``, ``-=``, ... ``>>=``) against torch: each operator writes into the same
tensor (views write through to their base), bumps the version counter once, records history for
non-leaves, and refuses what torch refuses (a leaf that requires grad, a result whose shape or dtype
does not fit the left operand). ``@=`` has no in-place form in torch and rebinds in both."""
import operator

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import check

RNG = np.random.default_rng(0)

FLOAT_OPS = {  # name -> the augmented assignment as a function (``operator.iadd(a, b)`` is ``a += b``)
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "**=": operator.ipow, "//=": operator.ifloordiv, "%=": operator.imod,
}
INT_OPS = {**{k: v for k, v in FLOAT_OPS.items() if k != "/="},
           "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor,
           "<<=": operator.ilshift, ">>=": operator.irshift}
BOOL_OPS = {"&=": operator.iand, "|=": operator.ior, "^=": operator.ixor}


def _apply(lib, op, left, right):
    """Run ``left op= right`` in ``lib``; report the result, whether it is ``left``, and the version bump."""
    before = left._version
    out = op(left, right)
    return out, out is left, left._version - before


def _same(m, t):
    assert m.dtype.name == str(t.dtype).split(".")[-1], f"dtype {m.dtype} (minitorch) != {t.dtype} (torch)"
    assert tuple(m.shape) == tuple(t.shape)
    np.testing.assert_array_equal(m.numpy(), t.numpy())


def _operands(kind, right_kind):
    if kind == "float":
        left = RNG.uniform(0.5, 3, (2, 3)) * RNG.choice([-1, 1], (2, 3))
    elif kind == "int":
        left = RNG.integers(-20, 20, (2, 3))
    else:
        left = RNG.integers(0, 2, (2, 3)).astype(bool)
    if right_kind == "scalar":
        return left, {"float": 1.5, "int": 3, "bool": True}[kind]
    if right_kind == "row":  # broadcasts into the left operand's shape
        right = left[:1] if kind == "bool" else np.abs(left[:1]) % 4 + (1 if kind == "int" else 0.5)
        return left, right
    right = left[::-1].copy() if kind == "bool" else np.abs(left[::-1]) % 4 + (1 if kind == "int" else 0.5)
    return left, right


CASES = ([("float", n, r) for n in FLOAT_OPS for r in ("tensor", "row", "scalar")]
         + [("int", n, r) for n in INT_OPS for r in ("tensor", "row", "scalar")]
         + [("bool", n, r) for n in BOOL_OPS for r in ("tensor", "row", "scalar")])


@pytest.mark.parametrize("kind,name,right_kind", CASES, ids=[f"{k}{n}{r}" for k, n, r in CASES])
def test_augmented_assignment_is_in_place(kind, name, right_kind):
    op = {**FLOAT_OPS, **INT_OPS}[name]
    left, right = _operands(kind, right_kind)
    res = {}
    for lib in (minitorch, torch):
        a = lib.tensor(left)
        b = lib.tensor(right) if isinstance(right, np.ndarray) else right
        res[lib] = _apply(lib, op, a, b)
    (m, m_same, m_bump), (t, t_same, t_bump) = res[minitorch], res[torch]
    assert m_same and t_same, "the result must be the left operand itself"
    assert m_bump == t_bump == 1
    _same(m, t)


@pytest.mark.parametrize("name", list(FLOAT_OPS))
def test_view_writes_through_to_its_base(name):
    out = {}
    for lib in (minitorch, torch):
        base = lib.arange(1.0, 13.0).reshape(3, 4)
        v = base[1:3, ::2]
        before = base._version
        FLOAT_OPS[name](v, 2.0)
        out[lib] = base, base._version - before
    _same(out[minitorch][0], out[torch][0])
    assert out[minitorch][1] == out[torch][1] == 1, "the base shares the view's version counter"


@pytest.mark.parametrize("name", list(FLOAT_OPS))
def test_result_shape_must_fit_the_left_operand(name):
    errors = {}
    for lib in (minitorch, torch):
        a, b = lib.ones(3), lib.ones(2, 3)
        with pytest.raises(RuntimeError) as e:
            FLOAT_OPS[name](a, b)
        errors[lib] = str(e.value)
        assert a.shape == (3,)
    assert "output with shape [3] doesn't match the broadcast shape [2, 3]" in errors[torch]
    assert "output with shape [3] doesn't match the broadcast shape [2, 3]" in errors[minitorch]


@pytest.mark.parametrize("name", list(FLOAT_OPS))
def test_leaf_that_requires_grad_is_refused(name):
    for lib in (minitorch, torch):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
            FLOAT_OPS[name](x, 2.0)
        with lib.no_grad():  # torch allows it outside recording: this is how optimizers update weights
            FLOAT_OPS[name](x, 2.0)
        assert x.requires_grad and x.grad_fn is None


DTYPE_ERRORS = [  # (left values, left dtype, operator, right): torch refuses each
    ([1, 2], "int64", "+=", 0.5),
    ([1, 2], "int64", "/=", 2),
    ([1, 2], "int64", "*=", [0.5, 1.5]),
    ([1, 2], "int32", "-=", 1.5),
    ([1, 2], "int64", "&=", 1.5),
    ([1.0, 2.0], "float32", "&=", 1),
    ([1.0, 2.0], "float32", "<<=", 1),
    ([True, False], "bool", "+=", 1),
    ([True, False], "bool", "-=", True),
    ([True, False], "bool", "*=", 2.5),
    ([1, 2], "int64", "**=", -1),
    ([1, 2], "int64", "//=", 0),
    ([1, 2], "int64", "%=", 0),
]


@pytest.mark.parametrize("values,dtype,name,right", DTYPE_ERRORS,
                         ids=[f"{d}{n}{r}" for _, d, n, r in DTYPE_ERRORS])
def test_dtype_errors_match_torch(values, dtype, name, right):
    op = {**FLOAT_OPS, **INT_OPS}[name]
    caught = {}
    for lib in (minitorch, torch):
        a = lib.tensor(values, dtype=getattr(lib, dtype))
        b = lib.tensor(right) if isinstance(right, list) else right
        with pytest.raises(Exception) as e:
            op(a, b)
        caught[lib] = e.value
        assert a.tolist() == values, "a refused operation must leave the tensor as it was"
    assert type(caught[minitorch]) is type(caught[torch]), (caught[minitorch], caught[torch])
    assert str(caught[minitorch]) == str(caught[torch])


HISTORY_OPS = ["+=", "-=", "*=", "/=", "**=", "%="]


@pytest.mark.parametrize("name", HISTORY_OPS)
@pytest.mark.parametrize("right_kind", ["tensor", "scalar"])
def test_non_leaf_records_history_like_torch(name, right_kind):
    op = FLOAT_OPS[name]
    a = RNG.uniform(0.5, 2, (2, 3))
    b = RNG.uniform(0.5, 2, (1, 3))

    def fn(lib, a, b):
        y = a * 1.5  # a non-leaf
        before = y._version
        r = op(y, b if right_kind == "tensor" else 1.25)
        assert r is y and y._version == before + 1
        return y.exp()  # saves its output: history after the in-place op must be right

    check(fn, a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["+=", "*="])
def test_view_of_non_leaf_records_copy_slices(name):
    a, b = RNG.uniform(0.5, 2, (3, 4)), RNG.uniform(0.5, 2, (2,))

    def fn(lib, a, b):
        y = a * 2  # saves nothing of y: the in-place change is legal
        v = y[1, 1:3]
        FLOAT_OPS[name](v, b)
        return y, v

    out_m, out_t = check(fn, a, b, rtol=1e-12, atol=1e-12)
    assert type(out_m[0].grad_fn).__name__ == type(out_t[0].grad_fn).__name__ == "CopySlices"


def test_saved_tensor_modified_by_augmented_assignment_fails_backward():
    for lib in (minitorch, torch):
        x = lib.ones(3, requires_grad=True)
        y = x.exp()  # exp saves its result
        y += 1
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_matmul_assignment_rebinds_as_in_torch():
    assert not hasattr(torch.Tensor, "__imatmul__") and not hasattr(minitorch.Tensor, "__imatmul__")
    a = RNG.standard_normal((2, 3))
    b = RNG.standard_normal((3, 3))
    res = {}
    for lib in (minitorch, torch):
        x = lib.tensor(a)
        old = x
        x @= lib.tensor(b)
        res[lib] = x
        assert x is not old and old._version == 0
        np.testing.assert_array_equal(old.numpy(), a)
    np.testing.assert_allclose(res[minitorch].numpy(), res[torch].numpy(), rtol=1e-12)


def test_literal_syntax_updates_the_named_tensor():
    """The statements themselves, not only ``operator.i*``: what a user types."""
    for lib in (minitorch, torch):
        t = lib.arange(6.0)
        v = t[1:3]
        v += 5
        v *= 2
        v -= 1
        v /= 4
        assert t.tolist() == [0.0, 2.75, 3.25, 3.0, 4.0, 5.0]
    ints = {}
    for lib in (minitorch, torch):
        i = lib.tensor([7, -7, 12])
        i //= 2
        i %= 5
        i **= 2
        i <<= 1
        i >>= 2
        i |= 8
        i &= 14
        i ^= 3
        ints[lib] = i
    _same(ints[minitorch], ints[torch])


def _mlp_pair():
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).double()
    mm = minitorch.nn.Sequential(minitorch.nn.Linear(5, 8), minitorch.nn.Tanh(), minitorch.nn.Linear(8, 3)).double()
    mm.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    return mm, tm


def test_manual_sgd_with_minus_equals_trains_like_torch():
    """``p -= lr * p.grad`` under ``no_grad``, 20 steps: the same weights and losses as torch at every step."""
    mm, tm = _mlp_pair()
    x, y = RNG.standard_normal((16, 5)), RNG.integers(0, 3, 16)
    start = tm[0].weight.detach().clone()
    for step in range(20):
        losses = {}
        for lib, model in ((minitorch, mm), (torch, tm)):
            loss = lib.nn.functional.cross_entropy(model(lib.tensor(x)), lib.tensor(y))
            model.zero_grad()
            loss.backward()
            with lib.no_grad():
                for p in model.parameters():
                    p -= 0.5 * p.grad
            losses[lib] = loss.item()
        assert losses[minitorch] == pytest.approx(losses[torch], rel=1e-12, abs=1e-14), f"step {step}"
        for (name, pm), pt in zip(mm.named_parameters(), tm.parameters()):
            np.testing.assert_allclose(pm.detach().numpy(), pt.detach().numpy(), rtol=1e-11, atol=1e-13,
                                       err_msg=f"{name} after step {step}")
    assert not torch.equal(start, tm[0].weight), "the loop must have moved the weights"
    assert losses[torch] < 0.9 * torch.nn.functional.cross_entropy(
        _mlp_pair()[1](torch.tensor(x)), torch.tensor(y)).item()
