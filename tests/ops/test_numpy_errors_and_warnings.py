"""numpy stays inside the ops: bad arguments raise torch's errors, not numpy's, and numpy's floating-point warnings
never reach the caller."""
from __future__ import annotations

from typing import Callable

import pytest
import torch

from tests._same import INF, same_error


# torch's errors instead of numpy's
@pytest.mark.parametrize("fn", [
    lambda lib: lib.broadcast_tensors(lib.ones(2), lib.ones(3)),
    lambda lib: lib.ones(2).allclose(lib.ones(3)),
    lambda lib: lib.ones(2).isclose(lib.ones(3)),
    lambda lib: lib.ones(3).expand(-1, 3),
    lambda lib: lib.ones(2, 3, 4).movedim((0, 1), (2,)),
    lambda lib: lib.normal(0.0, -1.0, (2,)),
    lambda lib: lib.ones(2).uniform_(1.0, 0.0),
    lambda lib: lib.ones(2).normal_(0.0, -1.0),
    lambda lib: lib.ones(3).unfold(0, 2, 0),
    lambda lib: lib.ones(3).unfold(0, 5, 1),
])
def test_torch_errors_not_numpy_errors(fn: Callable) -> None:
    same_error(fn)


# numpy's floating-point warnings stay inside the ops (checked in a fresh interpreter: pytest drops
# the warning filters that modules install while it collects tests)
_WARNING_CASES = ("tensor([0.0, 1.0]).log()", "tensor([1000.0]).exp()", "1 / lib.tensor([0.0])",
                  "tensor([-1.0]).sqrt()", "tensor([INF]) * 0", "tensor([0.0]) ** -1.0")


def test_no_numpy_runtime_warnings() -> None:
    import subprocess
    import sys

    code = "; ".join(["import minitorch as lib", "INF = float('inf')", "tensor = lib.tensor"]
                     + [f"print(({c}).tolist())" for c in _WARNING_CASES])
    run = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=True)
    assert "Warning" not in run.stderr, run.stderr
    expected = [repr(eval(c, {"lib": torch, "tensor": torch.tensor, "INF": INF}).tolist()) for c in _WARNING_CASES]
    assert run.stdout.split("\n")[:-1] == expected
