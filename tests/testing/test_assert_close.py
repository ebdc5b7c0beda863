"""minitorch.testing.assert_close against torch.testing.assert_close: same verdicts, same error types, same text."""
import re

import numpy as np
import pytest
import torch

import minitorch
from minitorch.testing import assert_close

NAN, INF = float("nan"), float("inf")

# Each case builds (actual, expected) from a library (minitorch or torch); the two must fail alike.
CASES = {
    "floats": lambda L: (L.tensor([[1., 2., 3.], [4., 5., 6.]]), L.tensor([[1., 2.5, 3.], [4., 5., 7.]])),
    "float64": lambda L: (L.tensor([1., 2.], dtype=L.float64), L.tensor([1., 2.0000001], dtype=L.float64)),
    "float16": lambda L: (L.tensor([1., 2.], dtype=L.float16), L.tensor([1., 2.01], dtype=L.float16)),
    "ints_are_exact": lambda L: (L.tensor([1, 2, 3]), L.tensor([1, 2, 5])),
    "int8": lambda L: (L.tensor([1, -2], dtype=L.int8), L.tensor([1, 3], dtype=L.int8)),
    "bools": lambda L: (L.tensor([True, False]), L.tensor([True, True])),
    "zero_dim": lambda L: (L.tensor(1.5), L.tensor(1.25)),
    "relative_to_zero": lambda L: (L.tensor([1., 0.]), L.tensor([1., 0.001])),
    "nan_differs_by_default": lambda L: (L.tensor([1., NAN]), L.tensor([1., NAN])),
    "inf_against_finite": lambda L: (L.tensor([1., INF]), L.tensor([1., 2.])),
    "inf_equal": lambda L: (L.tensor([1., INF]), L.tensor([1., INF])),
    "close_enough": lambda L: (L.tensor([1., 2.]), L.tensor([1.000001, 2.])),
    "dtype": lambda L: (L.tensor([1., 2.], dtype=L.float64), L.tensor([1., 2.])),
    "shape": lambda L: (L.tensor([1., 2.]), L.tensor([1., 2., 3.])),
    "sequence": lambda L: ([L.tensor([1.]), 2.0], [L.tensor([1.]), 2.5]),
    "tuple_vs_list": lambda L: ((L.tensor([1.]), 2), [L.tensor([1.]), 2]),
    "sequence_length": lambda L: ([1, 2], [1, 2, 3]),
    "mapping": lambda L: ({"a": L.tensor([1.]), "b": 3}, {"a": L.tensor([1.5]), "b": 3}),
    "mapping_keys": lambda L: ({"a": 1}, {"b": 1}),
    "numbers_types": lambda L: (1.0, 1),
    "numbers": lambda L: (1.0, 1.1),
    "numpy_numbers": lambda L: (np.float32(1.0), 1.0),
    "ndarray_vs_tensor": lambda L: (np.array([1., 2.]), L.tensor([1., 2.])),
    "ndarrays": lambda L: (np.array([1., 2.]), np.array([1., 3.])),
    "none": lambda L: (None, L.tensor(1.)),
    "booleans": lambda L: (True, False),
    "tensor_vs_number": lambda L: (L.tensor(1.), 1.0),
}


def _outcome(fn, actual, expected, **kw):
    try:
        fn(actual, expected, **kw)
    except Exception as error:  # noqa: BLE001 - the type and text are what is compared
        return type(error), str(error)
    return None, ""


def _as_minitorch_text(text: str) -> str:
    """torch's message with its namespace as minitorch's (dtype and Size reprs, class paths)."""
    text = text.replace("<class 'torch.Tensor'>", "<class 'minitorch._tensor.Tensor'>")
    return re.sub(r"\btorch\.", "minitorch.", text)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kw", [{}, {"rtol": 0.1, "atol": 0.0}, {"equal_nan": True}, {"check_dtype": False}],
                         ids=["defaults", "rtol", "equal_nan", "no_dtype_check"])
def test_same_verdict_and_text_as_torch(case, kw):
    kind_t, text_t = _outcome(torch.testing.assert_close, *CASES[case](torch), **kw)
    kind_m, text_m = _outcome(assert_close, *CASES[case](minitorch), **kw)
    assert kind_m is kind_t, (text_m, text_t)
    assert text_m == _as_minitorch_text(text_t)


