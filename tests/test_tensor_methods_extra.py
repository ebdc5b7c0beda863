"""Tensor methods added for torch parity, each against torch on the same data: the dtype conversions
(short/char/byte, bfloat16's clear TypeError), memory formats for clone/contiguous/to/float(),
``new_*`` with device/dtype/requires_grad, ``fill``/``fill_`` with a 0-dim tensor, ``resize_``, the in-place
random fills (distribution moments, dtypes, errors), ``normal``'s overloads and ``bernoulli`` with a
probability tensor that requires grad (zero gradients, as torch)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.parity import check

RNG = np.random.default_rng(0)
X4 = RNG.standard_normal((2, 3, 4, 5))
FORMATS = ["preserve_format", "contiguous_format", "channels_last"]


@pytest.mark.parametrize("name", ["short", "char", "byte", "half", "float", "double", "int", "long", "bool"])
def test_dtype_conversions(name: str) -> None:
    x = (X4 * 10).astype(np.float64)
    if name == "byte":
        x = np.abs(x)
    out_m, out_t = check(lambda lib, t: getattr(t, name)(), x, atol=1e-3, rtol=1e-3)
    check(lambda lib, t: getattr(t, name)(memory_format=lib.channels_last), x, atol=1e-3, rtol=1e-3)
    _, t_out = check(lambda lib, t: getattr(t.permute(0, 2, 3, 1), name)(), x, atol=1e-3, rtol=1e-3, grad=False)
    assert getattr(minitorch.tensor(x).permute(0, 2, 3, 1), name)().stride() == t_out.stride()


def test_bfloat16_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="bfloat16"):
        minitorch.ones(2).bfloat16()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("src", ["plain", "permuted", "sliced"])
def test_clone_contiguous_to_memory_format(fmt: str, src: str) -> None:
    make = {"plain": lambda t: t, "permuted": lambda t: t.permute(0, 2, 3, 1).permute(0, 3, 1, 2),
            "sliced": lambda t: t[:, :, 1:, ::2]}[src]
    for call in (lambda lib, t: make(t).clone(memory_format=getattr(lib, fmt)),
                 lambda lib, t: make(t).to(lib.float32, memory_format=getattr(lib, fmt)),
                 lambda lib, t: make(t).to(memory_format=getattr(lib, fmt))):
        out_m, out_t = check(call, X4, atol=1e-6)
        assert out_m.stride() == out_t.stride()
        assert out_m.is_contiguous() == out_t.is_contiguous()
        cl = (minitorch.channels_last, torch.channels_last)
        assert out_m.is_contiguous(memory_format=cl[0]) == out_t.is_contiguous(memory_format=cl[1])
    if fmt != "preserve_format":
        out_m, out_t = check(lambda lib, t: make(t).contiguous(memory_format=getattr(lib, fmt)), X4)
        assert out_m.stride() == out_t.stride()


def test_memory_format_errors() -> None:
    same_error(lambda lib: lib.ones(2, 3).clone(memory_format=lib.channels_last))
    same_error(lambda lib: lib.ones(2, 3, 4, 5).contiguous(memory_format=lib.channels_last_3d))
    same_error(lambda lib: lib.ones(3, 2).t().contiguous(memory_format=lib.preserve_format))
    assert repr(minitorch.channels_last) == "minitorch.channels_last"


@pytest.mark.parametrize("name,args", [("new_zeros", ((2, 3),)), ("new_ones", ((2, 3),)), ("new_empty", ((2, 3),)),
                                       ("new_full", ((2, 3), 1.5)), ("new_tensor", ([1.0, 2.0],))])
@pytest.mark.parametrize("dtype", [None, "float64", "int64"])
def test_new_factories(name: str, args: tuple, dtype: str | None) -> None:
    def f(lib, t):
        kw = {"device": "cpu", "requires_grad": dtype != "int64"}
        if dtype:
            kw["dtype"] = getattr(lib, dtype)
        out = getattr(t, name)(*args, **kw)
        return out if name != "new_empty" else lib.zeros_like(out.detach())  # torch's values are uninitialised
    out_m, out_t = check(f, X4[0, 0].astype(np.float32), grad=False)
    if name != "new_empty":
        assert out_m.requires_grad == out_t.requires_grad and out_m.is_leaf
        assert out_m.dtype == (getattr(minitorch, dtype) if dtype else minitorch.float32)
    with pytest.raises(Exception):  # torch here is a CUDA build on a machine without a GPU: a RuntimeError
        getattr(torch.ones(2), name)(*args, device="cuda")
    with pytest.raises(AssertionError, match="not compiled with CUDA"):  # as a CPU-only torch build answers
        getattr(minitorch.ones(2), name)(*args, device="cuda")


def test_new_empty_strided() -> None:
    out_m, out_t = check(lambda lib, t: t.new_empty_strided((2, 3), (1, 2), dtype=lib.float64).fill_(2.0),
                         X4[0, 0], grad=False)
    assert out_m.stride() == out_t.stride()
    out_m, out_t = check(lambda lib, t: lib.empty_strided((3, 2), (1, 3)).zero_(), X4[0, 0], grad=False)
    assert out_m.stride() == out_t.stride()


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.bool_])
def test_fill_and_fill_with_zero_dim_tensor(dtype) -> None:
    x = (X4[0] * 3).astype(dtype)
    grad = dtype == np.float64  # torch refuses a float value requiring grad for an integer or bool tensor
    check(lambda lib, t: lib.fill(t, 2.5), x)
    check(lambda lib, t, v: lib.fill(t, v), x, np.array(1.25), grad=grad)
    check(lambda lib, t, v: t.clone().fill_(v), x, np.array(-0.75), grad=grad)
    same_error(lambda lib: lib.fill(lib.ones(2), lib.ones(2)))


def test_fill_gradients() -> None:
    out_m, out_t = check(lambda lib, t, v: lib.fill(t * 2, v * 3), X4[0], np.array(0.5))
    assert out_m.grad_fn.name() == out_t.grad_fn.name() == "FillBackward1"
    assert minitorch.autograd.gradcheck(lambda t, v: minitorch.fill(t, v),
                                        (minitorch.tensor(X4[0, 0], requires_grad=True),
                                         minitorch.tensor(0.3, dtype=minitorch.float64, requires_grad=True)))


@pytest.mark.parametrize("shape", [(2, 2), (6,), (4, 3), (0,), (3, 5)])
def test_resize(shape: tuple) -> None:
    def f(lib, t):
        y = t.clone()
        z = y.resize_(*shape)
        assert z is y
        return y.reshape(-1)[:min(6, y.numel())]  # the kept values; new ones are uninitialised in torch
    check(f, np.arange(6.0).reshape(2, 3), grad=False)
    check(lambda lib, t: tuple(t.clone().resize_as_(lib.zeros(shape)).shape), np.arange(6.0), grad=False)
    same_error(lambda lib: lib.ones(2, requires_grad=True).resize_(3))


N = 20000


@pytest.mark.parametrize("name,args,mean,var", [
    ("exponential_", (2.0,), 0.5, 0.25), ("log_normal_", (0.1, 0.3), np.exp(0.1 + 0.045),
                                          (np.exp(0.09) - 1) * np.exp(0.2 + 0.09)),
    ("geometric_", (0.25,), 4.0, 12.0), ("random_", (3, 7), 4.5, 1.25), ("random_", (5,), 2.0, 2.0),
])
def test_random_fills_moments(name: str, args: tuple, mean: float, var: float) -> None:
    for lib in (torch, minitorch):
        x = getattr(lib.zeros(N, dtype=lib.float64), name)(*args)
        a = x.numpy()
        assert abs(a.mean() - mean) < 6 * np.sqrt(var / N), (lib.__name__, a.mean(), mean)
        assert abs(a.var() / var - 1) < 0.15, (lib.__name__, a.var(), var)


def test_cauchy_and_random_ranges() -> None:
    for lib in (torch, minitorch):
        a = lib.zeros(N, dtype=lib.float64).cauchy_(1.0, 2.0).numpy()
        assert abs(np.median(a) - 1.0) < 0.1 and abs(np.percentile(a, 75) - 3.0) < 0.2
        b = lib.zeros(N, dtype=lib.int64).random_(-3, 4).numpy()
        assert b.min() == -3 and b.max() == 3
        c = lib.zeros(N, dtype=lib.uint8).random_().numpy()
        assert c.min() == 0 and c.max() == 255
        d = lib.zeros(N, dtype=lib.bool).random_().numpy()
        assert 0.45 < d.mean() < 0.55
        g = lib.zeros(100, dtype=lib.int64).geometric_(0.5)
        assert g.dtype == lib.int64 and g.numpy().min() >= 1


@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros(3).exponential_(0), lambda lib: lib.zeros(3).cauchy_(0, 0),
    lambda lib: lib.zeros(3).geometric_(1.5), lambda lib: lib.zeros(3).log_normal_(1, 0),
    lambda lib: lib.zeros(3, dtype=lib.int64).exponential_(), lambda lib: lib.zeros(3, dtype=lib.int64).cauchy_(),
    lambda lib: lib.zeros(3, dtype=lib.int64).log_normal_(), lambda lib: lib.zeros(3).random_(5, 2),
    lambda lib: lib.zeros(3, dtype=lib.uint8).random_(-1, 3),
])
def test_random_fill_errors(call) -> None:
    same_error(call)


def test_random_fills_bump_the_version() -> None:
    x = minitorch.zeros(4)
    v = x._version
    x.exponential_().cauchy_().log_normal_().geometric_(0.5).random_()
    assert x._version == v + 5


@pytest.mark.parametrize("case", ["tensor-tensor", "tensor-float", "float-tensor", "broadcast"])
def test_normal_overloads_shape_dtype_and_zero_gradients(case: str) -> None:
    mean = RNG.standard_normal((3, 1))
    std = np.abs(RNG.standard_normal(4)) + 0.5

    def f(lib, m, s):
        return {"tensor-tensor": lambda: lib.normal(m[:, 0], s[:3]), "tensor-float": lambda: lib.normal(m, 2.0),
                "float-tensor": lambda: lib.normal(1.0, s), "broadcast": lambda: lib.normal(m, s)}[case]()
    mt_in = minitorch.tensor(mean, requires_grad=True), minitorch.tensor(std, requires_grad=True)
    th_in = torch.tensor(mean, requires_grad=True), torch.tensor(std, requires_grad=True)
    om, ot = f(minitorch, *mt_in), f(torch, *th_in)
    assert tuple(om.shape) == tuple(ot.shape) and str(om.dtype)[10:] == str(ot.dtype)[6:]
    assert om.grad_fn.name() == ot.grad_fn.name()
    up = RNG.standard_normal(tuple(ot.shape))
    gm = minitorch.autograd.grad(om, mt_in, minitorch.tensor(up), allow_unused=True)
    gt = torch.autograd.grad(ot, th_in, torch.tensor(up), allow_unused=True)
    for a, b in zip(gm, gt):
        assert (a is None) == (b is None)
        if b is not None:
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_normal_moments_and_errors() -> None:
    for lib in (torch, minitorch):
        a = lib.normal(lib.full((N,), 2.0, dtype=lib.float64), lib.full((N,), 3.0, dtype=lib.float64)).numpy()
        assert abs(a.mean() - 2.0) < 0.1 and abs(a.std() - 3.0) < 0.1
    same_error(lambda lib: lib.normal(lib.zeros(3), lib.ones(3) * -1))
    same_error(lambda lib: lib.normal(lib.zeros(3), -1.0))
    assert minitorch.normal(2.0, 3.0, (2,)).dtype == minitorch.float32


def test_bernoulli_with_grad() -> None:
    p = RNG.random((3, 4))
    mp, tp = minitorch.tensor(p, requires_grad=True), torch.tensor(p, requires_grad=True)
    om, ot = minitorch.bernoulli(mp), torch.bernoulli(tp)
    assert om.requires_grad and ot.requires_grad and om.dtype == minitorch.float64
    assert om.grad_fn.name() == ot.grad_fn.name() == "BernoulliBackward0"
    up = RNG.standard_normal((3, 4))
    gm = minitorch.autograd.grad(om, mp, minitorch.tensor(up))[0]
    gt = torch.autograd.grad(ot, tp, torch.tensor(up))[0]
    np.testing.assert_array_equal(gm.numpy(), gt.numpy())
    for lib in (torch, minitorch):
        a = lib.bernoulli(lib.full((N,), 0.3, dtype=lib.float64)).numpy()
        b = lib.bernoulli(lib.zeros(N, dtype=lib.float64), 0.8).numpy()
        assert abs(a.mean() - 0.3) < 0.02 and abs(b.mean() - 0.8) < 0.02
    same_error(lambda lib: lib.bernoulli(lib.full((2,), 1.5)))
