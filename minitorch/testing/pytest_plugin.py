"""A pytest plugin giving the ``parity`` fixture: ``pytest_plugins = ["minitorch.testing.pytest_plugin"]`` in a
conftest.py, then ``def test_op(parity): parity(my_op, x, twin=torch_op)``."""
from __future__ import annotations

from typing import Callable

import pytest

from minitorch.testing._parity import parity as _parity


@pytest.fixture
def parity() -> Callable:
    """``minitorch.testing.parity``: values, float64 gradients and gradcheck of an op against its torch twin."""
    return _parity
