"""Anomaly mode names the backward function that made a NaN and the forward line that built it."""
import numpy as np
import pytest

import minitorch as mt


def test_anomaly_mode_names_the_function_and_the_forward_line():
    x = mt.tensor([0.0, 1.0], requires_grad=True)
    with mt.autograd.detect_anomaly():
        y = x.sqrt()  # the culprit: d sqrt / dx is infinite at 0
        with pytest.raises(RuntimeError) as err:
            (y * 1).sum().backward()
    msg = str(err.value)
    assert "Function 'SqrtBackward0' returned inf values in its 0th output" in msg
    assert "y = x.sqrt()  # the culprit" in msg


def test_anomaly_mode_off_lets_nan_through():
    x = mt.tensor([0.0, 1.0], requires_grad=True)
    with np.errstate(divide="ignore"):
        x.sqrt().sum().backward()
    assert np.isinf(x.grad.numpy()[0])
