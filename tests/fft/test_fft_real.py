"""minitorch.fft's real-output transforms against torch.fft: values, gradients (the adjoint of the c2r
transform), gradcheck and double backward, every norm, crops and pads through s, and errors."""
from __future__ import annotations

import numpy as np
import pytest

from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(3)
X = RNG.standard_normal((3, 4, 5))


@pytest.mark.parametrize("norm", [None, "backward", "ortho", "forward"])
@pytest.mark.parametrize("fn", [
    lambda L, x, nm: L.fft.irfft(x, norm=nm), lambda L, x, nm: L.fft.irfft(x, 7, 1, norm=nm),
    lambda L, x, nm: L.fft.irfft(x, 4, 0, norm=nm), lambda L, x, nm: L.fft.hfft(x, norm=nm),
    lambda L, x, nm: L.fft.hfft(x, 9, norm=nm), lambda L, x, nm: L.fft.irfft2(x, norm=nm),
    lambda L, x, nm: L.fft.irfft2(x, (2, 6), norm=nm), lambda L, x, nm: L.fft.hfft2(x, (5, -1), (0, 2), norm=nm),
    lambda L, x, nm: L.fft.irfftn(x, norm=nm), lambda L, x, nm: L.fft.irfftn(x, (4, 3), (2, 0), norm=nm),
    lambda L, x, nm: L.fft.hfftn(x, dim=(1, 2), norm=nm), lambda L, x, nm: L.fft.hfftn(x, (2, 3, 4), norm=nm),
])
def test_values_and_gradients(fn, norm):
    check(lambda L, x: fn(L, x, norm), X)


def test_gradcheck_and_double_backward():
    gradchecks(lambda L, x: L.fft.irfftn(x, (3, 6)), X[0, :3, :4])
    gradchecks(lambda L, x: L.fft.hfft(x, 5, norm="ortho"), X[0, 0])


def test_shifts_and_ints():
    for dim in (None, 0, (1, 2), -1):
        check(lambda L, x: L.fft.fftshift(x, dim), X)
        check(lambda L, x: L.fft.ifftshift(x, dim), X)
    check(lambda L, x: L.fft.irfft(x), np.arange(6), grad=False)


def test_errors():
    same_error(lambda L: L.fft.irfft(L.tensor(1.0)))
    same_error(lambda L: L.fft.irfft(L.zeros(4), norm="bad"))
    same_error(lambda L: L.fft.irfft(L.zeros(1)))
    same_error(lambda L: L.fft.irfftn(L.zeros(3, 4), (2, 2, 2)), same_text=False)
