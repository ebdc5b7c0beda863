"""Copy ops against torch: zero_/fill_/copy_ overwrite in place (old inf values get no gradient), copy_'s shape error."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from tests._same import INF, _raised


# zero_ / fill_ / copy_ keep inf and NaN out of the new values, and the gradient of the old ones is 0
@pytest.mark.parametrize("op", ["copy", "fill", "fill_tensor", "zero"])
def test_overwrite_in_place_ignores_old_inf(op: str) -> None:
    def run(lib: Any) -> tuple:
        w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        v = lib.tensor(3.0, dtype=lib.float64, requires_grad=True)
        b = lib.full((2,), INF, dtype=lib.float64) * w
        if op == "copy":
            b.copy_(v * lib.ones(2, dtype=lib.float64))
        elif op == "fill":
            b.fill_(2.5)
        elif op == "fill_tensor":
            b.fill_(v * 2)
        else:
            b.zero_()
        (b * lib.tensor([1.0, 2.0], dtype=lib.float64)).sum().backward()
        return b, w.grad, v.grad

    (bt, wt, vt), (bm, wm, vm) = run(torch), run(minitorch)
    np.testing.assert_array_equal(bm.detach().numpy(), bt.detach().numpy())
    np.testing.assert_array_equal(wm.numpy(), wt.numpy())
    assert (vm is None) == (vt is None)
    if vt is not None:
        np.testing.assert_array_equal(vm.numpy(), vt.numpy())


# copy_'s shape error names the clashing dims
def test_copy_shape_error_names_the_clash() -> None:
    et = _raised(lambda lib: lib.zeros(4, 3).copy_(lib.ones(5, 1)), torch)
    em = _raised(lambda lib: lib.zeros(4, 3).copy_(lib.ones(5, 1)), minitorch)
    assert type(em) is type(et)
    assert str(em).startswith(str(et).split("\n")[0]), (em, et)
