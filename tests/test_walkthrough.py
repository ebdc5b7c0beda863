"""The `make demo` walk-through: every tutorial example gives the same answer in minitorch and torch."""
import numpy as np
import pytest

from examples import autograd_walkthrough as walk


@pytest.mark.parametrize("name,fn,note", walk.EXAMPLES, ids=[e[0] for e in walk.EXAMPLES])
def test_example_agrees_with_torch(name, fn, note):
    import minitorch
    import torch

    assert walk._agree(fn(minitorch), fn(torch))


def test_the_tutorial_mistake_is_corrected():
    import minitorch

    assert np.allclose(walk.mean_of_double(minitorch).numpy(), [1.0, 1.0])


def test_agree_detects_a_difference():
    import minitorch

    assert not walk._agree(minitorch.tensor([1.0, 2.0]), minitorch.tensor([1.0, 2.5]))
    assert not walk._agree("RuntimeError: x", "no error")


def test_main_prints_table(capsys):
    assert walk.main() == 0
    out = capsys.readouterr().out
    assert "11/11 examples agree" in out or f"{len(walk.EXAMPLES)}/{len(walk.EXAMPLES)} examples agree" in out
