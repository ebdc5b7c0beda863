"""dtypes and type promotion against torch: tensor-tensor and tensor-scalar promotion, promote_types, the default
dtype, gradients coming back in each input's dtype."""
import itertools
import operator

import numpy as np
import pytest
import torch

import minitorch
from tests._same import DTYPES
from tests.parity import TORCH_DTYPES, assert_close


# ---------------------------------------------------------------------------------------------- promotion
def _make(lib, dtype: str, ndim: int):
    arr = np.array([1, 2, 3][: 1 if ndim == 0 else 3]).astype(dtype)
    arr = arr.reshape(()) if ndim == 0 else arr
    return lib.tensor(arr)


def _outcome(fn, *args):
    try:
        return fn(*args), None
    except Exception as e:  # noqa: BLE001 - the error type is compared with torch's
        return None, e


def _compare(out_m, err_m, out_t, err_t):
    if err_t is not None:
        assert err_m is not None, f"torch raised {err_t!r} but minitorch returned {out_m}"
        assert isinstance(err_m, type(err_t)) or isinstance(err_m, RuntimeError) and isinstance(err_t, RuntimeError), (
            f"{type(err_m).__name__} (minitorch) vs {type(err_t).__name__} (torch)")
        return
    assert err_m is None, f"minitorch raised {err_m!r}, torch returned {out_t}"
    tol = 2e-3 if out_t.dtype == torch.float16 else 1e-6
    assert_close(out_m, out_t, atol=tol, rtol=tol)


BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
          "pow": operator.pow, "floordiv": operator.floordiv, "mod": operator.mod}


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("ndims", [(1, 1), (1, 0), (0, 1), (0, 0)])
def test_promotion_tensor_tensor(op, ndims):
    fn = BINARY[op]
    for a, b in itertools.product(DTYPES, DTYPES):
        tm, tt = _make(minitorch, a, ndims[0]), _make(torch, a, ndims[0])
        um, ut = _make(minitorch, b, ndims[1]), _make(torch, b, ndims[1])
        out_t, err_t = _outcome(fn, tt, ut)
        out_m, err_m = _outcome(fn, tm, um)
        _compare(out_m, err_m, out_t, err_t)
        if err_t is None:
            assert minitorch.result_type(tm, um).name == str(torch.result_type(tt, ut))[6:]


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("scalar", [True, False, 2, -1, 0, 2.5, -0.5])
def test_promotion_tensor_scalar(op, scalar):
    fn = BINARY[op]
    for a, ndim, reflected in itertools.product(DTYPES, (1, 0), (False, True)):
        f = (lambda x: fn(scalar, x)) if reflected else (lambda x: fn(x, scalar))
        if op in ("floordiv", "mod", "truediv") and scalar in (0, False) and not reflected:
            continue  # division by zero: torch raises for ints where numpy warns; not a promotion question
        out_t, err_t = _outcome(f, _make(torch, a, ndim))
        out_m, err_m = _outcome(f, _make(minitorch, a, ndim))
        _compare(out_m, err_m, out_t, err_t)
        if err_t is None:
            tm, tt = _make(minitorch, a, ndim), _make(torch, a, ndim)
            assert minitorch.result_type(tm, scalar).name == str(torch.result_type(tt, scalar))[6:]


@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("b", DTYPES)
def test_promote_types(a, b):
    assert minitorch.promote_types(getattr(minitorch, a), getattr(minitorch, b)).name == \
        str(torch.promote_types(TORCH_DTYPES[a], TORCH_DTYPES[b]))[6:]


def test_float_scalar_with_int_tensor_gives_default_dtype():
    assert (minitorch.tensor([1, 2]) * 1.5).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2]) / 2).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2], dtype=minitorch.float64) + 1.5).dtype is minitorch.float64


def test_set_default_dtype():
    try:
        minitorch.set_default_dtype(minitorch.float64)
        assert minitorch.tensor([1.0]).dtype is minitorch.float64
        assert minitorch.zeros(2).dtype is minitorch.float64
        assert (minitorch.tensor([1, 2]) * 1.5).dtype is minitorch.float64
    finally:
        minitorch.set_default_dtype(minitorch.float32)
    with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
        minitorch.set_default_dtype(minitorch.int64)


def test_mixed_dtype_gradients_come_back_in_each_dtype():
    a32 = minitorch.tensor([1.0, 2.0], requires_grad=True)
    a64 = minitorch.tensor([3.0, 4.0], dtype=minitorch.float64, requires_grad=True)
    out = a32 * a64
    assert out.dtype is minitorch.float64
    out.sum().backward()
    assert a32.grad.dtype is minitorch.float32 and a64.grad.dtype is minitorch.float64
    assert a32.grad.tolist() == [3.0, 4.0] and a64.grad.tolist() == [1.0, 2.0]


def test_unsupported_dtype_and_operand_errors():
    with pytest.raises(TypeError, match="dtype must be a minitorch dtype"):
        minitorch.zeros(2, dtype="complex128")
    with pytest.raises(TypeError):
        minitorch.zeros(2) + "a"