def test_the_message_layout():
    data = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    changed = data.copy()
    changed[:, 3] += [0.5, 1.0, 2.0]
    with pytest.raises(AssertionError) as info:
        assert_close(minitorch.tensor(data), minitorch.tensor(changed))
    with pytest.raises(AssertionError) as info_t:
        torch.testing.assert_close(torch.tensor(data), torch.tensor(changed))
    assert str(info.value) == str(info_t.value)
    assert str(info.value).startswith(
        "Tensor-likes are not close!\n\nMismatched elements: 3 / 12 (25.0%)\n"
        "Greatest absolute difference: 2.0 at index (2, 3) (up to 1e-05 allowed)\n"
        "Greatest relative difference: "
    )


def test_minitorch_against_torch_tensors():
    assert_close(minitorch.tensor([1., 2.]), torch.tensor([1., 2.]))
    assert_close(torch.tensor([1, 2]), minitorch.tensor([1, 2]))
    with pytest.raises(AssertionError, match=r"dtype' do not match: minitorch.float32 != torch.float64"):
        assert_close(minitorch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64))
    expected_t = torch.tensor([1., 2.])
    kind_t, text_t = _outcome(torch.testing.assert_close, torch.tensor([1., 3.]), expected_t)
    kind_m, text_m = _outcome(assert_close, minitorch.tensor([1., 3.]), expected_t)
    assert kind_m is kind_t and text_m == text_t
    assert_close(minitorch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64), check_dtype=False)


def test_msg_and_nested_item():
    a, e = [minitorch.tensor([1.]), {"w": minitorch.tensor([2.])}], [minitorch.tensor([1.]), {"w": minitorch.tensor([3.])}]
    at, et = [torch.tensor([1.]), {"w": torch.tensor([2.])}], [torch.tensor([1.]), {"w": torch.tensor([3.])}]
    assert _outcome(assert_close, a, e)[1] == _outcome(torch.testing.assert_close, at, et)[1]
    assert _outcome(assert_close, a, e)[1].endswith("The failure occurred for item [1]['w']")
    with pytest.raises(AssertionError, match=r"^Argh$"):
        assert_close(a, e, msg="Argh")
    kw = {"msg": lambda m: f"Header\n\n{m}\n\nFooter"}
    assert _outcome(assert_close, a, e, **kw) == _outcome(torch.testing.assert_close, at, et, **kw)


def test_half_given_tolerance_is_a_value_error():
    for kw in ({"rtol": 1e-3}, {"atol": 1e-3}):
        kind_t, text_t = _outcome(torch.testing.assert_close, torch.tensor(1.), torch.tensor(1.), **kw)
        with pytest.raises(ValueError) as info:
            assert_close(minitorch.tensor(1.), minitorch.tensor(1.), **kw)
        assert kind_t is ValueError and str(info.value) == text_t


def test_unsupported_leaf_fails_before_any_value_is_compared():
    # torch originates every pair first: the TypeError of item 1 wins over the mismatch of item 0
    kind_t, _ = _outcome(torch.testing.assert_close, [torch.tensor(1.), object()], [torch.tensor(2.), object()])
    kind_m, text_m = _outcome(assert_close, [minitorch.tensor(1.), object()], [minitorch.tensor(2.), object()])
    assert kind_m is kind_t is TypeError and "item [1]" in text_m


def test_parameters_and_subclasses():
    p = minitorch.nn.Parameter(minitorch.tensor([1., 2.]))
    assert_close(p, minitorch.tensor([1., 2.]))
    with pytest.raises(TypeError, match="No comparison pair"):
        assert_close(p, minitorch.tensor([1., 2.]), allow_subclasses=False)


def test_stride_check():
    x = minitorch.arange(6.).reshape(2, 3)
    kind_t, text_t = _outcome(torch.testing.assert_close, torch.arange(6.).reshape(2, 3).t().contiguous(),
                              torch.arange(6.).reshape(2, 3).t(), check_stride=True)
    kind_m, text_m = _outcome(assert_close, x.t().contiguous(), x.t(), check_stride=True)
    assert kind_m is kind_t is AssertionError and text_m == text_t
