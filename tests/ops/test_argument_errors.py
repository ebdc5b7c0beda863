"""Arguments of the wrong type raise TypeError, and of a wrong value RuntimeError with torch's message, as in torch."""
import pytest
import torch

import minitorch


# ---------------------------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros(2, 3).sum(dim=1.5), lambda lib: lib.zeros(2, 3).view(2.5), lambda lib: lib.zeros(2, 3).clamp("a"),
    lambda lib: lib.full((2,), "a"), lambda lib: lib.randint(0, 5), lambda lib: lib.zeros(2, 3) + "a",
    lambda lib: lib.zeros(2, 3).fill_("a"),
])
def test_bad_argument_types_raise_type_error(call):
    for lib in (minitorch, torch):
        with pytest.raises(TypeError):
            call(lib)


@pytest.mark.parametrize("call,message", [
    (lambda lib: lib.eye(-1), "n must be greater or equal to 0, got -1"),
    (lambda lib: lib.zeros(2, 3).narrow(1, 2, 2), r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)"),
    (lambda lib: lib.zeros(2, 3).fill_(lib.zeros(2)), "fill_ only supports 0-dimension value tensor"),
    (lambda lib: lib.zeros(2, 3).unflatten(1, (2, 2)), r"unflatten: Provided sizes \[2, 2\] don't multiply up to the "
                                                      r"size of dim 1 \(3\)"),
    (lambda lib: lib.zeros(2, 3).mean(dim=(0, 0)), "appears multiple times in the list of dims"),
    (lambda lib: lib.zeros(2, 3).permute(0, 0), "permute\\(\\): duplicate dims are not allowed"),
    (lambda lib: lib.zeros(2, 3).expand(3), "the number of sizes provided \\(1\\) must be greater or equal to the number "
                                            "of dimensions in the tensor \\(2\\)"),
    (lambda lib: lib.zeros(2, 3).masked_fill(lib.zeros(3, 3) > 0, 1.0),
     r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 0"),
])
def test_bad_argument_values_raise_like_torch(call, message):
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match=message):
            call(lib)
